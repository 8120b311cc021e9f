"""The daily digest of follow-ups due, one email per organisation."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from ceasefire.core.audit import Action, audit_record
from ceasefire.core.selectors import escalation_reason, referral_cutoff

from .. import selectors


def followup_digests_send(*, today: dt.date | None = None) -> int:
    """E-mail each organisation its overdue and due-this-week follow-ups. Returns messages sent.

    The digest names tasks, never people: e-mail leaves the partnership's access rules behind.
    """
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=6)
    sent = 0
    for organisation, tasks in selectors.followup_digest_batches(today=today):
        recipients = (
            [organisation.email]
            if organisation.email
            else selectors.organisation_emails(organisation)
        )
        if not recipients:
            continue
        cutoff = referral_cutoff(today)
        unanswered = [t for t in tasks if t.awaiting_acceptance and t.created_at < cutoff]
        overdue = [t for t in tasks if t.due_date and t.due_date < today]
        due_soon = [t for t in tasks if t.due_date and today <= t.due_date <= horizon]
        body = render_to_string(
            "coordination/email/followup_digest.txt",
            {
                "organisation": organisation,
                "unanswered": unanswered,
                "overdue": overdue,
                "due_soon": due_soon,
                "today": today,
                "base_url": getattr(settings, "SITE_URL", ""),
            },
        )
        subject = (
            f"Follow-ups for {organisation}: {len(overdue)} overdue, {len(due_soon)} due this week"
            + (f", {len(unanswered)} awaiting your answer" if unanswered else "")
        )
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        audit_record(
            actor=None,
            action=Action.EXPORT,
            obj=organisation,
            detail={
                "digest": today.isoformat(),
                "tasks": [t.pk for t in tasks],
                "recipients": len(recipients),
            },
        )
        sent += 1
    return sent + _escalations_send(today=today)


def _escalations_send(*, today: dt.date) -> int:
    """E-mail whoever asked for a follow-up that is late to be accepted, overdue or declined."""
    sent = 0
    for maker, tasks in selectors.escalations_by_maker(today=today):
        for task in tasks:
            task.escalation = escalation_reason(task, today=today, with_reason=False)
        body = render_to_string(
            "coordination/email/escalations.txt",
            {
                "maker": maker,
                "tasks": tasks,
                "today": today,
                "base_url": getattr(settings, "SITE_URL", ""),
            },
        )
        subject = f"{len(tasks)} follow-up(s) you asked for need attention"
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [maker.email])
        audit_record(
            actor=None,
            action=Action.EXPORT,
            obj=maker,
            detail={"escalations": today.isoformat(), "tasks": [t.pk for t in tasks]},
        )
        sent += 1
    return sent
