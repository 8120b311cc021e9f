"""Services of the shooting log and the review: validation, concurrency, designations, closing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ceasefire.core.concurrency import ConcurrentEditError
from ceasefire.core.models import (
    AuditEvent,
    Incident,
    Involvement,
    Meeting,
    PartnershipShare,
    Person,
    RiskDesignation,
    Task,
)
from reviews import selectors, services
from reviews.models import DesignationDecision, FollowUpChoice, ReviewIncident, RiskDecision
from reviews.ranking import Reason
from tests import factories as f

pytestmark = pytest.mark.django_db


def facts(**extra):
    return {
        "case_number": "S-1",
        "occurred_at": timezone.now() - dt.timedelta(hours=1),
        "address": "1 Main",
        "weapon": "firearm",
        **extra,
    }


def test_weapon_rule_homicide_any_weapon_but_wounded_needs_a_firearm():
    assert services.weapon_victim_problem("other", "fatal") is None
    assert services.weapon_victim_problem("firearm", "nonfatal") is None
    assert "not a shooting" in services.weapon_victim_problem("other", "nonfatal")
    assert "not a shooting" in services.weapon_victim_problem("other", "none")


def test_incident_create_with_wounded_victims_and_weapon_other_writes_nothing(users):
    with pytest.raises(ValidationError, match="not a shooting"):
        services.incident_create(
            user=users["police_facilitator"], facts=facts(weapon="other"), nonfatal_victims=1
        )
    assert not Incident.objects.exists()


def test_changing_the_weapon_to_other_is_refused_while_victims_are_wounded(users):
    incident = services.incident_create(
        user=users["police_facilitator"], facts=facts(), nonfatal_victims=1
    )
    with pytest.raises(ValidationError, match="only a firearm explains"):
        services.incident_update(
            incident=incident,
            user=users["police_facilitator"],
            expected_version=incident.version,
            facts={"weapon": "other"},
        )
    incident.refresh_from_db()
    assert incident.weapon == "firearm" and incident.version == 1


def test_stale_incident_save_is_refused_with_who_and_when(users):
    incident = services.incident_create(user=users["police_facilitator"], facts=facts())
    services.incident_update(
        incident=incident,
        user=users["police_facilitator"],
        expected_version=1,
        facts={"address": "A"},
    )
    stale = Incident.objects.get(pk=incident.pk)
    with pytest.raises(ConcurrentEditError, match=r"changed by .* at \d\d:\d\d — reload"):
        services.incident_update(
            incident=stale, user=users["police_viewer"], expected_version=1, facts={"address": "B"}
        )
    stale.refresh_from_db()
    assert stale.address == "A"


def test_unidentified_victim_can_be_identified_without_changing_the_counts(users, week):
    unidentified = week["shooting"].involvements.get(person__isnull=True)
    services.involvement_identify(
        involvement=unidentified, user=users["police_facilitator"], person=week["dante"]
    )
    assert week["shooting"].involvements.filter(injury="fatal").count() == 1
    assert week["shooting"].involvements.get(injury="fatal").person == week["dante"]


def test_a_victim_is_identified_as_a_new_person_or_nobody_is_created(users, week):
    unidentified = week["shooting"].involvements.get(person__isnull=True)
    user = users["police_facilitator"]
    with pytest.raises(ValidationError, match="type a first and last name"):
        services.involvement_identify(
            involvement=unidentified, user=user, new_person={"first_name": "Ray"}
        )
    # the victim already named at this incident: the new person goes with the refusal
    marcus = {"first_name": "Ray", "last_name": "Cole", "date_of_birth": None}
    named = week["shooting"].involvements.get(person=week["marcus"])
    people = Person.objects.count()
    with pytest.raises(ValidationError, match="already identified"):
        services.involvement_identify(involvement=named, user=user, new_person=marcus)
    assert Person.objects.count() == people
    services.involvement_identify(involvement=unidentified, user=user, new_person=marcus)
    unidentified.refresh_from_db()
    assert unidentified.person.last_name == "Cole" and Person.objects.count() == people + 1


def test_only_victims_may_be_unidentified(users, week):
    with pytest.raises(ValidationError, match="known person"):
        services.involvement_add(
            incident=week["quiet"], user=users["police_facilitator"], role="suspect"
        )


def test_a_person_cannot_be_added_twice_in_the_same_role(users, week):
    with pytest.raises(ValidationError, match="already recorded"):
        services.involvement_add(
            incident=week["shooting"],
            user=users["police_facilitator"],
            role="victim",
            injury="nonfatal",
            person=week["marcus"],
        )


def test_creating_an_obvious_duplicate_person_is_refused(users, week):
    with pytest.raises(ValidationError, match="already recorded"):
        services.person_create(
            user=users["police_facilitator"],
            first_name="marcus",
            last_name="reed",
            date_of_birth=week["marcus"].date_of_birth,
        )


def test_review_create_builds_the_four_sections_and_is_audited(review):
    assert review.kind == Meeting.Kind.SHOOTING_REVIEW and review.state == "draft"
    assert [i.section for i in review.agenda_items.filter(incident__isnull=True)] == [
        "deliverables",
        "shootings",
        "risk",
        "response",
    ]
    assert AuditEvent.objects.filter(
        action="create", object_type="core.meeting", object_id=str(review.pk)
    ).exists()


def test_refresh_adds_shootings_logged_after_the_agenda_was_built(review, week, users):
    late = f.IncidentFactory(occurred_at=review.window_start + dt.timedelta(hours=1))
    assert services.review_refresh(review=review, user=users["police_facilitator"]) == 1
    assert ReviewIncident.objects.filter(meeting=review, incident=late).exists()
    assert services.review_refresh(review=review, user=users["police_facilitator"]) == 0


def test_confirming_a_suggestion_designates_nobody(review, week, users):
    services.risk_decide(
        review=review,
        user=users["police_facilitator"],
        incident=week["shooting"],
        person=week["dante"],
        decision="confirmed",
        reason="co-victim in #OLD-1",
    )
    decision = RiskDecision.objects.get()
    assert decision.reason == "co-victim in #OLD-1"
    assert not RiskDesignation.objects.exists()
    review.refresh_from_db()
    assert review.state == "in_progress"


OFFERED = [
    Reason("this_shooting", "victim of this shooting", 5),
    Reason("recent_victim", "victim of a shooting in the last 90 days (#X, 1 March)", 2),
]


def _decide(review, week, users, **kwargs):
    return services.risk_decide(
        review=review,
        user=users["police_facilitator"],
        incident=week["shooting"],
        person=week["marcus"],
        offered=OFFERED,
        **kwargs,
    )


def test_confirming_records_who_when_and_the_reasons_accepted(review, week, users):
    decision = _decide(review, week, users, decision="confirmed", accepted=["recent_victim"])
    assert decision.decided_by == users["police_facilitator"] and decision.decided_at
    assert decision.accepted_codes == ["recent_victim"]
    assert decision.reason == OFFERED[1].text
    assert [r["code"] for r in decision.offered_reasons] == ["this_shooting", "recent_victim"]
    assert decision.score == 7


def test_confirming_a_suggestion_needs_one_of_its_reasons(review, week, users):
    with pytest.raises(ValidationError, match="Tick at least one reason"):
        _decide(review, week, users, decision="confirmed", accepted=[])
    with pytest.raises(ValidationError, match="not this suggestion"):
        _decide(review, week, users, decision="confirmed", accepted=["designation"])
    assert not RiskDecision.objects.exists()


def test_adding_someone_by_hand_needs_a_written_reason(review, week, users):
    with pytest.raises(ValidationError, match="Say why"):
        services.risk_decide(
            review=review,
            user=users["police_facilitator"],
            incident=week["shooting"],
            person=week["tyrell"],
            decision="confirmed",
        )
    assert not RiskDecision.objects.exists()


def test_dismissing_records_why(review, week, users):
    with pytest.raises(ValidationError, match="Say why you dismiss"):
        _decide(review, week, users, decision="dismissed", dismissal_reason="  ")
    decision = _decide(review, week, users, decision="dismissed", dismissal_reason="In custody")
    assert decision.dismissal_reason == "In custody" and decision.accepted_reasons == []


def test_a_later_confirmation_replaces_a_dismissal(review, week, users):
    _decide(review, week, users, decision="dismissed", dismissal_reason="In custody")
    decision = _decide(review, week, users, decision="confirmed", accepted=["this_shooting"])
    assert RiskDecision.objects.get() == decision
    assert decision.dismissal_reason == "" and decision.accepted_codes == ["this_shooting"]


def test_designate_needs_a_basis_and_records_the_decision(review, week, users):
    with pytest.raises(ValidationError):
        services.review_designate(
            review=review,
            user=users["police_facilitator"],
            person=week["marcus"],
            level="vhr",
            basis=" ",
            criteria=["victim_recent_shooting"],
            incidents=[week["shooting"]],
        )
    decision = services.review_designate(
        review=review,
        user=users["police_facilitator"],
        person=week["marcus"],
        level="vhr",
        basis="Shot twice in a year; hot conflict.",
        criteria=["victim_recent_shooting"],
        incidents=[week["shooting"]],
    )
    designation = decision.designation
    assert designation.basis_meeting == review and list(designation.basis_incidents.all()) == [
        week["shooting"]
    ]
    assert designation.review_due == timezone.localdate() + dt.timedelta(days=90)
    assert designation.status == "confirmed" and designation.confirmed_in == review


def test_designating_with_free_text_alone_is_refused(review, week, users):
    with pytest.raises(ValidationError, match="free text alone"):
        services.review_designate(
            review=review,
            user=users["police_facilitator"],
            person=week["marcus"],
            level="vhr",
            basis="Known to be dangerous.",
            criteria=[],
            incidents=[week["shooting"]],
        )
    assert not RiskDesignation.objects.exists()


def test_designating_someone_with_no_incident_or_finding_at_the_review_is_refused(
    review, week, users
):
    with pytest.raises(ValidationError, match="No basis at this review"):
        services.review_designate(
            review=review,
            user=users["police_facilitator"],
            person=week["tyrell"],
            level="high",
            basis="Member of Ghost Town.",
            criteria=["associate_recent_victim_conflict"],
            incidents=[],
        )
    assert not RiskDesignation.objects.exists()


def test_a_confirmed_imminent_risk_decision_is_a_finding_that_supports_a_designation(
    review, week, users
):
    services.risk_decide(
        review=review,
        user=users["police_facilitator"],
        incident=week["shooting"],
        person=week["dante"],
        decision="confirmed",
        reason="co-victim in #OLD-1",
    )
    decision = services.review_designate(
        review=review,
        user=users["police_facilitator"],
        person=week["dante"],
        level="high",
        basis="Co-victim of this week's victim a year ago.",
        criteria=["associate_recent_victim_conflict"],
        incidents=[],
    )
    assert decision.designation.status == "confirmed"


def test_renewing_a_designation_keeps_history_and_needs_a_new_basis(review, week, users):
    old = f.DesignationFactory(
        person=week["dante"], designated_on=timezone.localdate() - dt.timedelta(days=85)
    )
    with pytest.raises(ValidationError, match="new basis"):
        services.review_designation_renew(
            review=review,
            user=users["police_facilitator"],
            designation=old,
            basis=old.basis,
            criteria=["victim_recent_shooting"],
        )
    with pytest.raises(ValidationError, match="criterion"):
        services.review_designation_renew(
            review=review,
            user=users["police_facilitator"],
            designation=old,
            basis="Co-victim again",
            criteria=[],
        )
    decision = services.review_designation_renew(
        review=review,
        user=users["police_facilitator"],
        designation=old,
        basis="Co-victim of Marcus Reed again on " + str(timezone.localdate()),
        criteria=["credible_retaliation_threat"],
    )
    old.refresh_from_db()
    assert old.end_reason == RiskDesignation.EndReason.RENEWED
    renewed = decision.designation
    assert renewed.renews == old and renewed.renewal_count == 1
    assert renewed.designated_by == users["police_facilitator"]
    assert renewed.designated_on == review.date and renewed.criteria == [
        "credible_retaliation_threat"
    ]
    assert RiskDesignation.objects.filter(person=week["dante"]).count() == 2
    assert DesignationDecision.objects.get().action == "renew"


def _pending(week, users, person=None):
    from ceasefire.core import services as core_services

    return core_services.designation_create(
        person=person or week["dante"],
        level="high",
        basis="Named by two witnesses after the 12 May shooting.",
        criteria=["named_active_conflict_incidents"],
        basis_incidents=[week["old"]],
        user=users["police_facilitator"],
        designated_on=timezone.localdate() - dt.timedelta(days=3),
    )


def test_a_designation_made_outside_a_review_is_pending_until_the_next_review(review, week, users):
    pending = _pending(week, users)
    assert pending.status == "pending"
    assert not RiskDesignation.objects.active_on(timezone.localdate()).exists()
    agenda = selectors.review_agenda(review, tasks=Task.objects.all())
    assert agenda["pending"] == [pending]
    services.review_designation_confirm(
        review=review, user=users["police_facilitator"], designation=pending
    )
    pending.refresh_from_db()
    assert pending.status == "confirmed" and pending.confirmed_in == review
    assert pending.designated_on == review.date
    assert pending.review_due == review.date + dt.timedelta(days=90)
    assert list(RiskDesignation.objects.active_on(timezone.localdate())) == [pending]
    assert DesignationDecision.objects.get().action == "confirm"
    agenda = selectors.review_agenda(review, tasks=Task.objects.all())
    assert agenda["pending"] == []


def test_the_review_may_reject_a_pending_designation_saying_why(review, week, users):
    pending = _pending(week, users)
    with pytest.raises(ValidationError, match="Say why"):
        services.review_designation_reject(
            review=review, user=users["police_facilitator"], designation=pending, basis=" "
        )
    services.review_designation_reject(
        review=review,
        user=users["police_facilitator"],
        designation=pending,
        basis="The witnesses withdrew their statements.",
    )
    pending.refresh_from_db()
    assert pending.status == "rejected" and pending.end_reason == "rejected"
    assert RiskDesignation.objects.filter(pk=pending.pk).exists()  # history stays
    assert not RiskDesignation.objects.active_on(timezone.localdate()).exists()


def test_letting_a_designation_lapse_records_why(review, week, users):
    old = f.DesignationFactory(
        person=week["dante"], designated_on=timezone.localdate() - dt.timedelta(days=100)
    )
    with pytest.raises(ValidationError, match="Say why"):
        services.review_designation_lapse(
            review=review, user=users["police_facilitator"], designation=old, basis=""
        )
    services.review_designation_lapse(
        review=review,
        user=users["police_facilitator"],
        designation=old,
        basis="No incidents in 100 days; moved out of state.",
    )
    old.refresh_from_db()
    assert old.end_reason == "lapsed" and old.ended_on == timezone.localdate()
    assert DesignationDecision.objects.get().action == "lapse"


def test_designations_due_appear_on_the_review_until_decided(review, week, users):
    from reviews.selectors import review_agenda

    due = f.DesignationFactory(
        person=week["dante"], designated_on=timezone.localdate() - dt.timedelta(days=85)
    )
    assert due in review_agenda(review, tasks=Task.objects.none())["due"]
    services.review_designation_lapse(
        review=review, user=users["police_facilitator"], designation=due, basis="Calm."
    )
    assert due not in review_agenda(review, tasks=Task.objects.none())["due"]


def test_task_due_before_the_meeting_is_refused(review, users, orgs):
    with pytest.raises(ValidationError, match="before the meeting"):
        services.review_task_create(
            review=review,
            user=users["police_facilitator"],
            title="x",
            kind="other",
            assigned_organisation=orgs["cbo"],
            due_date=review.date - dt.timedelta(days=1),
        )


def test_closing_shares_the_chosen_people_without_intelligence_and_freezes(
    review, week, users, orgs
):
    facilitator = users["police_facilitator"]
    services.review_followup_choose(
        review=review,
        user=facilitator,
        person=week["marcus"],
        risk_assessment="At high risk of violence",
        interventions=["custom_notification", "life_coach"],
    )
    services.review_task_create(
        review=review,
        user=facilitator,
        title="Custom notification to Marcus",
        kind="custom_notification",
        assigned_organisation=orgs["cbo"],
        due_date=review.date + dt.timedelta(days=3),
        subject_person=week["marcus"],
    )
    review.refresh_from_db()
    services.review_close(review=review, user=facilitator, expected_version=review.version)
    review.refresh_from_db()
    assert review.is_closed
    share = PartnershipShare.objects.get(person=week["marcus"])
    assert share.risk_assessment == "At high risk of violence" and share.source_meeting == review
    assert share.recommended_interventions == ["custom_notification", "life_coach"]
    entry = ReviewIncident.objects.get(meeting=review, incident=week["shooting"])
    assert entry.facts_at_close["case_number"] == "NEW-1"
    with pytest.raises(ValidationError, match="closed"):
        services.review_followup_choose(
            review=review,
            user=facilitator,
            person=week["dante"],
            risk_assessment="x",
            interventions=[],
        )
    assert FollowUpChoice.objects.count() == 1


def test_closing_with_a_stale_version_is_refused(review, users):
    with pytest.raises(ConcurrentEditError):
        services.review_close(
            review=review, user=users["police_facilitator"], expected_version=review.version + 5
        )
    review.refresh_from_db()
    assert not review.is_closed


def test_field_answer_clash_is_refused_and_keeps_the_first_answer(review, week, users):
    entry = ReviewIncident.objects.get(meeting=review, incident=week["shooting"])
    services.review_answer_save(
        review=review,
        user=users["police_facilitator"],
        obj=entry,
        name="motive",
        value="A",
        was="",
        expected_version=1,
    )
    with pytest.raises(ConcurrentEditError):
        services.review_answer_save(
            review=review,
            user=users["police_facilitator"],
            obj=entry,
            name="motive",
            value="B",
            was="",
            expected_version=1,
        )
    entry.refresh_from_db()
    assert entry.motive == "A"


def test_answering_which_groups_updates_the_incident(review, week, users):
    services.review_answer_save(
        review=review,
        user=users["police_facilitator"],
        obj=week["shooting"],
        name="groups",
        value=[str(week["ghost"].pk), str(week["acorn"].pk)],
        was="",
        expected_version=week["shooting"].version,
    )
    assert set(week["shooting"].groups.all()) == {week["ghost"], week["acorn"]}


def test_an_invalid_answer_writes_nothing(review, week, users):
    entry = ReviewIncident.objects.get(meeting=review, incident=week["shooting"])
    with pytest.raises(ValidationError):
        services.review_answer_save(
            review=review,
            user=users["police_facilitator"],
            obj=entry,
            name="retaliation",
            value="certain",
            was="unknown",
            expected_version=1,
        )
    entry.refresh_from_db()
    assert entry.retaliation == "unknown" and entry.version == 1


def test_involvement_roles_other_than_victim_carry_no_injury(users, week):
    inv = services.involvement_add(
        incident=week["quiet"],
        user=users["police_facilitator"],
        role="suspect",
        injury="fatal",
        person=week["jamal"],
    )
    assert inv.injury == "" and inv.role == Involvement.Role.SUSPECT


def test_a_second_review_on_the_same_date_is_refused(review, users):
    with pytest.raises(ValidationError, match="already a shooting review"):
        services.review_create(user=users["police_facilitator"], date=review.date)


def test_a_review_can_be_prepared_a_few_days_ahead_but_not_months(users):
    ahead = services.review_create(
        user=users["police_facilitator"], date=timezone.localdate() + dt.timedelta(days=3)
    )
    assert ahead.window_end > timezone.now()
    with pytest.raises(ValidationError, match="two weeks ahead"):
        services.review_create(
            user=users["police_facilitator"], date=timezone.localdate() + dt.timedelta(days=60)
        )


def test_moving_an_incident_out_of_the_counts_is_audited_with_the_reason(users, week):
    incident = week["quiet"]
    services.incident_update(
        incident=incident,
        user=users["police_facilitator"],
        expected_version=incident.version,
        facts={"counting_status": "unfounded", "counting_reason": "Fireworks, not gunfire"},
    )
    event = AuditEvent.objects.filter(object_type="core.incident", action="change").latest("at")
    assert event.detail["counting"] == {
        "from": "counted",
        "to": "unfounded",
        "reason": "Fireworks, not gunfire",
    }


def _review_with_shootings(users, count: int, *, weeks_ago: int = 0):
    """A review whose window holds ``count`` shootings, each with a named victim and a suspect."""
    day = timezone.localdate() - dt.timedelta(weeks=weeks_ago)
    for _ in range(count):
        when = timezone.now() - dt.timedelta(days=2, weeks=weeks_ago)
        incident = f.IncidentFactory(occurred_at=when)
        f.VictimFactory(incident=incident)
        f.InvolvementFactory(incident=incident, role="suspect", injury="")
    return services.review_create(user=users["police_facilitator"], date=day)


def test_closing_costs_the_same_queries_for_two_shootings_or_twelve(
    users, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = _review_with_shootings(users, 2, weeks_ago=1)
    with CaptureQueriesContext(connection) as two:
        services.review_close(
            review=small, user=users["police_facilitator"], expected_version=small.version
        )
    big = _review_with_shootings(users, 12)
    assert ReviewIncident.objects.filter(meeting=small).count() == 2
    assert ReviewIncident.objects.filter(meeting=big).count() == 12
    with django_assert_max_num_queries(len(two)):
        services.review_close(
            review=big, user=users["police_facilitator"], expected_version=big.version
        )
    assert all(e.facts_at_close["victims"] for e in ReviewIncident.objects.filter(meeting=big))
