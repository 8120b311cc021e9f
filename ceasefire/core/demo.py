"""Deterministic demo data for an Oakland-sized city (``manage.py seed_demo``).

A module of small generator functions. Every random choice comes from a
``random.Random`` seeded with ``(seed, section)`` — never the global generator — so
the same seed on the same day gives the same rows. "Today" is the local date at run
time; incidents stop at the end of yesterday, meetings after today are drafts.

Volume: ``scale`` multiplies incidents, people, tasks and contacts (SPEC §5 asks for
250,000 incidents, 100,000 people and 50,000 tasks at 10×). Rows are written with
``bulk_create`` in batches; the generator itself guarantees what ``full_clean`` would
check (the tests run ``full_clean`` on a sample of every model).
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Permission
from django.db import models, transaction

from . import selectors
from .models import (
    AgendaItem,
    Benchmark,
    CallIn,
    Conflict,
    CustomNotification,
    EnforcementAction,
    EnforcementPlanStatus,
    Enrolment,
    Group,
    GroupAffiliation,
    Incident,
    Indicator,
    Involvement,
    Meeting,
    Organisation,
    PartnershipSettings,
    PartnershipShare,
    Person,
    RiskDesignation,
    Role,
    ServiceContact,
    Task,
    TaskUpdate,
    Unit,
    UnitStaffing,
    User,
)

DEFAULT_SEED = 2014
DEFAULT_PASSWORD = "ceasefire-demo-2026"
FIRST_YEAR = 2014
BATCH_SIZE = 2000

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
    return model.objects.bulk_create(objs, batch_size=BATCH_SIZE)


def local_dt(day: dt.date, hour: int = 12, minute: int = 0) -> dt.datetime:
    return selectors.local_midnight(day).replace(hour=hour, minute=minute)


# --- The city -----------------------------------------------------------------------------

AREAS = {
    1: {
        "weight": 0.18,
        "beats": ["01X", "02X", "02Y", "03X", "03Y", "04X", "05X", "05Y", "06X", "07X"],
        "streets": [
            "Market St",
            "Adeline St",
            "Peralta St",
            "West Grand Ave",
            "San Pablo Ave",
            "7th St",
            "Campbell St",
        ],
        "hoods": ["West Oakland", "Lower Bottoms", "Prescott", "Downtown"],
        "centre": (37.8120, -122.2850),
    },
    2: {
        "weight": 0.10,
        "beats": ["08X", "09X", "10X", "10Y", "11X", "12X", "12Y", "13X", "14X", "14Y"],
        "streets": [
            "Telegraph Ave",
            "Broadway",
            "Grand Ave",
            "Shattuck Ave",
            "Piedmont Ave",
            "MacArthur Blvd",
        ],
        "hoods": ["North Oakland", "Temescal", "Adams Point", "Longfellow"],
        "centre": (37.8300, -122.2600),
    },
    3: {
        "weight": 0.22,
        "beats": ["16X", "16Y", "17X", "17Y", "18X", "18Y", "19X", "20X", "21X", "22X"],
        "streets": [
            "International Blvd",
            "Fruitvale Ave",
            "Foothill Blvd",
            "E 12th St",
            "35th Ave",
            "High St",
        ],
        "hoods": ["Fruitvale", "San Antonio", "Jingletown", "Dimond"],
        "centre": (37.7800, -122.2250),
    },
    4: {
        "weight": 0.22,
        "beats": ["23X", "24X", "24Y", "25X", "25Y", "26X", "26Y", "27X", "27Y", "28X"],
        "streets": [
            "MacArthur Blvd",
            "Seminary Ave",
            "73rd Ave",
            "E 14th St",
            "Bancroft Ave",
            "Havenscourt Blvd",
        ],
        "hoods": ["Maxwell Park", "Seminary", "Havenscourt", "Melrose"],
        "centre": (37.7650, -122.1950),
    },
    5: {
        "weight": 0.28,
        "beats": [
            "29X",
            "30X",
            "30Y",
            "31X",
            "31Y",
            "31Z",
            "32X",
            "32Y",
            "33X",
            "34X",
            "35X",
            "35Y",
        ],
        "streets": [
            "International Blvd",
            "98th Ave",
            "105th Ave",
            "Bancroft Ave",
            "Edes Ave",
            "Foothill Blvd",
            "Sunnyside St",
        ],
        "hoods": [
            "Elmhurst",
            "Sobrante Park",
            "Brookfield Village",
            "Stonehurst",
            "Columbia Gardens",
        ],
        "centre": (37.7450, -122.1700),
    },
}
AREA_IDS = list(AREAS)
AREA_WEIGHTS = [AREAS[a]["weight"] for a in AREA_IDS]


def area_label(area: int) -> str:
    """The police area as stored (the CSV import's ``area`` column): "1" … "5"."""
    return str(area)


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
HOUR_WEIGHTS = [
    9,
    8,
    7,
    5,
    3,
    2,
    1.5,
    1.5,
    1.5,
    2,
    2.5,
    3,
    3.5,
    4,
    4.5,
    5,
    5.5,
    6,
    7,
    8,
    9,
    10,
    10.5,
    10,
]
WEEKDAY_WEIGHTS = [0.9, 0.85, 0.85, 0.9, 1.1, 1.3, 1.25]  # Monday..Sunday


def day_weight(day: dt.date) -> float:
    """Summer peak (mid-July), winter trough, weekends higher, July 4th and New Year's Eve spikes."""
    season = 1 + 0.22 * math.cos(2 * math.pi * (day.timetuple().tm_yday - 196) / 365.25)
    special = 2.0 if (day.month, day.day) in {(7, 4), (7, 5), (12, 31), (1, 1)} else 1.0
    return season * WEEKDAY_WEIGHTS[day.weekday()] * special


# --- Names --------------------------------------------------------------------------------

FIRST_NAMES_M = [
    "Marcus",
    "Darnell",
    "Andre",
    "Jamal",
    "DeShawn",
    "Terrell",
    "Malik",
    "Isaiah",
    "Jose",
    "Luis",
    "Carlos",
    "Miguel",
    "Juan",
    "Angel",
    "Adrian",
    "Anthony",
    "Michael",
    "Christopher",
    "David",
    "Daniel",
    "Kevin",
    "Brandon",
    "Jordan",
    "Tyrone",
    "Dominique",
    "Xavier",
    "Elijah",
    "Jalen",
    "Deandre",
    "Rashad",
    "Khalil",
    "Javier",
    "Alejandro",
    "Fernando",
    "Ricardo",
    "Eduardo",
    "Hector",
    "Vu",
    "Minh",
    "Tuan",
    "Sione",
    "Tevita",
    "Jermaine",
    "Lamar",
    "Cedric",
    "Demetrius",
    "Trevon",
    "Quincy",
    "Rodney",
    "Antoine",
    "Omar",
    "Samuel",
    "Joshua",
    "Aaron",
    "Nathan",
    "Diego",
    "Mario",
    "Ramon",
    "Victor",
]
FIRST_NAMES_F = [
    "Aaliyah",
    "Jasmine",
    "Destiny",
    "Keisha",
    "Tiana",
    "Brianna",
    "Maria",
    "Guadalupe",
    "Ana",
    "Sofia",
    "Daniela",
    "Alejandra",
    "Jessica",
    "Ashley",
    "Monique",
    "Tanisha",
    "Kiara",
    "Imani",
    "Leticia",
    "Rosa",
    "Linh",
    "Mai",
    "Sina",
    "Erica",
    "Shanice",
    "Latoya",
    "Vanessa",
    "Yesenia",
    "Crystal",
    "Nia",
]
LAST_NAMES = [
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Davis",
    "Jackson",
    "Harris",
    "Robinson",
    "Thomas",
    "Lewis",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Green",
    "Baker",
    "Adams",
    "Nelson",
    "Hill",
    "Mitchell",
    "Carter",
    "Roberts",
    "Turner",
    "Phillips",
    "Campbell",
    "Parker",
    "Evans",
    "Edwards",
    "Collins",
    "Stewart",
    "Morris",
    "Rogers",
    "Reed",
    "Cook",
    "Morgan",
    "Bell",
    "Murphy",
    "Bailey",
    "Cooper",
    "Richardson",
    "Cox",
    "Howard",
    "Ward",
    "Brooks",
    "Garcia",
    "Martinez",
    "Rodriguez",
    "Hernandez",
    "Lopez",
    "Gonzalez",
    "Perez",
    "Sanchez",
    "Ramirez",
    "Torres",
    "Flores",
    "Rivera",
    "Gomez",
    "Diaz",
    "Cruz",
    "Reyes",
    "Morales",
    "Ortiz",
    "Gutierrez",
    "Chavez",
    "Ramos",
    "Ruiz",
    "Alvarez",
    "Mendoza",
    "Castillo",
    "Jimenez",
    "Vasquez",
    "Romero",
    "Nguyen",
    "Tran",
    "Le",
    "Pham",
    "Saechao",
    "Fifita",
    "Tuipulotu",
    "Washington",
    "Jefferson",
    "Coleman",
    "Simmons",
    "Foster",
    "Bryant",
    "Gibson",
]
NICKNAMES = [
    "Lil Man",
    "Boo",
    "Smoke",
    "Tiny",
    "Red",
    "Scoop",
    "Bam",
    "Dre",
    "Low",
    "June",
    "Peanut",
    "Chico",
    "Flaco",
    "Spider",
    "Ghost",
    "Rico",
    "Money",
    "Dub",
]

GROUP_WORDS = [
    "Alder",
    "Birch",
    "Cedar",
    "Dogwood",
    "Elm",
    "Fir",
    "Hawthorn",
    "Juniper",
    "Laurel",
    "Magnolia",
    "Oakmont",
    "Pinecrest",
    "Quarry",
    "Redwood",
    "Sycamore",
    "Tamarack",
    "Upland",
    "Valley",
    "Willow",
    "Yarrow",
    "Acacia",
    "Baywood",
    "Cypress",
    "Driftwood",
    "Eastlake",
    "Fairmont",
    "Glenview",
    "Harbor",
    "Ironwood",
    "Jadeite",
    "Kestrel",
    "Lakeview",
    "Meadow",
    "Northgate",
    "Orchard",
    "Palisade",
    "Ridgeline",
    "Seaview",
    "Terrace",
    "Underhill",
    "Vista",
    "Westbrook",
    "Bridgeview",
    "Coldwater",
    "Deepwell",
    "Eagle",
    "Foxglove",
    "Granite",
    "Hilltop",
    "Ivory",
]
GROUP_SUFFIXES = ["Crew", "Boys", "Mob", "Set", "Family", "Click", "Gang", "Squad"]
GROUPS_PER_AREA = {1: 9, 2: 5, 3: 11, 4: 11, 5: 14}  # 50 groups


# --- Organisations, users, units ------------------------------------------------------------

ORGANISATIONS = [
    ("police", "Oakland Police Department", Organisation.Kind.POLICE),
    ("hsd", "Human Services Department", Organisation.Kind.HUMAN_SERVICES),
    ("probation", "County Probation Department", Organisation.Kind.PROBATION),
    ("life_coaches", "Lakeside Life Coaching Collective", Organisation.Kind.COMMUNITY_BASED),
    ("outreach", "Eastmont Street Outreach", Organisation.Kind.COMMUNITY_BASED),
    ("hospital", "Bayside Hospital Violence Response", Organisation.Kind.COMMUNITY_BASED),
    ("family", "Fruitvale Family Support Network", Organisation.Kind.COMMUNITY_BASED),
    ("reentry", "Second Chance Reentry Partners", Organisation.Kind.COMMUNITY_BASED),
    ("faith", "Interfaith Ceasefire Council", Organisation.Kind.FAITH_COMMUNITY),
    ("congregations", "East Bay Congregations United", Organisation.Kind.FAITH_COMMUNITY),
    ("mayor", "Office of the Mayor", Organisation.Kind.MAYORS_OFFICE),
]
CBO_KEYS = ["life_coaches", "outreach", "hospital", "family", "reentry"]
PROVIDER_KEYS = ["life_coaches", "outreach", "reentry", "family"]

# username, role, organisation key, first name, last name
DEMO_USERS = [
    ("admin", Role.ADMIN, "mayor", "Alex", "Admin"),
    ("auditor", Role.AUDITOR, "mayor", "Avery", "Auditor"),
    ("facilitator", Role.POLICE_FACILITATOR, "police", "Felicia", "Ortega"),
    ("police_viewer", Role.POLICE_VIEWER, "police", "Victor", "Lam"),
    ("partner_lead", Role.PARTNER_LEAD, "hsd", "Patricia", "Nguyen"),
    ("case_manager", Role.PARTNER_STAFF, "life_coaches", "Carl", "Mendoza"),
    ("community_partner", Role.COMMUNITY_PARTNER, "faith", "Reverend Grace", "Holloway"),
    ("executive", Role.EXECUTIVE, "mayor", "Elaine", "Booker"),
]
ADMIN_MODELS = ["user", "organisation", "benchmark", "unit", "partnershipsettings"]

# name, kind, authorised strength
UNITS = [
    ("Ceasefire Unit", Unit.Kind.SPECIALISED, 8),
    ("SIU East", Unit.Kind.SPECIALISED, 8),
    ("SIU West", Unit.Kind.SPECIALISED, 8),
    ("Gang Unit", Unit.Kind.SPECIALISED, 8),
    *[(f"Area {a} CRT", Unit.Kind.AREA, 6) for a in AREA_IDS],
]


@dataclass
class City:
    """What later generators need from earlier ones (pks and a few facts, not model rows)."""

    options: DemoOptions
    orgs: dict[str, Organisation] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    units: list[Unit] = field(default_factory=list)
    groups_by_area: dict[int, list[int]] = field(default_factory=dict)
    group_area: dict[int, int] = field(default_factory=dict)
    conflicts: list[tuple[int, int, int | None, dt.date, dt.date, str]] = field(
        default_factory=list
    )
    # people
    person_groups: dict[int, list[int]] = field(default_factory=dict)
    deceased_on: dict[int, dt.date] = field(default_factory=dict)
    # incidents: (occurred_at, pk, kind, area, conflict pk, group pks, [(person pk, role)])
    incidents: list[tuple] = field(default_factory=list)
    # meetings: kind → [(date, pk)] in date order, closed ones only
    meetings: dict[str, list[tuple[dt.date, int]]] = field(default_factory=dict)
    # designation chains: (person pk, level, first day, last active day, end day or None)
    chains: list[tuple[int, str, dt.date, dt.date]] = field(default_factory=list)
    shared: dict[int, dt.date] = field(default_factory=dict)
    active_by_day: dict[dt.date, tuple[int, ...]] = field(default_factory=dict)
    designated_at: dict[int, list[int]] = field(default_factory=dict)  # meeting pk → person pks
    # counted victims per year: year → (homicide victims, non-fatal injury victims, non-injury incidents)
    yearly: dict[int, tuple[int, int, int]] = field(default_factory=dict)
    risky: list[int] = field(
        default_factory=list
    )  # people known to police (group-linked or suspects)
    review_windows: list[tuple[int, dt.date, dt.datetime, dt.datetime]] = field(
        default_factory=list
    )
    shared_at_meeting: dict[int, list[int]] = field(
        default_factory=dict
    )  # coordination meeting pk → person pks

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
        return self.users["facilitator"]


def organisations_create(city: City) -> None:
    for key, name, kind in ORGANISATIONS:
        org, _ = Organisation.objects.update_or_create(
            name=name,
            defaults={
                "kind": kind,
                "active": True,
                "email": f"{key.replace('_', '-')}@demo.example.org",
            },
        )
        city.orgs[key] = org
    partnership = PartnershipSettings.load()
    partnership.police_lead = city.orgs["police"]
    partnership.human_services_lead = city.orgs["hsd"]
    partnership.save(update_fields=["police_lead", "human_services_lead"])


def users_create(city: City) -> None:
    """One demo user per role, all with the printed password (hashed once: it is one password)."""
    password_hash = make_password(city.options.password)
    for username, role, org_key, first, last in DEMO_USERS:
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "role": role,
                "organisation": city.orgs[org_key],
                "first_name": first,
                "last_name": last,
                "email": f"{username}@demo.example.org",
                "is_staff": role == Role.ADMIN,
                "is_superuser": False,
                "is_active": True,
                "password": password_hash,
            },
        )
        city.users[username] = user
    admin_permissions = Permission.objects.filter(
        content_type__app_label="core", content_type__model__in=ADMIN_MODELS
    )
    city.users["admin"].user_permissions.set(admin_permissions)


