"""Partnership health at the coordination meeting: the referral figures are those of the
organisations the viewer sees (below citywide), so small counts read "fewer than 5" for everyone
but the police."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _health(client, agenda) -> str:
    html = client.get(reverse("coordination:meeting-detail", args=[agenda.meeting.pk]))
    html = html.content.decode()
    return html[html.index('id="health"') :][:1500]


def test_police_read_the_referral_count_and_partners_read_fewer_than_five(agenda, client_for):
    police = _health(client_for("police_facilitator"), agenda)
    assert "1 given to" in police
    partner = _health(client_for("partner_lead"), agenda)
    assert "fewer than 5 given to" in partner and "1 given to" not in partner
