"""Writes of the performance app: benchmarks, worksheet versions and their PDF job, enforcement
inputs, performance review meetings and their commitments.

Every service is keyword-only, atomic, validates before it writes and records its audit event.
The PDF job's state machine lives in ``worksheet_build``: queued → running → ready, or failed
with a readable error; a transient error puts it back to queued for Celery's retry, and
``worksheets_fail_stuck`` marks a job whose worker died as failed.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.utils import timezone

from ceasefire.core import services as core_services
from ceasefire.core.audit import Action, audit_record
from ceasefire.core.concurrency import save_versioned
from ceasefire.core.models import (
    Benchmark,
    EnforcementPlanStatus,
    Indicator,
    Meeting,
    Organisation,
    Task,
    Unit,
    UnitStaffing,
    User,
    Worksheet,
)

from . import selectors
from .indicators import Period

logger = logging.getLogger(__name__)

NOTE_MAX_LENGTH = 1000
ROW_INDICATORS = tuple(Indicator.values)


class TransientJobError(Exception):
    """A PDF job failed for a reason worth retrying (storage or database hiccup)."""


TRANSIENT_ERRORS = (OSError, OperationalError, InterfaceError)


# --- Benchmarks ---------------------------------------------------------------------------------


@transaction.atomic
def benchmark_set(*, indicator: str, year: int, annual_target: int, user: User | None) -> Benchmark:
    """Set (or change) an indicator's annual target for a year."""
    if indicator not in selectors.BENCHMARKED_INDICATORS:
        raise ValidationError({"indicator": "Choose an indicator whose target is set per year."})
    benchmark = Benchmark.objects.select_for_update().filter(indicator=indicator, year=year).first()
    created = benchmark is None
    if created:
        benchmark = Benchmark(indicator=indicator, year=year)
    old = None if created else benchmark.annual_target
    benchmark.annual_target = annual_target
    benchmark.set_by = user
    benchmark.set_at = timezone.now()
    benchmark.full_clean()
    if created:
        benchmark.save()
    else:
        benchmark.save(update_fields=["annual_target", "set_by", "set_at"])
    audit_record(
        actor=user,
        action=Action.CREATE if created else Action.CHANGE,
        obj=benchmark,
        detail={"indicator": indicator, "year": year, "from": old, "to": annual_target},
    )
    return benchmark


# --- Worksheet versions and the PDF job ----------------------------------------------------------


@transaction.atomic
def worksheet_request(*, period: Period, user: User | None) -> Worksheet:
    """Queue a new version of the period's worksheet (snapshot + PDF), dispatched after commit.

    Idempotent while a job for the period is queued or running: that job is returned instead.
    """
    from .tasks import generate_worksheet_pdf

    latest = (
        Worksheet.objects.select_for_update()
        .filter(period_start=period.start, period_end=period.end)
        .order_by("-version")
        .first()
    )
    if latest is not None and latest.frozen:
        raise ValidationError(
            "This period's worksheet is frozen (its performance review is closed);"
            " it cannot be regenerated."
        )
    if latest is not None and latest.status in (Worksheet.Status.QUEUED, Worksheet.Status.RUNNING):
        return latest
    worksheet = Worksheet(
        period_start=period.start,
        period_end=period.end,
        version=latest.version + 1 if latest else 1,
        requested_by=user,
        requested_at=timezone.now(),
        notes=dict(latest.notes) if latest else {},
        status=Worksheet.Status.QUEUED,
    )
    worksheet.full_clean()
    try:
        with transaction.atomic():
            worksheet.save()
    except IntegrityError:
        raise ValidationError(
            "Someone else generated this worksheet a moment ago — reload the page."
        ) from None
    audit_record(
        actor=user,
        action=Action.CREATE,
        obj=worksheet,
        detail={"period": period.slug, "version": worksheet.version},
    )
    worksheet_id = worksheet.pk
    transaction.on_commit(lambda: generate_worksheet_pdf.delay(worksheet_id))
    return worksheet


def _timeout() -> dt.timedelta:
    return dt.timedelta(seconds=settings.WORKSHEET_JOB_TIMEOUT_SECONDS)


def _claim(worksheet_id: int) -> dt.datetime | None:
    """queued (or running but abandoned) → running: the claim time, or None if not ours to run."""
    now = timezone.now()
    claimable = Q(status=Worksheet.Status.QUEUED) | Q(
        status=Worksheet.Status.RUNNING, started_at__lt=now - _timeout()
    )
    claimed = (
        Worksheet.objects.filter(pk=worksheet_id)
        .filter(claimable)
        .update(
            status=Worksheet.Status.RUNNING, started_at=now, attempts=F("attempts") + 1, error=""
        )
    )
    return now if claimed else None


