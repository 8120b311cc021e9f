"""Request gates that hold for every URL: session limits, the second factor, clean input, no-store
and the audit of refusals. Listed in ``settings.MIDDLEWARE`` in this order of concern."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.cache import add_never_cache_headers

from . import mfa
from .audit import Action, Outcome, audit_record

SESSION_STARTED = "_auth_started"
SESSION_SEEN = "_auth_seen"
# How stale "last seen" may get before it is written again: one session write a minute at most.
SEEN_RESOLUTION_SECONDS = 60


def _redirect(request, url: str) -> HttpResponse:
    """A redirect a browser follows, or for htmx an ``HX-Redirect`` so the whole page moves."""
    if _is_htmx(request):
        response = HttpResponse(status=200)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"  # before django-htmx's middleware runs


def _is_api(request) -> bool:
    return "/api/" in request.path_info


def _token_authenticated(request) -> bool:
    """A call that carries its own credentials (API tokens): no session gate, and no session."""
    return bool(request.headers.get("Authorization"))


def mark_signed_in(session) -> None:
    now = int(time.time())
    session[SESSION_STARTED] = now
    session[SESSION_SEEN] = now


class SessionLimitsMiddleware:
    """Signs a session out after ``SESSION_IDLE_MINUTES`` without a request and
    ``SESSION_ABSOLUTE_HOURS`` after sign-in, whatever happened in between (audited)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and not _token_authenticated(request):
            expired = self._expired(request.session)
            if expired:
                user = request.user
                audit_record(
                    actor=user,
                    action=Action.SESSION_EXPIRED,
                    obj=user,
                    detail={"limit": expired},
                    request=request,
                )
                logout(request)
                messages.info(request, "You were signed out after a period without activity.")
                if _is_api(request):
                    return JsonResponse({"detail": "Your session has ended."}, status=403)
                login = reverse(settings.LOGIN_URL)
                query = (
                    urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
                )
                return _redirect(request, f"{login}?{query}" if query else login)
        return self.get_response(request)

    @staticmethod
    def _expired(session) -> str:
        now = int(time.time())
        started = session.get(SESSION_STARTED)
        seen = session.get(SESSION_SEEN)
        if started is None or seen is None:
            mark_signed_in(session)
            return ""
        if now - started > settings.SESSION_ABSOLUTE_HOURS * 3600:
            return "absolute"
        if now - seen > settings.SESSION_IDLE_MINUTES * 60:
            return "idle"
        if now - seen >= SEEN_RESOLUTION_SECONDS:
            session[SESSION_SEEN] = now
        return ""


# URL names a signed-in user may reach before passing the second step.
SECOND_FACTOR_OPEN = ("login", "logout", "mfa-verify", "mfa-enrol", "mfa-recovery-codes")
# Health checks need no sign-in (health.HealthCheckMiddleware answers them before this gate).
SECOND_FACTOR_OPEN += ("core:health", "core:health-ready")


class SecondFactorMiddleware:
    """After the password, every page, fragment and session-authenticated API call leads to the
    second step (enrolment on first sign-in) until it is passed. A call carrying an
    ``Authorization`` header is left to the API's token authentication, and its session (if any)
    is ignored, so a cookie can never stand in for the second factor."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths: set[str] | None = None

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            verified = mfa.is_verified(request)
            user.is_verified = lambda: verified
            if not verified:
                if _token_authenticated(request):
                    request.user = AnonymousUser()
                elif request.path_info not in self.open_paths():
                    return self.refuse(request)
        return self.get_response(request)

    def open_paths(self) -> set[str]:
        if self._open_paths is None:
            self._open_paths = {reverse(name) for name in SECOND_FACTOR_OPEN}
        return self._open_paths

    @staticmethod
    def refuse(request) -> HttpResponse:
        verify = reverse("mfa-verify")
        if _is_api(request):
            return JsonResponse(
                {"detail": f"Second factor required: complete sign-in at {verify}."}, status=403
            )
        if request.method == "GET" and not _is_htmx(request):
            verify = f"{verify}?{urlencode({'next': request.get_full_path()})}"
        return _redirect(request, verify)


class CleanInputMiddleware:
    """NUL bytes never reach a form, a query or the database: a request carrying one in its query
    string or form fields is answered 400 with a message, before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            return HttpResponse(
                "The request contained a NUL character (\\0), which no field accepts. "
                "Remove it and try again.",
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path_info:
            return True
        for data in (request.GET, request.POST) if request.method == "POST" else (request.GET,):
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in v for v in values):
                    return True
        return False


class NoStoreMiddleware:
    """Nothing a signed-in user receives is kept by a browser or a proxy cache (person data is
    on most pages); refused accesses are audited."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        if response.status_code in (401, 403) or (
            response.status_code == 404 and request.resolver_match is not None
        ):
            self._audit_refusal(request, response)
        return response

    @staticmethod
    def _audit_refusal(request, response) -> None:
        match = request.resolver_match
        kwargs = match.kwargs if match else {}
        audit_record(
            actor=getattr(request, "user", None),
            action=Action.REFUSED,
            object_type=(match.view_name if match else "")[:100],
            object_id=str(kwargs.get("pk", ""))[:64],
            detail={
                "path": request.path[:300],
                "method": request.method,
                "status": response.status_code,
            },
            outcome=Outcome.REFUSED,
            request=request,
        )
