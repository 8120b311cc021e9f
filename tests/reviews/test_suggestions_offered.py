"""Suggestions offered are logged (each view of an open review) and the oversight report reads
them: suggestions offered vs confirmed and dismissed, counted, not inferred from decisions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ceasefire.core import oversight
from ceasefire.core.models import AuditEvent
from reviews import services

pytestmark = pytest.mark.django_db


def _table() -> dict:
    return dict(oversight.suggestions_offered_and_decided().rows)


def _open_shooting(client, review, incident):
    """Open one shooting's details, where the review offers its suggestions."""
    entry = review.review_incidents.get(incident=incident)
    client.get(reverse("reviews:review-shooting", args=[review.pk, entry.pk]), HTTP_HX_REQUEST="1")


def test_the_review_page_itself_offers_no_suggestions(client_for, review, week):
    client_for("police_facilitator").get(reverse("reviews:review-detail", args=[review.pk]))
    event = AuditEvent.objects.filter(action="view", object_type="core.meeting").latest("seq")
    assert "suggestions_offered" not in event.detail


def test_opening_a_shooting_logs_the_suggestions_it_offers(client_for, review, week):
    _open_shooting(client_for("police_facilitator"), review, week["shooting"])
    event = AuditEvent.objects.filter(action="view", object_type="core.meeting").latest("seq")
    offered = event.detail["suggestions_offered"]
    assert list(offered) == [str(week["shooting"].pk)]
    assert week["marcus"].pk in offered[str(week["shooting"].pk)]
    assert week["dante"].pk in offered[str(week["shooting"].pk)]


def test_the_oversight_report_counts_offered_vs_confirmed(client_for, review, week, users):
    client = client_for("police_facilitator")
    _open_shooting(client, review, week["shooting"])
    _open_shooting(client, review, week["shooting"])  # a second view: same offers
    offered = len(
        AuditEvent.objects.filter(action="view", object_type="core.meeting")
        .latest("seq")
        .detail["suggestions_offered"][str(week["shooting"].pk)]
    )
    assert offered >= 2
    services.risk_decide(
        review=review,
        user=users["police_facilitator"],
        incident=week["shooting"],
        person=week["dante"],
        decision="confirmed",
        reason="co-victim in #OLD-1",
    )
    table = _table()
    assert table["shootings with suggestions offered"] == 1
    assert table["suggestions offered"] == offered
    assert table["confirmed"] == 1 and table["dismissed"] == 0
    assert table["offered, never decided"] == offered - 1
    report = client_for("auditor").get(reverse("core:oversight")).content.decode()
    assert "suggestions offered" in report


def test_a_fresh_system_offers_and_decides_nothing():
    assert _table() == {
        "shootings with suggestions offered": 0,
        "suggestions offered": 0,
        "confirmed": 0,
        "dismissed": 0,
        "offered, never decided": 0,
    }
