"""Risk designation chains made at past reviews, and the people shared with the partnership."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

from ceasefire.core.models import (
    JUVENILE_MIN_AGE,
    Meeting,
    PartnershipShare,
    Person,
    RiskDesignation,
    Task,
)
from ceasefire.core.models.designations import hard_maximum

from .city import HOMICIDE, NON_INJURY, NONFATAL_SHOOTING, City, bulk, local_dt, rng_for
from .loading import unsaved
from .meetings import (
    incidents_in_window,
    meeting_closing_after,
    meeting_on_or_after,
    meeting_on_or_before,
)

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
C = RiskDesignation.Criterion
RENEWAL_CRITERIA = dict(
    zip(
        RENEWAL_BASES,
        [C.SUSPECT_RECENT, C.CONFLICT_INCIDENTS, C.RETALIATION_THREAT, C.RECENT_GUN_ARREST],
        strict=True,
    )
)
ROLE_CRITERION = {"victim": C.VICTIM_RECENT, "suspect": C.SUSPECT_RECENT}
ROLE_CRITERION["associate"] = C.ASSOCIATE_CONFLICT
CONFLICT_CRITERION = C.CONFLICT_INCIDENTS
KIND_LABEL = {
    HOMICIDE: "homicide",
    NONFATAL_SHOOTING: "non-fatal shooting",
    NON_INJURY: "non-injury shooting",
}
ROLE_LABEL = {"victim": "Victim", "suspect": "Suspect", "associate": "Associate at risk"}
K = Task.Kind
SHARED_INTERVENTIONS = [K.CUSTOM_NOTIFICATION, K.LIFE_COACH, K.HOSPITAL_RESPONSE, K.FAMILY_SUPPORT]
LAPSE_BASES = [
    "No new incidents or credible threats since the last review; let lapse.",
    "In custody on an unrelated matter; let lapse and review again on release.",
    "Moved out of the area (confirmed by family and probation); let lapse.",
    "Engaged with a life coach for three months, no new contacts with the group; let lapse.",
]
MAX_TERMS = 5
REVIEW = Meeting.Kind.SHOOTING_REVIEW


@dataclass
class Term:
    """One designation of a chain, made (or renewed) at a review."""

    designated_on: dt.date
    basis: str
    meeting: int
    incidents: list[int]
    criteria: list[str] = field(default_factory=list)
    ended_on: dt.date | None = None
    end_reason: str = ""
    lapsed_at: int | None = None  # the review that let it lapse

    @property
    def review_due(self) -> dt.date:
        return self.designated_on + dt.timedelta(days=90)


def designations_create(city: City) -> None:
    """At each past review, some people in the window's group shootings get a designation chain."""
    rng = rng_for(city.options, "designations")
    chains = _chains_plan(city, rng)
    _chains_write(city, rng, chains)
    for pk, level, terms in chains:
        for term in terms:
            last = term.review_due
            if term.ended_on is not None:
                last = min(last, term.ended_on - dt.timedelta(days=1))
            city.chains.append((pk, level, term.designated_on, last))
    shares_plan(city, rng, chains)
    pending_create(city, {pk for pk, _, terms in chains if terms[-1].ended_on is None})


