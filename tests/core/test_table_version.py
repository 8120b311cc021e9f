"""Per-table versions (``core_tableversion``) and the values kept by the tables they read.

``cached_on_tables`` (and through it every RECORDS-scoped value: the pages shared by a meeting's
readers, the cached lists) keys a value by the versions of exactly the tables its computation
read: a write to another table leaves it cached, a write to one it read is a new key -- never
stale. A computation that writes, or reads a table without a version, is not kept.
"""

from __future__ import annotations

import importlib

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ceasefire.core.audit import audit_record
from ceasefire.core.dataversion import FIGURES, cached_on_data, cached_on_tables, table_versions
from ceasefire.core.models import RECORD_VERSION_TABLES, AuditEvent, Group, Person, Task
from reviews.models import ReviewIncident
from tests import factories as f
from tests.core.test_record_version import _trigger_names

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


def test_every_record_table_has_its_own_version_trigger():
    if connection.vendor == "postgresql":
        expected = {f"{t}_tableversion" for t in RECORD_VERSION_TABLES}
    else:
        ops = ("insert", "update", "delete")
        expected = {f"{t}_tableversion_{op}" for t in RECORD_VERSION_TABLES for op in ops}
    assert expected <= _trigger_names("_tableversion")
    migration = importlib.import_module("ceasefire.core.migrations.0028_table_version")
    assert migration.TABLES == RECORD_VERSION_TABLES


def test_a_write_moves_its_own_tables_version_only():
    before = table_versions(RECORD_VERSION_TABLES)
    f.GroupFactory(name="Ghost Town")
    after = table_versions(RECORD_VERSION_TABLES)
    assert {t for t in RECORD_VERSION_TABLES if after[t] != before[t]} == {"core_group"}
    audit_record(actor=None, action="view", object_type="core.person", detail={})
    assert table_versions(RECORD_VERSION_TABLES) == after  # audit events have no version


def _counting(compute):
    calls = []

    def counted():
        calls.append(1)
        return compute()

    return counted, calls


def test_a_value_outlives_writes_to_tables_it_did_not_read():
    f.PersonFactory(first_name="Darnell")
    names, calls = _counting(lambda: sorted(str(p) for p in Person.objects.all()))
    assert cached_on_tables("t:people", names) == cached_on_tables("t:people", names)
    f.GroupFactory(name="Ghost Town")  # another table
    cached_on_tables("t:people", names)
    assert len(calls) == 1
    f.PersonFactory(first_name="Marcus")  # the table it read
    assert len(cached_on_tables("t:people", names)) == 2
    assert len(calls) == 2


def test_a_value_reading_an_unversioned_table_or_writing_is_not_kept():
    unversioned, calls = _counting(lambda: AuditEvent.objects.count() + 1)
    cached_on_tables("t:audit", unversioned)
    cached_on_tables("t:audit", unversioned)
    assert len(calls) == 2

    def writes():
        calls.append(1)
        return f.GroupFactory().pk

    first = cached_on_tables("t:writes", writes)
    assert cached_on_tables("t:writes", writes) != first


def test_a_cached_value_used_inside_another_counts_as_the_tables_it_read():
    f.PersonFactory(first_name="Darnell")
    inner = lambda: Person.objects.count()  # noqa: E731
    cached_on_tables("t:inner", inner)  # cached before the outer value is computed
    outer, calls = _counting(lambda: (cached_on_tables("t:inner", inner), Group.objects.count()))
    assert cached_on_tables("t:outer", outer) == (1, 0)
    f.PersonFactory(first_name="Marcus")  # read by the inner value only
    assert cached_on_tables("t:outer", outer) == (2, 0)
    assert len(calls) == 2


def test_a_figures_value_used_inside_counts_as_every_figures_table():
    outer, calls = _counting(
        lambda: cached_on_data("t:figures", lambda: Task.objects.count(), scope=FIGURES)
    )
    cached_on_tables("t:outer-figures", outer)
    f.PersonFactory()  # a figures table the inner value did not itself read
    cached_on_tables("t:outer-figures", outer)
    assert len(calls) == 2


def test_the_coordination_page_outlives_a_review_answer(
    client_for, users, orgs, django_assert_max_num_queries
):
    """The scribe's answers at a live review leave the coordination page cached."""
    from tests.coordination.conftest import build_agenda

    agenda = build_agenda(users, orgs, timezone.localdate())
    review = f.ShootingReviewFactory()
    entry = f.ReviewIncidentFactory(meeting=review)
    url = reverse("coordination:meeting-detail", args=[agenda.meeting.pk])
    facilitator, colleague = client_for("police_facilitator"), client_for("police_facilitator")
    colleague.force_login(f.UserFactory(role="police_facilitator", organisation=orgs["police"]))
    facilitator.get(url)
    ReviewIncident.objects.filter(pk=entry.pk).update(risk_notes="Brother at risk", version=2)
    with django_assert_max_num_queries(14) as queries:
        page = colleague.get(url).content.decode()
    assert "Darnell Shared" in page
    assert not any('FROM "core_partnershipshare"' in q["sql"] for q in queries.captured_queries)
