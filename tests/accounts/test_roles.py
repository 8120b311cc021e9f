"""Roles are granted, not taken: nobody changes their own role, organisation or status; every role
or organisation change is audited with before and after; the admin site shows no person data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ceasefire.core.models import AuditEvent, Role, User
from tests import factories as f

pytestmark = pytest.mark.django_db


def _change_form(user, **changes) -> dict:
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "organisation": user.organisation_id,
        "role": user.role,
        "is_active": "on" if user.is_active else "",
        "is_staff": "on" if user.is_staff else "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "09:00:00",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v not in ("", None)}


def test_an_admin_cannot_make_itself_a_police_facilitator(client_for, users):
    admin = users["admin"]
    client = client_for("admin")
    response = client.post(
        reverse("admin:core_user_change", args=[admin.pk]),
        _change_form(
            admin, role=Role.POLICE_FACILITATOR, organisation=users["police_viewer"].organisation_id
        ),
    )
    assert response.status_code in (200, 302)
    admin.refresh_from_db()
    assert admin.role == Role.ADMIN
    assert not AuditEvent.objects.filter(action="role_change").exists()
    person = f.PersonFactory()
    assert client.get(f"/people/{person.pk}/").status_code == 404


def test_an_admin_cannot_deactivate_itself_either(client_for, users):
    admin = users["admin"]
    client_for("admin").post(
        reverse("admin:core_user_change", args=[admin.pk]), _change_form(admin, is_active="")
    )
    admin.refresh_from_db()
    assert admin.is_active


def test_granting_a_role_to_someone_else_is_audited_with_before_and_after(client_for, users):
    target = users["partner_staff"]
    organisation_before = target.organisation_id
    response = client_for("admin").post(
        reverse("admin:core_user_change", args=[target.pk]),
        _change_form(
            target, role=Role.POLICE_VIEWER, organisation=users["police_viewer"].organisation_id
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    target.refresh_from_db()
    assert target.role == Role.POLICE_VIEWER
    event = AuditEvent.objects.get(action="role_change")
    assert event.actor == users["admin"] and event.object_id == str(target.pk)
    assert event.detail["before"]["role"] == "partner_staff"
    assert event.detail["after"]["role"] == "police_viewer"
    assert event.detail["before"]["organisation_id"] == organisation_before
    assert AuditEvent.objects.filter(action="change", object_id=str(target.pk)).exists()


def test_creating_a_user_records_the_role_granted(client_for, users):
    client_for("admin").post(
        reverse("admin:core_user_add"),
        {
            "username": "newcomer",
            "password1": "a very long passphrase here",
            "password2": "a very long passphrase here",
            "organisation": users["auditor"].organisation_id,
            "role": Role.AUDITOR,
            "usable_password": "true",
        },
    )
    user = User.objects.get(username="newcomer")
    event = AuditEvent.objects.get(action="role_change", object_id=str(user.pk))
    assert event.detail["after"]["role"] == "auditor"


def test_the_admin_site_offers_no_person_intelligence_or_second_factor_secrets(client_for):
    index = client_for("admin").get("/admin/").content.decode()
    for absent in (
        "/admin/core/person/",
        "/admin/core/incident/",
        "/admin/otp_totp/",
        "/admin/otp_static/",
        "/admin/axes/",
    ):
        assert absent not in index
    assert client_for("admin").get("/admin/core/person/").status_code == 404
    assert client_for("admin").get("/admin/otp_totp/totpdevice/").status_code == 404
