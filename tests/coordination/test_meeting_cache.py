"""The coordination meeting's lists are read once per records version for every reader whose
permissions give the same rows -- and only for them: a narrower reader at the same version gets
their own rows, and a write is seen at once."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ceasefire.core.models import PartnershipShare, Role
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def _risk_picture(client, meeting) -> str:
    response = client.get(
        reverse("coordination:meeting-detail", args=[meeting.pk]) + "?section=risk-picture",
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    return response.content.decode()


def test_a_narrower_reader_gets_their_own_rows_at_the_same_version(agenda, client_for, users):
    agenda.meeting.attendees.add(users["community_partner"])  # who may open the agenda
    lead, community = client_for("partner_lead"), client_for("community_partner")
    assert "Darnell Shared" in _risk_picture(lead, agenda.meeting)  # cached for the lead
    assert "Darnell Shared" not in _risk_picture(community, agenda.meeting)  # sees no one
    assert "Darnell Shared" in _risk_picture(client_for("police_facilitator"), agenda.meeting)


def test_a_second_reader_of_the_same_rows_reads_them_from_the_cache(
    agenda, client_for, orgs, django_assert_max_num_queries
):
    colleague = Client()
    colleague.force_login(f.UserFactory(role=Role.POLICE_FACILITATOR, organisation=orgs["police"]))
    url = reverse("coordination:meeting-detail", args=[agenda.meeting.pk])
    with django_assert_max_num_queries(80) as first:
        assert client_for("police_facilitator").get(url).status_code == 200
    with django_assert_max_num_queries(len(first.captured_queries) - 4) as again:
        response = colleague.get(url)
    assert "Darnell Shared" in response.content.decode()
    shares_read = [
        q for q in again.captured_queries if q["sql"].startswith('SELECT "core_partnershipshare"')
    ]
    assert shares_read == []  # the colleague's page read the shared people from the cache


def test_a_withdrawn_share_leaves_the_page_at_once(agenda, client_for):
    lead = client_for("partner_lead")
    assert "Darnell Shared" in _risk_picture(lead, agenda.meeting)
    PartnershipShare.objects.filter(pk=agenda.share.pk).update(withdrawn_at=timezone.now())
    assert "Darnell Shared" not in _risk_picture(lead, agenda.meeting)
