"""Signing in and out, the second step, password change and reset (Django's own views, audited).

Sign-in: password (django-axes locks an account after repeated failures), then the second factor
(``mfa``): enrolment with a QR code and recovery codes the first time, a code every time after.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods
from django_otp import DEVICE_ID_SESSION_KEY

from . import mfa
from .audit import Action, Outcome, audit_record, client_ip
from .sessions import end_all_sessions

WARNING_BANNER = (
    "Restricted system. Only authorised members of the partnership may use it, for the "
    "partnership's work. Every sign-in, view and change is recorded and monitored; misuse may lead "
    "to disciplinary action and prosecution."
)


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True
    extra_context = {"warning_banner": WARNING_BANNER}

    def form_valid(self, form):
        self.request.session.pop(DEVICE_ID_SESSION_KEY, None)
        response = super().form_valid(form)  # a new session key (django.contrib.auth.login)
        audit_record(actor=form.get_user(), action=Action.LOGIN, request=self.request)
        return response

    def form_invalid(self, form):
        username = (form.data.get("username") or "")[:150]
        audit_record(
            actor=None,
            action=Action.LOGIN_FAILED,
            object_type="auth.user",
            detail={"username": username},
            outcome=Outcome.FAILURE,
            request=self.request,
        )
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    """Signing out ends every session of the user, on every device."""

    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            audit_record(actor=request.user, action=Action.LOGOUT, request=request)
            end_all_sessions(request.user)
        return super().post(request, *args, **kwargs)


class TokenForm(forms.Form):
    token = forms.CharField(
        label="Code",
        max_length=16,
        strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("core:home")


@login_required
@require_http_methods(["GET", "POST"])
def mfa_verify(request):
    """The second step of every sign-in: a code from the app, or a recovery code."""
    if mfa.is_verified(request):
        return redirect(_next_url(request))
    if not mfa.has_factor(request.user):
        return redirect(f"{reverse('mfa-enrol')}?{request.GET.urlencode()}")
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if mfa.verify(request=request, token=form.cleaned_data["token"]):
            return redirect(_next_url(request))
        form.add_error("token", "That code is not right, or was already used. Try the next code.")
    return render(
        request, "registration/mfa_verify.html", {"form": form, "next": _next_url(request)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def mfa_enrol(request):
    """First sign-in: scan the QR code (or type the secret), confirm with the first code, keep
    the recovery codes."""
    if mfa.has_factor(request.user):
        return redirect("mfa-verify")
    key = mfa.pending_secret(request)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = mfa.enrol(request=request, token=form.cleaned_data["token"])
        if codes is not None:
            request.session["mfa_new_codes"] = codes
            return redirect("mfa-recovery-codes")
        form.add_error("token", "That code does not match. Check the app's clock and try again.")
    uri = mfa.provisioning_uri(request.user, key)
    return render(
        request,
        "registration/mfa_enrol.html",
        {"form": form, "qr": mfa.qr_svg(uri), "secret": mfa.secret_base32(key)},
    )


@login_required
@require_http_methods(["GET"])
def mfa_recovery_codes(request):
    """The recovery codes, shown once right after enrolment."""
    codes = request.session.pop("mfa_new_codes", None)
    if not codes:
        return redirect("core:home")
    return render(request, "registration/mfa_recovery_codes.html", {"codes": codes})


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view; the change ends every other session of the user and is audited."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("core:home")

    def post(self, request, *args, **kwargs):
        if _failures(f"password-change:{request.user.pk}") >= settings.AXES_FAILURE_LIMIT:
            return render(request, "registration/password_reset_throttled.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if "old_password" in form.errors:  # a wrong current password counts like a failed sign-in
            _count(f"password-change:{self.request.user.pk}")
            audit_record(
                actor=self.request.user,
                action=Action.PASSWORD_CHANGE,
                obj=self.request.user,
                outcome=Outcome.FAILURE,
                request=self.request,
            )
        return super().form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)  # keeps this session (update_session_auth_hash)
        user = form.user
        end_all_sessions(user)
        auth_views.update_session_auth_hash(self.request, user)
        audit_record(actor=user, action=Action.PASSWORD_CHANGE, obj=user, request=self.request)
        messages.success(self.request, "Your password was changed; other sessions were ended.")
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """A reset link by e-mail (Django's view). The request is audited whatever the address, and
    the page says the same thing either way (no account discovery)."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def post(self, request, *args, **kwargs):
        if not _reset_allowed(request):
            audit_record(
                actor=None,
                action=Action.PASSWORD_RESET_REQUEST,
                object_type="auth.user",
                detail={"throttled": True},
                outcome=Outcome.REFUSED,
                request=request,
            )
            return render(request, "registration/password_reset_throttled.html", status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        audit_record(
            actor=None,
            action=Action.PASSWORD_RESET_REQUEST,
            object_type="auth.user",
            detail={"email": form.cleaned_data["email"][:254]},
            request=self.request,
        )
        return super().form_valid(form)


def _reset_allowed(request) -> bool:
    """At most PASSWORD_RESET_ATTEMPTS requests per address within the lockout window."""
    return _count(f"password-reset:{client_ip(request) or 'unknown'}") <= (
        settings.PASSWORD_RESET_ATTEMPTS
    )


def _count(key: str) -> int:
    """One more attempt under ``key`` in the cache, kept for the lockout window; the new count."""
    window = int(settings.AXES_COOLOFF_TIME * 3600)
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def _failures(key: str) -> int:
    return cache.get(key, 0)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        end_all_sessions(form.user)
        audit_record(
            actor=form.user, action=Action.PASSWORD_RESET, obj=form.user, request=self.request
        )
        return response