def _release(worksheet_id: int, started_at: dt.datetime, *, status: str, error: str) -> bool:
    """running → queued (retry) or failed, only if this run still owns the job."""
    return bool(
        Worksheet.objects.filter(
            pk=worksheet_id, status=Worksheet.Status.RUNNING, started_at=started_at
        ).update(status=status, error=error[:2000])
    )


def worksheet_build(*, worksheet_id: int, final_attempt: bool = True) -> Worksheet | None:
    """The PDF job: compute the frozen snapshot, render the PDF, store both (Django's storage).

    Returns the ready worksheet, or None when there was nothing to do (already ready, failed,
    or running in another worker). Raises TransientJobError when Celery should retry.
    """
    started_at = _claim(worksheet_id)
    if started_at is None:
        return None
    worksheet = Worksheet.objects.get(pk=worksheet_id)
    try:
        made = _worksheet_files_store(worksheet, started_at)
    except TRANSIENT_ERRORS as exc:
        logger.warning("Worksheet %s: transient error %s", worksheet_id, exc)
        if final_attempt:
            error = f"The PDF could not be made after several attempts: {exc}"
            _release(worksheet_id, started_at, status=Worksheet.Status.FAILED, error=error)
            return None
        error = f"Attempt failed ({exc}); retrying shortly."
        _release(worksheet_id, started_at, status=Worksheet.Status.QUEUED, error=error)
        raise TransientJobError(str(exc)) from exc
    except Exception as exc:  # a bug or bad data: fail with a readable error, never stay "running"
        logger.exception("Worksheet %s: PDF job failed", worksheet_id)
        error = f"The PDF could not be made: {exc}"
        _release(worksheet_id, started_at, status=Worksheet.Status.FAILED, error=error)
        return None
    done = Worksheet.objects.filter(
        pk=worksheet_id, status=Worksheet.Status.RUNNING, started_at=started_at
    ).update(
        status=Worksheet.Status.READY,
        snapshot=made.snapshot,
        pdf=made.pdf_name,
        snapshot_file=made.json_name,
        generated_at=started_at,
        error="",
        compute_seconds=made.compute_seconds,
        render_seconds=made.render_seconds,
        store_seconds=made.store_seconds,
    )
    if not done:  # the reaper marked this run failed meanwhile: keep its verdict, drop our files
        worksheet.pdf.storage.delete(made.pdf_name)
        worksheet.snapshot_file.storage.delete(made.json_name)
        return None
    worksheet.refresh_from_db()
    return worksheet


@dataclass(frozen=True)
class WorksheetFiles:
    """What one run of the PDF job made, and how long each step took (seconds)."""

    snapshot: dict
    pdf_name: str
    json_name: str
    compute_seconds: float
    render_seconds: float
    store_seconds: float


def _worksheet_files_store(worksheet: Worksheet, started_at: dt.datetime) -> WorksheetFiles:
    """The version's snapshot, the names its PDF and JSON files were stored under, the timings."""
    from .pdf import worksheet_pdf_render

    clock = time.perf_counter()
    period = Period.from_dates(worksheet.period_start, worksheet.period_end)
    snapshot = selectors.worksheet_compute(period, notes=worksheet.notes)
    snapshot["version"] = worksheet.version
    snapshot["generated_at"] = timezone.localtime(started_at).isoformat(timespec="minutes")
    computed = time.perf_counter()
    pdf_bytes = worksheet_pdf_render(
        snapshot=snapshot, version=worksheet.version, generated_at=started_at
    )
    rendered = time.perf_counter()
    pdf_name, json_name = _files_save(worksheet, period, snapshot, pdf_bytes)
    return WorksheetFiles(
        snapshot=snapshot,
        pdf_name=pdf_name,
        json_name=json_name,
        compute_seconds=round(computed - clock, 3),
        render_seconds=round(rendered - computed, 3),
        store_seconds=round(time.perf_counter() - rendered, 3),
    )


def _files_save(
    worksheet: Worksheet, period: Period, snapshot: dict, pdf_bytes: bytes
) -> tuple[str, str]:
    pdf_name = worksheet.pdf.storage.save(
        worksheet.pdf.field.generate_filename(
            worksheet, f"worksheet-{period.slug.replace('..', '_')}-v{worksheet.version}.pdf"
        ),
        ContentFile(pdf_bytes),
    )
    json_name = worksheet.snapshot_file.storage.save(
        worksheet.snapshot_file.field.generate_filename(
            worksheet, f"worksheet-v{worksheet.version}.json"
        ),
        ContentFile(json.dumps(snapshot, indent=2, ensure_ascii=False).encode()),
    )
    return pdf_name, json_name


