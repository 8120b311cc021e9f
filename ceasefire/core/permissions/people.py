"""People (service fields for partners, intelligence for police), incidents, groups, conflicts."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from ..models import (
    Conflict,
    Enrolment,
    Group,
    Incident,
    Organisation,
    PartnershipShare,
    Person,
    RiskDesignation,
    Role,
    Task,
)
from .roles import (
    PARTNER_ROLES,
    POLICE_ROLES,
    _active,
    has_capability,
    is_partner,
    is_police,
    require_capability,
)

# --- People --------------------------------------------------------------------------


def _active_share_exists() -> Exists:
    return Exists(PartnershipShare.objects.filter(person=OuterRef("pk"), withdrawn_at__isnull=True))


def people_visible_to(user) -> QuerySet[Person]:
    """Everyone the user may see at least the service fields of."""
    people = Person.objects.all()
    if not _active(user):
        return people.none()
    if user.role in POLICE_ROLES:
        return people
    if user.role not in PARTNER_ROLES or user.organisation_id is None:
        return people.none()
    org = user.organisation_id
    shared = _active_share_exists()
    caseload = Exists(
        Enrolment.objects.filter(person=OuterRef("pk"), provider_id=org, ended_on__isnull=True)
    )
    on_org_tasks = Exists(
        Task.objects.filter(
            subject_person=OuterRef("pk"),
            assigned_organisation_id=org,
            status__in=Task.OPEN_STATUSES,
        )
    )
    supervised = Q(supervising_organisation_id=org)
    if user.role == Role.PARTNER_LEAD:
        return people.filter(shared | caseload | supervised)
    # partner_staff: only people on their organisation's tasks (while shared) or caseload
    return people.filter(caseload | supervised | (on_org_tasks & shared))


def can_view_person(user, person: Person) -> bool:
    return people_visible_to(user).filter(pk=person.pk).exists()


def can_view_intelligence(user, person: Person | None = None) -> bool:
    """Narratives, suspect roles, group labels, affiliation basis, designation criteria."""
    if is_police(user):
        return True
    return bool(
        person is not None
        and is_partner(user)
        and user.organisation is not None
        and user.organisation.kind == Organisation.Kind.PROBATION
        and person.supervising_organisation_id == user.organisation_id
    )


def can_propose_designation(user) -> bool:
    """Designate outside a review: pending until the next shooting review confirms it."""
    return has_capability(user, "designations.edit")


def can_edit_person(user, person: Person) -> bool:
    return has_capability(user, "people.edit")


def get_person_for_user(user, pk, *, write: bool = False) -> Person:
    try:
        person = people_visible_to(user).get(pk=pk)
    except (Person.DoesNotExist, ValueError, TypeError):
        raise Http404("No such person.") from None
    if write and not can_edit_person(user, person):
        raise PermissionDenied
    return person


# --- Incidents, groups, conflicts (police) ----------------------------------------------


def incidents_visible_to(user) -> QuerySet[Incident]:
    if has_capability(user, "incidents.view"):
        return Incident.objects.all()
    return Incident.objects.none()


def can_edit_incident(user, incident: Incident | None = None) -> bool:
    return has_capability(user, "incidents.edit")


def get_incident_for_user(user, pk, *, write: bool = False) -> Incident:
    require_capability(user, "incidents.view")
    try:
        incident = incidents_visible_to(user).get(pk=pk)
    except (Incident.DoesNotExist, ValueError, TypeError):
        raise Http404("No such incident.") from None
    if write and not can_edit_incident(user, incident):
        raise PermissionDenied
    return incident


def groups_visible_to(user) -> QuerySet[Group]:
    return Group.objects.all() if has_capability(user, "groups.view") else Group.objects.none()


def conflicts_visible_to(user) -> QuerySet[Conflict]:
    """Partners see conflicts by name and status only (at coordination); police see all."""
    if has_capability(user, "groups.view") or has_capability(user, "coordination.view"):
        return Conflict.objects.all()
    return Conflict.objects.none()


def get_group_for_user(user, pk, *, write: bool = False) -> Group:
    require_capability(user, "groups.view")
    try:
        group = Group.objects.get(pk=pk)
    except (Group.DoesNotExist, ValueError, TypeError):
        raise Http404("No such group.") from None
    if write and not has_capability(user, "groups.edit"):
        raise PermissionDenied
    return group


def get_conflict_for_user(user, pk, *, write: bool = False) -> Conflict:
    require_capability(user, "groups.view")
    try:
        conflict = Conflict.objects.select_related("group_a", "group_b").get(pk=pk)
    except (Conflict.DoesNotExist, ValueError, TypeError):
        raise Http404("No such conflict.") from None
    if write and not has_capability(user, "groups.edit"):
        raise PermissionDenied
    return conflict


def designations_visible_to(
    user, designations: QuerySet[RiskDesignation] | None = None
) -> QuerySet[RiskDesignation]:
    """Designations and their criteria are intelligence. Police see every one, pending and
    rejected too; probation sees the confirmed designations of its own supervisees; nobody else
    sees any. ``designations`` narrows the set (a person's, say)."""
    designations = RiskDesignation.objects.all() if designations is None else designations
    if is_police(user):
        return designations
    if (
        is_partner(user)
        and user.organisation is not None
        and user.organisation.kind == Organisation.Kind.PROBATION
    ):
        return designations.confirmed().filter(
            person__supervising_organisation_id=user.organisation_id
        )
    return designations.none()


def can_view_group_intelligence(user) -> bool:
    """A group's or a conflict's description (intelligence): the police only."""
    return has_capability(user, "groups.view")
