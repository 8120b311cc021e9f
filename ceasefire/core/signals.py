"""Audit events for what other libraries decide: django-axes locking an account, and every sign-in
starting the session clocks (``middleware.SessionLimitsMiddleware``)."""

from __future__ import annotations

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .audit import Action, Outcome, audit_record
from .middleware import mark_signed_in


@receiver(user_locked_out, dispatch_uid="ceasefire-audit-lockout")
def audit_lockout(sender, request=None, username=None, ip_address=None, **kwargs):
    user = get_user_model().objects.filter(username=username).first() if username else None
    audit_record(
        actor=None,
        action=Action.LOCKOUT,
        object_type="core.user",
        object_id=user.pk if user else "",
        detail={"username": (username or "")[:150], "ip_address": ip_address},
        outcome=Outcome.REFUSED,
        request=request,
    )


@receiver(user_logged_in, dispatch_uid="ceasefire-session-clocks")
def start_session_clocks(sender, request=None, user=None, **kwargs):
    if request is not None and hasattr(request, "session"):
        mark_signed_in(request.session)