def worksheets_fail_stuck(*, now: dt.datetime | None = None) -> int:
    """Mark failed the jobs whose worker died (running too long) or that no worker picked up."""
    now = now or timezone.now()
    limit = now - _timeout()
    minutes = max(1, round(settings.WORKSHEET_JOB_TIMEOUT_SECONDS / 60))
    running = Worksheet.objects.filter(
        status=Worksheet.Status.RUNNING, started_at__lt=limit
    ).update(
        status=Worksheet.Status.FAILED,
        error=(
            f"The PDF job stopped responding (no result after {minutes} minutes;"
            " its worker probably stopped). Generate again."
        ),
    )
    queued = Worksheet.objects.filter(
        status=Worksheet.Status.QUEUED, requested_at__lt=limit
    ).update(
        status=Worksheet.Status.FAILED,
        error=(
            f"No worker picked up the PDF job within {minutes} minutes."
            " Check that the Celery worker is running, then generate again."
        ),
    )
    if running or queued:
        logger.warning("Marked %s stuck and %s unclaimed worksheet jobs as failed", running, queued)
    return running + queued


@transaction.atomic
def worksheet_note_set(*, worksheet: Worksheet, indicator: str, text: str, user: User) -> Worksheet:
    """Write one row's trend note (until the worksheet is frozen). Other rows' notes are kept."""
    if indicator not in ROW_INDICATORS:
        raise ValidationError({"indicator": "Unknown worksheet row."})
    text = (text or "").strip()
    if len(text) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {"note": f"Keep the note under {NOTE_MAX_LENGTH} characters (it has {len(text)})."}
        )
    locked = Worksheet.objects.select_for_update().get(pk=worksheet.pk)
    if locked.frozen:
        raise ValidationError("This worksheet is frozen: its notes can no longer change.")
    notes = dict(locked.notes or {})
    if text:
        notes[indicator] = text
    else:
        notes.pop(indicator, None)
    locked.notes = notes
    locked.save(update_fields=["notes"])
    audit_record(actor=user, action=Action.CHANGE, obj=locked, detail={"note": indicator})
    worksheet.notes = notes
    return locked


@transaction.atomic
def worksheet_freeze(*, worksheet: Worksheet, user: User) -> Worksheet:
    if worksheet.frozen:
        raise ValidationError("This worksheet is already frozen.")
    if worksheet.status != Worksheet.Status.READY:
        raise ValidationError("Only a ready worksheet can be frozen.")
    worksheet.frozen = True
    worksheet.save(update_fields=["frozen"])
    audit_record(actor=user, action=Action.CHANGE, obj=worksheet, detail={"frozen": True})
    return worksheet


def worksheet_file_open(*, worksheet: Worksheet, kind: str):
    """A stored version's PDF or snapshot JSON, opened for reading (the caller audits)."""
    field = {"pdf": worksheet.pdf, "json": worksheet.snapshot_file}[kind]
    if not field:
        raise FileNotFoundError("This version has no stored file yet.")
    return field.open("rb")


def worksheet_export(
    *, worksheet: Worksheet, user: User, kind: str, request=None, reason: str = ""
):
    """Open a stored version's PDF or snapshot JSON to download; each download is audited with
    the reason the reader gave."""
    handle = worksheet_file_open(worksheet=worksheet, kind=kind)
    audit_record(
        actor=user,
        action=Action.EXPORT,
        obj=worksheet,
        request=request,
        detail={"file": kind, "format": kind, "reason": reason},
    )
    return handle


# --- Enforcement inputs ---------------------------------------------------------------------------


@transaction.atomic
def unit_staffing_record(
    *, unit: Unit, recorded_on: dt.date, authorised: int, filled: int, user: User
) -> UnitStaffing:
    if filled > authorised:
        raise ValidationError({"filled": "Filled positions cannot exceed authorised positions."})
    if recorded_on > timezone.localdate():
        raise ValidationError({"recorded_on": "A staffing record cannot be dated in the future."})
    record = UnitStaffing(
        unit=unit, recorded_on=recorded_on, authorised=authorised, filled=filled, recorded_by=user
    )
    record.full_clean()
    record.save()
    audit_record(actor=user, action=Action.CREATE, obj=record)
    return record


