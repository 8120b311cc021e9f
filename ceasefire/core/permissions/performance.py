"""The worksheet, its trace lists and the performance review's commitments."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from ..models import (
    Meeting,
    Task,
    Worksheet,
)
from .roles import has_capability, require_capability
from .tasks import get_task_for_user

# --- performance (indicators, worksheet, performance reviews) ---


def get_worksheet_for_user(user, pk, *, write: bool = False):
    """A worksheet version: 404 if it does not exist, 403 without worksheet.view (or, to write,
    without the right to edit notes)."""
    require_capability(user, "worksheet.view")
    try:
        worksheet = Worksheet.objects.get(pk=pk)
    except (Worksheet.DoesNotExist, ValueError, TypeError):
        raise Http404("No such worksheet.") from None
    if write and not has_capability(user, "worksheet.edit_notes"):
        raise PermissionDenied
    return worksheet


def can_edit_worksheet_notes(user, worksheet) -> bool:
    """The director writes trend notes until the worksheet is frozen."""
    return (
        worksheet is not None
        and not worksheet.frozen
        and has_capability(user, "worksheet.edit_notes")
    )


def can_see_trace_records(user) -> bool:
    """A worksheet number lists the people and incidents behind it: police facilitators only."""
    return has_capability(user, "worksheet.trace_records")


def can_see_job_timings(user) -> bool:
    """How long a version's PDF job spent computing, rendering and storing: police facilitators."""
    return has_capability(user, "worksheet.job_timings")


def get_commitment_for_user(user, pk, *, write: bool = False) -> Task:
    """A next-step commitment (a task made at a performance review), as ``get_task_for_user``;
    403 for a task made anywhere else: it is not changed from a performance review."""
    task = get_task_for_user(user, pk, write=write)
    if task.source_meeting is None or task.source_meeting.kind != Meeting.Kind.PERFORMANCE_REVIEW:
        raise PermissionDenied
    return task
