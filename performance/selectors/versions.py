"""Worksheet versions, the version a page shows, and the performance reviews they are made for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from ceasefire.core.models import Meeting, Task, Worksheet
from ceasefire.core.selectors import tasks_open

from ..indicators import Period
from .worksheet import worksheet_compute

PENDING = (Worksheet.Status.QUEUED, Worksheet.Status.RUNNING)


def worksheets_for_period(period: Period) -> QuerySet[Worksheet]:
    return (
        Worksheet.objects.filter(period_start=period.start, period_end=period.end)
        .select_related("requested_by")
        .order_by("-version")
    )


def worksheet_ready(period: Period) -> Worksheet | None:
    """The period's latest ready version (None before the first PDF job finishes)."""
    return worksheets_for_period(period).filter(status=Worksheet.Status.READY).first()


def worksheet_version(period: Period, version: str) -> Worksheet:
    """Version ``version`` of the period's worksheet, with its snapshot.

    Raises ``Worksheet.DoesNotExist`` when there is no such version or it has no snapshot yet.
    """
    stored = (
        worksheets_for_period(period).filter(version=version).first() if version.isdigit() else None
    )
    if stored is None or not stored.snapshot:
        raise Worksheet.DoesNotExist("No such version of this worksheet.")
    return stored


def worksheet_live(period: Period) -> dict:
    """The period's figures computed now, with the trend notes of its latest version."""
    latest = worksheets_for_period(period).first()
    return worksheet_compute(period, notes=latest.notes if latest else {})


@dataclass(frozen=True)
class WorksheetVersions:
    """A period's versions (newest first, not yet evaluated) and the newest of them."""

    period: Period
    versions: QuerySet[Worksheet]
    latest: Worksheet | None

    @property
    def pending(self) -> bool:
        """A PDF job for the period is queued or running."""
        return self.latest is not None and self.latest.status in PENDING


def worksheet_versions(period: Period) -> WorksheetVersions:
    versions = worksheets_for_period(period)
    return WorksheetVersions(period=period, versions=versions, latest=versions.first())


@dataclass(frozen=True)
class WorksheetShown:
    """What a period's worksheet page shows: a stored version, or the figures computed now."""

    history: WorksheetVersions
    selected: Worksheet | None  # the version shown; None: live figures
    figures: dict  # the JSON contract: the version's snapshot, or the live figures
    notes: dict  # the trend notes shown: the shown version's, else the latest version's

    @property
    def note_worksheet(self) -> Worksheet | None:
        """The version whose notes are shown, and written while it is not frozen."""
        return self.selected or self.history.latest

    @property
    def notes_changed(self) -> bool:
        """The shown version's notes were edited after its snapshot (and PDF) were made."""
        if self.selected is None or not self.selected.snapshot:
            return False
        rows = self.selected.snapshot["outcomes"] + self.selected.snapshot["activities"]
        return any(row.get("note", "") != self.notes.get(row["indicator"], "") for row in rows)


def worksheet_for_display(period: Period, *, version: str = "") -> WorksheetShown:
    """Version ``version`` if asked for, else the latest ready version, else live figures.

    Live figures carry the latest version's notes. Raises ``Worksheet.DoesNotExist`` for a
    ``version`` that does not exist or has no snapshot.
    """
    history = worksheet_versions(period)
    if version:
        selected = worksheet_version(period, version)
    else:
        selected = worksheet_ready(period) if history.latest is not None else None
    note_worksheet = selected or history.latest
    notes = note_worksheet.notes if note_worksheet else {}
    if selected is not None and selected.snapshot:
        figures = selected.snapshot
    else:
        figures = worksheet_compute(period, notes=notes)
    return WorksheetShown(history=history, selected=selected, figures=figures, notes=notes)


def worksheet_latest_ready() -> Worksheet | None:
    return (
        Worksheet.objects.filter(status=Worksheet.Status.READY)
        .order_by("-period_end", "-period_start", "-version")
        .first()
    )


def period_current(today: dt.date | None = None) -> Period:
    """The latest complete two-month period before today's month (Feb–Mar in April)."""
    today = today or timezone.localdate()
    first_of_month = today.replace(day=1)
    last = first_of_month - dt.timedelta(days=1)
    if last.month == 1:
        return Period(last.year - 1, 11, 12)
    return Period(last.year, last.month - 1, last.month)


def worksheet_period_for_meeting(meeting: Meeting) -> Period:
    if meeting.period_start and meeting.period_end:
        try:
            return Period.from_dates(meeting.period_start, meeting.period_end)
        except ValueError:
            pass  # not 1–12 whole months within a year: fall back to the usual period
    return period_current(meeting.date)


def meetings_due_for_worksheet(today: dt.date, days_before: int = 2) -> QuerySet[Meeting]:
    """Performance reviews not yet closed, due within ``days_before`` days (today included)."""
    return Meeting.objects.filter(
        kind=Meeting.Kind.PERFORMANCE_REVIEW,
        date__gte=today,
        date__lte=today + dt.timedelta(days=days_before),
    ).exclude(state=Meeting.State.CLOSED)


def performance_reviews(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return (
        meetings.filter(kind=Meeting.Kind.PERFORMANCE_REVIEW)
        .select_related("facilitator")
        .order_by("-date", "-id")
    )


def commitments_open(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Open next-step commitments made at performance reviews."""
    return (
        tasks_open(tasks)
        .filter(source_meeting__kind=Meeting.Kind.PERFORMANCE_REVIEW)
        .select_related("assigned_organisation", "source_meeting")
        .order_by("due_date", "id")
    )


def commitments_made_at(meeting: Meeting, tasks: QuerySet[Task]) -> QuerySet[Task]:
    """The commitments made at ``meeting``, of ``tasks`` (those the user may see)."""
    return (
        tasks.filter(source_meeting=meeting)
        .select_related("assigned_organisation", "source_meeting")
        .order_by("due_date", "id")
    )
