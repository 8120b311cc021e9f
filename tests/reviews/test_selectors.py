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


def _entry(review, week, key="shooting"):
    agenda = selectors.review_agenda(review, tasks=Task.objects.all())
    listed = next(e for e in agenda["entries"] if e.incident_id == week[key].pk)
    return selectors.review_entry(review, listed.pk)


def _reasons(entry) -> dict[str, list[str]]:
    return {
        str(s.person): [r.code for r in s.reasons]
        for s in entry.suggestions + entry.more_suggestions
    }


def test_suggestions_rank_the_victim_and_the_victims_network_with_every_reason(review, week):
    entry = _entry(review, week)
    by_name = {str(s.person): s for s in entry.suggestions}
    assert [str(s.person) for s in entry.suggestions] == ["Marcus Reed", "Dante Hill"]
    assert [r.text for r in by_name["Marcus Reed"].reasons] == ["victim of this shooting"]
    old_day = timezone.localtime(week["old"].occurred_at)
    (tie,) = by_name["Dante Hill"].reasons
    assert tie.text.startswith(f"co-victim in #OLD-1, {old_day.day} ")
    assert tie.text.endswith("with Marcus Reed") and tie.points == 3
    assert by_name["Marcus Reed"].score == 5
    assert all(s.decision is None for s in entry.suggestions)


def test_group_membership_alone_never_suggests_anyone(review, week):
    by_name = _reasons(_entry(review, week))
    assert "Tyrell Green" not in by_name  # a member of the victim's group, nothing else
    assert "Jamal Stone" not in by_name  # a member of the opposing group, nothing else


def test_a_designation_in_force_raises_a_suggested_person_but_suggests_nobody_alone(review, week):
    f.DesignationFactory(person=week["dante"], designated_on=week["today"] - dt.timedelta(days=30))
    f.DesignationFactory(person=week["tyrell"], designated_on=week["today"] - dt.timedelta(days=30))
    by_name = _reasons(_entry(review, week))
    assert by_name["Dante Hill"] == ["network_tie", "designation"]
    assert "Tyrell Green" not in by_name


def test_being_named_in_the_linked_conflicts_recent_incidents_suggests_a_person(review, week):
    recent = f.IncidentFactory(
        case_number="CONF-1",
        conflict=week["conflict"],
        occurred_at=week["shooting"].occurred_at - dt.timedelta(days=20),
    )
    f.InvolvementFactory(
        incident=recent, person=week["jamal"], role=Involvement.Role.SUSPECT, injury=""
    )
    stale = f.IncidentFactory(
        case_number="CONF-OLD",
        conflict=week["conflict"],
        occurred_at=week["shooting"].occurred_at - dt.timedelta(days=91),
    )
    f.InvolvementFactory(
        incident=stale, person=week["tyrell"], role=Involvement.Role.SUSPECT, injury=""
    )
    entry = _entry(review, week)
    jamal = next(s for s in entry.suggestions if str(s.person) == "Jamal Stone")
    (reason,) = jamal.reasons
    assert reason.code == "conflict_incident" and reason.points == 3  # the conflict is hot
    assert "#CONF-1" in reason.text and "hot conflict Ghost Town vs Acorn" in reason.text
    assert "Tyrell Green" not in _reasons(entry)


def test_a_recent_wound_adds_to_the_score(review, week):
    wound = f.IncidentFactory(
        case_number="RECENT-1", occurred_at=week["shooting"].occurred_at - dt.timedelta(days=40)
    )
    f.InvolvementFactory(
        incident=wound,
        person=week["marcus"],
        role=Involvement.Role.VICTIM,
        injury=Involvement.Injury.NONFATAL,
    )
    marcus = next(s for s in _entry(review, week).suggestions if str(s.person) == "Marcus Reed")
    assert [r.code for r in marcus.reasons] == ["this_shooting", "recent_victim"]
    assert marcus.score == 7


def test_suggestions_are_capped_and_the_rest_fold_away_weakest_last(review, week, settings):
    settings.SUGGESTION_CAP = 3
    for n in range(5):
        earlier = f.IncidentFactory(
            case_number=f"TIE-{n}",
            occurred_at=week["shooting"].occurred_at - dt.timedelta(days=100 + n),
        )
        f.InvolvementFactory(incident=earlier, person=week["marcus"])
        f.InvolvementFactory(incident=earlier, person=f.PersonFactory(last_name=f"Tie{n}"))
    entry = _entry(review, week)
    assert len(entry.suggestions) == 3 and len(entry.more_suggestions) == 4
    assert str(entry.suggestions[0].person) == "Marcus Reed"
    scores = [s.score for s in entry.suggestions + entry.more_suggestions]
    assert scores == sorted(scores, reverse=True)


def test_the_killed_and_the_deceased_are_not_suggested(review, week):
    week["dante"].deceased = True
    week["dante"].save(update_fields=["deceased"])
    assert "Dante Hill" not in _reasons(_entry(review, week))


def test_earlier_incidents_older_than_two_years_are_not_a_reason(review, week):
    week["old"].occurred_at = week["shooting"].occurred_at - dt.timedelta(days=731)
    week["old"].save(update_fields=["occurred_at"])
    assert "Dante Hill" not in _reasons(_entry(review, week))


def test_a_dormant_conflict_names_nobody(review, week):
    recent = f.IncidentFactory(
        conflict=week["conflict"], occurred_at=week["shooting"].occurred_at - dt.timedelta(days=5)
    )
    f.InvolvementFactory(
        incident=recent, person=week["jamal"], role=Involvement.Role.SUSPECT, injury=""
    )
    week["conflict"].status = "dormant"
    week["conflict"].save(update_fields=["status"])
    assert "Jamal Stone" not in _reasons(_entry(review, week))


def test_suggestions_run_in_a_bounded_number_of_queries(
    review, week, django_assert_max_num_queries
):
    entries = selectors.review_incidents(review)
    with django_assert_max_num_queries(7) as small:
        selectors.suggestions_for_review(entries, review)
    for n in range(8):
        incident = f.IncidentFactory(case_number=f"S-{n}", conflict=week["conflict"])
        victim = f.PersonFactory()
        f.InvolvementFactory(incident=incident, person=victim)
        f.InvolvementFactory(incident=week["old"], person=f.PersonFactory())
        f.InvolvementFactory(incident=incident, person=f.PersonFactory(), role="suspect", injury="")
        f.DesignationFactory(person=victim)
        ReviewIncident.objects.create(meeting=review, incident=incident, order=20 + n)
    entries = selectors.review_incidents(review)
    with django_assert_max_num_queries(len(small.captured_queries)):
        result = selectors.suggestions_for_review(entries, review)
    assert len(result) == 10
    assert sum(len(r.all) for r in result.values()) > 20


def test_hottest_conflicts_puts_hot_before_active_and_skips_dormant(week):
    f.ConflictFactory(status="dormant")
    active = f.ConflictFactory(status="active")
    hottest = selectors.conflicts_hottest(week["today"])
    assert hottest[0] == week["conflict"] and active in hottest
    assert all(c.status != "dormant" for c in hottest)
