"""Form helpers shared by the meeting apps."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from .concurrency import ConcurrentEditError


def apply_service_errors(form, exc: ValidationError | ConcurrentEditError) -> None:
    """Put a service's refusal on the form: field errors on their fields, the rest (and stale saves) on top."""
    if isinstance(exc, ConcurrentEditError):
        form.add_error(None, exc.message)
        return
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
