"""Partners' records, which the worksheet counts.

Custom notifications, call-ins, enrolments and their exits, service contacts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ceasefire.core import services as core_services
from ceasefire.core.audit import Action, audit_record
from ceasefire.core.models import (
    CallIn,
    CustomNotification,
    Enrolment,
    Organisation,
    Person,
    ServiceContact,
    Task,
    User,
)


def _not_future(day: dt.date | None, field: str, what: str) -> None:
    if day is not None and day > timezone.localdate():
        raise ValidationError({field: f"{what} cannot be in the future."})


@transaction.atomic
def custom_notification_record(
    *,
    user: User,
    person: Person,
    delivered_on: dt.date | None,
    delivered_by: str,
    outcome: str = CustomNotification.Outcome.DELIVERED,
    help_accepted: bool = False,
    task: Task | None = None,
    notes: str = "",
) -> CustomNotification:
    """Record a custom notification. Its follow-up gets a dated note and, if open, goes in progress.

    The follow-up is not closed here: the worker usually goes on to enrol the person, and closing
    the task would end their access to the person (``people_visible_to``) before they can.
    """
    if delivered_on is None:
        raise ValidationError({"delivered_on": "Give the date."})
    _not_future(delivered_on, "delivered_on", "A delivery date")
    if task is not None and task.subject_person_id != person.pk:
        raise ValidationError({"task": "That follow-up is about someone else."})
    if help_accepted and outcome != CustomNotification.Outcome.DELIVERED:
        raise ValidationError(
            {"help_accepted": "Help can only be accepted when the notification was delivered."}
        )
    notification = CustomNotification(
        person=person,
        delivered_on=delivered_on,
        delivered_by=(delivered_by or "").strip(),
        delivering_organisation=user.organisation,
        outcome=outcome,
        help_accepted=help_accepted,
        task=task,
        notes=(notes or "").strip(),
        recorded_by=user,
    )
    notification.full_clean()
    notification.save()
    audit_record(
        actor=user,
        action=Action.CREATE,
        obj=notification,
        detail={"person": person.pk, "outcome": outcome},
    )
    if task is not None:
        core_services.task_update(
            task=task,
            user=user,
            expected_version=task.version,
            status=Task.Status.IN_PROGRESS if task.status == Task.Status.OPEN else None,
            note=_followup_note(notification),
        )
    return notification


def _followup_note(notification: CustomNotification) -> str:
    """The dated note a custom notification leaves on its follow-up."""
    note = (
        f"Custom notification ({notification.get_outcome_display().lower()}) on "
        f"{notification.delivered_on:%d %b %Y} by {notification.delivered_by}"
    )
    return note + ("; offer of help accepted." if notification.help_accepted else ".")


@transaction.atomic
def call_in_record(
    *,
    user: User,
    held_on: dt.date | None,
    attendees: Iterable[Person],
    location: str = "",
    notes: str = "",
) -> CallIn:
    if held_on is None:
        raise ValidationError({"held_on": "Give the date of the call-in."})
    _not_future(held_on, "held_on", "A call-in date")
    attendees = list(attendees)
    if not attendees:
        raise ValidationError({"attendees": "Choose at least one attendee."})
    call_in = CallIn(
        held_on=held_on,
        location=(location or "").strip(),
        notes=(notes or "").strip(),
        recorded_by=user,
    )
    call_in.full_clean()
    call_in.save()
    call_in.attendees.set(attendees)
    audit_record(
        actor=user,
        action=Action.CREATE,
        obj=call_in,
        detail={"attendees": sorted(p.pk for p in attendees)},
    )
    return call_in


@transaction.atomic
def enrolment_start(
    *,
    user: User,
    person: Person,
    provider: Organisation,
    referral_source: str,
    started_on: dt.date | None,
) -> Enrolment:
    """Enrol a person in case management; one open enrolment per person and provider."""
    if started_on is None:
        raise ValidationError({"started_on": "Give the start date."})
    _not_future(started_on, "started_on", "A start date")
    open_enrolment = (
        Enrolment.objects.select_for_update()
        .filter(person=person, provider=provider, ended_on__isnull=True)
        .first()
    )
    if open_enrolment is not None:
        raise ValidationError(
            f"{person} is already enrolled with {provider} since "
            f"{open_enrolment.started_on:%d %b %Y}; "
            "record the exit of that enrolment before starting a new one."
        )
    enrolment = Enrolment(
        person=person,
        provider=provider,
        referral_source=referral_source,
        started_on=started_on,
        recorded_by=user,
    )
    enrolment.full_clean()
    enrolment.save()
    audit_record(
        actor=user,
        action=Action.CREATE,
        obj=enrolment,
        detail={"person": person.pk, "source": referral_source},
    )
    return enrolment


@transaction.atomic
def enrolment_exit(
    *, enrolment: Enrolment, user: User, ended_on: dt.date | None, exit_reason: str = ""
) -> Enrolment:
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.ended_on is not None:
        raise ValidationError(f"This enrolment already ended on {enrolment.ended_on:%d %b %Y}.")
    if ended_on is None:
        raise ValidationError({"ended_on": "Give the exit date."})
    if ended_on < enrolment.started_on:
        raise ValidationError(
            {"ended_on": f"The exit cannot be before the start ({enrolment.started_on:%d %b %Y})."}
        )
    _not_future(ended_on, "ended_on", "An exit date")
    enrolment.ended_on = ended_on
    enrolment.exit_reason = (exit_reason or "").strip()
    enrolment.full_clean()
    enrolment.save(update_fields=["ended_on", "exit_reason"])
    audit_record(
        actor=user, action=Action.CHANGE, obj=enrolment, detail={"ended_on": ended_on.isoformat()}
    )
    return enrolment


@transaction.atomic
def service_contact_record(
    *,
    user: User,
    person: Person,
    contacted_on: dt.date | None,
    kind: str = Task.Kind.OTHER,
    task: Task | None = None,
    notes: str = "",
) -> ServiceContact:
    if contacted_on is None:
        raise ValidationError({"contacted_on": "Give the date of the contact."})
    _not_future(contacted_on, "contacted_on", "A contact date")
    if task is not None and task.subject_person_id != person.pk:
        raise ValidationError({"task": "That follow-up is about someone else."})
    if user.organisation is None:
        raise ValidationError("Only members of an organisation record service contacts.")
    contact = ServiceContact(
        person=person,
        organisation=user.organisation,
        contacted_on=contacted_on,
        kind=kind,
        task=task,
        notes=(notes or "").strip(),
        recorded_by=user,
    )
    contact.full_clean()
    contact.save()
    audit_record(actor=user, action=Action.CREATE, obj=contact, detail={"person": person.pk})
    return contact
