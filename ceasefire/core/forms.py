"""Form helpers shared by the meeting apps."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError

from .concurrency import ConcurrentEditError
from .htmx import refusal_text


def apply_service_errors(form, exc: ValidationError | ConcurrentEditError) -> None:
    """Put a service's refusal on the form: field errors on their fields, the rest (and stale
    saves) on top."""
    if isinstance(exc, ConcurrentEditError):
        form.add_error(None, exc.message)
        return
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def form_saved(form, save: Callable[[dict], object]) -> bool:
    """Validate ``form`` and hand its cleaned data to ``save`` (a call of one service).

    False when the form is invalid or the service refuses; the refusal is then on the form.
    """
    if not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except (ValidationError, ConcurrentEditError) as exc:
        apply_service_errors(form, exc)
        return False
    return True


def form_refusal(form, save: Callable[[dict], object], *, invalid: str) -> str | None:
    """Save a small form (a status, a reason) through its service: None when it saved, else what
    to tell the user: ``invalid`` for a form that does not validate, or the service's refusal."""
    if not form.is_valid():
        return invalid
    try:
        save(form.cleaned_data)
    except (ValidationError, ConcurrentEditError) as exc:
        return refusal_text(exc)
    return None
