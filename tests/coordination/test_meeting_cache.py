"""The coordination meeting's lists are read once per records version for every reader whose
permissions give the same rows -- and only for them: a narrower reader at the same version gets
their own rows, and a write is seen at once."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ceasefire.core.fragments import CSRF_PLACEHOLDER
from ceasefire.core.models import AuditEvent, PartnershipShare, Role
from coordination.services import meeting_minutes_save
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


# --- the page rendered once per scope and version (ceasefire.core.fragments) ---------------


def _colleague(orgs, role=Role.POLICE_FACILITATOR, **client_kwargs) -> Client:
    """A second reader of the police facilitator's scope (same role and organisation)."""
    client = Client(**client_kwargs)
    client.force_login(f.UserFactory(role=role, organisation=orgs["police"]))
    return client


def _meeting_url(meeting) -> str:
    return reverse("coordination:meeting-detail", args=[meeting.pk])


def test_a_colleague_reads_the_page_rendered_for_the_first_reader_and_is_audited(
    agenda, client_for, orgs, users, django_assert_max_num_queries
):
    colleague = _colleague(orgs)
    first = client_for("police_facilitator").get(_meeting_url(agenda.meeting))
    with django_assert_max_num_queries(14) as again:
        second = colleague.get(_meeting_url(agenda.meeting))
    # the whole body came from the cache: no agenda list, plan, task or health item was read
    read = " ".join(q["sql"] for q in again.captured_queries)
    for table in ("core_partnershipshare", "core_task", "coordination_", "core_conflict"):
        assert f'FROM "{table}' not in read, table
    page = second.content.decode()
    assert "Darnell Shared" in page and "1 · Current risk picture" in page
    assert page.count("csrfmiddlewaretoken") == first.content.decode().count("csrfmiddlewaretoken")
    views = AuditEvent.objects.filter(action="view", object_type="core.meeting")
    assert views.count() == 2  # each reader's view is an audit event, naming the people shown
    assert {tuple(e.detail["people"]) for e in views} == {(agenda.shared.pk,)}


def test_a_shared_page_carries_each_readers_own_csrf_token(agenda, users, orgs):
    first = Client(enforce_csrf_checks=True)
    first.force_login(users["police_facilitator"])
    colleague = _colleague(orgs, enforce_csrf_checks=True)  # both signed in before reading
    first_page = first.get(_meeting_url(agenda.meeting)).content.decode()
    page = colleague.get(_meeting_url(agenda.meeting)).content.decode()  # the shared render
    assert CSRF_PLACEHOLDER not in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    others = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', first_page).group(1)
    url = reverse("coordination:meeting-minutes", args=[agenda.meeting.pk])
    data = {"minutes": "Agreed: call-in on Thursday", "version": agenda.meeting.version}
    refused = colleague.post(url, {**data, "csrfmiddlewaretoken": others})
    assert refused.status_code == 403  # the first reader's token is not the colleague's
    saved = colleague.post(url, {**data, "csrfmiddlewaretoken": token})
    assert saved.status_code == 302
    agenda.meeting.refresh_from_db()
    assert agenda.meeting.minutes == "Agreed: call-in on Thursday"


def test_a_reader_of_another_scope_never_gets_the_police_page(agenda, client_for):
    f.DesignationFactory(person=agenda.shared, renewal_count=3)
    url = _meeting_url(agenda.meeting)
    police, lead = client_for("police_facilitator"), client_for("partner_lead")  # signed in
    assert "VHR renewed 3 times" in police.get(url).content.decode()
    lead_page = lead.get(url).content.decode()
    assert "Darnell Shared" in lead_page  # shared with the partnership: the lead's own render
    assert "VHR renewed" not in lead_page and "Police only" not in lead_page
    assert "Withdraw share" not in lead_page  # nor the police's own forms


def test_the_next_reading_after_a_write_shows_it(agenda, client_for, users):
    lead = client_for("partner_lead")
    assert "Agreed: call-in" not in lead.get(_meeting_url(agenda.meeting)).content.decode()
    meeting_minutes_save(
        meeting=agenda.meeting,
        user=users["police_facilitator"],
        expected_version=agenda.meeting.version,
        minutes="Agreed: call-in on Thursday",
    )
    assert "Agreed: call-in on Thursday" in lead.get(_meeting_url(agenda.meeting)).content.decode()


def test_a_page_with_a_forms_errors_is_the_posters_alone(agenda, client_for, orgs):
    url = reverse("coordination:meeting-minutes", args=[agenda.meeting.pk])
    poster, colleague = client_for("police_facilitator"), _colleague(orgs)
    refused = poster.post(url, {"minutes": "x", "version": "stale"})
    assert refused.status_code == 400 and "Enter a whole number" in refused.content.decode()
    page = colleague.get(_meeting_url(agenda.meeting)).content.decode()  # nothing was written
    assert "Enter a whole number" not in page
