"""Role-level capabilities: which role may do what, before any object is looked at."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from ..models import (
    Role,
)

POLICE_ROLES = frozenset({Role.POLICE_FACILITATOR, Role.POLICE_VIEWER})
PARTNER_ROLES = frozenset({Role.PARTNER_LEAD, Role.PARTNER_STAFF})

# Role-level capabilities. Object-level rules (which person, which task) are below.
CAPABILITIES: dict[str, frozenset[str]] = {
    # users, organisations, benchmarks, settings
    "admin.manage": frozenset({Role.ADMIN}),
    "audit.view": frozenset({Role.AUDITOR}),
    # incidents, people, groups, conflicts (police)
    "incidents.view": POLICE_ROLES,
    "incidents.edit": frozenset({Role.POLICE_FACILITATOR}),
    "incidents.import": frozenset({Role.POLICE_FACILITATOR}),
    "people.view_all": POLICE_ROLES,
    "people.edit": frozenset({Role.POLICE_FACILITATOR}),
    "groups.view": POLICE_ROLES,
    "groups.edit": frozenset({Role.POLICE_FACILITATOR}),
    "designations.edit": frozenset({Role.POLICE_FACILITATOR}),
    "shares.edit": frozenset({Role.POLICE_FACILITATOR}),
    # retention: what the next nightly run lapses and purges (the police lead)
    "retention.view": frozenset({Role.POLICE_FACILITATOR}),
    # notices given and information/removal requests (the police lead records and answers)
    "rights.edit": frozenset({Role.POLICE_FACILITATOR}),
    # meetings
    "shooting_reviews.view": POLICE_ROLES,
    "shooting_reviews.edit": frozenset({Role.POLICE_FACILITATOR}),
    "coordination.view": frozenset(
        {Role.POLICE_FACILITATOR, Role.PARTNER_LEAD, Role.COMMUNITY_PARTNER}
    ),
    "coordination.edit": frozenset({Role.POLICE_FACILITATOR, Role.PARTNER_LEAD}),
    "performance.view": frozenset({Role.POLICE_FACILITATOR, Role.PARTNER_LEAD, Role.EXECUTIVE}),
    "performance.edit": frozenset({Role.POLICE_FACILITATOR, Role.EXECUTIVE}),
    # worksheet
    "worksheet.view": frozenset({Role.POLICE_FACILITATOR, Role.PARTNER_LEAD, Role.EXECUTIVE}),
    # asking for a new version (snapshot + PDF: aggregates only) vs freezing one for good
    "worksheet.generate": frozenset({Role.POLICE_FACILITATOR, Role.EXECUTIVE}),
    "worksheet.freeze": frozenset({Role.POLICE_FACILITATOR}),
    "worksheet.edit_notes": frozenset({Role.POLICE_FACILITATOR}),
    "worksheet.trace_records": frozenset({Role.POLICE_FACILITATOR}),
    # how long each step of a version's PDF job took (compute / render / store)
    "worksheet.job_timings": frozenset({Role.POLICE_FACILITATOR}),
    "benchmarks.edit": frozenset({Role.ADMIN, Role.POLICE_FACILITATOR}),
    "enforcement_inputs.edit": frozenset({Role.POLICE_FACILITATOR}),
    # enforcement actions against a person or a group (they feed the worksheet)
    "enforcement_actions.record": frozenset({Role.POLICE_FACILITATOR}),
    # partners' own work
    "followups.view": frozenset(
        {
            Role.POLICE_FACILITATOR,
            Role.POLICE_VIEWER,
            Role.PARTNER_LEAD,
            Role.PARTNER_STAFF,
            Role.COMMUNITY_PARTNER,
        }
    ),
    "contacts.record": frozenset({Role.POLICE_FACILITATOR, Role.PARTNER_LEAD, Role.PARTNER_STAFF}),
    "call_ins.record": frozenset({Role.POLICE_FACILITATOR, Role.PARTNER_LEAD}),
}


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def has_capability(user, capability: str) -> bool:
    if capability not in CAPABILITIES:
        raise KeyError(f"Unknown capability {capability!r}")
    return _active(user) and user.role in CAPABILITIES[capability]


def require_capability(user, capability: str) -> None:
    """Raise 403 unless the user's role has the capability."""
    if not has_capability(user, capability):
        raise PermissionDenied


def is_police(user) -> bool:
    return _active(user) and user.role in POLICE_ROLES


def is_partner(user) -> bool:
    return _active(user) and user.role in PARTNER_ROLES
