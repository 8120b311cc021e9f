"""`make run` has no worker: the worksheet PDF job still runs off the request.

With ``TASKS_IN_BACKGROUND_THREAD`` an in-process task runs on a background thread, so asking
for a PDF answers at once with the job queued, the panel polls, and the version turns ready
when the thread is done — the same experience as with a Celery worker. (A transactional test:
the thread has its own database connection and must see committed rows.)
"""

from __future__ import annotations

import threading

import pytest

from ceasefire.celery import wait_for_background_tasks
from ceasefire.core.models import Worksheet
from performance import services
from performance.indicators import Period

SLUG = Period(2017, 2, 3).slug
HTMX = {"HX-Request": "true"}


@pytest.fixture
def held_job(monkeypatch):
    """The PDF job waits until the test lets it go, so the request is seen answering first."""
    release = threading.Event()
    build = services.worksheet_build

    def held(**kwargs):
        assert release.wait(timeout=30), "the test never released the job"
        return build(**kwargs)

    monkeypatch.setattr(services, "worksheet_build", held)
    yield release
    release.set()
    wait_for_background_tasks()


@pytest.mark.django_db(transaction=True)
def test_asking_for_a_pdf_answers_at_once_and_the_job_finishes_in_the_background(
    settings, tmp_path, client_for, held_job
):
    settings.TASKS_IN_BACKGROUND_THREAD = True
    settings.MEDIA_ROOT = tmp_path
    client = client_for("executive")

    response = client.post(f"/performance/worksheet/{SLUG}/generate/", headers=HTMX)

    assert response.status_code == 200
    assert Worksheet.objects.get().status == Worksheet.Status.QUEUED
    assert 'hx-trigger="every 2s"' in response.content.decode(), "the panel polls the job"

    held_job.set()
    wait_for_background_tasks()

    assert Worksheet.objects.get().status == Worksheet.Status.READY
    panel = client.get(f"/performance/worksheet/{SLUG}/?polling=1", headers=HTMX)
    assert "✓ Ready" in panel.content.decode()
