"""The person page: proposing a designation outside a review, pending ones and juveniles."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ceasefire.core.models import RiskDesignation
from tests import factories as f

pytestmark = pytest.mark.django_db


def _person_with_incident():
    person = f.PersonFactory(first_name="Andre", last_name="Moss")
    incident = f.IncidentFactory(case_number="P-1")
    f.InvolvementFactory(incident=incident, person=person)
    return person, incident


def test_a_facilitator_proposes_a_pending_designation_from_the_person_page(client_for):
    person, incident = _person_with_incident()
    url = reverse("core:person-designation-propose", args=[person.pk])
    response = client_for("police_facilitator").post(
        url,
        {
            "level": "high",
            "criteria": ["victim_recent_shooting"],
            "basis_incidents": [incident.pk],
            "basis": "Shot on 3 May; threats since.",
        },
    )
    assert response.status_code == 302
    designation = RiskDesignation.objects.get()
    assert designation.status == "pending" and list(designation.basis_incidents.all()) == [incident]
    page = client_for("police_facilitator").get(reverse("core:person-detail", args=[person.pk]))
    assert "Pending — the next review confirms or rejects it" in page.content.decode()


def test_free_text_alone_is_refused_on_the_person_page_and_writes_nothing(client_for):
    person, _ = _person_with_incident()
    response = client_for("police_facilitator").post(
        reverse("core:person-designation-propose", args=[person.pk]),
        {"level": "vhr", "basis": "Everyone knows he is dangerous."},
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "free text alone is no basis" in text and "Link at least one" in text
    assert not RiskDesignation.objects.exists()


def test_a_child_cannot_be_designated_from_the_person_page(client_for):
    person, incident = _person_with_incident()
    person.date_of_birth = timezone.localdate().replace(year=timezone.localdate().year - 12)
    person.save()
    response = client_for("police_facilitator").post(
        reverse("core:person-designation-propose", args=[person.pk]),
        {
            "level": "vhr",
            "criteria": ["victim_recent_shooting"],
            "basis_incidents": [incident.pk],
            "basis": "Shot on 3 May.",
        },
    )
    assert response.status_code == 400 and b"younger than 13" in response.content
    assert not RiskDesignation.objects.exists()


def test_probation_never_sees_a_pending_designation_of_its_supervisee(orgs, users):
    person = f.PersonFactory(supervising_organisation=orgs["probation"], on_supervision=True)
    f.ShareFactory(person=person)
    f.DesignationFactory(person=person, basis="CONFIRMED-BASIS")
    f.DesignationFactory(
        person=person,
        basis="PENDING-BASIS",
        status=RiskDesignation.Status.PENDING,
        designated_on=timezone.localdate() - dt.timedelta(days=1),
    )
    officer = f.UserFactory(role="partner_lead", organisation=orgs["probation"])
    client = Client()
    client.force_login(officer)
    page = client.get(reverse("core:person-detail", args=[person.pk])).content.decode()
    api = client.get(reverse("core:api-person-detail", args=[person.pk])).content.decode()
    assert "CONFIRMED-BASIS" in page and "CONFIRMED-BASIS" in api
    assert "PENDING-BASIS" not in page and "PENDING-BASIS" not in api
    police = Client()
    police.force_login(users["police_viewer"])
    assert (
        "PENDING-BASIS"
        in police.get(reverse("core:person-detail", args=[person.pk])).content.decode()
    )


def test_a_juvenile_is_marked_on_the_person_page_and_in_the_api(client_for):
    today = timezone.localdate()
    person = f.PersonFactory(date_of_birth=today.replace(year=today.year - 15))
    page = client_for("police_viewer").get(reverse("core:person-detail", args=[person.pk]))
    assert b'class="badge juvenile">juvenile' in page.content
    api = client_for("police_viewer").get(reverse("core:api-person-detail", args=[person.pk]))
    assert api.json()["juvenile"] is True
