"""Risk designation chains made at past reviews, and the people shared with the partnership."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from ceasefire.core.models import Meeting, PartnershipShare, RiskDesignation, Task

from .city import HOMICIDE, NON_INJURY, NONFATAL_SHOOTING, City, bulk, local_dt, rng_for
from .meetings import incidents_in_window, meeting_on_or_after, meeting_on_or_before

VHR, HIGH = RiskDesignation.Level.VHR, RiskDesignation.Level.HIGH
RENEWAL_BASES = [
    "Renewed at the shooting review of {day}: named as a suspect in a new shooting.",
    "Renewed at the shooting review of {day}: the conflict his group is in remains hot; new "
    "field contacts with members.",
    "Renewed at the shooting review of {day}: shot at again; associates publicly vowing "
    "retaliation.",
    "Renewed at the shooting review of {day}: recent arrest with a loaded firearm; still active "
    "with the group.",
]
KIND_LABEL = {
    HOMICIDE: "homicide",
    NONFATAL_SHOOTING: "non-fatal shooting",
    NON_INJURY: "non-injury shooting",
}
ROLE_LABEL = {"victim": "Victim", "suspect": "Suspect", "associate": "Associate at risk"}
SHARED_INTERVENTIONS = [
    Task.Kind.CUSTOM_NOTIFICATION,
    Task.Kind.LIFE_COACH,
    Task.Kind.HOSPITAL_RESPONSE,
    Task.Kind.FAMILY_SUPPORT,
]
MAX_TERMS = 5


def designations_create(city: City) -> None:
    """At each past review, some people in the window's group shootings get a designation chain."""
    rng = rng_for(city.options, "designations")
    chains = _chains_plan(city, rng)
    _chains_write(city, chains)
    for pk, level, terms in chains:
        for designated_on, review_due, ended_on, *_ in terms:
            last = (
                review_due if ended_on is None else min(review_due, ended_on - dt.timedelta(days=1))
            )
            city.chains.append((pk, level, designated_on, last))
    shares_create(city, rng, chains)


def _candidates(city: City, start: dt.datetime, end: dt.datetime) -> dict[int, list]:
    """People (not witnesses) in the window's group-involved incidents, with their incidents."""
    candidates: dict[int, list] = {}
    for _, incident_pk, kind, _, conflict, groups, who in incidents_in_window(city, start, end):
        if not groups:
            continue
        for pk, role in who:
            if role != "witness":
                candidates.setdefault(pk, []).append((incident_pk, kind, role, conflict))
    return candidates


def _chains_plan(city: City, rng: random.Random) -> list:
    """[(person, level, [term, ...])]; a term is [designated_on, review_due, ended_on,
    end_reason, basis, meeting, incident pks]."""
    busy_until: dict[int, dt.date] = {}
    chains = []
    last_review_day = city.today - dt.timedelta(days=1)
    for meeting_pk, day, start, end in city.review_windows:
        if day > last_review_day:
            continue
        candidates = _candidates(city, start, end)
        for pk in sorted(candidates):
            if busy_until.get(pk, dt.date.min) >= day or not city.alive_on(pk, day):
                continue
            if rng.random() >= 0.75:
                continue
            _, kind, role, conflict = candidates[pk][0]
            level = VHR if rng.random() < 0.7 else HIGH
            basis = (
                f"{ROLE_LABEL[role]} in a group-involved {KIND_LABEL[kind]} reviewed on "
                f"{day.isoformat()}"
                + ("; linked to an active conflict" if conflict else "")
                + "; known group affiliation and prior gun-related contacts."
            )
            incidents = [i[0] for i in candidates[pk]]
            terms = designation_terms(city, rng, pk, day, basis, meeting_pk, incidents)
            chains.append((pk, level, terms))
            busy_until[pk] = terms[-1][2] or dt.date.max
            city.designated_at.setdefault(meeting_pk, []).append(pk)
    return chains


