"""Fifty neighbourhood groups and the conflicts between them (a few live, dormant ones before)."""

from __future__ import annotations

import datetime as dt
import random

from ceasefire.core.models import Conflict, Group

from .city import AREA_IDS, AREA_WEIGHTS, AREAS, City, area_label, bulk, rng_for
from .names import GROUP_SUFFIXES, GROUP_WORDS, GROUPS_PER_AREA

GROUP_SHAPES = ["loosely organised", "tight-knit", "split into two cliques"]
CONFLICT_STORIES = [
    "Began with a dispute over a robbery; a string of retaliatory shootings followed.",
    "Long-running neighbourhood rivalry reignited by a killing at a party.",
    "Social-media insults escalated into shootings at each other's blocks.",
    "Dispute over a girlfriend, now carried by younger members on both sides.",
]
# status, and for live ones how many days ago it started (between low and high)
CONFLICT_PLAN = [
    ("hot", 60, 300),
    ("hot", 90, 400),
    ("active", 300, 900),
    ("active", 200, 700),
    ("active", 400, 1200),
    *[("dormant", 0, 0)] * 7,
]


def groups_create(city: City) -> None:
    rng = rng_for(city.options, "groups")
    words = GROUP_WORDS[:]
    rng.shuffle(words)
    rows = []
    for area, count in GROUPS_PER_AREA.items():
        for _ in range(count):
            rows.append(_group(rng, words.pop(), area))
    for group in bulk(Group, rows):
        area = int(group.area.split()[-1])
        city.groups_by_area.setdefault(area, []).append(group.pk)
        city.group_area[group.pk] = area
        city.group_names[group.pk] = group.name


def _group(rng: random.Random, word: str, area: int) -> Group:
    name = f"{word} {rng.choice(GROUP_SUFFIXES)}"
    active = rng.random() > 0.12
    size, street = rng.randint(8, 40), rng.choice(AREAS[area]["streets"])
    return Group(
        name=name,
        area=area_label(area),
        active=active,
        description=(
            f"Neighbourhood group of roughly {size} young men centred on {street}; "
            f"{rng.choice(GROUP_SHAPES)}."
        ),
    )


def conflicts_create(city: City) -> None:
    """2 hot and 3 active conflicts now (plus one within a group), and dormant ones in the past."""
    rng = rng_for(city.options, "conflicts")
    rows, windows = [], []
    for status, low, high in CONFLICT_PLAN:
        group_a, group_b = _rivals(city, rng)
        started, ended = _conflict_span(city, rng, status, low, high)
        rows.append(
            Conflict(
                group_a_id=group_a,
                group_b_id=group_b,
                status=status,
                started_on=started,
                description=rng.choice(CONFLICT_STORIES),
            )
        )
        windows.append((group_a, group_b, started, ended, status))
    internal = rng.choice(city.groups_by_area[5])
    started = city.today - dt.timedelta(days=150)
    rows.append(
        Conflict(
            group_a_id=internal,
            status="active",
            started_on=started,
            description="Split between two cliques of the same group after a leader's arrest.",
        )
    )
    windows.append((internal, None, started, city.today, "active"))
    for conflict, (a, b, started, ended, status) in zip(bulk(Conflict, rows), windows, strict=True):
        city.conflicts.append((conflict.pk, a, b, started, ended, status))


def _rivals(city: City, rng: random.Random) -> tuple[int, int]:
    area = rng.choices(AREA_IDS, weights=AREA_WEIGHTS)[0]
    neighbour = min(max(area + rng.choice([-1, 0, 1]), 1), 5)
    group_a = rng.choice(city.groups_by_area[area])
    group_b = rng.choice([g for g in city.groups_by_area[neighbour] if g != group_a])
    return group_a, group_b


def _conflict_span(city: City, rng, status: str, low: int, high: int) -> tuple[dt.date, dt.date]:
    if status != "dormant":
        return city.today - dt.timedelta(days=rng.randint(low, high)), city.today
    span = max((city.today - city.start).days, 400)
    started = city.start + dt.timedelta(days=rng.randint(0, max(span - 500, 1)))
    ended = min(
        started + dt.timedelta(days=rng.randint(150, 600)), city.today - dt.timedelta(days=120)
    )
    return started, max(ended, started + dt.timedelta(days=30))
