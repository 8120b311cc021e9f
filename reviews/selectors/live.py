"""What changed on an open review since a facilitator's page was drawn (two facilitators, one
review): a fingerprint per shooting and per section, which the page carries and the poll
compares. A fingerprint is a short digest of the versions, counts and latest times of what a
part of the page shows, so a change, an addition and a removal all change it, and the poll costs a
fixed handful of aggregate queries whatever the size of the review.
"""

from __future__ import annotations

import hashlib

from django.db.models import Count, Max, QuerySet

from ceasefire.core.models import Meeting, Task
from ceasefire.core.selectors import designations_pending, tasks_carried_forward

from ..models import (
    DesignationDecision,
    FollowUpChoice,
    ReviewIncident,
    ReviewSummary,
    RiskDecision,
)

SECTIONS = ("deliverables", "risk", "response")


def _digest(*parts) -> str:
    return hashlib.blake2s(repr(parts).encode(), digest_size=6).hexdigest()


def _stamp(qs: QuerySet, field: str) -> tuple:
    row = qs.order_by().aggregate(n=Count("pk"), last=Max(field))
    return row["n"], str(row["last"] or "")


def entry_fingerprints(meeting: Meeting) -> dict[int, str]:
    """Each agenda entry → a digest of its answers (entry and incident versions; the incident's
    groups bump its version) and the people-at-risk decisions taken on it."""
    decisions = {
        row["incident_id"]: (row["n"], str(row["last"] or ""))
        for row in RiskDecision.objects.filter(meeting=meeting)
        .order_by()
        .values("incident_id")
        .annotate(n=Count("pk"), last=Max("decided_at"))
    }
    return {
        pk: _digest(version, incident_version, decisions.get(incident_id))
        for pk, version, incident_id, incident_version in ReviewIncident.objects.filter(
            meeting=meeting
        ).values_list("pk", "version", "incident_id", "incident__version")
    }


def section_fingerprint(meeting: Meeting, section: str, *, tasks: QuerySet[Task]) -> str:
    """A digest of what one of the three sections other than the shootings shows."""
    if section == "deliverables":
        deliverables = tasks_carried_forward(Meeting.Kind.SHOOTING_REVIEW, meeting.date, tasks)
        return _digest(_stamp(deliverables, "updated_at"))
    if section == "risk":
        summary = ReviewSummary.objects.filter(meeting=meeting).values_list("version", flat=True)
        return _digest(
            _stamp(DesignationDecision.objects.filter(meeting=meeting), "decided_at"),
            _stamp(FollowUpChoice.objects.filter(meeting=meeting), "chosen_at"),
            _stamp(RiskDecision.objects.filter(meeting=meeting), "decided_at"),
            _stamp(designations_pending(), "id"),
            list(summary),
        )
    if section == "response":
        return _digest(_stamp(tasks.filter(source_meeting=meeting), "updated_at"))
    raise ValueError(f"No fingerprint is kept for the section {section!r}.")


def section_fingerprints(meeting: Meeting, *, tasks: QuerySet[Task]) -> dict[str, str]:
    """The three sections other than the shootings → a digest of what each shows."""
    return {section: section_fingerprint(meeting, section, tasks=tasks) for section in SECTIONS}
