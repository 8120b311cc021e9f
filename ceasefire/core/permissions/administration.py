"""The audit log and the user list (auditors and administrators)."""

from __future__ import annotations

from django.db.models import QuerySet

from ..models import (
    AuditEvent,
    User,
)
from .roles import has_capability

# --- Audit, users -----------------------------------------------------------------------


def audit_events_visible_to(user) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.all()
        if has_capability(user, "audit.view")
        else AuditEvent.objects.none()
    )


def users_visible_to(user) -> QuerySet[User]:
    return User.objects.all() if has_capability(user, "admin.manage") else User.objects.none()
