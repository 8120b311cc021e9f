"""Writes on the shared model that more than one meeting app makes.

Every service is keyword-only, atomic, validates with ``full_clean()`` before it
writes, and records its audit event inside the same transaction.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from .audit import Action, audit_record
from .concurrency import save_versioned
from .models import (
    JUVENILE_MIN_AGE,
    Incident,
    Meeting,
    Organisation,
    PartnershipSettings,
    PartnershipShare,
    Person,
    RiskDesignation,
    Task,
    TaskUpdate,
    User,
)
from .models.designations import hard_maximum

# --- Tasks -------------------------------------------------------------------------


@transaction.atomic
def task_create(
    *,
    user: User,
    title: str,
    assigned_organisation: Organisation,
    kind: str = Task.Kind.OTHER,
    due_date: dt.date | None = None,
    assigned_user: User | None = None,
    subject_person: Person | None = None,
    subject_group=None,
    subject_conflict=None,
    source_meeting: Meeting | None = None,
    description: str = "",
) -> Task:
    task = Task(
        title=title.strip(),
        kind=kind,
        assigned_organisation=assigned_organisation,
        assigned_user=assigned_user,
        due_date=due_date,
        subject_person=subject_person,
        subject_group=subject_group,
        subject_conflict=subject_conflict,
        source_meeting=source_meeting,
        description=description,
        created_by=user,
        updated_by=user,
        referral=_referral_for(user, assigned_organisation),
    )
    task.full_clean()
    if assigned_user is not None and assigned_user.organisation_id != assigned_organisation.pk:
        raise ValidationError(
            {"assigned_user": "That person does not belong to the assigned organisation."}
        )
    task.save()
    audit_record(actor=user, action=Action.CREATE, obj=task)
    return task


@transaction.atomic
def task_update(
    *,
    task: Task,
    user: User,
    expected_version: int,
    status: str | None = None,
    note: str = "",
    due_date: dt.date | None = None,
) -> Task:
    """Change a task's status and/or add a dated note; refuses a stale version."""
    fields: list[str] = []
    old_status = task.status
    if status is not None and status != task.status:
        if status not in Task.Status.values:
            raise ValidationError({"status": "Choose a valid status."})
        task.status = status
        task.completed_at = timezone.now() if status == Task.Status.DONE else None
        fields += ["status", "completed_at"]
    if due_date is not None and due_date != task.due_date:
        task.due_date = due_date
        fields.append("due_date")
    note = (note or "").strip()
    if not fields and not note:
        raise ValidationError("Nothing to save: change the status or write a note.")
    task.full_clean()
    save_versioned(task, expected_version=expected_version, user=user, fields=fields)
    TaskUpdate.objects.create(
        task=task,
        author=user,
        note=note,
        status_from=old_status if "status" in fields else "",
        status_to=task.status if "status" in fields else "",
    )
    audit_record(
        actor=user, action=Action.CHANGE, obj=task, detail={"fields": fields, "note": bool(note)}
    )
    return task


def _referral_for(user: User | None, organisation: Organisation) -> str:
    """Work given to another organisation waits for it to accept; one's own is accepted."""
    own = user is not None and user.organisation_id == organisation.pk
    return Task.Referral.ACCEPTED if own else Task.Referral.AWAITING


@transaction.atomic
def task_referral_answer(
    *, task: Task, user: User, expected_version: int, accept: bool, reason: str = ""
) -> Task:
    """The assigned organisation accepts a referral, or declines it with a reason (the task then
    goes back to the meeting that made it, to be reassigned)."""
    if not task.awaiting_acceptance:
        raise ValidationError("This follow-up is not awaiting an answer (reload the page).")
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError(
            {"reason": "Say why your organisation declines it, so the meeting can reassign it."}
        )
    task.referral = Task.Referral.ACCEPTED if accept else Task.Referral.DECLINED
    task.referral_answered_at = timezone.now()
    task.referral_answered_by = user
    task.decline_reason = "" if accept else reason
    task.full_clean()
    fields = ["referral", "referral_answered_at", "referral_answered_by", "decline_reason"]
    save_versioned(task, expected_version=expected_version, user=user, fields=fields)
    note = f"{task.assigned_organisation} accepted this follow-up."
    if not accept:
        note = f"{task.assigned_organisation} declined this follow-up: {reason}"
    TaskUpdate.objects.create(task=task, author=user, note=note)
    audit_record(
        actor=user,
        action=Action.CHANGE,
        obj=task,
        detail={"referral": task.referral, "reason": task.decline_reason},
    )
    return task


