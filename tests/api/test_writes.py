"""API v1 writes of partners' records, staffing, meetings (attendance, minutes), a review's
decisions on designations and re-validation: the pages' forms, services,
permission helpers and audit events; read-only tokens refused; a stale version is 409."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ceasefire.core.models import (
    ApiToken,
    AuditEvent,
    CallIn,
    CustomNotification,
    Enrolment,
    ServiceContact,
    UnitStaffing,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

WRITE = ApiToken.Scope.WRITE


@pytest.fixture
def followup(orgs):
    """A partner lead's follow-up about a person shared with the partnership."""
    person = f.ShareFactory().person
    return f.TaskFactory(assigned_organisation=orgs["hsd"], subject_person=person)


def _created(event_type: str):
    return AuditEvent.objects.filter(action="create", object_type=event_type).latest("id")


def test_a_partner_lead_records_a_notification_from_a_followup(token_client, followup):
    client = token_client("partner_lead", WRITE)
    data = {
        "task": followup.pk,
        "delivered_on": "2024-01-05",
        "delivered_by": "Pastor Jim",
        "outcome": "delivered",
        "help_accepted": True,
    }
    response = client.post(reverse("api:notification-list"), data, format="json")
    assert response.status_code == 201, response.json()
    notification = CustomNotification.objects.get()
    assert (
        response.json()["id"] == notification.pk and notification.person == followup.subject_person
    )
    assert _created("core.customnotification").object_id == str(notification.pk)


