"""A person's group affiliations and enforcement actions, written by the police facilitator.

Keyword-only and atomic like every service: validated before anything is written (a refusal
writes nothing), audited inside the same transaction. Enforcement actions, affiliations (and
groups) feed the worksheet: the data-version triggers on their tables (``dataversion``) make the
next worksheet compute afresh. Called by the person page, the group page (reviews) and API v1.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .audit import Action, audit_record
from .concurrency import ConcurrentEditError, save_versioned
from .models import EnforcementAction, Group, GroupAffiliation, Person, User


@transaction.atomic
def affiliation_add(
    *, person: Person, group: Group, user: User, basis: str, since: dt.date
) -> GroupAffiliation:
    """Record that ``person`` belongs to ``group`` since ``since``, and on what basis
    (intelligence: police only)."""
    if group.archived_on is not None:
        raise ValidationError({"group": f"{group} is archived: record the group anew first."})
    if since > timezone.localdate():
        raise ValidationError({"since": "An affiliation cannot start in the future."})
    if person.date_of_birth and since < person.date_of_birth:
        raise ValidationError({"since": "That date is before the person was born."})
    if person.affiliations.filter(group=group, active=True).exists():
        raise ValidationError(
            {"group": f"{person} is already recorded as a member of {group}: end that first."}
        )
    affiliation = GroupAffiliation(
        person=person, group=group, basis=basis.strip(), since=since, recorded_by=user
    )
    affiliation.full_clean()
    affiliation.save()
    audit_record(
        actor=user,
        action=Action.CREATE,
        obj=affiliation,
        detail={"group": group.pk, "since": since},
    )
    return affiliation


@transaction.atomic
def affiliation_end(*, affiliation: GroupAffiliation, user: User) -> GroupAffiliation:
    """The person is no longer a member: the affiliation stays on record, inactive."""
    affiliation = GroupAffiliation.objects.select_for_update().get(pk=affiliation.pk)
    if not affiliation.active:
        raise ValidationError("This affiliation has already ended.")
    affiliation.active = False
    affiliation.save(update_fields=["active"])
    audit_record(
        actor=user, action=Action.CHANGE, obj=affiliation, detail={"active": [True, False]}
    )
    return affiliation


ENFORCEMENT_FIELDS = ("person", "group", "unit", "taken_on", "kind", "notes")


def _enforcement_check(action: EnforcementAction) -> None:
    if action.person_id is None and action.group_id is None:
        raise ValidationError("Say whom the action was taken against: a person, a group or both.")
    if action.taken_on and action.taken_on > timezone.localdate():
        raise ValidationError({"taken_on": "An enforcement action cannot be in the future."})
    action.full_clean()


@transaction.atomic
def enforcement_action_record(
    *,
    user: User,
    taken_on: dt.date,
    kind: str,
    person: Person | None = None,
    group: Group | None = None,
    unit=None,
    notes: str = "",
) -> EnforcementAction:
    """An enforcement action against a person or a group (it feeds the worksheet)."""
    action = EnforcementAction(
        person=person,
        group=group,
        unit=unit,
        taken_on=taken_on,
        kind=kind,
        notes=notes.strip(),
        recorded_by=user,
        updated_by=user,
    )
    _enforcement_check(action)
    action.save()
    audit_record(
        actor=user, action=Action.CREATE, obj=action, detail={"kind": kind, "taken_on": taken_on}
    )
    return action


@transaction.atomic
def enforcement_action_correct(
    *, action: EnforcementAction, user: User, expected_version: int, changes: dict
) -> EnforcementAction:
    """Correct a recorded action's subject, unit, date, kind or notes, if nobody corrected it
    since ``expected_version`` (else ``ConcurrentEditError``)."""
    unknown = set(changes) - set(ENFORCEMENT_FIELDS)
    if unknown:
        raise ValidationError(f"These cannot be changed here: {', '.join(sorted(unknown))}.")
    action = EnforcementAction.objects.get(pk=action.pk)
    changed = {}
    for name, value in changes.items():
        before = getattr(action, name)
        if value != before:
            setattr(action, name, value)
            changed[name] = (
                "changed"  # free text: named, not copied into the audit log
                if name == "notes"
                else [getattr(before, "pk", before), getattr(value, "pk", value)]
            )
    if not changed:
        if action.version != expected_version:
            raise ConcurrentEditError(action)
        return action
    _enforcement_check(action)
    save_versioned(action, expected_version=expected_version, user=user, fields=list(changed))
    audit_record(actor=user, action=Action.CHANGE, obj=action, detail={"changed": changed})
    return action
