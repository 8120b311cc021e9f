"""Coordination meetings and what they record.

Attendance, minutes and closing; per-person plans, long-term plans, partnership-health items.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ceasefire.core import services as core_services
from ceasefire.core.audit import Action, audit_record
from ceasefire.core.concurrency import save_versioned
from ceasefire.core.models import AgendaItem, Meeting, Organisation, Person, Task, User

from .. import selectors
from ..models import LongTermPlan, PartnershipHealthItem, PersonPlan

INTERVENTION_KINDS = (
    Task.Kind.CUSTOM_NOTIFICATION,
    Task.Kind.HOSPITAL_RESPONSE,
    Task.Kind.FAMILY_SUPPORT,
    Task.Kind.LIFE_COACH,
    Task.Kind.CONFLICT_MEDIATION,
    Task.Kind.IN_REACH,
    Task.Kind.STREET_OUTREACH,
    Task.Kind.SERVICE_REFERRAL,
)


def _require_coordination(meeting: Meeting) -> None:
    if meeting.kind != Meeting.Kind.COORDINATION:
        raise ValidationError("This is not a coordination meeting.")


def _require_open(meeting: Meeting) -> None:
    _require_coordination(meeting)
    if meeting.is_closed:
        raise ValidationError("This meeting is closed; its minutes are frozen.")


def _require_shared(person: Person) -> None:
    """Plans are made only for people on the partnership's list (an active share)."""
    if not person.shares.filter(withdrawn_at__isnull=True).exists():
        raise ValidationError("This person is no longer shared with the partnership.")


def _start(meeting: Meeting) -> list[str]:
    """A draft meeting is in progress from its first change."""
    if meeting.state == Meeting.State.DRAFT:
        meeting.state = Meeting.State.IN_PROGRESS
        return ["state"]
    return []


@transaction.atomic
def coordination_meeting_create(*, user: User, date: dt.date) -> Meeting:
    if date is None:
        raise ValidationError({"date": "Give the meeting date."})
    if Meeting.objects.filter(kind=Meeting.Kind.COORDINATION, date=date).exists():
        raise ValidationError({"date": "There is already a coordination meeting on that date."})
    meeting = Meeting(kind=Meeting.Kind.COORDINATION, date=date, facilitator=user, updated_by=user)
    meeting.full_clean()
    meeting.save()
    audit_record(actor=user, action=Action.CREATE, obj=meeting)
    return meeting


@transaction.atomic
def meeting_attendance_set(
    *,
    meeting: Meeting,
    user: User,
    expected_version: int,
    organisations: Iterable[Organisation],
    risk_alignment: bool,
) -> Meeting:
    """Record which organisations attended and whether the agenda covered risk alignment."""
    _require_open(meeting)
    organisations = list(organisations)
    inactive = [o.name for o in organisations if not o.active]
    if inactive:
        raise ValidationError(
            {"organisations": f"Not an active organisation: {', '.join(inactive)}."}
        )
    meeting.risk_alignment = bool(risk_alignment)
    fields = ["risk_alignment", *_start(meeting)]
    meeting.full_clean()
    save_versioned(meeting, expected_version=expected_version, user=user, fields=fields)
    meeting.attending_organisations.set(organisations)
    audit_record(
        actor=user,
        action=Action.CHANGE,
        obj=meeting,
        detail={
            "attending_organisations": sorted(o.pk for o in organisations),
            "risk_alignment": meeting.risk_alignment,
        },
    )
    return meeting


@transaction.atomic
def meeting_minutes_save(
    *, meeting: Meeting, user: User, expected_version: int, minutes: str
) -> Meeting:
    _require_open(meeting)
    meeting.minutes = (minutes or "").strip()
    fields = ["minutes", *_start(meeting)]
    meeting.full_clean()
    save_versioned(meeting, expected_version=expected_version, user=user, fields=fields)
    audit_record(actor=user, action=Action.CHANGE, obj=meeting, detail={"fields": ["minutes"]})
    return meeting


@transaction.atomic
def coordination_meeting_close(*, meeting: Meeting, user: User, expected_version: int) -> Meeting:
    """Freeze the agenda (risk picture, chronically high-risk people) as agenda items; close."""
    _require_open(meeting)
    order = 0
    items = []
    for share in selectors.shares_on_agenda(meeting):
        order += 1
        recommended = ", ".join(selectors.intervention_labels(share.recommended_interventions))
        items.append(
            AgendaItem(
                meeting=meeting,
                section="risk_picture",
                order=order,
                person=share.person,
                title=str(share.person)[:300],
                notes=f"{share.risk_assessment}"
                + (f" — recommended: {recommended}" if recommended else ""),
                is_risk_alignment=True,
            )
        )
    for person in selectors.people_chronically_high_risk(Person.objects.all(), on=meeting.date):
        order += 1
        plan = getattr(person, "long_term_plan", None)
        items.append(
            AgendaItem(
                meeting=meeting,
                section="chronic",
                order=order,
                person=person,
                title=str(person)[:300],
                notes=plan.plan if plan else "",
            )
        )
    items.append(
        AgendaItem(
            meeting=meeting,
            section=selectors.FROZEN_MARKER,
            order=0,
            title="Agenda frozen when the meeting closed",
        )
    )
    AgendaItem.objects.filter(
        meeting=meeting, section__in=["risk_picture", "chronic", selectors.FROZEN_MARKER]
    ).delete()
    AgendaItem.objects.bulk_create(items)
    return core_services.meeting_close(
        meeting=meeting, user=user, expected_version=expected_version
    )