@transaction.atomic
def task_reassign(
    *, task: Task, user: User, expected_version: int, organisation: Organisation
) -> Task:
    """Give a declined (or any open) task to another organisation: its answer starts afresh."""
    if not task.is_open:
        raise ValidationError("Only an open task can be reassigned.")
    if organisation.pk == task.assigned_organisation_id and task.referral != Task.Referral.DECLINED:
        raise ValidationError({"organisation": "It is already assigned to that organisation."})
    before = task.assigned_organisation
    task.assigned_organisation = organisation
    task.assigned_user = None
    task.referral = _referral_for(user, organisation)
    task.referral_answered_at = None
    task.referral_answered_by = None
    task.decline_reason = ""
    task.full_clean()
    fields = [
        "assigned_organisation",
        "assigned_user",
        "referral",
        "referral_answered_at",
        "referral_answered_by",
        "decline_reason",
    ]
    save_versioned(task, expected_version=expected_version, user=user, fields=fields)
    TaskUpdate.objects.create(task=task, author=user, note=f"Reassigned from {before}.")
    audit_record(
        actor=user,
        action=Action.CHANGE,
        obj=task,
        detail={"assigned_organisation": [before.pk, organisation.pk]},
    )
    return task


# --- Risk designations -----------------------------------------------------------


def designation_clocks(validated_on: dt.date) -> tuple[dt.date, dt.date]:
    """(review due, hard maximum) from the day of the last validation; computed here only.

    The review falls due after the partnership's review interval (90 days by default) and
    never later than the hard maximum of five years from the last validation.
    """
    expires = hard_maximum(validated_on)
    review_days = PartnershipSettings.load().designation_review_days
    return min(validated_on + dt.timedelta(days=review_days), expires), expires


def _designation_refusals(
    *,
    person: Person,
    start: dt.date,
    criteria: list[str],
    basis_incidents: list[Incident],
    basis_meeting: Meeting | None,
) -> dict[str, str]:
    errors = {}
    if not criteria:
        errors["criteria"] = (
            "Tick at least one criterion from the list; free text alone is no basis."
        )
    elif set(criteria) - set(RiskDesignation.Criterion.values):
        errors["criteria"] = "Tick criteria from the list only."
    if not basis_incidents and basis_meeting is None:
        errors["basis_incidents"] = (
            "Link at least one incident (or make the designation in a shooting review)."
        )
    age = person.age_on(start)
    if age is None:
        errors["person"] = (
            "Record the person's date of birth or an age estimate first: nobody under 13 may be "
            "designated."
        )
    elif age < JUVENILE_MIN_AGE:
        errors["person"] = f"Nobody younger than {JUVENILE_MIN_AGE} may be designated."
    return errors


@transaction.atomic
def designation_create(
    *,
    person: Person,
    level: str,
    basis: str,
    user: User,
    criteria: list[str],
    designated_on: dt.date | None = None,
    basis_incidents: list[Incident] | None = None,
    basis_meeting: Meeting | None = None,
    review: Meeting | None = None,
) -> RiskDesignation:
    """Designate a person, with a documented basis: criteria ticked from the fixed list and at
    least one linked incident or the review that found it.

    Made in a shooting review (``review``), the review confirms it and any open designation of
    the person is ended as renewed. Made outside one, it is pending: never in force, never shown
    to partners, listed on the next review's agenda to confirm or reject. Nobody under 13 on the
    day; the clocks are computed here.
    """
    start = designated_on or (review.date if review else timezone.localdate())
    criteria = list(dict.fromkeys(criteria or []))
    basis_incidents = list(basis_incidents or [])
    basis_meeting = review or basis_meeting
    errors = _designation_refusals(
        person=person,
        start=start,
        criteria=criteria,
        basis_incidents=basis_incidents,
        basis_meeting=basis_meeting,
    )
    review_due, expires = designation_clocks(start)
    designation = RiskDesignation(
        person=person,
        level=level,
        basis=(basis or "").strip(),
        criteria=criteria,
        basis_meeting=basis_meeting,
        designated_by=user,
        designated_on=start,
        review_due=review_due,
        expires_on=expires,
    )
    try:
        designation.full_clean()
    except ValidationError as exc:
        errors = {**exc.message_dict, **errors}
    if errors:
        raise ValidationError(errors)
    if review is not None:
        _confirm(designation, review=review, user=user, on=start)
    designation.save()
    if basis_incidents:
        designation.basis_incidents.set(basis_incidents)
    audit_record(
        actor=user,
        action=Action.CREATE,
        obj=designation,
        detail={"person": person.pk, "level": level, "status": designation.status},
    )
    return designation


