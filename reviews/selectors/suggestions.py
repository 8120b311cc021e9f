"""Who may be at imminent risk after each shooting on a review's agenda, ranked, with reasons.

The evidence comes from a fixed number of queries whatever the size of the agenda; the score
and its reasons come from the pure terms of ``reviews.ranking``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format

from ceasefire.core.models import Incident, Involvement, Meeting, Person, RiskDesignation

from .. import ranking
from ..models import ReviewIncident, RiskDecision
from ..ranking import Appearance, Reason, Tie

# kept for callers that still import it: how far back an earlier incident is a network tie
SUGGESTION_LOOKBACK = ranking.NETWORK_LOOKBACK


@dataclass
class Suggestion:
    """A person who may be at imminent risk, with every reason and its points; a person decides."""

    person: Person
    reasons: list[Reason] = field(default_factory=list)
    decision: RiskDecision | None = None

    @property
    def score(self) -> int:
        return ranking.score(self.reasons)

    @property
    def reason_text(self) -> str:
        return "; ".join(r.text for r in self.reasons)

    @property
    def added_by_hand(self) -> bool:
        return not self.reasons


@dataclass
class RankedSuggestions:
    """One shooting's suggestions: the strongest (at most the cap) and the weaker rest."""

    shown: list[Suggestion]
    more: list[Suggestion]

    @property
    def all(self) -> list[Suggestion]:
        return self.shown + self.more


def suggestion_cap() -> int:
    return settings.SUGGESTION_CAP


def _day(when: dt.datetime, ref: dt.datetime) -> str:
    local, ref_local = timezone.localtime(when), timezone.localtime(ref)
    return date_format(local, "j F" if local.year == ref_local.year else "j F Y")


@dataclass
class _Evidence:
    """What the queries found for the shootings of one agenda (ids are primary keys)."""

    earlier: dict[int, list[Involvement]]  # anchor person → their earlier involvements
    involved: dict[int, list[Involvement]]  # earlier incident → everyone identified in it
    conflict_incidents: dict[int, list[Involvement]]  # conflict → involvements in its incidents
    victimised: dict[int, list[Involvement]]  # candidate → their victim involvements
    designations: dict[int, list[RiskDesignation]]  # candidate → designations (newest first)
    killed: set[int]  # people killed in any incident: never suggested
    decisions: dict[tuple[int, int], RiskDecision]  # (incident, person) → decision


def suggestions_for_review(
    review_incidents: list[ReviewIncident], meeting: Meeting, *, cap: int | None = None
) -> dict[int, RankedSuggestions]:
    """Each shooting's suggestions keyed by incident id, ranked by score, split at the cap.

    People who were decided on by hand (no suggested reason) stay in the shown list. Seven
    queries whatever the size of the agenda and the number of people found.
    """
    incidents = [ri.incident for ri in review_incidents]
    if not incidents:
        return {}
    cap = suggestion_cap() if cap is None else cap
    evidence = _evidence(incidents, meeting)
    result = {}
    for incident in incidents:
        found = _suggestions(incident, evidence)
        by_hand = [s for s in found if s.added_by_hand]
        ranked = sorted(
            (s for s in found if not s.added_by_hand),
            key=lambda s: (-s.score, s.person.last_name, s.person.first_name, s.person.pk),
        )
        shown, more = ranking.split_at_cap(ranked, cap)
        result[incident.pk] = RankedSuggestions(shown=shown + by_hand, more=more)
    return result


def _anchors(incident: Incident) -> list[Involvement]:
    """This shooting's identified victims and suspects (prefetched by review_agenda)."""
    return [
        inv
        for inv in incident.involvements.all()
        if inv.person_id and inv.role in (Involvement.Role.VICTIM, Involvement.Role.SUSPECT)
    ]


def _evidence(incidents: list[Incident], meeting: Meeting) -> _Evidence:
    anchor_ids = {a.person_id for i in incidents for a in _anchors(i)}
    earliest = min(i.occurred_at for i in incidents)
    latest = max(i.occurred_at for i in incidents)
    earlier: dict[int, list[Involvement]] = defaultdict(list)
    for inv in Involvement.objects.filter(
        person_id__in=anchor_ids,
        incident__occurred_at__gte=earliest - ranking.NETWORK_LOOKBACK,
        incident__occurred_at__lt=latest,
    ).select_related("incident"):
        earlier[inv.person_id].append(inv)
    involved: dict[int, list[Involvement]] = defaultdict(list)
    earlier_ids = {e.incident_id for es in earlier.values() for e in es}
    for inv in Involvement.objects.filter(
        incident_id__in=earlier_ids, person__isnull=False
    ).select_related("person"):
        involved[inv.incident_id].append(inv)
    conflict_ids = {i.conflict_id for i in incidents if i.conflict and i.conflict.is_active}
    conflict_incidents: dict[int, list[Involvement]] = defaultdict(list)
    if conflict_ids:
        for inv in Involvement.objects.filter(
            incident__conflict_id__in=conflict_ids,
            incident__occurred_at__gte=earliest - ranking.RECENT,
            incident__occurred_at__lt=latest,
            person__isnull=False,
        ).select_related("person", "incident"):
            conflict_incidents[inv.incident.conflict_id].append(inv)
    candidate_ids = (
        {inv.person_id for i in incidents for inv in i.involvements.all() if inv.person_id}
        | {inv.person_id for invs in involved.values() for inv in invs}
        | {inv.person_id for invs in conflict_incidents.values() for inv in invs}
    )
    victimised: dict[int, list[Involvement]] = defaultdict(list)
    killed: set[int] = set()
    for inv in Involvement.objects.filter(
        person_id__in=candidate_ids, role=Involvement.Role.VICTIM
    ).select_related("incident"):
        victimised[inv.person_id].append(inv)
        if inv.injury == Involvement.Injury.FATAL:
            killed.add(inv.person_id)
    designations: dict[int, list[RiskDesignation]] = defaultdict(list)
    first_day, last_day = timezone.localdate(earliest), timezone.localdate(latest)
    for d in RiskDesignation.objects.filter(
        person_id__in=candidate_ids, designated_on__lte=last_day, review_due__gte=first_day
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=first_day)):
        designations[d.person_id].append(d)
    decisions = {
        (d.incident_id, d.person_id): d
        for d in RiskDecision.objects.filter(
            meeting=meeting, incident_id__in=[i.pk for i in incidents]
        ).select_related("decided_by", "person")
    }
    return _Evidence(
        earlier, involved, conflict_incidents, victimised, designations, killed, decisions
    )


