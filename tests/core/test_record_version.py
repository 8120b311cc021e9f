"""The RECORDS data version (row 2 of ``core_dataversion``) and the pages cached under it.

Every table a meeting page shows sets it (database triggers, whatever writes); the worksheet's
FIGURES version moves only with the tables the worksheet reads. ``RecordsCachedPaginator`` reads
a list's count and page once per RECORDS version for everyone whose permissions give the same
query, and never caches a list that reads a table outside ``RECORD_VERSION_TABLES``.
"""

from __future__ import annotations

import importlib

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ceasefire.core.audit import audit_record
from ceasefire.core.dataversion import FIGURES, RECORDS, data_version
from ceasefire.core.models import (
    DATA_VERSION_TABLES,
    RECORD_VERSION_TABLES,
    AuditEvent,
    PartnershipShare,
    Person,
    Task,
)
from ceasefire.core.pagination import RecordsCachedPaginator, reads
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def _trigger_names(suffix: str = "_recordversion") -> set[str]:
    """The database's triggers (on PostgreSQL, those whose name ends with ``suffix``)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE %s", [f"%{suffix}"])
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        return {name for (name,) in cursor.fetchall()}


def test_every_record_table_has_its_trigger():
    if connection.vendor == "postgresql":
        expected = {f"{t}_recordversion" for t in RECORD_VERSION_TABLES}
    else:
        expected = {
            f"{t}_recordversion_{op}"
            for t in RECORD_VERSION_TABLES
            for op in ("insert", "update", "delete")
        }
    assert expected <= _trigger_names()


def test_the_migration_installs_the_listed_tables():
    migration = importlib.import_module("ceasefire.core.migrations.0027_record_version")
    assert migration.TABLES == RECORD_VERSION_TABLES
    assert set(DATA_VERSION_TABLES) <= set(RECORD_VERSION_TABLES)  # pages show figures' rows


def test_a_review_write_moves_the_records_version_and_leaves_the_worksheets():
    entry = f.ReviewIncidentFactory()
    figures, records = data_version(FIGURES), data_version(RECORDS)
    type(entry).objects.filter(pk=entry.pk).update(motive="retaliation")
    assert data_version(RECORDS) != records
    assert data_version(FIGURES) == figures


def test_a_person_write_moves_both_versions():
    person = f.PersonFactory()
    figures, records = data_version(FIGURES), data_version(RECORDS)
    Person.objects.filter(pk=person.pk).update(first_name="Renamed")
    assert data_version(RECORDS) != records
    assert data_version(FIGURES) != figures


def test_a_read_and_an_audit_event_leave_the_records_version():
    person = f.PersonFactory()
    records = data_version(RECORDS)
    list(Person.objects.all())
    audit_record(actor=None, action=AuditEvent.Action.VIEW, object_type="core.person")
    Person.objects.get(pk=person.pk)
    assert data_version(RECORDS) == records


def _page(rows, number=1):
    """(the page's rows as (pk, a field), the count, how many queries it took)."""
    with CaptureQueriesContext(connection) as captured:
        paginator = RecordsCachedPaginator(rows, 2)
        page = paginator.page(number)
        listed = [(row.pk, str(row)) for row in page]
    return listed, paginator.count, len(captured.captured_queries)


def test_a_cached_page_is_read_once_per_records_version():
    people = [f.PersonFactory(last_name=name) for name in ("Adams", "Baker", "Cole")]
    rows = Person.objects.order_by("last_name", "id")
    first, count, queries = _page(rows)
    assert count == 3 and [pk for pk, _ in first] == [people[0].pk, people[1].pk]
    assert queries >= 3  # the version, the count, the rows
    again, count, queries = _page(rows)
    assert again == first and count == 3
    assert queries == 2  # the version, read for the count and for the page: nothing else
    Person.objects.filter(pk=people[0].pk).update(last_name="Zane")  # a write: a new version
    after, _count, _queries = _page(rows)
    assert [pk for pk, _ in after] == [people[1].pk, people[2].pk]


def test_each_query_is_its_own_page():
    f.PersonFactory(last_name="Adams")
    f.PersonFactory(last_name="Baker")
    everyone, _, _ = _page(Person.objects.order_by("last_name", "id"))
    some, count, _ = _page(Person.objects.filter(last_name="Baker").order_by("id"))
    assert len(everyone) == 2
    assert count == 1 and len(some) == 1  # a narrower permission is a different query


def test_a_list_reading_a_table_outside_the_records_is_read_every_time():
    for _ in range(3):
        audit_record(actor=None, action=AuditEvent.Action.VIEW, object_type="core.person")
    rows = AuditEvent.objects.order_by("-seq")
    _listed, count, queries = _page(rows)
    assert count == 3 and queries == 2
    audit_record(actor=None, action=AuditEvent.Action.VIEW, object_type="core.person")
    _listed, count, queries = _page(rows)
    assert count == 4 and queries == 2  # no version read, no cache: audit events are not records


def test_what_a_list_reads_includes_its_prefetches():
    read = reads(Task.objects.select_related("assigned_organisation").prefetch_related("updates"))
    assert {"core_task", "core_organisation", "core_taskupdate"} <= read[0]
    shares = PartnershipShare.objects.filter(person__in=Person.objects.filter(aliases="x"))
    assert {"core_partnershipshare", "core_person"} <= reads(shares)[0]
    assert reads(Person.objects.none()) is None
