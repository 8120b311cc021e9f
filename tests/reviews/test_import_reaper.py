"""Import jobs killed with their worker are reaped: no progress heartbeat for
``IMPORT_JOB_STALE_MINUTES`` → failed with a clear message; the user can upload the file again."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ceasefire.core.models import AuditEvent, Incident
from reviews import services, tasks
from reviews.models import ImportJob
from reviews.services import import_jobs
from tests.reviews.test_bench_import import incident_csv

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.IMPORT_JOB_STALE_MINUTES = 10


def _job(users, rows: int = 3) -> ImportJob:
    return services.import_job_create(
        user=users["police_facilitator"],
        file=ContentFile(incident_csv(rows).encode(), name="log.csv"),
        dispatch=False,
    )


def _killed_while_checking(job: ImportJob) -> ImportJob:
    """What a worker killed mid-check leaves: "checking", some rows, a last heartbeat."""
    import_jobs._save(job, status=ImportJob.Status.CHECKING, started_at=START, rows_checked=2)
    return job


def test_a_job_without_a_heartbeat_for_n_minutes_is_marked_failed(users):
    with time_machine.travel(START, tick=False):
        job = _killed_while_checking(_job(users))
    with time_machine.travel(START + dt.timedelta(minutes=10, seconds=1), tick=False):
        assert tasks.fail_stuck_import_jobs.apply().get() == 1
    job.refresh_from_db()
    assert job.status == "failed" and job.finished
    assert "no progress for 10 minutes" in job.errors[0]["reason"]
    assert "upload the file again" in job.errors[0]["reason"]
    assert not job.file  # the stored extract is deleted like any finished job's
    assert AuditEvent.objects.filter(detail__job=job.pk, detail__status="failed").exists()


def test_a_job_whose_heartbeat_is_recent_is_left_running(users):
    with time_machine.travel(START, tick=False):
        job = _killed_while_checking(_job(users))
    with time_machine.travel(START + dt.timedelta(minutes=8), tick=False):
        import_jobs._save(job, rows_checked=500)  # still making progress: a heartbeat
    with time_machine.travel(START + dt.timedelta(minutes=15), tick=False):
        assert services.import_jobs_fail_stuck() == 0
    job.refresh_from_db()
    assert job.status == "checking"
    with time_machine.travel(START + dt.timedelta(minutes=18, seconds=1), tick=False):
        assert services.import_jobs_fail_stuck() == 1


def test_a_job_no_worker_picked_up_is_marked_failed_too(users):
    with time_machine.travel(START, tick=False):
        job = _job(users)
    with time_machine.travel(START + dt.timedelta(minutes=11), tick=False):
        assert services.import_jobs_fail_stuck() == 1
    job.refresh_from_db()
    assert job.status == "failed"
    assert "No worker picked up" in job.errors[0]["reason"]


def test_finished_jobs_are_never_reaped(users):
    with time_machine.travel(START, tick=False):
        job = services.import_job_run(job_id=_job(users).pk)
    with time_machine.travel(START + dt.timedelta(days=1), tick=False):
        assert services.import_jobs_fail_stuck() == 0
    job.refresh_from_db()
    assert job.status == "done"


def test_the_job_page_says_so_and_the_user_uploads_again(users, client_for):
    with time_machine.travel(START, tick=False):
        job = _killed_while_checking(_job(users))
    with time_machine.travel(START + dt.timedelta(minutes=30), tick=False):
        services.import_jobs_fail_stuck()
    client = client_for("police_facilitator")
    page = client.get(reverse("reviews:import-job", args=[job.pk])).content.decode()
    assert "The import stopped responding" in page
    assert 'hx-trigger="every 1s"' not in page  # it no longer polls
    assert reverse("reviews:incident-import") in page
    upload = SimpleUploadedFile("log.csv", incident_csv(3).encode())
    response = client.post(reverse("reviews:incident-import"), {"file": upload})
    again = ImportJob.objects.exclude(pk=job.pk).get()
    assert response["Location"] == reverse("reviews:import-job", args=[again.pk])
    services.import_job_run(job_id=again.pk)
    again.refresh_from_db()
    assert again.status == "done" and Incident.objects.count() == 3


def test_the_reaper_runs_on_beat(settings):
    entries = {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "reviews.tasks.fail_stuck_import_jobs" in entries
