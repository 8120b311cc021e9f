"""The person page's forms for the police facilitator: add and end an affiliation, record and
correct an enforcement action. Shown to the facilitator only; refusals on the form, nothing
written; a correction carries the version read, and a stale one is refused naming who saved."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ceasefire.core import record_services
from ceasefire.core.models import AuditEvent, EnforcementAction, GroupAffiliation
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_person_page_offers_the_forms_to_the_facilitator_only(client_for):
    person = f.PersonFactory()
    affiliation = f.AffiliationFactory(person=person)
    action = f.EnforcementActionFactory(person=person)
    url = reverse("core:person-detail", args=[person.pk])
    correct = reverse("core:person-enforcement-correct", args=[person.pk, action.pk])
    page = client_for("police_facilitator").get(url).content.decode()
    assert reverse("core:person-affiliation-add", args=[person.pk]) in page
    assert reverse("core:person-enforcement-record", args=[person.pk]) in page
    assert reverse("core:affiliation-end", args=[affiliation.pk]) in page
    assert correct in page
    assert "Arrest for a violent or gun offence" in page
    viewer = client_for("police_viewer").get(url).content.decode()
    assert reverse("core:person-affiliation-add", args=[person.pk]) not in viewer
    assert reverse("core:affiliation-end", args=[affiliation.pk]) not in viewer
    assert correct not in viewer


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


def test_an_enforcement_action_is_corrected_from_the_person_page_and_audited(client_for):
    action = f.EnforcementActionFactory(kind="warrant", notes="")
    client = client_for("police_facilitator")
    url = reverse("core:person-enforcement-correct", args=[action.person.pk, action.pk])
    form = client.get(url).content.decode()
    assert "autofocus" in form.split('name="kind"')[1].split(">")[0]
    assert 'name="version" value="1"' in form
    assert '<option value="warrant" selected>' in form
    data = {"kind": "arrest_other", "taken_on": str(action.taken_on), "version": 1}
    response = client.post(url, {**data, "unit": action.unit_id})
    assert response.status_code == 302 and response["Location"].endswith("#enforcement")
    action.refresh_from_db()
    assert (action.kind, action.version) == ("arrest_other", 2)
    event = AuditEvent.objects.get(object_type="core.enforcementaction", action="change")
    assert event.detail == {"changed": {"kind": ["warrant", "arrest_other"]}}


def test_a_stale_correction_is_refused_on_the_form_and_writes_nothing(client_for, users):
    action = f.EnforcementActionFactory(kind="warrant")
    client = client_for("police_facilitator")
    url = reverse("core:person-enforcement-correct", args=[action.person.pk, action.pk])
    record_services.enforcement_action_correct(  # someone else corrects it meanwhile
        action=action,
        user=users["police_viewer"],
        expected_version=1,
        changes={"kind": "supervision"},
    )
    data = {"kind": "arrest_other", "taken_on": str(action.taken_on), "version": 1}
    stale = client.post(url, data)
    assert stale.status_code == 400
    assert "reload to see their changes" in stale.content.decode()
    action.refresh_from_db()
    assert (action.kind, action.version) == ("supervision", 2)
    changes = AuditEvent.objects.filter(object_type="core.enforcementaction", action="change")
    assert changes.count() == 1


def test_another_persons_action_is_not_corrected_through_this_person(client_for):
    action = f.EnforcementActionFactory()
    other = f.PersonFactory()
    url = reverse("core:person-enforcement-correct", args=[other.pk, action.pk])
    client = client_for("police_facilitator")
    assert client.get(url).status_code == 404
    data = {"kind": "warrant", "taken_on": str(action.taken_on), "version": 1}
    assert client.post(url, data).status_code == 404
    action.refresh_from_db()
    assert action.version == 1
