"""Group and conflict records whose three-yearly re-validation is due (or soon due)."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from ceasefire.core.models import Conflict, Group

# The list shows what falls due within this many days, as well as what is due already.
REVALIDATION_NOTICE_DAYS = 90


def groups_revalidation_due(
    groups: QuerySet[Group], on: dt.date, *, within_days: int = REVALIDATION_NOTICE_DAYS
) -> QuerySet[Group]:
    """Current groups due for re-validation by ``on`` + ``within_days``, the oldest first."""
    return groups.revalidation_due_by(on + dt.timedelta(days=within_days)).order_by(
        "validated_on", "name", "pk"
    )


def conflicts_revalidation_due(
    conflicts: QuerySet[Conflict], on: dt.date, *, within_days: int = REVALIDATION_NOTICE_DAYS
) -> QuerySet[Conflict]:
    """Current conflicts due for re-validation by ``on`` + ``within_days``, the oldest first."""
    return (
        conflicts.revalidation_due_by(on + dt.timedelta(days=within_days))
        .select_related("group_a", "group_b")
        .order_by("validated_on", "group_a__name", "pk")
    )
