"""Who may be at imminent risk after each shooting on a review's agenda, with the evidence."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.formats import date_format

from ceasefire.core.models import GroupAffiliation, Incident, Involvement, Meeting, Person

from ..models import ReviewIncident, RiskDecision

SUGGESTION_LOOKBACK = dt.timedelta(days=730)


@dataclass
class Suggestion:
    """A person who may be at imminent risk, with every reason; the facilitator decides."""

    person: Person
    reasons: list[str] = field(default_factory=list)
    decision: RiskDecision | None = None

    @property
    def reason_text(self) -> str:
        return "; ".join(self.reasons)


def _day(when: dt.datetime, ref: dt.datetime) -> str:
    local, ref_local = timezone.localtime(when), timezone.localtime(ref)
    return date_format(local, "j F" if local.year == ref_local.year else "j F Y")


def _relation(their_role: str, victim_role: str) -> str:
    if their_role == Involvement.Role.VICTIM and victim_role == Involvement.Role.VICTIM:
        return "co-victim"
    labels = dict(Involvement.Role.choices)
    return f"{labels[their_role].lower()} (victim was {labels[victim_role].lower()})"


@dataclass
class _Evidence:
    """What the queries found for the shootings of one agenda (ids are primary keys)."""

    victims: dict[int, list[Involvement]]  # incident → its identified victims
    earlier: dict[int, list[Involvement]]  # victim → their involvements in the lookback
    involved: dict[int, list[Involvement]]  # earlier incident → everyone identified in it
    groups: dict[int, set[int]]  # victim → their active groups
    opposing: dict[int, set[int]]  # incident → the groups on the other side of its conflict
    members: dict[int, list[GroupAffiliation]]  # group → its living active members
    names: dict[int, str]  # group → its name
    decisions: dict[tuple[int, int], RiskDecision]  # (incident, person) → decision


def suggestions_for_review(
    review_incidents: list[ReviewIncident], meeting: Meeting
) -> dict[int, list[Suggestion]]:
    """People possibly at imminent risk after each shooting, keyed by incident id.

    Three reasons, each shown with its evidence:
    * involved with a victim in an earlier incident within two years
      ("co-victim in #1234, 14 March");
    * a member of a victim's group;
    * a member of the opposing group in an active (hot or active) conflict linked to the shooting.
    The victims themselves and the deceased are left out. Seven queries whatever the size of the
    agenda.
    """
    incidents = [ri.incident for ri in review_incidents]
    if not incidents:
        return {}
    evidence = _evidence(incidents, meeting)
    return {incident.pk: _suggestions(incident, evidence) for incident in incidents}


def _evidence(incidents: list[Incident], meeting: Meeting) -> _Evidence:
    victims: dict[int, list[Involvement]] = defaultdict(list)
    for incident in incidents:
        victims[incident.pk] = [
            inv
            for inv in incident.involvements.all()  # prefetched by review_agenda
            if inv.role == Involvement.Role.VICTIM and inv.person_id
        ]
    victim_ids = {v.person_id for vs in victims.values() for v in vs}
    earlier, involved = _earlier_involvements(incidents, victim_ids)
    groups, names = _victim_groups(victim_ids)
    opposing = _opposing_groups(incidents, victims, groups, names)
    decisions = {
        (d.incident_id, d.person_id): d
        for d in RiskDecision.objects.filter(
            meeting=meeting, incident_id__in=[i.pk for i in incidents]
        ).select_related("decided_by", "person")
    }
    wanted = set().union(*groups.values(), *opposing.values())
    return _Evidence(
        victims, earlier, involved, groups, opposing, _members(wanted), names, decisions
    )


def _earlier_involvements(incidents: list[Incident], victim_ids: set[int]):
    """The victims' involvements in the lookback, and everyone identified in those incidents."""
    earliest = min(i.occurred_at for i in incidents) - SUGGESTION_LOOKBACK
    latest = max(i.occurred_at for i in incidents)
    earlier: dict[int, list[Involvement]] = defaultdict(list)
    for inv in Involvement.objects.filter(
        person_id__in=victim_ids,
        incident__occurred_at__gte=earliest,
        incident__occurred_at__lte=latest,
    ).select_related("incident"):
        earlier[inv.person_id].append(inv)
    involved: dict[int, list[Involvement]] = defaultdict(list)
    for inv in (
        Involvement.objects.filter(
            incident_id__in={e.incident_id for es in earlier.values() for e in es},
            person__isnull=False,
        )
        .exclude(person__deceased=True)
        .select_related("person")
    ):
        involved[inv.incident_id].append(inv)
    return earlier, involved