def units_create(city: City) -> None:
    rng = rng_for(city.options, "units")
    for name, kind, _ in UNITS:
        unit, _ = Unit.objects.update_or_create(
            name=name, defaults={"kind": kind, "organisation": city.orgs["police"]}
        )
        city.units.append(unit)
    staffing, plans = [], []
    month = city.start
    while month <= city.today:
        for unit, (_, _, authorised) in zip(city.units, UNITS, strict=True):
            filled = authorised - rng.choices([0, 1, 2, 3], weights=[45, 35, 15, 5])[0]
            staffing.append(
                UnitStaffing(
                    unit=unit,
                    recorded_on=month,
                    authorised=authorised,
                    filled=filled,
                    recorded_by=city.facilitator,
                )
            )
            up_to_date = rng.random() < 0.85
            plans.append(
                EnforcementPlanStatus(
                    unit=unit,
                    recorded_on=month,
                    up_to_date=up_to_date,
                    notes=""
                    if up_to_date
                    else rng.choice(["Awaiting new commander sign-off", "Plan under revision"]),
                    recorded_by=city.facilitator,
                )
            )
        month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    bulk(UnitStaffing, staffing)
    bulk(EnforcementPlanStatus, plans)


def groups_create(city: City) -> None:
    rng = rng_for(city.options, "groups")
    words = GROUP_WORDS[:]
    rng.shuffle(words)
    rows = []
    for area, count in GROUPS_PER_AREA.items():
        for _ in range(count):
            word = words.pop()
            rows.append(
                Group(
                    name=f"{word} {rng.choice(GROUP_SUFFIXES)}",
                    area=area_label(area),
                    active=rng.random() > 0.12,
                    description=(
                        f"Neighbourhood group of roughly {rng.randint(8, 40)} young men centred on "
                        f"{rng.choice(AREAS[area]['streets'])}; {rng.choice(['loosely organised', 'tight-knit', 'split into two cliques'])}."
                    ),
                )
            )
    for group in bulk(Group, rows):
        area = int(group.area.split()[-1])
        city.groups_by_area.setdefault(area, []).append(group.pk)
        city.group_area[group.pk] = area


