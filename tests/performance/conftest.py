"""Fixtures for the performance app: the seed worksheet's reference data set (SPEC §4)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from ceasefire.core.models import Benchmark, Incident, Involvement
from ceasefire.core.selectors import local_midnight

# (year, homicides Jan, homicides Feb–Mar, non-fatal Jan, non-fatal Feb–Mar): seed 001, worksheet 1.
REFERENCE = [
    (2014, 9, 13, 36, 50),
    (2015, 8, 12, 34, 48),
    (2016, 1, 11, 20, 52),
    (2017, 2, 14, 18, 45),
]
_serial = itertools.count(1)


def _spread(year: int, months: tuple[int, ...], n: int) -> list[dt.datetime]:
    """``n`` local times spread over the given months of ``year`` (noon, on successive days)."""
    days = [
        dt.date(year, m, d)
        for m in months
        for d in range(1, 29)  # every month has 28 days
    ]
    return [local_midnight(days[(i * 7) % len(days)]) + dt.timedelta(hours=12, minutes=i % 60) for i in range(n)]


def _incident(when: dt.datetime, *, weapon=Incident.Weapon.FIREARM, status=Incident.CountingStatus.COUNTED) -> Incident:
    number = next(_serial)
    return Incident(
        case_number=f"REF-{when:%Y}-{number:05d}",
        occurred_at=when,
        address=f"{number} International Blvd",
        weapon=weapon,
        counting_status=status,
        counting_reason="" if status == Incident.CountingStatus.COUNTED else "Under review",
    )


def build_reference_data() -> None:
    """Incidents for 2014–2017 matching the seed worksheet for February–March 2017, with noise that must not count.

    Every victim is unidentified (counts never depend on identification). One 2017 homicide
    has two victims; one is a stabbing; held, unfounded and later-in-the-year incidents are
    present but outside the counts.
    """
    incidents: list[Incident] = []
    victims: list[tuple[int, str]] = []  # (index into incidents, injury)

    def add(when, injury, *, weapon=Incident.Weapon.FIREARM, status=Incident.CountingStatus.COUNTED, n_victims=1):
        incidents.append(_incident(when, weapon=weapon, status=status))
        victims.extend((len(incidents) - 1, injury) for _ in range(n_victims))

    fatal, nonfatal, none = Involvement.Injury.FATAL, Involvement.Injury.NONFATAL, Involvement.Injury.NONE
    for year, hom_jan, hom_fm, nf_jan, nf_fm in REFERENCE:
        for when in _spread(year, (1,), hom_jan):
            add(when, fatal)
        fm_times = _spread(year, (2, 3), hom_fm)
        if year == 2017:
            add(fm_times.pop(), fatal, n_victims=2)  # one incident, two killed → counts twice
            fm_times.pop()
            add(fm_times.pop(), fatal, weapon=Incident.Weapon.OTHER)  # a stabbing is still a homicide
        for when in fm_times:
            add(when, fatal)
        for when in _spread(year, (1,), nf_jan):
            add(when, nonfatal)
        for when in _spread(year, (2, 3), nf_fm):
            add(when, nonfatal)
        # noise: later in the year, held/unfounded, a non-firearm wounding, non-injury shootings
        for when in _spread(year, (4, 5, 6, 7, 8, 9, 10, 11, 12), 5):
            add(when, fatal)
            add(when + dt.timedelta(minutes=1), nonfatal)
        add(_spread(year, (3,), 1)[0], fatal, status=Incident.CountingStatus.HELD)
        add(_spread(year, (2,), 1)[0], nonfatal, status=Incident.CountingStatus.UNFOUNDED)
        add(_spread(year, (2,), 1)[0], nonfatal, weapon=Incident.Weapon.OTHER)
        add(_spread(year, (3,), 1)[0], none)
        incidents.append(_incident(_spread(year, (2,), 1)[0]))  # shots fired, no victim recorded
    Incident.objects.bulk_create(incidents)
    Involvement.objects.bulk_create(
        [Involvement(incident=incidents[i], role=Involvement.Role.VICTIM, injury=injury) for i, injury in victims]
    )
    Benchmark.objects.update_or_create(indicator="homicides", year=2017, defaults={"annual_target": 72})
    Benchmark.objects.update_or_create(indicator="nonfatal_injury_shootings", year=2017, defaults={"annual_target": 307})


@pytest.fixture
def reference_data(db):
    build_reference_data()