def pending_create(city: City, open_chains: set[int]) -> None:
    """Two designations proposed since the last review (outside a review): pending, so the
    open review's agenda asks to confirm or reject them. Nobody under 13 is proposed."""
    open_reviews = [w for w in city.review_windows if w[0] not in city.closing]
    if not open_reviews:
        return
    end = open_reviews[0][3]
    start = end - dt.timedelta(days=60)
    candidates = {
        pk: incidents
        for pk, incidents in _candidates(city, start, end).items()
        if pk not in open_chains and city.alive_on(pk, city.today)
    }
    people = Person.objects.in_bulk(candidates.keys())
    chosen = [
        pk
        for pk in sorted(candidates)
        if (people[pk].age_on(city.today) or 0) >= JUVENILE_MIN_AGE
        and candidates[pk][0][2] in ("victim", "suspect")
    ][:2]
    rows = []
    for pk in chosen:
        _, kind, role, conflict = candidates[pk][0]
        on = city.today - dt.timedelta(days=2)
        rows.append(
            unsaved(
                RiskDesignation,
                person_id=pk,
                level=HIGH,
                basis=f"{ROLE_LABEL[role]} in a recent {KIND_LABEL[kind]}; proposed by the "
                "Ceasefire unit after a call from the hospital team.",
                criteria=[ROLE_CRITERION[role]] + ([CONFLICT_CRITERION] if conflict else []),
                status=RiskDesignation.Status.PENDING,
                designated_by=city.facilitator,
                designated_on=on,
                review_due=min(on + dt.timedelta(days=90), hard_maximum(on)),
                expires_on=hard_maximum(on),
            )
        )
    bulk(RiskDesignation, rows)
    through = RiskDesignation.basis_incidents.through
    bulk(
        through,
        [
            unsaved(through, riskdesignation_id=row.pk, incident_id=candidates[row.person_id][0][0])
            for row in rows
        ],
    )


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


def _chains_plan(city: City, rng: random.Random) -> list[tuple[int, str, list[Term]]]:
    busy_until: dict[int, dt.date] = {}
    chains = []
    for meeting_pk, day, start, end in city.review_windows:
        if meeting_pk not in city.closing:
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
            criteria = [ROLE_CRITERION[role]] + ([CONFLICT_CRITERION] if conflict else [])
            first = Term(day, basis, meeting_pk, [i[0] for i in candidates[pk]], criteria)
            terms = designation_terms(city, rng, pk, first)
            chains.append((pk, level, terms))
            busy_until[pk] = terms[-1].ended_on or dt.date.max
    return chains


def designation_terms(city: City, rng: random.Random, pk: int, first: Term) -> list[Term]:
    """A chain: the first term and up to 4 renewals, each at a later review with a new basis;
    it ends withdrawn (death, or early), let lapse at a review, or is still open."""
    renewals = rng.choices([0, 1, 2, 3, 4], weights=[25, 25, 22, 15, 13])[0]
    died = city.deceased_on.get(pk)
    terms = [first]
    while True:
        term = terms[-1]
        if died and died <= term.review_due:
            term.ended_on = max(died, term.designated_on)
            term.end_reason = RiskDesignation.EndReason.WITHDRAWN
            return terms
        renewal = _renewal_review(city, rng, term) if len(terms) <= renewals else None
        if renewal is None:
            break
        day, meeting = renewal
        term.ended_on, term.end_reason = day, RiskDesignation.EndReason.RENEWED
        template = rng.choice(RENEWAL_BASES)
        basis = template.format(day=day.isoformat())
        terms.append(Term(day, basis, meeting, [], [RENEWAL_CRITERIA[template]]))
    _chain_end(city, rng, terms[-1])
    return terms


def _renewal_review(city: City, rng: random.Random, term: Term) -> tuple[dt.date, int] | None:
    """The review, up to a week or so before the review date, that renews the designation."""
    target = term.review_due - dt.timedelta(days=rng.randint(0, 7))
    if target >= city.today:
        return None
    return meeting_on_or_before(city, REVIEW, target)


def _chain_end(city: City, rng: random.Random, last: Term) -> None:
    """An open last term well past its review date was withdrawn early or let lapse at the
    first review on or after its review date."""
    if last.ended_on is not None or last.review_due >= city.today - dt.timedelta(days=10):
        return
    if rng.random() < 0.12:
        last.ended_on = last.designated_on + dt.timedelta(days=rng.randint(1, 89))
        last.end_reason = RiskDesignation.EndReason.WITHDRAWN
        return
    review = meeting_on_or_after(city, REVIEW, last.review_due)
    last.end_reason = RiskDesignation.EndReason.LAPSED
    if review is None:
        last.ended_on = last.review_due + dt.timedelta(days=1)
    else:
        last.ended_on, last.lapsed_at = review