def _victim_groups(victim_ids: set[int]) -> tuple[dict[int, set[int]], dict[int, str]]:
    groups: dict[int, set[int]] = defaultdict(set)
    names: dict[int, str] = {}
    for aff in GroupAffiliation.objects.filter(
        person_id__in=victim_ids, active=True
    ).select_related("group"):
        groups[aff.person_id].add(aff.group_id)
        names[aff.group_id] = aff.group.name
    return groups, names


def _opposing_groups(incidents, victims, groups, names: dict[int, str]) -> dict[int, set[int]]:
    """incident → the other side of its active conflict, when a victim belongs to one side."""
    opposing: dict[int, set[int]] = defaultdict(set)
    for incident in incidents:
        conflict = incident.conflict
        if conflict is None or not conflict.is_active:
            continue
        sides = {conflict.group_a_id, conflict.group_b_id} - {None}
        names[conflict.group_a_id] = conflict.group_a.name
        if conflict.group_b_id:
            names[conflict.group_b_id] = conflict.group_b.name
        own = set().union(*(groups[v.person_id] for v in victims[incident.pk]))
        if own & sides:
            opposing[incident.pk] = sides - own
    return opposing


def _members(group_ids: set[int]) -> dict[int, list[GroupAffiliation]]:
    members: dict[int, list[GroupAffiliation]] = defaultdict(list)
    if group_ids:
        for aff in (
            GroupAffiliation.objects.filter(group_id__in=group_ids, active=True)
            .exclude(person__deceased=True)
            .select_related("person")
            .order_by("person__last_name", "person__first_name")
        ):
            members[aff.group_id].append(aff)
    return members


def _suggestions(incident: Incident, ev: _Evidence) -> list[Suggestion]:
    """One shooting's suggestions, with the decisions taken (also on people added by hand)."""
    own_victims = {v.person_id for v in ev.victims[incident.pk]}
    found: dict[int, Suggestion] = {}
    for person, reason in _reasons(incident, ev):
        if person.pk in own_victims:
            continue
        suggestion = found.setdefault(person.pk, Suggestion(person=person))
        if reason not in suggestion.reasons:
            suggestion.reasons.append(reason)
    for key in found:
        found[key].decision = ev.decisions.get((incident.pk, key))
    for (incident_id, person_id), decision in ev.decisions.items():
        if incident_id == incident.pk and person_id not in found:
            found[person_id] = Suggestion(
                person=decision.person, reasons=[decision.reason], decision=decision
            )
    return sorted(
        found.values(), key=lambda s: (-len(s.reasons), s.person.last_name, s.person.first_name)
    )


def _reasons(incident: Incident, ev: _Evidence) -> Iterator[tuple[Person, str]]:
    """(person, reason) for one shooting, in the order the page lists the reasons."""
    since = incident.occurred_at - SUGGESTION_LOOKBACK
    for victim in ev.victims[incident.pk]:
        for prior in ev.earlier[victim.person_id]:
            when = prior.incident.occurred_at
            if prior.incident_id == incident.pk or not since <= when < incident.occurred_at:
                continue
            for other in ev.involved[prior.incident_id]:
                if other.person_id != victim.person_id:
                    yield (
                        other.person,
                        (
                            f"{_relation(other.role, prior.role)} in {prior.incident}, "
                            f"{_day(when, incident.occurred_at)} — with {victim.person}"
                        ),
                    )
        for group_id in sorted(ev.groups[victim.person_id]):
            for aff in ev.members[group_id]:
                if aff.person_id != victim.person_id:
                    yield aff.person, f"member of {ev.names[group_id]}, like victim {victim.person}"
    conflict = incident.conflict
    for group_id in sorted(ev.opposing.get(incident.pk, ())):
        for aff in ev.members[group_id]:
            yield (
                aff.person,
                (
                    f"member of {ev.names[group_id]}, the opposing group in the "
                    f"{conflict.get_status_display().lower()} conflict {conflict}"
                ),
            )
