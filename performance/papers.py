"""The performance review's papers, per audience (what ``ceasefire.core.papers`` renders).

The brief: the period's worksheet (the latest ready version, else figures computed now: they are
aggregates, the same for every reader) and the open commitments the reader may see. The memo:
the commitments made at the review and those still open, with owner and due date. Executives
read aggregates only: their tasks never name a person (``permissions.tasks_visible_to``).
"""

from __future__ import annotations

from ceasefire.core import permissions
from ceasefire.core.models import Meeting, MeetingPaper, User

from . import selectors
from .presentation import worksheet_display


def _rows(reader: User, tasks) -> list[dict]:
    tasks = permissions.with_subject_visibility(reader, tasks).select_related(
        "assigned_organisation", "assigned_user", "subject_person", "subject_group"
    )
    return [{"task": t, "subject": permissions.followup_subject_label(reader, t)} for t in tasks]


def _worksheet(meeting: Meeting) -> tuple[dict, int | None]:
    period = selectors.worksheet_period_for_meeting(meeting)
    ready = selectors.worksheet_ready(period)
    if ready is not None and ready.snapshot:
        return worksheet_display(ready.snapshot, notes=ready.notes), ready.version
    return worksheet_display(selectors.worksheet_live(period)), None


def build(meeting: Meeting, kind: str, reader: User) -> tuple[str, dict]:
    tasks = permissions.tasks_visible_to(reader)
    open_rows = _rows(reader, selectors.commitments_open(tasks).exclude(source_meeting=meeting))
    if kind == MeetingPaper.Kind.BRIEF:
        w, version = _worksheet(meeting)
        return "performance/papers/brief.html", {
            "w": w,
            "worksheet_version": version,
            "open_commitments": open_rows,
            "can_trace": False,
            "can_edit_notes": False,
            "for_pdf": True,
        }
    return "performance/papers/memo.html", {
        "made": _rows(reader, selectors.commitments_made_at(meeting, tasks)),
        "open_commitments": open_rows,
    }
