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


def test_viewing_an_open_review_logs_the_suggestions_each_shooting_offers(client_for, review, week):
    client_for("police_facilitator").get(reverse("reviews:review-detail", args=[review.pk]))
    event = AuditEvent.objects.filter(action="view", object_type="core.meeting").latest("seq")
    offered = event.detail["suggestions_offered"]
    assert list(offered) == [str(week["shooting"].pk)]
    assert week["marcus"].pk in offered[str(week["shooting"].pk)]
    assert week["dante"].pk in offered[str(week["shooting"].pk)]


def test_the_oversight_report_counts_offered_vs_confirmed(client_for, review, week, users):
    client = client_for("police_facilitator")
    client.get(reverse("reviews:review-detail", args=[review.pk]))
    client.get(reverse("reviews:review-detail", args=[review.pk]))  # a second view: same offers
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
