"""``IndexedPaginator``'s count: a whole table that sets the data version is counted once per
version (exact, never stale); a filtered list is counted every time."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ceasefire.core.audit import audit_record
from ceasefire.core.models import AuditEvent, Incident
from ceasefire.core.pagination import IndexedPaginator
from tests import factories as f

pytestmark = pytest.mark.django_db


def _counts(rows) -> tuple[int, int]:
    """(the paginator's count, how many COUNT queries it took)."""
    with CaptureQueriesContext(connection) as captured:
        total = IndexedPaginator(rows, 2).count
    return total, sum("COUNT(*)" in q["sql"] for q in captured.captured_queries)


def test_a_whole_table_is_counted_once_per_data_version():
    f.IncidentFactory.create_batch(3)
    log = Incident.objects.order_by("-occurred_at", "-id")
    assert _counts(log) == (3, 1)
    assert _counts(log) == (3, 0)  # the same data: the count kept under its version
    f.IncidentFactory()  # a write: a new version, counted again
    assert _counts(log) == (4, 1)
    Incident.objects.filter(pk=Incident.objects.order_by("pk").first().pk).delete()
    assert _counts(log) == (3, 1)


def test_a_filtered_list_is_counted_every_time():
    for number in ("A-1", "A-2", "B-1"):
        f.IncidentFactory(case_number=number)
    found = Incident.objects.filter(case_number__startswith="A").order_by("-occurred_at", "-id")
    assert _counts(found) == (2, 1)
    assert _counts(found) == (2, 1)


def test_a_table_without_the_data_version_is_counted_every_time():
    for _ in range(2):
        audit_record(actor=None, action=AuditEvent.Action.VIEW, object_type="core.person")
    events = AuditEvent.objects.order_by("-seq")
    assert _counts(events) == (2, 1)
    audit_record(actor=None, action=AuditEvent.Action.VIEW, object_type="core.person")
    assert _counts(events) == (3, 1)
