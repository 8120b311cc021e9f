"""Meetings of the three kinds, and the shooting review's own rules."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from ..models import (
    Meeting,
    Role,
)
from .people import can_view_intelligence
from .roles import _active, has_capability, require_capability

# --- Meetings ------------------------------------------------------------------------------

_MEETING_VIEW = {
    Meeting.Kind.SHOOTING_REVIEW: "shooting_reviews.view",
    Meeting.Kind.COORDINATION: "coordination.view",
    Meeting.Kind.PERFORMANCE_REVIEW: "performance.view",
}
_MEETING_EDIT = {
    Meeting.Kind.SHOOTING_REVIEW: "shooting_reviews.edit",
    Meeting.Kind.COORDINATION: "coordination.edit",
    Meeting.Kind.PERFORMANCE_REVIEW: "performance.edit",
}


def meetings_visible_to(user, kind: str | None = None) -> QuerySet[Meeting]:
    meetings = Meeting.objects.all()
    if kind:
        meetings = meetings.filter(kind=kind)
    if not _active(user):
        return meetings.none()
    kinds = [k for k, cap in _MEETING_VIEW.items() if has_capability(user, cap)]
    meetings = meetings.filter(kind__in=kinds)
    if user.role == Role.COMMUNITY_PARTNER:
        # community partners see the coordination agendas they attend
        meetings = meetings.filter(
            Q(attendees=user) | Q(attending_organisations=user.organisation_id)
        ).distinct()
    return meetings


def can_edit_meeting(user, meeting: Meeting) -> bool:
    return has_capability(user, _MEETING_EDIT[meeting.kind]) and not meeting.is_closed


def get_meeting_for_user(user, pk, *, kind: str | None = None, write: bool = False) -> Meeting:
    if kind is not None:
        require_capability(user, _MEETING_VIEW[kind])
    try:
        meeting = meetings_visible_to(user, kind).get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404("No such meeting.") from None
    if write and not has_capability(user, _MEETING_EDIT[meeting.kind]):
        raise PermissionDenied
    return meeting


# --- reviews (shooting log, shooting reviews) ---


def can_view_narrative(user) -> bool:
    """Incident narratives are intelligence: police only (no incident is tied to one supervisee)."""
    return has_capability(user, "incidents.view") and can_view_intelligence(user)


def can_search_people(user) -> bool:
    """The person search-or-create field on incidents and reviews (it lists every person)."""
    return has_capability(user, "people.edit")


def get_review_for_user(user, pk, *, write: bool = False) -> Meeting:
    """A shooting review: 404 if not visible, 403 for a write by a viewer or on a closed review."""
    review = get_meeting_for_user(user, pk, kind=Meeting.Kind.SHOOTING_REVIEW, write=write)
    if write and not can_edit_meeting(user, review):
        raise PermissionDenied("This review is closed; its minutes are read-only.")
    return review
