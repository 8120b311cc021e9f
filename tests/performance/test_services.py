"""Services: the PDF job's state machine, versions and files, notes, benchmarks, reviews."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ceasefire.core import selectors as core_selectors
from ceasefire.core.models import AuditEvent, Meeting, Task, Worksheet
from performance import services, tasks
from performance.indicators import Period
from tests import factories as f

FEB_MAR = Period(2017, 2, 3)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _queued(**kwargs) -> Worksheet:
    return Worksheet.objects.create(period_start=FEB_MAR.start, period_end=FEB_MAR.end, **kwargs)


def test_requesting_a_worksheet_queues_a_version_and_dispatches_after_commit(
    db, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        ws = services.worksheet_request(period=FEB_MAR, user=users["police_facilitator"])
    assert (ws.version, ws.status) == (1, Worksheet.Status.QUEUED)
    assert len(callbacks) == 1  # nothing runs before the commit
    with mock.patch.object(tasks.generate_worksheet_pdf, "delay") as delay:
        callbacks[0]()
    delay.assert_called_once_with(ws.pk)
    assert AuditEvent.objects.filter(action="create", object_type="core.worksheet").exists()


def test_the_job_goes_from_queued_to_ready_with_snapshot_and_pdf_in_storage(
    reference_data, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ws = services.worksheet_request(period=FEB_MAR, user=users["police_facilitator"])
    ws.refresh_from_db()
    assert ws.status == Worksheet.Status.READY, ws.error
    assert (ws.attempts, ws.error) == (1, "")
    assert ws.generated_at is not None
    assert ws.snapshot["outcomes"][0]["period"]["actual"] == 14
    assert ws.pdf.name.startswith("worksheets/2017-02_2017-03/v1/") and ws.pdf.name.endswith(".pdf")
    with ws.pdf.open("rb") as fh:
        assert fh.read(5) == b"%PDF-"
    with ws.snapshot_file.open("rb") as fh:
        assert b'"homicides"' in fh.read()


def test_regenerating_makes_a_new_version_and_keeps_the_old_one(
    reference_data, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.worksheet_request(period=FEB_MAR, user=users["police_facilitator"])
    services.worksheet_note_set(
        worksheet=first,
        indicator="homicides",
        text="March spike in East Oakland",
        user=users["police_facilitator"],
    )
    with django_capture_on_commit_callbacks(execute=True):
        second = services.worksheet_request(period=FEB_MAR, user=users["police_facilitator"])
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.version, second.version) == (1, 2)
    assert first.pdf.name != second.pdf.name and first.pdf.storage.exists(first.pdf.name)
    assert second.notes == {"homicides": "March spike in East Oakland"}  # notes carry forward
    assert second.snapshot["outcomes"][0]["note"] == "March spike in East Oakland"


def test_requesting_while_a_job_is_pending_returns_that_job(
    db, users, django_capture_on_commit_callbacks
):
    pending = _queued()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        again = services.worksheet_request(period=FEB_MAR, user=users["police_facilitator"])
    assert again.pk == pending.pk
    assert callbacks == []
    assert Worksheet.objects.count() == 1


def test_the_job_is_idempotent(db):
    ws = _queued()
    assert services.worksheet_build(worksheet_id=ws.pk) is not None
    generated = Worksheet.objects.get(pk=ws.pk).generated_at
    assert services.worksheet_build(worksheet_id=ws.pk) is None  # ready: nothing to do
    ws.refresh_from_db()
    assert (ws.status, ws.attempts, ws.generated_at) == (Worksheet.Status.READY, 1, generated)


def test_a_running_job_is_not_taken_over_by_a_second_worker(db):
    ws = _queued(status=Worksheet.Status.RUNNING, started_at=timezone.now(), attempts=1)
    assert services.worksheet_build(worksheet_id=ws.pk) is None
    ws.refresh_from_db()
    assert (ws.status, ws.attempts) == (Worksheet.Status.RUNNING, 1)


def test_a_failing_job_is_marked_failed_with_a_readable_error(db):
    ws = _queued()
    with mock.patch(
        "performance.pdf.worksheet_pdf_render", side_effect=ValueError("the template broke")
    ):
        assert services.worksheet_build(worksheet_id=ws.pk) is None
    ws.refresh_from_db()
    assert ws.status == Worksheet.Status.FAILED
    assert ws.error == "The PDF could not be made: the template broke"
    assert not ws.pdf


def test_a_transient_error_is_retried_by_celery_until_it_succeeds(db):
    ws = _queued()
    real = services.selectors.worksheet_compute
    calls = {"n": 0}

    def flaky(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise OSError("storage unavailable")
        return real(*args, **kwargs)

    with mock.patch.object(services.selectors, "worksheet_compute", side_effect=flaky):
        tasks.generate_worksheet_pdf.apply(args=[ws.pk])
    ws.refresh_from_db()
    assert ws.status == Worksheet.Status.READY
    assert ws.attempts == 2


def test_a_transient_error_that_persists_ends_failed_not_running(db):
    ws = _queued()
    with mock.patch.object(
        services.selectors, "worksheet_compute", side_effect=OSError("disk full")
    ):
        result = tasks.generate_worksheet_pdf.apply(args=[ws.pk])
    ws.refresh_from_db()
    assert ws.status == Worksheet.Status.FAILED
    assert "after several attempts: disk full" in ws.error
    assert ws.attempts == tasks.generate_worksheet_pdf.max_retries + 1
    assert result.successful()


def test_a_transient_error_puts_the_job_back_in_the_queue_for_the_retry(db):
    ws = _queued()
    with (
        mock.patch.object(services.selectors, "worksheet_compute", side_effect=OSError("blip")),
        pytest.raises(services.TransientJobError),
    ):
        services.worksheet_build(worksheet_id=ws.pk, final_attempt=False)
    ws.refresh_from_db()
    assert ws.status == Worksheet.Status.QUEUED
    assert "retrying" in ws.error


def test_a_job_whose_worker_died_is_marked_failed_after_the_timeout(db, settings):
    settings.WORKSHEET_JOB_TIMEOUT_SECONDS = 600
    stuck = _queued(
        status=Worksheet.Status.RUNNING,
        started_at=timezone.now() - dt.timedelta(minutes=11),
        attempts=1,
    )
    fresh = Worksheet.objects.create(
        period_start=dt.date(2017, 4, 1),
        period_end=dt.date(2017, 5, 31),
        status="running",
        started_at=timezone.now(),
    )
    assert tasks.fail_stuck_worksheet_jobs.apply().get() == 1
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.status == Worksheet.Status.FAILED
    assert "stopped responding" in stuck.error and "10 minutes" in stuck.error
    assert fresh.status == Worksheet.Status.RUNNING


def test_a_job_no_worker_picked_up_is_marked_failed(db, settings):
    settings.WORKSHEET_JOB_TIMEOUT_SECONDS = 60
    ws = _queued(requested_at=timezone.now() - dt.timedelta(minutes=5))
    assert services.worksheets_fail_stuck() == 1
    ws.refresh_from_db()
    assert ws.status == Worksheet.Status.FAILED
    assert "No worker picked up" in ws.error


def test_an_abandoned_running_job_can_be_taken_over_on_redelivery(db, settings):
    settings.WORKSHEET_JOB_TIMEOUT_SECONDS = 60
    ws = _queued(
        status=Worksheet.Status.RUNNING,
        started_at=timezone.now() - dt.timedelta(minutes=5),
        attempts=1,
    )
    assert services.worksheet_build(worksheet_id=ws.pk) is not None
    ws.refresh_from_db()
    assert (ws.status, ws.attempts) == (Worksheet.Status.READY, 2)


def test_a_reaped_job_that_finishes_late_keeps_its_failed_verdict(db):
    ws = _queued()
    real = services.selectors.worksheet_compute

    def slow(*args, **kwargs):
        Worksheet.objects.filter(pk=ws.pk).update(status=Worksheet.Status.FAILED, error="reaped")
        return real(*args, **kwargs)

    with mock.patch.object(services.selectors, "worksheet_compute", side_effect=slow):
        assert services.worksheet_build(worksheet_id=ws.pk) is None
    ws.refresh_from_db()
    assert (ws.status, ws.error, ws.pdf.name) == (Worksheet.Status.FAILED, "reaped", "")


def test_notes_are_per_row_and_refused_once_frozen(db, users):
    ws = _queued(status=Worksheet.Status.READY)
    director = users["police_facilitator"]
    services.worksheet_note_set(
        worksheet=ws, indicator="homicides", text="  Up in March  ", user=director
    )
    services.worksheet_note_set(
        worksheet=ws, indicator="partnership", text="Meeting cancelled for NNSC", user=director
    )
    ws.refresh_from_db()
    assert ws.notes == {"homicides": "Up in March", "partnership": "Meeting cancelled for NNSC"}
    with pytest.raises(ValidationError, match="under 1000"):
        services.worksheet_note_set(
            worksheet=ws, indicator="homicides", text="x" * 1001, user=director
        )
    with pytest.raises(ValidationError):
        services.worksheet_note_set(worksheet=ws, indicator="nonsense", text="x", user=director)
    services.worksheet_freeze(worksheet=ws, user=director)
    with pytest.raises(ValidationError, match="frozen"):
        services.worksheet_note_set(
            worksheet=ws, indicator="homicides", text="Changed", user=director
        )
    ws.refresh_from_db()
    assert ws.notes["homicides"] == "Up in March"


def test_a_frozen_period_cannot_be_regenerated(db, users):
    _queued(status=Worksheet.Status.READY, frozen=True)
    with pytest.raises(ValidationError, match="frozen"):
        services.worksheet_request(period=FEB_MAR, user=users["police_facilitator"])
    assert Worksheet.objects.count() == 1


def test_downloads_are_audit_events(db, users):
    ws = _queued()
    services.worksheet_build(worksheet_id=ws.pk)
    ws.refresh_from_db()
    with services.worksheet_export(worksheet=ws, user=users["executive"], kind="pdf") as fh:
        assert fh.read(4) == b"%PDF"
    event = AuditEvent.objects.get(action="export")
    assert (event.actor, event.object_id, event.detail) == (
        users["executive"],
        str(ws.pk),
        {"file": "pdf", "format": "pdf", "reason": ""},
    )


def test_benchmark_set_creates_then_changes_and_audits(db, users):
    b = services.benchmark_set(
        indicator="homicides", year=2017, annual_target=72, user=users["admin"]
    )
    services.benchmark_set(indicator="homicides", year=2017, annual_target=70, user=users["admin"])
    b.refresh_from_db()
    assert b.annual_target == 70
    assert AuditEvent.objects.filter(object_type="core.benchmark").count() == 2
    with pytest.raises(ValidationError):
        services.benchmark_set(
            indicator="enforcement", year=2017, annual_target=5, user=users["admin"]
        )


def test_staffing_cannot_exceed_authorised_or_be_in_the_future(db, users):
    unit = f.UnitFactory()
    with pytest.raises(ValidationError):
        services.unit_staffing_record(
            unit=unit,
            recorded_on=dt.date(2017, 3, 1),
            authorised=5,
            filled=6,
            user=users["police_facilitator"],
        )
    with pytest.raises(ValidationError):
        services.unit_staffing_record(
            unit=unit,
            recorded_on=timezone.localdate() + dt.timedelta(days=1),
            authorised=5,
            filled=5,
            user=users["police_facilitator"],
        )
    assert not unit.staffing.exists()


def test_the_scheduled_job_generates_the_worksheet_two_days_before_a_review(
    db, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    f.PerformanceReviewFactory(
        date=today + dt.timedelta(days=2),
        period_start=dt.date(2017, 2, 1),
        period_end=dt.date(2017, 3, 31),
    )
    f.PerformanceReviewFactory(date=today + dt.timedelta(days=9))  # too far ahead
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.generate_upcoming_worksheets.apply().get() == 1
    ws = Worksheet.objects.get()
    assert (ws.period_start, ws.period_end, ws.status, ws.requested_by) == (
        dt.date(2017, 2, 1),
        dt.date(2017, 3, 31),
        "ready",
        None,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.generate_upcoming_worksheets.apply().get() == 0  # once per review
    assert Worksheet.objects.count() == 1


def test_a_review_without_a_period_gets_the_two_months_before_its_month(db):
    review = f.PerformanceReviewFactory(
        date=dt.date(2017, 4, 12), period_start=None, period_end=None
    )
    period = services.selectors.worksheet_period_for_meeting(review)
    assert period == Period(2017, 2, 3)


def test_commitments_reappear_with_their_status_at_the_next_review(db, users, orgs):
    chair = users["executive"]
    first = services.review_create(user=chair, date=dt.date(2017, 4, 12), period=FEB_MAR)
    task = services.commitment_create(
        meeting=first,
        user=chair,
        title="Fill the CRT openings",
        assigned_organisation=orgs["police"],
        due_date=dt.date(2017, 5, 31),
    )
    services.review_close(meeting=first, user=chair, expected_version=first.version)
    nxt = services.review_create(user=chair, date=dt.date(2017, 6, 14), period=Period(2017, 4, 5))
    carried = core_selectors.tasks_carried_forward(Meeting.Kind.PERFORMANCE_REVIEW, nxt.date)
    assert list(carried) == [task]
    assert carried[0].status == Task.Status.OPEN


def test_commitments_need_a_due_date_and_an_open_review(db, users, orgs):
    review = services.review_create(
        user=users["executive"], date=dt.date(2017, 4, 12), period=FEB_MAR
    )
    with pytest.raises(ValidationError):
        services.commitment_create(
            meeting=review,
            user=users["executive"],
            title="x",
            assigned_organisation=orgs["police"],
            due_date=None,
        )
    with pytest.raises(ValidationError):
        services.commitment_create(
            meeting=review,
            user=users["executive"],
            title="x",
            assigned_organisation=orgs["police"],
            due_date=dt.date(2017, 1, 1),
        )
    services.review_close(meeting=review, user=users["executive"], expected_version=review.version)
    with pytest.raises(ValidationError, match="closed"):
        services.commitment_create(
            meeting=review,
            user=users["executive"],
            title="x",
            assigned_organisation=orgs["police"],
            due_date=dt.date(2017, 5, 1),
        )
    assert not Task.objects.exists()


def test_closing_a_review_freezes_its_worksheet(db, users):
    review = services.review_create(
        user=users["executive"], date=dt.date(2017, 4, 12), period=FEB_MAR
    )
    ws = _queued()
    services.worksheet_build(worksheet_id=ws.pk)
    services.review_close(meeting=review, user=users["executive"], expected_version=review.version)
    ws.refresh_from_db()
    assert ws.frozen is True


def test_minutes_refuse_a_stale_version(db, users):
    from ceasefire.core.concurrency import ConcurrentEditError

    review = services.review_create(
        user=users["executive"], date=dt.date(2017, 4, 12), period=FEB_MAR
    )
    services.review_update(
        meeting=review,
        user=users["executive"],
        expected_version=1,
        minutes="First",
        attending_organisations=[],
        attendees=[],
    )
    stale = Meeting.objects.get(pk=review.pk)
    with pytest.raises(ConcurrentEditError):
        services.review_update(
            meeting=stale,
            user=users["police_facilitator"],
            expected_version=1,
            minutes="Second",
            attending_organisations=[],
            attendees=[],
        )
    assert Meeting.objects.get(pk=review.pk).minutes == "First"


def test_on_a_worker_a_transient_error_asks_celery_for_a_retry_with_backoff(db):
    from celery.exceptions import Retry

    ws = _queued()
    task = tasks.generate_worksheet_pdf
    task.push_request(is_eager=False, retries=0, id="t-1")
    try:
        with (
            mock.patch.object(services.selectors, "worksheet_compute", side_effect=OSError("blip")),
            mock.patch.object(task, "retry", side_effect=Retry("retry")) as retry,
            pytest.raises(Retry),
        ):
            task.run(ws.pk)
    finally:
        task.pop_request()
    assert isinstance(retry.call_args.kwargs["exc"], services.TransientJobError)
    assert retry.call_args.kwargs["countdown"] >= 0
    ws.refresh_from_db()
    assert ws.status == Worksheet.Status.QUEUED  # waiting for the retry, not stuck "running"
