"""Incidents year by year: exact yearly victim counts, seasonality, victims, suspects, groups."""

from __future__ import annotations

import datetime as dt
import gc
import random
from collections.abc import Iterable
from dataclasses import dataclass

from ceasefire.core.models import Incident, Involvement, Person

from .city import (
    FATAL,
    FIREARM,
    HOMICIDE,
    HOUR_WEIGHTS,
    NON_INJURY,
    NONFATAL,
    NONFATAL_SHOOTING,
    UNHURT,
    City,
    Shot,
    address_for,
    area_label,
    bulk,
    day_weight,
    local_dt,
    random_area,
    rng_for,
    year_levels,
)
from .loading import unsaved, victim_counts_set, without_victim_recount
from .people import PeopleMaker

NARRATIVES = {
    "group_conflict": [
        "Victim standing outside a corner store on {street} when occupants of a dark sedan fired "
        "multiple rounds. Believed retaliation in the ongoing dispute.",
        "Shots fired from a passing car at a group gathered near {street}; casings from two "
        "firearms. Linked by sources to the ongoing conflict.",
        "Victim chased on foot and shot near {street}. Associates refuse to cooperate; "
        "social-media posts suggest retaliation.",
    ],
    "personal_dispute": [
        "Argument between acquaintances outside a residence on {street} escalated; suspect "
        "produced a handgun.",
        "Dispute over a debt at a sideshow near {street}; one shooter, several witnesses.",
    ],
    "domestic": ["Shooting followed a domestic disturbance call at a residence on {street}."],
    "robbery": ["Victim shot during a street robbery on {street}; phone and wallet taken."],
    "other": ["Shooting during a large gathering near {street}; motive unclear."],
    "unknown": [
        "ShotSpotter activation near {street}; casings recovered. No cooperative witnesses.",
        "Victim arrived at the hospital by private car; says he was shot near {street} but gives "
        "no details.",
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
IDENTIFIED_SHARE = {FATAL: 0.97, NONFATAL: 0.85, UNHURT: 0.7}
STORYLINE_SHOOTINGS = 2
SUSPECT_SHARE = {HOMICIDE: 0.5, NONFATAL_SHOOTING: 0.25, NON_INJURY: 0.08}


@dataclass
class Spec:
    """One incident before it becomes a row: its kind, victims' injuries and counting status."""

    kind: str
    weapon: str
    injuries: list[str]
    status: str = Incident.CountingStatus.COUNTED
    reason: str = ""
    occurred_at: dt.datetime | None = None
    conflict: int | None = None  # this week's storyline: a shooting in the hottest conflict
    side: int | None = None  # ... whose (first) victim is a known member of this group


@dataclass
class Setting:
    """Where and among whom an incident happens."""

    area: int
    groups: list[int]
    conflict: int | None
    circumstance: str
    group_involved: str


def incident_specs(
    rng: random.Random, homicides: int, nonfatal: int, non_injury: int
) -> list[Spec]:
    """Counted incidents adding up exactly to the year's victims, plus held/unfounded extras."""
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
    specs += _not_counted_specs(rng, homicides, nonfatal_total(specs), non_injury)
    return specs


def _not_counted_specs(rng: random.Random, homicides: int, nonfatal: int, non_injury: int):
    extras = [
        (HOMICIDE, [FATAL], homicides * 0.02),
        (NONFATAL_SHOOTING, [NONFATAL], nonfatal * 0.015),
        (NON_INJURY, [], non_injury * 0.02),
    ]
    specs = []
    for kind, injuries, expected in extras:
        status = (
            Incident.CountingStatus.UNFOUNDED
            if kind == NON_INJURY
            else Incident.CountingStatus.HELD
        )
        for _ in range(int(expected + rng.random())):
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


def incidents_create(city: City) -> None:
    """Incidents year by year, each year written before the next is generated (bounded memory)."""
    rng = rng_for(city.options, "incidents")
    people = PeopleMaker(city, rng_for(city.options, "people"))
    years = range(city.options.since, city.today.year + 1)
    for year in years:
        city.progress.draw("incidents", (year - years[0]) / len(years), str(year))
        specs = incident_times(
            rng, city, year, incident_specs(rng, *year_levels(city.options, year))
        )
        if year == city.today.year:
            storyline_mark(city, specs)
        facts = _year_build(city, rng, people, year, specs)
        people.flush()
        for incident, *_, involvements in facts:
            victim_counts_set(incident, involvements)
        bulk(Incident, [f[0] for f in facts])
        with without_victim_recount():
            bulk(Involvement, [i for f in facts for i in f[4]])
        city.yearly[year] = _year_record(city, facts)
        bulk(
            Incident.groups.through,
            [
                unsaved(Incident.groups.through, incident_id=incident.pk, group_id=g)
                for incident, _, groups, _, _ in facts
                for g in groups
            ],
        )
        related_incidents_link(rng, facts)
        _deaths_record(city, facts)
        gc.freeze()  # the year's people and facts live on: out of the collector's scans (seed.py)
    city.risky = sorted({p.pk for pool in people.pool.values() for p in pool})
    people.activity_record()


def storyline_mark(city: City, specs: list[Spec]) -> None:
    """This week the hottest conflict flares: the latest shootings of the open review's window
    (non-fatal ones first, then shots fired at someone unhurt) are shootings in it, each first
    victim a member of one side. So the review a user opens first suggests people at imminent
    risk on them: the victims' fellow members and the opposing group's."""
    window = next((w for w in city.review_windows if w[0] == city.open_review), None)
    hot = next((c for c in city.conflicts if c[5] == "hot" and c[2]), None)
    if window is None or hot is None:
        return
    recent = [
        s
        for s in specs
        if s.status == Incident.CountingStatus.COUNTED
        and s.weapon == FIREARM
        and s.occurred_at >= window[2]
    ]
    chosen = [s for s in recent if s.kind == NONFATAL_SHOOTING][-STORYLINE_SHOOTINGS:]
    missing = STORYLINE_SHOOTINGS - len(chosen)
    chosen += [s for s in recent if s.kind == NON_INJURY][-missing:] if missing else []
    for n, spec in enumerate(chosen):
        spec.conflict, spec.side = hot[0], hot[1 + n % 2]
        spec.injuries = spec.injuries or [UNHURT]


def _year_build(city: City, rng, people: PeopleMaker, year: int, specs: list[Spec]) -> list:
    """(incident, kind, group pks, conflict pk, involvements) per spec, all unsaved."""
    facts = []
    seq = rng.randint(100, 900)
    gap = max(2, int(40 / max(city.options.scale, 1)))
    for spec in specs:
        seq += rng.randint(1, gap)
        incident, involvements, groups, conflict = incident_build(
            city, rng, people, spec, f"{year % 100:02d}-{seq:06d}"
        )
        facts.append((incident, spec.kind, groups, conflict, involvements))
    return facts


def _year_record(city: City, facts: list) -> tuple[int, int, int]:
    """Remember the counted incidents (for meetings and designations) and the year's counts."""
    homicides = nonfatal = non_injury = 0
    for incident, kind, groups, conflict, involvements in facts:
        city.logged.append(_shot(incident, kind, groups, conflict, involvements))
        if incident.counting_status != Incident.CountingStatus.COUNTED:
            continue
        who = [(i.person.pk, i.role) for i in involvements if i.person is not None]
        area = int(incident.area.split()[-1])
        city.incidents.append(
            (incident.occurred_at, incident.pk, kind, area, conflict, groups, who)
        )
        injuries = [i.injury for i in involvements]
        homicides += injuries.count(FATAL)
        nonfatal += injuries.count(NONFATAL) if incident.weapon == FIREARM else 0
        non_injury += kind == NON_INJURY
    return homicides, nonfatal, non_injury


def _shot(incident: Incident, kind: str, groups, conflict, involvements) -> Shot:
    return Shot(
        occurred_at=incident.occurred_at,
        pk=incident.pk,
        case_number=incident.case_number,
        kind=kind,
        counted=incident.counting_status == Incident.CountingStatus.COUNTED,
        circumstance=incident.circumstance,
        conflict=conflict,
        groups=groups,
        victims=[
            (i.person.pk if i.person else None, i.injury)
            for i in involvements
            if i.role == Involvement.Role.VICTIM
        ],
        address=incident.address,
        area=incident.area,
        weapon=incident.weapon,
        group_involved=incident.group_involved,
        counting_status=incident.counting_status,
    )


def _deaths_record(city: City, facts: list) -> None:
    killed = [i.person for f in facts for i in f[4] if i.injury == FATAL and i.person is not None]
    for person in killed:
        city.deceased_on.setdefault(person.pk, person._killed_on)
    deceased = [p.pk for p in killed]
    for chunk in range(0, len(deceased), 500):
        Person.objects.filter(pk__in=deceased[chunk : chunk + 500]).update(deceased=True)


def incident_build(
    city: City, rng: random.Random, people: PeopleMaker, spec: Spec, case_number: str
):
    """One incident with its victims, suspects and linked groups/conflict (unsaved rows)."""
    setting = _setting(city, rng, spec)
    address, beat, lat, lon = address_for(rng, setting.area)
    incident = unsaved(
        Incident,
        case_number=case_number,
        occurred_at=spec.occurred_at,
        address=address,
        area=area_label(setting.area),
        beat=beat,
        latitude=lat,
        longitude=lon,
        weapon=spec.weapon,
        circumstance=setting.circumstance,
        group_involved=setting.group_involved,
        conflict_id=setting.conflict,
        narrative=_narrative(rng, spec, setting.circumstance, address.split(" of ", 1)[1]),
        counting_status=spec.status,
        counting_reason=spec.reason,
        created_at=spec.occurred_at + dt.timedelta(hours=rng.randint(1, 30)),
        created_by=city.facilitator,
    )
    incident.created_at = min(incident.created_at, city.cutoff)
    seen: set[int] = set()
    involvements = _victims(rng, people, spec, setting, incident, seen)
    involvements += _others(rng, people, spec, setting, incident, seen)
    return incident, involvements, setting.groups, setting.conflict


def _setting(city: City, rng: random.Random, spec: Spec) -> Setting:
    injury_incident = spec.kind != NON_INJURY
    involved = rng.random() < (0.5 if injury_incident else 0.42)
    area = random_area(rng)
    if spec.conflict:
        _, a, b, *_ = next(c for c in city.conflicts if c[0] == spec.conflict)
        circumstance, yes = Incident.Circumstance.GROUP_CONFLICT, Incident.GroupInvolved.YES
        return Setting(city.group_area[spec.side], [a, b], spec.conflict, circumstance, yes)
    if involved:
        return _group_setting(city, rng, spec.occurred_at.date(), area)
    circumstance = rng.choices(
        ["personal_dispute", "domestic", "robbery", "other", "unknown"],
        weights=[30, 10, 12, 8, 40],
    )[0]
    group_involved = rng.choices(
        [Incident.GroupInvolved.NO, Incident.GroupInvolved.UNKNOWN], weights=[45, 55]
    )[0]
    if spec.weapon != FIREARM:
        circumstance = rng.choice(["personal_dispute", "domestic"])
    return Setting(area, [], None, circumstance, group_involved)


def _group_setting(city: City, rng: random.Random, day: dt.date, area: int) -> Setting:
    """A group-involved shooting: in a live conflict (hot ones most often) or among local groups."""
    live = [c for c in city.conflicts if c[3] <= day <= c[4]]
    conflict = None
    if live and rng.random() < 0.45:
        weights = [{"hot": 4, "active": 2}.get(c[5], 1) for c in live]
        pick = rng.choices(live, weights=weights)[0]
        conflict, groups = pick[0], [g for g in (pick[1], pick[2]) if g]
        area = city.group_area[groups[0]]
    else:
        groups = rng.sample(city.groups_by_area[area], k=rng.choice([1, 1, 2]))
    return Setting(
        area, groups, conflict, Incident.Circumstance.GROUP_CONFLICT, Incident.GroupInvolved.YES
    )


def _narrative(rng: random.Random, spec: Spec, circumstance: str, street: str) -> str:
    if spec.kind != NON_INJURY:
        narrative = rng.choice(NARRATIVES[circumstance]).format(street=street)
    else:
        narrative = rng.choice(NON_INJURY_NARRATIVES).format(street=street, n=rng.randint(2, 14))
    if spec.weapon != FIREARM:
        narrative = f"Victim stabbed during a {circumstance.replace('_', ' ')} near {street}."
    return narrative


def _victims(rng, people: PeopleMaker, spec: Spec, setting: Setting, incident, seen) -> list:
    day, groups = spec.occurred_at.date(), setting.groups
    involvements = []
    for index, injury in enumerate(spec.injuries):
        person = None
        if spec.side and index == 0:
            person = people.new(setting.area, day, "victim", risky=True)
            people.affiliate(person, spec.side, day)
        elif rng.random() < IDENTIFIED_SHARE[injury]:
            person = people.pick(
                setting.area, day, "victim", groups, reuse=0.25 if groups else 0.05
            )
            if id(person) in seen:
                person = people.new(setting.area, day, "victim", risky=bool(groups))
        if person is not None:
            seen.add(id(person))
            if injury == FATAL:
                person.deceased = True
                person._killed_on = day
        involvements.append(
            unsaved(
                Involvement,
                incident=incident,
                person=person,
                role=Involvement.Role.VICTIM,
                injury=injury,
                notes="" if person else "Not yet identified",
            )
        )
    return involvements


def _others(rng, people: PeopleMaker, spec: Spec, setting: Setting, incident, seen) -> list:
    """Suspects, associates at risk and witnesses."""
    day, groups = spec.occurred_at.date(), setting.groups
    injury_incident = spec.kind != NON_INJURY
    roles = []
    if rng.random() < SUSPECT_SHARE[spec.kind]:
        roles += [Involvement.Role.SUSPECT] * rng.choice([1, 1, 2])
    if injury_incident and groups and rng.random() < 0.2:
        roles.append(Involvement.Role.ASSOCIATE)
    if injury_incident and rng.random() < 0.1:
        roles.append(Involvement.Role.WITNESS)
    involvements = []
    for role in roles:
        witness = role == Involvement.Role.WITNESS
        person = people.pick(
            setting.area, day, role, [] if witness else groups, reuse=0.0 if witness else 0.45
        )
        if id(person) in seen:
            continue
        seen.add(id(person))
        involvements.append(
            unsaved(Involvement, incident=incident, person=person, role=role, injury="")
        )
    return involvements


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
            rows.append(unsaved(through, from_incident_id=incident.pk, to_incident_id=previous.pk))
            rows.append(unsaved(through, from_incident_id=previous.pk, to_incident_id=incident.pk))
        last_in_conflict[conflict] = incident
    bulk(through, rows)
