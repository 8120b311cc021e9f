"""Re-validating group and conflict records: every three years, or the nightly run archives them.

A police facilitator confirms that a group or conflict record is still accurate and needed; the
day is recorded (``validated_on``), so the next re-validation falls due three years later
(``revalidation_due``, computed by the server). An archived record is history: it is not
re-validated, it is recorded anew if it matters again.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from ceasefire.core.audit import Action, audit_record
from ceasefire.core.concurrency import ConcurrentEditError, save_versioned
from ceasefire.core.models import Conflict, Group, User


def _revalidate(record: Group | Conflict, *, user: User) -> Group | Conflict:
    model = type(record)
    current = model.objects.select_for_update().get(pk=record.pk)
    if current.archived_on is not None:
        raise ValidationError(
            f"This record was archived on {current.archived_on:%d %b %Y}; record it anew instead."
        )
    previous, today = current.validated_on, timezone.localdate()
    model.objects.filter(pk=record.pk).update(
        validated_on=today, version=F("version") + 1, updated_at=timezone.now(), updated_by=user
    )
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


# --- Recording groups and conflicts (the police facilitator) ----------------------------------

GROUP_FIELDS = ("name", "area", "active", "description")
CONFLICT_FIELDS = ("status", "started_on", "description")


def _changes(record, changes: dict, allowed: tuple[str, ...]) -> dict:
    """``changes`` applied to ``record``: what it held and holds now, field by field (intelligence
    text is named, never copied into the audit log)."""
    unknown = set(changes) - set(allowed)
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    changed = {}
    for name, value in changes.items():
        before = getattr(record, name)
        if isinstance(value, str):
            value = value.strip()
        if value != before:
            setattr(record, name, value)
            changed[name] = "changed" if name == "description" else [before, value]
    return changed


def _not_archived(record: Group | Conflict, what: str) -> None:
    if record.archived_on is not None:
        raise ValidationError(
            f"{what} was archived on {record.archived_on:%d %b %Y}: it is history and is not "
            "edited; record it anew if it matters again."
        )


@transaction.atomic
def group_create(
    *, user: User, name: str, area: str = "", active: bool = True, description: str = ""
) -> Group:
    """Record a group (with its area and whether it is active); validated today."""
    group = Group(
        name=name.strip(),
        area=area.strip(),
        active=active,
        description=description,
        updated_by=user,
    )
    group.full_clean()
    group.save()
    audit_record(
        actor=user, action=Action.CREATE, obj=group, detail={"area": group.area, "active": active}
    )
    return group


@transaction.atomic
def group_update(*, group: Group, user: User, expected_version: int, changes: dict) -> Group:
    """Change a group's name, area, active flag or description, if nobody saved it since
    ``expected_version`` (else ``ConcurrentEditError``; a re-validation is a save too)."""
    group = Group.objects.get(pk=group.pk)
    _not_archived(group, "This group")
    changed = _changes(group, changes, GROUP_FIELDS)
    if not changed:
        if group.version != expected_version:
            raise ConcurrentEditError(group)
        return group
    group.full_clean()
    save_versioned(group, expected_version=expected_version, user=user, fields=list(changed))
    audit_record(actor=user, action=Action.CHANGE, obj=group, detail={"changed": changed})
    return group


def _conflict_groups_problem(group_a: Group, group_b: Group | None) -> None:
    if group_b is not None and group_a.pk == group_b.pk:
        raise ValidationError(
            {
                "group_b": "Choose two different groups, or leave the second one empty for a "
                "conflict within one group."
            }
        )
    for field, group in (("group_a", group_a), ("group_b", group_b)):
        if group is not None and group.archived_on is not None:
            raise ValidationError({field: f"{group} is archived: record it anew first."})
    pair = {group_a.pk, group_b.pk if group_b else None}
    ids = [pk for pk in pair if pk]
    for conflict in Conflict.objects.current().filter(Q(group_a__in=ids) | Q(group_b__in=ids)):
        if {conflict.group_a_id, conflict.group_b_id} == pair:
            raise ValidationError(
                f"{conflict} is already recorded ({conflict.get_status_display().lower()}): "
                "change its status instead of recording it twice."
            )


@transaction.atomic
def conflict_create(
    *,
    user: User,
    group_a: Group,
    group_b: Group | None = None,
    status: str = Conflict.Status.ACTIVE,
    started_on=None,
    description: str = "",
) -> Conflict:
    """Record a conflict between two groups, or within one (``group_b`` empty)."""
    _conflict_groups_problem(group_a, group_b)
    if started_on is not None and started_on > timezone.localdate():
        raise ValidationError({"started_on": "A conflict cannot start in the future."})
    conflict = Conflict(
        group_a=group_a,
        group_b=group_b,
        status=status,
        started_on=started_on,
        description=description,
        updated_by=user,
    )
    conflict.full_clean()
    conflict.save()
    audit_record(actor=user, action=Action.CREATE, obj=conflict, detail={"status": status})
    return conflict


@transaction.atomic
def conflict_update(
    *, conflict: Conflict, user: User, expected_version: int, changes: dict
) -> Conflict:
    """Change a conflict's status (hot, active, dormant), start or description, if nobody saved
    it since ``expected_version`` (else ``ConcurrentEditError``)."""
    conflict = Conflict.objects.select_related("group_a", "group_b").get(pk=conflict.pk)
    _not_archived(conflict, "This conflict")
    changed = _changes(conflict, changes, CONFLICT_FIELDS)
    if conflict.started_on is not None and conflict.started_on > timezone.localdate():
        raise ValidationError({"started_on": "A conflict cannot start in the future."})
    if not changed:
        if conflict.version != expected_version:
            raise ConcurrentEditError(conflict)
        return conflict
    conflict.full_clean()
    save_versioned(conflict, expected_version=expected_version, user=user, fields=list(changed))
    audit_record(actor=user, action=Action.CHANGE, obj=conflict, detail={"changed": changed})
    return conflict
