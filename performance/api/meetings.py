"""How API v1 writes a performance review (``PATCH meetings/{id}``): the review page's form
(``ReviewUpdateForm``: minutes, attending organisations, attendees) and its service
(``review_update``: a closed review refused, a stale version 409, the audit event)."""

from __future__ import annotations

from collections.abc import Mapping

from ceasefire.core.api import work
from ceasefire.core.api.base import page_form_data, versioned_body
from ceasefire.core.models import Meeting

from .. import forms, services


def performance_review_write(request, meeting: Meeting) -> None:
    """A field left out keeps its value (the page's form always sends all three)."""
    body = request.data if isinstance(request.data, Mapping) else {}
    current = {
        "minutes": meeting.minutes,
        "attending_organisations": list(
            meeting.attending_organisations.values_list("pk", flat=True)
        ),
        "attendees": list(meeting.attendees.values_list("pk", flat=True)),
    }
    data = page_form_data(
        request, forms.ReviewUpdateForm, data=versioned_body(request, body, current)
    )
    services.review_update(
        meeting=meeting,
        user=request.user,
        expected_version=data["version"],
        minutes=data["minutes"],
        attending_organisations=list(data["attending_organisations"]),
        attendees=list(data["attendees"]),
    )


work.MEETING_WRITERS[Meeting.Kind.PERFORMANCE_REVIEW] = performance_review_write
