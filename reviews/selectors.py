"""Reads for the shooting log and the weekly shooting review. Selectors never write.

Every list here runs a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format

from ceasefire.core.models import (
    Conflict,
    GroupAffiliation,
    Incident,
    Involvement,
    Meeting,
    Person,
    RiskDesignation,
    Task,
    derive_kind,
)
from ceasefire.core.selectors import (
    conflicts_of_groups,
    designations_due_for_review,
    local_midnight,
    tasks_carried_forward,
)

from .models import DesignationDecision, FollowUpChoice, ReviewIncident, ReviewSummary, RiskDecision

SUGGESTION_LOOKBACK = dt.timedelta(days=730)
DEFAULT_FIRST_WINDOW_DAYS = 7

# --- The shooting log -------------------------------------------------------------------


def _victim_count(**injury) -> Subquery:
    victims = (
        Involvement.objects.filter(incident=OuterRef("pk"), role=Involvement.Role.VICTIM, **injury)
        .order_by()
        .values("incident")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(victims, output_field=IntegerField()), 0)


def incidents_annotated(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    """Kind and victim counts in SQL subqueries (no GROUP BY, so counting pages stays cheap).

    One query a page.
    """
    return (
        incidents.with_kind()
        .annotate(
            fatal_count=_victim_count(injury=Involvement.Injury.FATAL),
            nonfatal_count=_victim_count(injury=Involvement.Injury.NONFATAL),
        )
        .select_related("conflict__group_a", "conflict__group_b")
        .order_by("-occurred_at", "-id")
    )


def incident_search(incidents: QuerySet[Incident], text: str) -> QuerySet[Incident]:
    """Case number, address, or the name (or alias) of anyone involved."""
    text = (text or "").strip()
    if not text:
        return incidents
    person_match = Q()
    for word in text.split():
        person_match &= (
            Q(person__first_name__icontains=word)
            | Q(person__last_name__icontains=word)
            | Q(person__aliases__icontains=word)
        )
    involved = Involvement.objects.filter(person_match, incident=OuterRef("pk"))
    return incidents.filter(
        Q(case_number__icontains=text) | Q(address__icontains=text) | Exists(involved)
    )


def incident_detail(incidents: QuerySet[Incident], pk) -> Incident:
    """One incident with everything its page shows, in a fixed number of queries."""
    return (
        incidents.with_kind()
        .select_related("conflict__group_a", "conflict__group_b", "created_by", "updated_by")
        .prefetch_related(
            Prefetch(
                "involvements",
                queryset=Involvement.objects.select_related("person").order_by("role", "id"),
            ),
            "groups",
            Prefetch(
                "related_incidents", queryset=Incident.objects.with_kind().order_by("-occurred_at")
            ),
        )
        .get(pk=pk)
    )


def people_matching(text: str, *, limit: int = 8) -> list[Person]:
    """The person search of the search-or-create field: every word must match a name or alias."""
    words = (text or "").split()
    if not words:
        return []
    people = Person.objects.all()
    for word in words[:4]:
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(aliases__icontains=word)
        )
    return list(people.order_by("last_name", "first_name")[:limit])


# --- Groups, conflicts, people -------------------------------------------------------


def conflicts_hottest(on: dt.date, *, limit: int = 5, days: int = 90) -> list[Conflict]:
    """Hot and active conflicts, hottest first: status, then linked shootings in ``days``."""
    since = local_midnight(on - dt.timedelta(days=days))
    until = local_midnight(on + dt.timedelta(days=1))
    return list(
        Conflict.objects.filter(status__in=[Conflict.Status.HOT, Conflict.Status.ACTIVE])
        .select_related("group_a", "group_b")
        .annotate(
            recent_incidents=Count(
                "incidents",
                filter=Q(incidents__occurred_at__gte=since, incidents__occurred_at__lt=until),
                distinct=True,
            )
        )
        .annotate(heat=Case(When(status=Conflict.Status.HOT, then=Value(0)), default=Value(1)))
        .order_by("heat", "-recent_incidents", "group_a__name")[:limit]
    )


def group_detail(group) -> dict:
    members = list(
        GroupAffiliation.objects.filter(group=group)
        .select_related("person")
        .order_by("-active", "person__last_name")[:200]
    )
    incidents = incidents_annotated(Incident.objects.filter(groups=group))[:100]
    return {
        "members": members,
        "incidents": list(incidents),
        "conflicts": list(conflicts_of_groups([group.pk])),
        "tasks": list(
            Task.objects.filter(subject_group=group, status__in=Task.OPEN_STATUSES).select_related(
                "assigned_organisation"
            )
        ),
    }


def conflict_detail(conflict: Conflict) -> dict:
    return {
        "incidents": list(incidents_annotated(Incident.objects.filter(conflict=conflict))[:100]),
        "tasks": list(
            Task.objects.filter(
                subject_conflict=conflict, status__in=Task.OPEN_STATUSES
            ).select_related("assigned_organisation")
        ),
    }


# --- The weekly shooting review ---------------------------------------------------------


def review_window_proposed(
    day: dt.date, *, reviews: QuerySet[Meeting] | None = None
) -> tuple[dt.datetime, dt.datetime]:
    """From the end of the previous review's window to the start of the meeting day (local time).

    The windows tile: a shooting at 23:59 the night before belongs to this review, one at
    00:00 on the meeting day to the next one. The first review looks back a week.
    """
    reviews = reviews if reviews is not None else Meeting.objects.all()
    end = local_midnight(day)
    previous = (
        reviews.filter(
            kind=Meeting.Kind.SHOOTING_REVIEW, window_end__isnull=False, window_end__lt=end
        )
        .order_by("-window_end")
        .first()
    )
    start = (
        previous.window_end
        if previous
        else local_midnight(day - dt.timedelta(days=DEFAULT_FIRST_WINDOW_DAYS))
    )
    return timezone.localtime(start), end


def since_last_review(reviews: QuerySet[Meeting]) -> dt.datetime:
    """Where the next review's window will start: the end of the latest window, or a week ago."""
    latest = (
        reviews.filter(
            kind=Meeting.Kind.SHOOTING_REVIEW,
            window_end__isnull=False,
            window_end__lte=timezone.now(),
        )
        .order_by("-window_end")
        .values_list("window_end", flat=True)
        .first()
    )
    return (
        timezone.localtime(latest)
        if latest
        else local_midnight(timezone.localdate() - dt.timedelta(days=DEFAULT_FIRST_WINDOW_DAYS))
    )


