"""The audit log: append-only and hash-chained.

The queryset and the model refuse changes in the application (SQLite included); on PostgreSQL
triggers refuse UPDATE, DELETE and TRUNCATE, and the deployment's application role is granted only
SELECT and INSERT on the table it does not own. Each row stores ``seq`` (1, 2, 3… with no gaps:
writers are serialised) and a SHA-256 over its content and the previous row's hash, so a changed,
removed or inserted row breaks the chain (``manage.py audit_verify``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from django.conf import settings
from django.db import connection, models, transaction
from django.utils import timezone

from ceasefire.core.dataversion import WRITERS_LOCK

GENESIS_HASH = "0" * 64
# pg_advisory_xact_lock key of the audit writers, the same the data-version bumps take (one lock,
# so no two writers can take two locks in opposite orders)
ADVISORY_LOCK_KEY = WRITERS_LOCK


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit events are append-only.")

    def delete(self):
        raise PermissionError("Audit events are append-only.")


class AuditEvent(models.Model):
    """Who (and in which role, from which address) did what to which object, when, and whether it
    was allowed."""

    class Action(models.TextChoices):
        VIEW = "view", "View"
        CREATE = "create", "Create"
        CHANGE = "change", "Change"
        DELETE = "delete", "Delete"
        EXPORT = "export", "Export"
        LOGIN = "login", "Login"
        LOGIN_FAILED = "login_failed", "Failed login"
        LOGOUT = "logout", "Logout"
        LOCKOUT = "lockout", "Account locked"
        UNLOCK = "unlock", "Account unlocked"
        MFA_ENROL = "mfa_enrol", "Second factor enrolled"
        MFA_VERIFY = "mfa_verify", "Second factor passed"
        MFA_FAILED = "mfa_failed", "Second factor failed"
        MFA_RESET = "mfa_reset", "Second factor reset"
        PASSWORD_CHANGE = "password_change", "Password changed"
        PASSWORD_RESET_REQUEST = "password_reset_request", "Password reset requested"
        PASSWORD_RESET = "password_reset", "Password reset"
        SESSION_EXPIRED = "session_expired", "Session expired"
        ROLE_CHANGE = "role_change", "Role or organisation changed"
        DISABLE = "disable", "Account disabled"
        REFUSED = "refused", "Access refused"

    class Outcome(models.TextChoices):
        SUCCESS = "success", "Success"
        FAILURE = "failure", "Failure"
        REFUSED = "refused", "Refused"

    seq = models.PositiveBigIntegerField(unique=True, editable=False)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    # No database constraint and no cascade: a row is never rewritten, not even when its user is
    # deleted (the label keeps the name).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(max_length=200, blank=True)
    actor_role = models.CharField(max_length=32, blank=True)
    action = models.CharField(max_length=32, choices=Action.choices)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.SUCCESS)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id"]),
            models.Index(fields=["actor", "at"]),
        ]

    def __str__(self) -> str:
        when = f"{self.at:%Y-%m-%d %H:%M}"
        return f"{when} {self.actor_label} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs):
        """Appends the row to the chain (whoever calls it: ``audit_record`` or a direct create)."""
        if not self._state.adding:
            raise PermissionError("Audit events are append-only.")
        if connection.in_atomic_block:
            self._append(*args, **kwargs)
        else:
            with transaction.atomic():
                self._append(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit events are append-only.")

    def _append(self, *args, **kwargs) -> None:
        """Serialised writers: a transaction-level advisory lock on PostgreSQL (SQLite has one
        writer at a time); ``seq`` is unique either way, so the chain cannot fork."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK_KEY])
        last = AuditEvent.objects.order_by("-seq").values_list("seq", "hash").first()
        self.seq, self.prev_hash = (last[0] + 1, last[1]) if last else (1, GENESIS_HASH)
        self.hash = self.compute_hash()
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def content(self) -> dict:
        """What the hash covers: every column but the id and the hash itself."""
        return {
            "seq": self.seq,
            "at": self.at.astimezone(dt.UTC).isoformat(),
            "actor": self.actor_id,
            "actor_label": self.actor_label,
            "actor_role": self.actor_role,
            "action": self.action,
            "outcome": self.outcome,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_label": self.object_label,
            "detail": self.detail,
            "ip_address": self.ip_address,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        canonical = json.dumps(self.content(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()
