"""Every API v1 list reads a page in a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

VERSIONS = itertools.count(1)
LISTS = [
    "person",
    "designation",
    "group",
    "conflict",
    "meeting",
    "task",
    "incident",
    "call-in",
    "notification",
    "enrolment",
    "service-contact",
    "enforcement-action",
    "staffing",
    "benchmark",
    "worksheet",
]


def _seed(orgs, n: int) -> None:
    for _ in range(n):
        person = f.ShareFactory().person
        incident = f.IncidentFactory()
        f.VictimFactory(incident=incident, person=person)
        f.DesignationFactory(person=person)
        f.AffiliationFactory(person=person)
        f.TaskFactory(assigned_organisation=orgs["hsd"], subject_person=person)
        f.EnrolmentFactory(person=person, provider=orgs["hsd"])
        f.CustomNotificationFactory(person=person)
        f.CallInFactory().attendees.add(person)
        f.EnforcementActionFactory(person=person)
        f.UnitStaffingFactory()
        meeting = f.CoordinationMeetingFactory()
        meeting.attending_organisations.add(orgs["hsd"], orgs["police"])
        f.WorksheetFactory(version=next(VERSIONS))


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("role", ["police_facilitator", "partner_lead"])
def test_a_list_page_costs_the_same_queries_for_few_and_many_rows(
    name, role, orgs, client_for, django_assert_max_num_queries
):
    client = client_for(role)
    url = reverse(f"api:{name}-list")
    _seed(orgs, 2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code in (200, 403)
    _seed(orgs, 8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code in (200, 403)
