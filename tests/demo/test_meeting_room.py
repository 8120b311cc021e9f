"""What the live meeting room meets in the demo city: confirmations before every irreversible
step, referrals in every state, escalations on the home pages, the referral-health figure."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ceasefire.core.models import Meeting, Task, User
from demo.users import FACILITATOR, PARTNER_LEAD

pytestmark = pytest.mark.usefixtures("city")
OPEN = Meeting.objects.exclude(state=Meeting.State.CLOSED)


def signed_in(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_the_demo_has_referrals_accepted_awaiting_and_declined():
    given = Task.objects.exclude(referral_answered_at__isnull=True)
    assert given.filter(referral=Task.Referral.ACCEPTED).count() > 20
    assert Task.objects.filter(referral=Task.Referral.AWAITING, status="open").exists()
    declined = Task.objects.filter(referral=Task.Referral.DECLINED, status="open")
    assert declined.exists() and all(t.decline_reason for t in declined)


def test_home_pages_show_what_needs_chasing():
    for username in (FACILITATOR, PARTNER_LEAD):
        assert "Needs attention" in signed_in(username).get("/").content.decode(), username


def test_every_close_and_freeze_asks_first():
    client = signed_in(FACILITATOR)
    pages = [
        reverse("reviews:review-detail", args=[OPEN.get(kind=Meeting.Kind.SHOOTING_REVIEW).pk]),
        reverse("coordination:meeting-detail", args=[OPEN.get(kind=Meeting.Kind.COORDINATION).pk]),
    ]
    for url in pages:
        html = client.get(url).content.decode()
        assert 'hx-confirm="Close the' in html, url


def test_the_coordination_meeting_reads_the_referral_health_figure():
    meeting = OPEN.get(kind=Meeting.Kind.COORDINATION)
    html = (
        signed_in(FACILITATOR)
        .get(reverse("coordination:meeting-detail", args=[meeting.pk]))
        .content.decode()
    )
    assert "accepted within two working days" in html
