"""The coordination pages write nothing but the audit events of the people they show."""

from __future__ import annotations

import pytest
from django.urls import reverse

from coordination.services import coordination_meeting_close
from tests.queries import tables_written

pytestmark = pytest.mark.django_db

AUDIT_ONLY = {"core_auditevent"}


@pytest.mark.parametrize("name", ["meeting-detail", "meeting-print"])
@pytest.mark.parametrize("closed", [False, True])
def test_the_meeting_page_writes_only_audit_events(agenda, client_for, name, closed):
    if closed:
        coordination_meeting_close(
            meeting=agenda.meeting, user=agenda.police, expected_version=agenda.meeting.version
        )
    client = client_for("police_facilitator")
    url = reverse(f"coordination:{name}", args=[agenda.meeting.pk])

    with tables_written() as written:
        assert client.get(url).status_code == 200

    assert written == AUDIT_ONLY


@pytest.mark.parametrize(
    ("role", "name"),
    [
        ("partner_lead", "index"),
        ("partner_staff", "followups"),
        ("partner_lead", "caseload"),
        ("partner_lead", "call-ins"),
    ],
)
def test_the_lists_write_nothing_but_audit_events(agenda, client_for, role, name):
    client = client_for(role)
    with tables_written() as written:
        assert client.get(reverse(f"coordination:{name}")).status_code == 200

    assert written <= AUDIT_ONLY


def test_a_follow_up_page_writes_only_its_audit_event(agenda, client_for):
    client = client_for("partner_staff")
    url = reverse("coordination:followup-detail", args=[agenda.task.pk])

    with tables_written() as written:
        assert client.get(url).status_code == 200

    assert written == AUDIT_ONLY
