"""Coordination meetings and partners' own work: follow-ups, contacts, caseload, call-ins."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Exists, OuterRef, QuerySet, Value
from django.http import Http404

from ..models import (
    CallIn,
    Enrolment,
    Group,
    Meeting,
    Organisation,
    PartnershipShare,
    Person,
    Role,
    Task,
)
from .meetings import meetings_visible_to
from .people import can_view_person, people_visible_to
from .roles import PARTNER_ROLES, _active, has_capability, is_police, require_capability
from .tasks import never_sees_task_subjects, task_subject_label, tasks_visible_to

# --- coordination (coordination meetings, partners' follow-ups) ---


def agenda_groups_visible_to(user) -> QuerySet[Group]:
    """Active groups as a meeting lists them: police, and everyone at coordination (names and
    areas only)."""
    if has_capability(user, "groups.view") or has_capability(user, "coordination.view"):
        return Group.objects.filter(active=True)
    return Group.objects.none()


def with_subject_visibility(user, tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Annotate ``subject_visible``: may the user read the name of the task's subject person?

    A partner keeps a task after a share is withdrawn, but no longer sees who it is about.
    """
    if never_sees_task_subjects(user):
        return tasks.annotate(subject_visible=Value(False, output_field=BooleanField()))
    visible = people_visible_to(user).filter(pk=OuterRef("subject_person_id"))
    return tasks.annotate(subject_visible=Exists(visible))


def followup_subject_label(user, task: Task) -> str:
    """The subject as this user may read it (uses ``subject_visible`` when annotated)."""
    if task.subject_person_id:
        visible = getattr(task, "subject_visible", None)
        if visible is None:
            visible = (
                not never_sees_task_subjects(user)
                and people_visible_to(user).filter(pk=task.subject_person_id).exists()
            )
        return str(task.subject_person) if visible else "A person (not shared with you)"
    return task_subject_label(user, task)


def coordination_tasks_visible_to(user) -> QuerySet[Task]:
    """The user's own tasks, plus every task made by a coordination meeting the user may see.

    What the room planned is visible to those in the room; who a task is about stays governed by
    ``people_visible_to`` (see ``with_subject_visibility``).
    """
    own = tasks_visible_to(user)
    if not has_capability(user, "coordination.view"):
        return own
    if not own.query.has_filters():
        return own  # every task already (police)
    # one WHERE with both conditions: a "pk IN (the user's tasks)" would hash every task's id
    meetings = meetings_visible_to(user, Meeting.Kind.COORDINATION)
    return own | Task.objects.filter(source_meeting__in=meetings.values("pk"))


def can_record_contact(user, person: Person) -> bool:
    """Custom notifications, enrolments and service contacts: only about people the user may see."""
    return has_capability(user, "contacts.record") and can_view_person(user, person)


def sees_every_enrolment(user) -> bool:
    """Police see the whole city's caseload; partners their own organisation's."""
    return is_police(user)


def enrolments_visible_to(user) -> QuerySet[Enrolment]:
    """Police see every enrolment; partners their own organisation's caseload."""
    if not _active(user):
        return Enrolment.objects.none()
    if sees_every_enrolment(user):
        return Enrolment.objects.all()
    if user.role in PARTNER_ROLES:
        return Enrolment.objects.filter(provider_id=user.organisation_id)
    return Enrolment.objects.none()


def get_enrolment_for_user(user, pk, *, write: bool = False) -> Enrolment:
    try:
        enrolment = enrolments_visible_to(user).select_related("person", "provider").get(pk=pk)
    except (Enrolment.DoesNotExist, ValueError, TypeError):
        raise Http404("No such enrolment.") from None
    if write and not can_exit_enrolment(user, enrolment):
        raise PermissionDenied
    return enrolment


def can_exit_enrolment(user, enrolment: Enrolment) -> bool:
    """Police facilitators, or the provider organisation's own partners, record an exit."""
    return _active(user) and (
        user.role == Role.POLICE_FACILITATOR
        or (user.role in PARTNER_ROLES and enrolment.provider_id == user.organisation_id)
    )


def can_choose_enrolment_provider(user) -> bool:
    """Police facilitators record enrolments with any provider; partners with their own only."""
    return _active(user) and user.role == Role.POLICE_FACILITATOR


def enrolment_providers_for(user) -> QuerySet[Organisation]:
    """The organisations the user may name as the provider of an enrolment they record."""
    if can_choose_enrolment_provider(user):
        return (
            Organisation.objects.filter(active=True)
            .exclude(kind=Organisation.Kind.POLICE)
            .order_by("name")
        )
    if not _active(user):
        return Organisation.objects.none()
    return Organisation.objects.filter(pk=user.organisation_id)


def call_ins_visible_to(user) -> QuerySet[CallIn]:
    """Those who record call-ins see every call-in held (dates, places and head counts)."""
    return (
        CallIn.objects.all() if has_capability(user, "call_ins.record") else CallIn.objects.none()
    )


def get_share_for_user(user, pk) -> PartnershipShare:
    """Only those who may share (police facilitators) may withdraw a share."""
    require_capability(user, "shares.edit")
    try:
        return PartnershipShare.objects.select_related("person").get(pk=pk)
    except (PartnershipShare.DoesNotExist, ValueError, TypeError):
        raise Http404("No such share.") from None
