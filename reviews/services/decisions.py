"""What a review decides: people at imminent risk, designations, new deliverables, follow-ups."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from ceasefire.core import services as core_services
from ceasefire.core.audit import Action, audit_record
from ceasefire.core.models import (
    Conflict,
    Group,
    Incident,
    Meeting,
    Organisation,
    Person,
    RiskDesignation,
    Task,
    User,
)

from .. import ranking
from ..models import DesignationDecision, FollowUpChoice, ReviewIncident, RiskDecision
from ..ranking import Reason
from .review import ensure_open, mark_in_progress


@transaction.atomic
def risk_decide(
    *,
    review: Meeting,
    user: User,
    incident: Incident,
    person: Person,
    decision: str,
    reason: str = "",
    offered: Sequence[Reason] = (),
    accepted: Sequence[str] = (),
    dismissal_reason: str = "",
) -> RiskDecision:
    """Confirm or dismiss a person at imminent risk (a later decision replaces the earlier one).

    ``offered`` are the suggestion's reasons as the server ranked them. Confirming records which
    of them the facilitator accepted (at least one; someone added by hand needs a written
    reason); dismissing records why. Who and when are recorded either way.
    """
    ensure_open(review)
    if not ReviewIncident.objects.filter(meeting=review, incident=incident).exists():
        raise ValidationError("That shooting is not on this review's agenda.")
    if decision not in RiskDecision.Decision.values:
        raise ValidationError({"decision": "Confirm or dismiss."})
    summary = (reason or "").strip()
    taken: list[Reason] = []
    if decision == RiskDecision.Decision.CONFIRMED:
        if offered:
            unknown = set(accepted) - {r.code for r in offered}
            if unknown:
                raise ValidationError({"accepted": "Those reasons are not this suggestion's."})
            taken = [r for r in offered if r.code in set(accepted)]
            if not taken:
                raise ValidationError({"accepted": "Tick at least one reason you accept."})
            summary = "; ".join(r.text for r in taken)
        elif not summary:
            raise ValidationError({"reason": "Say why this person is at imminent risk."})
    else:
        if not (dismissal_reason or "").strip():
            raise ValidationError({"dismissal_reason": "Say why you dismiss this suggestion."})
        summary = "; ".join(r.text for r in offered) or summary or "Added by the facilitator"
    row = (
        RiskDecision.objects.select_for_update()
        .filter(meeting=review, incident=incident, person=person)
        .first()
    )
    row = row or RiskDecision(meeting=review, incident=incident, person=person)
    if offered or not row.offered_reasons:
        row.offered_reasons = [r.as_dict() for r in offered]
        row.score = ranking.score(offered)
    row.decision = decision
    row.reason = summary[:500]
    row.accepted_reasons = [r.as_dict() for r in taken]
    row.dismissal_reason = (
        (dismissal_reason or "").strip() if decision == RiskDecision.Decision.DISMISSED else ""
    )
    row.decided_by = user
    row.decided_at = timezone.now()
    row.full_clean(validate_unique=False)
    row.save()
    mark_in_progress(review)
    audit_record(
        actor=user,
        action=Action.CHANGE,
        obj=review,
        detail={
            "risk_decision": decision,
            "person": person.pk,
            "incident": incident.pk,
            "accepted": [r.code for r in taken],
        },
    )
    return row


def _finding(review: Meeting, person: Person, incidents: list[Incident]) -> None:
    """A designation in a review needs a linked shooting of its agenda or a review finding:
    the person confirmed at imminent risk at this review."""
    confirmed = RiskDecision.objects.filter(
        meeting=review, person=person, decision=RiskDecision.Decision.CONFIRMED
    ).exists()
    if not incidents and not confirmed:
        raise ValidationError(
            {
                "person": "No basis at this review: the person is in none of its shootings and "
                "was not confirmed at imminent risk."
            }
        )


@transaction.atomic
def review_designate(
    *,
    review: Meeting,
    user: User,
    person: Person,
    level: str,
    basis: str,
    criteria: list[str],
    incidents: list[Incident] | None = None,
) -> DesignationDecision:
    """Designate at the review (confirmed by it), with criteria and a linked incident or finding."""
    ensure_open(review)
    _finding(review, person, list(incidents or []))
    designation = core_services.designation_create(
        person=person,
        level=level,
        basis=basis,
        user=user,
        criteria=criteria,
        basis_incidents=incidents,
        review=review,
    )
    return _designation_decided(
        review, user, designation, DesignationDecision.Action.DESIGNATE, basis
    )


@transaction.atomic
def review_designation_renew(
    *,
    review: Meeting,
    user: User,
    designation: RiskDesignation,
    basis: str,
    criteria: list[str] | None = None,
    incidents: list[Incident] | None = None,
) -> DesignationDecision:
    ensure_open(review)
    renewed = core_services.designation_renew(
        designation=designation,
        basis=basis,
        user=user,
        criteria=list(criteria or []),
        basis_incidents=incidents,
        review=review,
    )
    return _designation_decided(review, user, renewed, DesignationDecision.Action.RENEW, basis)


@transaction.atomic
def review_designation_confirm(
    *, review: Meeting, user: User, designation: RiskDesignation, basis: str = ""
) -> DesignationDecision:
    """Confirm a designation made outside a review (pending until now)."""
    ensure_open(review)
    confirmed = core_services.designation_confirm(designation=designation, review=review, user=user)
    note = (basis or "").strip() or f"Confirmed: {confirmed.basis}"
    return _designation_decided(review, user, confirmed, DesignationDecision.Action.CONFIRM, note)


@transaction.atomic
def review_designation_reject(
    *, review: Meeting, user: User, designation: RiskDesignation, basis: str
) -> DesignationDecision:
    """Reject a pending designation, saying why."""
    ensure_open(review)
    rejected = core_services.designation_reject(
        designation=designation, review=review, user=user, reason=basis
    )
    return _designation_decided(review, user, rejected, DesignationDecision.Action.REJECT, basis)


@transaction.atomic
def review_designation_lapse(
    *, review: Meeting, user: User, designation: RiskDesignation, basis: str
) -> DesignationDecision:
    ensure_open(review)
    if not (basis or "").strip():
        raise ValidationError(
            {"basis": "Say why the designation may lapse (e.g. no new incidents, in custody)."}
        )
    core_services.designation_end(
        designation=designation, user=user, reason=RiskDesignation.EndReason.LAPSED
    )
    return _designation_decided(review, user, designation, DesignationDecision.Action.LAPSE, basis)


def _designation_decided(review, user, designation, action, basis) -> DesignationDecision:
    decision = DesignationDecision(
        meeting=review,
        person=designation.person,
        designation=designation,
        action=action,
        basis=basis.strip(),
        decided_by=user,
    )
    decision.full_clean()
    decision.save()
    mark_in_progress(review)
    audit_record(
        actor=user,
        action=Action.CHANGE,
        obj=review,
        detail={"designation": action, "person": designation.person_id},
    )
    return decision


@transaction.atomic
def review_task_create(
    *,
    review: Meeting,
    user: User,
    title: str,
    kind: str,
    assigned_organisation: Organisation,
    due_date: dt.date | None,
    subject_person: Person | None = None,
    subject_group: Group | None = None,
    subject_conflict: Conflict | None = None,
    description: str = "",
) -> Task:
    """A new deliverable of the response plan; it carries forward to every next review till done."""
    ensure_open(review)
    if due_date is not None and due_date < review.date:
        raise ValidationError({"due_date": "The due date is before the meeting."})
    if sum(x is not None for x in (subject_person, subject_group, subject_conflict)) > 1:
        raise ValidationError("Choose one subject at most: a person, a group or a conflict.")
    task = core_services.task_create(
        user=user,
        title=title,
        kind=kind,
        assigned_organisation=assigned_organisation,
        due_date=due_date,
        subject_person=subject_person,
        subject_group=subject_group,
        subject_conflict=subject_conflict,
        source_meeting=review,
        description=description,
    )
    mark_in_progress(review)
    return task


@transaction.atomic
def review_followup_choose(
    *, review: Meeting, user: User, person: Person, risk_assessment: str, interventions: list[str]
) -> FollowUpChoice:
    """Choose a person for partner follow-up: shared with coordination when the review closes."""
    ensure_open(review)
    unknown = set(interventions) - set(Task.Kind.values)
    if unknown:
        raise ValidationError({"recommended_interventions": "Choose interventions from the list."})
    choice = FollowUpChoice.objects.filter(meeting=review, person=person).first() or FollowUpChoice(
        meeting=review, person=person
    )
    choice.risk_assessment = (risk_assessment or "").strip()
    choice.recommended_interventions = list(interventions)
    choice.chosen_by = user
    choice.full_clean(validate_unique=False)
    choice.save()
    mark_in_progress(review)
    audit_record(actor=user, action=Action.CHANGE, obj=review, detail={"followup": person.pk})
    return choice


@transaction.atomic
def review_followup_remove(*, review: Meeting, user: User, choice: FollowUpChoice) -> None:
    ensure_open(review)
    audit_record(
        actor=user, action=Action.CHANGE, obj=review, detail={"followup_removed": choice.person_id}
    )
    choice.delete()
