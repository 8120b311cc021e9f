"""Core pages: home pages per role, intelligence on a person page, lockout, query counts.

Who may open which core URL is in the access table (tests/core/access_table.py).
"""

import pytest
from django.urls import reverse

from ceasefire.core.models import AuditEvent, Meeting
from tests import factories as f
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def test_partner_never_sees_intelligence_on_a_shared_person(client_for, users):
    person = f.ShareFactory(risk_assessment="At high risk of violence").person
    f.DesignationFactory(person=person, basis="SECRET-BASIS informant says")
    f.AffiliationFactory(person=person, basis="SECRET-AFFILIATION")
    f.InvolvementFactory(
        person=person,
        role="suspect",
        injury="",
        incident=f.IncidentFactory(narrative="SECRET-NARRATIVE"),
    )
    partner = client_for("partner_lead").get(f"/people/{person.pk}/").content.decode()
    police = client_for("police_facilitator").get(f"/people/{person.pk}/").content.decode()
    assert "At high risk of violence" in partner
    for secret in ("SECRET-BASIS", "SECRET-AFFILIATION", "Suspect", "Police only"):
        assert secret not in partner
        assert secret in police or secret == "SECRET-NARRATIVE"


def test_police_home_shows_next_review_and_open_deliverables(client_for, orgs):
    review = f.MeetingFactory(kind=Meeting.Kind.SHOOTING_REVIEW)
    f.TaskFactory(
        title="Find the witness",
        source_meeting=f.MeetingFactory(kind="shooting_review"),
        assigned_organisation=orgs["police"],
    )
    f.TaskFactory(
        title="Already done",
        status="done",
        source_meeting=review,
        assigned_organisation=orgs["police"],
    )
    page = client_for("police_facilitator").get("/").content.decode()
    assert "Find the witness" in page and "Already done" not in page
    assert f'href="{reverse("reviews:review-detail", args=[review.pk])}"' in page


def test_partner_home_lists_only_their_organisations_open_followups(client_for, orgs):
    f.TaskFactory(title="Visit at Highland hospital", assigned_organisation=orgs["hsd"])
    f.TaskFactory(title="Other org task", assigned_organisation=orgs["other_cbo"])
    page = client_for("partner_lead").get("/").content.decode()
    assert "Visit at Highland hospital" in page and "Other org task" not in page


def test_every_home_row_links_to_its_page_and_names_only_people_the_reader_may_see(
    client_for, orgs
):
    shared = f.ShareFactory(person=f.PersonFactory(first_name="Shared", last_name="Person")).person
    unshared = f.PersonFactory(first_name="Never", last_name="Shared")
    visible = f.TaskFactory(assigned_organisation=orgs["hsd"], subject_person=shared)
    hidden = f.TaskFactory(assigned_organisation=orgs["hsd"], subject_person=unshared)
    client = client_for("partner_lead")
    page = client.get("/").content.decode()
    for task in (visible, hidden):
        link = reverse("coordination:followup-detail", args=[task.pk])
        assert f'href="{link}"' in page
        assert client.get(link).status_code == 200
    assert "Shared Person" in page
    assert "Never Shared" not in page and "a person not shared with you" in page


def test_executive_home_shows_the_latest_ready_worksheet(client_for):
    f.WorksheetFactory(status="ready", version=1)
    page = client_for("executive").get("/").content.decode()
    assert "February–March 2017" in page


def test_admin_home_lists_users(client_for, users):
    page = client_for("admin").get("/").content.decode()
    assert "community_partner" in page


@pytest.mark.parametrize(
    ("role", "rows"), [("police_facilitator", 5), ("partner_lead", 5), ("auditor", 5)]
)
def test_home_query_count_does_not_grow_with_rows(
    client_for, orgs, django_assert_max_num_queries, role, rows
):
    client = client_for(role)
    review = f.MeetingFactory(kind="shooting_review")
    for org in (orgs["police"], orgs["hsd"]):
        f.TaskFactory.create_batch(
            rows, assigned_organisation=org, source_meeting=review, subject_person=f.PersonFactory()
        )
    client.get("/")  # warm the session
    with django_assert_max_num_queries(12):
        small = client.get("/")
    for org in (orgs["police"], orgs["hsd"]):
        f.TaskFactory.create_batch(
            rows * 6,
            assigned_organisation=org,
            source_meeting=review,
            subject_person=f.PersonFactory(),
        )
    with django_assert_max_num_queries(12):
        large = client.get("/")
    assert small.status_code == large.status_code == 200


def test_login_is_locked_after_repeated_failures(client, users):
    for _ in range(5):
        client.post(
            "/accounts/login/",
            {"username": "executive", "password": "nope"},
            REMOTE_ADDR="10.1.1.1",
        )
    response = client.post(
        "/accounts/login/", {"username": "executive", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1"
    )
    assert response.status_code == 429
    assert b"Too many failed sign-in attempts" in response.content
    assert AuditEvent.objects.filter(action="login_failed").count() >= 5


def test_audit_log_filters_by_action(client_for, users):
    client = client_for("auditor")
    client.get("/")
    f.PersonFactory()
    page = client.get("/audit/?action=login_failed").content.decode()
    assert "No events." in page
