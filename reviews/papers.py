"""The shooting review's papers (police only): what ``ceasefire.core.papers`` renders.

The brief: the window's shootings, the prior deliverables still open and the designations due
for review. The memo: every task the review made, the people shared with coordination, the
designation decisions and the deliverables as they stood at closing — each with owner and due.
"""

from __future__ import annotations

from django.db.models import Prefetch

from ceasefire.core import permissions
from ceasefire.core.models import Involvement, Meeting, MeetingPaper, Task, User
from ceasefire.core.selectors import (
    designations_due_for_review,
    designations_pending,
    tasks_carried_forward,
)

from . import selectors
from .models import DesignationDecision, FollowUpChoice, ReviewIncident, ReviewSummary


def task_rows(reader: User, tasks) -> list[dict]:
    tasks = permissions.with_subject_visibility(reader, tasks).select_related(
        "assigned_organisation",
        "assigned_user",
        "subject_person",
        "subject_group",
        "subject_conflict__group_a",
        "subject_conflict__group_b",
    )
    return [{"task": t, "subject": permissions.followup_subject_label(reader, t)} for t in tasks]


def _shootings(review: Meeting, reader: User) -> list:
    victims = Involvement.objects.filter(role=Involvement.Role.VICTIM).select_related("person")
    incidents = permissions.incidents_visible_to(reader).filter(
        pk__in=selectors.incidents_in_review_window(review).values("pk")
    )
    on_agenda = set(
        ReviewIncident.objects.filter(meeting=review).values_list("incident_id", flat=True)
    )
    shootings = list(
        selectors.incidents_annotated(incidents)
        .prefetch_related(Prefetch("involvements", queryset=victims, to_attr="victims"))
        .order_by("occurred_at", "id")
    )
    for incident in shootings:
        incident.on_agenda = incident.pk in on_agenda
    return shootings


def build(meeting: Meeting, kind: str, reader: User) -> tuple[str, dict]:
    tasks = permissions.tasks_visible_to(reader)
    if kind == MeetingPaper.Kind.BRIEF:
        people = permissions.people_visible_to(reader)
        return "reviews/papers/brief.html", {
            "shootings": _shootings(meeting, reader),
            "deliverables": task_rows(
                reader, tasks_carried_forward(Meeting.Kind.SHOOTING_REVIEW, meeting.date, tasks)
            ),
            "due": list(designations_due_for_review(meeting.date).filter(person__in=people)),
            "pending": list(designations_pending().filter(person__in=people)),
        }
    summary = ReviewSummary.objects.filter(meeting=meeting).first()
    return "reviews/papers/memo.html", {
        "tasks": task_rows(reader, tasks.filter(source_meeting=meeting).order_by("due_date", "id")),
        "deliverables": summary.deliverables_at_close if summary else [],
        "shared": list(
            FollowUpChoice.objects.filter(meeting=meeting)
            .filter(person__in=permissions.people_visible_to(reader))
            .select_related("person")
            .order_by("person__last_name", "person__first_name")
        ),
        "decisions": list(
            DesignationDecision.objects.filter(meeting=meeting)
            .filter(person__in=permissions.people_visible_to(reader))
            .select_related("person", "designation")
            .order_by("person__last_name", "id")
        ),
        "open_statuses": Task.OPEN_STATUSES,
    }