def conflicts_create(city: City) -> None:
    """2 hot and 3 active conflicts now (plus one within a group), and dormant ones in the past."""
    rng = rng_for(city.options, "conflicts")
    span = max((city.today - city.start).days, 400)
    plan = [
        ("hot", 60, 300),
        ("hot", 90, 400),
        ("active", 300, 900),
        ("active", 200, 700),
        ("active", 400, 1200),
    ]
    plan += [("dormant", 0, 0)] * 7
    rows, windows = [], []
    for status, low, high in plan:
        area = rng.choices(AREA_IDS, weights=AREA_WEIGHTS)[0]
        neighbour = min(max(area + rng.choice([-1, 0, 1]), 1), 5)
        group_a = rng.choice(city.groups_by_area[area])
        group_b = rng.choice([g for g in city.groups_by_area[neighbour] if g != group_a])
        if status == "dormant":
            started = city.start + dt.timedelta(days=rng.randint(0, max(span - 500, 1)))
            ended = min(
                started + dt.timedelta(days=rng.randint(150, 600)),
                city.today - dt.timedelta(days=120),
            )
            ended = max(ended, started + dt.timedelta(days=30))
        else:
            started, ended = city.today - dt.timedelta(days=rng.randint(low, high)), city.today
        rows.append(
            Conflict(
                group_a_id=group_a,
                group_b_id=group_b,
                status=status,
                started_on=started,
                description=rng.choice(
                    [
                        "Began with a dispute over a robbery; a string of retaliatory shootings followed.",
                        "Long-running neighbourhood rivalry reignited by a killing at a party.",
                        "Social-media insults escalated into shootings at each other's blocks.",
                        "Dispute over a girlfriend, now carried by younger members on both sides.",
                    ]
                ),
            )
        )
        windows.append((group_a, group_b, started, ended, status))
    internal = rng.choice(city.groups_by_area[5])
    rows.append(
        Conflict(
            group_a_id=internal,
            status="active",
            started_on=city.today - dt.timedelta(days=150),
            description="Split between two cliques of the same group after a leader's arrest.",
        )
    )
    windows.append((internal, None, city.today - dt.timedelta(days=150), city.today, "active"))
    for conflict, (a, b, started, ended, status) in zip(bulk(Conflict, rows), windows, strict=True):
        city.conflicts.append((conflict.pk, a, b, started, ended, status))


# --- People and incidents ------------------------------------------------------------------


AFFILIATION_BASES = [
    "Self-admitted membership during a field interview on {day}.",
    "Named as a member by two independent sources at the shooting review of {day}.",
    "Social media: repeated photos with members and the group's hand signs; corroborated by a field contact on {day}.",
    "Arrested with known members on {day}; tattoo of the group's name.",
    "Identified by the area CRT as a regular at the group's block since {day}.",
]
NARRATIVES = {
    "group_conflict": [
        "Victim standing outside a corner store on {street} when occupants of a dark sedan fired multiple rounds. Believed retaliation in the ongoing dispute.",
        "Shots fired from a passing car at a group gathered near {street}; casings from two firearms. Linked by sources to the ongoing conflict.",
        "Victim chased on foot and shot near {street}. Associates refuse to cooperate; social-media posts suggest retaliation.",
    ],
    "personal_dispute": [
        "Argument between acquaintances outside a residence on {street} escalated; suspect produced a handgun.",
        "Dispute over a debt at a sideshow near {street}; one shooter, several witnesses.",
    ],
    "domestic": ["Shooting followed a domestic disturbance call at a residence on {street}."],
    "robbery": ["Victim shot during a street robbery on {street}; phone and wallet taken."],
    "other": ["Shooting during a large gathering near {street}; motive unclear."],
    "unknown": [
        "ShotSpotter activation near {street}; casings recovered. No cooperative witnesses.",
        "Victim arrived at the hospital by private car; says he was shot near {street} but gives no details.",
    ],
}
NON_INJURY_NARRATIVES = [
    "ShotSpotter activation on {street}; {n} casings recovered, no victims located.",
    "Parked car and house front struck by gunfire on {street}; occupants unhurt.",
    "Shots fired at a group near {street}; nobody hit, group dispersed before officers arrived.",
]
HELD_REASONS = {
    HOMICIDE: [
        "Pending coroner ruling on cause of death.",
        "Officer-involved shooting: excluded pending review.",
    ],
    NONFATAL_SHOOTING: [
        "Possibly self-inflicted: under review.",
        "Victim says it happened outside city limits: location under review.",
    ],
    NON_INJURY: [
        "Fireworks, not gunfire (ShotSpotter review).",
        "Duplicate of an earlier report for the same event.",
    ],
}


@dataclass
class Spec:
    """One incident before it becomes a row: its kind, victims' injuries and counting status."""

    kind: str
    weapon: str
    injuries: list[str]
    status: str = Incident.CountingStatus.COUNTED
    reason: str = ""
    occurred_at: dt.datetime | None = None


def incident_specs(
    rng: random.Random, homicides: int, nonfatal: int, non_injury: int
) -> list[Spec]:
    """Counted incidents adding up exactly to the year's victims, plus a few held/unfounded extras."""
    specs: list[Spec] = []
    left = homicides
    while left > 0:
        k = min(rng.choices([1, 2, 3], weights=[93, 6, 1])[0], left)
        weapon = Incident.Weapon.OTHER if k == 1 and rng.random() < 0.10 else FIREARM
        wounded = (
            min(rng.choice([1, 1, 2]), nonfatal) if weapon == FIREARM and rng.random() < 0.08 else 0
        )
        nonfatal -= wounded
        specs.append(Spec(HOMICIDE, weapon, [FATAL] * k + [NONFATAL] * wounded))
        left -= k
    while nonfatal > 0:
        k = min(rng.choices([1, 2, 3, 4], weights=[87, 10, 2, 1])[0], nonfatal)
        specs.append(Spec(NONFATAL_SHOOTING, FIREARM, [NONFATAL] * k))
        nonfatal -= k
    for _ in range(non_injury):
        specs.append(Spec(NON_INJURY, FIREARM, [UNHURT] if rng.random() < 0.3 else []))
    extras = [
        (HOMICIDE, [FATAL], homicides * 0.02),
        (NONFATAL_SHOOTING, [NONFATAL], nonfatal_total(specs) * 0.015),
    ]
    extras.append((NON_INJURY, [], non_injury * 0.02))
    for kind, injuries, expected in extras:
        for _ in range(int(expected + rng.random())):
            status = (
                Incident.CountingStatus.UNFOUNDED
                if kind == NON_INJURY
                else Incident.CountingStatus.HELD
            )
            specs.append(
                Spec(kind, FIREARM, list(injuries), status, rng.choice(HELD_REASONS[kind]))
            )
    return specs


def nonfatal_total(specs: Iterable[Spec]) -> int:
    return sum(s.injuries.count(NONFATAL) for s in specs)


def incident_times(rng: random.Random, city: City, year: int, specs: list[Spec]) -> list[Spec]:
    """Spread the year's incidents over its days (seasonality, weekends) and hours (nights)."""
    first = dt.date(year, 1, 1)
    days = [first + dt.timedelta(days=i) for i in range((dt.date(year + 1, 1, 1) - first).days)]
    cum, total = [], 0.0
    for day in days:
        total += day_weight(day)
        cum.append(total)
    chosen = rng.choices(days, cum_weights=cum, k=len(specs))
    hours = rng.choices(range(24), weights=HOUR_WEIGHTS, k=len(specs))
    for spec, day, hour in zip(specs, chosen, hours, strict=True):
        spec.occurred_at = local_dt(day, hour, rng.randrange(60))
    kept = [s for s in specs if s.occurred_at < city.cutoff]
    kept.sort(key=lambda s: s.occurred_at)
    return kept


class PeopleMaker:
    """Creates Person rows (unsaved) and remembers who may turn up again in a later incident."""

    def __init__(self, city: City, rng: random.Random):
        self.city, self.rng = city, rng
        self.pool: dict[int, list[Person]] = defaultdict(list)  # area → people known to police
        self.pending: list[Person] = []
        self.groups: dict[int, list[int]] = {}  # id(person) → group pks (until saved)
        self.affiliations: list[GroupAffiliation] = []

    def new(self, area: int, day: dt.date, role: str, *, risky: bool) -> Person:
        rng = self.rng
        female = rng.random() < (0.12 if role in ("victim", "suspect") else 0.35)
        age = int(rng.triangular(14, 62, 22)) if role != "witness" else rng.randint(18, 70)
        dob = None
        if rng.random() < 0.9:
            dob = day - dt.timedelta(days=age * 365 + rng.randrange(365))
        person = Person(
            first_name=rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M),
            last_name=rng.choice(LAST_NAMES),
            gender=Person.Gender.FEMALE if female else Person.Gender.MALE,
            date_of_birth=dob,
            age_estimate=None if dob else min(age + (self.city.today - day).days // 365, 110),
            neighbourhood=rng.choice(AREAS[area]["hoods"]),
            created_at=local_dt(day, 12),
        )
        if risky and rng.random() < 0.3:
            person.aliases = f'"{rng.choice(NICKNAMES)}"'
        if risky and rng.random() < 0.15:
            person.on_supervision = True
            person.supervising_organisation = self.city.orgs["probation"]
        if risky and rng.random() < 0.05:
            person.in_custody = True
        self.pending.append(person)
        if risky:
            self.pool[area].append(person)
        return person

    def pick(
        self, area: int, day: dt.date, role: str, groups: list[int], *, reuse: float
    ) -> Person:
        """Someone already known in the area (victims become suspects and vice versa), or someone new."""
        pool = self.pool[area]
        if pool and self.rng.random() < reuse:
            person = pool[self.rng.randrange(len(pool))]
            if not person.deceased:
                return person
        person = self.new(area, day, role, risky=bool(groups) or role == "suspect")
        if groups and self.rng.random() < 0.6:
            group = self.rng.choice(groups)
            since = day - dt.timedelta(days=self.rng.randint(0, 700))
            self.affiliations.append(
                GroupAffiliation(
                    person=person,
                    group_id=group,
                    basis=self.rng.choice(AFFILIATION_BASES).format(day=since.isoformat()),
                    since=since,
                    recorded_by=self.city.facilitator,
                )
            )
            self.groups[id(person)] = [group]
        return person

    def flush(self) -> None:
        """Save the new people and their affiliations; record pks for later generators."""
        bulk(Person, self.pending)
        for person in self.pending:
            self.city.person_groups[person.pk] = self.groups.pop(id(person), [])
        bulk(GroupAffiliation, self.affiliations)
        self.pending, self.affiliations = [], []


