"""The demo city's options, its random sources and the facts every generator shares.

Every random choice comes from a ``random.Random`` seeded with ``(seed, section)`` — never the
global generator — so the same seed on the same day gives the same rows. "Today" is the local
date at run time; incidents stop at the end of yesterday, meetings after today are drafts.

Volume: ``scale`` multiplies incidents, people, tasks and contacts (SPEC §5 asks for 250,000
incidents, 100,000 people and 50,000 tasks at 10×). Rows are written with ``COPY`` on PostgreSQL
and ``bulk_create`` in batches on SQLite (``demo.loading``); the generators guarantee what
``full_clean`` would check (the tests run ``full_clean`` on a sample of every model).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

from django.db import models

from ceasefire.core import selectors
from ceasefire.core.models import Incident, Involvement, Organisation, Unit, User

from . import users as users_
from .loading import rows_write
from .progress import Progress

DEFAULT_SEED = 2014
DEFAULT_PASSWORD = "ceasefire-demo-2026"
FIRST_YEAR = 2014

FIREARM = Incident.Weapon.FIREARM
FATAL, NONFATAL, UNHURT = (
    Involvement.Injury.FATAL,
    Involvement.Injury.NONFATAL,
    Involvement.Injury.NONE,
)
HOMICIDE, NONFATAL_SHOOTING, NON_INJURY = "homicide", "nonfatal_shooting", "non_injury_shooting"


@dataclass(frozen=True)
class DemoOptions:
    today: dt.date
    seed: int = DEFAULT_SEED
    scale: float = 1.0
    since: int = FIRST_YEAR
    password: str = DEFAULT_PASSWORD


@dataclass
class DemoSummary:
    per_year: dict[int, dict[str, int]]
    rows: dict[str, int]
    users: list[tuple[str, str, str]]


def rng_for(options: DemoOptions, section: str) -> random.Random:
    """A generator of its own per section: adding rows to one section never shifts another."""
    return random.Random(f"{options.seed}:{options.scale}:{options.since}:{section}")


def scaled(rng: random.Random, value: float, scale: float) -> int:
    """``value × scale`` rounded stochastically, so fractional scales keep their average."""
    x = value * scale
    return int(x) + (1 if rng.random() < x - int(x) else 0)


def bulk(model: type[models.Model], objs: Sequence[models.Model]) -> list:
    """Write new rows: COPY on PostgreSQL, ``bulk_create`` on SQLite (``demo.loading``)."""
    return rows_write(model, objs)


def local_dt(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    return selectors.local_midnight(day).replace(hour=hour, minute=minute)


def month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


def random_day(rng: random.Random, month: dt.date, before: dt.date) -> dt.date | None:
    last = min(selectors.month_end(month.year, month.month), before - dt.timedelta(days=1))
    if last < month:
        return None
    return month + dt.timedelta(days=rng.randint(0, (last - month).days))


# --- Geography ------------------------------------------------------------------------------


def _area(weight, beats, streets, hoods, centre) -> dict:
    return {
        "weight": weight,
        "beats": beats.split(),
        "streets": streets.split(", "),
        "hoods": hoods.split(", "),
        "centre": centre,
    }


AREAS = {
    1: _area(
        0.18,
        "01X 02X 02Y 03X 03Y 04X 05X 05Y 06X 07X",
        "Market St, Adeline St, Peralta St, West Grand Ave, San Pablo Ave, 7th St, Campbell St",
        "West Oakland, Lower Bottoms, Prescott, Downtown",
        (37.8120, -122.2850),
    ),
    2: _area(
        0.10,
        "08X 09X 10X 10Y 11X 12X 12Y 13X 14X 14Y",
        "Telegraph Ave, Broadway, Grand Ave, Shattuck Ave, Piedmont Ave, MacArthur Blvd",
        "North Oakland, Temescal, Adams Point, Longfellow",
        (37.8300, -122.2600),
    ),
    3: _area(
        0.22,
        "16X 16Y 17X 17Y 18X 18Y 19X 20X 21X 22X",
        "International Blvd, Fruitvale Ave, Foothill Blvd, E 12th St, 35th Ave, High St",
        "Fruitvale, San Antonio, Jingletown, Dimond",
        (37.7800, -122.2250),
    ),
    4: _area(
        0.22,
        "23X 24X 24Y 25X 25Y 26X 26Y 27X 27Y 28X",
        "MacArthur Blvd, Seminary Ave, 73rd Ave, E 14th St, Bancroft Ave, Havenscourt Blvd",
        "Maxwell Park, Seminary, Havenscourt, Melrose",
        (37.7650, -122.1950),
    ),
    5: _area(
        0.28,
        "29X 30X 30Y 31X 31Y 31Z 32X 32Y 33X 34X 35X 35Y",
        "International Blvd, 98th Ave, 105th Ave, Bancroft Ave, Edes Ave, Foothill Blvd, "
        "Sunnyside St",
        "Elmhurst, Sobrante Park, Brookfield Village, Stonehurst, Columbia Gardens",
        (37.7450, -122.1700),
    ),
}
AREA_IDS = list(AREAS)
AREA_WEIGHTS = [AREAS[a]["weight"] for a in AREA_IDS]


def area_label(area: int) -> str:
    """The police area as stored (the CSV import's ``area`` column): "1" … "5"."""
    return str(area)


def random_area(rng: random.Random) -> int:
    return rng.choices(AREA_IDS, weights=AREA_WEIGHTS)[0]


def address_for(rng: random.Random, area: int) -> tuple[str, str, Decimal, Decimal]:
    info = AREAS[area]
    block = rng.randint(1, 109) * 100
    address = f"{block} block of {rng.choice(info['streets'])}"
    lat, lon = info["centre"]
    return (
        address,
        rng.choice(info["beats"]),
        Decimal(f"{lat + rng.uniform(-0.012, 0.012):.6f}"),
        Decimal(f"{lon + rng.uniform(-0.012, 0.012):.6f}"),
    )


# --- Levels and timing ----------------------------------------------------------------------

# Yearly levels before noise: a gentle decline from the 2012-style peak, a 2020–21 bump,
# then a decline again. Per victim for homicides and non-fatal injuries, per incident for
# non-injury shootings. Clamped to the ranges an Oakland-sized city shows.
TREND = {
    2013: (104, 395, 1950),
    2014: (100, 385, 1900),
    2015: (93, 360, 1800),
    2016: (88, 340, 1700),
    2017: (80, 310, 1550),
    2018: (76, 290, 1450),
    2019: (79, 295, 1500),
    2020: (96, 340, 1800),
    2021: (104, 370, 1900),
    2022: (99, 350, 1750),
    2023: (94, 335, 1650),
    2024: (84, 300, 1400),
    2025: (77, 280, 1250),
    2026: (74, 268, 1180),
}
RANGES = ((70, 110), (250, 400), (1000, 2000))


def year_levels(options: DemoOptions, year: int) -> tuple[int, int, int]:
    """(homicide victims, non-fatal injury victims, non-injury incidents) for a whole year."""
    rng = rng_for(options, f"levels:{year}")
    base = TREND.get(year) or TREND[min(max(year, min(TREND)), max(TREND))]
    levels = []
    for value, (low, high) in zip(base, RANGES, strict=True):
        noisy = min(max(round(value * rng.uniform(0.95, 1.05)), low), high)
        levels.append(scaled(rng, noisy, options.scale))
    return levels[0], levels[1], levels[2]


# Night and weekend skew: most shootings between 8 pm and 3 am, Friday to Sunday.
# fmt: off
HOUR_WEIGHTS = [
    9, 8, 7, 5, 3, 2, 1.5, 1.5, 1.5, 2, 2.5, 3,
    3.5, 4, 4.5, 5, 5.5, 6, 7, 8, 9, 10, 10.5, 10,
]
# fmt: on
WEEKDAY_WEIGHTS = [0.9, 0.85, 0.85, 0.9, 1.1, 1.3, 1.25]  # Monday..Sunday


def day_weight(day: dt.date) -> float:
    """Summer peak (mid-July), winter trough, weekends higher, July 4th and New Year spikes."""
    season = 1 + 0.22 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 196) / 365.25)
    special = 2.0 if (day.month, day.day) in {(7, 4), (7, 5), (12, 31), (1, 1)} else 1.0
    return season * WEEKDAY_WEIGHTS[day.weekday()] * special


