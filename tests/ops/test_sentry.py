"""Error tracking is opt-in and leaves person data home: the scrubber as a pure function, and
the SDK's own options."""

from __future__ import annotations

import copy
import json
import sys

import pytest

from ceasefire.logs import request_id_var
from ceasefire.sentry import FILTERED, scrub_event

NAME = "Darnell"


def _event() -> dict:
    """An event as sentry-sdk's Django integration builds it, person data everywhere."""
    return {
        "level": "error",
        "request": {
            "url": f"https://ceasefire.example.org/reviews/incidents/?q={NAME}",
            "method": "POST",
            "query_string": f"q={NAME}+Shared",
            "data": {"first_name": NAME, "last_name": "Shared"},
            "cookies": {"sessionid": "abc", "csrftoken": "def"},
            "env": {"REMOTE_ADDR": "10.0.0.9", "SERVER_NAME": "web"},
            "headers": {
                "Cookie": "sessionid=abc",
                "Authorization": "Token secret",
                "Referer": f"https://ceasefire.example.org/people/?q={NAME}",
                "User-Agent": "Firefox",
                "X-Request-ID": "req-1",
            },
        },
        "user": {
            "id": "12",
            "username": "mfacilitator",
            "email": "m@example.org",
            "ip_address": "10.0.0.9",
        },
        "exception": {
            "values": [
                {
                    "type": "ValueError",
                    "stacktrace": {
                        "frames": [{"function": "view", "vars": {"person": f"<Person {NAME}>"}}]
                    },
                }
            ]
        },
        "breadcrumbs": {
            "values": [
                {
                    "category": "query",
                    "message": "SELECT ... WHERE last_name = %s",
                    "data": {"params": [NAME]},
                },
                {
                    "category": "httplib",
                    "data": {"url": f"http://x/?who={NAME}", "http.query": f"who={NAME}"},
                },
                {"category": "django.request", "message": "GET /reviews/"},
            ]
        },
        "extra": {"sys.argv": ["manage.py", "purge_people", NAME]},
        "tags": {"role": "web"},
    }


def test_nothing_of_a_person_is_left_in_an_event():
    scrubbed = scrub_event(_event(), {})
    assert NAME not in json.dumps(scrubbed)
    assert "abc" not in json.dumps(scrubbed["request"])
    assert "secret" not in json.dumps(scrubbed)
    assert "10.0.0.9" not in json.dumps(scrubbed)


def test_what_is_kept_and_what_is_filtered():
    scrubbed = scrub_event(_event(), None)
    request = scrubbed["request"]
    assert request["url"] == "https://ceasefire.example.org/reviews/incidents/"
    assert request["method"] == "POST"
    assert request["data"] == request["cookies"] == request["query_string"] == FILTERED
    assert request["headers"]["User-Agent"] == "Firefox"
    assert request["headers"]["X-Request-ID"] == "req-1"
    assert request["headers"]["Cookie"] == request["headers"]["Referer"] == FILTERED
    assert scrubbed["user"] == {"id": "12"}
    assert "vars" not in scrubbed["exception"]["values"][0]["stacktrace"]["frames"][0]
    query, http, plain = scrubbed["breadcrumbs"]["values"]
    assert "data" not in query and query["message"].endswith("= %s")
    assert http["data"] == {"url": "http://x/"}
    assert plain == {"category": "django.request", "message": "GET /reviews/"}
    assert scrubbed["tags"] == {"role": "web"}


def test_the_request_id_becomes_a_tag_so_an_event_meets_its_log_lines():
    token = request_id_var.set("req-77")
    try:
        assert scrub_event(_event(), {})["tags"]["request_id"] == "req-77"
    finally:
        request_id_var.reset(token)


def test_an_event_without_a_request_or_a_user_passes_through():
    event = {"message": "worker lost", "level": "warning"}
    assert scrub_event(copy.deepcopy(event), {}) == event


def test_without_a_dsn_the_sdk_is_never_started(settings):
    assert not settings.SENTRY_DSN
    client = sys.modules.get("sentry_sdk")
    assert client is None or not client.get_client().is_active()


def test_with_a_dsn_the_sdk_sends_no_default_person_data(monkeypatch):
    sentry_sdk = pytest.importorskip("sentry_sdk", reason="sentry-sdk not installed here")
    from ceasefire.sentry import init_sentry

    seen = {}
    monkeypatch.setattr(sentry_sdk, "init", lambda **options: seen.update(options))
    init_sentry("https://key@sentry.example.org/1", environment="staging", release="1.2")
    assert seen["dsn"] == "https://key@sentry.example.org/1"
    assert seen["send_default_pii"] is False
    assert seen["max_request_body_size"] == "never"
    assert seen["include_local_variables"] is False
    assert seen["before_send"] is scrub_event
    assert seen["before_send_transaction"] is scrub_event
    assert seen["traces_sample_rate"] == 0.0