def _chains_write(city: City, rng: random.Random, chains: list) -> None:
    """Term by term (each renewal points at the row it renews), with the basis incidents and
    what each review decided (designated, renewed, let lapse)."""
    previous: dict[int, RiskDesignation] = {}
    through = RiskDesignation.basis_incidents.through
    for count in range(MAX_TERMS):
        rows = [
            (
                index,
                pk,
                terms[count],
                _designation(city, pk, level, terms[count], count, previous.get(index)),
            )
            for index, (pk, level, terms) in enumerate(chains)
            if len(terms) > count
        ]
        bulk(RiskDesignation, [row for *_, row in rows])
        links = []
        for index, pk, term, row in rows:
            previous[index] = row
            links += [
                unsaved(through, riskdesignation_id=row.pk, incident_id=i) for i in term.incidents
            ]
            action = "designate" if count == 0 else "renew"
            city.decisions.append((term.meeting, pk, row.pk, action, term.basis))
            if term.lapsed_at:
                city.decisions.append(
                    (term.lapsed_at, pk, row.pk, "lapse", rng.choice(LAPSE_BASES))
                )
        bulk(through, links)


def _designation(city: City, pk: int, level: str, term: Term, count: int, renews):
    return unsaved(
        RiskDesignation,
        person_id=pk,
        level=level,
        basis=term.basis,
        criteria=term.criteria,
        status=RiskDesignation.Status.CONFIRMED,
        confirmed_in_id=term.meeting,
        confirmed_by=city.facilitator,
        confirmed_on=term.designated_on,
        basis_meeting_id=term.meeting,
        designated_by=city.facilitator,
        designated_on=term.designated_on,
        review_due=min(term.review_due, hard_maximum(term.designated_on)),
        expires_on=hard_maximum(term.designated_on),
        renews=renews,
        renewal_count=count,
        ended_on=term.ended_on,
        end_reason=term.end_reason,
        ended_by=city.facilitator if term.ended_on else None,
    )


def shares_plan(city: City, rng: random.Random, chains: list) -> None:
    """Most VHR people (and half the high-risk) are chosen at the review that designates them
    for partner follow-up: shared with the partnership when the review closes. The rows are
    written by the replay (``demo.closing``) in time order."""
    active_until: dict[int, dt.date] = {}
    for pk, level, terms in sorted(chains, key=lambda c: c[2][0].designated_on):
        review_day, review_pk = terms[0].designated_on, terms[0].meeting
        if rng.random() >= (0.85 if level == VHR else 0.5):
            continue
        if active_until.get(pk, dt.date.min) >= review_day:
            continue
        share = _share(city, rng, pk, level, review_day, review_pk, terms[-1].ended_on)
        city.shares.append(share)
        active_until[pk] = share.withdrawn_at.date() if share.withdrawn_at else dt.date.max
        coordination = meeting_closing_after(
            city, Meeting.Kind.COORDINATION, review_day, city.closing[review_pk]
        )
        if coordination is not None:
            city.shared_at_meeting.setdefault(coordination[1], []).append(pk)


def _share(city: City, rng, pk: int, level: str, day: dt.date, review: int, ended_on):
    """Shared at the review that designated the person; withdrawn within two weeks of the
    designation's end (the next coordination meeting takes them off the list)."""
    withdrawn_at = None
    withdrawn_day = ended_on and max(ended_on + dt.timedelta(days=rng.randint(0, 14)), day)
    if withdrawn_day and withdrawn_day < city.today:
        withdrawn_at = local_dt(withdrawn_day, 16)
    interventions = rng.sample(SHARED_INTERVENTIONS, k=2)
    label = "very high risk of violence (VHR)" if level == VHR else "high risk of violence"
    recommended = ", ".join(Task.Kind(k).label.lower() for k in interventions)
    return unsaved(
        PartnershipShare,
        person_id=pk,
        risk_assessment=f"At {label}; recommended: {recommended}.",
        recommended_interventions=interventions,
        source_meeting_id=review,
        reason="Designated at the shooting review and chosen there for partner follow-up.",
        shared_by=city.facilitator,
        shared_at=city.closing[review],
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
