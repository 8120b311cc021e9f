"""The coordination meeting's papers, per audience (what ``ceasefire.core.papers`` renders).

The brief: the risk picture (the people shared with the partnership whom the reader may see),
the open follow-ups grouped by organisation and the partnership-health items. The memo: every
follow-up the meeting made and every one still open, with owner and due date. Who a task is
about is named only when the page names them (``permissions.followup_subject_label``).
"""

from __future__ import annotations

from itertools import groupby

from ceasefire.core import permissions
from ceasefire.core.models import Meeting, MeetingPaper, User

from . import selectors


def _task_rows(reader: User, tasks) -> list[dict]:
    tasks = permissions.with_subject_visibility(reader, tasks).select_related(
        "assigned_organisation",
        "assigned_user",
        "subject_person",
        "subject_group",
        "subject_conflict__group_a",
        "subject_conflict__group_b",
    )
    return [{"task": t, "subject": permissions.followup_subject_label(reader, t)} for t in tasks]


def _by_organisation(rows: list[dict]) -> list[tuple[str, list[dict]]]:
    rows = sorted(rows, key=lambda r: (str(r["task"].assigned_organisation), r["task"].pk))
    return [
        (name, list(group))
        for name, group in groupby(rows, key=lambda r: str(r["task"].assigned_organisation))
    ]


def _risk_picture(meeting: Meeting, reader: User) -> tuple[bool, list]:
    people = permissions.people_visible_to(reader)
    if meeting.is_closed and selectors.agenda_frozen(meeting):
        return True, list(selectors.frozen_agenda(meeting, "risk_picture", people))
    shares = list(selectors.shares_on_agenda(meeting, people))
    for share in shares:
        share.recommended_labels = selectors.intervention_labels(share.recommended_interventions)
    return False, shares


def build(meeting: Meeting, kind: str, reader: User) -> tuple[str, dict]:
    tasks = permissions.coordination_tasks_visible_to(reader)
    carried = _task_rows(reader, selectors.followups_carried_forward(meeting, tasks))
    health = list(selectors.health_items_on_agenda(meeting))
    if kind == MeetingPaper.Kind.BRIEF:
        frozen, risk = _risk_picture(meeting, reader)
        return "coordination/papers/brief.html", {
            "frozen": frozen,
            "risk": risk,
            "followups_by_org": _by_organisation(carried),
            "followup_count": len(carried),
            "health_items": health,
        }
    made = _task_rows(reader, tasks.filter(source_meeting=meeting).order_by("due_date", "id"))
    return "coordination/papers/memo.html", {
        "made": made,
        "made_by_org": _by_organisation(made),
        "carried_by_org": _by_organisation(carried),
        "carried_count": len(carried),
        "health_items": health,
    }
