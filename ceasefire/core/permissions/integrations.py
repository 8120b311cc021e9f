"""Integrations: API tokens, contact records over the API, exports and the public page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from ..models import (
    ApiToken,
    Benchmark,
    CustomNotification,
    EnforcementAction,
    PartnershipSettings,
    ServiceContact,
    UnitStaffing,
    User,
)
from .people import people_visible_to
from .roles import PARTNER_ROLES, _active, has_capability, is_police

# --- API tokens -----------------------------------------------------------------------------------


def api_tokens_visible_to(user) -> QuerySet[ApiToken]:
    """Users see their own tokens; an administrator sees everyone's (to revoke them)."""
    tokens = ApiToken.objects.select_related("user")
    if not _active(user):
        return tokens.none()
    if has_capability(user, "admin.manage"):
        return tokens
    return tokens.filter(user=user)


def can_issue_token_for(user, owner: User) -> bool:
    """Users create their own tokens; an administrator creates them for anyone."""
    return _active(user) and (owner.pk == user.pk or has_capability(user, "admin.manage"))


def get_api_token_for_user(user, pk) -> ApiToken:
    try:
        return api_tokens_visible_to(user).get(pk=pk)
    except (ApiToken.DoesNotExist, ValueError, TypeError):
        raise Http404("No such token.") from None


# --- Contact records over the API -----------------------------------------------------------------


def notifications_visible_to(user) -> QuerySet[CustomNotification]:
    """Police see every custom notification; partners those about people they may see."""
    notifications = CustomNotification.objects.all()
    if is_police(user):
        return notifications
    if _active(user) and user.role in PARTNER_ROLES:
        return notifications.filter(person__in=people_visible_to(user).values("pk"))
    return notifications.none()


def service_contacts_visible_to(user) -> QuerySet[ServiceContact]:
    """Police see every service contact; partners their own organisation's."""
    contacts = ServiceContact.objects.all()
    if is_police(user):
        return contacts
    if _active(user) and user.role in PARTNER_ROLES:
        return contacts.filter(organisation_id=user.organisation_id)
    return contacts.none()


def enforcement_actions_visible_to(user) -> QuerySet[EnforcementAction]:
    """Enforcement actions name people and groups: the police only."""
    actions = EnforcementAction.objects.all()
    return actions if has_capability(user, "incidents.view") else actions.none()


def staffing_visible_to(user) -> QuerySet[UnitStaffing]:
    """Unit staffing is an aggregate on the worksheet: the police and the worksheet's readers."""
    staffing = UnitStaffing.objects.all()
    if is_police(user) or has_capability(user, "worksheet.view"):
        return staffing
    return staffing.none()


def benchmarks_visible_to(user) -> QuerySet[Benchmark]:
    """Annual targets: whoever reads the worksheet or sets the targets."""
    if has_capability(user, "worksheet.view") or has_capability(user, "benchmarks.edit"):
        return Benchmark.objects.all()
    return Benchmark.objects.none()


# --- Exports --------------------------------------------------------------------------------------

_EXPORTS = {
    "incidents": "incidents.view",
    "tasks": "followups.view",
    "caseload": "contacts.record",
    "worksheet": "worksheet.view",
    "audit": "audit.view",
}


def can_export(user, what: str) -> bool:
    """May the user download this list (always within what they see of it)?"""
    return has_capability(user, _EXPORTS[what])


def require_export(user, what: str) -> None:
    if not can_export(user, what):
        raise PermissionDenied


# --- The public transparency page -----------------------------------------------------------------


def public_page_open() -> bool:
    """The public page and feed exist only once an administrator switched them on."""
    return PartnershipSettings.load().public_page_enabled
