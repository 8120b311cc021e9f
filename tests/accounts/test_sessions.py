"""Sessions: 30 minutes idle and 12 hours in all; a new key at sign-in; sign-out, deactivation and
a password change end every session of the user; unused accounts are disabled after 90 days."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from ceasefire.core import tasks
from ceasefire.core.models import AuditEvent, User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_session_idle_for_thirty_minutes_is_signed_out(users):
    with time_machine.travel(NOW, tick=False) as clock:
        client = _client(users["partner_lead"])
        assert client.get("/").status_code == 200
        clock.shift(dt.timedelta(minutes=29))
        assert client.get("/").status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = client.get("/coordination/")
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
        assert client.get("/").status_code == 302  # and stays signed out
    event = AuditEvent.objects.get(action="session_expired")
    assert event.detail == {"limit": "idle"} and event.actor == users["partner_lead"]


def test_an_htmx_request_after_the_limit_moves_the_whole_page_to_sign_in(users):
    with time_machine.travel(NOW, tick=False) as clock:
        client = _client(users["partner_lead"])
        clock.shift(dt.timedelta(minutes=31))
        response = client.get("/", headers={"HX-Request": "true"})
        assert response["HX-Redirect"].startswith("/accounts/login/")


def test_an_active_session_still_ends_twelve_hours_after_sign_in(users):
    with time_machine.travel(NOW, tick=False) as clock:
        client = _client(users["partner_lead"])
        for _ in range(35):  # a request every 20 minutes: never idle
            clock.shift(dt.timedelta(minutes=20))
            assert client.get("/").status_code == 200
        clock.shift(dt.timedelta(minutes=21))  # 11 h 40 min + 21 min: past twelve hours
        assert client.get("/").status_code == 302
    assert AuditEvent.objects.get(action="session_expired").detail == {"limit": "absolute"}


def test_signing_in_gives_a_new_session_key(users):
    client = Client()
    session = client.session
    session["before"] = True
    session.save()
    before = session.session_key
    client.cookies["sessionid"] = before
    client.post("/accounts/login/", {"username": "executive", "password": PASSWORD})
    assert client.cookies["sessionid"].value != before


def test_signing_out_ends_every_session_of_the_user(users):
    laptop, phone = _client(users["executive"]), _client(users["executive"])
    other = _client(users["auditor"])
    laptop.post("/accounts/logout/")
    assert phone.get("/").status_code == 302
    assert other.get("/").status_code == 200


def test_deactivating_a_user_ends_their_sessions(users, client_for):
    target = users["partner_staff"]
    session = _client(target)
    target.is_active = False
    target.save(update_fields=["is_active"])
    assert session.get("/").status_code == 302


def test_changing_the_password_ends_the_other_sessions_and_is_audited(users):
    user = users["partner_staff"]
    here, elsewhere = _client(user), _client(user)
    response = here.post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "a long and quiet river at dawn",
            "new_password2": "a long and quiet river at dawn",
        },
    )
    assert response.status_code == 302
    assert here.get("/").status_code == 200
    assert elsewhere.get("/").status_code == 302
    assert AuditEvent.objects.filter(action="password_change", actor=user).exists()


@pytest.mark.parametrize(
    "password, message",
    [
        ("short pass", "too short"),
        ("x" * 129, "too long"),
        ("password1234", "too common"),
    ],
)
def test_password_rules_refuse_short_long_and_common_passwords(users, password, message):
    response = _client(users["partner_staff"]).post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
    )
    assert response.status_code == 200
    assert message in response.content.decode()


def test_no_composition_rule_refuses_a_long_all_digit_or_all_lowercase_password(users):
    for password in ["8264019375120946", "meadowlarks sing over the water"]:
        response = _client(users["partner_staff"]).post(
            "/accounts/password/change/",
            {"old_password": PASSWORD, "new_password1": password, "new_password2": password},
        )
        assert response.status_code == 302, password
        users["partner_staff"].set_password(PASSWORD)
        users["partner_staff"].save()


def test_a_breached_list_file_is_refused(users, settings, tmp_path):
    listed = tmp_path / "breached.txt"
    listed.write_text("correct-horse-battery-9\n")
    settings.BREACHED_PASSWORDS_FILE = str(listed)
    response = _client(users["partner_staff"]).post(
        "/accounts/password/change/",
        {
            "old_password": PASSWORD,
            "new_password1": "correct-horse-battery-9",
            "new_password2": "correct-horse-battery-9",
        },
    )
    assert "breached" in response.content.decode()


def test_password_reset_by_e_mail_link_is_audited_and_ends_sessions(users):
    user = users["executive"]
    user.email = "exec@example.org"
    user.save()
    old_session = _client(user)
    response = Client().post("/accounts/password/reset/", {"email": "exec@example.org"})
    assert response["Location"] == "/accounts/password/reset/sent/"
    link = next(line for line in mail.outbox[0].body.splitlines() if "/reset/" in line)
    path = link.split("testserver", 1)[1]
    client = Client()
    form = client.get(path, follow=True)
    new = "the tide comes in twice a day"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done["Location"] == "/accounts/password/reset/complete/"
    assert old_session.get("/").status_code == 302
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"password_reset_request", "password_reset"} <= actions


def test_accounts_unused_for_ninety_days_are_disabled_by_the_nightly_job(users):
    User.objects.update(last_login=NOW - dt.timedelta(days=10))
    stale = users["community_partner"]
    User.objects.filter(pk=stale.pk).update(last_login=NOW - dt.timedelta(days=91))
    borderline = users["executive"]
    User.objects.filter(pk=borderline.pk).update(last_login=NOW - dt.timedelta(days=89))
    with time_machine.travel(NOW, tick=False):
        assert tasks.disable_inactive_accounts.delay().get() == 1
    assert list(User.objects.filter(is_active=False)) == [stale]
    event = AuditEvent.objects.get(action="disable")
    assert event.object_id == str(stale.pk) and event.detail["days"] == 90
    assert timezone.is_aware(event.at)


LOCAL_CACHE = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}


def test_password_reset_requests_are_throttled_per_address(users, settings):
    settings.CACHES = LOCAL_CACHE  # a fresh cache the frozen clock also governs (not Redis)
    settings.PASSWORD_RESET_ATTEMPTS = 3
    client = Client()
    for _ in range(3):
        ok = client.post(
            "/accounts/password/reset/", {"email": "x@example.org"}, REMOTE_ADDR="10.7.7.7"
        )
        assert ok.status_code == 302
    refused = client.post(
        "/accounts/password/reset/", {"email": "x@example.org"}, REMOTE_ADDR="10.7.7.7"
    )
    assert refused.status_code == 429 and b"Too many attempts" in refused.content
    assert AuditEvent.objects.filter(action="password_reset_request", outcome="refused").exists()


def test_wrong_current_passwords_throttle_the_password_change(users, settings):
    settings.CACHES = LOCAL_CACHE
    user = users["partner_staff"]
    client = _client(user)
    wrong = {"old_password": "nope", "new_password1": "x" * 20, "new_password2": "x" * 20}
    with time_machine.travel(NOW, tick=False) as clock:
        for _ in range(5):
            assert client.post("/accounts/password/change/", wrong).status_code == 200
        right = {**wrong, "old_password": PASSWORD}
        assert client.post("/accounts/password/change/", right).status_code == 429
        assert AuditEvent.objects.filter(action="password_change", outcome="failure").count() == 5
        clock.shift(dt.timedelta(minutes=16))
        client.force_login(user)
        assert client.post("/accounts/password/change/", right).status_code == 302
