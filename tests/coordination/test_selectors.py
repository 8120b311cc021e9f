"""Agenda building, chronic high-risk rules, carry-forward and the counts the worksheet uses."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ceasefire.core import services as core_services
from ceasefire.core.models import Incident, Meeting, Person, Task
from ceasefire.core.selectors import local_midnight
from coordination import selectors, services
from tests import factories as f

pytestmark = pytest.mark.django_db


# --- Agenda from a closed shooting review --------------------------------------------------------


def test_agenda_is_built_from_the_reviews_closed_since_the_previous_coordination_meeting(
    agenda, today
):
    older = f.ClosedShootingReviewFactory(date=today - dt.timedelta(days=20))
    open_review = f.MeetingFactory(
        kind=Meeting.Kind.SHOOTING_REVIEW, date=today - dt.timedelta(days=1)
    )
    feeding = selectors.reviews_feeding(agenda.meeting)
    assert feeding == [agenda.review]
    assert older not in feeding and open_review not in feeding


def test_agenda_falls_back_to_the_latest_closed_review(users, today):
    review = f.ClosedShootingReviewFactory(date=today - dt.timedelta(days=30))
    meeting = f.CoordinationMeetingFactory(date=today)
    assert selectors.reviews_feeding(meeting) == [review]


def test_risk_picture_lists_active_shares_with_recommendations_newest_review_first(
    agenda, users, today
):
    earlier = f.ClosedShootingReviewFactory(date=today - dt.timedelta(days=40))
    long_shared = f.PersonFactory(last_name="Aaron")
    core_services.share_create(
        person=long_shared,
        user=agenda.police,
        reason="At risk after a shooting",
        risk_assessment="At risk",
        source_meeting=earlier,
    )
    shares = list(selectors.shares_on_agenda(agenda.meeting))
    assert [s.person for s in shares] == [agenda.shared, long_shared]
    assert shares[0].is_new == 1 and shares[1].is_new == 0
    assert shares[0].recommended_interventions == ["custom_notification", "life_coach"]


def test_withdrawn_share_leaves_the_risk_picture(agenda, users):
    core_services.share_withdraw(
        share=agenda.share, user=agenda.police, reason="Moved out of state"
    )
    assert not selectors.shares_on_agenda(agenda.meeting).exists()


def test_risk_picture_is_scoped_to_the_people_the_viewer_may_see(agenda, users):
    from ceasefire.core.permissions import people_visible_to

    assert (
        selectors.shares_on_agenda(
            agenda.meeting, people_visible_to(users["community_partner"])
        ).count()
        == 0
    )
    assert (
        selectors.shares_on_agenda(agenda.meeting, people_visible_to(users["partner_lead"])).count()
        == 1
    )


def test_agenda_conflicts_are_hot_and_active_only(db):
    hot = f.ConflictFactory(status="hot")
    active = f.ConflictFactory(status="active")
    f.ConflictFactory(status="dormant")
    from ceasefire.core.models import Conflict

    assert set(selectors.agenda_conflicts(Conflict.objects.all())) == {hot, active}


# --- Chronically high-risk -----------------------------------------------------------------------


def _shooting(person, days_ago, *, weapon=Incident.Weapon.FIREARM, status="counted"):
    incident = f.IncidentFactory(
        occurred_at=timezone.now() - dt.timedelta(days=days_ago),
        weapon=weapon,
        counting_status=status,
        counting_reason="" if status == "counted" else "Not a shooting after all",
    )
    f.InvolvementFactory(incident=incident, person=person)
    return incident


def _chronic(on):
    return set(selectors.people_chronically_high_risk(Person.objects.all(), on=on))


def test_active_vhr_renewed_at_three_reviews_is_chronic_but_two_is_not(today):
    three = f.DesignationFactory(renewal_count=3).person
    two = f.DesignationFactory(renewal_count=2).person
    assert three in _chronic(today)
    assert two not in _chronic(today)


def test_renewed_high_risk_or_ended_vhr_designation_is_not_chronic(today):
    high = f.DesignationFactory(renewal_count=4, level="high").person
    ended = f.DesignationFactory(
        renewal_count=4, ended_on=today - dt.timedelta(days=1), end_reason="withdrawn"
    ).person
    lapsed = f.DesignationFactory(
        renewal_count=4,
        designated_on=today - dt.timedelta(days=120),
        review_due=today - dt.timedelta(days=30),
    ).person
    assert _chronic(today).isdisjoint({high, ended, lapsed})


def test_two_shootings_within_twelve_months_is_chronic(today):
    person = f.PersonFactory()
    _shooting(person, 10)
    _shooting(person, 300)
    found = selectors.people_chronically_high_risk(Person.objects.all(), on=today).get()
    assert found == person and found.shootings == 2


def test_one_shooting_or_an_old_one_or_an_unfounded_one_is_not_chronic(today):
    once = f.PersonFactory()
    _shooting(once, 10)
    old = f.PersonFactory()
    _shooting(old, 10)
    _shooting(old, 400)
    unfounded = f.PersonFactory()
    _shooting(unfounded, 10)
    _shooting(unfounded, 20, status="unfounded")
    stabbed = f.PersonFactory()
    _shooting(stabbed, 10)
    _shooting(stabbed, 20, weapon=Incident.Weapon.OTHER)
    assert _chronic(today) == set()


def test_chronic_list_is_scoped_to_the_viewers_people(agenda, users, today):
    from ceasefire.core.permissions import people_visible_to

    f.DesignationFactory(person=agenda.hidden, renewal_count=3)
    assert agenda.hidden in set(
        selectors.people_chronically_high_risk(
            people_visible_to(users["police_facilitator"]), on=today
        )
    )
    assert not selectors.people_chronically_high_risk(
        people_visible_to(users["partner_lead"]), on=today
    ).exists()


def test_the_chronic_candidates_are_read_once_per_data_version(today, django_assert_num_queries):
    person = f.PersonFactory()
    _shooting(person, 10)
    _shooting(person, 20)
    assert _chronic(today) == {person}
    with django_assert_num_queries(2):  # the data version, the people (the candidates cached)
        assert _chronic(today) == {person}
    renewed = f.DesignationFactory(person=f.PersonFactory(), renewal_count=3)
    with django_assert_num_queries(3):  # a write, a new data version: the candidates read again
        assert _chronic(today) == {person, renewed.person}
    renewed.renewal_count = 2
    renewed.save()
    assert _chronic(today) == {person}


# --- Carry-forward -------------------------------------------------------------------------------


def test_open_follow_ups_from_earlier_coordination_meetings_carry_forward(
    agenda, orgs, users, today
):
    done = f.TaskFactory(
        source_meeting=agenda.last_week, assigned_organisation=orgs["cbo"], status=Task.Status.DONE
    )
    from_review = f.TaskFactory(source_meeting=agenda.review, assigned_organisation=orgs["cbo"])
    from_today = f.TaskFactory(source_meeting=agenda.meeting, assigned_organisation=orgs["cbo"])
    carried = list(selectors.followups_carried_forward(agenda.meeting, Task.objects.all()))
    assert carried == [agenda.task]
    assert done not in carried and from_review not in carried and from_today not in carried


def test_follow_up_keeps_carrying_forward_until_done(agenda, users, today):
    next_meeting = f.CoordinationMeetingFactory(date=today + dt.timedelta(days=14))
    assert agenda.task in selectors.followups_carried_forward(next_meeting, Task.objects.all())
    core_services.task_update(
        task=agenda.task,
        user=users["partner_staff"],
        expected_version=agenda.task.version,
        status="done",
    )
    assert agenda.task not in selectors.followups_carried_forward(next_meeting, Task.objects.all())


def test_health_items_carry_forward_until_closed(agenda, orgs, users, today):
    item = services.health_item_create(
        meeting=agenda.meeting,
        user=users["partner_lead"],
        category="resource_needs",
        title="Need a second life coach",
        owner_organisation=orgs["hsd"],
    )
    nxt = f.CoordinationMeetingFactory(date=today + dt.timedelta(days=14))
    after = f.CoordinationMeetingFactory(date=today + dt.timedelta(days=28))
    assert item in selectors.health_items_on_agenda(nxt)
    services.health_item_update(
        item=item,
        meeting=nxt,
        user=users["partner_lead"],
        expected_version=item.version,
        status="closed",
    )
    assert item in selectors.health_items_on_agenda(nxt), (
        "closed at this meeting: still shown there"
    )
    assert item in selectors.health_items_on_agenda(agenda.meeting), "history: it was open then"
    assert item not in selectors.health_items_on_agenda(after)
    assert item not in selectors.health_items_on_agenda(agenda.last_week), "not raised yet"


# --- My follow-ups -------------------------------------------------------------------------------


def test_my_follow_ups_are_my_organisations_open_tasks_overdue_first_then_by_due_date(
    orgs, users, today
):
    staff = users["partner_staff"]
    later = f.TaskFactory(assigned_organisation=orgs["cbo"], due_date=today + dt.timedelta(days=9))
    overdue = f.TaskFactory(
        assigned_organisation=orgs["cbo"], due_date=today - dt.timedelta(days=3)
    )
    soon = f.TaskFactory(assigned_organisation=orgs["cbo"], due_date=today + dt.timedelta(days=1))
    undated = f.TaskFactory(assigned_organisation=orgs["cbo"], due_date=None)
    mine_elsewhere = f.TaskFactory(
        assigned_organisation=orgs["hsd"], assigned_user=None, due_date=today
    )
    f.TaskFactory(assigned_organisation=orgs["cbo"], status=Task.Status.DONE)
    f.TaskFactory(assigned_organisation=orgs["other_cbo"])
    tasks = list(selectors.followups_for(staff, Task.objects.all(), today=today))
    assert tasks == [overdue, soon, later, undated]
    assert tasks[0].overdue == 1
    assert mine_elsewhere not in tasks


def test_my_follow_ups_include_tasks_assigned_to_me_in_another_organisation(orgs, users, today):
    lead = users["partner_lead"]
    assigned = f.TaskFactory(assigned_organisation=orgs["hsd"], assigned_user=lead)
    assert assigned in selectors.followups_for(lead, Task.objects.all(), today=today)


def test_window_helpers_are_local_time(today):
    assert local_midnight(today).utcoffset() is not None


def test_intervention_labels_are_words_and_keep_unknown_values():
    assert selectors.intervention_labels(["life_coach", "street outreach"]) == [
        "Life-coach follow-up",
        "street outreach",
    ]
    assert selectors.intervention_labels(None) == []