def incidents_in_review_window(review: Meeting) -> QuerySet[Incident]:
    """Every shooting (fatal, non-fatal, non-injury) and homicide in the window, whatever its
    counting status."""
    return (
        Incident.objects.in_window(review.window_start, review.window_end)
        .with_kind()
        .exclude(kind_code="other")
        .order_by("occurred_at", "id")
    )


def reviews_list(reviews: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return (
        reviews.filter(kind=Meeting.Kind.SHOOTING_REVIEW)
        .select_related("facilitator")
        .annotate(
            incident_count=Count("review_incidents", distinct=True),
            task_count=Count("tasks", distinct=True),
        )
        .order_by("-date", "-id")
    )


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


def review_incidents(meeting: Meeting) -> list[ReviewIncident]:
    victims = Involvement.objects.select_related("person").order_by("role", "id")
    return list(
        ReviewIncident.objects.filter(meeting=meeting)
        .select_related("incident__conflict__group_a", "incident__conflict__group_b", "updated_by")
        .prefetch_related(
            Prefetch("incident__involvements", queryset=victims),
            "incident__groups",
            Prefetch(
                "incident__related_incidents", queryset=Incident.objects.order_by("-occurred_at")
            ),
        )
        .order_by("order", "id")
    )


def review_agenda(meeting: Meeting, *, tasks: QuerySet[Task]) -> dict:
    """Everything the four sections of a review show, in a bounded number of queries."""
    entries = _agenda_entries(meeting)
    summary = ReviewSummary.objects.filter(meeting=meeting).first()  # made by review_create
    if meeting.is_closed:
        deliverables = summary.deliverables_at_close if summary else []
    else:
        deliverables = list(
            tasks_carried_forward(Meeting.Kind.SHOOTING_REVIEW, meeting.date, tasks)
        )
    decisions = list(
        DesignationDecision.objects.filter(meeting=meeting).select_related(
            "person", "designation", "decided_by"
        )
    )
    decided = {d.designation_id for d in decisions}
    due = [d for d in designations_due_for_review(meeting.date) if d.pk not in decided]
    return {
        "entries": entries,
        "summary": summary,
        "deliverables": deliverables,
        "due": due,
        "designation_decisions": decisions,
        "hottest": conflicts_hottest(meeting.date),
        "new_tasks": list(
            tasks.filter(source_meeting=meeting).select_related(
                "assigned_organisation",
                "subject_person",
                "subject_group",
                "subject_conflict__group_a",
                "subject_conflict__group_b",
            )
        ),
        "followups": list(
            FollowUpChoice.objects.filter(meeting=meeting).select_related("person", "chosen_by")
        ),
        "candidates": _candidates(entries, due),
    }


def _agenda_entries(meeting: Meeting) -> list[ReviewIncident]:
    """The shootings on the agenda with their suggestions, victims and everyone else involved."""
    entries = review_incidents(meeting)
    suggestions = suggestions_for_review(entries, meeting)
    for entry in entries:
        involvements = entry.incident.involvements.all()
        entry.suggestions = suggestions.get(entry.incident_id, [])
        entry.confirmed = [
            s
            for s in entry.suggestions
            if s.decision and s.decision.decision == RiskDecision.Decision.CONFIRMED
        ]
        entry.victims = [i for i in involvements if i.role == Involvement.Role.VICTIM]
        entry.others = [i for i in involvements if i.role != Involvement.Role.VICTIM]
        entry.incident.kind_code = derive_kind(
            entry.incident.weapon, {v.injury for v in entry.victims}
        )
    return entries


def _candidates(entries: list[ReviewIncident], due: list[RiskDesignation]) -> list[Person]:
    """Who the risk section offers: people confirmed at risk, the victims, and those due for
    review, each with their open designation (if any), by name."""
    confirmed = [s.person for e in entries for s in e.confirmed]
    victims = [v.person for e in entries for v in e.victims if v.person_id]
    candidates: dict[int, Person] = {}
    for person in confirmed + victims + [d.person for d in due]:
        candidates.setdefault(person.pk, person)
    active = {
        d.person_id: d
        for d in RiskDesignation.objects.open()
        .filter(person_id__in=candidates.keys())
        .order_by("designated_on")
    }
    for person in candidates.values():
        person.open_designation = active.get(person.pk)
    return sorted(candidates.values(), key=lambda p: (p.last_name, p.first_name))


def review_incidents_involving(review: Meeting, person: Person) -> list[Incident]:
    """The shootings on the review's agenda that involve ``person`` (a designation's basis)."""
    return list(
        Incident.objects.filter(
            review_entries__meeting=review, involvements__person=person
        ).distinct()
    )


def review_people_ids(agenda: dict) -> list[int]:
    """Every person named on a review page, for the audit event of viewing it."""
    ids: set[int] = set()
    for entry in agenda["entries"]:
        ids |= {i.person_id for i in entry.incident.involvements.all() if i.person_id}
        ids |= {s.person.pk for s in entry.suggestions}
    ids |= {d.person_id for d in agenda["due"]}
    ids |= {f.person_id for f in agenda["followups"]}
    ids |= {t.subject_person_id for t in agenda["new_tasks"] if t.subject_person_id}
    ids |= {
        t.subject_person_id
        for t in agenda["deliverables"]
        if isinstance(t, Task) and t.subject_person_id
    }
    return sorted(ids)
