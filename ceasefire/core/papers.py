"""Meeting papers: the pre-meeting brief and the follow-up memo, as frozen PDFs per audience.

Each meeting app renders its own papers (``settings.MEETING_PAPER_BUILDERS`` names, per meeting
kind, a ``build(meeting, kind, reader) -> (template, context)`` function: core imports no
meeting app). The job runs as the worksheet PDF's does: queued → running → ready, or failed
with a readable error; a transient error goes back to queued for Celery's retry, and
``papers_fail_stuck`` marks a job whose worker died as failed. A ready paper never changes
(its SHA-256 is stored); preparing it again makes a new version. Closing a meeting queues its
follow-up memo for every audience that may read the meeting (``papers_queue_memos``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import tempfile
import zipfile

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string

from . import permissions
from .audit import Action, audit_record
from .models import Meeting, MeetingPaper, User
from .pdf import pdf_from_html

logger = logging.getLogger(__name__)

TRANSIENT_ERRORS = (OSError, OperationalError, InterfaceError)


class TransientPaperError(Exception):
    """A paper job failed for a reason worth retrying (storage or database hiccup)."""


def _builder(meeting: Meeting):
    return import_string(settings.MEETING_PAPER_BUILDERS[meeting.kind])


def _timeout() -> dt.timedelta:
    return dt.timedelta(seconds=settings.WORKSHEET_JOB_TIMEOUT_SECONDS)


# --- Asking for a paper ---------------------------------------------------------------------------


def _queue(*, meeting: Meeting, kind: str, audience: str, user: User | None) -> MeetingPaper:
    """A new queued version (or the one already queued or running), dispatched after commit."""
    from .tasks import generate_meeting_paper

    latest = (
        MeetingPaper.objects.select_for_update()
        .filter(meeting=meeting, kind=kind, audience=audience)
        .order_by("-version")
        .first()
    )
    if latest is not None and latest.pending:
        return latest
    paper = MeetingPaper(
        meeting=meeting,
        kind=kind,
        audience=audience,
        audience_label=permissions.paper_audience_label(audience)[:200],
        version=latest.version + 1 if latest else 1,
        created_by=user,
        requested_at=timezone.now(),
    )
    paper.full_clean()
    try:
        with transaction.atomic():
            paper.save()
    except IntegrityError:
        raise ValidationError(
            "Someone asked for this paper a moment ago — reload the page."
        ) from None
    audit_record(
        actor=user,
        action=Action.CREATE,
        obj=paper,
        detail={
            "meeting": meeting.pk,
            "kind": kind,
            "audience": audience,
            "version": paper.version,
        },
    )
    paper_id = paper.pk
    transaction.on_commit(lambda: generate_meeting_paper.delay(paper_id))
    return paper


@transaction.atomic
def paper_request(*, meeting: Meeting, kind: str, user: User) -> MeetingPaper:
    """Prepare the user's audience's brief (before closing) or memo (after): a new version."""
    if kind not in MeetingPaper.Kind.values:
        raise ValidationError("Choose a brief or a memo.")
    if not permissions.can_prepare_paper(user, meeting, kind):
        if kind == MeetingPaper.Kind.BRIEF and meeting.is_closed:
            raise ValidationError("The meeting is closed: its follow-up memo replaces the brief.")
        if kind == MeetingPaper.Kind.MEMO and not meeting.is_closed:
            raise ValidationError("The follow-up memo is made when the meeting closes.")
        raise PermissionDenied
    audience = permissions.paper_audience(user)
    return _queue(meeting=meeting, kind=kind, audience=audience, user=user)


def papers_queue_memos(*, meeting: Meeting, user: User | None) -> list[MeetingPaper]:
    """Called by each meeting's close service: every audience's follow-up memo, after commit."""
    if not settings.MEETING_PAPERS_MEMO_ON_CLOSE:
        return []
    return [
        _queue(meeting=meeting, kind=MeetingPaper.Kind.MEMO, audience=audience, user=user)
        for audience in permissions.memo_audiences(meeting)
    ]


# --- The job ----------------------------------------------------------------------------------


def _claim(paper_id: int) -> dt.datetime | None:
    now = timezone.now()
    claimable = Q(status=MeetingPaper.Status.QUEUED) | Q(
        status=MeetingPaper.Status.RUNNING, started_at__lt=now - _timeout()
    )
    claimed = (
        MeetingPaper.objects.filter(pk=paper_id)
        .filter(claimable)
        .update(
            status=MeetingPaper.Status.RUNNING,
            started_at=now,
            attempts=F("attempts") + 1,
            error="",
        )
    )
    return now if claimed else None


def _release(paper_id: int, started_at: dt.datetime, *, status: str, error: str) -> bool:
    return bool(
        MeetingPaper.objects.filter(
            pk=paper_id, status=MeetingPaper.Status.RUNNING, started_at=started_at
        ).update(status=status, error=error[:2000])
    )


def css_string(text: str) -> str:
    """Text safe inside a CSS string in a <style> element: anything but plain characters is a
    CSS escape (so no quote, backslash or "</style>" can end it)."""
    plain = set(" .,:;()'·—–-/+#")
    return "".join(c if c.isalnum() or c in plain else f"\\{ord(c):x} " for c in text)


def paper_html(paper: MeetingPaper, *, generated_at: dt.datetime) -> str:
    """The paper's HTML: the meeting app's template and context, for the audience's reader."""
    meeting = paper.meeting
    reader = permissions.paper_reader(paper.audience)
    template, context = _builder(meeting)(meeting, paper.kind, reader)
    local = timezone.localtime(generated_at)
    footer = (
        f"{paper.get_kind_display()} · {meeting} · v{paper.version} · for {paper.audience_label}"
        f" · generated {local:%d %b %Y %H:%M}"
    )
    return render_to_string(
        template,
        {
            **context,
            "meeting": meeting,
            "paper": paper,
            "audience_label": paper.audience_label,
            "generated_at": local,
            "footer": footer,
            "footer_css": css_string(footer),
        },
    )


