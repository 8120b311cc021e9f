"""Reads of the shooting log: incidents with their kind and victims, people, groups, conflicts."""

from __future__ import annotations

import datetime as dt

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

from ceasefire.core.models import Conflict, GroupAffiliation, Incident, Involvement, Person, Task
from ceasefire.core.selectors import conflicts_of_groups, local_midnight


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
