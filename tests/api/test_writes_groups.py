"""API v1 writes of groups, conflicts, affiliations and enforcement actions: the pages' forms,
the services, their audit events; a stale group, conflict or enforcement action is 409 with its
current version (none sent: 400); read-only tokens and partners refused; partners still never see
a conflict's intelligence."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ceasefire.core.models import (
    ApiToken,
    AuditEvent,
    Conflict,
    EnforcementAction,
    Group,
    GroupAffiliation,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

WRITE = ApiToken.Scope.WRITE


def test_a_group_is_recorded_and_edited_like_on_its_pages(token_client):
    client = token_client("police_facilitator", WRITE)
    response = client.post(
        reverse("api:group-list"), {"name": "Acorn Boys", "area": "Area 2"}, format="json"
    )
    assert response.status_code == 201, response.json()
    group = Group.objects.get()
    assert response.json()["active"] is True and group.name == "Acorn Boys"
    assert response.json()["version"] == 1
    url = reverse("api:group-detail", args=[group.pk])
    response = client.patch(url, {"active": False, "version": 1}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2
    group.refresh_from_db()
    assert (group.name, group.area, group.active) == ("Acorn Boys", "Area 2", False)
    events = AuditEvent.objects.filter(object_type="core.group").order_by("seq")
    assert [e.action for e in events] == ["create", "change"]
    assert events[1].detail == {"changed": {"active": [True, False]}}


def test_a_stale_group_patch_is_409_with_the_current_version_and_writes_nothing(token_client):
    group = f.GroupFactory(area="Area 2")
    client = token_client("police_facilitator", WRITE)
    url = reverse("api:group-detail", args=[group.pk])
    saved = client.patch(url, {"area": "Area 3"}, format="json", headers={"If-Match": '"1"'})
    assert saved.status_code == 200 and saved.json()["version"] == 2
    stale = client.patch(url, {"area": "Area 4", "version": 1}, format="json")
    assert stale.status_code == 409
    body = stale.json()
    assert (body["code"], body["current_version"]) == ("conflict", 2)
    assert "reload to see their changes" in body["detail"]
    stale_header = client.patch(url, {"area": "Area 4"}, format="json", headers={"If-Match": "1"})
    assert stale_header.status_code == 409
    group.refresh_from_db()
    assert (group.area, group.version) == ("Area 3", 2)
    assert AuditEvent.objects.filter(object_type="core.group", action="change").count() == 1


@pytest.mark.parametrize(
    "body, headers",
    [
        ({"area": "Area 4"}, {}),
        ({"area": "Area 4", "version": "one"}, {}),
        ({"area": "Area 4"}, {"If-Match": '"one"'}),
    ],
)
def test_a_group_patch_without_a_version_is_400_and_writes_nothing(token_client, body, headers):
    group = f.GroupFactory(area="Area 2")
    client = token_client("police_facilitator", WRITE)
    url = reverse("api:group-detail", args=[group.pk])
    response = client.patch(url, body, format="json", headers=headers)
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["version"]
    group.refresh_from_db()
    assert (group.area, group.version) == ("Area 2", 1)
    assert not AuditEvent.objects.filter(object_type="core.group", action="change").exists()


def test_a_groups_version_is_shown_to_the_police(token_client):
    group = f.GroupFactory()
    read = token_client("police_viewer").get(reverse("api:group-detail", args=[group.pk])).json()
    assert read["version"] == 1


def test_a_group_of_a_name_taken_is_400_with_the_message_on_its_field(token_client):
    f.GroupFactory(name="Acorn Boys")
    client = token_client("police_facilitator", WRITE)
    response = client.post(reverse("api:group-list"), {"name": "Acorn Boys"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["name"]
    assert Group.objects.count() == 1


def test_a_conflict_is_recorded_and_a_stale_status_change_is_409(token_client):
    a, b = f.GroupFactory(), f.GroupFactory()
    client = token_client("police_facilitator", WRITE)
    data = {"group_a": a.pk, "group_b": b.pk, "status": "hot", "description": "Payback"}
    response = client.post(reverse("api:conflict-list"), data, format="json")
    assert response.status_code == 201, response.json()
    conflict = Conflict.objects.get()
    url = reverse("api:conflict-detail", args=[conflict.pk])
    saved = client.patch(url, {"status": "dormant"}, format="json", headers={"If-Match": '"1"'})
    assert saved.status_code == 200 and saved.json()["version"] == 2
    stale = client.patch(url, {"status": "active", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    assert client.patch(url, {"status": "active"}, format="json").status_code == 400  # no version
    conflict.refresh_from_db()
    assert (conflict.status, conflict.description) == ("dormant", "Payback")
    events = AuditEvent.objects.filter(object_type="core.conflict").order_by("seq")
    assert [e.action for e in events] == ["create", "change"]


def test_a_conflict_recorded_twice_is_refused_with_the_services_message(token_client):
    conflict = f.ConflictFactory()
    client = token_client("police_facilitator", WRITE)
    data = {"group_a": conflict.group_b.pk, "group_b": conflict.group_a.pk, "status": "hot"}
    response = client.post(reverse("api:conflict-list"), data, format="json")
    assert response.status_code == 400
    assert "already recorded" in response.json()["fields"]["non_field_errors"][0]
    assert Conflict.objects.count() == 1


def test_partners_change_no_conflict_and_still_see_no_intelligence(token_client):
    conflict = f.ConflictFactory(description="Payback for the 14th")
    url = reverse("api:conflict-detail", args=[conflict.pk])
    partner = token_client("partner_lead", WRITE)
    assert partner.patch(url, {"status": "dormant", "version": 1}, format="json").status_code == 403
    police = token_client("police_facilitator", WRITE)
    assert police.patch(url, {"status": "dormant", "version": 1}, format="json").status_code == 200
    read = partner.get(url).json()
    assert read["status"] == "dormant"
    assert not {"description", "started_on", "validated_on"} & set(read)


def test_an_affiliation_is_added_and_ended_on_the_person(token_client):
    person, group = f.PersonFactory(), f.GroupFactory()
    client = token_client("police_facilitator", WRITE)
    url = reverse("api:person-affiliations", args=[person.pk])
    data = {"group": group.pk, "since": "2024-01-05", "basis": "Self-identified."}
    response = client.post(url, data, format="json")
    assert response.status_code == 201, response.json()
    affiliation = GroupAffiliation.objects.get()
    again = client.post(url, data, format="json")
    assert again.status_code == 400 and "already recorded" in str(again.json()["fields"])
    end = reverse("api:person-affiliation-end", args=[person.pk, affiliation.pk])
    response = client.post(end, format="json")
    assert response.status_code == 200 and response.json()["active"] is False
    assert client.post(end, format="json").status_code == 400  # already ended
    other = reverse("api:person-affiliation-end", args=[f.PersonFactory().pk, affiliation.pk])
    assert client.post(other, format="json").status_code == 404  # not that person's


def test_an_enforcement_action_is_recorded_and_corrected(token_client):
    person, group = f.PersonFactory(), f.GroupFactory()
    client = token_client("police_facilitator", WRITE)
    data = {"person": person.pk, "taken_on": "2024-01-05", "kind": "arrest_violent_gun"}
    response = client.post(reverse("api:enforcement-action-list"), data, format="json")
    assert response.status_code == 201, response.json()
    action = EnforcementAction.objects.get()
    assert response.json()["version"] == 1
    url = reverse("api:enforcement-action-detail", args=[action.pk])
    data = {"group": group.pk, "kind": "arrest_other", "version": 1}
    response = client.patch(url, data, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2
    action.refresh_from_db()
    assert (action.person, action.group, action.kind) == (person, group, "arrest_other")
    refused = client.patch(url, {"person": None, "group": None, "version": 2}, format="json")
    assert refused.status_code == 400
    assert "a person, a group" in refused.json()["fields"]["non_field_errors"][0]
    events = AuditEvent.objects.filter(object_type="core.enforcementaction").order_by("seq")
    assert [e.action for e in events] == ["create", "change"]


@pytest.mark.parametrize(
    "url", ["api:group-list", "api:conflict-list", "api:enforcement-action-list"]
)
def test_a_read_only_token_records_nothing(token_client, url):
    response = token_client("police_facilitator").post(reverse(url), {}, format="json")
    assert response.status_code == 403
    assert response.json()["detail"] == "This token is read-only."


def test_a_stale_enforcement_action_correction_is_409_and_writes_nothing(token_client):
    action = f.EnforcementActionFactory(kind="warrant")
    client = token_client("police_facilitator", WRITE)
    url = reverse("api:enforcement-action-detail", args=[action.pk])
    saved = client.patch(url, {"kind": "arrest_other"}, format="json", headers={"If-Match": '"1"'})
    assert saved.status_code == 200 and saved.json()["version"] == 2
    stale = client.patch(url, {"kind": "supervision", "version": 1}, format="json")
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    missing = client.patch(url, {"kind": "supervision"}, format="json")
    assert missing.status_code == 400 and list(missing.json()["fields"]) == ["version"]
    action.refresh_from_db()
    assert (action.kind, action.version) == ("arrest_other", 2)
    events = AuditEvent.objects.filter(object_type="core.enforcementaction", action="change")
    assert events.count() == 1