@transaction.atomic
def person_plan_save(*, meeting: Meeting, person: Person, user: User, notes: str) -> PersonPlan:
    _require_open(meeting)
    _require_shared(person)
    plan, created = PersonPlan.objects.get_or_create(
        meeting=meeting, person=person, defaults={"updated_by": user}
    )
    plan.notes = (notes or "").strip()
    plan.updated_by = user
    plan.updated_at = timezone.now()
    plan.full_clean()
    plan.save(update_fields=["notes", "updated_by", "updated_at"])
    audit_record(
        actor=user,
        action=Action.CREATE if created else Action.CHANGE,
        obj=plan,
        detail={"person": person.pk},
    )
    return plan


@transaction.atomic
def plan_intervention_add(
    *,
    meeting: Meeting,
    person: Person,
    user: User,
    kind: str,
    assigned_organisation: Organisation | None,
    due_date: dt.date | None,
    assigned_user: User | None = None,
    description: str = "",
) -> Task:
    """One planned intervention for a person becomes a follow-up task of a partner organisation."""
    _require_open(meeting)
    _require_shared(person)
    errors = {}
    if kind not in INTERVENTION_KINDS:
        errors["kind"] = "Choose one of the planned interventions."
    if assigned_organisation is None:
        errors["assigned_organisation"] = "Choose the organisation that will do it."
    elif not assigned_organisation.active:
        errors["assigned_organisation"] = "That organisation is no longer active."
    if due_date is None:
        errors["due_date"] = "Give a due date."
    elif due_date < meeting.date:
        errors["due_date"] = "The due date cannot be before the meeting."
    if errors:
        raise ValidationError(errors)
    PersonPlan.objects.get_or_create(meeting=meeting, person=person, defaults={"updated_by": user})
    return core_services.task_create(
        user=user,
        title=Task.Kind(kind).label,
        kind=kind,
        assigned_organisation=assigned_organisation,
        assigned_user=assigned_user,
        due_date=due_date,
        subject_person=person,
        source_meeting=meeting,
        description=(description or "").strip(),
    )


@transaction.atomic
def long_term_plan_save(
    *, person: Person, user: User, plan: str, expected_version: int | None = None
) -> LongTermPlan:
    text = (plan or "").strip()
    if not text:
        raise ValidationError({"plan": "Write the long-term plan."})
    existing = LongTermPlan.objects.filter(person=person).first()
    if existing is None:
        created = LongTermPlan(person=person, plan=text, updated_by=user)
        created.full_clean()
        created.save()
        audit_record(actor=user, action=Action.CREATE, obj=created, detail={"person": person.pk})
        return created
    existing.plan = text
    existing.full_clean()
    save_versioned(existing, expected_version=expected_version or 0, user=user, fields=["plan"])
    audit_record(actor=user, action=Action.CHANGE, obj=existing, detail={"person": person.pk})
    return existing


@transaction.atomic
def health_item_create(
    *,
    meeting: Meeting,
    user: User,
    category: str,
    title: str,
    owner_organisation: Organisation | None,
    owner_user: User | None = None,
    notes: str = "",
) -> PartnershipHealthItem:
    _require_open(meeting)
    if owner_organisation is None:
        raise ValidationError({"owner_organisation": "Every item has an owner organisation."})
    if owner_user is not None and owner_user.organisation_id != owner_organisation.pk:
        raise ValidationError(
            {"owner_user": "That person does not belong to the owner organisation."}
        )
    item = PartnershipHealthItem(
        category=category,
        title=(title or "").strip(),
        owner_organisation=owner_organisation,
        owner_user=owner_user,
        notes=(notes or "").strip(),
        raised_at=meeting,
        created_by=user,
        updated_by=user,
    )
    item.full_clean()
    item.save()
    audit_record(actor=user, action=Action.CREATE, obj=item)
    return item


@transaction.atomic
def health_item_update(
    *,
    item: PartnershipHealthItem,
    meeting: Meeting,
    user: User,
    expected_version: int,
    status: str,
    notes: str | None = None,
) -> PartnershipHealthItem:
    """Change status (closing records the meeting that closed it) and notes."""
    _require_open(meeting)
    if status not in PartnershipHealthItem.Status.values:
        raise ValidationError({"status": "Choose a valid status."})
    if not item.is_open and item.closed_at_id and item.closed_at_id != meeting.pk:
        raise ValidationError("This item was closed at an earlier meeting.")
    fields = []
    if status != item.status:
        item.status = status
        item.closed_at = meeting if status == PartnershipHealthItem.Status.CLOSED else None
        fields += ["status", "closed_at"]
    if notes is not None and notes.strip() != item.notes:
        item.notes = notes.strip()
        fields.append("notes")
    if not fields:
        raise ValidationError("Nothing to save: change the status or the notes.")
    item.full_clean()
    save_versioned(item, expected_version=expected_version, user=user, fields=fields)
    audit_record(
        actor=user, action=Action.CHANGE, obj=item, detail={"fields": fields, "status": item.status}
    )
    return item
