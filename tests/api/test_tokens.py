"""API tokens: shown once, stored hashed, expiring, scoped, throttled per token, audited."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from ceasefire.core.models import ApiToken, AuditEvent, token_digest
from ceasefire.core.tokens import api_token_create
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_page_shows_a_new_token_once_and_stores_only_its_digest(client, users):
    client.force_login(users["partner_lead"])
    response = client.post(
        reverse("core:token-list"), {"name": "CMS sync", "scope": "read", "days": 30}
    )
    assert response.status_code == 200
    raw = response.context["raw"]
    assert raw.startswith("cf_") and raw in response.content.decode()
    token = ApiToken.objects.get()
    assert token.digest == token_digest(raw) and raw not in str(token.__dict__)
    assert raw not in client.get(reverse("core:token-list")).content.decode()


def test_an_invalid_token_form_says_why_and_creates_nothing(client, users):
    client.force_login(users["partner_lead"])
    response = client.post(reverse("core:token-list"), {"name": "", "scope": "read", "days": 0})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_a_user_revokes_their_token_and_it_stops_working(client, users, token_client):
    api = token_client("police_viewer")
    assert api.get(reverse("api:person-list")).status_code == 200
    client.force_login(users["police_viewer"])
    token = ApiToken.objects.get()
    assert client.post(reverse("core:token-revoke", args=[token.pk])).status_code == 302
    refused = api.get(reverse("api:person-list"))
    assert refused.status_code == 401 and refused.json()["detail"] == "This token was revoked."


def test_nobody_revokes_another_users_token_but_an_admin(client, users):
    token, _ = api_token_create(user=users["police_viewer"], owner=users["police_viewer"], name="x")
    client.force_login(users["partner_lead"])
    assert client.post(reverse("core:token-revoke", args=[token.pk])).status_code == 404
    client.force_login(users["admin"])
    assert client.post(reverse("core:token-revoke", args=[token.pk])).status_code == 302


def test_an_admin_issues_a_token_for_another_user(client, users):
    client.force_login(users["admin"])
    owner = users["partner_staff"]
    response = client.post(
        reverse("core:token-list"),
        {"name": "Outreach app", "scope": "write", "days": 10, "owner": owner.pk},
    )
    assert response.status_code == 200
    assert ApiToken.objects.get().user == owner


def test_a_token_expires(token_client):
    api = token_client("police_viewer", days=1)
    with time_machine.travel(timezone.now() + dt.timedelta(days=2)):
        response = api.get(reverse("api:person-list"))
    assert response.status_code == 401 and "expired" in response.json()["detail"]


def test_an_unknown_token_is_401_with_the_error_body():
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Bearer cf_nothing_here")
    response = api.get(reverse("api:person-list"))
    assert response.status_code == 401
    assert response.json()["code"] == "authentication_failed"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_read_only_token_cannot_write(users, token_client):
    task = f.TaskFactory(assigned_organisation=users["partner_lead"].organisation)
    response = token_client("partner_lead").patch(
        reverse("api:task-detail", args=[task.pk]), {"version": 1, "status": "done"}
    )
    assert response.status_code == 403 and response.json()["detail"] == "This token is read-only."


def test_a_read_write_token_writes(users, token_client):
    task = f.TaskFactory(assigned_organisation=users["partner_lead"].organisation)
    response = token_client("partner_lead", scope="write").patch(
        reverse("api:task-detail", args=[task.pk]), {"version": 1, "status": "done"}
    )
    assert response.status_code == 200


def test_every_token_use_is_audited_like_a_sign_in(users, token_client):
    api = token_client("police_viewer")
    api.get(reverse("api:person-list"))
    api.get(reverse("api:person-list"))
    uses = AuditEvent.objects.filter(action="login", object_type="core.apitoken")
    assert uses.count() == 2
    assert uses.first().actor == users["police_viewer"]
    assert uses.first().detail["path"] == reverse("api:person-list")


def test_each_token_is_throttled_on_its_own(settings, token_client):
    from rest_framework.settings import api_settings

    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "token": "2/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    api_settings.reload()
    from ceasefire.core.api.base import TokenRateThrottle

    TokenRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        first, second = token_client("police_viewer"), token_client("police_viewer")
        url = reverse("api:person-list")
        assert [first.get(url).status_code for _ in range(3)] == [200, 200, 429]
        assert second.get(url).status_code == 200
        assert first.get(url).json()["code"] == "throttled"
    finally:
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {**rates, "token": "600/minute"},
        }
        api_settings.reload()
        TokenRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
