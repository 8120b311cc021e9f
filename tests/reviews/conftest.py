"""Fixtures of the reviews tests: a small, realistic week of shootings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ceasefire.core.models import Conflict, Involvement
from ceasefire.core.selectors import local_midnight
from tests import factories as f


def build_week(users: dict) -> dict:
    """Two shootings in today's review window, a prior shooting and an active conflict.

    Marcus (victim now) was a co-victim with Dante in #OLD-1 a year ago; Marcus belongs to the
    Ghost Town group, which is in a hot conflict with Acorn; Jamal is an Acorn member.
    """
    today = timezone.localdate()
    ghost, acorn = f.GroupFactory(name="Ghost Town"), f.GroupFactory(name="Acorn")
    conflict = f.ConflictFactory(group_a=ghost, group_b=acorn, status=Conflict.Status.HOT)
    marcus = f.PersonFactory(first_name="Marcus", last_name="Reed")
    dante = f.PersonFactory(first_name="Dante", last_name="Hill")
    jamal = f.PersonFactory(first_name="Jamal", last_name="Stone")
    tyrell = f.PersonFactory(first_name="Tyrell", last_name="Green")
    f.AffiliationFactory(person=marcus, group=ghost)
    f.AffiliationFactory(person=tyrell, group=ghost)
    f.AffiliationFactory(person=jamal, group=acorn)
    old = f.IncidentFactory(
        case_number="OLD-1",
        occurred_at=local_midnight(today - dt.timedelta(days=365)) + dt.timedelta(hours=22),
    )
    f.InvolvementFactory(
        incident=old,
        person=marcus,
        role=Involvement.Role.VICTIM,
        injury=Involvement.Injury.NONFATAL,
    )
    f.InvolvementFactory(
        incident=old, person=dante, role=Involvement.Role.VICTIM, injury=Involvement.Injury.NONFATAL
    )
    shooting = f.IncidentFactory(
        case_number="NEW-1",
        occurred_at=local_midnight(today - dt.timedelta(days=2)) + dt.timedelta(hours=21),
        conflict=conflict,
    )
    f.InvolvementFactory(
        incident=shooting,
        person=marcus,
        role=Involvement.Role.VICTIM,
        injury=Involvement.Injury.NONFATAL,
    )
    f.InvolvementFactory(
        incident=shooting,
        person=None,
        role=Involvement.Role.VICTIM,
        injury=Involvement.Injury.FATAL,
    )
    quiet = f.IncidentFactory(
        case_number="NEW-2",
        occurred_at=local_midnight(today - dt.timedelta(days=3)) + dt.timedelta(hours=1),
    )
    return {
        "today": today,
        "ghost": ghost,
        "acorn": acorn,
        "conflict": conflict,
        "marcus": marcus,
        "dante": dante,
        "jamal": jamal,
        "tyrell": tyrell,
        "old": old,
        "shooting": shooting,
        "quiet": quiet,
        "facilitator": users["police_facilitator"],
    }


@pytest.fixture
def week(db, users):
    return build_week(users)


@pytest.fixture
def review(week):
    from reviews.services import review_create

    return review_create(user=week["facilitator"], date=week["today"])
