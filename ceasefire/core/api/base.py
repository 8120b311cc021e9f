"""What every v1 endpoint shares: auth, scope, throttling, pagination, errors, safe updates."""

from __future__ import annotations

from collections.abc import Mapping

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import (
    BaseAuthentication,
    SessionAuthentication,
    get_authorization_header,
)
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle, UserRateThrottle
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler

from ..audit import Action, audit_record
from ..concurrency import ConcurrentEditError
from ..models import ApiToken, token_digest
from ..models.tokens import LOOKUP_LENGTH, TOKEN_PREFIX

# --- Authentication -------------------------------------------------------------------------------


class TokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer cf_…``: a per-user token, looked up by prefix, compared by digest.

    Every use is an audit event (like a sign-in); a revoked or expired token is refused with 401.
    A token is its own factor: requests it authenticates never meet the session's second factor.
    """

    keyword = "Bearer"

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].decode(errors="replace").lower() not in ("bearer", "token"):
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                "Send the header as 'Authorization: Bearer <token>'."
            )
        raw = parts[1].decode(errors="replace")
        token = self._token(raw)
        now = timezone.now()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Unknown token.")
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed("This token was revoked.")
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed("This token has expired.")
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        audit_record(
            actor=token.user,
            action=Action.LOGIN,
            obj=token,
            request=request,
            detail={"token": token.display_prefix, "method": request.method, "path": request.path},
        )
        return token.user, token

    def _token(self, raw: str) -> ApiToken | None:
        if not raw.startswith(TOKEN_PREFIX):
            return None
        lookup = raw[len(TOKEN_PREFIX) : len(TOKEN_PREFIX) + LOOKUP_LENGTH]
        return (
            ApiToken.objects.select_related("user", "user__organisation")
            .filter(lookup=lookup, digest=token_digest(raw))
            .first()
        )

    def authenticate_header(self, request) -> str:
        return 'Bearer realm="api"'


def is_token_request(request) -> bool:
    """Was this request authenticated by an API token? (The second-factor gate skips those.)"""
    return isinstance(getattr(request, "auth", None), ApiToken)


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    target_class = "ceasefire.core.api.base.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "http", "scheme": "bearer", "bearerFormat": "cf_…"}


# --- Scope and throttling -------------------------------------------------------------------------


class TokenScope(BasePermission):
    """A read-only token reads; only a read-write token (or the browser's session) writes."""

    message = "This token is read-only."

    def has_permission(self, request, view) -> bool:
        token = request.auth if isinstance(request.auth, ApiToken) else None
        return token is None or request.method in SAFE_METHODS or token.writes


class TokenRateThrottle(SimpleRateThrottle):
    """Each token has its own budget (``API_TOKEN_THROTTLE_RATE``); sessions use the user rate."""

    scope = "token"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}


class SessionUserRateThrottle(UserRateThrottle):
    def get_cache_key(self, request, view):
        return None if isinstance(request.auth, ApiToken) else super().get_cache_key(request, view)


# --- Pagination -----------------------------------------------------------------------------------


class V1CursorPagination(CursorPagination):
    """Cursor pages (stable under inserts, no COUNT): ``next``/``previous`` and ``results``."""

    page_size = settings.PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = 200
    ordering = "-id"


# --- Errors ---------------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """The one error body of API v1 (400, 401, 403, 404, 405, 409, 429)."""

    status = serializers.IntegerField()
    code = serializers.CharField()
    detail = serializers.CharField()
    fields = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))
    current_version = serializers.IntegerField(required=False)


def _fields(data) -> dict[str, list[str]]:
    if isinstance(data, dict):
        return {
            str(k): [str(m) for m in (v if isinstance(v, list) else [v])]
            for k, v in data.items()
            if k not in ("detail",)
        }
    return {"non_field_errors": [str(m) for m in data]} if isinstance(data, list) else {}


