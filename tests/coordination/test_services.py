"""Coordination services: every rule refuses bad input with a clear message and writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ceasefire.core.concurrency import ConcurrentEditError
from ceasefire.core.models import (
    AgendaItem,
    AuditEvent,
    CustomNotification,
    Enrolment,
    Meeting,
    ServiceContact,
    Task,
)
from coordination import services
from coordination.models import PartnershipHealthItem, PersonPlan
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_meeting_create_refuses_a_second_meeting_on_the_same_day(users, today):
    services.coordination_meeting_create(user=users["partner_lead"], date=today)
    with pytest.raises(ValidationError, match="already a coordination meeting"):
        services.coordination_meeting_create(user=users["partner_lead"], date=today)
    assert Meeting.objects.filter(kind=Meeting.Kind.COORDINATION).count() == 1


def test_attendance_records_organisations_and_risk_alignment_and_starts_the_meeting(
    agenda, orgs, users
):
    meeting = agenda.meeting
    services.meeting_attendance_set(
        meeting=meeting,
        user=users["partner_lead"],
        expected_version=meeting.version,
        organisations=[orgs["police"], orgs["hsd"]],
        risk_alignment=True,
    )
    meeting.refresh_from_db()
    assert set(meeting.attending_organisations.all()) == {orgs["police"], orgs["hsd"]}
    assert meeting.risk_alignment is True
    assert meeting.state == Meeting.State.IN_PROGRESS


def test_attendance_with_a_stale_version_is_refused_and_changes_nothing(agenda, orgs, users):
    meeting = agenda.meeting
    stale = meeting.version
    services.meeting_minutes_save(
        meeting=meeting, user=users["partner_lead"], expected_version=stale, minutes="First"
    )
    with pytest.raises(ConcurrentEditError, match="changed by"):
        services.meeting_attendance_set(
            meeting=Meeting.objects.get(pk=meeting.pk),
            user=users["police_facilitator"],
            expected_version=stale,
            organisations=[orgs["hsd"]],
            risk_alignment=True,
        )
    meeting.refresh_from_db()
    assert meeting.attending_organisations.count() == 0
    assert meeting.risk_alignment is False


def test_planned_intervention_becomes_a_task_of_a_partner_organisation_with_the_meeting_as_source(
    agenda, orgs, users, today
):
    task = services.plan_intervention_add(
        meeting=agenda.meeting,
        person=agenda.shared,
        user=users["partner_lead"],
        kind=Task.Kind.HOSPITAL_RESPONSE,
        assigned_organisation=orgs["cbo"],
        due_date=today + dt.timedelta(days=3),
        description="Youth Alive responder at Highland, tonight",
    )
    assert task.source_meeting == agenda.meeting
    assert task.subject_person == agenda.shared
    assert task.assigned_organisation == orgs["cbo"]
    assert task.title == "Hospital response"
    assert PersonPlan.objects.filter(meeting=agenda.meeting, person=agenda.shared).exists()


@pytest.mark.parametrize(
    ("kind", "due_offset", "message"),
    [
        ("enforcement", 3, "planned interventions"),
        ("custom_notification", -1, "before the meeting"),
        ("custom_notification", None, "due date"),
    ],
)
def test_planned_intervention_refuses_bad_input(
    agenda, orgs, users, today, kind, due_offset, message
):
    due = None if due_offset is None else today + dt.timedelta(days=due_offset)
    with pytest.raises(ValidationError, match=message):
        services.plan_intervention_add(
            meeting=agenda.meeting,
            person=agenda.shared,
            user=users["partner_lead"],
            kind=kind,
            assigned_organisation=orgs["cbo"],
            due_date=due,
        )
    assert not Task.objects.filter(source_meeting=agenda.meeting).exists()


def test_closed_meeting_refuses_changes(agenda, users, orgs, today):
    meeting = agenda.meeting
    services.coordination_meeting_close(
        meeting=meeting, user=users["partner_lead"], expected_version=meeting.version
    )
    with pytest.raises(ValidationError, match="closed"):
        services.meeting_minutes_save(
            meeting=meeting,
            user=users["partner_lead"],
            expected_version=meeting.version,
            minutes="x",
        )
    with pytest.raises(ValidationError, match="closed"):
        services.plan_intervention_add(
            meeting=meeting,
            person=agenda.shared,
            user=users["partner_lead"],
            kind="life_coach",
            assigned_organisation=orgs["cbo"],
            due_date=today,
        )


def test_closing_freezes_the_risk_picture_and_chronic_list_as_agenda_items(agenda, users):
    f.DesignationFactory(person=agenda.hidden, renewal_count=3)
    services.coordination_meeting_close(
        meeting=agenda.meeting, user=users["partner_lead"], expected_version=agenda.meeting.version
    )
    agenda.meeting.refresh_from_db()
    assert agenda.meeting.is_closed
    risk = AgendaItem.objects.get(meeting=agenda.meeting, section="risk_picture")
    assert risk.person == agenda.shared
    assert "At high risk of violence" in risk.notes and "Custom notification" in risk.notes
    assert list(
        AgendaItem.objects.filter(meeting=agenda.meeting, section="chronic").values_list(
            "person", flat=True
        )
    ) == [agenda.hidden.pk]


def test_health_item_is_closed_at_a_meeting_and_records_which(agenda, orgs, users):
    item = services.health_item_create(
        meeting=agenda.meeting,
        user=users["partner_lead"],
        category="client_concerns",
        title="Clients fear being seen at the police building",
        owner_organisation=orgs["hsd"],
    )
    services.health_item_update(
        item=item,
        meeting=agenda.meeting,
        user=users["partner_lead"],
        expected_version=item.version,
        status="closed",
        notes="Moved",
    )
    item.refresh_from_db()
    assert item.status == PartnershipHealthItem.Status.CLOSED
    assert item.closed_at == agenda.meeting


def test_health_item_needs_a_title_and_an_owner(agenda, orgs, users):
    with pytest.raises(ValidationError):
        services.health_item_create(
            meeting=agenda.meeting,
            user=users["partner_lead"],
            category="boundaries",
            title=" ",
            owner_organisation=orgs["hsd"],
        )
    with pytest.raises(ValidationError, match="owner"):
        services.health_item_create(
            meeting=agenda.meeting,
            user=users["partner_lead"],
            category="boundaries",
            title="x",
            owner_organisation=None,
        )
    assert not PartnershipHealthItem.objects.exists()


def test_custom_notification_adds_a_dated_note_to_its_follow_up_and_keeps_it_open(
    agenda, users, today
):
    notification = services.custom_notification_record(
        user=users["partner_staff"],
        person=agenda.shared,
        delivered_on=today,
        delivered_by="Pastor Jones and Officer Lee",
        help_accepted=True,
        task=agenda.task,
    )
    agenda.task.refresh_from_db()
    assert notification.delivering_organisation == users["partner_staff"].organisation
    assert agenda.task.status == Task.Status.IN_PROGRESS
    update = agenda.task.updates.get()
    assert "delivered" in update.note and "offer of help accepted" in update.note


def test_custom_notification_keeps_the_partner_able_to_enrol_the_person(agenda, users, today):
    from ceasefire.core.permissions import can_record_contact

    services.custom_notification_record(
        user=users["partner_staff"],
        person=agenda.shared,
        delivered_on=today,
        delivered_by="Pastor Jones",
        task=agenda.task,
    )
    assert can_record_contact(users["partner_staff"], agenda.shared)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"delivered_on": "future"}, "future"),
        ({"delivered_by": ""}, "delivered_by"),
        ({"outcome": "not_found", "help_accepted": True}, "only be accepted"),
    ],
)
def test_custom_notification_refuses_bad_input(agenda, users, today, changes, message):
    kwargs = {
        "delivered_on": today,
        "delivered_by": "Pastor Jones",
        "outcome": "delivered",
        "help_accepted": False,
    }
    kwargs.update(changes)
    if kwargs["delivered_on"] == "future":
        kwargs["delivered_on"] = today + dt.timedelta(days=1)
    with pytest.raises(ValidationError, match=message):
        services.custom_notification_record(
            user=users["partner_staff"], person=agenda.shared, task=agenda.task, **kwargs
        )
    assert not CustomNotification.objects.exists()
    agenda.task.refresh_from_db()
    assert agenda.task.is_open


def test_duplicate_open_enrolment_is_refused_with_a_clear_message(agenda, orgs, users, today):
    services.enrolment_start(
        user=users["partner_staff"],
        person=agenda.shared,
        provider=orgs["cbo"],
        referral_source="custom_notification",
        started_on=today,
    )
    with pytest.raises(ValidationError, match="already enrolled with Youth Alive"):
        services.enrolment_start(
            user=users["partner_staff"],
            person=agenda.shared,
            provider=orgs["cbo"],
            referral_source="outreach",
            started_on=today,
        )
    assert Enrolment.objects.count() == 1


def test_enrolment_with_another_provider_is_allowed(agenda, orgs, users, today):
    services.enrolment_start(
        user=users["partner_staff"],
        person=agenda.shared,
        provider=orgs["cbo"],
        referral_source="outreach",
        started_on=today,
    )
    services.enrolment_start(
        user=users["partner_lead"],
        person=agenda.shared,
        provider=orgs["hsd"],
        referral_source="outreach",
        started_on=today,
    )
    assert Enrolment.objects.filter(person=agenda.shared, ended_on__isnull=True).count() == 2


def test_exit_before_start_is_refused(orgs, users, today):
    enrolment = f.EnrolmentFactory(provider=orgs["cbo"], started_on=today - dt.timedelta(days=5))
    with pytest.raises(ValidationError, match="cannot be before the start"):
        services.enrolment_exit(
            enrolment=enrolment, user=users["partner_staff"], ended_on=today - dt.timedelta(days=6)
        )
    enrolment.refresh_from_db()
    assert enrolment.ended_on is None


def test_exit_twice_is_refused_and_exit_allows_a_new_enrolment(orgs, users, today):
    enrolment = f.EnrolmentFactory(provider=orgs["cbo"], started_on=today - dt.timedelta(days=5))
    services.enrolment_exit(
        enrolment=enrolment, user=users["partner_staff"], ended_on=today, exit_reason="Moved away"
    )
    with pytest.raises(ValidationError, match="already ended"):
        services.enrolment_exit(enrolment=enrolment, user=users["partner_staff"], ended_on=today)
    services.enrolment_start(
        user=users["partner_staff"],
        person=enrolment.person,
        provider=orgs["cbo"],
        referral_source="outreach",
        started_on=today,
    )


def test_call_in_needs_attendees_and_a_past_date(users, today):
    person = f.PersonFactory()
    with pytest.raises(ValidationError, match="attendee"):
        services.call_in_record(user=users["partner_lead"], held_on=today, attendees=[])
    with pytest.raises(ValidationError, match="future"):
        services.call_in_record(
            user=users["partner_lead"], held_on=today + dt.timedelta(days=1), attendees=[person]
        )
    call_in = services.call_in_record(
        user=users["partner_lead"], held_on=today, attendees=[person], location="City Hall"
    )
    assert list(call_in.attendees.all()) == [person]


def test_service_contact_is_recorded_for_the_users_organisation_and_audited(agenda, users, today):
    contact = services.service_contact_record(
        user=users["partner_staff"],
        person=agenda.shared,
        contacted_on=today,
        kind="life_coach",
        task=agenda.task,
    )
    assert contact.organisation == users["partner_staff"].organisation
    assert AuditEvent.objects.filter(
        object_type="core.servicecontact", object_id=str(contact.pk), action="create"
    ).exists()


def test_service_contact_refuses_a_task_about_someone_else(agenda, users, today):
    with pytest.raises(ValidationError, match="someone else"):
        services.service_contact_record(
            user=users["partner_staff"], person=agenda.hidden, contacted_on=today, task=agenda.task
        )
    assert not ServiceContact.objects.exists()


def test_plans_are_refused_for_a_person_not_shared_with_the_partnership(agenda, orgs, users, today):
    with pytest.raises(ValidationError, match="no longer shared"):
        services.plan_intervention_add(
            meeting=agenda.meeting,
            person=agenda.hidden,
            user=users["police_facilitator"],
            kind="life_coach",
            assigned_organisation=orgs["cbo"],
            due_date=today,
        )
    with pytest.raises(ValidationError, match="no longer shared"):
        services.person_plan_save(
            meeting=agenda.meeting,
            person=agenda.hidden,
            user=users["police_facilitator"],
            notes="x",
        )
    assert not PersonPlan.objects.exists()


def test_refused_custom_notification_is_recorded_and_the_follow_up_stays_open(agenda, users, today):
    services.custom_notification_record(
        user=users["partner_staff"],
        person=agenda.shared,
        delivered_on=today,
        delivered_by="Pastor Jones",
        outcome="refused",
        task=agenda.task,
    )
    agenda.task.refresh_from_db()
    assert agenda.task.is_open
    assert "refused to listen" in agenda.task.updates.get().note
    assert CustomNotification.objects.get().outcome == "refused"
