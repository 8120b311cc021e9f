"""Structured logs: one JSON object a line with the request id; the id taken from or given to
``X-Request-ID``; carried into the Celery tasks a request queued; LOG_FORMAT chooses."""

from __future__ import annotations

import io
import json
import logging
from types import SimpleNamespace

import pytest

from ceasefire import celery as celery_module
from ceasefire.logs import (
    JsonFormatter,
    RequestIdFilter,
    clean_request_id,
    logging_config,
    request_id_var,
    task_var,
)


@pytest.fixture
def captured():
    """A logger writing through the project's filter and JSON formatter into a buffer."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    loggers = [logging.getLogger(name) for name in ("ops-test", "ceasefire.request")]
    levels = [lg.level for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.setLevel(logging.DEBUG)

    def lines() -> list[dict]:
        return [json.loads(line) for line in stream.getvalue().splitlines()]

    yield lines
    for lg, level in zip(loggers, levels, strict=True):
        lg.removeHandler(handler)
        lg.setLevel(level)


def test_a_record_is_one_json_line_with_the_request_id_and_extra_fields(captured):
    token = request_id_var.set("abc-123")
    try:
        logging.getLogger("ops-test").warning("imported %s rows", 12, extra={"job": 7})
    finally:
        request_id_var.reset(token)
    (line,) = captured()
    assert line["message"] == "imported 12 rows"
    assert line["level"] == "WARNING"
    assert line["logger"] == "ops-test"
    assert line["request_id"] == "abc-123"
    assert line["job"] == 7
    assert line["time"].endswith("+00:00")


def test_outside_a_request_the_id_is_a_dash_and_an_exception_is_kept(captured):
    try:
        raise ValueError("boom")
    except ValueError:
        logging.getLogger("ops-test").exception("failed")
    (line,) = captured()
    assert line["request_id"] == "-"
    assert "ValueError: boom" in line["exception"]


def test_a_callers_request_id_is_kept_when_plain_and_replaced_when_not():
    assert clean_request_id("7f3a-42.b:c_d") == "7f3a-42.b:c_d"
    for bad in (None, "", "x" * 65, "has space", "new\nline", '{"json": 1}'):
        replaced = clean_request_id(bad)
        assert replaced != bad and len(replaced) == 32


@pytest.mark.django_db
def test_the_middleware_answers_with_the_id_and_logs_the_request_without_its_query(
    client, captured
):
    response = client.get("/accounts/login/?next=/people/Darnell", HTTP_X_REQUEST_ID="edge-42")
    assert response["X-Request-ID"] == "edge-42"
    access = [line for line in captured() if line["logger"] == "ceasefire.request"]
    assert access[-1]["request_id"] == "edge-42"
    assert access[-1]["path"] == "/accounts/login/"
    assert access[-1]["status"] == 200
    assert access[-1]["duration_ms"] >= 0
    assert "Darnell" not in json.dumps(access)

    fresh = client.get("/accounts/login/", HTTP_X_REQUEST_ID="not a safe id")
    assert fresh["X-Request-ID"] != "not a safe id"
    assert len(fresh["X-Request-ID"]) == 32
    assert request_id_var.get() == ""  # reset once the request is answered


def test_the_request_id_travels_with_a_queued_task():
    headers: dict = {}
    token = request_id_var.set("req-9")
    try:
        celery_module._carry_request_id(headers=headers)
    finally:
        request_id_var.reset(token)
    assert headers["request_id"] == "req-9"

    task = SimpleNamespace(name="reviews.tasks.run_import_job", request=SimpleNamespace(**headers))
    celery_module._enter_task_context(task_id="t-1", task=task)
    assert request_id_var.get() == "req-9"
    assert task_var.get() == "reviews.tasks.run_import_job"
    celery_module._leave_task_context(task=task)
    assert request_id_var.get() == "" and task_var.get() == ""


def test_a_task_nobody_requested_logs_under_its_own_id():
    task = SimpleNamespace(name="ceasefire.core.tasks.heartbeat", request=SimpleNamespace())
    celery_module._enter_task_context(task_id="t-2", task=task)
    try:
        assert request_id_var.get() == "task-t-2"
    finally:
        celery_module._leave_task_context(task=task)


def test_log_format_chooses_the_formatter_and_refuses_anything_else(settings):
    assert logging_config("json")["handlers"]["console"]["formatter"] == "json"
    assert logging_config("text")["handlers"]["console"]["formatter"] == "text"
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        logging_config("xml")
    # production's default (DEBUG off) is JSON, and Celery keeps it
    assert settings.LOGGING["handlers"]["console"]["formatter"] == "json"
    assert settings.CELERY_WORKER_HIJACK_ROOT_LOGGER is False
