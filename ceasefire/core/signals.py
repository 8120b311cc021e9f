"""Audit events for what other libraries decide: django-axes locking an account, and every sign-in
starting the session clocks (``middleware.SessionLimitsMiddleware``); after ``migrate`` on SQLite,
the data-version triggers a table rebuild dropped are put back (``dataversion``)."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from .audit import Action, Outcome, audit_record
from .middleware import mark_signed_in


@receiver(user_locked_out, dispatch_uid="ceasefire-audit-lockout")
def audit_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    user = get_user_model().objects.filter(username=username).first() if username else None
    audit_record(
        actor=None,
        action=Action.LOCKOUT,
        object_type="core.user",
        object_id=user.pk if user else "",
        detail={"username": (username or "")[:150], "ip_address": ip_address},
        outcome=Outcome.REFUSED,
        request=request,
    )


@receiver(user_logged_in, dispatch_uid="ceasefire-session-clocks")
def start_session_clocks(sender, request=None, user=None, **kwargs):
    if request is not None and hasattr(request, "session"):
        mark_signed_in(request.session)


RECORDS_MIGRATION = "0027_record_version"  # installs the RECORDS scope's triggers
TABLES_MIGRATION = "0028_table_version"  # installs the per-table version triggers


@receiver(post_migrate, dispatch_uid="ceasefire-data-version-triggers")
def data_version_triggers(sender, using="default", **kwargs):
    """SQLite alters a table by copying it, dropping its triggers: put back the missing ones."""
    from . import dataversion
    from .models import DATA_VERSION_TABLES, RECORD_VERSION_TABLES

    connection = connections[using]
    if sender.label != "core" or connection.vendor != "sqlite":
        return
    existing = set(connection.introspection.table_names())
    if "core_dataversion" not in existing:
        return  # migrated back before 0020
    with connection.cursor() as cursor:
        dataversion.install(
            cursor.execute,
            "sqlite",
            [t for t in DATA_VERSION_TABLES if t in existing],
            if_missing=True,
        )
        applied = MigrationRecorder(connection).applied_migrations()
        records = [t for t in RECORD_VERSION_TABLES if t in existing]
        if ("core", RECORDS_MIGRATION) in applied:
            dataversion.install(
                cursor.execute, "sqlite", records, if_missing=True, scope=dataversion.RECORDS
            )
        if ("core", TABLES_MIGRATION) in applied:
            dataversion.install_table_versions(cursor.execute, "sqlite", records, if_missing=True)