def _confirm(designation: RiskDesignation, *, review: Meeting, user: User, on: dt.date) -> None:
    """Mark confirmed, and end the person's open confirmed designation as renewed by it."""
    previous = (
        RiskDesignation.objects.confirmed()
        .open()
        .filter(person_id=designation.person_id, designated_on__lte=on)
        .exclude(pk=designation.pk)
        .order_by("-designated_on")
        .first()
    )
    if previous is not None:
        designation.renews = previous
        designation.renewal_count = previous.renewal_count + 1
        previous.ended_on = max(on, previous.designated_on)
        previous.end_reason = RiskDesignation.EndReason.RENEWED
        previous.ended_by = user
        previous.save(update_fields=["ended_on", "end_reason", "ended_by"])
    designation.status = RiskDesignation.Status.CONFIRMED
    designation.confirmed_in = review
    designation.confirmed_by = user
    designation.confirmed_on = on


@transaction.atomic
def designation_confirm(
    *, designation: RiskDesignation, review: Meeting, user: User
) -> RiskDesignation:
    """The next shooting review confirms a pending designation: from then on it is in force,
    and its clocks run from the day of the review (the validation)."""
    if not designation.is_pending:
        raise ValidationError("Only a pending designation can be confirmed.")
    day = max(review.date, designation.designated_on)
    errors = _designation_refusals(
        person=designation.person,
        start=day,
        criteria=list(designation.criteria),
        basis_incidents=list(designation.basis_incidents.all()),
        basis_meeting=review,
    )
    if errors:
        raise ValidationError(errors)
    _confirm(designation, review=review, user=user, on=day)
    designation.designated_on = day
    designation.review_due, designation.expires_on = designation_clocks(day)
    designation.full_clean()
    designation.save(
        update_fields=[
            "status",
            "confirmed_in",
            "confirmed_by",
            "confirmed_on",
            "designated_on",
            "review_due",
            "expires_on",
            "renews",
            "renewal_count",
        ]
    )
    audit_record(actor=user, action=Action.CHANGE, obj=designation, detail={"confirmed": review.pk})
    return designation


@transaction.atomic
def designation_reject(
    *, designation: RiskDesignation, review: Meeting, user: User, reason: str
) -> RiskDesignation:
    """The next shooting review rejects a pending designation; the row stays as history."""
    if not designation.is_pending:
        raise ValidationError("Only a pending designation can be rejected.")
    if not (reason or "").strip():
        raise ValidationError({"basis": "Say why the review rejects this designation."})
    designation.status = RiskDesignation.Status.REJECTED
    designation.ended_on = max(review.date, designation.designated_on)
    designation.end_reason = RiskDesignation.EndReason.REJECTED
    designation.ended_by = user
    designation.confirmed_in = review
    designation.full_clean()
    designation.save(update_fields=["status", "ended_on", "end_reason", "ended_by", "confirmed_in"])
    audit_record(
        actor=user,
        action=Action.CHANGE,
        obj=designation,
        detail={"rejected": review.pk, "reason": reason.strip()},
    )
    return designation


def designation_renew(
    *,
    designation: RiskDesignation,
    basis: str,
    user: User,
    criteria: list[str],
    review: Meeting,
    level: str | None = None,
    basis_incidents: list[Incident] | None = None,
) -> RiskDesignation:
    """Renew at a shooting review with a *new* basis: the reviewer, the day and the new basis
    are recorded on a new row; the old row is kept and ended as renewed."""
    if designation.ended_on is not None or designation.status != RiskDesignation.Status.CONFIRMED:
        raise ValidationError("This designation has already ended; make a new designation instead.")
    if (basis or "").strip() == designation.basis.strip():
        raise ValidationError(
            {"basis": "A renewal needs a new basis, not the previous one repeated."}
        )
    return designation_create(
        person=designation.person,
        level=level or designation.level,
        basis=basis,
        user=user,
        criteria=criteria,
        basis_incidents=basis_incidents,
        review=review,
    )


