"""The daily digest of follow-ups due, one email per organisation."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from ceasefire.core.audit import Action, audit_record

from .. import selectors


def followup_digests_send(*, today: dt.date | None = None) -> int:
    """E-mail each organisation its overdue and due-this-week follow-ups. Returns messages sent.

    The digest names tasks, never people: e-mail leaves the partnership's access rules behind.
    """
    today = today or timezone.localdate()
    sent = 0
    for organisation, tasks in selectors.followup_digest_batches(today=today):
        recipients = (
            [organisation.email]
            if organisation.email
            else selectors.organisation_emails(organisation)
        )
        if not recipients:
            continue
        overdue = [t for t in tasks if t.due_date < today]
        due_soon = [t for t in tasks if t.due_date >= today]
        body = render_to_string(
            "coordination/email/followup_digest.txt",
            {
                "organisation": organisation,
                "overdue": overdue,
                "due_soon": due_soon,
                "today": today,
                "base_url": getattr(settings, "SITE_URL", ""),
            },
        )
        subject = (
            f"Follow-ups for {organisation}: {len(overdue)} overdue, {len(due_soon)} due this week"
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
    return sent
