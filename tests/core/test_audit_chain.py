"""The audit log is a hash chain that ``audit_verify`` checks; PostgreSQL refuses changes; a failed
audit write fails the action; the person API, refusals and the admin site are audited."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from ceasefire.core import tasks
from ceasefire.core.audit import audit_record, verify_chain
from ceasefire.core.models import AuditEvent, Organisation
from ceasefire.core.models.audit import GENESIS_HASH
from tests import factories as f

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the triggers exist on PostgreSQL only"
)


def _three_events(users):
    return [
        audit_record(actor=users["auditor"], action="view", object_type="core.person", object_id=i)
        for i in (1, 2, 3)
    ]


def _raw(sql, params=()):
    """Tamper below the application: on PostgreSQL with the triggers off (as the owner could)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER USER")


def test_each_row_chains_to_the_one_before_and_the_chain_verifies(users):
    first, second, third = _three_events(users)
    assert (first.seq, first.prev_hash) == (1, GENESIS_HASH)
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    stored = AuditEvent.objects.get(pk=second.pk)
    assert stored.compute_hash() == stored.hash
    assert verify_chain() is None
    out = call_command("audit_verify")
    assert out is None


def test_a_changed_row_is_found(users):
    _first, second, _third = _three_events(users)
    _raw("UPDATE core_auditevent SET object_id = '99' WHERE id = %s", [second.pk])
    broken = verify_chain()
    assert broken.seq == 2 and "changed" in broken.problem
    with pytest.raises(CommandError, match="row 2"):
        call_command("audit_verify")


def test_a_removed_row_is_found(users):
    _first, second, _third = _three_events(users)
    _raw("DELETE FROM core_auditevent WHERE id = %s", [second.pk])
    broken = verify_chain()
    assert broken.seq == 2 and "missing" in broken.problem


def test_a_rewritten_chain_is_found_at_the_first_row_it_differs(users):
    first, _second, _third = _three_events(users)
    _raw("UPDATE core_auditevent SET hash = %s WHERE id = %s", ["f" * 64, first.pk])
    assert verify_chain().seq == 1


def test_the_nightly_check_e_mails_the_administrators_on_a_break(users):
    users["admin"].email = "admin@example.org"
    users["admin"].save()
    _first, second, _third = _three_events(users)
    assert tasks.verify_audit_log.delay().get() is True
    assert mail.outbox == []
    _raw("UPDATE core_auditevent SET action = 'login' WHERE id = %s", [second.pk])
    assert tasks.verify_audit_log.delay().get() is False
    assert mail.outbox[0].to == ["admin@example.org"]
    assert "row 2" in mail.outbox[0].body


@on_postgresql
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditevent SET action = 'login'",
        "DELETE FROM core_auditevent",
        "TRUNCATE core_auditevent",
    ],
)
def test_postgresql_refuses_raw_update_delete_and_truncate(users, sql):
    _three_events(users)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL ceasefire.audit_maintenance = 'off'")
        cursor.execute(sql)
    assert AuditEvent.objects.count() == 3


def test_a_failed_audit_write_fails_the_action(users, client_for, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise DatabaseError("the audit table is unavailable")

    monkeypatch.setattr(AuditEvent, "_append", refuse)
    person = f.PersonFactory()
    with pytest.raises(DatabaseError):
        client_for("police_viewer").get(f"/people/{person.pk}/")
    org = users["executive"].organisation
    with pytest.raises(DatabaseError):
        client_for("admin").post(
            f"/admin/core/organisation/{org.pk}/change/",
            {"name": "Renamed", "kind": org.kind, "email": "", "active": "on"},
        )
    assert Organisation.objects.get(pk=org.pk).name == org.name


def test_the_person_list_api_is_audited_with_the_people_on_the_page(client_for):
    people = f.PersonFactory.create_batch(3)
    client_for("police_viewer").get("/api/people/")
    event = AuditEvent.objects.get(action="view", object_type="core.person")
    assert sorted(event.detail["people"]) == sorted(p.pk for p in people)
    assert event.actor_role == "police_viewer" and event.ip_address == "127.0.0.1"


def test_a_refused_person_page_is_audited(client_for):
    person = f.PersonFactory()
    assert client_for("partner_staff").get(f"/people/{person.pk}/").status_code == 404
    event = AuditEvent.objects.get(action="refused")
    assert (event.object_type, event.object_id, event.outcome) == (
        "core:person-detail",
        str(person.pk),
        "refused",
    )
    assert event.detail["status"] == 404


def test_every_admin_write_is_audited(client_for, users):
    admin = client_for("admin")
    admin.post(
        "/admin/core/organisation/add/",
        {"name": "New partner", "kind": "community_based", "email": "", "active": "on"},
    )
    org = Organisation.objects.get(name="New partner")
    admin.post(
        f"/admin/core/organisation/{org.pk}/change/",
        {"name": "New partner renamed", "kind": "community_based", "email": "", "active": "on"},
    )
    admin.post(f"/admin/core/organisation/{org.pk}/delete/", {"post": "yes"})
    actions = list(
        AuditEvent.objects.filter(object_type="core.organisation")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions == ["create", "change", "delete"]


def test_rows_read_back_hash_as_written_with_addresses_and_details(users, rf):
    request = rf.get("/", REMOTE_ADDR="2001:0db8:0000:0000:0000:0000:0000:0001")
    audit_record(
        actor=users["executive"],
        action="view",
        object_type="core.person",
        object_id=7,
        detail={"people": [3, 1], "note": "ünïcode", "ratio": 0.1, "nested": {"b": 1, "a": None}},
        request=request,
    )
    audit_record(actor=None, action="login_failed", request=rf.get("/", REMOTE_ADDR="10.0.0.9"))
    stored = AuditEvent.objects.order_by("seq").first()
    assert stored.ip_address == "2001:db8::1"
    assert verify_chain() is None
