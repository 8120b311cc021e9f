"""Need-to-know, proven: unique sentinels planted in every intelligence field never reach a
non-police role, on any page, fragment, export, PDF or API response of the role × URL tables.

Each app's world (``tests/<app>/access_table.py``) is built, every person in it is given
intelligence (an affiliation, confirmed and pending designations, a suspect role in an incident
with a narrative), and every intelligence column of every row is overwritten with a sentinel
naming the column. Then every GET row of the table is requested as every non-police role (and
as htmx where the row serves fragments): no body may contain a sentinel, and an executive's may
contain no person's name. Police must see the sentinels (the plant worked).
"""

from __future__ import annotations

import importlib

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from ceasefire.core.models import (
    Conflict,
    Group,
    GroupAffiliation,
    Incident,
    Involvement,
    Person,
    RiskDesignation,
)
from reviews.models import DesignationDecision, ReviewIncident, ReviewSummary, RiskDecision
from tests import access
from tests import factories as f

pytestmark = [pytest.mark.django_db]

NON_POLICE = tuple(role for role in access.ROLES if role not in access.POLICE)
APPS = ("core", "reviews", "coordination", "performance")

# (model, column): every intelligence field (SPEC §2: narratives, suspect roles, group labels on
# a person and their basis, designation criteria and basis, investigative notes, review answers)
INTELLIGENCE = [
    (Incident, "narrative"),
    (Involvement, "notes"),
    (GroupAffiliation, "basis"),
    (Group, "description"),
    (Conflict, "description"),
    (RiskDesignation, "basis"),
    (RiskDecision, "reason"),
    (RiskDecision, "dismissal_reason"),
    (DesignationDecision, "basis"),
    (ReviewIncident, "motive"),
    (ReviewIncident, "risk_notes"),
    (ReviewSummary, "hottest_conflicts"),
    (ReviewSummary, "enforcement_priorities"),
]


def sentinel(model, column: str) -> str:
    return f"SENTINEL-{model.__name__}-{column}-7f3a"


def _plant() -> list[str]:
    """Give every person intelligence, then overwrite every intelligence column."""
    group = f.GroupFactory(name="Sentinel Crew")
    for person in Person.objects.all()[:60]:
        f.AffiliationFactory(person=person, group=group)
        incident = f.IncidentFactory()
        f.InvolvementFactory(incident=incident, person=person, role="suspect", injury="")
        f.DesignationFactory(person=person)
        f.DesignationFactory(person=person, status=RiskDesignation.Status.PENDING)
    planted = []
    for model, column in INTELLIGENCE:
        model.objects.update(**{column: sentinel(model, column)})
        planted.append(sentinel(model, column))
    RiskDesignation.objects.update(criteria=["SENTINEL-criteria-7f3a"])
    planted.append("SENTINEL-criteria-7f3a")
    return planted


def _gets(table):
    for row in table:
        if row.method != "GET":
            continue
        for htmx in (False, True) if row.htmx_expect else (False,):
            yield row, htmx


@pytest.mark.parametrize("app", APPS)
def test_no_sentinel_reaches_a_non_police_role(app, tmp_path):
    table = importlib.import_module(f"tests.{app}.access_table")
    with override_settings(PASSWORD_HASHERS=access.FAST_HASHERS, MEDIA_ROOT=tmp_path):
        world = table.build_world()
        planted = _plant()
        names = [str(p) for p in Person.objects.all() if len(str(p)) > 5]
        world.sessions = access._sessions(world.users)
        leaks = []
        checked = 0
        for row, htmx in _gets(table.TABLE):
            for role in NON_POLICE:
                response = access.send(access.Case(row, role, htmx), world)
                content = access.body(response).decode(errors="replace")
                checked += 1
                leaks += [f"{row} as {role}: {s}" for s in planted if s in content]
                if role == "executive":
                    leaks += [f"{row} as executive: name {n}" for n in names if n in content]
    assert checked, "the table has GET rows"
    assert leaks == []


def test_the_police_see_the_planted_sentinels(tmp_path):
    table = importlib.import_module("tests.reviews.access_table")
    with override_settings(MEDIA_ROOT=tmp_path):
        world = table.build_world()
        planted = _plant()
        client = Client()
        client.force_login(world.users["police_viewer"])

        person = Person.objects.filter(affiliations__isnull=False).first()
        page = client.get(reverse("core:person-detail", args=[person.pk])).content.decode()
        incident = client.get(
            reverse("reviews:incident-detail", args=[world.incident.pk])
        ).content.decode()
    seen = [s for s in planted if s in page + incident]
    assert sentinel(RiskDesignation, "basis") in seen
    assert sentinel(GroupAffiliation, "basis") in seen
    assert sentinel(Incident, "narrative") in seen
