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
    return [
        local_midnight(days[(i * 7) % len(days)]) + dt.timedelta(hours=12, minutes=i % 60)
        for i in range(n)
    ]


def _incident(
    when: dt.datetime, *, weapon=Incident.Weapon.FIREARM, status=Incident.CountingStatus.COUNTED
) -> Incident:
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
    """Incidents for 2014–2017 matching the seed worksheet for February–March 2017, with noise
    that must not count.

    Every victim is unidentified (counts never depend on identification). One 2017 homicide
    has two victims; one is a stabbing; held, unfounded and later-in-the-year incidents are
    present but outside the counts.
    """
    incidents: list[Incident] = []
    victims: list[tuple[int, str]] = []  # (index into incidents, injury)

    def add(
        when,
        injury,
        *,
        weapon=Incident.Weapon.FIREARM,
        status=Incident.CountingStatus.COUNTED,
        n_victims=1,
    ):
        incidents.append(_incident(when, weapon=weapon, status=status))
        victims.extend((len(incidents) - 1, injury) for _ in range(n_victims))

    fatal, nonfatal, none = (
        Involvement.Injury.FATAL,
        Involvement.Injury.NONFATAL,
        Involvement.Injury.NONE,
    )
    for year, hom_jan, hom_fm, nf_jan, nf_fm in REFERENCE:
        for when in _spread(year, (1,), hom_jan):
            add(when, fatal)
        fm_times = _spread(year, (2, 3), hom_fm)
        if year == 2017:
            add(fm_times.pop(), fatal, n_victims=2)  # one incident, two killed → counts twice
            fm_times.pop()
            add(
                fm_times.pop(), fatal, weapon=Incident.Weapon.OTHER
            )  # a stabbing is still a homicide
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
        [
            Involvement(incident=incidents[i], role=Involvement.Role.VICTIM, injury=injury)
            for i, injury in victims
        ]
    )
    Benchmark.objects.update_or_create(
        indicator="homicides", year=2017, defaults={"annual_target": 72}
    )
    Benchmark.objects.update_or_create(
        indicator="nonfatal_injury_shootings", year=2017, defaults={"annual_target": 307}
    )


@pytest.fixture(autouse=True)
def _tasks_in_process(request):
    """Run Celery tasks in-process in these tests even when REDIS_URL is set (CI's second run),
    except in the test that starts a real worker."""
    from ceasefire.celery import app

    if request.node.get_closest_marker("celery_worker"):
        yield
        return
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def reference_data(db):
    build_reference_data()


