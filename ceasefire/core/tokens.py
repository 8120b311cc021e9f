"""API token services: issue (the raw token is returned once and never stored) and revoke."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from . import permissions
from .audit import Action, audit_record
from .models import ApiToken, User, token_digest, token_generate


@transaction.atomic
def api_token_create(
    *,
    user: User,
    owner: User,
    name: str,
    scope: str = ApiToken.Scope.READ,
    days: int | None = None,
    request=None,
) -> tuple[ApiToken, str]:
    """Issue a token for ``owner`` (oneself, or anyone by an admin): the token and its raw value."""
    if not permissions.can_issue_token_for(user, owner):
        raise PermissionDenied
    days = settings.API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationError(
            {"days": f"A token lives between 1 and {settings.API_TOKEN_MAX_DAYS} days."}
        )
    raw, lookup = token_generate()
    token = ApiToken(
        user=owner,
        name=name.strip(),
        lookup=lookup,
        digest=token_digest(raw),
        scope=scope,
        created_by=user,
        expires_at=timezone.now() + dt.timedelta(days=days),
    )
    token.full_clean()
    token.save()
    audit_record(
        actor=user,
        action=Action.CREATE,
        obj=token,
        request=request,
        detail={"owner": owner.get_username(), "scope": scope, "days": days},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, token: ApiToken, user: User, request=None) -> ApiToken:
    if token.revoked_at is not None:
        raise ValidationError("This token is already revoked.")
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(
        actor=user, action=Action.CHANGE, obj=token, request=request, detail={"revoked": True}
    )
    return token
