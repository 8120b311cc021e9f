"""Tasks (deliverables, follow-ups, commitments) and what each role's home page lists."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from ..models import (
    Meeting,
    Role,
    Task,
)
from .roles import PARTNER_ROLES, POLICE_ROLES, _active

# --- Tasks -----------------------------------------------------------------------------------


def tasks_visible_to(user) -> QuerySet[Task]:
    tasks = Task.objects.all()
    if not _active(user):
        return tasks.none()
    if user.role in POLICE_ROLES:
        return tasks
    if user.role == Role.EXECUTIVE:
        return tasks.filter(
            source_meeting__kind=Meeting.Kind.PERFORMANCE_REVIEW, subject_person__isnull=True
        )
    if user.role in PARTNER_ROLES or user.role == Role.COMMUNITY_PARTNER:
        return tasks.filter(
            Q(assigned_organisation_id=user.organisation_id) | Q(assigned_user=user)
        )
    return tasks.none()


def can_change_task(user, task: Task) -> bool:
    if not _active(user):
        return False
    role = user.role
    if role == Role.POLICE_FACILITATOR:
        return True
    if role == Role.EXECUTIVE:
        return (
            task.source_meeting_id is not None
            and task.source_meeting.kind == Meeting.Kind.PERFORMANCE_REVIEW
        )
    if task.assigned_user_id == user.pk:
        return role in (
            Role.POLICE_VIEWER,
            Role.PARTNER_LEAD,
            Role.PARTNER_STAFF,
            Role.COMMUNITY_PARTNER,
        )
    same_org = task.assigned_organisation_id == user.organisation_id
    if role in (Role.POLICE_VIEWER, Role.PARTNER_LEAD, Role.COMMUNITY_PARTNER):
        return same_org
    if role == Role.PARTNER_STAFF:
        return same_org and task.assigned_user_id is None
    return False


def can_answer_referral(user, task: Task) -> bool:
    """Accepting or declining a referral is for the organisation it was given to: its lead, or
    anyone of it who may work the task (not the facilitator on another organisation's behalf)."""
    return (
        task.awaiting_acceptance
        and _active(user)
        and user.organisation_id == task.assigned_organisation_id
        and can_change_task(user, task)
    )


def can_reassign_task(user, task: Task) -> bool:
    """The meeting that made a follow-up reassigns it (its facilitator), e.g. once declined."""
    return task.is_open and _active(user) and user.role == Role.POLICE_FACILITATOR


def get_task_for_user(user, pk, *, write: bool = False) -> Task:
    try:
        task = (
            tasks_visible_to(user)
            .select_related("source_meeting", "assigned_organisation")
            .get(pk=pk)
        )
    except (Task.DoesNotExist, ValueError, TypeError):
        raise Http404("No such task.") from None
    if write and not can_change_task(user, task):
        raise PermissionDenied
    return task


def never_sees_task_subjects(user) -> bool:
    """Executives, administrators and auditors never read who a task is about."""
    return user.role in (Role.EXECUTIVE, Role.ADMIN, Role.AUDITOR)


def task_subject_label(user, task: Task) -> str:
    """What the user may read of a task's subject (executives never see a person)."""
    if task.subject_person_id:
        if never_sees_task_subjects(user):
            return "A person (hidden)"
        return str(task.subject_person)
    if task.subject_group_id:
        return str(task.subject_group)
    if task.subject_conflict_id:
        return str(task.subject_conflict)
    return ""


# --- The home page ----------------------------------------------------------------------------

# Which landing page each role gets (``core/home.html`` has one block per page).
_HOME_PAGES = {
    Role.POLICE_FACILITATOR: "police",
    Role.POLICE_VIEWER: "police",
    Role.PARTNER_LEAD: "partner",
    Role.PARTNER_STAFF: "partner",
    Role.COMMUNITY_PARTNER: "partner",
    Role.EXECUTIVE: "worksheet",
    Role.ADMIN: "users",
    Role.AUDITOR: "audit",
}


def home_page_for(user) -> str:
    """The landing page: "police", "partner", "worksheet", "users", "audit" (or "" for none)."""
    return _HOME_PAGES.get(user.role, "") if _active(user) else ""


def home_deliverables_own_organisation_only(user) -> bool:
    """Police viewers see their own organisation's review deliverables on their home page."""
    return _active(user) and user.role == Role.POLICE_VIEWER


def home_deliverables_visible_to(user) -> QuerySet[Task]:
    """The shooting-review deliverables a police home page lists (open or not: callers filter)."""
    tasks = tasks_visible_to(user).filter(source_meeting__kind=Meeting.Kind.SHOOTING_REVIEW)
    if home_deliverables_own_organisation_only(user):
        tasks = tasks.filter(assigned_organisation_id=user.organisation_id)
    return tasks


def home_escalations_visible_to(user) -> QuerySet[Task]:
    """Whose attention an escalated task needs: the lead of the organisation it was given to, and
    whoever made it (callers keep the escalated ones: ``selectors.referrals_escalated``)."""
    if not _active(user):
        return Task.objects.none()
    made = Task.objects.filter(created_by=user)  # one may always follow up what one asked for
    if user.role != Role.PARTNER_LEAD:
        return made
    return made | tasks_visible_to(user).filter(assigned_organisation_id=user.organisation_id)


def home_followups_visible_to(user) -> QuerySet[Task]:
    """The follow-ups a partner's home page lists: a community partner's own, and those of their
    organisation that nobody in it has taken; other partners every task of their organisation."""
    tasks = tasks_visible_to(user)
    if _active(user) and user.role == Role.COMMUNITY_PARTNER:
        tasks = tasks.filter(
            Q(assigned_user=user)
            | Q(assigned_organisation_id=user.organisation_id, assigned_user__isnull=True)
        )
    return tasks
