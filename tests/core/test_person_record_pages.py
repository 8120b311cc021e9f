"""The person page's forms for the police facilitator: add and end an affiliation, record an
enforcement action. Shown to the facilitator only; refusals on the form, nothing written."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ceasefire.core.models import EnforcementAction, GroupAffiliation
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_person_page_offers_the_forms_to_the_facilitator_only(client_for):
    person = f.PersonFactory()
    affiliation = f.AffiliationFactory(person=person)
    f.EnforcementActionFactory(person=person)
    url = reverse("core:person-detail", args=[person.pk])
    page = client_for("police_facilitator").get(url).content.decode()
    assert reverse("core:person-affiliation-add", args=[person.pk]) in page
    assert reverse("core:person-enforcement-record", args=[person.pk]) in page
    assert reverse("core:affiliation-end", args=[affiliation.pk]) in page
    assert "Arrest for a violent or gun offence" in page
    viewer = client_for("police_viewer").get(url).content.decode()
    assert reverse("core:person-affiliation-add", args=[person.pk]) not in viewer
    assert reverse("core:affiliation-end", args=[affiliation.pk]) not in viewer


def test_an_affiliation_is_added_from_its_form_and_ended(client_for):
    person, group = f.PersonFactory(), f.GroupFactory()
    client = client_for("police_facilitator")
    url = reverse("core:person-affiliation-add", args=[person.pk])
    form = client.get(url).content.decode()
    assert "autofocus" in form.split('name="group"')[1].split(">")[0]
    assert '<label for="id_basis">' in form
    data = {"group": group.pk, "since": "2024-01-05", "basis": "Self-identified."}
    response = client.post(url, data)
    assert response.status_code == 302 and response["Location"].endswith("#affiliations")
    affiliation = GroupAffiliation.objects.get()
    again = client.post(url, data)
    assert again.status_code == 400 and "already recorded as a member" in again.content.decode()
    response = client.post(reverse("core:affiliation-end", args=[affiliation.pk]), follow=True)
    assert "ended" in response.content.decode()
    affiliation.refresh_from_db()
    assert not affiliation.active


def test_an_affiliation_without_a_basis_is_refused_on_the_form(client_for):
    person, group = f.PersonFactory(), f.GroupFactory()
    response = client_for("police_facilitator").post(
        reverse("core:person-affiliation-add", args=[person.pk]),
        {"group": group.pk, "since": "2024-01-05", "basis": ""},
    )
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    assert not GroupAffiliation.objects.exists()


def test_an_enforcement_action_is_recorded_from_the_person_page(client_for):
    person = f.PersonFactory()
    client = client_for("police_facilitator")
    url = reverse("core:person-enforcement-record", args=[person.pk])
    assert "autofocus" in client.get(url).content.decode().split('name="kind"')[1].split(">")[0]
    response = client.post(url, {"kind": "arrest_violent_gun", "taken_on": "2024-01-05"})
    assert response.status_code == 302 and response["Location"].endswith("#enforcement")
    assert EnforcementAction.objects.get().person == person
