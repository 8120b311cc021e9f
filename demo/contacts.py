"""Call-ins, custom notifications, case-management enrolments and service contacts.

They feed the worksheet's communication and case-management rows, so most of them aim at the
people holding an active VHR designation on the day.
"""

from __future__ import annotations

import datetime as dt
import random

from ceasefire.core import selectors
from ceasefire.core.models import (
    CallIn,
    CustomNotification,
    Enrolment,
    Person,
    ServiceContact,
    Task,
)

from . import users as users_
from .accounts import PROVIDER_KEYS
from .city import City, bulk, local_dt, month_starts, random_area, random_day, rng_for, scaled
from .designations import risk_pick
from .enforcement import enforcement_create
from .loading import unsaved
from .people import PeopleMaker

CALL_IN_PLACES = ["City Hall", "Allen Temple Baptist Church", "Police Administration Building"]
DELIVERED_BY = [
    "Sgt. Ortega (Ceasefire Unit) and a life coach",
    "Officer Lam and Pastor Holloway",
    "Ceasefire Unit officer and outreach worker",
]
EXIT_REASONS = [
    "Completed the programme",
    "Lost contact",
    "Moved out of the area",
    "In custody",
    "Declined further services",
]
K = Task.Kind
CONTACT_KINDS = [K.LIFE_COACH, K.LIFE_COACH, K.SERVICE_REFERRAL, K.FAMILY_SUPPORT]
CONTACT_NOTES = [
    "Weekly check-in.",
    "Helped with ID documents.",
    "Drove to a job interview.",
    "Met family at home.",
]
# referral source, people a month (low, high), share aimed at VHR people
REFERRAL_ROUTES = (("ceasefire_other", 2, 5, 1.0), ("outreach", 3, 6, 0.3))


def contacts_create(city: City, tasks: list[Task]) -> None:
    """Everything partners record, then the police's enforcement actions."""
    rng = rng_for(city.options, "contacts")
    referrals = call_ins_create(city, rng)
    notifications = notifications_create(city, rng, tasks)
    referrals += [
        (n.person_id, n.delivered_on + dt.timedelta(days=rng.randint(0, 14)), "custom_notification")
        for n in notifications
        if n.help_accepted
    ]
    referrals += _other_referrals(city, rng)
    enrolments_create(city, rng, referrals)
    enforcement_create(city, rng)


def call_ins_create(city: City, rng: random.Random) -> list[tuple[int, dt.date, str]]:
    """Call-ins every 2–3 months, 10–25 attendees, nearly all at highest risk."""
    call_ins, referrals = [], []
    day = city.start + dt.timedelta(days=rng.randint(10, 40))
    while day < city.today:
        wanted, people = scaled(rng, rng.randint(10, 25), city.options.scale), set()
        for _ in range(wanted * 3):
            if len(people) >= wanted:
                break
            if pk := risk_pick(city, rng, day, 0.92):
                people.add(pk)
        call_in = unsaved(
            CallIn, held_on=day, location=rng.choice(CALL_IN_PLACES), recorded_by=city.facilitator
        )
        call_ins.append((call_in, sorted(people)))
        referrals += [
            (pk, day + dt.timedelta(days=rng.randint(0, 21)), "call_in")
            for pk in sorted(people)
            if rng.random() < 0.4
        ]
        day += dt.timedelta(days=rng.randint(56, 91))
    bulk(CallIn, [c for c, _ in call_ins])
    through = CallIn.attendees.through
    bulk(
        through,
        [unsaved(through, callin_id=c.pk, person_id=pk) for c, people in call_ins for pk in people],
    )
    return referrals


def notifications_create(city: City, rng: random.Random, tasks: list[Task]) -> list:
    """20–40 a month, plus the ones that complete a custom-notification task."""
    notifications = []
    for month in month_starts(city.start, city.today):
        for _ in range(scaled(rng, rng.randint(20, 40), city.options.scale)):
            day = random_day(rng, month, city.today)
            pk = risk_pick(city, rng, day, 0.9) if day else None
            if pk:
                notifications.append(notification_build(city, rng, pk, day, None))
    for task in tasks:
        if (
            task.kind == Task.Kind.CUSTOM_NOTIFICATION
            and task.status == Task.Status.DONE
            and task.subject_person_id
        ):
            day = task.completed_at.astimezone(selectors.local_tz()).date()
            notifications.append(notification_build(city, rng, task.subject_person_id, day, task))
    bulk(CustomNotification, notifications)
    return notifications


