"""The PDF task through a real Celery worker and Redis (runs only with REDIS_URL, as in CI)."""

from __future__ import annotations

import os

import pytest

from ceasefire.core.models import Worksheet
from performance.indicators import Period

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.skipif(
        not os.environ.get("REDIS_URL"),
        reason="needs REDIS_URL (a Redis broker) to start a real worker",
    ),
]


def test_the_pdf_task_runs_in_a_real_worker_over_redis(transactional_db, settings, tmp_path):
    from celery.contrib.testing.worker import start_worker

    from ceasefire.celery import app
    from performance.tasks import generate_worksheet_pdf

    settings.MEDIA_ROOT = tmp_path / "media"
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    period = Period(2017, 2, 3)
    ws = Worksheet.objects.create(period_start=period.start, period_end=period.end)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
            result = generate_worksheet_pdf.delay(ws.pk)
            assert result.get(timeout=60) == "ready"
    finally:
        app.conf.task_always_eager = previous
    ws.refresh_from_db()
    assert ws.status == Worksheet.Status.READY, ws.error
    with ws.pdf.open("rb") as fh:
        assert fh.read(5) == b"%PDF-"
