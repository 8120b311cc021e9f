"""Re-validating group and conflict records: every three years, or the nightly run archives them.

A police facilitator confirms that a group or conflict record is still accurate and needed; the
day is recorded (``validated_on``), so the next re-validation falls due three years later
(``revalidation_due``, computed by the server). An archived record is history: it is not
re-validated, it is recorded anew if it matters again.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ceasefire.core.audit import Action, audit_record
from ceasefire.core.models import Conflict, Group, User


def _revalidate(record: Group | Conflict, *, user: User) -> Group | Conflict:
    model = type(record)
    current = model.objects.select_for_update().get(pk=record.pk)
    if current.archived_on is not None:
        raise ValidationError(
            f"This record was archived on {current.archived_on:%d %b %Y}; record it anew instead."
        )
    previous, today = current.validated_on, timezone.localdate()
    values = {"validated_on": today}
    if model is Conflict:
        values.update(version=F("version") + 1, updated_at=timezone.now(), updated_by=user)
    model.objects.filter(pk=record.pk).update(**values)
    record.refresh_from_db()
    audit_record(
        actor=user,
        action=Action.CHANGE,
        obj=record,
        detail={
            "revalidated": today.isoformat(),
            "previously": previous.isoformat(),
            "next_due": record.revalidation_due.isoformat(),
        },
    )
    return record


@transaction.atomic
def group_revalidate(*, group: Group, user: User) -> Group:
    """The group record is confirmed accurate today; its next re-validation is three years on."""
    return _revalidate(group, user=user)


@transaction.atomic
def conflict_revalidate(*, conflict: Conflict, user: User) -> Conflict:
    """The conflict record is confirmed accurate today; its next re-validation is three years on."""
    return _revalidate(conflict, user=user)
