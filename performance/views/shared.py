"""What the performance pages share: the period in a URL, a service call's flash message."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404

from ceasefire.core.concurrency import ConcurrentEditError
from ceasefire.core.htmx import refusal_text
from ceasefire.core.models import Meeting, Worksheet

from ..indicators import Period

REVIEW = Meeting.Kind.PERFORMANCE_REVIEW


def period_or_404(slug: str) -> Period:
    try:
        return Period.parse(slug)
    except ValueError:
        raise Http404("No such period.") from None


def period_of(worksheet: Worksheet) -> Period:
    return Period.from_dates(worksheet.period_start, worksheet.period_end)


def flash(request, action: Callable[[], object], success: str | Callable[[object], str]):
    """Run a service call: flash ``success`` (or ``success(result)``) or the refusal.

    Returns the service's result, or None when it refused.
    """
    try:
        result = action()
    except (ValidationError, ConcurrentEditError) as exc:
        messages.error(request, refusal_text(exc))
        return None
    messages.success(request, success(result) if callable(success) else success)
    return result