def incidents_create(city: City) -> None:
    """Incidents year by year, each year written before the next is generated (bounded memory)."""
    rng = rng_for(city.options, "incidents")
    people = PeopleMaker(city, rng_for(city.options, "people"))
    for year in range(city.options.since, city.today.year + 1):
        specs = incident_times(
            rng, city, year, incident_specs(rng, *year_levels(city.options, year))
        )
        incident_rows, involvement_rows, group_links, facts = [], [], [], []
        killed: list[Person] = []
        totals = (0, 0, 0)
        seq = rng.randint(100, 900)
        gap = max(2, int(40 / max(city.options.scale, 1)))
        for spec in specs:
            seq += rng.randint(1, gap)
            incident, involvements, groups, conflict = incident_build(
                city, rng, people, spec, f"{year % 100:02d}-{seq:06d}"
            )
            incident_rows.append(incident)
            involvement_rows.extend(involvements)
            killed.extend(
                i.person for i in involvements if i.injury == FATAL and i.person is not None
            )
            facts.append((incident, spec.kind, groups, conflict, involvements))
        people.flush()
        bulk(Incident, incident_rows)
        bulk(Involvement, involvement_rows)
        for incident, kind, groups, conflict, involvements in facts:
            group_links.extend(
                Incident.groups.through(incident_id=incident.pk, group_id=g) for g in groups
            )
            who = [(i.person.pk, i.role) for i in involvements if i.person is not None]
            area = int(incident.area.split()[-1])
            if incident.counting_status == Incident.CountingStatus.COUNTED:
                city.incidents.append(
                    (incident.occurred_at, incident.pk, kind, area, conflict, groups, who)
                )
                h, n, x = totals
                injuries = [i.injury for i in involvements]
                totals = (
                    h + injuries.count(FATAL),
                    n + (injuries.count(NONFATAL) if incident.weapon == FIREARM else 0),
                    x + (kind == NON_INJURY),
                )
        city.yearly[year] = totals
        bulk(Incident.groups.through, group_links)
        related_incidents_link(rng, facts)
        for person in killed:
            city.deceased_on.setdefault(person.pk, person._killed_on)
        deceased = [p.pk for p in killed]
        for chunk in range(0, len(deceased), 500):
            Person.objects.filter(pk__in=deceased[chunk : chunk + 500]).update(deceased=True)
    city.risky = sorted({p.pk for pool in people.pool.values() for p in pool})


def incident_build(
    city: City, rng: random.Random, people: PeopleMaker, spec: Spec, case_number: str
):
    """One incident with its victims, suspects and linked groups/conflict (unsaved rows)."""
    day = spec.occurred_at.date()
    injury_incident = spec.kind != NON_INJURY
    group_share = 0.5 if injury_incident else 0.42
    involved = rng.random() < group_share
    area = rng.choices(AREA_IDS, weights=AREA_WEIGHTS)[0]
    groups: list[int] = []
    conflict = None
    if involved:
        live = [c for c in city.conflicts if c[3] <= day <= c[4]]
        if live and rng.random() < 0.45:
            pick = rng.choices(live, weights=[{"hot": 4, "active": 2}.get(c[5], 1) for c in live])[
                0
            ]
            conflict, groups = pick[0], [g for g in (pick[1], pick[2]) if g]
            area = city.group_area[groups[0]]
        else:
            groups = rng.sample(city.groups_by_area[area], k=rng.choice([1, 1, 2]))
        circumstance = Incident.Circumstance.GROUP_CONFLICT
        group_involved = Incident.GroupInvolved.YES
    else:
        circumstance = rng.choices(
            ["personal_dispute", "domestic", "robbery", "other", "unknown"],
            weights=[30, 10, 12, 8, 40],
        )[0]
        group_involved = rng.choices(
            [Incident.GroupInvolved.NO, Incident.GroupInvolved.UNKNOWN], weights=[45, 55]
        )[0]
        if spec.weapon != FIREARM:
            circumstance = rng.choice(["personal_dispute", "domestic"])
    address, beat, lat, lon = address_for(rng, area)
    street = address.split(" of ", 1)[1]
    if injury_incident:
        narrative = rng.choice(NARRATIVES[circumstance]).format(street=street)
    else:
        narrative = rng.choice(NON_INJURY_NARRATIVES).format(street=street, n=rng.randint(2, 14))
    if spec.weapon != FIREARM:
        narrative = f"Victim stabbed during a {circumstance.replace('_', ' ')} near {street}."
    incident = Incident(
        case_number=case_number,
        occurred_at=spec.occurred_at,
        address=address,
        area=area_label(area),
        beat=beat,
        latitude=lat,
        longitude=lon,
        weapon=spec.weapon,
        circumstance=circumstance,
        group_involved=group_involved,
        conflict_id=conflict,
        narrative=narrative,
        counting_status=spec.status,
        counting_reason=spec.reason,
        created_at=spec.occurred_at + dt.timedelta(hours=rng.randint(1, 30)),
        created_by=city.facilitator,
    )
    incident.created_at = min(incident.created_at, city.cutoff)
    involvements = []
    seen: set[int] = set()
    identify = {FATAL: 0.97, NONFATAL: 0.85, UNHURT: 0.7}
    for injury in spec.injuries:
        person = None
        if rng.random() < identify[injury]:
            person = people.pick(area, day, "victim", groups, reuse=0.25 if groups else 0.05)
            if id(person) in seen:
                person = people.new(area, day, "victim", risky=bool(groups))
            seen.add(id(person))
            if injury == FATAL:
                person.deceased = True
                person._killed_on = day
        involvements.append(
            Involvement(
                incident=incident,
                person=person,
                role=Involvement.Role.VICTIM,
                injury=injury,
                notes="" if person else "Not yet identified",
            )
        )
    suspect_share = {HOMICIDE: 0.5, NONFATAL_SHOOTING: 0.25, NON_INJURY: 0.08}[spec.kind]
    extra_roles = []
    if rng.random() < suspect_share:
        extra_roles += [Involvement.Role.SUSPECT] * rng.choice([1, 1, 2])
    if injury_incident and groups and rng.random() < 0.2:
        extra_roles.append(Involvement.Role.ASSOCIATE)
    if injury_incident and rng.random() < 0.1:
        extra_roles.append(Involvement.Role.WITNESS)
    for role in extra_roles:
        reuse = 0.45 if role != Involvement.Role.WITNESS else 0.0
        person = people.pick(
            area, day, role, groups if role != Involvement.Role.WITNESS else [], reuse=reuse
        )
        if id(person) in seen:
            continue
        seen.add(id(person))
        involvements.append(Involvement(incident=incident, person=person, role=role, injury=""))
    return incident, involvements, groups, conflict


def related_incidents_link(rng: random.Random, facts: list) -> None:
    """Link retaliation: a shooting in the same conflict within a week of an earlier one."""
    through = Incident.related_incidents.through
    rows, last_in_conflict = [], {}
    for incident, kind, _, conflict, _ in facts:
        if conflict is None or kind == NON_INJURY:
            continue
        previous = last_in_conflict.get(conflict)
        if (
            previous
            and incident.occurred_at - previous.occurred_at < dt.timedelta(days=7)
            and rng.random() < 0.7
        ):
            rows.append(through(from_incident_id=incident.pk, to_incident_id=previous.pk))
            rows.append(through(from_incident_id=previous.pk, to_incident_id=incident.pk))
        last_in_conflict[conflict] = incident
    bulk(through, rows)


# --- Meetings --------------------------------------------------------------------------------


def weekly(first: dt.date, weekday: int, step_days: int, until: dt.date) -> list[dt.date]:
    """Dates every ``step_days`` from the first ``weekday`` on/after ``first``, the last one ≥ ``until``."""
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7)
    dates = [day]
    while dates[-1] < until:
        dates.append(dates[-1] + dt.timedelta(days=step_days))
    return dates


def second_wednesday(year: int, month: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(2 - first.weekday()) % 7 + 7)