def _chains_write(city: City, chains: list) -> None:
    """Term by term (each renewal points at the row it renews), with the basis incidents."""
    previous: dict[int, RiskDesignation] = {}
    through = RiskDesignation.basis_incidents.through
    for count in range(MAX_TERMS):
        rows = [
            (
                index,
                terms[count][6],
                _designation(city, pk, level, terms[count], count, previous.get(index)),
            )
            for index, (pk, level, terms) in enumerate(chains)
            if len(terms) > count
        ]
        bulk(RiskDesignation, [row for *_, row in rows])
        links = []
        for index, incident_pks, row in rows:
            previous[index] = row
            links += [through(riskdesignation_id=row.pk, incident_id=i) for i in incident_pks]
        bulk(through, links)


def _designation(city: City, pk: int, level: str, term: list, count: int, renews):
    designated_on, review_due, ended_on, reason, basis, meeting, _ = term
    return RiskDesignation(
        person_id=pk,
        level=level,
        basis=basis,
        basis_meeting_id=meeting,
        designated_by=city.facilitator,
        designated_on=designated_on,
        review_due=review_due,
        renews=renews,
        renewal_count=count,
        ended_on=ended_on,
        end_reason=reason,
        ended_by=city.facilitator if ended_on else None,
    )


def designation_terms(
    city: City,
    rng: random.Random,
    pk: int,
    day: dt.date,
    basis: str,
    meeting: int,
    incidents: list[int],
):
    """A chain: the first term and up to 4 renewals (each with a new basis), ending lapsed,
    withdrawn or still open."""
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
    _chain_end(city, rng, terms[-1])
    return terms


def _chain_end(city: City, rng: random.Random, last: list) -> None:
    """An open last term well past its review date was withdrawn early or let lapse."""
    if last[2] is None and last[1] < city.today - dt.timedelta(days=10):
        if rng.random() < 0.12:
            withdrawn = last[0] + dt.timedelta(days=rng.randint(1, 89))
            last[2:4] = [withdrawn, RiskDesignation.EndReason.WITHDRAWN]
        else:
            last[2:4] = [last[1] + dt.timedelta(days=1), RiskDesignation.EndReason.LAPSED]


def shares_create(city: City, rng: random.Random, chains: list) -> None:
    """Most VHR people (and half the high-risk) go on the coordination agenda."""
    rows = []
    active_until: dict[int, dt.date] = {}
    for pk, level, terms in sorted(chains, key=lambda c: c[2][0][0]):
        if rng.random() >= (0.85 if level == VHR else 0.5):
            continue
        meeting = meeting_on_or_after(city, Meeting.Kind.COORDINATION, terms[0][0])
        if meeting is None or active_until.get(pk, dt.date.min) >= meeting[0]:
            continue
        share = _share(city, rng, pk, level, meeting, terms[-1][2])
        rows.append(share)
        active_until[pk] = share.withdrawn_at.date() if share.withdrawn_at else dt.date.max
        city.shared[pk] = meeting[0]
        city.shared_at_meeting.setdefault(meeting[1], []).append(pk)
    bulk(PartnershipShare, rows)


def _share(city: City, rng, pk: int, level: str, meeting, ended_on) -> PartnershipShare:
    shared_day, meeting_pk = meeting
    withdrawn_at = None
    if ended_on and (ended_on < city.today - dt.timedelta(days=180) or rng.random() < 0.6):
        withdrawn_day = min(
            ended_on + dt.timedelta(days=rng.randint(0, 14)), city.today - dt.timedelta(days=1)
        )
        withdrawn_at = local_dt(max(withdrawn_day, shared_day), 16)
    interventions = rng.sample(SHARED_INTERVENTIONS, k=2)
    label = "very high risk of violence (VHR)" if level == VHR else "high risk of violence"
    return PartnershipShare(
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


def active_index(city: City) -> None:
    """For every day, the people holding an active VHR designation (a sweep over the terms).

    The worksheet's focus measures count VHR designations, so contacts aim at these people.
    """
    starts, ends = defaultdict(list), defaultdict(list)
    for pk, level, first, last in city.chains:
        if level != VHR:
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


def risk_pick(city: City, rng: random.Random, day: dt.date, focus: float) -> int | None:
    """Someone with an active VHR designation on ``day`` with probability ``focus``, else
    someone known to police."""
    active = city.active_by_day.get(day, ())
    for _ in range(5):
        if active and rng.random() < focus:
            pk = active[rng.randrange(len(active))]
        elif city.risky:
            pk = city.risky[rng.randrange(len(city.risky))]
        else:
            return None
        if city.alive_on(pk, day):
            return pk
    return None
