"""Account housekeeping the nightly jobs run: disabling unused accounts, verifying the audit log."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import mail_admins, send_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .audit import Action, ChainBreak, audit_record, verify_chain
from .models import User
from .permissions import users_to_alert
from .sessions import end_all_sessions


@transaction.atomic
def accounts_disable_inactive(*, now: dt.datetime | None = None) -> list[str]:
    """Disable every active account nobody signed in to for ``ACCOUNT_INACTIVE_DAYS`` (never
    signed in: counted from when it was made); each is an audit event. Returns the usernames."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.ACCOUNT_INACTIVE_DAYS)
    stale = User.objects.filter(is_active=True).filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    )
    disabled = []
    for user in stale.order_by("pk").select_for_update():
        last = user.last_login or user.date_joined
        user.is_active = False
        user.full_clean()
        user.save(update_fields=["is_active"])
        end_all_sessions(user)
        audit_record(
            actor=None,
            action=Action.DISABLE,
            obj=user,
            detail={
                "reason": "inactive",
                "days": settings.ACCOUNT_INACTIVE_DAYS,
                "last_seen": last.isoformat(),
            },
        )
        disabled.append(user.username)
    return disabled


def audit_log_check() -> ChainBreak | None:
    """Verify the hash chain; on a break, e-mail the administrators (the admin-role users with an
    address, and Django's ``ADMINS``)."""
    broken = verify_chain()
    if broken is not None:
        subject = "Ceasefire cycle: the audit log failed verification"
        body = (
            f"The nightly check of the audit log's hash chain found: {broken}.\n"
            "Rows may have been changed or removed. Run `python manage.py audit_verify` and "
            "investigate before anything else is changed."
        )
        recipients = list(users_to_alert().exclude(email="").values_list("email", flat=True))
        if recipients:
            send_mail(subject, body, None, recipients)
        mail_admins(subject, body)
    return broken