def build_activity_data(orgs: dict) -> dict:
    """Hand-made activity records for February–March 2017.

    The expected figures are in test_selectors.py.
    """
    from ceasefire.core.models import (
        AgendaItem,
        CallIn,
        CustomNotification,
        EnforcementAction,
        EnforcementPlanStatus,
        Enrolment,
        GroupAffiliation,
        Meeting,
        PartnershipSettings,
        RiskDesignation,
        Unit,
        UnitStaffing,
    )
    from tests import factories as f

    d = dt.date
    people = {
        name: f.PersonFactory(first_name=name.title(), last_name="Example")
        for name in ("p1", "p2", "p3", "p4", "p5", "p6", "p7")
    }
    p = people
    f.DesignationFactory(person=p["p1"], designated_on=d(2017, 1, 1), review_due=d(2017, 6, 30))
    f.DesignationFactory(person=p["p2"], designated_on=d(2017, 2, 10), review_due=d(2017, 5, 10))
    f.DesignationFactory(
        person=p["p3"],
        level=RiskDesignation.Level.HIGH,
        designated_on=d(2017, 1, 1),
        review_due=d(2017, 6, 30),
    )
    f.DesignationFactory(
        person=p["p4"],
        designated_on=d(2016, 12, 1),
        review_due=d(2017, 3, 1),
        ended_on=d(2017, 2, 1),
        end_reason="lapsed",
    )
    january = CallIn.objects.create(held_on=d(2017, 1, 20))
    january.attendees.set([p["p1"], p["p3"], p["p7"]])
    february = CallIn.objects.create(held_on=d(2017, 2, 15))
    february.attendees.set([p["p2"], p["p1"]])
    for who, day, outcome in (
        ("p4", d(2017, 2, 20), "delivered"),
        ("p5", d(2017, 3, 5), "refused"),
        ("p6", d(2017, 3, 6), "not_found"),
        ("p1", d(2017, 3, 1), "delivered"),
    ):
        CustomNotification.objects.create(
            person=p[who], delivered_on=day, delivered_by="Pastor Jones", outcome=outcome
        )

    cbo = orgs["cbo"]
    Enrolment.objects.create(
        person=p["p1"], provider=cbo, referral_source="call_in", started_on=d(2017, 2, 16)
    )
    Enrolment.objects.create(
        person=p["p3"],
        provider=cbo,
        referral_source="outreach",
        started_on=d(2017, 1, 10),
        ended_on=d(2017, 3, 1),
    )
    Enrolment.objects.create(
        person=p["p5"],
        provider=cbo,
        referral_source="non_ceasefire_other",
        started_on=d(2016, 11, 1),
    )
    Enrolment.objects.create(
        person=p["p2"],
        provider=cbo,
        referral_source="custom_notification",
        started_on=d(2017, 3, 31),
    )

    area = Unit.objects.create(name="Area 1 CRT", kind="area", organisation=orgs["police"])
    special = Unit.objects.create(
        name="Ceasefire unit", kind="specialised", organisation=orgs["police"]
    )
    UnitStaffing.objects.create(unit=area, recorded_on=d(2017, 1, 1), authorised=12, filled=10)
    UnitStaffing.objects.create(unit=area, recorded_on=d(2017, 3, 15), authorised=12, filled=12)
    UnitStaffing.objects.create(unit=area, recorded_on=d(2017, 4, 2), authorised=12, filled=8)
    UnitStaffing.objects.create(unit=special, recorded_on=d(2017, 2, 1), authorised=8, filled=7)
    EnforcementPlanStatus.objects.create(unit=area, recorded_on=d(2017, 3, 1), up_to_date=True)
    EnforcementPlanStatus.objects.create(unit=special, recorded_on=d(2017, 1, 1), up_to_date=False)
    EnforcementPlanStatus.objects.create(unit=special, recorded_on=d(2017, 3, 20), up_to_date=True)
    group = f.GroupFactory(name="Ghost Town")
    GroupAffiliation.objects.create(
        person=p["p2"], group=group, basis="Seen with members", since=d(2016, 1, 1)
    )
    EnforcementAction.objects.create(
        person=p["p1"], unit=area, taken_on=d(2017, 2, 20), kind="arrest_violent_gun"
    )
    EnforcementAction.objects.create(
        person=p["p3"], unit=area, taken_on=d(2017, 3, 1), kind="warrant"
    )
    EnforcementAction.objects.create(
        group=group, unit=special, taken_on=d(2017, 3, 10), kind="other"
    )
    EnforcementAction.objects.create(
        person=p["p5"], unit=special, taken_on=d(2017, 1, 5), kind="supervision"
    )

    settings = PartnershipSettings.load()
    settings.police_lead = orgs["police"]
    settings.human_services_lead = orgs["hsd"]
    settings.save()
    for day, leads, aligned, item in (
        (d(2017, 1, 12), ("police", "hsd"), True, False),
        (d(2017, 2, 9), ("police",), False, False),
        (d(2017, 2, 23), ("police", "hsd"), False, True),
        (d(2017, 3, 9), ("police", "hsd"), False, False),
    ):
        meeting = Meeting.objects.create(
            kind=Meeting.Kind.COORDINATION, date=day, risk_alignment=aligned
        )
        meeting.attending_organisations.set([orgs[k] for k in leads])
        if item:
            AgendaItem.objects.create(
                meeting=meeting,
                section="risk",
                title="Align risk definitions",
                is_risk_alignment=True,
            )

    # after the call-ins: p2 wounded, p7 killed, p3 a suspect (not arrested); p1 was arrested above
    shooting = f.IncidentFactory(
        occurred_at=local_midnight(d(2017, 3, 20)) + dt.timedelta(hours=22)
    )
    f.InvolvementFactory(incident=shooting, person=p["p2"], role="victim", injury="nonfatal")
    f.InvolvementFactory(incident=shooting, person=p["p3"], role="suspect", injury="")
    killing = f.IncidentFactory(occurred_at=local_midnight(d(2017, 3, 10)) + dt.timedelta(hours=1))
    f.InvolvementFactory(incident=killing, person=p["p7"], role="victim", injury="fatal")
    for indicator, target in (("communication", 300), ("case_management", 200)):
        Benchmark.objects.update_or_create(
            indicator=indicator, year=2017, defaults={"annual_target": target}
        )
    return people


@pytest.fixture
def activity_data(orgs):
    return build_activity_data(orgs)
