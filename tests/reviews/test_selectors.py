"""Window and agenda building, carry-forward and the imminent-risk suggestions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ceasefire.core.models import Involvement, Meeting, Task
from ceasefire.core.selectors import local_midnight
from reviews import selectors, services
from reviews.models import ReviewIncident
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_first_review_window_looks_back_one_week_to_the_start_of_the_meeting_day():
    start, end = selectors.review_window_proposed(dt.date(2017, 3, 14))
    assert (start, end) == (
        local_midnight(dt.date(2017, 3, 7)),
        local_midnight(dt.date(2017, 3, 14)),
    )


def test_next_window_starts_where_the_previous_review_window_ended():
    f.ShootingReviewFactory(
        date=dt.date(2017, 3, 7),
        window_end=local_midnight(dt.date(2017, 3, 7)) + dt.timedelta(hours=9),
    )
    start, end = selectors.review_window_proposed(dt.date(2017, 3, 14))
    assert start == local_midnight(dt.date(2017, 3, 7)) + dt.timedelta(hours=9)
    assert end == local_midnight(dt.date(2017, 3, 14))


def test_window_across_the_spring_clock_change_is_in_local_time():
    # 12 March 2017: clocks went forward in Los Angeles; the window is 7 local days, 167 real hours
    start, end = selectors.review_window_proposed(dt.date(2017, 3, 14))
    assert end.astimezone(dt.UTC) - start.astimezone(dt.UTC) == dt.timedelta(days=7, hours=-1)
    assert timezone.localtime(start).hour == 0 and timezone.localtime(end).hour == 0


def test_agenda_includes_shootings_at_the_window_start_and_excludes_the_window_end(users):
    day = dt.date(2017, 3, 14)
    start, end = local_midnight(dt.date(2017, 3, 7)), local_midnight(day)
    at_start = f.IncidentFactory(case_number="EDGE-START", occurred_at=start)
    last_minute = f.IncidentFactory(
        case_number="EDGE-2359", occurred_at=end - dt.timedelta(minutes=1)
    )
    at_end = f.IncidentFactory(case_number="EDGE-END", occurred_at=end)
    before = f.IncidentFactory(
        case_number="EDGE-BEFORE", occurred_at=start - dt.timedelta(seconds=1)
    )
    review = services.review_create(user=users["police_facilitator"], date=day)
    on_agenda = set(
        ReviewIncident.objects.filter(meeting=review).values_list(
            "incident__case_number", flat=True
        )
    )
    assert {at_start.case_number, last_minute.case_number} <= on_agenda
    assert at_end.case_number not in on_agenda and before.case_number not in on_agenda


def test_agenda_has_every_kind_of_shooting_but_not_a_non_shooting(users):
    day = dt.date(2017, 3, 14)
    when = local_midnight(dt.date(2017, 3, 10)) + dt.timedelta(hours=20)
    fatal = f.IncidentFactory(occurred_at=when)
    f.InvolvementFactory(incident=fatal, person=None, injury=Involvement.Injury.FATAL)
    wounded = f.IncidentFactory(occurred_at=when)
    f.InvolvementFactory(incident=wounded, person=None, injury=Involvement.Injury.NONFATAL)
    shots_fired = f.IncidentFactory(occurred_at=when)
    stabbing = f.IncidentFactory(occurred_at=when, weapon="other")
    review = services.review_create(user=users["police_facilitator"], date=day)
    ids = set(review.review_incidents.values_list("incident_id", flat=True))
    assert ids == {fatal.pk, wounded.pk, shots_fired.pk}
    assert stabbing.pk not in ids
    assert review.agenda_items.filter(section="shootings", incident__isnull=False).count() == 3


def test_open_tasks_of_earlier_reviews_carry_forward_with_their_updates(users, orgs):
    earlier = f.ShootingReviewFactory(date=dt.date(2017, 3, 7))
    carried = f.TaskFactory(
        title="Find the car", source_meeting=earlier, assigned_organisation=orgs["police"]
    )
    f.TaskFactory(
        title="Already done",
        source_meeting=earlier,
        status=Task.Status.DONE,
        assigned_organisation=orgs["police"],
    )
    f.TaskFactory(
        title="From coordination",
        source_meeting=f.MeetingFactory(kind=Meeting.Kind.COORDINATION, date=dt.date(2017, 3, 8)),
        assigned_organisation=orgs["hsd"],
    )
    review = services.review_create(user=users["police_facilitator"], date=dt.date(2017, 3, 14))
    agenda = selectors.review_agenda(review, tasks=Task.objects.all())
    assert [t.title for t in agenda["deliverables"]] == [carried.title]


def test_suggestions_give_each_reason_and_leave_out_the_victim(review, week):
    agenda = selectors.review_agenda(review, tasks=Task.objects.all())
    entry = next(e for e in agenda["entries"] if e.incident_id == week["shooting"].pk)
    by_name = {str(s.person): s.reasons for s in entry.suggestions}
    old_day = timezone.localtime(week["old"].occurred_at)
    assert any(r.startswith(f"co-victim in #OLD-1, {old_day.day} ") for r in by_name["Dante Hill"])
    assert by_name["Tyrell Green"] == ["member of Ghost Town, like victim Marcus Reed"]
    assert any(
        "member of Acorn, the opposing group in the hot conflict" in r
        for r in by_name["Jamal Stone"]
    )
    assert "Marcus Reed" not in by_name
    assert all(s.decision is None for s in entry.suggestions)


def test_earlier_incidents_older_than_two_years_are_not_a_reason(review, week):
    week["old"].occurred_at = week["shooting"].occurred_at - dt.timedelta(days=731)
    week["old"].save(update_fields=["occurred_at"])
    agenda = selectors.review_agenda(review, tasks=Task.objects.all())
    entry = next(e for e in agenda["entries"] if e.incident_id == week["shooting"].pk)
    assert "Dante Hill" not in {str(s.person) for s in entry.suggestions}


def test_a_dormant_conflict_suggests_no_opposing_members(review, week):
    week["conflict"].status = "dormant"
    week["conflict"].save(update_fields=["status"])
    agenda = selectors.review_agenda(review, tasks=Task.objects.all())
    entry = next(e for e in agenda["entries"] if e.incident_id == week["shooting"].pk)
    assert "Jamal Stone" not in {str(s.person) for s in entry.suggestions}


def test_suggestions_run_in_a_bounded_number_of_queries(
    review, week, django_assert_max_num_queries
):
    entries = selectors.review_incidents(review)
    with django_assert_max_num_queries(6) as small:
        selectors.suggestions_for_review(entries, review)
    for n in range(8):
        incident = f.IncidentFactory(case_number=f"S-{n}", conflict=week["conflict"])
        victim = f.PersonFactory()
        f.AffiliationFactory(person=victim, group=week["ghost"])
        f.InvolvementFactory(incident=incident, person=victim)
        ReviewIncident.objects.create(meeting=review, incident=incident, order=20 + n)
    entries = selectors.review_incidents(review)
    with django_assert_max_num_queries(len(small.captured_queries)):
        result = selectors.suggestions_for_review(entries, review)
    assert len(result) == 10


def test_hottest_conflicts_puts_hot_before_active_and_skips_dormant(week):
    f.ConflictFactory(status="dormant")
    active = f.ConflictFactory(status="active")
    hottest = selectors.conflicts_hottest(week["today"])
    assert hottest[0] == week["conflict"] and active in hottest
    assert all(c.status != "dormant" for c in hottest)
