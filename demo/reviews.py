"""The shooting reviews' own rows: each review's shootings with the answers given about them, its
risk assessment, the people confirmed or dismissed at imminent risk, its designation decisions
and the people chosen for partner follow-up.

Every review, past or open, gets its agenda and its shootings (as ``reviews.services.review_create``
builds them); past reviews also get their answers and decisions, and are then closed by the replay
(``demo.closing``) through ``reviews.services.review_close``; the follow-up choices come after.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter

from ceasefire.core.models import AgendaItem, Meeting
from reviews.models import (
    DesignationDecision,
    FollowUpChoice,
    ReviewIncident,
    ReviewSummary,
    RiskDecision,
)
from reviews.services import SECTIONS

from .archive import Facts, archived_reviews
from .city import HOMICIDE, NON_INJURY, NONFATAL_SHOOTING, City, Shot, bulk, rng_for
from .loading import rows_update, unsaved
from .meetings import shots_in_window

RETALIATION = ReviewIncident.Retaliation
MOTIVES = {
    "personal_dispute": "Argument between acquaintances escalated; not group-related as far as "
    "we know.",
    "domestic": "Domestic: followed a disturbance at the home; the DV unit is following up.",
    "robbery": "Street robbery; the suspect is not known to the partnership.",
    "other": "Shots fired at a large gathering; motive unclear.",
    "unknown": "Unknown so far: no cooperative witnesses; the area CRT is asking around.",
}
RETALIATION_LIKELY = {
    "hot": [RETALIATION.HIGH],
    "active": [RETALIATION.HIGH, RETALIATION.MEDIUM],
    "group": [RETALIATION.MEDIUM, RETALIATION.MEDIUM, RETALIATION.HIGH],
    "personal_dispute": [RETALIATION.LOW, RETALIATION.MEDIUM],
    "domestic": [RETALIATION.LOW],
    "robbery": [RETALIATION.LOW],
    "other": [RETALIATION.UNKNOWN, RETALIATION.LOW],
    "unknown": [RETALIATION.UNKNOWN, RETALIATION.LOW],
}
ENFORCEMENT_PRIORITIES = [
    "Ceasefire Unit and the area CRT focus on the few members of {a} and {b} driving the "
    "conflict; probation compliance checks on supervisees; no sweeps.",
    "Deliver custom notifications to the {a} members named today before the weekend; the Gang "
    "Unit follows up on the vehicle seen at two of the shootings.",
    "Keep the focus narrow: the people designated today and the open warrants among {a} and "
    "{b}; CRT patrols on the blocks where the shootings happened.",
]
DISMISSALS = 0.45  # share of suggested people the facilitator dismisses


def conflict_name(city: City, conflict_pk: int) -> str:
    _, a, b, *_ = next(c for c in city.conflicts if c[0] == conflict_pk)
    return (
        f"{city.group_names[a]} vs {city.group_names[b]}" if b else f"Within {city.group_names[a]}"
    )


def reviews_prepare(city: City) -> None:
    """Agendas, shootings, answers, risk assessments and decisions of every review; the
    shootings of the reviews closed in bulk (``demo.archive``) with their frozen facts."""
    rng = rng_for(city.options, "reviews")
    archived, facts = archived_reviews(city), Facts(city)
    agenda, entries, summaries, decisions = [], [], [], []
    for meeting_pk, day, start, end in city.review_windows:
        shots = shots_in_window(city, start, end)
        agenda += _agenda(meeting_pk, shots)
        past = meeting_pk in city.closing
        frozen = meeting_pk in archived  # closed in bulk: its facts are written with it
        for order, shot in enumerate(shots):
            entry = _entry(city, rng, meeting_pk, order, shot, past)
            if frozen:
                entry.facts_at_close = facts.of(shot)
            entries.append(entry)
            if past:
                decisions += _risk_decisions(city, rng, meeting_pk, day, shot)
        summaries.append(_summary(city, rng, meeting_pk, day, shots, past))
    bulk(AgendaItem, agenda)
    bulk(ReviewIncident, entries)
    bulk(ReviewSummary, summaries)
    bulk(RiskDecision, decisions)
    designation_decisions_create(city)
    _minutes_write(city, Counter(d.meeting_id for d in decisions))


def _agenda(meeting_pk: int, shots: list[Shot]) -> list[AgendaItem]:
    """The four sections and a line per shooting, as ``review_create`` builds them."""
    items = [
        unsaved(AgendaItem, meeting_id=meeting_pk, section=key, order=n * 1000, title=title)
        for n, (key, title) in enumerate(SECTIONS)
    ]
    items += [
        unsaved(
            AgendaItem,
            meeting_id=meeting_pk,
            section="shootings",
            order=1000 + n + 1,
            title=f"#{shot.case_number}",
            incident_id=shot.pk,
        )
        for n, shot in enumerate(shots)
    ]
    return items


def _entry(city: City, rng, meeting_pk: int, order: int, shot: Shot, past: bool):
    entry = unsaved(
        ReviewIncident,
        meeting_id=meeting_pk,
        incident_id=shot.pk,
        order=order,
        updated_by=city.facilitator,
    )
    if past and (shot.kind != NON_INJURY or rng.random() < 0.4):
        entry.motive, entry.retaliation, entry.risk_notes = _answers(city, rng, shot)
    return entry


def _answers(city: City, rng: random.Random, shot: Shot) -> tuple[str, str, str]:
    """Circumstance / motive, likelihood of retaliation, notes on people at imminent risk."""
    if shot.circumstance != "group_conflict":
        motive = MOTIVES[shot.circumstance]
        retaliation = rng.choice(RETALIATION_LIKELY[shot.circumstance])
        return motive, retaliation, "Nobody identified at imminent risk beyond the victims."
    groups = " and ".join(city.group_names[g] for g in shot.groups)
    if shot.conflict:
        status = next(c[5] for c in city.conflicts if c[0] == shot.conflict)
        status = status if status == "hot" else "active"
        motive = (
            f"Part of the {status} conflict {conflict_name(city, shot.conflict)}; believed "
            "retaliation for an earlier shooting."
        )
    else:
        status = "group"
        motive = f"Group-involved: members of {groups} on the block; dispute over territory."
    known = [g for pk, _ in shot.victims if pk for g in city.person_groups.get(pk, [])]
    if known:
        notes = (
            f"Friends of the victim in {city.group_names[known[0]]} are posting threats online; "
            "see the people at imminent risk below."
        )
    else:
        notes = f"Victims not yet tied to a group; the CRT is checking with {groups}."
    return motive, rng.choice(RETALIATION_LIKELY[status]), notes


DISMISSAL_REASONS = [
    "In custody since the shooting; no contact possible this week.",
    "Moved out of the city with family after the shooting.",
    "The hospital team reached him; no retaliation risk found.",
]


def _risk_decisions(city: City, rng, meeting_pk: int, day: dt.date, shot: Shot):
    """The shooting's identified survivors, confirmed at imminent risk or dismissed with a
    reason, as the ranked suggestion offered them ("victim of this shooting", 5 points)."""
    rows = []
    for pk, injury in shot.victims:
        if pk is None or injury == "fatal" or not city.alive_on(pk, day):
            continue
        rows.append(_risk_decision(city, rng, meeting_pk, shot.pk, pk))
    return rows


def _risk_decision(city: City, rng, meeting_pk: int, incident: int, person: int):
    dismissed = rng.random() < DISMISSALS
    offered = [{"code": "this_shooting", "text": "victim of this shooting", "points": 5}]
    return unsaved(
        RiskDecision,
        meeting_id=meeting_pk,
        incident_id=incident,
        person_id=person,
        decision=RiskDecision.Decision.DISMISSED if dismissed else RiskDecision.Decision.CONFIRMED,
        reason=offered[0]["text"],
        offered_reasons=offered,
        accepted_reasons=[] if dismissed else offered,
        score=5,
        dismissal_reason=rng.choice(DISMISSAL_REASONS) if dismissed else "",
        decided_by=city.facilitator,
        decided_at=city.closing[meeting_pk] - dt.timedelta(hours=1),
    )


def _summary(city: City, rng, meeting_pk: int, day: dt.date, shots: list[Shot], past: bool):
    summary = unsaved(ReviewSummary, meeting_id=meeting_pk, updated_by=city.facilitator)
    if not past:
        return summary
    live = [c for c in city.conflicts if c[3] <= day <= c[4]]
    live.sort(key=lambda c: (c[5] != "hot", c[0]))
    in_window = Counter(s.conflict for s in shots if s.conflict)
    if not live:
        summary.hottest_conflicts = "No live conflicts this week."
        summary.enforcement_priorities = "Follow up the personal disputes with the area CRTs."
        return summary
    summary.hottest_conflicts = "; ".join(
        f"{conflict_name(city, c[0])} ({'hot' if c[5] == 'hot' else 'active'}): "
        f"{in_window[c[0]]} shooting(s) in the window"
        for c in live[:3]
    )
    _, a, b, *_ = live[0]
    summary.enforcement_priorities = rng.choice(ENFORCEMENT_PRIORITIES).format(
        a=city.group_names[a], b=city.group_names[b] if b else "its rival clique"
    )
    return summary


def designation_decisions_create(city: City) -> None:
    """What each review decided about designations (consistent with the designation chains)."""
    bulk(
        DesignationDecision,
        [
            unsaved(
                DesignationDecision,
                meeting_id=meeting_pk,
                person_id=person_pk,
                designation_id=designation_pk,
                action=action,
                basis=basis,
                decided_by=city.facilitator,
                decided_at=city.closing[meeting_pk] - dt.timedelta(minutes=45),
            )
            for meeting_pk, person_pk, designation_pk, action, basis in city.decisions
        ],
    )


def followup_choices_create(city: City) -> None:
    """The people each review chose for partner follow-up: one per share it made.

    Written after the closes: the shares are written by the replay at their review's close
    time, and ``review_close`` would only save each again unchanged (a fifth of the closes'
    time at scale 1)."""
    bulk(
        FollowUpChoice,
        [
            unsaved(
                FollowUpChoice,
                meeting_id=share.source_meeting_id,
                person_id=share.person_id,
                risk_assessment=share.risk_assessment,
                recommended_interventions=share.recommended_interventions,
                chosen_by=city.facilitator,
                chosen_at=share.shared_at - dt.timedelta(minutes=30),
            )
            for share in city.shares
        ],
    )


def _minutes_write(city: City, risk_decisions: Counter) -> None:
    actions = Counter((meeting, action) for meeting, _, _, action, _ in city.decisions)
    chosen = Counter(share.source_meeting_id for share in city.shares)
    rows = []
    for pk, _, start, end in city.review_windows:
        if pk not in city.closing:
            continue
        kinds = Counter(s.kind for s in shots_in_window(city, start, end))
        minutes = (
            f"Reviewed the prior deliverables and the {sum(kinds.values())} shootings in the "
            f"window ({kinds[HOMICIDE]} homicides, {kinds[NONFATAL_SHOOTING]} non-fatal injury "
            f"shootings). {risk_decisions[pk]} people considered at imminent risk; "
            f"{actions[pk, 'designate']} designated, {actions[pk, 'renew']} renewed, "
            f"{actions[pk, 'lapse']} let lapse; {chosen[pk]} chosen for partner follow-up. New "
            "deliverables assigned."
        )
        rows.append(Meeting(pk=pk, minutes=minutes))
    rows_update(Meeting, rows, ["minutes"])
