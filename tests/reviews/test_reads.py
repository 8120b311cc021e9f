"""Opening the shooting log and a review writes nothing but the audit event of the view."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from reviews.models import ReviewSummary
from reviews.services import review_close
from tests import factories as f
from tests.queries import tables_written

pytestmark = pytest.mark.django_db

AUDIT_ONLY = {"core_auditevent"}


def test_opening_a_past_review_as_the_facilitator_writes_only_audit_events(
    client_for, review, week
):
    review_close(review=review, user=week["facilitator"], expected_version=review.version)
    client = client_for("police_facilitator")
    summaries = ReviewSummary.objects.count()

    with tables_written() as written:
        detail = client.get(reverse("reviews:review-detail", args=[review.pk]))
        minutes = client.get(reverse("reviews:review-minutes", args=[review.pk]))

    assert detail.status_code == minutes.status_code == 200
    assert written == AUDIT_ONLY
    assert ReviewSummary.objects.count() == summaries


def test_a_past_review_without_a_summary_opens_without_making_one(client_for, users):
    review = f.ClosedShootingReviewFactory()
    client = client_for("police_facilitator")

    with tables_written() as written:
        page = client.get(reverse("reviews:review-detail", args=[review.pk]))

    assert page.status_code == 200 and written == AUDIT_ONLY
    assert not ReviewSummary.objects.filter(meeting=review).exists()


def test_opening_the_open_review_and_its_fragments_writes_only_audit_events(
    client_for, review, week
):
    client = client_for("police_facilitator")
    url = reverse("reviews:review-detail", args=[review.pk])

    with tables_written() as written:
        assert client.get(url).status_code == 200
        fragment = client.get(url, {"section": "section-risk"}, HTTP_HX_REQUEST="true")

    assert fragment.status_code == 200
    assert written == AUDIT_ONLY


def test_the_review_page_shows_the_summary_the_review_was_created_with(client_for, review, week):
    summary = ReviewSummary.objects.get(meeting=review)
    page = client_for("police_facilitator").get(reverse("reviews:review-detail", args=[review.pk]))

    assert page.context["summary"] == summary


@pytest.mark.parametrize(
    "name",
    ["reviews:index", "reviews:incident-list", "reviews:group-list", "reviews:review-create"],
)
def test_the_shooting_log_pages_write_nothing(client_for, week, name):
    client = client_for("police_facilitator")
    with tables_written() as written:
        assert client.get(reverse(name)).status_code == 200

    assert written <= AUDIT_ONLY


def test_the_incident_page_writes_only_its_audit_event(client_for, week):
    client = client_for("police_facilitator")
    url = reverse("reviews:incident-detail", args=[week["shooting"].pk])
    with tables_written() as written:
        assert client.get(url).status_code == 200

    assert written == AUDIT_ONLY


def test_the_data_migration_gives_every_review_lacking_one_a_summary():
    migration = importlib.import_module("reviews.migrations.0002_review_summary_for_every_review")
    bare = f.ShootingReviewFactory()
    closed = f.ClosedShootingReviewFactory()
    coordination = f.CoordinationMeetingFactory()
    kept = ReviewSummary.objects.create(meeting=f.ShootingReviewFactory(), hottest_conflicts="A")

    migration.create_missing_summaries(apps, None)
    migration.create_missing_summaries(apps, None)  # a second run adds nothing

    assert ReviewSummary.objects.filter(meeting__in=[bare, closed]).count() == 2
    assert not ReviewSummary.objects.filter(meeting=coordination).exists()
    kept.refresh_from_db()
    assert kept.hottest_conflicts == "A" and ReviewSummary.objects.count() == 3
