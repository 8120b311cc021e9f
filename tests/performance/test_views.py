"""Pages: the worksheet, its job panel, notes, traces, benchmarks, enforcement inputs, reviews."""

from __future__ import annotations

import datetime as dt

import pytest

from ceasefire.core.models import AuditEvent, Benchmark, UnitStaffing, Worksheet
from performance import selectors, services
from performance.indicators import Period
from tests import factories as f

FEB_MAR = Period(2017, 2, 3)
SLUG = FEB_MAR.slug
HTMX = {"HX-Request": "true"}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ready(db):
    ws = Worksheet.objects.create(period_start=FEB_MAR.start, period_end=FEB_MAR.end)
    services.worksheet_build(worksheet_id=ws.pk)
    ws.refresh_from_db()
    return ws


def test_worksheet_page_shows_the_seed_figures_with_status_in_words(reference_data, client_for):
    response = client_for("executive").get(f"/performance/worksheet/{SLUG}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "live figures" in html
    assert "Worksheet 1: outcome indicators" in html and "Worksheet 2: activity indicators" in html
    assert "does not meet benchmark — 17% over" in html
    assert "meets benchmark" in html
    assert "✗" in html and "✓" in html  # a mark as well as colour
    assert "<svg" in html  # server-rendered charts
    assert response["Vary"] and "HX-Request" in response["Vary"]


def test_worksheet_page_shows_the_latest_ready_version(ready, client_for):
    html = client_for("partner_lead").get(f"/performance/worksheet/{SLUG}/").content.decode()
    assert "Showing <strong>version 1</strong>" in html
    assert f"/performance/worksheets/{ready.pk}/download/pdf/" in html


def test_an_unknown_period_or_version_is_404(ready, client_for):
    client = client_for("executive")
    assert client.get("/performance/worksheet/2017-13..2017-14/").status_code == 404
    assert client.get(f"/performance/worksheet/{SLUG}/?version=9").status_code == 404
    assert client.get(f"/performance/worksheet/{SLUG}/?version=abc").status_code == 404


def test_generating_from_the_page_runs_the_job_in_process_and_shows_it_ready(
    db, client_for, django_capture_on_commit_callbacks
):
    client = client_for("police_facilitator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/performance/worksheet/{SLUG}/generate/", headers=HTMX)
    assert response.status_code == 200
    assert b'id="versions"' in response.content
    assert Worksheet.objects.get().status == "ready"
    panel = client.get(f"/performance/worksheet/{SLUG}/?polling=1", headers=HTMX)
    assert "✓ Ready" in panel.content.decode()
    assert panel["HX-Refresh"] == "true"  # the job finished: reload to show the new version


def test_a_pending_job_polls_and_shows_its_state(db, client_for):
    Worksheet.objects.create(period_start=FEB_MAR.start, period_end=FEB_MAR.end, status="running")
    panel = client_for("executive").get(f"/performance/worksheet/{SLUG}/?polling=1", headers=HTMX)
    html = panel.content.decode()
    assert "Running…" in html and 'hx-trigger="every 2s"' in html
    assert "HX-Refresh" not in panel


def test_a_failed_job_shows_its_error(db, client_for):
    Worksheet.objects.create(
        period_start=FEB_MAR.start,
        period_end=FEB_MAR.end,
        status="failed",
        error="The PDF could not be made: boom",
    )
    html = client_for("executive").get(f"/performance/worksheet/{SLUG}/").content.decode()
    assert "✗ Failed" in html and "The PDF could not be made: boom" in html


def test_the_director_saves_a_note_through_htmx(ready, client_for):
    response = client_for("police_facilitator").post(
        f"/performance/worksheets/{ready.pk}/notes/homicides/",
        {"note": "Custom notification training on 3.17.17"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "Custom notification training on 3.17.17" in response.content.decode()
    assert "Saved" in response.content.decode()
    ready.refresh_from_db()
    assert ready.notes == {"homicides": "Custom notification training on 3.17.17"}


def test_a_too_long_note_is_refused_with_a_message_and_nothing_saved(ready, client_for):
    response = client_for("police_facilitator").post(
        f"/performance/worksheets/{ready.pk}/notes/homicides/", {"note": "x" * 1001}, headers=HTMX
    )
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()
    ready.refresh_from_db()
    assert ready.notes == {}


def test_a_frozen_worksheet_refuses_notes(ready, client_for, users):
    services.worksheet_freeze(worksheet=ready, user=users["police_facilitator"])
    client = client_for("police_facilitator")
    response = client.post(f"/performance/worksheets/{ready.pk}/notes/homicides/", {"note": "late"})
    assert response.status_code == 302
    ready.refresh_from_db()
    assert ready.notes == {}
    page = client.get(f"/performance/worksheet/{SLUG}/").content.decode()
    assert "Save note" not in page and "frozen" in page


def test_notes_edited_after_generation_are_flagged(ready, client_for, users):
    services.worksheet_note_set(
        worksheet=ready, indicator="homicides", text="New note", user=users["police_facilitator"]
    )
    html = client_for("executive").get(f"/performance/worksheet/{SLUG}/").content.decode()
    assert "Notes edited since this version was generated" in html
    assert "New note" in html


def test_downloading_a_version_asks_why_first_and_writes_nothing(ready, client_for):
    response = client_for("executive").get(f"/performance/worksheets/{ready.pk}/download/pdf/")
    assert response.status_code == 200 and "Why you need this file" in response.content.decode()
    assert not AuditEvent.objects.filter(action="export").exists()


def test_downloading_a_version_is_an_audit_event_with_its_reason(ready, client_for, users):
    response = client_for("executive").post(
        f"/performance/worksheets/{ready.pk}/download/pdf/",
        {"format": "pdf", "reason": "Council briefing"},
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content)[:4] == b"%PDF"
    event = AuditEvent.objects.get(
        action="export", actor=users["executive"], object_id=str(ready.pk)
    )
    assert event.detail["reason"] == "Council briefing" and event.detail["format"] == "pdf"


def test_a_download_without_a_reason_is_refused_and_not_recorded(ready, client_for):
    response = client_for("executive").post(
        f"/performance/worksheets/{ready.pk}/download/pdf/", {"format": "pdf", "reason": ""}
    )
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_version_without_a_file_is_404(db, client_for):
    ws = Worksheet.objects.create(period_start=FEB_MAR.start, period_end=FEB_MAR.end)
    assert (
        client_for("executive")
        .post(
            f"/performance/worksheets/{ws.pk}/download/pdf/",
            {"format": "pdf", "reason": "Council briefing"},
        )
        .status_code
        == 404
    )
    assert (
        client_for("executive").get(f"/performance/worksheets/{ws.pk}/download/exe/").status_code
        == 404
    )


def test_numbers_link_to_their_records_for_the_facilitator_only(reference_data, client_for):
    trace_link = f"/performance/worksheet/{SLUG}/trace/homicides/period/2017/"
    assert (
        trace_link.encode()
        in client_for("police_facilitator").get(f"/performance/worksheet/{SLUG}/").content
    )
    assert b"/trace/" not in client_for("executive").get(f"/performance/worksheet/{SLUG}/").content


def test_the_records_behind_a_number_match_it_and_viewing_is_audited(
    reference_data, client_for, users
):
    client = client_for("police_facilitator")
    response = client.get(f"/performance/worksheet/{SLUG}/trace/homicides/period/2017/")
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 14
    assert "Unidentified" in response.content.decode()
    prior = client.get(f"/performance/worksheet/{SLUG}/trace/nonfatal_injury_shootings/ytd/2016/")
    assert prior.context["page"].paginator.count == 72
    assert (
        AuditEvent.objects.filter(
            action="view", object_type="performance.trace", actor=users["police_facilitator"]
        ).count()
        == 2
    )


def test_trace_lists_are_paginated_in_a_fixed_number_of_queries(
    reference_data, client_for, django_assert_max_num_queries
):
    client = client_for("police_facilitator")
    with django_assert_max_num_queries(12):
        response = client.get(
            f"/performance/worksheet/{SLUG}/trace/nonfatal_injury_shootings/ytd/2014/"
        )
    assert response.context["page"].paginator.count == 86
    assert len(response.context["page"].object_list) == 50


@pytest.mark.django_db
def test_post_call_in_people_list_costs_the_same_queries_for_3_or_60_people(
    client_for, django_assert_max_num_queries
):
    client = client_for("police_facilitator")
    url = f"/performance/worksheet/{SLUG}/trace/post_call_in/period/2017/?part=no_violent_arrest"
    call_in = f.CallInFactory(held_on=dt.date(2017, 1, 10))
    for size in (3, 60):
        call_in.attendees.add(*[f.PersonFactory() for _ in range(size - call_in.attendees.count())])
        with django_assert_max_num_queries(12):
            response = client.get(url)
        assert response.context["page"].paginator.count == size
        assert len(response.context["page"].object_list) == min(size, 50)


@pytest.mark.parametrize(
    ("indicator", "window", "part", "count"),
    [
        ("communication", "period", "", 4),
        ("communication", "ytd", "call_ins", 4),
        ("communication", "period", "focus", 2),
        ("case_management", "period", "", 2),
        ("case_management", "period", "caseload", 3),
        ("case_management", "ytd", "outreach", 1),
        ("enforcement", "ytd", "specialised", 2),
        ("enforcement", "period", "focus", 2),
        ("partnership", "period", "attended_by_both_leads", 2),
        ("partnership", "ytd", "risk_alignment", 2),
        ("post_call_in", "period", "homicide_victim", 1),
        ("post_call_in", "period", "suspect_not_arrested", 1),
        ("post_call_in", "period", "no_violent_arrest", 0),
    ],
)
def test_activity_records_behind_each_figure(
    activity_data, client_for, indicator, window, part, count
):
    url = f"/performance/worksheet/{SLUG}/trace/{indicator}/{window}/2017/" + (
        f"?part={part}" if part else ""
    )
    response = client_for("police_facilitator").get(url)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == count


def test_post_call_in_categories_link_to_their_people_for_police_only(activity_data, client_for):
    trace = f"/performance/worksheet/{SLUG}/trace/post_call_in/period/2017/?part=shooting_victim"
    page = client_for("police_facilitator").get(f"/performance/worksheet/{SLUG}/").content.decode()
    assert trace.replace("&", "&amp;") in page or trace in page
    response = client_for("police_facilitator").get(trace)
    assert [p.first_name for p in response.context["page"]] == ["P2"]
    assert "Everyone who attended a call-in up to 31 Mar 2017" in response.content.decode()
    for role in ("executive", "partner_lead"):
        assert trace not in client_for(role).get(f"/performance/worksheet/{SLUG}/").content.decode()
        assert client_for(role).get(trace).status_code in (403, 404)


def test_trace_refuses_unknown_figures(db, client_for):
    client = client_for("police_facilitator")
    assert client.get(f"/performance/worksheet/{SLUG}/trace/bogus/ytd/2017/").status_code == 404
    assert (
        client.get(f"/performance/worksheet/{SLUG}/trace/homicides/week/2017/").status_code == 404
    )
    assert client.get(f"/performance/worksheet/{SLUG}/trace/homicides/ytd/2010/").status_code == 404
    assert (
        client.get(f"/performance/worksheet/{SLUG}/trace/homicides/ytd/2017/?part=x").status_code
        == 404
    )
    assert (
        client.get(f"/performance/worksheet/{SLUG}/trace/post_call_in/period/2017/").status_code
        == 404
    )


def test_benchmarks_page_suggests_ninety_percent_of_last_year(reference_data, client_for):
    response = client_for("admin").get("/performance/benchmarks/?year=2017")
    rows = {r["indicator"]: r for r in response.context["rows"]}
    assert rows["homicides"]["suggested"] == 15 and rows["homicides"]["target"] == 72
    assert "Suggested" in response.content.decode()


def test_setting_a_benchmark_from_the_page(db, client_for):
    response = client_for("police_facilitator").post(
        "/performance/benchmarks/",
        {"indicator": "nonfatal_injury_shootings", "year": 2018, "annual_target": 276},
    )
    assert response.status_code == 302 and response["Location"].endswith("?year=2018")
    assert (
        Benchmark.objects.get(indicator="nonfatal_injury_shootings", year=2018).annual_target == 276
    )


def test_a_bad_benchmark_is_refused_with_a_message(db, client_for):
    response = client_for("admin").post(
        "/performance/benchmarks/", {"indicator": "homicides", "year": 2017, "annual_target": -3}
    )
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()
    assert not Benchmark.objects.exists()


def test_staffing_form_records_and_refuses_more_filled_than_authorised(db, client_for):
    unit = f.UnitFactory(name="Gang unit", kind="specialised")
    client = client_for("police_facilitator")
    bad = client.post(
        "/performance/enforcement-inputs/",
        {
            "form": "staffing",
            "staffing-unit": unit.pk,
            "staffing-recorded_on": "2017-03-01",
            "staffing-authorised": 8,
            "staffing-filled": 9,
        },
    )
    assert bad.status_code == 400
    assert "cannot exceed authorised" in bad.content.decode()
    assert not UnitStaffing.objects.exists()
    good = client.post(
        "/performance/enforcement-inputs/",
        {
            "form": "staffing",
            "staffing-unit": unit.pk,
            "staffing-recorded_on": "2017-03-01",
            "staffing-authorised": 8,
            "staffing-filled": 7,
        },
    )
    assert good.status_code == 302
    assert UnitStaffing.objects.get().filled == 7
    page = client.get("/performance/enforcement-inputs/").content.decode()
    assert "Gang unit" in page and "88%" in page


def test_plan_status_form_records(db, client_for):
    unit = f.UnitFactory(name="Area 2 CRT")
    response = client_for("police_facilitator").post(
        "/performance/enforcement-inputs/",
        {
            "form": "plan",
            "plan-unit": unit.pk,
            "plan-recorded_on": "2017-03-01",
            "plan-up_to_date": "no",
            "plan-notes": "Being rewritten",
        },
    )
    assert response.status_code == 302
    assert unit.plan_statuses.get().up_to_date is False


def test_scheduling_a_review_and_its_three_agenda_parts(ready, client_for, users, orgs):
    client = client_for("executive")
    response = client.post(
        "/performance/reviews/",
        {"date": "2017-04-12", "year": 2017, "first_month": 2, "last_month": 3},
    )
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    for part in (
        "1. Outcome indicators",
        "2. Activity indicators",
        "3. Running conversation",
        "Next-step commitments",
        "Attendance",
    ):
        assert part in page
    assert "Version 1" in page


def test_a_review_refuses_an_impossible_period(db, client_for):
    response = client_for("executive").post(
        "/performance/reviews/",
        {"date": "2017-04-12", "year": 2017, "first_month": 5, "last_month": 3},
    )
    assert response.status_code == 400
    assert "later (or the same) month" in response.content.decode()


def test_attendance_and_minutes_are_saved(db, client_for, users, orgs):
    review = f.PerformanceReviewFactory()
    response = client_for("executive").post(
        f"/performance/reviews/{review.pk}/update/",
        {
            "version": review.version,
            "minutes": "OPD to fill CRT openings.",
            "attending_organisations": [orgs["police"].pk, orgs["mayor"].pk],
            "attendees": [users["executive"].pk],
        },
    )
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.minutes == "OPD to fill CRT openings."
    assert set(review.attending_organisations.values_list("name", flat=True)) == {
        orgs["police"].name,
        orgs["mayor"].name,
    }


def test_a_stale_minutes_save_is_refused_with_who_changed_it(db, client_for):
    review = f.PerformanceReviewFactory()
    client = client_for("executive")
    client.post(f"/performance/reviews/{review.pk}/update/", {"version": 1, "minutes": "First"})
    response = client_for("police_facilitator").post(
        f"/performance/reviews/{review.pk}/update/", {"version": 1, "minutes": "Second"}
    )
    assert response.status_code == 400
    assert "reload" in response.content.decode()
    review.refresh_from_db()
    assert review.minutes == "First"


def test_a_commitment_made_at_one_review_reappears_with_its_status_at_the_next(
    db, client_for, orgs
):
    client = client_for("executive")
    first = f.PerformanceReviewFactory(date=dt.date(2017, 4, 12))
    response = client.post(
        f"/performance/reviews/{first.pk}/commitments/",
        {
            "title": "Reconcile risk definitions",
            "assigned_organisation": orgs["hsd"].pk,
            "due_date": "2017-05-09",
        },
        headers=HTMX,
    )
    assert response.status_code == 200 and "Reconcile risk definitions" in response.content.decode()
    task = first.tasks.get()
    client.post(
        f"/performance/reviews/{first.pk}/commitments/{task.pk}/status/",
        {"version": task.version, "status": "in_progress"},
    )
    second = f.PerformanceReviewFactory(
        date=dt.date(2017, 6, 14), period_start=dt.date(2017, 4, 1), period_end=dt.date(2017, 5, 31)
    )
    page = client.get(f"/performance/reviews/{second.pk}/").content.decode()
    carried = page.split("Carried forward from earlier reviews")[1].split("Made at this review")[0]
    assert "Reconcile risk definitions" in carried and "In progress" in carried
    index = client.get("/performance/").content.decode()
    assert "Reconcile risk definitions" in index


def test_a_commitment_without_a_due_date_is_refused(db, client_for, orgs):
    review = f.PerformanceReviewFactory()
    response = client_for("executive").post(
        f"/performance/reviews/{review.pk}/commitments/",
        {"title": "Something", "assigned_organisation": orgs["hsd"].pk, "due_date": ""},
    )
    assert response.status_code == 400
    assert not review.tasks.exists()


def test_a_task_made_elsewhere_is_not_changed_from_a_performance_review(db, client_for, orgs):
    review = f.PerformanceReviewFactory()
    task = f.TaskFactory(
        assigned_organisation=orgs["police"], source_meeting=f.CoordinationMeetingFactory()
    )
    response = client_for("police_facilitator").post(  # who may change any task elsewhere
        f"/performance/reviews/{review.pk}/commitments/{task.pk}/status/",
        {"version": task.version, "status": "done"},
    )
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.status != "done"


def test_closing_a_review_makes_it_read_only(ready, client_for):
    review = f.PerformanceReviewFactory()
    client = client_for("executive")
    assert (
        client.post(
            f"/performance/reviews/{review.pk}/close/", {"version": review.version}
        ).status_code
        == 302
    )
    review.refresh_from_db()
    ready.refresh_from_db()
    assert review.is_closed and ready.frozen
    page = client.get(f"/performance/reviews/{review.pk}/").content.decode()
    assert "Add commitment" not in page and "Close the review" not in page


def test_lists_stay_within_a_fixed_number_of_queries(
    db, client_for, orgs, django_assert_max_num_queries
):
    client = client_for("executive")
    for i in range(3):
        review = f.PerformanceReviewFactory(date=dt.date(2017, 4, 1) + dt.timedelta(days=i))
        f.CommitmentFactory(source_meeting=review, assigned_organisation=orgs["police"])
    with django_assert_max_num_queries(20) as few:
        client.get("/performance/reviews/")
    with django_assert_max_num_queries(30):
        client.get("/performance/")
    for i in range(30):
        review = f.PerformanceReviewFactory(date=dt.date(2016, 1, 1) + dt.timedelta(days=i))
        f.CommitmentFactory(source_meeting=review, assigned_organisation=orgs["police"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/performance/reviews/")
    with django_assert_max_num_queries(30):
        client.get("/performance/")


def test_the_review_page_query_count_does_not_grow_with_commitments(
    db, client_for, orgs, django_assert_max_num_queries
):
    review = f.PerformanceReviewFactory(date=dt.date(2017, 6, 14))
    f.CommitmentFactory(
        source_meeting=f.PerformanceReviewFactory(date=dt.date(2017, 4, 12)),
        assigned_organisation=orgs["police"],
    )
    client = client_for("police_facilitator")
    with django_assert_max_num_queries(40) as few:
        client.get(f"/performance/reviews/{review.pk}/")
    earlier = f.PerformanceReviewFactory(date=dt.date(2017, 2, 1))
    for _ in range(20):
        f.CommitmentFactory(source_meeting=earlier, assigned_organisation=orgs["police"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(f"/performance/reviews/{review.pk}/")


def test_the_period_chooser_redirects_or_explains(db, client_for):
    client = client_for("executive")
    ok = client.get("/performance/worksheet/?year=2017&first_month=2&last_month=3")
    assert ok["Location"] == f"/performance/worksheet/{SLUG}/"
    bad = client.get("/performance/worksheet/?year=2017&first_month=4&last_month=3", follow=True)
    assert "later (or the same) month" in bad.content.decode()


def test_selectors_are_reused_by_the_page(reference_data, client_for):
    data = selectors.worksheet_compute(FEB_MAR)
    response = client_for("executive").get(f"/performance/worksheet/{SLUG}/")
    assert response.context["w"]["snapshot"]["outcomes"] == data["outcomes"]


def test_commitments_made_at_a_review_are_paginated(db, client_for, orgs):
    review = f.PerformanceReviewFactory()
    for i in range(26):
        f.CommitmentFactory(
            source_meeting=review, assigned_organisation=orgs["police"], title=f"Step {i:02d}"
        )
    client = client_for("executive")
    first = client.get(f"/performance/reviews/{review.pk}/").content.decode()
    assert "Step 24" in first and "Step 25" not in first
    assert "?made_page=2#commitments" in first
    second = client.get(f"/performance/reviews/{review.pk}/?made_page=2").content.decode()
    assert "Step 25" in second and "Step 00" not in second
