"""API v1 writes of partners' records, staffing and attendance: the pages' forms, services,
permission helpers and audit events; read-only tokens refused; a stale version is 409."""

from __future__ import annotations

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