def _django_validation_fields(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {
            ("non_field_errors" if k == "__all__" else k): v for k, v in exc.message_dict.items()
        }
    return {"non_field_errors": list(exc.messages)}


def v1_exception_handler(exc, context):
    """Every refusal as ``{"status", "code", "detail", "fields"}`` (+ ``current_version``: 409)."""
    if isinstance(exc, ConcurrentEditError):
        current = exc.current
        body = {
            "status": 409,
            "code": "conflict",
            "detail": exc.message,
            "fields": {},
            "current_version": getattr(current, "version", None),
        }
        return Response(body, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_validation_fields(exc))
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(exc, exceptions.ValidationError):
        detail, fields, code = "The request has errors; see fields.", _fields(data), "invalid"
    else:
        detail = str(data.get("detail", "")) if isinstance(data, dict) else str(data)
        fields = {}
        codes = exc.get_codes() if isinstance(exc, exceptions.APIException) else "error"
        code = codes if isinstance(codes, str) else "error"
    response.data = {
        "status": response.status_code,
        "code": code,
        "detail": detail,
        "fields": fields,
    }
    return response


# --- Safe updates ---------------------------------------------------------------------------------


def expected_version(request, body_version: int | None) -> int:
    """The version the client last read: ``If-Match: "3"`` or ``{"version": 3}`` (one required)."""
    header = request.headers.get("If-Match", "").strip().removeprefix("W/").strip('"')
    if header:
        try:
            return int(header)
        except ValueError:
            raise exceptions.ValidationError(
                {"version": ['If-Match must hold the version you read, e.g. If-Match: "3".']}
            ) from None
    if body_version is None:
        raise exceptions.ValidationError(
            {"version": ["Send the version you read (the 'version' field or an If-Match header)."]}
        )
    return body_version


def versioned_body(request, body: Mapping, current: dict) -> dict:
    """A page form's data: the body's fields over the record's ``current`` values, and the
    version the client read (the body's or ``If-Match``)."""
    data = {
        name: (
            body.getlist(name)
            if hasattr(body, "getlist") and isinstance(value, list) and name in body
            else body.get(name, value)
        )
        for name, value in current.items()
    }
    data["version"] = expected_version(request, body.get("version"))
    return data


# --- Writes through the pages' forms -------------------------------------------------------------


def page_form_data(request, form_class, *, data=None, **form_kwargs) -> dict:
    """Validate the request body with the page's own form (identical rules and messages): its
    cleaned data, or 400 with the form's errors field by field. The service then checks the rest.
    """
    data = request.data if data is None else data
    if not isinstance(data, Mapping):
        raise exceptions.ValidationError({"non_field_errors": ["Send a JSON object."]})
    form = form_class(data, **form_kwargs)
    if not hasattr(data, "getlist"):  # JSON: typed values, where a page's form posts text
        form.data = _as_posted(form, data)
    _refuse_ids_out_of_range(form, form.data)
    if not form.is_valid():
        raise exceptions.ValidationError(
            {
                ("non_field_errors" if name == "__all__" else name): list(messages)
                for name, messages in form.errors.items()
            }
        )
    return form.cleaned_data


def _as_posted(form, data: Mapping) -> dict:
    """A JSON body as a page's form would receive it: numbers as text (a date sent as a number is
    then an invalid date, not a crash), true/false kept for check boxes, a list only where the
    field takes several values, and no object anywhere: else 400 on the field."""
    posted = dict(data)
    for name, field in form.fields.items():
        if name not in posted or posted[name] is None:
            continue
        value = posted[name]
        several = getattr(field.widget, "allow_multiple_selected", False)
        values = value if several and isinstance(value, list) else [value]
        if (isinstance(value, list) and not several) or any(
            isinstance(v, Mapping | list) for v in values
        ):
            raise exceptions.ValidationError(
                {name: ["Send a list of values." if several else "Send one value."]}
            )
        if not isinstance(field, forms.BooleanField):
            values = [str(v) if isinstance(v, int | float) else v for v in values]
        posted[name] = values if several and isinstance(value, list) else values[0]
    return posted


def _refuse_ids_out_of_range(form, data) -> None:
    """A chosen record's id the database cannot hold is an invalid choice (not a crash)."""
    for name, field in form.fields.items():
        if not isinstance(field, forms.ModelChoiceField):
            continue
        values = data.getlist(name) if hasattr(data, "getlist") else data.get(name)
        for value in values if isinstance(values, list | tuple) else [values]:
            try:
                too_big = abs(int(str(value))) > MAX_ID
            except ValueError:
                continue
            if too_big:
                raise exceptions.ValidationError({name: ["Select a valid choice."]})


def body_fields(request) -> dict:
    """The request body as one value per field (a JSON object, or a form's single values), to
    lay over a record's current values for a partial update; 400 unless it is an object."""
    data = request.data
    if not isinstance(data, Mapping):
        raise exceptions.ValidationError({"non_field_errors": ["Send a JSON object."]})
    return data.dict() if hasattr(data, "getlist") else dict(data)


def id_in_body(request, name: str) -> int:
    """A record's id sent in the body (``{"task": 12}``): a whole number, else 400."""
    value = request.data.get(name) if isinstance(request.data, Mapping) else None
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).isdigit():
        raise exceptions.ValidationError({name: ["Give the id of a record you may see."]})
    if not 1 <= int(value) <= MAX_ID:
        raise exceptions.ValidationError({name: ["Give the id of a record you may see."]})
    return int(value)


# --- The base of every v1 view --------------------------------------------------------------------


class IdFilter(django_filters.NumberFilter):
    """A filter on an id: a whole number in the database's range (not any decimal)."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


MAX_ID = 2**63 - 1


class V1Mixin:
    """Put first in the bases of every v1 view: tokens or session, scope, throttles, errors."""

    lookup_value_regex = "[0-9]{1,18}"  # an id the database can hold; anything else is 404

    authentication_classes = [TokenAuthentication, SessionAuthentication]
    permission_classes = [IsAuthenticated, TokenScope]
    throttle_classes = [TokenRateThrottle, SessionUserRateThrottle]
    pagination_class = V1CursorPagination
    filter_backends = [DjangoFilterBackend, OrderingFilter]

    def get_exception_handler(self):
        return v1_exception_handler


class OldApiAlias:
    """Put first in an old endpoint's bases, before the v1 view it aliases (one implementation:
    v1's queryset, scoping, filters, services and audit). Kept as the old clients knew them, for
    one release: the session-only sign-in, permissions and throttle, page-number pagination
    (``count``/``next``/``previous``/``results``) and DRF's plain error body."""

    authentication_classes = api_settings.DEFAULT_AUTHENTICATION_CLASSES
    permission_classes = api_settings.DEFAULT_PERMISSION_CLASSES
    throttle_classes = api_settings.DEFAULT_THROTTLE_CLASSES
    pagination_class = PageNumberPagination
    audit_api = "old"

    def get_exception_handler(self):
        return old_exception_handler


def old_exception_handler(exc, context):
    """DRF's plain bodies, as the old endpoints answered: a stale version is 409 ``{"detail"}``,
    a service's refusal 400 with its messages by field."""
    if isinstance(exc, ConcurrentEditError):
        return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        body = (
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return APIView.settings.EXCEPTION_HANDLER(exc, context)