def test_a_notification_is_refused_with_the_pages_messages(token_client, followup):
    client = token_client("partner_lead", WRITE)
    data = {"task": followup.pk, "delivered_on": "2099-01-01", "delivered_by": "Jim"}
    response = client.post(reverse("api:notification-list"), data, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {"outcome": ["This field is required."]}
    data["outcome"] = "delivered"
    response = client.post(reverse("api:notification-list"), data, format="json")
    assert response.json()["fields"] == {
        "delivered_on": ["A delivery date cannot be in the future."]
    }
    assert not CustomNotification.objects.exists()


def test_a_followup_the_user_may_not_see_is_404(token_client, orgs):
    task = f.TaskFactory(assigned_organisation=orgs["cbo"], subject_person=f.PersonFactory())
    client = token_client("partner_lead", WRITE)
    data = {"task": task.pk, "contacted_on": "2024-01-05", "kind": "other"}
    assert client.post(reverse("api:service-contact-list"), data, format="json").status_code == 404
    assert not ServiceContact.objects.exists()


def test_enrolment_and_service_contact_and_exit(token_client, followup, orgs):
    client = token_client("partner_lead", WRITE)
    enrol = {
        "task": followup.pk,
        "provider": orgs["hsd"].pk,
        "referral_source": Enrolment.ReferralSource.choices[0][0],
        "started_on": "2024-01-05",
    }
    response = client.post(reverse("api:enrolment-list"), enrol, format="json")
    assert response.status_code == 201, response.json()
    again = client.post(reverse("api:enrolment-list"), enrol, format="json")
    assert again.status_code == 400 and "already enrolled" in str(again.json()["fields"])
    contact = {"task": followup.pk, "contacted_on": "2024-01-06", "kind": "other"}
    assert (
        client.post(reverse("api:service-contact-list"), contact, format="json").status_code == 201
    )
    enrolment = Enrolment.objects.get()
    exit_url = reverse("api:enrolment-detail", args=[enrolment.pk])
    done = client.patch(exit_url, {"ended_on": "2024-03-01", "exit_reason": "Done"}, format="json")
    assert done.status_code == 200 and done.json()["ended_on"] == "2024-03-01"
    event = AuditEvent.objects.filter(action="change", object_type="core.enrolment").latest("id")
    assert event.detail == {"ended_on": "2024-03-01"}


def test_a_call_in_names_attendees_the_user_may_see(token_client, followup):
    client = token_client("partner_lead", WRITE)
    hidden = f.PersonFactory()
    url = reverse("api:call-in-list")
    refused = client.post(url, {"held_on": "2024-01-05", "attendees": [hidden.pk]}, format="json")
    assert refused.status_code == 400 and "attendees" in refused.json()["fields"]
    data = {"held_on": "2024-01-05", "attendees": [followup.subject_person.pk]}
    response = client.post(url, data, format="json")
    assert response.status_code == 201 and response.json()["attendee_count"] == 1
    assert CallIn.objects.get().attendees.get() == followup.subject_person


def test_staffing_is_recorded_like_the_enforcement_inputs_page(token_client):
    unit = f.UnitFactory()
    client = token_client("police_facilitator", WRITE)
    url = reverse("api:staffing-list")
    bad = client.post(
        url, {"unit": unit.pk, "recorded_on": "2024-01-05", "authorised": 5, "filled": 9}
    )
    assert bad.status_code == 400
    assert bad.json()["fields"] == {
        "filled": ["Filled positions cannot exceed authorised positions."]
    }
    data = {"unit": unit.pk, "recorded_on": "2024-01-05", "authorised": 10, "filled": 9}
    assert client.post(url, data, format="json").status_code == 201
    record = UnitStaffing.objects.get()
    assert _created("core.unitstaffing").object_id == str(record.pk)


@pytest.mark.parametrize(
    "url",
    ["api:call-in-list", "api:notification-list", "api:enrolment-list", "api:staffing-list"],
)
def test_a_read_only_token_cannot_write(token_client, url):
    response = token_client("police_facilitator").post(reverse(url), {}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "This token is read-only."


def test_attendance_with_a_stale_version_is_409_with_the_current_one(token_client, users, orgs):
    meeting = f.CoordinationMeetingFactory(facilitator=users["police_facilitator"])
    client = token_client("partner_lead", WRITE)
    url = reverse("api:meeting-detail", args=[meeting.pk])
    data = {"organisations": [orgs["faith"].pk], "risk_alignment": True}
    saved = client.patch(url, data, format="json", headers={"If-Match": f'"{meeting.version}"'})
    assert saved.status_code == 200, saved.json()
    assert [o["id"] for o in saved.json()["attending_organisations"]] == [orgs["faith"].pk]
    stale = client.patch(url, {**data, "version": meeting.version}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == saved.json()["version"]
    assert client.patch(url, data, format="json").status_code == 400  # no version at all
    event = AuditEvent.objects.filter(action="change", object_type="core.meeting").latest("id")
    assert event.detail == {"attending_organisations": [orgs["faith"].pk], "risk_alignment": True}


def test_attendance_of_a_closed_meeting_is_refused(token_client, users, orgs):
    meeting = f.CoordinationMeetingFactory(state="closed", closed_at=timezone.now())
    client = token_client("partner_lead", WRITE)
    url = reverse("api:meeting-detail", args=[meeting.pk])
    data = {"version": meeting.version, "organisations": []}
    assert client.patch(url, data, format="json").status_code == 403


def test_an_id_the_database_cannot_hold_is_an_invalid_choice(token_client):
    client = token_client("police_facilitator", WRITE)
    data = {"held_on": "2024-01-05", "attendees": [2**70]}
    response = client.post(reverse("api:call-in-list"), data, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {"attendees": ["Select a valid choice."]}


def test_a_designation_is_proposed_like_on_the_person_page(token_client):
    involvement = f.VictimFactory()
    person, incident = involvement.person, involvement.incident
    client = token_client("police_facilitator", WRITE)
    url = reverse("api:designation-list")
    data = {"person": person.pk, "level": "high", "criteria": [], "basis": "Shot twice"}
    refused = client.post(url, {**data, "basis_incidents": [incident.pk]}, format="json")
    assert refused.json()["fields"] == {
        "criteria": ["Tick at least one criterion from the list; free text alone is no basis."]
    }
    data["criteria"] = ["victim_recent_shooting"]
    other = f.IncidentFactory()
    refused = client.post(url, {**data, "basis_incidents": [other.pk]}, format="json")
    assert "basis_incidents" in refused.json()["fields"]  # not one of the person's incidents
    response = client.post(url, {**data, "basis_incidents": [incident.pk]}, format="json")
    assert response.status_code == 201, response.json()
    designation = person.designations.get()
    assert designation.status == "pending" and response.json()["id"] == designation.pk
    assert _created("core.riskdesignation").object_id == str(designation.pk)


def test_only_the_police_facilitator_proposes_a_designation(token_client):
    person = f.VictimFactory().person
    response = token_client("police_viewer", WRITE).post(
        reverse("api:designation-list"), {"person": person.pk}, format="json"
    )
    assert response.status_code == 403


# --- Designations: the shooting review's decisions ------------------------------------------------


@pytest.fixture
def review(users):
    return f.ShootingReviewFactory(facilitator=users["police_facilitator"])


def _pending(users):
    """A designation proposed on the person page (pending until a review decides)."""
    from ceasefire.core.services import designation_create

    involvement = f.VictimFactory()
    return designation_create(
        person=involvement.person,
        user=users["police_facilitator"],
        level="high",
        criteria=["victim_recent_shooting"],
        basis="Shot twice",
        basis_incidents=[involvement.incident],
    )


def _decide(client, designation, decision, **body):
    url = reverse(f"api:designation-{decision}", args=[designation.pk])
    return client.post(url, body, format="json")


def test_a_review_confirms_a_pending_designation_like_its_risk_section(token_client, users, review):
    pending = _pending(users)
    client = token_client("police_facilitator", WRITE)
    response = _decide(client, pending, "confirm", review=review.pk)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["decision"] == "confirm" and body["designation"]["status"] == "confirmed"
    pending.refresh_from_db()
    assert pending.confirmed_in == review
    assert review.designation_decisions.get().action == "confirm"
    events = AuditEvent.objects.filter(action="change")
    assert events.filter(object_type="core.riskdesignation", object_id=str(pending.pk)).exists()
    assert events.filter(object_type="core.meeting", object_id=str(review.pk)).exists()
    again = _decide(client, pending, "confirm", review=review.pk)
    assert again.status_code == 400
    assert again.json()["fields"] == {
        "non_field_errors": ["Only a pending designation can be confirmed."]
    }


def test_a_rejection_needs_its_reason_with_the_pages_message(token_client, users, review):
    pending = _pending(users)
    client = token_client("police_facilitator", WRITE)
    refused = _decide(client, pending, "reject", review=review.pk)
    assert refused.status_code == 400
    assert refused.json() == {
        "status": 400,
        "code": "invalid",
        "detail": "The request has errors; see fields.",
        "fields": {"basis": ["This field is required."]},
    }
    pending.refresh_from_db()
    assert pending.status == "pending" and not review.designation_decisions.exists()
    done = _decide(client, pending, "reject", review=review.pk, basis="No basis found")
    assert done.status_code == 200 and done.json()["designation"]["status"] == "rejected"


def test_a_renewal_needs_a_new_basis_and_makes_a_new_designation(token_client, review):
    involvement = f.VictimFactory()
    f.ReviewIncidentFactory(meeting=review, incident=involvement.incident)
    old = f.DesignationFactory(person=involvement.person)
    client = token_client("police_facilitator", WRITE)
    body = {"review": review.pk, "criteria": ["victim_recent_shooting"]}
    same = _decide(client, old, "renew", basis=old.basis, **body)
    assert same.json()["fields"] == {
        "basis": ["A renewal needs a new basis, not the previous one repeated."]
    }
    renewed = _decide(client, old, "renew", basis="Shot again last week", **body)
    assert renewed.status_code == 200, renewed.json()
    new = renewed.json()["designation"]
    assert new["id"] != old.pk and new["renewal_count"] == old.renewal_count + 1
    old.refresh_from_db()
    assert old.end_reason == "renewed"


def test_a_lapse_ends_the_designation(token_client, review):
    designation = f.DesignationFactory()
    client = token_client("police_facilitator", WRITE)
    response = _decide(client, designation, "lapse", review=review.pk, basis="In custody")
    assert response.status_code == 200
    designation.refresh_from_db()
    assert designation.end_reason == "lapsed" and designation.ended_on is not None


def test_a_closed_review_decides_nothing(token_client, users):
    closed = f.ClosedShootingReviewFactory()
    pending = _pending(users)
    client = token_client("police_facilitator", WRITE)
    response = _decide(client, pending, "confirm", review=closed.pk)
    assert response.status_code == 403
    pending.refresh_from_db()
    assert pending.status == "pending"


def test_a_read_only_token_decides_nothing(token_client, users, review):
    pending = _pending(users)
    response = _decide(token_client("police_facilitator"), pending, "confirm", review=review.pk)
    assert response.status_code == 403
    assert response.json()["detail"] == "This token is read-only."


# --- Groups and conflicts: re-validation ----------------------------------------------------------


def test_a_group_is_revalidated_like_on_its_page(token_client):
    group = f.GroupFactory(validated_on=dt.date(2022, 1, 3))
    client = token_client("police_facilitator", WRITE)
    response = client.post(reverse("api:group-revalidate", args=[group.pk]))
    assert response.status_code == 200, response.json()
    today = timezone.localdate()
    assert response.json()["validated_on"] == today.isoformat()
    event = AuditEvent.objects.filter(action="change", object_type="core.group").latest("id")
    assert event.detail["revalidated"] == today.isoformat()
    assert event.detail["previously"] == "2022-01-03"


def test_an_archived_conflict_is_not_revalidated(token_client):
    conflict = f.ConflictFactory(archived_on=dt.date(2024, 1, 1))
    client = token_client("police_facilitator", WRITE)
    response = client.post(reverse("api:conflict-revalidate", args=[conflict.pk]))
    assert response.status_code == 400
    assert "archived" in response.json()["fields"]["non_field_errors"][0]
    assert not AuditEvent.objects.filter(object_type="core.conflict", action="change").exists()


def test_a_revalidated_conflict_stays_without_intelligence_for_partners(token_client):
    conflict = f.ConflictFactory(description="Payback for the 14th")
    police = token_client("police_facilitator", WRITE)
    saved = police.post(reverse("api:conflict-revalidate", args=[conflict.pk])).json()
    assert saved["description"] == "Payback for the 14th" and saved["version"] == 2
    partner = token_client("partner_lead").get(reverse("api:conflict-detail", args=[conflict.pk]))
    assert partner.status_code == 200
    assert not {"description", "started_on", "validated_on"} & set(partner.json())


# --- Meetings: minutes, performance reviews, shooting reviews ------------------------------------


def test_coordination_minutes_are_saved_and_a_stale_version_is_409(token_client, users):
    meeting = f.CoordinationMeetingFactory(facilitator=users["police_facilitator"])
    client = token_client("partner_lead", WRITE)
    url = reverse("api:meeting-detail", args=[meeting.pk])
    body = {"version": meeting.version, "minutes": "  Two referrals agreed. "}
    saved = client.patch(url, body, format="json")
    assert saved.status_code == 200, saved.json()
    assert saved.json()["minutes"] == "Two referrals agreed." and saved.json()["state"] == (
        "in_progress"
    )
    event = AuditEvent.objects.filter(action="change", object_type="core.meeting").latest("id")
    assert event.detail == {"fields": ["minutes"]}
    stale = client.patch(url, {**body, "minutes": "Overwrite"}, format="json")
    assert stale.status_code == 409 and stale.json()["current_version"] == saved.json()["version"]
    meeting.refresh_from_db()
    assert meeting.minutes == "Two referrals agreed."


def test_minutes_and_attendance_are_two_saves(token_client, users, orgs):
    meeting = f.CoordinationMeetingFactory(facilitator=users["police_facilitator"])
    client = token_client("partner_lead", WRITE)
    url = reverse("api:meeting-detail", args=[meeting.pk])
    body = {"version": meeting.version, "minutes": "x", "organisations": [orgs["faith"].pk]}
    refused = client.patch(url, body, format="json")
    assert refused.status_code == 400
    assert refused.json()["fields"] == {
        "minutes": ["Save the minutes and the attendance in two requests."]
    }
    meeting.refresh_from_db()
    assert meeting.minutes == "" and not meeting.attending_organisations.exists()


def test_attendance_left_out_keeps_its_value(token_client, users, orgs):
    meeting = f.CoordinationMeetingFactory(facilitator=users["police_facilitator"])
    meeting.attending_organisations.add(orgs["faith"])
    client = token_client("partner_lead", WRITE)
    url = reverse("api:meeting-detail", args=[meeting.pk])
    saved = client.patch(url, {"version": meeting.version, "risk_alignment": True}, format="json")
    assert saved.status_code == 200, saved.json()
    assert [o["id"] for o in saved.json()["attending_organisations"]] == [orgs["faith"].pk]
    assert saved.json()["risk_alignment"] is True


def test_a_performance_review_is_written_like_its_page(token_client, users, orgs):
    meeting = f.PerformanceReviewFactory(facilitator=users["police_facilitator"])
    meeting.attendees.add(users["executive"])
    client = token_client("executive", WRITE)
    url = reverse("api:meeting-detail", args=[meeting.pk])
    body = {
        "version": meeting.version,
        "minutes": "Call-ins on track.",
        "attending_organisations": [orgs["hsd"].pk],
    }
    saved = client.patch(url, body, format="json")
    assert saved.status_code == 200, saved.json()
    data = saved.json()
    assert data["minutes"] == "Call-ins on track."
    assert [o["id"] for o in data["attending_organisations"]] == [orgs["hsd"].pk]
    assert [u["id"] for u in data["attendees"]] == [users["executive"].pk]  # left out: kept
    event = AuditEvent.objects.filter(action="change", object_type="core.meeting").latest("id")
    assert event.detail == {"minutes": True, "attendance": 1}
    stale = client.patch(url, body, format="json")
    assert stale.status_code == 409 and stale.json()["current_version"] == data["version"]
    bad = client.patch(url, {"version": data["version"], "attendees": [2**70]}, format="json")
    assert bad.status_code == 400 and bad.json()["fields"] == {
        "attendees": ["Select a valid choice."]
    }
    partner = token_client("partner_lead", WRITE).patch(url, body, format="json")
    assert partner.status_code == 403  # performance.view, not performance.edit


def test_a_shooting_review_is_not_written_as_a_meeting(token_client, review):
    client = token_client("police_facilitator", WRITE)
    url = reverse("api:meeting-detail", args=[review.pk])
    response = client.patch(url, {"version": review.version, "minutes": "x"}, format="json")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert "written through its page" in response.json()["detail"]


def test_a_closed_performance_review_is_refused(token_client, users):
    meeting = f.PerformanceReviewFactory(state="closed", closed_at=timezone.now())
    client = token_client("police_facilitator", WRITE)
    url = reverse("api:meeting-detail", args=[meeting.pk])
    response = client.patch(url, {"version": meeting.version, "minutes": "x"}, format="json")
    assert response.status_code == 403
