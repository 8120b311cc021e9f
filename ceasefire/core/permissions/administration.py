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


def may_change_account_flags(user, account) -> bool:
    """Roles are granted, not taken: an administrator changes other users' role, organisation and
    status, never their own."""
    return has_capability(user, "admin.manage") and account.pk != user.pk


def users_to_alert() -> QuerySet[User]:
    """Who hears about an integrity failure of the audit log: the active administrators."""
    from .roles import CAPABILITIES

    return User.objects.filter(is_active=True, role__in=CAPABILITIES["admin.manage"])