def meetings_create(city: City) -> None:
    """Weekly shooting reviews, bi-weekly coordination, bi-monthly performance reviews; the next of each is a draft."""
    rng = rng_for(city.options, "meetings")
    users, orgs = city.users, city.orgs
    rows: list[Meeting] = []
    attendees: list[list[User]] = []
    organisations: list[list[Organisation]] = []

    def add(meeting: Meeting, people: list[User], attending: list[Organisation]) -> None:
        if meeting.date < city.today:
            meeting.state = Meeting.State.CLOSED
            meeting.closed_at = local_dt(meeting.date, 15, rng.randrange(60))
            meeting.closed_by = meeting.facilitator
        else:
            meeting.state = Meeting.State.DRAFT
        rows.append(meeting)
        attendees.append(people if meeting.state == Meeting.State.CLOSED else [])
        organisations.append(attending if meeting.state == Meeting.State.CLOSED else [])

    reviews = weekly(city.start, 1, 7, city.today)  # Tuesdays
    window_start = selectors.local_midnight(reviews[0] - dt.timedelta(days=7))
    for day in reviews:
        window_end = selectors.local_midnight(day)
        add(
            Meeting(
                kind=Meeting.Kind.SHOOTING_REVIEW,
                date=day,
                window_start=window_start,
                window_end=window_end,
                facilitator=users["facilitator"],
                minutes="Reviewed prior deliverables and every shooting in the window; assigned new deliverables.",
            ),
            [users["facilitator"], users["police_viewer"]],
            [orgs["police"], *([orgs["probation"]] if rng.random() < 0.5 else [])],
        )
        window_start = window_end

    for day in weekly(city.start, 3, 14, city.today):  # every other Thursday
        if day < city.today and rng.random() < 0.04:
            continue  # cancelled (e.g. to attend a national workshop)
        attending = [
            org for key, org in orgs.items() if key in ("police", "hsd") and rng.random() < 0.95
        ]
        attending += [
            orgs[k]
            for k in ("probation", *CBO_KEYS, "faith", "congregations", "mayor")
            if rng.random() < 0.55
        ]
        risk_alignment = rng.random() < 0.9
        add(
            Meeting(
                kind=Meeting.Kind.COORDINATION,
                date=day,
                facilitator=users["partner_lead"],
                risk_alignment=risk_alignment,
                minutes="Reviewed the shooting review's risk assessment; agreed follow-ups; partnership health.",
            ),
            [
                users["facilitator"],
                users["partner_lead"],
                users["case_manager"],
                users["community_partner"],
            ],
            attending,
        )

    year, month = city.options.since, 1
    while True:
        period_start = dt.date(year, month, 1)
        period_end = selectors.month_end(year, month + 1)
        meeting_day = second_wednesday(year + (month == 11), 1 if month == 11 else month + 2)
        add(
            Meeting(
                kind=Meeting.Kind.PERFORMANCE_REVIEW,
                date=meeting_day,
                period_start=period_start,
                period_end=period_end,
                facilitator=users["executive"],
                minutes="Reviewed outcome and activity indicators against benchmarks; agreed next steps.",
            ),
            [users["executive"], users["partner_lead"], users["facilitator"]],
            [orgs["mayor"], orgs["police"], orgs["hsd"], orgs["probation"], orgs["faith"]],
        )
        if meeting_day >= city.today:
            break
        year, month = (year + 1, 1) if month == 11 else (year, month + 2)

    bulk(Meeting, rows)
    user_links, org_links = [], []
    for meeting, people, attending in zip(rows, attendees, organisations, strict=True):
        user_links += [
            Meeting.attendees.through(meeting_id=meeting.pk, user_id=u.pk) for u in people
        ]
        org_links += [
            Meeting.attending_organisations.through(meeting_id=meeting.pk, organisation_id=o.pk)
            for o in attending
        ]
        if meeting.state == Meeting.State.CLOSED:
            city.meetings.setdefault(meeting.kind, []).append((meeting.date, meeting.pk))
    bulk(Meeting.attendees.through, user_links)
    bulk(Meeting.attending_organisations.through, org_links)
    city.review_windows = [
        (m.pk, m.date, m.window_start, m.window_end)
        for m in rows
        if m.kind == Meeting.Kind.SHOOTING_REVIEW
    ]


def meeting_on_or_before(city: City, kind: str, day: dt.date) -> int | None:
    dates = city.meetings.get(kind, [])
    i = bisect.bisect_right(dates, (day, float("inf"))) - 1
    return dates[i][1] if i >= 0 else None


def meeting_on_or_after(city: City, kind: str, day: dt.date) -> tuple[dt.date, int] | None:
    dates = city.meetings.get(kind, [])
    i = bisect.bisect_left(dates, (day, -1))
    return dates[i] if i < len(dates) else None


def incidents_in_window(city: City, start: dt.datetime, end: dt.datetime) -> list[tuple]:
    lo = bisect.bisect_left(city.incidents, (start,))
    hi = bisect.bisect_left(city.incidents, (end,))
    return city.incidents[lo:hi]


# --- Designations and sharing ------------------------------------------------------------------

RENEWAL_BASES = [
    "Renewed at the shooting review of {day}: named as a suspect in a new shooting.",
    "Renewed at the shooting review of {day}: the conflict his group is in remains hot; new field contacts with members.",
    "Renewed at the shooting review of {day}: shot at again; associates publicly vowing retaliation.",
    "Renewed at the shooting review of {day}: recent arrest with a loaded firearm; still active with the group.",
]
KIND_LABEL = {
    HOMICIDE: "homicide",
    NONFATAL_SHOOTING: "non-fatal shooting",
    NON_INJURY: "non-injury shooting",
}
ROLE_LABEL = {"victim": "Victim", "suspect": "Suspect", "associate": "Associate at risk"}


def designations_create(city: City) -> None:
    """At each past review, some people in the window's group shootings get a VHR/high designation chain."""
    rng = rng_for(city.options, "designations")
    busy_until: dict[int, dt.date] = {}
    chains = []  # [(person, level, [(designated_on, review_due, ended_on, end_reason, basis, meeting, incidents)])]
    review_days = city.options.today - dt.timedelta(days=1)
    for meeting_pk, day, start, end in city.review_windows:
        if day > review_days:
            continue
        candidates: dict[int, list] = {}
        for _, incident_pk, kind, _, conflict, groups, who in incidents_in_window(city, start, end):
            if not groups:
                continue
            for pk, role in who:
                if role != "witness":
                    candidates.setdefault(pk, []).append((incident_pk, kind, role, conflict))
        for pk in sorted(candidates):
            if busy_until.get(pk, dt.date.min) >= day or (
                pk in city.deceased_on and city.deceased_on[pk] <= day
            ):
                continue
            if rng.random() >= 0.75:
                continue
            incident_pk, kind, role, conflict = candidates[pk][0]
            level = RiskDesignation.Level.VHR if rng.random() < 0.7 else RiskDesignation.Level.HIGH
            basis = (
                f"{ROLE_LABEL[role]} in a group-involved {KIND_LABEL[kind]} reviewed on {day.isoformat()}"
                + ("; linked to an active conflict" if conflict else "")
                + "; known group affiliation and prior gun-related contacts."
            )
            terms = designation_terms(
                city, rng, pk, day, basis, meeting_pk, [i[0] for i in candidates[pk]]
            )
            chains.append((pk, level, terms))
            busy_until[pk] = terms[-1][2] or dt.date.max
            city.designated_at.setdefault(meeting_pk, []).append(pk)
    previous: dict[int, RiskDesignation] = {}
    for count in range(5):
        rows, links = [], []
        for index, (pk, level, terms) in enumerate(chains):
            if len(terms) <= count:
                continue
            designated_on, review_due, ended_on, reason, basis, meeting, incident_pks = terms[count]
            row = RiskDesignation(
                person_id=pk,
                level=level,
                basis=basis,
                basis_meeting_id=meeting,
                designated_by=city.facilitator,
                designated_on=designated_on,
                review_due=review_due,
                renews=previous.get(index),
                renewal_count=count,
                ended_on=ended_on,
                end_reason=reason,
                ended_by=city.facilitator if ended_on else None,
            )
            rows.append((index, row, incident_pks))
        bulk(RiskDesignation, [r for _, r, _ in rows])
        for index, row, incident_pks in rows:
            previous[index] = row
            links += [
                RiskDesignation.basis_incidents.through(riskdesignation_id=row.pk, incident_id=i)
                for i in incident_pks
            ]
        bulk(RiskDesignation.basis_incidents.through, links)
    for pk, level, terms in chains:
        for designated_on, review_due, ended_on, *_ in terms:
            last = (
                review_due if ended_on is None else min(review_due, ended_on - dt.timedelta(days=1))
            )
            city.chains.append((pk, level, designated_on, last))
    shares_create(city, rng, chains)


def designation_terms(
    city: City,
    rng: random.Random,
    pk: int,
    day: dt.date,
    basis: str,
    meeting: int,
    incidents: list[int],
):
    """A chain: the first term and up to 4 renewals (each with a new basis), ending lapsed, withdrawn or open."""
    renewals = rng.choices([0, 1, 2, 3, 4], weights=[25, 25, 22, 15, 13])[0]
    died = city.deceased_on.get(pk)
    terms = []
    designated_on = day
    for count in range(renewals + 1):
        review_due = designated_on + dt.timedelta(days=90)
        terms.append(
            [designated_on, review_due, None, "", basis, meeting, incidents if count == 0 else []]
        )
        if died and died <= review_due:
            terms[-1][2:4] = [max(died, designated_on), RiskDesignation.EndReason.WITHDRAWN]
            return terms
        if count == renewals:
            break
        renewed_on = review_due - dt.timedelta(days=rng.randint(0, 7))
        if renewed_on >= city.today:
            break
        terms[-1][2:4] = [renewed_on, RiskDesignation.EndReason.RENEWED]
        meeting = meeting_on_or_before(city, Meeting.Kind.SHOOTING_REVIEW, renewed_on) or meeting
        basis = rng.choice(RENEWAL_BASES).format(day=renewed_on.isoformat())
        designated_on = renewed_on
    last = terms[-1]
    if last[2] is None and last[1] < city.today - dt.timedelta(days=10):
        if rng.random() < 0.12:
            withdrawn = last[0] + dt.timedelta(days=rng.randint(1, 89))
            last[2:4] = [withdrawn, RiskDesignation.EndReason.WITHDRAWN]
        else:
            last[2:4] = [last[1] + dt.timedelta(days=1), RiskDesignation.EndReason.LAPSED]
    return terms


