"""Reads of the shooting log: incidents with their kind and victims, people, groups, conflicts."""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Case,
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower

from ceasefire.core.models import Conflict, GroupAffiliation, Incident, Involvement, Person, Task
from ceasefire.core.selectors import conflicts_of_groups, local_midnight


def incidents_annotated(incidents: QuerySet[Incident]) -> QuerySet[Incident]:
    """Kind and victim counts, read from the counts the database keeps on each incident
    (``fatal_victims`` / ``nonfatal_victims``, triggers of migration core 0007): no per-row
    subquery, so a deep page or a count costs no more than the first page.

    Ordered by the log's index (``incident_log_order_idx``). One query a page.
    """
    return (
        incidents.with_kind()
        .annotate(fatal_count=F("fatal_victims"), nonfatal_count=F("nonfatal_victims"))
        .select_related("conflict__group_a", "conflict__group_b")
        .order_by("-occurred_at", "-id")
    )


def _people_matching_words(words: list[str]) -> QuerySet[Person]:
    """People whose name or alias contains every word (each ``icontains`` reads a trigram index
    on PostgreSQL, migration core 0019)."""
    people = Person.objects.all()
    for word in words:
        people = people.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(aliases__icontains=word)
        )
    return people


def incident_search(incidents: QuerySet[Incident], text: str) -> QuerySet[Incident]:
    """Case number, address, or the name (or alias) of anyone involved.

    The three ways to match are a union of incident ids, each branch reading its own index (the
    trigram indexes of case number, address and names on PostgreSQL, the involvements' person
    index): an ``OR`` with an ``EXISTS`` would make PostgreSQL scan every incident.
    """
    text = (text or "").strip()
    if not text:
        return incidents
    by_person = (
        Involvement.objects.filter(person__in=_people_matching_words(text.split()).values("pk"))
        .order_by()
        .values("incident_id")
    )
    by_case = Incident.objects.filter(case_number__icontains=text).order_by().values("pk")
    by_address = Incident.objects.filter(address__icontains=text).order_by().values("pk")
    return incidents.filter(pk__in=by_case.union(by_address, by_person))


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
    words = words[:4]
    people = _people_matching_words(words)
    if all(len(word) >= TRIGRAM for word in words):
        # by the names' lower case: ordered by the bare columns, PostgreSQL would walk the name
        # index row after row in hope of the first few matches (36,000 rows for "Garc" at city
        # scale, 58 ms) instead of reading the trigram indexes (9 ms)
        return list(people.order_by(Lower("last_name"), Lower("first_name"), "pk")[:limit])
    # a word shorter than a trigram reads no trigram index: the name index's walk finds it soon
    return list(people.order_by("last_name", "first_name", "pk")[:limit])


TRIGRAM = 3


def conflicts_hottest(on: dt.date, *, limit: int = 5, days: int = 90) -> list[Conflict]:
    """Hot and active conflicts, hottest first: status, then linked shootings in ``days``."""
    since = local_midnight(on - dt.timedelta(days=days))
    until = local_midnight(on + dt.timedelta(days=1))
    # counted per conflict in the window (both indexes), not over each conflict's whole history
    recent = (
        Incident.objects.filter(
            conflict=OuterRef("pk"), occurred_at__gte=since, occurred_at__lt=until
        )
        .order_by()
        .values("conflict")
        .annotate(n=Count("id"))
        .values("n")
    )
    return list(
        Conflict.objects.filter(status__in=[Conflict.Status.HOT, Conflict.Status.ACTIVE])
        .select_related("group_a", "group_b")
        .annotate(recent_incidents=Coalesce(Subquery(recent), 0))
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
