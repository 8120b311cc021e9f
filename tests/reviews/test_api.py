"""The read API: the pages' permissions, narratives only to intelligence viewers, paginated."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ceasefire.core.models import Involvement
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_incident_list_is_paginated_with_kind_and_victim_counts(client_for, week):
    data = client_for("police_viewer").get(reverse("reviews:api-incident-list")).json()
    assert data["count"] == 3 and "next" in data
    new1 = next(r for r in data["results"] if r["case_number"] == "NEW-1")
    assert (new1["kind"], new1["fatal_victims"], new1["nonfatal_victims"]) == ("homicide", 1, 1)
    assert "narrative" not in new1


def test_incident_list_filters_like_the_page(client_for, week):
    data = (
        client_for("police_viewer")
        .get(reverse("reviews:api-incident-list"), {"kind": "non_injury_shooting"})
        .json()
    )
    assert [r["case_number"] for r in data["results"]] == ["NEW-2"]


def test_incident_list_rejects_a_bad_filter(client_for, week):
    response = client_for("police_viewer").get(
        reverse("reviews:api-incident-list"), {"kind": "massacre"}
    )
    assert response.status_code == 400 and "kind" in response.json()


def test_incident_list_query_count_does_not_grow(client_for, week, django_assert_max_num_queries):
    client = client_for("police_viewer")
    with django_assert_max_num_queries(6) as first:
        client.get(reverse("reviews:api-incident-list"))
    for n in range(20):
        f.InvolvementFactory(
            incident=f.IncidentFactory(case_number=f"API-{n}"), injury=Involvement.Injury.FATAL
        )
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(reverse("reviews:api-incident-list")).json()["count"] == 23


def test_police_get_the_narrative_in_the_detail(client_for, week):
    week["shooting"].narrative = "Informant says the shooter drove a grey sedan."
    week["shooting"].save(update_fields=["narrative"])
    data = (
        client_for("police_viewer")
        .get(reverse("reviews:api-incident-detail", args=[week["shooting"].pk]))
        .json()
    )
    assert data["narrative"].startswith("Informant") and data["fatal_victims"] == 1
    assert {i["role"] for i in data["involvements"]} == {"victim"}


@pytest.mark.parametrize(
    "role", ["partner_lead", "partner_staff", "community_partner", "executive", "admin", "auditor"]
)
def test_non_police_cannot_read_incidents_or_narratives(client_for, week, role):
    response = client_for(role).get(
        reverse("reviews:api-incident-detail", args=[week["shooting"].pk])
    )
    assert response.status_code == 403 and b"Informant" not in response.content


def test_review_detail_lists_the_agenda_and_decisions(client_for, review, week):
    from reviews.services import risk_decide

    risk_decide(
        review=review,
        user=week["facilitator"],
        incident=week["shooting"],
        person=week["dante"],
        decision="confirmed",
        reason="co-victim in #OLD-1",
    )
    data = (
        client_for("police_viewer")
        .get(reverse("reviews:api-review-detail", args=[review.pk]))
        .json()
    )
    assert data["shootings"]["count"] == 2
    shooting = next(
        s for s in data["shootings"]["results"] if s["incident"]["case_number"] == "NEW-1"
    )
    assert shooting["at_imminent_risk"][0]["person"]["name"] == "Dante Hill"


def test_review_list_is_paginated(client_for, review):
    data = client_for("police_facilitator").get(reverse("reviews:api-review-list")).json()
    assert data["count"] == 1 and data["results"][0]["incident_count"] == 2


def test_reading_people_through_the_api_is_audited(client_for, week):
    from ceasefire.core.models import AuditEvent

    client_for("police_viewer").get(
        reverse("reviews:api-incident-detail", args=[week["shooting"].pk])
    )
    event = AuditEvent.objects.get(action="view", object_type="core.incident")
    assert event.detail["api"] and week["marcus"].pk in event.detail["people"]


def test_the_old_review_list_is_v1s_meetings_list_of_shooting_reviews(client_for, review):
    """An alias of ``api:meeting-list`` (its filters and ordering) with the old shape and
    page numbers: coordination meetings are not listed, v1's ``date_from`` filter applies."""
    f.CoordinationMeetingFactory(date=review.date)
    older = f.ShootingReviewFactory(date=review.date - dt.timedelta(days=7))
    client = client_for("police_facilitator")
    data = client.get(reverse("reviews:api-review-list")).json()
    assert [r["id"] for r in data["results"]] == [review.pk, older.pk]
    assert set(data) == {"count", "next", "previous", "results"}
    assert data["results"][1]["incident_count"] == 0
    since = {"date_from": review.date.isoformat()}
    data = client.get(reverse("reviews:api-review-list"), since).json()
    assert [r["id"] for r in data["results"]] == [review.pk]
    bad = client.get(reverse("reviews:api-review-list"), {"date_from": "soon"})
    assert bad.status_code == 400 and "date_from" in bad.json()  # DRF's plain body, as before


def test_the_old_review_list_keeps_its_capability_check(client_for, review):
    assert client_for("partner_lead").get(reverse("reviews:api-review-list")).status_code == 403