def notification_build(
    city: City, rng: random.Random, pk: int, day: dt.date, task: Task | None
) -> CustomNotification:
    outcome = rng.choices(list(CustomNotification.Outcome), weights=[80, 5, 10, 5])[0]
    by_police = rng.random() < 0.6
    return unsaved(
        CustomNotification,
        person_id=pk,
        delivered_on=day,
        delivered_by=rng.choice(DELIVERED_BY),
        delivering_organisation=city.orgs["police" if by_police else "life_coaches"],
        outcome=outcome,
        help_accepted=outcome == CustomNotification.Outcome.DELIVERED and rng.random() < 0.45,
        task=task,
        notes="Letter delivered at home with family present." if outcome == "delivered" else "",
        recorded_by=city.facilitator,
        recorded_at=local_dt(day, 18),
    )


def _other_referrals(city: City, rng: random.Random) -> list[tuple[int, dt.date, str]]:
    """Ceasefire's other referrals and outreach each month, and newcomers from outside."""
    referrals, newcomers = [], []
    for month in month_starts(city.start, city.today):
        for source, low, high, focus in REFERRAL_ROUTES:
            for _ in range(scaled(rng, rng.randint(low, high), city.options.scale)):
                day = random_day(rng, month, city.today)
                pk = risk_pick(city, rng, day, focus) if day else None
                if pk:
                    referrals.append((pk, day, source))
        for _ in range(scaled(rng, rng.randint(5, 9), city.options.scale)):
            day = random_day(rng, month, city.today)
            if day:
                person = PeopleMaker(city, rng).new(random_area(rng), day, "client", risky=False)
                newcomers.append((person, day))
    bulk(Person, [p for p, _ in newcomers])
    return referrals + [(p.pk, day, "non_ceasefire_other") for p, day in newcomers]


def enrolments_create(
    city: City, rng: random.Random, referrals: list[tuple[int, dt.date, str]]
) -> None:
    """Enrolments (one open per person and provider), some exits, and service contacts."""
    rows, open_until = [], {}
    for pk, start, source in sorted(referrals, key=lambda r: (r[1], r[0], r[2])):
        if start >= city.today or not city.alive_on(pk, start):
            continue
        provider = city.orgs[rng.choice(PROVIDER_KEYS)]
        if open_until.get((pk, provider.pk), dt.date.min) >= start:
            continue
        enrolment = _enrolment(city, rng, pk, provider, source, start)
        rows.append(enrolment)
        open_until[(pk, provider.pk)] = enrolment.ended_on or dt.date.max
    bulk(Enrolment, rows)
    bulk(ServiceContact, [c for enrolment in rows for c in _service_contacts(city, rng, enrolment)])


def _enrolment(city: City, rng, pk: int, provider, source: str, start: dt.date) -> Enrolment:
    end = start + dt.timedelta(days=rng.randint(60, 540))
    died = city.deceased_on.get(pk)
    ended_on, reason = None, ""
    if died and died < end:
        end, reason = max(died, start), "Deceased"
    if end < city.today:
        ended_on, reason = end, reason or rng.choice(EXIT_REASONS)
    return unsaved(
        Enrolment,
        person_id=pk,
        provider=provider,
        referral_source=source,
        started_on=start,
        ended_on=ended_on,
        exit_reason=reason,
        recorded_by=city.users[users_.CASE_MANAGER],
    )


def _service_contacts(city: City, rng: random.Random, enrolment: Enrolment) -> list:
    last = min(enrolment.ended_on or city.today, city.today - dt.timedelta(days=1))
    span = (last - enrolment.started_on).days
    return [
        unsaved(
            ServiceContact,
            person_id=enrolment.person_id,
            organisation=enrolment.provider,
            contacted_on=enrolment.started_on + dt.timedelta(days=rng.randint(0, span)),
            kind=rng.choice(CONTACT_KINDS),
            notes=rng.choice(CONTACT_NOTES),
            recorded_by=city.users[users_.CASE_MANAGER],
        )
        for _ in range(rng.randint(2, 6) if span >= 0 else 0)
    ]
