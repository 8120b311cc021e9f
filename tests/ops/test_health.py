"""Health: liveness and readiness, per-check JSON, 200/503, answered before the host check, the
HTTPS redirect and the sign-in gates; the worker heartbeat; the healthcheck command."""

from __future__ import annotations

import datetime as dt
import json
import os

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import call_command
from django.db import OperationalError
from django.urls import reverse

from ceasefire.core import health
from ceasefire.core.tasks import heartbeat

LIVE, READY = "/health/", "/health/ready/"


@pytest.fixture
def with_worker(monkeypatch):
    """As with a broker: tasks go to a worker, so the heartbeat counts."""
    monkeypatch.setattr(health, "_tasks_in_process", lambda: False)
    cache.delete(health.HEARTBEAT_KEY)
    yield
    cache.delete(health.HEARTBEAT_KEY)


def test_the_urls_are_where_the_compose_file_and_the_readme_say():
    assert reverse("core:health") == LIVE
    assert reverse("core:health-ready") == READY


def test_liveness_answers_without_sign_in_or_database(client):
    response = client.get(LIVE)  # no database access allowed here: this test would fail
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert response["X-Request-ID"]


@pytest.mark.django_db
def test_readiness_reports_every_check(client):
    response = client.get(READY)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "redis", "worker", "media"}
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["worker"] == {
        "status": "skipped",
        "detail": "tasks run in-process",
        "ms": body["checks"]["worker"]["ms"],
    }
    expected_redis = "ok" if os.environ.get("REDIS_URL") else "skipped"
    assert body["checks"]["redis"]["status"] == expected_redis
    assert body["checks"]["media"]["free_mb"] > 0
    assert "Content-Security-Policy" in response


@pytest.mark.django_db
def test_a_failing_database_gives_503_with_the_error_class_only(client, monkeypatch):
    def down():
        raise OperationalError("could not connect to server at db:5432 password=secret")

    monkeypatch.setitem(health.CHECKS, "database", down)
    response = client.get(READY)
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["database"]["status"] == "fail"
    assert body["checks"]["database"]["detail"] == "OperationalError"
    assert b"secret" not in response.content and b"db:5432" not in response.content


@pytest.mark.django_db
def test_only_the_named_checks_run(client, monkeypatch):
    monkeypatch.setitem(health.CHECKS, "worker", lambda: {"status": "fail"})
    response = client.get(READY, {"check": ["database", "media"]})
    assert response.status_code == 200
    assert set(response.json()["checks"]) == {"database", "media"}
    assert client.get(READY).status_code == 503


@pytest.mark.django_db
def test_an_unknown_check_is_refused_with_the_known_ones(client):
    response = client.get(READY, {"check": "everything"})
    assert response.status_code == 400
    assert "database" in response.json()["detail"]


@pytest.mark.django_db
def test_too_little_disk_for_media_is_unhealthy(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "not-yet" / "media"  # the nearest existing folder is measured
    settings.HEALTH_MEDIA_MIN_FREE_MB = 10**12
    response = client.get(READY, {"check": "media"})
    assert response.status_code == 503
    assert "MB free" in response.json()["checks"]["media"]["detail"]


@pytest.mark.django_db
def test_the_worker_check_fails_without_a_heartbeat_and_passes_with_a_fresh_one(
    client, settings, with_worker
):
    settings.HEALTH_HEARTBEAT_MAX_AGE = 120
    response = client.get(READY, {"check": "worker"})
    assert response.status_code == 503
    assert response.json()["checks"]["worker"]["detail"] == "no worker heartbeat yet"

    start = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        heartbeat()  # what beat's schedule makes a worker run
        assert client.get(READY, {"check": "worker"}).status_code == 200
    with time_machine.travel(start + dt.timedelta(seconds=119), tick=False):
        assert client.get(READY, {"check": "worker"}).status_code == 200
    with time_machine.travel(start + dt.timedelta(seconds=121), tick=False):
        response = client.get(READY, {"check": "worker"})
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == {
        "status": "fail",
        "age_seconds": 121.0,
        "ms": response.json()["checks"]["worker"]["ms"],
    }


def test_beat_schedules_the_heartbeat_more_often_than_it_may_age(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["worker-heartbeat"]
    assert entry["task"] == "ceasefire.core.tasks.heartbeat"
    assert entry["schedule"] * 2 < settings.HEALTH_HEARTBEAT_MAX_AGE
    assert entry["options"]["expires"] <= entry["schedule"]


@pytest.mark.django_db
def test_health_is_answered_for_any_host_and_over_plain_http(client, settings):
    """A container's healthcheck asks http://127.0.0.1:8000, whatever ALLOWED_HOSTS and the
    HTTPS redirect say; every other URL still keeps both rules."""
    settings.ALLOWED_HOSTS = ["ceasefire.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    assert client.get(READY, HTTP_HOST="127.0.0.1:8000").status_code == 200
    assert client.get(LIVE, HTTP_HOST="127.0.0.1:8000").status_code == 200
    assert client.get("/accounts/login/", HTTP_HOST="127.0.0.1:8000").status_code == 400
    login = client.get("/accounts/login/", HTTP_HOST="ceasefire.example.org")
    assert login.status_code == 301


@pytest.mark.real_second_factor
@pytest.mark.django_db
def test_a_signed_in_user_before_the_second_step_gets_health_not_the_gate(client, users):
    client.force_login(users["admin"])
    assert client.get(reverse("core:home")).status_code == 302  # the gate holds elsewhere
    response = client.get(READY)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_health_answers_get_and_head_only(client):
    assert client.head(LIVE).status_code == 200  # load balancers that probe with HEAD
    assert client.post(LIVE).status_code == 405


@pytest.mark.django_db
def test_the_healthcheck_command_prints_the_checks_and_exits_1_on_a_failure(capsys, monkeypatch):
    call_command("healthcheck", "database")
    assert json.loads(capsys.readouterr().out)["checks"]["database"]["status"] == "ok"
    monkeypatch.setitem(health.CHECKS, "database", lambda: {"status": "fail"})
    with pytest.raises(SystemExit) as exit_:
        call_command("healthcheck")
    assert exit_.value.code == 1
    assert json.loads(capsys.readouterr().out)["status"] == "fail"