def shares_create(city: City, rng: random.Random, chains: list) -> None:
    """Most VHR people (and half the high-risk) go on the coordination agenda: shared with the partnership."""
    rows = []
    active_until: dict[int, dt.date] = {}
    for pk, level, terms in sorted(chains, key=lambda c: c[2][0][0]):
        first = terms[0][0]
        if rng.random() >= (0.85 if level == RiskDesignation.Level.VHR else 0.5):
            continue
        meeting = meeting_on_or_after(city, Meeting.Kind.COORDINATION, first)
        if meeting is None or active_until.get(pk, dt.date.min) >= meeting[0]:
            continue
        shared_day, meeting_pk = meeting
        ended_on = terms[-1][2]
        withdrawn_at = None
        if ended_on and (ended_on < city.today - dt.timedelta(days=180) or rng.random() < 0.6):
            withdrawn_day = min(
                ended_on + dt.timedelta(days=rng.randint(0, 14)), city.today - dt.timedelta(days=1)
            )
            withdrawn_at = local_dt(max(withdrawn_day, shared_day), 16)
        interventions = rng.sample(
            [
                Task.Kind.CUSTOM_NOTIFICATION,
                Task.Kind.LIFE_COACH,
                Task.Kind.HOSPITAL_RESPONSE,
                Task.Kind.FAMILY_SUPPORT,
            ],
            k=2,
        )
        label = (
            "very high risk of violence (VHR)"
            if level == RiskDesignation.Level.VHR
            else "high risk of violence"
        )
        rows.append(
            PartnershipShare(
                person_id=pk,
                risk_assessment=f"At {label}; recommended: {', '.join(interventions)}.",
                recommended_interventions=interventions,
                source_meeting_id=meeting_pk,
                shared_by=city.facilitator,
                shared_at=local_dt(shared_day, 11),
                withdrawn_at=withdrawn_at,
                withdrawn_by=city.facilitator if withdrawn_at else None,
                withdrawal_reason="Designation ended; no longer on the coordination list."
                if withdrawn_at
                else "",
            )
        )
        active_until[pk] = withdrawn_at.date() if withdrawn_at else dt.date.max
        city.shared[pk] = shared_day
        city.shared_at_meeting.setdefault(meeting_pk, []).append(pk)
    bulk(PartnershipShare, rows)


def active_index(city: City) -> None:
    """For every day, the people holding an active VHR designation (a sweep over designation terms).

    The worksheet's focus measures count VHR designations, so contacts aim at these people.
    """
    starts, ends = defaultdict(list), defaultdict(list)
    for pk, level, first, last in city.chains:
        if level != RiskDesignation.Level.VHR:
            continue
        starts[first].append(pk)
        ends[last + dt.timedelta(days=1)].append(pk)
    active: dict[int, int] = defaultdict(int)
    current: tuple[int, ...] = ()
    day = city.start - dt.timedelta(days=200)
    while day <= city.today:
        changed = False
        for pk in ends.pop(day, []):
            active[pk] -= 1
            changed = True
        for pk in starts.pop(day, []):
            active[pk] += 1
            changed = True
        if changed:
            current = tuple(sorted(pk for pk, n in active.items() if n > 0))
        city.active_by_day[day] = current
        day += dt.timedelta(days=1)


def alive_on(city: City, pk: int, day: dt.date) -> bool:
    died = city.deceased_on.get(pk)
    return died is None or died > day


# --- Agenda items and tasks --------------------------------------------------------------------


def agenda_create(city: City) -> None:
    """The closed meetings' agendas, as the seed's agendas order them."""
    rows = []
    for meeting_pk, day, start, end in city.review_windows:
        if day >= city.today:
            continue
        rows.append(
            AgendaItem(
                meeting_id=meeting_pk,
                section="prior_deliverables",
                order=0,
                title="Review prior deliverables",
            )
        )
        order, non_injury = 1, 0
        for occurred_at, incident_pk, kind, area, *_ in incidents_in_window(city, start, end):
            if kind == NON_INJURY:
                non_injury += 1
                continue
            label = "Homicide" if kind == HOMICIDE else "Non-fatal injury shooting"
            title = f"{label}, Area {area_label(area)}, {occurred_at.astimezone(selectors.local_tz()):%a %d %b %H:%M}"
            rows.append(
                AgendaItem(
                    meeting_id=meeting_pk,
                    section="shootings",
                    order=order,
                    title=title,
                    incident_id=incident_pk,
                )
            )
            order += 1
        rows.append(
            AgendaItem(
                meeting_id=meeting_pk,
                section="shootings",
                order=order,
                title=f"Non-injury shootings: {non_injury}",
            )
        )
        for pk in city.designated_at.get(meeting_pk, []):
            order += 1
            rows.append(
                AgendaItem(
                    meeting_id=meeting_pk,
                    section="risk_assessment",
                    order=order,
                    title="Risk designation",
                    person_id=pk,
                )
            )
        rows.append(
            AgendaItem(
                meeting_id=meeting_pk,
                section="new_tasks",
                order=order + 1,
                title="Assign new deliverables",
            )
        )
    risk_alignment = dict(
        Meeting.objects.filter(kind=Meeting.Kind.COORDINATION).values_list("pk", "risk_alignment")
    )
    for _day, meeting_pk in city.meetings.get(Meeting.Kind.COORDINATION, []):
        rows.append(
            AgendaItem(
                meeting_id=meeting_pk,
                section="risk",
                order=0,
                title="Review shootings and the assessment of risk",
                is_risk_alignment=risk_alignment[meeting_pk],
            )
        )
        for order, pk in enumerate(city.shared_at_meeting.get(meeting_pk, []), start=1):
            rows.append(
                AgendaItem(
                    meeting_id=meeting_pk,
                    section="risk",
                    order=order,
                    title="Shared for coordination",
                    person_id=pk,
                )
            )
        rows.append(
            AgendaItem(
                meeting_id=meeting_pk,
                section="strategy",
                order=100,
                title="Refine near-term strategy",
            )
        )
        rows.append(
            AgendaItem(
                meeting_id=meeting_pk,
                section="chronic_risk",
                order=101,
                title="Chronically high-risk individuals",
            )
        )
        rows.append(
            AgendaItem(
                meeting_id=meeting_pk,
                section="partnership_health",
                order=102,
                title="Partnership health",
            )
        )
    for _, meeting_pk in city.meetings.get(Meeting.Kind.PERFORMANCE_REVIEW, []):
        for order, (section, title) in enumerate(
            [
                ("outcomes", "Outcome indicators"),
                ("activities", "Activity indicators"),
                ("next_steps", "Running conversation and next steps"),
            ]
        ):
            rows.append(
                AgendaItem(meeting_id=meeting_pk, section=section, order=order, title=title)
            )
    bulk(AgendaItem, rows)


TASK_TEMPLATES = {
    Meeting.Kind.SHOOTING_REVIEW: [
        (
            Task.Kind.INFORMATION_GATHERING,
            "police",
            "Identify the shooter's associates and vehicle",
            "person",
        ),
        (
            Task.Kind.INFORMATION_GATHERING,
            "police",
            "Confirm group affiliation with the area CRT",
            "person",
        ),
        (Task.Kind.CUSTOM_NOTIFICATION, "police", "Deliver a custom notification", "person"),
        (Task.Kind.ENFORCEMENT, "police", "Update the enforcement plan for the group", "group"),
        (
            Task.Kind.INFORMATION_GATHERING,
            "police",
            "Map the current state of the conflict",
            "conflict",
        ),
        (Task.Kind.HOSPITAL_RESPONSE, "hospital", "Bedside visit to the wounded victim", "person"),
        (Task.Kind.ENFORCEMENT, "probation", "Compliance check on supervisee", "person"),
    ],
    Meeting.Kind.COORDINATION: [
        (Task.Kind.LIFE_COACH, "life_coaches", "Life-coach outreach and enrolment offer", "person"),
        (Task.Kind.FAMILY_SUPPORT, "family", "Support for the victim's family", "person"),
        (Task.Kind.CONFLICT_MEDIATION, "outreach", "Mediate between the groups", "conflict"),
        (Task.Kind.STREET_OUTREACH, "outreach", "Street outreach on the block", "group"),
        (Task.Kind.IN_REACH, "reentry", "Jail in-reach before release", "person"),
        (Task.Kind.SERVICE_REFERRAL, "hsd", "Referral to job training", "person"),
        (
            Task.Kind.HOSPITAL_RESPONSE,
            "hospital",
            "Hospital response for the latest victim",
            "person",
        ),
        (Task.Kind.OTHER, "faith", "Community vigil and outreach walk", None),
    ],
    Meeting.Kind.PERFORMANCE_REVIEW: [
        (Task.Kind.OTHER, "hsd", "Reconcile risk definitions for the client pool", None),
        (Task.Kind.OTHER, "police", "Fill CRT vacancies", None),
        (Task.Kind.OTHER, "mayor", "Convene custom-notification training", None),
        (Task.Kind.SERVICE_REFERRAL, "hsd", "Expand life-coach capacity", None),
        (Task.Kind.OTHER, "police", "Bring enforcement plans up to date", None),
    ],
}
ASSIGNEE = {
    "police": "facilitator",
    "life_coaches": "case_manager",
    "hsd": "partner_lead",
    "faith": "community_partner",
}
UPDATE_NOTES = [
    "Contact made; follow-up scheduled.",
    "Waiting on information from the area CRT.",
    "Done; see notes.",
    "Attempted twice, could not locate.",
]


