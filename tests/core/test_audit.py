"""Audit events are written for logins and person views, and can never be changed."""

import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError

from ceasefire.core.audit import audit_record
from ceasefire.core.models import AuditEvent
from tests import factories as f
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_login_and_failed_login_are_audited(client, users):
    client.post("/accounts/login/", {"username": "partner_lead", "password": "wrong"})
    client.post("/accounts/login/", {"username": "partner_lead", "password": PASSWORD})
    actions = list(AuditEvent.objects.order_by("id").values_list("action", "actor_label"))
    assert actions == [("login_failed", "anonymous"), ("login", "partner_lead")]
    assert AuditEvent.objects.get(action="login_failed").detail == {"username": "partner_lead"}


def test_logout_is_audited(client_for):
    client_for("executive").post("/accounts/logout/")
    assert AuditEvent.objects.filter(action="logout", actor_label="executive").exists()


def test_viewing_a_person_is_audited(client_for):
    person = f.PersonFactory()
    client_for("police_viewer").get(f"/people/{person.pk}/")
    event = AuditEvent.objects.get(action="view")
    assert (event.object_type, event.object_id, event.actor_label) == (
        "core.person",
        str(person.pk),
        "police_viewer",
    )


def test_audit_events_cannot_be_changed_or_deleted(users):
    event = audit_record(
        actor=users["auditor"], action="export", object_type="core.worksheet", object_id=1
    )
    event.action = "view"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.update(action="view")


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)
def test_database_refuses_raw_updates_of_audit_events(users):
    audit_record(actor=users["auditor"], action="view", object_type="core.person", object_id=1)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'login'")
