"""API v1 writes of the shooting log: an incident's facts (a stale version is 409), people, and
the people involved in an incident — the incident page's forms, services, permission helpers and
audit events; invalid input writes nothing; partners, executives and read-only tokens refused."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ceasefire.core.models import ApiToken, AuditEvent, Incident, Involvement, Person
from tests import factories as f

pytestmark = pytest.mark.django_db

WRITE = ApiToken.Scope.WRITE


def _events(object_type: str) -> list[tuple[str, str]]:
    events = AuditEvent.objects.filter(object_type=object_type).order_by("seq")
    return [(e.action, e.object_id) for e in events]


# --- PATCH incidents/{id}/ -----------------------------------------------------------------------


def test_an_incident_is_corrected_like_on_its_page_and_a_stale_version_is_409(token_client):
    incident = f.IncidentFactory(address="1 Main St", narrative="Payback")
    group = f.GroupFactory()
    client = token_client("police_facilitator", WRITE)
    url = reverse("api:incident-detail", args=[incident.pk])
    data = {"version": 1, "address": "2 Main St", "groups": [group.pk]}
    response = client.patch(url, data, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["address"], body["version"]) == ("2 Main St", 2)
    assert [g["id"] for g in body["groups"]] == [group.pk]
    incident.refresh_from_db()
    assert (incident.address, incident.narrative, incident.beat) == ("2 Main St", "Payback", "26X")
    change = AuditEvent.objects.get(object_type="core.incident", action="change")
    assert change.detail == {"fields": ["address"]}

    saved = client.patch(url, {"beat": "27Y"}, format="json", headers={"If-Match": '"2"'})
    assert saved.status_code == 200 and saved.json()["version"] == 3
    stale = client.patch(url, {"address": "3 Main St", "version": 2}, format="json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 3
    assert client.patch(url, {"address": "3 Main St"}, format="json").status_code == 400
    incident.refresh_from_db()
    assert (incident.address, incident.beat, incident.version) == ("2 Main St", "27Y", 3)
    assert list(incident.groups.all()) == [group]  # a field left out keeps its value


def test_taking_an_incident_out_of_the_counts_needs_a_reason_and_writes_nothing_without(
    token_client,
):
    incident = f.IncidentFactory()
    client = token_client("police_facilitator", WRITE)
    url = reverse("api:incident-detail", args=[incident.pk])
    response = client.patch(url, {"version": 1, "counting_status": "held"}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "counting_reason": ["Say why this incident is held or unfounded: it leaves the counts."]
    }
    response = client.patch(url, {"version": 1, "occurred_at": 5}, format="json")
    assert response.status_code == 400 and list(response.json()["fields"]) == ["occurred_at"]
    incident.refresh_from_db()
    assert (incident.counting_status, incident.version) == ("counted", 1)
    assert not AuditEvent.objects.filter(object_type="core.incident", action="change").exists()
    data = {"version": 1, "counting_status": "held", "counting_reason": "Awaiting the coroner"}
    response = client.patch(url, data, format="json")
    assert response.status_code == 200, response.json()
    change = AuditEvent.objects.get(object_type="core.incident", action="change")
    assert change.detail["counting"] == {
        "from": "counted",
        "to": "held",
        "reason": "Awaiting the coroner",
    }


def test_the_weapon_cannot_leave_wounded_victims_out_of_the_counts(token_client):
    incident = f.IncidentFactory()
    f.VictimFactory(incident=incident, injury=Involvement.Injury.NONFATAL)
    client = token_client("police_facilitator", WRITE)
    url = reverse("api:incident-detail", args=[incident.pk])
    response = client.patch(url, {"version": 1, "weapon": "other"}, format="json")
    assert response.status_code == 400 and list(response.json()["fields"]) == ["weapon"]
    incident.refresh_from_db()
    assert (incident.weapon, incident.version) == ("firearm", 1)


@pytest.mark.parametrize("role", ["police_viewer", "partner_lead", "executive"])
def test_only_facilitators_correct_an_incident(token_client, role):
    incident = f.IncidentFactory(address="1 Main St")
    url = reverse("api:incident-detail", args=[incident.pk])
    response = token_client(role, WRITE).patch(
        url, {"version": 1, "address": "2 Main St"}, format="json"
    )
    assert response.status_code == 403
    incident.refresh_from_db()
    assert (incident.address, incident.version) == ("1 Main St", 1)


# --- POST people/ --------------------------------------------------------------------------------


def test_a_person_is_created_and_an_obvious_duplicate_refused(token_client):
    client = token_client("police_facilitator", WRITE)
    data = {"first_name": " Dante ", "last_name": "Lopez", "date_of_birth": "2001-03-04"}
    response = client.post(reverse("api:person-list"), data, format="json")
    assert response.status_code == 201, response.json()
    person = Person.objects.get()
    assert response.json()["id"] == person.pk
    assert (person.first_name, response.json()["date_of_birth"]) == ("Dante", "2001-03-04")
    again = client.post(reverse("api:person-list"), data, format="json")
    assert (
        again.status_code == 400 and "already recorded" in again.json()["fields"]["first_name"][0]
    )
    assert Person.objects.count() == 1
    assert _events("core.person")[0] == ("create", str(person.pk))


def test_a_person_without_names_or_born_in_the_future_is_refused(token_client):
    client = token_client("police_facilitator", WRITE)
    response = client.post(reverse("api:person-list"), {"first_name": "Dante"}, format="json")
    assert response.json()["fields"] == {"last_name": ["This field is required."]}
    data = {"first_name": "Dante", "last_name": "Lopez", "date_of_birth": "2099-01-01"}
    response = client.post(reverse("api:person-list"), data, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "date_of_birth": ["A date of birth cannot be in the future."]
    }
    assert not Person.objects.exists()


@pytest.mark.parametrize("role", ["police_viewer", "partner_lead", "executive"])
def test_only_facilitators_create_people(token_client, role):
    data = {"first_name": "Dante", "last_name": "Lopez"}
    response = token_client(role, WRITE).post(reverse("api:person-list"), data, format="json")
    assert response.status_code == 403
    assert not Person.objects.exists()


# --- involvements --------------------------------------------------------------------------------


def test_people_are_added_to_an_incident_identified_and_removed(token_client):
    incident = f.IncidentFactory()
    known = f.PersonFactory(first_name="Dante", last_name="Lopez")  # not a Cole, as named below
    client = token_client("police_facilitator", WRITE)
    url = reverse("api:incident-involvements", args=[incident.pk])

    response = client.post(url, {"role": "suspect", "person": known.pk}, format="json")
    assert response.status_code == 201, response.json()
    suspect = Involvement.objects.get(role="suspect")
    assert response.json() == {
        "id": suspect.pk,
        "role": "suspect",
        "injury": "",
        "person": {"id": known.pk, "label": str(known)},
    }
    response = client.post(url, {"role": "victim", "injury": "fatal"}, format="json")
    assert response.status_code == 201 and response.json()["person"] is None
    unidentified = Involvement.objects.get(role="victim")

    identify = reverse("api:incident-involvement-identify", args=[incident.pk, unidentified.pk])
    response = client.post(identify, {"first_name": "Ray", "last_name": "Cole"}, format="json")
    assert response.status_code == 200, response.json()
    named = Person.objects.get(last_name="Cole")
    assert response.json()["person"]["id"] == named.pk
    assert client.post(identify, {"person": known.pk}, format="json").status_code == 404  # named

    remove = reverse("api:incident-involvement", args=[incident.pk, suspect.pk])
    assert client.delete(remove).status_code == 204
    assert client.delete(remove).status_code == 404
    assert list(incident.involvements.values_list("person", flat=True)) == [named.pk]
    assert [a for a, _ in _events("core.involvement")] == ["create", "create", "change", "delete"]
    assert _events("core.person") == [("create", str(named.pk))]
    assert AuditEvent.objects.get(object_type="core.involvement", action="change").detail == {
        "identified": named.pk
    }


def test_a_new_person_is_created_on_the_way_and_a_bad_one_writes_nothing(token_client):
    incident = f.IncidentFactory()
    client = token_client("police_facilitator", WRITE)
    url = reverse("api:incident-involvements", args=[incident.pk])
    data = {"role": "witness", "first_name": "Ana", "last_name": "Ruiz", "age_estimate": 30}
    response = client.post(url, data, format="json")
    assert response.status_code == 201, response.json()
    person = Person.objects.get()
    assert (person.first_name, person.age_estimate) == ("Ana", 30)

    refused = [
        ({"role": "victim"}, "injury"),  # a victim's injury is required
        ({"role": "suspect"}, "person"),  # a suspect must be a known person
        ({"role": "witness", "first_name": "Bo"}, "last_name"),
        ({"role": "witness", "first_name": "Bo", "last_name": "Li", "date_of_birth": 7}, None),
        ({"role": "thief", "person": person.pk}, "role"),
    ]
    for body, field in refused:
        response = client.post(url, body, format="json")
        assert response.status_code == 400, body
        if field:
            assert field in response.json()["fields"], response.json()
    assert Person.objects.count() == 1 and incident.involvements.count() == 1


def test_a_wounded_victim_of_a_weapon_other_than_a_firearm_is_refused(token_client):
    incident = f.IncidentFactory(weapon=Incident.Weapon.OTHER)
    client = token_client("police_facilitator", WRITE)
    url = reverse("api:incident-involvements", args=[incident.pk])
    response = client.post(url, {"role": "victim", "injury": "nonfatal"}, format="json")
    assert response.status_code == 400 and list(response.json()["fields"]) == ["injury"]
    assert not incident.involvements.exists()


def test_identifying_without_a_person_or_a_name_writes_nothing(token_client):
    incident = f.IncidentFactory()
    victim = f.VictimFactory(incident=incident, person=None)
    client = token_client("police_facilitator", WRITE)
    url = reverse("api:incident-involvement-identify", args=[incident.pk, victim.pk])
    response = client.post(url, {"first_name": "Ray"}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "non_field_errors": ["Pick a person from the search or type a first and last name."]
    }
    victim.refresh_from_db()
    assert victim.person is None and not Person.objects.exists()


def test_an_involvement_of_another_incident_is_404(token_client):
    incident, other = f.IncidentFactory(), f.IncidentFactory()
    victim = f.VictimFactory(incident=other, person=None)
    client = token_client("police_facilitator", WRITE)
    identify = reverse("api:incident-involvement-identify", args=[incident.pk, victim.pk])
    response = client.post(identify, {"first_name": "Ray", "last_name": "Cole"}, format="json")
    assert response.status_code == 404
    assert (
        client.delete(
            reverse("api:incident-involvement", args=[incident.pk, victim.pk])
        ).status_code
        == 404
    )
    assert Involvement.objects.filter(pk=victim.pk, person=None).exists()
    assert not Person.objects.exists()


@pytest.mark.parametrize("role", ["police_viewer", "partner_lead", "executive"])
def test_only_facilitators_change_who_was_involved(token_client, role):
    incident = f.IncidentFactory()
    victim = f.VictimFactory(incident=incident, person=None)
    client = token_client(role, WRITE)
    add = reverse("api:incident-involvements", args=[incident.pk])
    identify = reverse("api:incident-involvement-identify", args=[incident.pk, victim.pk])
    remove = reverse("api:incident-involvement", args=[incident.pk, victim.pk])
    assert client.post(add, {"role": "victim", "injury": "fatal"}, format="json").status_code == 403
    body = {"first_name": "Ray", "last_name": "Cole"}
    assert client.post(identify, body, format="json").status_code == 403
    assert client.delete(remove).status_code == 403
    assert list(Involvement.objects.values_list("pk", "person")) == [(victim.pk, None)]
    assert not Person.objects.exists()


# --- read-only tokens ----------------------------------------------------------------------------


def test_a_read_only_token_records_nothing(token_client):
    incident = f.IncidentFactory()
    victim = f.VictimFactory(incident=incident, person=None)
    client = token_client("police_facilitator")
    requests = [
        ("patch", reverse("api:incident-detail", args=[incident.pk]), {"version": 1, "beat": "1"}),
        ("post", reverse("api:person-list"), {"first_name": "Ray", "last_name": "Cole"}),
        ("post", reverse("api:incident-involvements", args=[incident.pk]), {"role": "victim"}),
        (
            "post",
            reverse("api:incident-involvement-identify", args=[incident.pk, victim.pk]),
            {"first_name": "Ray", "last_name": "Cole"},
        ),
        ("delete", reverse("api:incident-involvement", args=[incident.pk, victim.pk]), None),
    ]
    for method, url, data in requests:
        response = getattr(client, method)(url, data, format="json")
        assert response.status_code == 403, url
        assert response.json()["detail"] == "This token is read-only."
    incident.refresh_from_db()
    assert incident.version == 1 and incident.involvements.get().person is None
    assert not Person.objects.exists()