def _suggestions(incident: Incident, ev: _Evidence) -> list[Suggestion]:
    """One shooting's suggestions, with the decisions taken (also on people added by hand)."""
    at = incident.occurred_at
    people: dict[int, Person] = {}
    roles: dict[int, set[str]] = defaultdict(set)
    for inv in incident.involvements.all():
        if inv.person_id:
            people[inv.person_id] = inv.person
            roles[inv.person_id].add(inv.role)
    ties = _ties(incident, ev, people)
    appearances = _conflict_appearances(incident, ev, people)
    found: dict[int, Suggestion] = {}
    for pk, person in people.items():
        if person.deceased or pk in ev.killed:
            continue
        reasons = [
            ranking.this_shooting(roles.get(pk, ())),
            ranking.network_tie(ties.get(pk, [])),
            ranking.recent_victim(_victimised(ev, pk, incident), at),
            _designation_reason(ev, pk, timezone.localdate(at)),
            _conflict_reason(incident, appearances.get(pk, [])),
        ]
        reasons = [r for r in reasons if r is not None]
        if ranking.is_suggested(reasons):
            found[pk] = Suggestion(person=person, reasons=reasons)
    for (incident_id, person_id), decision in ev.decisions.items():
        if incident_id != incident.pk:
            continue
        if person_id not in found:
            found[person_id] = Suggestion(person=decision.person)
        found[person_id].decision = decision
    return list(found.values())


def _ties(incident: Incident, ev: _Evidence, people: dict[int, Person]) -> dict[int, list[Tie]]:
    since = incident.occurred_at - ranking.NETWORK_LOOKBACK
    ties: dict[int, list[Tie]] = defaultdict(list)
    for anchor in _anchors(incident):
        for prior in ev.earlier[anchor.person_id]:
            when = prior.incident.occurred_at
            if prior.incident_id == incident.pk or not since <= when < incident.occurred_at:
                continue
            for other in ev.involved[prior.incident_id]:
                if other.person_id == anchor.person_id:
                    continue
                people.setdefault(other.person_id, other.person)
                ties[other.person_id].append(
                    Tie(
                        incident=str(prior.incident),
                        day=_day(when, incident.occurred_at),
                        their_role=other.role,
                        anchor=str(anchor.person),
                        anchor_role=prior.role,
                    )
                )
    return ties


def _conflict_appearances(
    incident: Incident, ev: _Evidence, people: dict[int, Person]
) -> dict[int, list[Appearance]]:
    conflict = incident.conflict
    if conflict is None or not conflict.is_active:
        return {}
    since = incident.occurred_at - ranking.RECENT
    found: dict[int, list[Appearance]] = defaultdict(list)
    for inv in ev.conflict_incidents[conflict.pk]:
        when = inv.incident.occurred_at
        if inv.incident_id == incident.pk or not since <= when < incident.occurred_at:
            continue
        people.setdefault(inv.person_id, inv.person)
        found[inv.person_id].append(
            Appearance(str(inv.incident), _day(when, incident.occurred_at), when)
        )
    return found


def _victimised(ev: _Evidence, pk: int, incident: Incident) -> list[Appearance]:
    return [
        Appearance(
            str(v.incident),
            _day(v.incident.occurred_at, incident.occurred_at),
            v.incident.occurred_at,
        )
        for v in ev.victimised.get(pk, [])
        if v.incident_id != incident.pk
    ]


def _designation_reason(ev: _Evidence, pk: int, day: dt.date) -> Reason | None:
    in_force = [d for d in ev.designations.get(pk, []) if d.status_on(day) == "active"]
    if not in_force:
        return None
    strongest = min(in_force, key=lambda d: 0 if d.level == RiskDesignation.Level.VHR else 1)
    label = "VHR" if strongest.level == RiskDesignation.Level.VHR else "high-risk"
    return ranking.designation(strongest.level, label)


def _conflict_reason(incident: Incident, appearances: list[Appearance]) -> Reason | None:
    conflict = incident.conflict
    if conflict is None or not appearances:
        return None
    return ranking.conflict_incident(
        appearances, str(conflict), hot=conflict.status == conflict.Status.HOT
    )
