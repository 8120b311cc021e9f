"""Notice and the right to ask: writes and reads for notices and information/removal requests.

Services are keyword-only and atomic, validate before writing and audit inside the transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from .audit import Action, audit_record
from .models import (
    REQUEST_RESPONSE_DAYS,
    CustomNotification,
    Notice,
    PartnershipShare,
    Person,
    RightsRequest,
    RiskDesignation,
    User,
)
from .services import designation_end, share_withdraw

REACHED = (CustomNotification.Outcome.DELIVERED, CustomNotification.Outcome.REFUSED)
WITHHOLDING = {RightsRequest.Outcome.WITHHELD, RightsRequest.Outcome.PARTLY_WITHHELD}


@transaction.atomic
def notice_record(
    *, person: Person, user: User, given_on: dt.date, channel: str, guardian_name: str = ""
) -> Notice:
    """Record a notice given; a juvenile's notice must also reach a parent or guardian."""
    notice = Notice(
        person=person,
        given_on=given_on,
        channel=channel,
        guardian_name=(guardian_name or "").strip(),
        given_by=user,
    )
    notice.full_clean()
    age = person.age_on(given_on)
    if age is not None and age < 18 and not notice.guardian_name:
        raise ValidationError(
            {"guardian_name": "A juvenile's notice also goes to a parent or guardian: name them."}
        )
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": "A notice cannot be given in the future."})
    notice.save()
    audit_record(actor=user, action=Action.CREATE, obj=notice, detail={"person": person.pk})
    return notice


@transaction.atomic
def request_record(
    *, person: Person, user: User, kind: str, requested_by: str, received_on: dt.date
) -> RightsRequest:
    """Record a request; it must be answered within 30 days of receipt (computed here)."""
    if received_on and received_on > timezone.localdate():
        raise ValidationError({"received_on": "A request cannot be received in the future."})
    request = RightsRequest(
        person=person,
        kind=kind,
        requested_by=(requested_by or "").strip(),
        received_on=received_on,
        due_on=(received_on or timezone.localdate()) + dt.timedelta(days=REQUEST_RESPONSE_DAYS),
        recorded_by=user,
    )
    request.full_clean()
    request.save()
    audit_record(
        actor=user, action=Action.CREATE, obj=request, detail={"person": person.pk, "kind": kind}
    )
    return request


@transaction.atomic
def request_respond(
    *,
    request: RightsRequest,
    user: User,
    outcome: str,
    response: str,
    withheld_reason: str = "",
    responded_on: dt.date | None = None,
) -> RightsRequest:
    """Answer a request; withholding anything needs the reason it is withheld. A granted removal
    request withdraws the person's open designations and partnership shares in the same
    transaction (each withdrawal audited, and counted in the answer's audit event)."""
    if request.responded_on is not None:
        raise ValidationError("This request has already been answered.")
    if outcome not in RightsRequest.Outcome.values:
        raise ValidationError({"outcome": "Choose an outcome."})
    if not (response or "").strip():
        raise ValidationError({"response": "Write the response given."})
    if outcome in WITHHOLDING and not (withheld_reason or "").strip():
        raise ValidationError({"withheld_reason": "Say why part of the answer is withheld."})
    request.responded_on = responded_on or timezone.localdate()
    if request.responded_on < request.received_on:
        raise ValidationError({"responded_on": "The response is dated before the request."})
    request.outcome = outcome
    request.response = response.strip()
    request.withheld_reason = (withheld_reason or "").strip()
    request.responded_by = user
    request.full_clean()
    request.save(
        update_fields=["responded_on", "outcome", "response", "withheld_reason", "responded_by"]
    )
    withdrawn = {"designations": 0, "shares": 0}
    if request.kind == RightsRequest.Kind.REMOVAL and outcome == RightsRequest.Outcome.REMOVED:
        withdrawn = _withdraw_for_removal(request=request, user=user)
    audit_record(
        actor=user,
        action=Action.CHANGE,
        obj=request,
        detail={
            "person": request.person_id,
            "outcome": outcome,
            "late": request.is_late,
            "withdrawn": withdrawn,
        },
    )
    return request


def _withdraw_for_removal(*, request: RightsRequest, user: User) -> dict[str, int]:
    """End every open designation (withdrawn) and every active share of the request's person."""
    why = f"Removal request of {request.received_on:%d %b %Y} granted."
    person_id = request.person_id
    designations = RiskDesignation.objects.filter(person_id=person_id, ended_on__isnull=True)
    shares = PartnershipShare.objects.filter(person_id=person_id, withdrawn_at__isnull=True)
    ended = 0
    for designation in designations.select_for_update():
        designation_end(
            designation=designation,
            user=user,
            reason=RiskDesignation.EndReason.WITHDRAWN,
            on=request.responded_on,
        )
        ended += 1
    withdrawn = 0
    for share in shares.select_for_update():
        share_withdraw(share=share, user=user, reason=why)
        withdrawn += 1
    return {"designations": ended, "shares": withdrawn}


def requests_overdue(today: dt.date | None = None) -> QuerySet[RightsRequest]:
    """Open requests past their 30-day deadline, oldest deadline first."""
    return (
        RightsRequest.objects.overdue(today or timezone.localdate())
        .select_related("person", "recorded_by")
        .order_by("due_on", "id")
    )


@dataclass(frozen=True)
class NoticeLine:
    given_on: dt.date
    how: str
    guardian_name: str = ""


def notices_of(person: Person) -> list[NoticeLine]:
    """Every notice the person was given: recorded notices and delivered custom notifications."""
    lines = [
        NoticeLine(n.given_on, n.get_channel_display(), n.guardian_name)
        for n in person.notices.all()
    ]
    lines += [
        NoticeLine(c.delivered_on, "Custom notification")
        for c in CustomNotification.objects.filter(person=person, outcome__in=REACHED).only(
            "delivered_on"
        )
    ]
    return sorted(lines, key=lambda n: n.given_on, reverse=True)
