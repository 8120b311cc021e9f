"""Every long list on a seeded database (issue 14): a fixed number of queries whatever the page,
and on PostgreSQL no query of the list scans incidents, people, tasks or audit events row by row
(EXPLAIN of each query the request ran; no ``enable_seqscan`` tricks, the planner's own choice on
ANALYZEd tables).
"""

from __future__ import annotations

import math

import pytest
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ceasefire.core.models import AuditEvent, Group, Incident, Role, Task
from ceasefire.core.pagination import IndexedPaginator
from ceasefire.core.selectors import referral_health, referrals_escalated, tasks_open
from reviews import selectors
from tests import factories as f

from .conftest import INCIDENTS
from .plans import plan_of, sequential_scans

pytestmark = pytest.mark.django_db
POSTGRESQL = connection.vendor == "postgresql"
PAGE_SIZE = 50
LAST_LOG_PAGE = math.ceil(INCIDENTS / PAGE_SIZE)


def _get(client, url, limit, assert_max):
    with assert_max(limit) as captured:
        response = client.get(url)
    assert response.status_code == 200, response.content[:500]
    if POSTGRESQL:
        scans = sequential_scans(captured.captured_queries)
        assert not scans, "\n\n".join(f"{sql}\n{plan}" for sql, plan in scans)
    return response


LISTS = [
    ("police_facilitator", reverse("reviews:group-list"), 12),
    ("police_facilitator", reverse("reviews:group-list") + "?page=2", 12),
    ("police_facilitator", reverse("reviews:incident-list"), 12),
    ("police_facilitator", reverse("reviews:incident-list") + f"?page={LAST_LOG_PAGE}", 12),
    ("police_facilitator", reverse("reviews:incident-list") + f"?page={LAST_LOG_PAGE // 2}", 12),
    ("police_facilitator", reverse("reviews:incident-list") + "?q=Quartermaine", 12),
    ("police_facilitator", reverse("reviews:incident-list") + "?q=99-00012", 12),
    ("police_facilitator", reverse("reviews:incident-list") + "?q=4321+International", 12),
    ("police_facilitator", reverse("reviews:person-search") + "?q=Quartermaine", 10),
    ("police_facilitator", reverse("reviews:person-search") + "?q=Nick15", 10),
    ("police_viewer", reverse("reviews:api-incident-list"), 10),
    ("police_viewer", reverse("reviews:api-incident-list") + f"?page={LAST_LOG_PAGE}", 10),
    ("police_viewer", reverse("api:incident-list"), 10),
    ("police_viewer", reverse("api:person-list") + "?search=Quartermaine", 10),
    ("auditor", reverse("core:audit-log"), 10),
    ("auditor", reverse("core:audit-log") + "?page=100", 10),
]


@pytest.mark.parametrize(("role", "url", "limit"), LISTS, ids=[u for _, u, _ in LISTS])
def test_list_has_fixed_queries_and_indexed_plans(
    perf_db, client_for, django_assert_max_num_queries, role, url, limit
):
    _get(client_for(role), url, limit, django_assert_max_num_queries)


def test_followups_list_of_an_organisation(perf_db, client, django_assert_max_num_queries):
    lead = f.UserFactory(role=Role.PARTNER_LEAD, organisation=perf_db["organisation"])
    client.force_login(lead)
    _get(client, reverse("coordination:followups"), 14, django_assert_max_num_queries)
    _get(client, reverse("coordination:followups") + "?page=2", 14, django_assert_max_num_queries)


def test_searches_find_by_name_case_number_and_address(perf_db, client_for):
    client = client_for("police_facilitator")
    incident = perf_db["incident"]
    by_name = client.get(reverse("reviews:incident-list") + "?q=quartermaine")
    assert incident.case_number in by_name.content.decode()
    by_case = client.get(reverse("reviews:incident-list") + "?q=99-000000")
    assert incident.case_number in by_case.content.decode()
    by_address = client.get(reverse("reviews:incident-list") + "?q=0+international")
    assert incident.case_number in by_address.content.decode()
    people = client.get(reverse("reviews:person-search") + "?q=zebedee")
    assert "Quartermaine" in people.content.decode()


