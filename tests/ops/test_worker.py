"""Through a real Celery worker over Redis (runs only with REDIS_URL, as in CI's second run): beat's
heartbeat task makes the readiness check's worker test pass, and a request's id reaches the log
context of the task it queued."""

from __future__ import annotations

import os
import time

import pytest
from django.core.cache import cache

from ceasefire.celery import app
from ceasefire.core import health
from ceasefire.logs import request_id_var, task_var

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="needs REDIS_URL (a Redis broker) to start a real worker",
    ),
]


@app.task(name="tests.ops.log_context")
def log_context() -> list[str]:
    return [request_id_var.get(), task_var.get()]


@pytest.fixture
def worker(transactional_db):
    from celery.contrib.testing.worker import start_worker

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    cache.delete(health.HEARTBEAT_KEY)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            yield
    finally:
        app.conf.task_always_eager = previous
        cache.delete(health.HEARTBEAT_KEY)


def test_the_heartbeat_through_a_worker_makes_the_worker_check_pass(worker):
    from ceasefire.core.tasks import heartbeat

    assert health.check_worker()["status"] == "fail"
    heartbeat.apply_async()
    deadline = time.monotonic() + 60
    while cache.get(health.HEARTBEAT_KEY) is None and time.monotonic() < deadline:
        time.sleep(0.2)
    result = health.check_worker()
    assert result["status"] == "ok", result
    assert result["age_seconds"] < 60


def test_a_queued_task_logs_under_the_request_id_that_queued_it(worker):
    token = request_id_var.set("req-through-redis")
    try:
        result = log_context.delay()
    finally:
        request_id_var.reset(token)
    assert result.get(timeout=60) == ["req-through-redis", "tests.ops.log_context"]
