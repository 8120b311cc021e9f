"""The second factor: after the password every URL kind leads to the second step until it is
passed; enrolment on first sign-in with recovery codes; an admin can reset a factor."""

from __future__ import annotations

import time

import pytest
import time_machine
from django.test import Client
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ceasefire.core.models import AuditEvent
from tests import factories as f
from tests.conftest import PASSWORD, current_totp, verified_device_for

pytestmark = [pytest.mark.django_db, pytest.mark.real_second_factor]


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)  # the password step only (real_second_factor)
    return client


@pytest.mark.parametrize(
    "path, headers, expect",
    [
        ("/", {}, "redirect"),
        ("/people/1/", {}, "redirect"),
        ("/reviews/", {"HX-Request": "true"}, "hx-redirect"),
        ("/api/people/", {}, "api"),
        ("/admin/", {}, "redirect"),
        ("/audit/", {}, "redirect"),
        ("/accounts/password/change/", {}, "redirect"),
    ],
)
def test_every_url_kind_leads_to_the_second_step(users, path, headers, expect):
    response = _signed_in(users["police_facilitator"]).get(path, headers=headers)
    if expect == "redirect":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/verify/?next=")
    elif expect == "hx-redirect":
        assert response.status_code == 200
        assert response["HX-Redirect"] == "/accounts/verify/"
        assert response.content == b""
    else:
        assert response.status_code == 403
        assert "Second factor required" in response.json()["detail"]


def test_a_post_is_refused_before_the_second_step(users):
    person = f.PersonFactory()
    response = _signed_in(users["police_facilitator"]).post(f"/people/{person.pk}/", {})
    assert response.status_code == 302 and response["Location"] == "/accounts/verify/"


def test_an_authorization_header_drops_the_unverified_session(users):
    """Token-authenticated API calls are the API's business: the session cookie is ignored."""
    client = _signed_in(users["police_facilitator"])
    response = client.get("/api/people/", headers={"Authorization": "Token nonsense"})
    assert response.status_code == 403
    assert "Second factor" not in response.json()["detail"]


def test_first_sign_in_enrols_with_a_qr_code_and_gives_recovery_codes(users):
    user = users["partner_lead"]
    client = Client()
    assert client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})[
        "Location"
    ].startswith("/")
    response = client.get("/accounts/verify/")
    assert response["Location"].startswith("/accounts/enrol/")
    page = client.get("/accounts/enrol/")
    assert b"<svg" in page.content and b"secret" in page.content
    assert not TOTPDevice.objects.filter(user=user).exists()  # nothing saved before confirming

    key = client.session["mfa_pending_key"]
    wrong = client.post("/accounts/enrol/", {"token": "000000"})
    assert b"does not match" in wrong.content
    done = client.post("/accounts/enrol/", {"token": current_totp(key)})
    assert done["Location"] == "/accounts/recovery-codes/"
    codes = client.get("/accounts/recovery-codes/")
    tokens = StaticDevice.objects.get(user=user).token_set.values_list("token", flat=True)
    assert len(tokens) == 10 and all(t.encode() in codes.content for t in tokens)
    assert client.get("/").status_code == 200
    actions = list(AuditEvent.objects.filter(actor=user).values_list("action", flat=True))
    assert "mfa_enrol" in actions and "mfa_failed" in actions


def test_the_second_step_accepts_a_code_once_and_a_recovery_code_once(users):
    user = users["executive"]
    verified_device_for(user)
    static = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    static.token_set.create(token="abcd2345ef")

    client = _signed_in(user)
    bad = client.post("/accounts/verify/", {"token": "123456"})
    assert b"not right" in bad.content and client.get("/").status_code == 302
    with time_machine.travel(time.time() + 60, tick=False):
        ok = client.post("/accounts/verify/", {"token": current_totp(), "next": "/performance/"})
    assert ok["Location"] == "/performance/"
    assert client.get("/").status_code == 200

    with time_machine.travel(time.time() + 120, tick=False):  # past django-otp's throttle delay
        second = _signed_in(user)
        assert second.post("/accounts/verify/", {"token": "abcd2345ef"})["Location"] == "/"
        third = _signed_in(user)
        assert b"not right" in third.post("/accounts/verify/", {"token": "abcd2345ef"}).content
    assert AuditEvent.objects.filter(action="mfa_verify", actor=user).count() == 2
    assert AuditEvent.objects.filter(action="mfa_failed", actor=user).count() == 2


def test_the_verify_page_does_not_follow_a_foreign_next(users):
    user = users["executive"]
    verified_device_for(user)
    client = _signed_in(user)
    response = client.post(
        "/accounts/verify/", {"token": current_totp(), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_an_admin_resets_a_factor_which_ends_the_users_sessions(users):
    target = users["partner_staff"]
    verified_device_for(target)
    victim_session = Client()
    victim_session.force_login(target)
    victim_session.post("/accounts/verify/", {"token": current_totp()})
    assert victim_session.get("/").status_code == 200

    admin = Client()
    admin.force_login(users["admin"])
    verified_device_for(users["admin"])
    with time_machine.travel(time.time() + 60, tick=False):
        admin.post("/accounts/verify/", {"token": current_totp()})
    response = admin.post(
        "/admin/core/user/",
        {"action": "reset_second_factor", "_selected_action": [target.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=target).exists()
    assert victim_session.get("/")["Location"].startswith("/accounts/login/")
    event = AuditEvent.objects.get(action="mfa_reset")
    assert (event.actor, event.object_id) == (users["admin"], str(target.pk))


def test_every_url_of_the_project_waits_for_the_second_step(users):
    """Every pattern (ids filled with 1), plain GET, POST and htmx: only the sign-in pages open."""
    import re

    from ceasefire.core.middleware import SECOND_FACTOR_OPEN
    from tests.access import url_patterns

    client = _signed_in(users["police_facilitator"])
    checked = 0
    for pattern in url_patterns():
        if pattern.name in SECOND_FACTOR_OPEN or "(?P" in pattern.route or "^" in pattern.route:
            continue
        path = re.sub(r"<(?:\w+:)?\w+>", "1", pattern.route)
        for method, headers in (("get", {}), ("post", {}), ("get", {"HX-Request": "true"})):
            response = getattr(client, method)(path, headers=headers)
            if "/api/" in path:
                assert response.status_code == 403, path
            elif headers:
                assert response["HX-Redirect"] == "/accounts/verify/", path
            else:
                assert response.status_code == 302, (method, path)
                assert response["Location"].startswith("/accounts/verify/"), (method, path)
            checked += 1
    assert checked > 200