@pytest.mark.parametrize("number", [1, 2, LAST_LOG_PAGE // 2, LAST_LOG_PAGE - 1, LAST_LOG_PAGE])
def test_indexed_pages_hold_what_plain_pages_do(perf_db, number):
    log = selectors.incidents_annotated(Incident.objects.all())
    fast = IndexedPaginator(log, PAGE_SIZE).page(number)
    plain = Paginator(log, PAGE_SIZE).page(number)
    assert [i.pk for i in fast] == [i.pk for i in plain]
    assert [i.fatal_count for i in fast] == [i.fatal_victims for i in plain]
    assert fast.has_next() == plain.has_next()


def test_group_counts_are_counted_apart(perf_db):
    group = Group.objects.get(name="Perf group 000")
    listed = selectors.groups_listed(Group.objects.filter(pk=group.pk)).get()
    assert listed.member_count == group.affiliations.filter(active=True).count()
    assert listed.incident_count == group.incidents.count()
    assert listed.member_count and listed.incident_count


def _sql_of(run) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        run()
    return [q["sql"] for q in captured.captured_queries]


@pytest.mark.skipif(not POSTGRESQL, reason="PostgreSQL's plans")
def test_group_member_counts_read_the_active_affiliations_index(perf_db):
    """Each group's active members counted from the partial index alone, not from every
    affiliation the group ever had (migration core 0025)."""
    (sql,) = _sql_of(lambda: list(selectors.groups_listed(Group.objects.all())[:50]))
    assert "affiliation_active_idx" in plan_of(sql), plan_of(sql)


@pytest.mark.skipif(not POSTGRESQL, reason="PostgreSQL's plans")
def test_referral_health_reads_the_tasks_of_its_window_only(perf_db):
    """The coordination page's referral health: the last 90 days' tasks by creation time
    (``task_created_idx``), not a pass over years of follow-ups."""
    today = timezone.localdate()
    cache.clear()  # the figures are kept per records version: read them from the database
    queries = _sql_of(lambda: referral_health(Task.objects.all(), today=today))
    assert any('FROM "core_task"' in sql for sql in queries), queries
    assert not sequential_scans({"sql": sql} for sql in queries), [plan_of(q) for q in queries]


@pytest.mark.skipif(not POSTGRESQL, reason="PostgreSQL's plans")
def test_open_work_lists_read_the_open_tasks_by_due_date(perf_db):
    """Escalations and other open-work lists take their first page from ``task_open_due_idx``
    (the few open tasks in due order), not from a pass over all tasks and a sort."""
    today = timezone.localdate()
    for listed in (
        referrals_escalated(Task.objects.all(), today=today),
        tasks_open().order_by("due_date", "id"),
    ):
        (sql,) = _sql_of(lambda listed=listed: list(listed[:20]))
        assert "task_open_due_idx" in plan_of(sql), plan_of(sql)


def test_audit_log_seed_is_there(perf_db):
    assert AuditEvent.objects.count() >= 6000


@pytest.mark.skipif(not POSTGRESQL, reason="PostgreSQL's plans")
def test_a_person_search_reads_the_trigram_indexes(
    perf_db, client_for, django_assert_max_num_queries
):
    """A common surname late in the alphabet: ordered by the bare name columns, the planner
    walked the name index from A, filtering row after row, in hope of eight matches soon."""
    client = client_for("police_facilitator")
    with django_assert_max_num_queries(10) as captured:
        found = client.get(reverse("reviews:person-search") + "?q=Rodr", HTTP_HX_REQUEST="true")
    assert found.content.decode().count('type="radio"') == 8
    (search,) = [q["sql"] for q in captured.captured_queries if "UPPER" in q["sql"]]
    assert "_trgm" in plan_of(search), plan_of(search)