@transaction.atomic
def plan_status_record(
    *, unit: Unit, recorded_on: dt.date, up_to_date: bool, notes: str = "", user: User
) -> EnforcementPlanStatus:
    if recorded_on > timezone.localdate():
        raise ValidationError({"recorded_on": "A plan status cannot be dated in the future."})
    record = EnforcementPlanStatus(
        unit=unit,
        recorded_on=recorded_on,
        up_to_date=up_to_date,
        notes=notes.strip(),
        recorded_by=user,
    )
    record.full_clean()
    record.save()
    audit_record(actor=user, action=Action.CREATE, obj=record)
    return record


# --- Performance review meetings ------------------------------------------------------------------


@transaction.atomic
def review_create(*, user: User, date: dt.date, period: Period) -> Meeting:
    """Schedule a performance review of ``period`` (a Meeting of kind performance review)."""
    meeting = Meeting(
        kind=Meeting.Kind.PERFORMANCE_REVIEW,
        date=date,
        period_start=period.start,
        period_end=period.end,
        facilitator=user,
        updated_by=user,
    )
    meeting.full_clean()
    meeting.save()
    audit_record(actor=user, action=Action.CREATE, obj=meeting, detail={"period": period.slug})
    return meeting


@transaction.atomic
def review_update(
    *,
    meeting: Meeting,
    user: User,
    expected_version: int,
    minutes: str,
    attending_organisations: list[Organisation],
    attendees: list[User],
) -> Meeting:
    """Save the running conversation (minutes) and attendance.

    Refuses a stale version or a closed meeting.
    """
    if meeting.is_closed:
        raise ValidationError("This performance review is closed and can no longer change.")
    meeting.minutes = (minutes or "").strip()
    if meeting.state == Meeting.State.DRAFT:
        meeting.state = Meeting.State.IN_PROGRESS
    # validate what this service changes (the meeting may come from elsewhere without a facilitator)
    meeting.clean_fields(
        exclude=[f.name for f in Meeting._meta.fields if f.name not in ("minutes", "state")]
    )
    meeting.clean()
    save_versioned(
        meeting, expected_version=expected_version, user=user, fields=["minutes", "state"]
    )
    meeting.attending_organisations.set(attending_organisations)
    meeting.attendees.set(attendees)
    audit_record(
        actor=user,
        action=Action.CHANGE,
        obj=meeting,
        detail={"minutes": True, "attendance": len(attendees)},
    )
    return meeting


@transaction.atomic
def commitment_create(
    *,
    meeting: Meeting,
    user: User,
    title: str,
    assigned_organisation: Organisation,
    due_date: dt.date | None,
) -> Task:
    """A next-step commitment: an organisation's task made at this review, carried to the next."""
    if meeting.kind != Meeting.Kind.PERFORMANCE_REVIEW:
        raise ValidationError("Commitments belong to performance reviews.")
    if meeting.is_closed:
        raise ValidationError(
            "This performance review is closed; make the commitment at the next one."
        )
    if due_date is None:
        raise ValidationError({"due_date": "Give the commitment a due date."})
    if due_date < meeting.date:
        raise ValidationError({"due_date": "The due date cannot be before the meeting."})
    return core_services.task_create(
        user=user,
        title=title,
        assigned_organisation=assigned_organisation,
        due_date=due_date,
        source_meeting=meeting,
    )


@transaction.atomic
def review_close(*, meeting: Meeting, user: User, expected_version: int) -> Meeting:
    """Close the review; the latest ready worksheet of its period is frozen with it."""
    core_services.meeting_close(meeting=meeting, user=user, expected_version=expected_version)
    if meeting.period_start and meeting.period_end:
        latest = (
            Worksheet.objects.filter(
                period_start=meeting.period_start,
                period_end=meeting.period_end,
                status=Worksheet.Status.READY,
                frozen=False,
            )
            .order_by("-version")
            .first()
        )
        if latest is not None:
            worksheet_freeze(worksheet=latest, user=user)
    return meeting


def worksheets_generate_upcoming(*, today: dt.date | None = None) -> list[Worksheet]:
    """Scheduled job: the worksheet of each performance review due within two days, once each."""
    today = today or timezone.localdate()
    made = []
    for meeting in selectors.meetings_due_for_worksheet(today):
        period = selectors.worksheet_period_for_meeting(meeting)
        since = timezone.make_aware(
            dt.datetime.combine(meeting.date - dt.timedelta(days=2), dt.time.min)
        )
        already = Worksheet.objects.filter(period_start=period.start, period_end=period.end).filter(
            Q(requested_at__gte=since) | Q(frozen=True)
        )
        if already.exists():
            continue
        try:
            made.append(worksheet_request(period=period, user=None))
        except (ValidationError, DatabaseError) as exc:
            logger.warning("Could not queue the worksheet for %s: %s", meeting, exc)
    return made