@transaction.atomic
def designation_end(
    *,
    designation: RiskDesignation,
    user: User,
    reason: str = RiskDesignation.EndReason.LAPSED,
    on: dt.date | None = None,
) -> RiskDesignation:
    """Let a designation lapse (or withdraw it). History stays."""
    if designation.ended_on is not None:
        raise ValidationError("This designation has already ended.")
    if reason not in (RiskDesignation.EndReason.LAPSED, RiskDesignation.EndReason.WITHDRAWN):
        raise ValidationError({"reason": "A designation ends by lapsing or being withdrawn."})
    designation.ended_on = max(on or timezone.localdate(), designation.designated_on)
    designation.end_reason = reason
    designation.ended_by = user
    designation.full_clean()
    designation.save(update_fields=["ended_on", "end_reason", "ended_by"])
    audit_record(actor=user, action=Action.CHANGE, obj=designation, detail={"ended": reason})
    return designation


# --- Sharing with the partnership ---------------------------------------------------


@transaction.atomic
def share_create(
    *,
    person: Person,
    user: User,
    risk_assessment: str,
    reason: str,
    recommended_interventions: list[str] | None = None,
    source_meeting: Meeting | None = None,
    shared_with: str = "",
) -> PartnershipShare:
    """Put a person on the partnership's list (one active share a person; updates it if present).

    Every share says why (``reason``, required) and to whom; who and when are recorded, and
    the audit event carries all four. Withdrawal takes effect on the partner's next request:
    visibility is decided per request from the active share.
    """
    if not (reason or "").strip():
        raise ValidationError({"reason": "Say why the person is shared with the partnership."})
    interventions = list(recommended_interventions or [])
    unknown = set(interventions) - set(Task.Kind.values)
    if unknown:
        raise ValidationError(
            {"recommended_interventions": f"Unknown interventions: {', '.join(sorted(unknown))}."}
        )
    share = (
        PartnershipShare.objects.select_for_update()
        .filter(person=person, withdrawn_at__isnull=True)
        .first()
    )
    if share is None:
        share = PartnershipShare(person=person, shared_by=user)
    share.risk_assessment = (risk_assessment or "").strip()
    share.recommended_interventions = interventions
    share.source_meeting = source_meeting or share.source_meeting
    share.reason = reason.strip()[:500]
    share.shared_with = (shared_with or "").strip() or share.shared_with
    share.full_clean()
    share.save()
    audit_record(
        actor=user,
        action=Action.CREATE,
        obj=share,
        detail={"person": person.pk, "to": share.shared_with, "why": share.reason},
    )
    return share


@transaction.atomic
def share_withdraw(*, share: PartnershipShare, user: User, reason: str) -> PartnershipShare:
    if share.withdrawn_at is not None:
        raise ValidationError("This share has already been withdrawn.")
    if not (reason or "").strip():
        raise ValidationError({"withdrawal_reason": "Say why the person is no longer shared."})
    share.withdrawn_at = timezone.now()
    share.withdrawn_by = user
    share.withdrawal_reason = reason.strip()
    share.save(update_fields=["withdrawn_at", "withdrawn_by", "withdrawal_reason"])
    audit_record(
        actor=user,
        action=Action.CHANGE,
        obj=share,
        detail={"withdrawn": True, "person": share.person_id},
    )
    return share


# --- Meetings --------------------------------------------------------------------------------


@transaction.atomic
def meeting_close(*, meeting: Meeting, user: User, expected_version: int) -> Meeting:
    """Freeze a meeting: closed meetings are read-only."""
    if meeting.is_closed:
        raise ValidationError("This meeting is already closed.")
    meeting.state = Meeting.State.CLOSED
    meeting.closed_at = timezone.now()
    meeting.closed_by = user
    save_versioned(
        meeting,
        expected_version=expected_version,
        user=user,
        fields=["state", "closed_at", "closed_by"],
    )
    audit_record(actor=user, action=Action.CHANGE, obj=meeting, detail={"closed": True})
    from .papers import papers_queue_memos  # every audience's follow-up memo, after commit

    papers_queue_memos(meeting=meeting, user=user)
    return meeting
