"""The PDF job records how long it spent computing, rendering and storing; police facilitators
see it on the worksheet's versions panel."""

from __future__ import annotations

from unittest import mock

import pytest
from django.template.defaultfilters import floatformat

from ceasefire.core.models import Worksheet
from performance import services
from performance.indicators import Period

FEB_MAR = Period(2017, 2, 3)
URL = f"/performance/worksheet/{FEB_MAR.slug}/"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ready(db):
    ws = Worksheet.objects.create(period_start=FEB_MAR.start, period_end=FEB_MAR.end)
    services.worksheet_build(worksheet_id=ws.pk)
    ws.refresh_from_db()
    return ws


def test_the_pdf_job_records_its_compute_render_and_store_seconds(ready):
    assert ready.status == "ready"
    for seconds in (ready.compute_seconds, ready.render_seconds, ready.store_seconds):
        assert seconds is not None and 0 <= seconds < 60
    assert ready.render_seconds > 0


def test_a_queued_version_has_no_timings_yet(db):
    ws = Worksheet.objects.create(period_start=FEB_MAR.start, period_end=FEB_MAR.end)
    assert (ws.compute_seconds, ws.render_seconds, ws.store_seconds) == (None, None, None)


def test_police_facilitators_see_the_job_timings(ready, client_for):
    html = client_for("police_facilitator").get(URL).content.decode()
    # as the template rounds it (half up: Python's format would give 0.42 for 0.425)
    assert f"render {floatformat(ready.render_seconds, 2)} s" in html
    assert "compute " in html and "store " in html


@pytest.mark.parametrize("role", ["executive", "partner_lead"])
def test_other_readers_of_the_worksheet_do_not_see_the_job_timings(ready, client_for, role):
    response = client_for(role).get(URL)
    assert response.status_code == 200
    assert "job-timings" not in response.content.decode()


def test_each_worker_process_warms_the_pdf_renderer_as_it_starts(reference_data):
    from celery.signals import worker_process_init

    from performance import tasks

    assert tasks.warm_pdf_renderer in [ref() for _, ref in worker_process_init.receivers]
    with mock.patch("performance.pdf.worksheet_pdf_warm_up", return_value=0.1) as warm_up:
        tasks.warm_pdf_renderer()
    (snapshot,) = warm_up.call_args.args
    assert snapshot["period"]["label"]  # the current period's figures, now cached


def test_the_warm_up_renders_without_a_database():
    from performance.pdf import worksheet_pdf_warm_up

    assert worksheet_pdf_warm_up() > 0