# --- What later generators need from earlier ones ---------------------------------------------


class Shot(NamedTuple):
    """A logged incident as a shooting review meets it (counted or not)."""

    occurred_at: dt.datetime
    pk: int
    case_number: str
    kind: str
    counted: bool
    circumstance: str
    conflict: int | None
    groups: list[int]
    victims: list[tuple[int | None, str]]  # (person pk or None if unidentified, injury)
    # the rest of what an archived review freezes (``demo.archive.Facts``)
    address: str
    area: str
    weapon: str
    group_involved: str
    counting_status: str


@dataclass
class City:
    """Pks and a few facts (not model rows) that one generator hands to the next."""

    options: DemoOptions
    orgs: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    units: list[Unit] = field(default_factory=list)
    groups_by_area: dict[int, list[int]] = field(default_factory=dict)
    group_area: dict[int, int] = field(default_factory=dict)
    group_names: dict[int, str] = field(default_factory=dict)
    # (pk, group a, group b or None, started, ended, status)
    conflicts: list[tuple[int, int, int | None, dt.date, dt.date, str]] = field(
        default_factory=list
    )
    # people
    person_groups: dict[int, list[int]] = field(default_factory=dict)
    person_names: dict[int, str] = field(default_factory=dict)
    deceased_on: dict[int, dt.date] = field(default_factory=dict)
    risky: list[int] = field(default_factory=list)  # known to police (group-linked or suspects)
    group_members: dict[int, list[tuple[dt.date, int]]] = field(default_factory=dict)  # (since, pk)
    # counted incidents: (occurred_at, pk, kind, area, conflict pk, group pks, [(person, role)])
    incidents: list[tuple] = field(default_factory=list)
    logged: list[Shot] = field(default_factory=list)  # every incident, in time order
    # counted per year: (homicide victims, non-fatal injury victims, non-injury incidents)
    yearly: dict[int, tuple[int, int, int]] = field(default_factory=dict)
    # meetings: kind → [(date, pk)] in date order, past (to be closed) ones only
    meetings: dict[str, list[tuple[dt.date, int]]] = field(default_factory=dict)
    closing: dict[int, dt.datetime] = field(default_factory=dict)  # past meeting pk → close time
    open_review: int | None = None
    review_windows: list[tuple[int, dt.date, dt.datetime, dt.datetime]] = field(
        default_factory=list
    )
    # designations: (person pk, level, first day, last active day) per term
    chains: list[tuple[int, str, dt.date, dt.date]] = field(default_factory=list)
    active_by_day: dict[dt.date, tuple[int, ...]] = field(default_factory=dict)
    # what each review decided: (review pk, person pk, designation pk, action, basis)
    decisions: list[tuple[int, int, int, str, str]] = field(default_factory=list)
    shares: list = field(default_factory=list)  # PartnershipShare rows, written by the replay
    task_updates: list = field(default_factory=list)  # TaskUpdate rows, written by the replay
    shared_at_meeting: dict[int, list[int]] = field(default_factory=dict)  # coordination pk → pks
    progress: Progress = field(default_factory=Progress)  # the terminal's bar, phase timings

    @property
    def start(self) -> dt.date:
        return dt.date(self.options.since, 1, 1)

    @property
    def today(self) -> dt.date:
        return self.options.today

    @property
    def cutoff(self) -> dt.datetime:
        """Incidents end at local midnight today: the same seed gives the same rows all day."""
        return selectors.local_midnight(self.today)

    @property
    def facilitator(self) -> User:
        return self.users[users_.FACILITATOR]

    def alive_on(self, pk: int, day: dt.date) -> bool:
        died = self.deceased_on.get(pk)
        return died is None or died > day