def task_status(rng: random.Random, due: dt.date, today: dt.date) -> str:
    """Older tasks mostly done, recent ones open; a few stay open past their due date (overdue)."""
    if due < today - dt.timedelta(days=120):
        weights = {
            "done": 91,
            "cancelled": 9,
        }  # a live partnership closes or cancels what is months old
    elif due < today - dt.timedelta(days=30):
        weights = {"done": 88, "cancelled": 7, "open": 3, "in_progress": 1, "blocked": 1}
    elif due < today:
        weights = {"done": 50, "in_progress": 20, "open": 20, "blocked": 10}
    else:
        weights = {"open": 50, "in_progress": 35, "done": 10, "blocked": 5}
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def tasks_create(city: City) -> list[Task]:
    rng = rng_for(city.options, "tasks")
    per_meeting = {
        Meeting.Kind.SHOOTING_REVIEW: 4,
        Meeting.Kind.COORDINATION: 5,
        Meeting.Kind.PERFORMANCE_REVIEW: 4,
    }
    shared = sorted((day, pk) for pk, day in city.shared.items())
    windows = {pk: (start, end) for pk, _, start, end in city.review_windows}
    conflicts = [c[0] for c in city.conflicts]
    active_groups = [g for groups in city.groups_by_area.values() for g in groups]
    rows: list[Task] = []
    for kind, meetings in city.meetings.items():
        for day, meeting_pk in meetings:
            if kind == Meeting.Kind.SHOOTING_REVIEW:
                pool = sorted(
                    {
                        pk
                        for *_, who in incidents_in_window(city, *windows[meeting_pk])
                        for pk, _ in who
                    }
                )
            else:
                recent = shared[: bisect.bisect_right(shared, (day, float("inf")))][-200:]
                pool = [pk for _, pk in recent]
            pool = [pk for pk in pool if alive_on(city, pk, day)]
            for _ in range(
                scaled(
                    rng,
                    rng.uniform(per_meeting[kind] - 2, per_meeting[kind] + 2),
                    city.options.scale,
                )
            ):
                rows.append(
                    task_build(city, rng, kind, day, meeting_pk, pool, conflicts, active_groups)
                )
    bulk(Task, rows)
    task_updates_create(city, rng, rows)
    return rows


def task_build(city, rng, kind, day, meeting_pk, pool, conflicts, groups) -> Task:
    task_kind, org_key, title, subject = rng.choice(TASK_TEMPLATES[kind])
    due = day + dt.timedelta(days=rng.choice([7, 7, 14, 14, 21, 28, 42]))
    status = task_status(rng, due, city.today)
    created_at = local_dt(day, 13, rng.randrange(60))
    task = Task(
        title=title,
        kind=task_kind,
        assigned_organisation=city.orgs[org_key],
        due_date=due,
        status=status,
        source_meeting_id=meeting_pk,
        created_at=created_at,
        updated_at=created_at,
        created_by=city.users[
            "executive" if kind == Meeting.Kind.PERFORMANCE_REVIEW else "facilitator"
        ],
    )
    if org_key in ASSIGNEE and rng.random() < 0.35:
        task.assigned_user = city.users[ASSIGNEE[org_key]]
    if subject == "person" and pool:
        task.subject_person_id = rng.choice(pool)
    elif subject == "conflict":
        task.subject_conflict_id = rng.choice(conflicts)
    elif subject == "group":
        task.subject_group_id = rng.choice(groups)
    if status == Task.Status.DONE:
        done_day = min(
            day + dt.timedelta(days=rng.randint(2, (due - day).days + 10)),
            city.today - dt.timedelta(days=1),
        )
        task.completed_at = max(
            local_dt(done_day, 17, rng.randrange(60)), created_at + dt.timedelta(hours=1)
        )
        task.updated_at = task.completed_at
    return task


def task_updates_create(city: City, rng: random.Random, tasks: list[Task]) -> None:
    rows = []
    now_cap = city.cutoff
    for task in tasks:
        author = (
            task.assigned_user
            or city.users[
                "facilitator"
                if task.assigned_organisation == city.orgs["police"]
                else "partner_lead"
            ]
        )
        if task.status == Task.Status.OPEN:
            if rng.random() < 0.3:
                at = min(task.created_at + dt.timedelta(days=rng.randint(1, 6)), now_cap)
                rows.append(
                    TaskUpdate(
                        task=task, author=author, created_at=at, note=rng.choice(UPDATE_NOTES)
                    )
                )
            continue
        end = task.completed_at or min(
            task.created_at + dt.timedelta(days=rng.randint(2, 20)), now_cap
        )
        if task.status == Task.Status.DONE and rng.random() < 0.5:
            mid = task.created_at + (end - task.created_at) / 2
            rows.append(
                TaskUpdate(
                    task=task,
                    author=author,
                    created_at=mid,
                    note=UPDATE_NOTES[0],
                    status_from="open",
                    status_to="in_progress",
                )
            )
            rows.append(
                TaskUpdate(
                    task=task,
                    author=author,
                    created_at=end,
                    note=UPDATE_NOTES[2],
                    status_from="in_progress",
                    status_to="done",
                )
            )
        else:
            note = (
                UPDATE_NOTES[3]
                if task.status == Task.Status.BLOCKED
                else rng.choice(UPDATE_NOTES[:3])
            )
            rows.append(
                TaskUpdate(
                    task=task,
                    author=author,
                    created_at=end,
                    note=note,
                    status_from="open",
                    status_to=task.status,
                )
            )
    bulk(TaskUpdate, rows)


# --- Contacts and interventions (feed the worksheet) -------------------------------------------


