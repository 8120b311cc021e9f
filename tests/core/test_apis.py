"""The people API applies the same rules as the person page (who gets which status at which
people URL is in the access table, tests/core/access_table.py)."""

import pytest

from ceasefire.core.models import AuditEvent
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_partner_gets_the_shared_assessment_but_no_intelligence(client_for):
    person = f.ShareFactory(risk_assessment="At high risk of violence").person
    f.DesignationFactory(person=person, basis="SECRET-BASIS")
    f.AffiliationFactory(person=person, basis="SECRET-AFFILIATION")
    data = client_for("partner_lead").get(f"/api/people/{person.pk}/").json()
    assert data["shared"]["risk_assessment"] == "At high risk of violence"
    assert "designations" not in data and "affiliations" not in data
    assert "SECRET" not in str(data)
    police = client_for("police_facilitator").get(f"/api/people/{person.pk}/").json()
    assert police["designations"][0]["basis"] == "SECRET-BASIS"
    assert AuditEvent.objects.filter(action="view", object_type="core.person").count() == 2


def test_person_list_is_scoped_paginated_and_constant_in_queries(
    client_for, django_assert_max_num_queries
):
    shared = [f.ShareFactory().person for _ in range(3)]
    f.PersonFactory.create_batch(3)
    client = client_for("partner_lead")
    # 6 for the page, 2 for its audit event (the chain's last row, the insert; 3 on PostgreSQL:
    # the writers' lock)
    with django_assert_max_num_queries(9):
        data = client.get("/api/people/").json()
    assert {row["id"] for row in data["results"]} == {p.pk for p in shared}
    for _ in range(20):
        f.ShareFactory()
    with django_assert_max_num_queries(9):
        data = client.get("/api/people/").json()
    assert data["count"] == 23
    assert client_for("executive").get("/api/people/").json()["count"] == 0
