"""Settings come from the environment, with embedded defaults, and malformed values fail loudly."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from ceasefire import settings as s

ROOT = Path(__file__).resolve().parents[2]
PROBE = (
    "import json, ceasefire.settings as s;"
    "db = s.DATABASES['default'];"
    "print(json.dumps({'engine': db['ENGINE'], 'name': str(db['NAME']),"
    "'eager': s.CELERY_TASK_ALWAYS_EAGER, 'broker': s.CELERY_BROKER_URL,"
    "'cache': s.CACHES['default']['BACKEND'],"
    "'tz': s.TIME_ZONE, 'debug': s.DEBUG, 'db_options': db.get('OPTIONS', {})}))"
)


def load_settings(**env):
    ours = {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG", "TIME_ZONE", "DB_JIT"}
    clean = {k: v for k, v in os.environ.items() if k not in ours}
    clean.update(env)
    result = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )
    return result


def test_embedded_defaults_are_sqlite_and_in_process_tasks():
    result = load_settings(SECRET_KEY="k")
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"].endswith("db.sqlite3")
    assert values["eager"] is True
    assert values["cache"].endswith("LocMemCache")
    assert values["tz"] == "America/Los_Angeles"
    assert values["debug"] is False


def test_database_and_redis_urls_switch_to_postgresql_and_redis():
    result = load_settings(
        SECRET_KEY="k",
        DATABASE_URL="postgres://cf:pw@db:5432/ceasefire",
        REDIS_URL="redis://redis:6379/0",
    )
    values = json.loads(result.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "ceasefire"
    assert values["eager"] is False
    assert values["broker"] == "redis://redis:6379/0"
    assert values["cache"].endswith("RedisCache")
    assert values["db_options"] == {
        "options": "-c jit=off"
    }  # JIT compiling cost the worksheet more than it ran


def test_postgresql_jit_can_be_turned_back_on():
    result = load_settings(
        SECRET_KEY="k", DATABASE_URL="postgres://cf:pw@db:5432/ceasefire", DB_JIT="1"
    )
    assert json.loads(result.stdout)["db_options"] == {}


def test_secret_key_is_required_outside_debug():
    result = load_settings()
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr
    assert load_settings(DEBUG="1").returncode == 0


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DEBUG": "maybe"}, "DEBUG must be a boolean"),
        ({"TIME_ZONE": "Mars/Olympus"}, "TIME_ZONE must be an IANA time zone"),
        ({"PAGE_SIZE": "fifty"}, "PAGE_SIZE must be an integer"),
    ],
)
def test_malformed_values_fail_loudly(env, message):
    result = load_settings(SECRET_KEY="k", **env)
    assert result.returncode != 0
    assert message in result.stderr


def test_typed_helpers(monkeypatch):
    monkeypatch.setenv("X_BOOL", "Yes")
    monkeypatch.setenv("X_INT", "12")
    monkeypatch.setenv("X_LIST", "a.org, b.org,,")
    assert s.env_bool("X_BOOL") is True
    assert s.env_int("X_INT", 3) == 12
    assert s.env_list("X_LIST", []) == ["a.org", "b.org"]
    assert s.env_int("X_MISSING", 3) == 3
    monkeypatch.setenv("X_INT", "1.5")
    with pytest.raises(ImproperlyConfigured):
        s.env_int("X_INT", 3)