def month_starts(first: dt.date, last: dt.date) -> list[dt.date]:
    months, day = [], first.replace(day=1)
    while day <= last:
        months.append(day)
        day = (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return months


def risk_pick(city: City, rng: random.Random, day: dt.date, focus: float) -> int | None:
    """Someone with an active VHR designation on ``day`` with probability ``focus``, else someone known to police."""
    active = city.active_by_day.get(day, ())
    for _ in range(5):
        if active and rng.random() < focus:
            pk = active[rng.randrange(len(active))]
        elif city.risky:
            pk = city.risky[rng.randrange(len(city.risky))]
        else:
            return None
        if alive_on(city, pk, day):
            return pk
    return None


def random_day(rng: random.Random, month: dt.date, before: dt.date) -> dt.date | None:
    last = min(selectors.month_end(month.year, month.month), before - dt.timedelta(days=1))
    if last < month:
        return None
    return month + dt.timedelta(days=rng.randint(0, (last - month).days))


def contacts_create(city: City, tasks: list[Task]) -> None:
    rng = rng_for(city.options, "contacts")
    scale, today = city.options.scale, city.today
    referrals: list[tuple[int, dt.date, str]] = []
    # Call-ins every 2–3 months, 10–25 attendees, nearly all at highest risk.
    call_ins, attendee_links = [], []
    day = city.start + dt.timedelta(days=rng.randint(10, 40))
    while day < today:
        wanted, people = scaled(rng, rng.randint(10, 25), scale), set()
        for _ in range(wanted * 3):
            if len(people) >= wanted:
                break
            if pk := risk_pick(city, rng, day, 0.92):
                people.add(pk)
        call_in = CallIn(
            held_on=day,
            location=rng.choice(
                ["City Hall", "Allen Temple Baptist Church", "Police Administration Building"]
            ),
            recorded_by=city.facilitator,
        )
        call_ins.append((call_in, sorted(people)))
        referrals += [
            (pk, day + dt.timedelta(days=rng.randint(0, 21)), "call_in")
            for pk in sorted(people)
            if rng.random() < 0.4
        ]
        day += dt.timedelta(days=rng.randint(56, 91))
    bulk(CallIn, [c for c, _ in call_ins])
    for call_in, people in call_ins:
        attendee_links += [
            CallIn.attendees.through(callin_id=call_in.pk, person_id=pk) for pk in people
        ]
    bulk(CallIn.attendees.through, attendee_links)
    # Custom notifications: 20–40 a month, plus the ones that complete a custom-notification task.
    notifications = []
    for month in month_starts(city.start, today):
        for _ in range(scaled(rng, rng.randint(20, 40), scale)):
            day = random_day(rng, month, today)
            pk = risk_pick(city, rng, day, 0.9) if day else None
            if pk:
                notifications.append(notification_build(city, rng, pk, day, None))
    for task in tasks:
        if (
            task.kind == Task.Kind.CUSTOM_NOTIFICATION
            and task.status == Task.Status.DONE
            and task.subject_person_id
        ):
            notifications.append(
                notification_build(
                    city,
                    rng,
                    task.subject_person_id,
                    task.completed_at.astimezone(selectors.local_tz()).date(),
                    task,
                )
            )
    bulk(CustomNotification, notifications)
    referrals += [
        (n.person_id, n.delivered_on + dt.timedelta(days=rng.randint(0, 14)), "custom_notification")
        for n in notifications
        if n.help_accepted
    ]
    # Other referral routes, per month.
    newcomers: list[tuple[Person, dt.date]] = []
    for month in month_starts(city.start, today):
        for source, low, high, focus in (("ceasefire_other", 2, 5, 1.0), ("outreach", 3, 6, 0.3)):
            for _ in range(scaled(rng, rng.randint(low, high), scale)):
                day = random_day(rng, month, today)
                pk = risk_pick(city, rng, day, focus) if day else None
                if pk:
                    referrals.append((pk, day, source))
        for _ in range(scaled(rng, rng.randint(5, 9), scale)):
            day = random_day(rng, month, today)
            if day:
                area = rng.choices(AREA_IDS, weights=AREA_WEIGHTS)[0]
                newcomers.append(
                    (PeopleMaker(city, rng).new(area, day, "client", risky=False), day)
                )
    bulk(Person, [p for p, _ in newcomers])
    referrals += [(p.pk, day, "non_ceasefire_other") for p, day in newcomers]
    enrolments_create(city, rng, referrals)
    enforcement_create(city, rng)


def notification_build(
    city: City, rng: random.Random, pk: int, day: dt.date, task: Task | None
) -> CustomNotification:
    outcome = rng.choices(list(CustomNotification.Outcome), weights=[80, 5, 10, 5])[0]
    by_police = rng.random() < 0.6
    return CustomNotification(
        person_id=pk,
        delivered_on=day,
        delivered_by=rng.choice(
            [
                "Sgt. Ortega (Ceasefire Unit) and a life coach",
                "Officer Lam and Pastor Holloway",
                "Ceasefire Unit officer and outreach worker",
            ]
        ),
        delivering_organisation=city.orgs["police" if by_police else "life_coaches"],
        outcome=outcome,
        help_accepted=outcome == CustomNotification.Outcome.DELIVERED and rng.random() < 0.45,
        task=task,
        notes="Letter delivered at home with family present." if outcome == "delivered" else "",
        recorded_by=city.facilitator,
        recorded_at=local_dt(day, 18),
    )


EXIT_REASONS = [
    "Completed the programme",
    "Lost contact",
    "Moved out of the area",
    "In custody",
    "Declined further services",
]


def enrolments_create(
    city: City, rng: random.Random, referrals: list[tuple[int, dt.date, str]]
) -> None:
    """Enrolments (one open per person and provider), some exits, and service contacts for each."""
    rows, open_until = [], {}
    for pk, start, source in sorted(referrals, key=lambda r: (r[1], r[0], r[2])):
        if start >= city.today or not alive_on(city, pk, start):
            continue
        provider = city.orgs[rng.choice(PROVIDER_KEYS)]
        if open_until.get((pk, provider.pk), dt.date.min) >= start:
            continue
        end = start + dt.timedelta(days=rng.randint(60, 540))
        died = city.deceased_on.get(pk)
        ended_on, reason = None, ""
        if died and died < end:
            end, reason = max(died, start), "Deceased"
        if end < city.today:
            ended_on, reason = end, reason or rng.choice(EXIT_REASONS)
        rows.append(
            Enrolment(
                person_id=pk,
                provider=provider,
                referral_source=source,
                started_on=start,
                ended_on=ended_on,
                exit_reason=reason,
                recorded_by=city.users["case_manager"],
            )
        )
        open_until[(pk, provider.pk)] = ended_on or dt.date.max
    bulk(Enrolment, rows)
    contacts = []
    for enrolment in rows:
        last = min(enrolment.ended_on or city.today, city.today - dt.timedelta(days=1))
        span = (last - enrolment.started_on).days
        for _ in range(rng.randint(2, 6) if span >= 0 else 0):
            contacts.append(
                ServiceContact(
                    person_id=enrolment.person_id,
                    organisation=enrolment.provider,
                    contacted_on=enrolment.started_on + dt.timedelta(days=rng.randint(0, span)),
                    kind=rng.choice(
                        [
                            Task.Kind.LIFE_COACH,
                            Task.Kind.LIFE_COACH,
                            Task.Kind.SERVICE_REFERRAL,
                            Task.Kind.FAMILY_SUPPORT,
                        ]
                    ),
                    notes=rng.choice(
                        [
                            "Weekly check-in.",
                            "Helped with ID documents.",
                            "Drove to a job interview.",
                            "Met family at home.",
                        ]
                    ),
                    recorded_by=city.users["case_manager"],
                )
            )
    bulk(ServiceContact, contacts)


def enforcement_create(city: City, rng: random.Random) -> None:
    """Enforcement actions (area units ~55% on VHR, specialised ~90%) and group enforcement plans."""
    rows = []
    kinds = list(EnforcementAction.Kind)
    unit_weights = [2 if u.kind == Unit.Kind.SPECIALISED else 3 for u in city.units]
    all_groups = [g for groups in city.groups_by_area.values() for g in groups]
    for month in month_starts(city.start, city.today):
        for _ in range(scaled(rng, rng.randint(25, 45), city.options.scale)):
            day = random_day(rng, month, city.today)
            if day is None:
                continue
            unit = rng.choices(city.units, weights=unit_weights)[0]
            action = EnforcementAction(
                unit=unit,
                taken_on=day,
                kind=rng.choices(kinds, weights=[25, 20, 20, 20, 15])[0],
                recorded_by=city.facilitator,
            )
            if rng.random() < 0.1:
                action.group_id = rng.choice(all_groups)
            else:
                action.person_id = risk_pick(
                    city, rng, day, 0.9 if unit.kind == Unit.Kind.SPECIALISED else 0.55
                )
                if action.person_id is None:
                    action.group_id = rng.choice(all_groups)
            rows.append(action)
    bulk(EnforcementAction, rows)
    plans = []
    for _, group_a, group_b, started, _ended, status in city.conflicts:
        if status == "dormant":
            continue
        for month in month_starts(max(started, city.start), city.today):
            for group in (group_a, group_b):
                if group:
                    plans.append(
                        EnforcementPlanStatus(
                            group_id=group,
                            recorded_on=month,
                            up_to_date=rng.random() < 0.8,
                            recorded_by=city.facilitator,
                        )
                    )
    bulk(EnforcementPlanStatus, plans)


# --- Benchmarks ------------------------------------------------------------------------------------


def benchmarks_create(city: City) -> None:
    """Outcome targets are 90% of the previous year's actual; activity targets as in the seed worksheet."""
    rows = []
    scale = city.options.scale
    for year in range(city.options.since, city.today.year + 1):
        previous = city.yearly.get(year - 1) or year_levels(city.options, year - 1)
        targets = {
            Indicator.HOMICIDES: round(previous[0] * 0.9),
            Indicator.NONFATAL_INJURY_SHOOTINGS: round(previous[1] * 0.9),
            Indicator.NON_INJURY_SHOOTINGS: round(previous[2] * 0.9),
            Indicator.COMMUNICATION: round(300 * scale),
            Indicator.CASE_MANAGEMENT: round(250 * scale),
            Indicator.ENFORCEMENT: 50,
            Indicator.PARTNERSHIP: 24,
        }
        rows += [
            Benchmark(
                indicator=indicator,
                year=year,
                annual_target=max(target, 1),
                set_by=city.users["admin"],
                set_at=local_dt(dt.date(year, 1, 1), 9),
            )
            for indicator, target in targets.items()
        ]
    bulk(Benchmark, rows)


# --- Entry points --------------------------------------------------------------------------------

# Deleted in dependency order by ``demo_reset`` (link tables and leaves first, so the big deletes
# are plain DELETEs); organisations, users, units and settings are updated in place instead
# (audit events point at users and are append-only).
RESET_ORDER = [
    TaskUpdate,
    CustomNotification,
    ServiceContact,
    Task,
    AgendaItem,
    PartnershipShare,
    RiskDesignation.basis_incidents.through,
    RiskDesignation,
    CallIn.attendees.through,
    CallIn,
    Enrolment,
    EnforcementAction,
    EnforcementPlanStatus,
    UnitStaffing,
    Benchmark,
    Involvement,
    Incident.groups.through,
    Incident.related_incidents.through,
    Incident,
    GroupAffiliation,
    Person,
    Meeting,
    Conflict,
    Group,
]
COUNTED_MODELS = [
    Organisation,
    User,
    Unit,
    Group,
    Conflict,
    Person,
    GroupAffiliation,
    Incident,
    Involvement,
    RiskDesignation,
    PartnershipShare,
    Meeting,
    AgendaItem,
    Task,
    TaskUpdate,
    CallIn,
    CustomNotification,
    Enrolment,
    ServiceContact,
    EnforcementAction,
    UnitStaffing,
    EnforcementPlanStatus,
    Benchmark,
]


def demo_data_exists() -> bool:
    return Incident.objects.exists()


@transaction.atomic
def demo_reset() -> None:
    RiskDesignation.objects.update(renews=None)
    for model in RESET_ORDER:
        model.objects.all().delete()


@transaction.atomic
def demo_seed(options: DemoOptions) -> DemoSummary:
    """Generate the whole demo city. Expects no incidents (see ``demo_reset``)."""
    city = City(options=options)
    organisations_create(city)
    users_create(city)
    units_create(city)
    groups_create(city)
    conflicts_create(city)
    meetings_create(city)
    incidents_create(city)
    designations_create(city)
    active_index(city)
    agenda_create(city)
    tasks = tasks_create(city)
    contacts_create(city, tasks)
    benchmarks_create(city)
    return demo_summary(options)


def demo_summary(options: DemoOptions) -> DemoSummary:
    per_year = {}
    for year in range(options.since, options.today.year + 1):
        per_year[year] = selectors.victim_counts(
            *selectors.day_window(dt.date(year, 1, 1), dt.date(year, 12, 31))
        )
    rows = {
        model._meta.verbose_name_plural.capitalize(): model.objects.count()
        for model in COUNTED_MODELS
    }
    users = [
        (username, Role(role).label, next(name for key, name, _ in ORGANISATIONS if key == org))
        for username, role, org, *_ in DEMO_USERS
    ]
    return DemoSummary(per_year=per_year, rows=rows, users=users)
