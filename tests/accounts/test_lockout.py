"""Lockout (django-axes): five failures within fifteen minutes lock the account from any address
until the cool-off passes or an administrator unlocks it; one address is throttled the same way."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from ceasefire.core.models import AuditEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def _sign_in(username, password, ip):
    return Client().post(
        "/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_five_failures_from_five_addresses_lock_the_account_from_any_address(users):
    with time_machine.travel(NOW, tick=False) as clock:
        for i in range(5):
            _sign_in("executive", "wrong", f"10.0.0.{i + 1}")
            clock.shift(dt.timedelta(minutes=2))
        locked = _sign_in("executive", PASSWORD, "192.168.9.9")
        assert locked.status_code == 429
        assert b"Too many failed sign-in attempts" in locked.content
        assert b"Traceback" not in locked.content
        # another account is untouched
        assert _sign_in("auditor", PASSWORD, "192.168.9.9").status_code == 302

        clock.shift(dt.timedelta(minutes=16))  # the cool-off has passed since the last failure
        assert _sign_in("executive", PASSWORD, "192.168.9.9").status_code == 302
    lock = AuditEvent.objects.filter(action="lockout").order_by("seq").first()
    assert lock.detail["username"] == "executive" and lock.outcome == "refused"


def test_failures_spread_over_more_than_fifteen_minutes_do_not_lock(users):
    with time_machine.travel(NOW, tick=False) as clock:
        for _ in range(4):
            _sign_in("executive", "wrong", "10.0.0.1")
        clock.shift(dt.timedelta(minutes=16))
        _sign_in("executive", "wrong", "10.0.0.1")
        assert _sign_in("executive", PASSWORD, "10.0.0.1").status_code == 302


def test_one_address_trying_many_usernames_is_throttled(users):
    with time_machine.travel(NOW, tick=False):
        for name in ["a", "b", "c", "d", "e"]:
            _sign_in(name, "wrong", "10.9.9.9")
        assert _sign_in("executive", PASSWORD, "10.9.9.9").status_code == 429
        assert _sign_in("executive", PASSWORD, "10.9.9.10").status_code == 302


def test_an_administrator_unlocks_an_account_and_it_is_audited(users, client_for):
    for i in range(5):
        _sign_in("executive", "wrong", f"10.0.0.{i + 1}")
    assert _sign_in("executive", PASSWORD, "10.0.1.1").status_code == 429
    response = client_for("admin").post(
        "/admin/core/user/",
        {"action": "unlock_sign_in", "_selected_action": [users["executive"].pk]},
    )
    assert response.status_code == 302
    assert _sign_in("executive", PASSWORD, "10.0.1.1").status_code == 302
    unlock = AuditEvent.objects.get(action="unlock")
    assert unlock.actor == users["admin"] and unlock.object_id == str(users["executive"].pk)
    assert timezone.now() - unlock.at < dt.timedelta(minutes=1)
