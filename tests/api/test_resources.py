"""API v1 resources: the pages' visibility, intelligence fields absent for partners, safe writes."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ceasefire.core.models import AuditEvent, Organisation, Task
from tests import factories as f

pytestmark = pytest.mark.django_db

INTELLIGENCE = {"aliases", "date_of_birth", "on_supervision"}


def test_the_police_read_a_persons_intelligence(token_client):
    person = f.PersonFactory(aliases="Little D")
    f.AffiliationFactory(person=person)
    body = token_client("police_viewer").get(reverse("api:person-detail", args=[person.pk])).json()
    assert body["aliases"] == "Little D"
    assert body["affiliations"][0]["basis"]


def test_intelligence_fields_are_absent_not_null_for_a_partner(token_client):
    person = f.ShareFactory(person=f.PersonFactory(aliases="Little D")).person
    f.AffiliationFactory(person=person)
    client = token_client("partner_lead")
    detail = client.get(reverse("api:person-detail", args=[person.pk])).json()
    listed = client.get(reverse("api:person-list")).json()["results"][0]
    for body in (detail, listed):
        assert not INTELLIGENCE & set(body)
        assert "Little D" not in str(body)
    assert not {"designations", "affiliations", "involvements"} & set(detail)
    assert detail["shared"]["risk_assessment"]


def test_probation_reads_the_intelligence_of_its_own_supervisees_only(users, token_client):
    probation = Organisation.objects.get(kind=Organisation.Kind.PROBATION)
    lead = users["partner_lead"]
    lead.organisation = probation
    lead.save(update_fields=["organisation"])
    mine = f.PersonFactory(supervising_organisation=probation, aliases="Mine")
    other = f.ShareFactory(person=f.PersonFactory(aliases="Other")).person
    client = token_client("partner_lead")
    assert client.get(reverse("api:person-detail", args=[mine.pk])).json()["aliases"] == "Mine"
    assert "aliases" not in client.get(reverse("api:person-detail", args=[other.pk])).json()


def test_people_search_filters_by_name(token_client):
    f.PersonFactory(first_name="Darnell", last_name="Jones")
    f.PersonFactory(first_name="Marcus", last_name="Smith")
    body = token_client("police_viewer").get(reverse("api:person-list"), {"search": "darn"}).json()
    assert [p["first_name"] for p in body["results"]] == ["Darnell"]


def test_reading_people_is_an_audit_event_naming_them(token_client):
    person = f.PersonFactory()
    token_client("police_viewer").get(reverse("api:person-list"))
    event = AuditEvent.objects.filter(action="view", object_type="core.person").latest("id")
    assert event.detail["people"] == [person.pk]


def test_an_incident_narrative_is_for_the_police_only(token_client):
    incident = f.IncidentFactory(narrative="Retaliation for the 14th")
    body = token_client("police_viewer").get(reverse("api:incident-detail", args=[incident.pk]))
    assert body.json()["narrative"] == "Retaliation for the 14th"
    refused = token_client("partner_lead").get(reverse("api:incident-list"))
    assert refused.status_code == 403
    assert set(refused.json()) == {"status", "code", "detail", "fields"}


def test_the_shooting_log_filters_and_pages_by_cursor(token_client):
    for n in range(5):
        f.IncidentFactory(case_number=f"24-{n:03d}", area="East")
    f.IncidentFactory(case_number="24-999", area="West")
    client = token_client("police_viewer")
    first = client.get(reverse("api:incident-list"), {"area": "East", "page_size": 2}).json()
    assert len(first["results"]) == 2 and first["next"]
    second = client.get(first["next"]).json()
    seen = {i["case_number"] for i in first["results"] + second["results"]}
    assert len(seen) == 4 and "24-999" not in seen


def test_a_facilitator_creates_an_incident_through_the_service(token_client):
    client = token_client("police_facilitator", scope="write")
    response = client.post(
        reverse("api:incident-list"),
        {
            "case_number": "24-777",
            "occurred_at": "2024-03-14T21:30:00-07:00",
            "address": "1 Main St",
            "area": "East",
            "weapon": "firearm",
            "nonfatal_victims": 2,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["nonfatal_victims"] == 2
    assert AuditEvent.objects.filter(action="create", object_type="core.incident").exists()


def test_invalid_input_is_400_with_field_errors_and_writes_nothing(token_client):
    client = token_client("police_facilitator", scope="write")
    response = client.post(reverse("api:incident-list"), {"weapon": "knife"}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and {"case_number", "weapon"} <= set(body["fields"])


def test_a_task_update_with_a_stale_version_is_409_with_the_current_version(users, token_client):
    task = f.TaskFactory(assigned_organisation=users["partner_lead"].organisation)
    client = token_client("partner_lead", scope="write")
    url = reverse("api:task-detail", args=[task.pk])
    ok = client.patch(url, {"status": "in_progress", "note": "Called"}, HTTP_IF_MATCH='"1"')
    assert ok.status_code == 200, ok.json()
    assert ok.json()["version"] == 2
    stale = client.patch(url, {"status": "done", "version": 1}, format="json")
    assert stale.status_code == 409
    assert stale.json()["current_version"] == 2 and stale.json()["code"] == "conflict"
    task.refresh_from_db()
    assert task.status == Task.Status.IN_PROGRESS


def test_an_update_without_a_version_is_refused(users, token_client):
    task = f.TaskFactory(assigned_organisation=users["partner_lead"].organisation)
    client = token_client("partner_lead", scope="write")
    response = client.patch(reverse("api:task-detail", args=[task.pk]), {"status": "done"})
    assert response.status_code == 400 and "version" in response.json()["fields"]


def test_a_partner_cannot_change_another_organisations_task(orgs, token_client):
    task = f.TaskFactory(assigned_organisation=orgs["other_cbo"])
    client = token_client("partner_lead", scope="write")
    response = client.patch(reverse("api:task-detail", args=[task.pk]), {"version": 1})
    assert response.status_code == 404


def test_executives_see_worksheets_but_never_a_person(token_client):
    f.PersonFactory()
    f.WorksheetFactory(snapshot={"outcomes": {}}, status="ready")
    client = token_client("executive")
    assert client.get(reverse("api:person-list")).json()["results"] == []
    assert client.get(reverse("api:incident-list")).status_code == 403
    assert client.get(reverse("api:worksheet-list")).status_code == 200


def test_a_worksheet_version_is_its_frozen_snapshot(token_client):
    worksheet = f.WorksheetFactory(snapshot={"period": {"start": "2017-02-01"}}, status="ready")
    client = token_client("executive")
    body = client.get(reverse("api:worksheet-detail", args=[worksheet.pk])).json()
    assert body == {"period": {"start": "2017-02-01"}}


def test_requesting_a_worksheet_queues_its_job(token_client, django_capture_on_commit_callbacks):
    client = token_client("police_facilitator", scope="write")
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("api:worksheet-list"), {"period": "2017-02..2017-03"}, format="json"
        )
    assert response.status_code == 202
    assert response.json()["status"] == "queued"
