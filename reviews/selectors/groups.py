"""Reads of the groups list: each group's active members and linked shootings, counted apart.

Each count is a correlated subquery read through its own index (affiliations by group, the
incident-group link by group): joining members and incidents in one pass and counting both would
multiply the rows (members × incidents per group), and the page count would repeat that join.
"""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from ceasefire.core.models import Conflict, Group, GroupAffiliation, Incident


def _counted(rows: QuerySet, key: str) -> Coalesce:
    counts = rows.order_by().values(key).annotate(n=Count("*")).values("n")
    return Coalesce(Subquery(counts, output_field=IntegerField()), 0)


def groups_listed(groups: QuerySet[Group]) -> QuerySet[Group]:
    """``member_count`` (active affiliations) and ``incident_count`` per group, by name."""
    members = GroupAffiliation.objects.filter(group=OuterRef("pk"), active=True)
    incidents = Incident.groups.through.objects.filter(group=OuterRef("pk"))
    return groups.annotate(
        member_count=_counted(members, "group"),
        incident_count=_counted(incidents, "group"),
    ).order_by("name")


def conflicts_listed(conflicts: QuerySet[Conflict]) -> QuerySet[Conflict]:
    """``incident_count`` per conflict (a subquery on the incidents' conflict index)."""
    incidents = Incident.objects.filter(conflict=OuterRef("pk"))
    return (
        conflicts.select_related("group_a", "group_b")
        .annotate(incident_count=_counted(incidents, "conflict"))
        .order_by("status", "group_a__name")
    )
