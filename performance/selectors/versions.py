"""Worksheet versions, and the performance reviews they are made for."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from ceasefire.core.models import Meeting, Task, Worksheet
from ceasefire.core.selectors import tasks_open

from ..indicators import Period


def worksheets_for_period(period: Period) -> QuerySet[Worksheet]:
    return (
        Worksheet.objects.filter(period_start=period.start, period_end=period.end)
        .select_related("requested_by")
        .order_by("-version")
    )


def worksheet_latest_ready() -> Worksheet | None:
    return (
        Worksheet.objects.filter(status=Worksheet.Status.READY)
        .order_by("-period_end", "-period_start", "-version")
        .first()
    )


def period_current(today: dt.date | None = None) -> Period:
    """The latest complete two-month period before today's month (e.g. Feb–Mar when today is in April)."""
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
            pass  # not a two-month (or 1–12 month) span within a year: fall back to the usual period
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