def paper_pdf(paper: MeetingPaper, *, generated_at: dt.datetime) -> bytes:
    return pdf_from_html(paper_html(paper, generated_at=generated_at))


def paper_build(*, paper_id: int, final_attempt: bool = True) -> MeetingPaper | None:
    """Render and store one paper. None when there was nothing to do (ready, failed, or running
    elsewhere); raises TransientPaperError when Celery should retry."""
    started_at = _claim(paper_id)
    if started_at is None:
        return None
    paper = MeetingPaper.objects.select_related("meeting").get(pk=paper_id)
    try:
        pdf = paper_pdf(paper, generated_at=started_at)
        name = paper.file.storage.save(
            paper.file.field.generate_filename(paper, paper.filename), ContentFile(pdf)
        )
    except TRANSIENT_ERRORS as exc:
        logger.warning("Paper %s: transient error %s", paper_id, exc)
        if final_attempt:
            error = f"The paper could not be made after several attempts: {exc}"
            _release(paper_id, started_at, status=MeetingPaper.Status.FAILED, error=error)
            return None
        error = f"Attempt failed ({exc}); retrying shortly."
        _release(paper_id, started_at, status=MeetingPaper.Status.QUEUED, error=error)
        raise TransientPaperError(str(exc)) from exc
    except Exception as exc:  # a bug or bad data: fail with a readable error, never stay running
        logger.exception("Paper %s: job failed", paper_id)
        error = f"The paper could not be made: {exc}"
        _release(paper_id, started_at, status=MeetingPaper.Status.FAILED, error=error)
        return None
    done = MeetingPaper.objects.filter(
        pk=paper_id, status=MeetingPaper.Status.RUNNING, started_at=started_at
    ).update(
        status=MeetingPaper.Status.READY,
        file=name,
        sha256=hashlib.sha256(pdf).hexdigest(),
        size=len(pdf),
        generated_at=started_at,
        error="",
    )
    if not done:  # the reaper marked this run failed meanwhile: keep its verdict, drop the file
        paper.file.storage.delete(name)
        return None
    paper.refresh_from_db()
    return paper


def papers_fail_stuck(*, now: dt.datetime | None = None) -> int:
    """Mark failed the jobs whose worker died (running too long) or that no worker picked up."""
    limit = (now or timezone.now()) - _timeout()
    running = MeetingPaper.objects.filter(
        status=MeetingPaper.Status.RUNNING, started_at__lt=limit
    ).update(
        status=MeetingPaper.Status.FAILED,
        error="The paper job stopped responding (its worker probably stopped). Prepare it again.",
    )
    queued = MeetingPaper.objects.filter(
        status=MeetingPaper.Status.QUEUED, requested_at__lt=limit
    ).update(
        status=MeetingPaper.Status.FAILED,
        error="No worker picked up the paper job. Check the Celery worker, then prepare it again.",
    )
    return running + queued


# --- Reading ------------------------------------------------------------------------------------


def paper_open(paper: MeetingPaper):
    """A ready paper's stored PDF, opened for reading (the caller audits the download)."""
    if paper.status != MeetingPaper.Status.READY or not paper.file:
        raise FileNotFoundError("This paper is not ready yet.")
    return paper.file.open("rb")


def papers_latest_ready(papers) -> list[MeetingPaper]:
    """The newest ready version of each kind (brief, memo) among ``papers``."""
    latest: dict[str, MeetingPaper] = {}
    for paper in papers.filter(status=MeetingPaper.Status.READY).order_by("kind", "-version"):
        latest.setdefault(paper.kind, paper)
    return list(latest.values())


def papers_zip(papers: list[MeetingPaper]):
    """Every ready version of the meeting's papers, with a manifest of their SHA-256 sums."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
    manifest = []
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for paper in papers:
            with paper_open(paper) as stored:
                archive.writestr(paper.filename, stored.read())
            manifest.append(
                {
                    "file": paper.filename,
                    "kind": paper.kind,
                    "version": paper.version,
                    "audience": paper.audience_label,
                    "generated_at": paper.generated_at.isoformat() if paper.generated_at else "",
                    "sha256": paper.sha256,
                }
            )
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    handle.seek(0)
    return handle
