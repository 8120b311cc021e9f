"""The operations settings, loaded from a clean environment in a subprocess: sessions in Redis when
there is one, JSON logs in production, text in debug, a bad LOG_FORMAT refused, Sentry only with a
DSN."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, sys, ceasefire.settings as s;"
    "print(json.dumps({'session': s.SESSION_ENGINE if hasattr(s, 'SESSION_ENGINE') else '',"
    "'cache': s.CACHES['default']['BACKEND'], 'log': s.LOG_FORMAT,"
    "'formatter': s.LOGGING['handlers']['console']['formatter'],"
    "'health_checks': s.DATABASES['default'].get('CONN_HEALTH_CHECKS'),"
    "'sentry_loaded': 'sentry_sdk' in sys.modules}))"
)
OURS = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "LOG_FORMAT", "SENTRY_DSN"}


def _load(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in OURS}
    clean.update({"SECRET_KEY": "x", **env})
    return subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def _settings(**env) -> dict:
    result = _load(**env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_with_redis_sessions_and_cache_are_shared_by_every_replica():
    loaded = _settings(REDIS_URL="redis://redis:6379/0", DATABASE_URL="postgres://u@db/ceasefire")
    assert loaded["session"] == "django.contrib.sessions.backends.cached_db"
    assert loaded["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert loaded["health_checks"] is True


def test_without_redis_sessions_stay_in_the_database():
    assert _settings()["session"] == ""  # Django's default: the database


def test_logs_are_json_in_production_and_text_in_debug():
    assert _settings()["formatter"] == "json"
    assert _settings(DEBUG="1")["formatter"] == "text"
    assert _settings(DEBUG="1", LOG_FORMAT="json")["formatter"] == "json"


def test_a_bad_log_format_stops_start_up_with_its_name():
    result = _load(LOG_FORMAT="xml")
    assert result.returncode != 0
    assert "LOG_FORMAT must be json or text" in result.stderr


def test_without_a_dsn_sentry_is_not_even_imported():
    assert _settings()["sentry_loaded"] is False


def test_with_a_dsn_settings_start_sentry_without_person_data():
    pytest.importorskip("sentry_sdk", reason="sentry-sdk not installed in this environment")
    probe = (
        "import json, ceasefire.settings, sentry_sdk;"
        "o = sentry_sdk.get_client().options;"
        "print(json.dumps([o['send_default_pii'], o['include_local_variables'],"
        "o['max_request_body_size'], o['before_send'].__name__]))"
    )
    clean = {k: v for k, v in os.environ.items() if k not in OURS}
    clean.update({"SECRET_KEY": "x", "SENTRY_DSN": "https://key@127.0.0.1:9/1"})
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [
        False,
        False,
        "never",
        "scrub_event",
    ]
