"""A seeded database for the list-performance tests (issue 14): a few thousand rows per big
table, written once for the package with ``bulk_create`` inside a transaction rolled back when
the package ends, then ANALYZEd on PostgreSQL so the planner plans from real statistics.
"""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.db import connection, transaction
from django.utils import timezone

from ceasefire.core import models as m
from demo.loading import analyze_statement

INCIDENTS = 6000
PEOPLE = 12000
TASKS = 4000
AUDIT_EVENTS = 6000
GROUPS = 60
ORGANISATIONS = 40
FIRST = ["Marcus", "Dante", "Andre", "Tyrell", "Jamal", "Luis", "Carlos", "Keon", "Darnell"]
LAST = ["Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Lee"]


def _seed() -> dict:
    rng = random.Random(14)
    now = timezone.now()
    orgs = m.Organisation.objects.bulk_create(
        m.Organisation(name=f"Perf organisation {n:02d}", kind="community_based")
        for n in range(ORGANISATIONS)
    )
    groups = m.Group.objects.bulk_create(m.Group(name=f"Perf group {n:03d}") for n in range(GROUPS))
    conflicts = m.Conflict.objects.bulk_create(
        m.Conflict(group_a=groups[n], group_b=groups[n + 1], status=m.Conflict.Status.ACTIVE)
        for n in range(0, 20, 2)
    )
    people = m.Person.objects.bulk_create(
        (
            m.Person(
                first_name=f"{rng.choice(FIRST)}{n % 97}",
                last_name=f"{rng.choice(LAST)}{n}",
                aliases=f'"Nick{n}"' if n % 5 == 0 else "",
                neighbourhood="East Oakland",
            )
            for n in range(PEOPLE)
        ),
        batch_size=2000,
    )
    people[0].first_name, people[0].last_name = "Zebedee", "Quartermaine"
    m.Person.objects.filter(pk=people[0].pk).update(first_name="Zebedee", last_name="Quartermaine")
    incidents = m.Incident.objects.bulk_create(
        (
            m.Incident(
                case_number=f"99-{n:06d}",
                occurred_at=now - dt.timedelta(hours=3 * n + 1),
                address=f"{n} International Blvd",
                area="Area 3",
                beat="26X",
                weapon=m.Incident.Weapon.FIREARM,
                circumstance=m.Incident.Circumstance.UNKNOWN,
                conflict=conflicts[n % len(conflicts)] if n % 7 == 0 else None,
            )
            for n in range(INCIDENTS)
        ),
        batch_size=2000,
    )
    m.Involvement.objects.bulk_create(
        (
            m.Involvement(
                incident=incident,
                person=people[(n * 7) % PEOPLE],
                role=m.Involvement.Role.VICTIM,
                injury=m.Involvement.Injury.FATAL if n % 9 == 0 else m.Involvement.Injury.NONFATAL,
            )
            for n, incident in enumerate(incidents)
        ),
        batch_size=2000,
    )
    m.Incident.groups.through.objects.bulk_create(
        (
            m.Incident.groups.through(incident=incident, group=groups[n % GROUPS])
            for n, incident in enumerate(incidents)
            if n % 2 == 0
        ),
        batch_size=2000,
    )
    m.GroupAffiliation.objects.bulk_create(
        (
            m.GroupAffiliation(
                person=people[n],
                group=groups[n % GROUPS],
                basis="Seen with members.",
                since=dt.date(2020, 1, 1),
                active=(n // GROUPS) % 3 != 0,
            )
            for n in range(3000)
        ),
        batch_size=2000,
    )
    today = timezone.localdate()
    statuses = [m.Task.Status.OPEN, m.Task.Status.IN_PROGRESS, m.Task.Status.DONE]
    m.Task.objects.bulk_create(
        (
            m.Task(
                title=f"Perf follow-up {n}",
                assigned_organisation=orgs[n % ORGANISATIONS],
                due_date=today + dt.timedelta(days=n % 400 - 200),
                status=statuses[min(n % 10, 2)],  # as in a live city: most work is done
                subject_person=people[n] if n % 4 == 0 else None,
                created_at=now - dt.timedelta(days=n % 1000),  # years of follow-ups
            )
            for n in range(TASKS)
        ),
        batch_size=2000,
    )
    start = m.AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0
    m.AuditEvent.objects.bulk_create(
        (
            m.AuditEvent(
                seq=start + n + 1,
                at=now - dt.timedelta(minutes=n),
                actor_label="perf seed",
                action="view",
                object_type="core.person",
                object_id=str(people[n % PEOPLE].pk),
                prev_hash="0" * 64,
                hash="0" * 64,
            )
            for n in range(AUDIT_EVENTS)
        ),
        batch_size=2000,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(analyze_statement())
    return {"organisation": orgs[0], "person": people[0], "incident": incidents[0]}


@pytest.fixture(scope="package")
def seeded_lists(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        data = _seed()
        yield data
        transaction.set_rollback(True)


@pytest.fixture
def perf_db(seeded_lists, db):
    return seeded_lists
