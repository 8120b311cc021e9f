"""The audit service: every view of a person, every change, export and login."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from .models import AuditEvent

Action = AuditEvent.Action


def _client_ip(request) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def audit_record(
    *,
    actor,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    detail: dict[str, Any] | None = None,
    request=None,
) -> AuditEvent:
    """Append one audit event. ``obj`` fills type, id and label; or pass ``object_type`` and
    ``object_id``."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = obj.pk
        label = str(obj)[:300]
    else:
        label = ""
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        actor=actor if authenticated else None,
        actor_label=(actor.get_username() if authenticated else "anonymous")[:200],
        action=action,
        object_type=object_type,
        object_id=str(object_id or ""),
        object_label=label,
        detail=detail or {},
        ip_address=_client_ip(request),
    )


def audit_view(request, *, obj: Model | None = None, object_type: str = "", **detail) -> AuditEvent:
    """The one VIEW event of a page or fragment: who looked at what (``people=[...]`` shown)."""
    return audit_record(
        actor=request.user,
        action=Action.VIEW,
        obj=obj,
        object_type=object_type,
        detail=detail,
        request=request,
    )
