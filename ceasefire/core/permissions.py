"""The one place that decides access (SPEC §2).

Three layers, all called by views, DRF views, exports, PDF tasks and commands:

* **capabilities** — role-level rights (``has_capability(user, "incidents.edit")``);
* **queryset scoping** — ``incidents_visible_to(user)``, ``people_visible_to(user)``…;
* **access helpers** — ``get_person_for_user(user, pk, write=False)``: 404 when the
  user may not see the object, 403 when they may see but not change it.

Intelligence fields (narratives, suspect roles, group labels and affiliation
basis, designation criteria) are police-only; probation staff see them only for
their own supervisees.  Partners see people shared with the partnership, and
only their service fields plus the shared risk assessment.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet, Value
from django.http import Http404

from .models import (
    AuditEvent,
    CallIn,
    Conflict,
    Enrolment,
    Group,
    Incident,
    Meeting,
    Organisation,
    PartnershipShare,
    Person,
    Role,
    Task,
    User,
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
    "worksheet.generate": frozenset({Role.POLICE_FACILITATOR}),
    "worksheet.edit_notes": frozenset({Role.POLICE_FACILITATOR}),
    "worksheet.trace_records": frozenset({Role.POLICE_FACILITATOR}),
    "benchmarks.edit": frozenset({Role.ADMIN, Role.POLICE_FACILITATOR}),
    "enforcement_inputs.edit": frozenset({Role.POLICE_FACILITATOR}),
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


# --- Meetings ------------------------------------------------------------------------------

_MEETING_VIEW = {
    Meeting.Kind.SHOOTING_REVIEW: "shooting_reviews.view",
    Meeting.Kind.COORDINATION: "coordination.view",
    Meeting.Kind.PERFORMANCE_REVIEW: "performance.view",
}
_MEETING_EDIT = {
    Meeting.Kind.SHOOTING_REVIEW: "shooting_reviews.edit",
    Meeting.Kind.COORDINATION: "coordination.edit",
    Meeting.Kind.PERFORMANCE_REVIEW: "performance.edit",
}


def meetings_visible_to(user, kind: str | None = None) -> QuerySet[Meeting]:
    meetings = Meeting.objects.all()
    if kind:
        meetings = meetings.filter(kind=kind)
    if not _active(user):
        return meetings.none()
    kinds = [k for k, cap in _MEETING_VIEW.items() if has_capability(user, cap)]
    meetings = meetings.filter(kind__in=kinds)
    if user.role == Role.COMMUNITY_PARTNER:
        # community partners see the coordination agendas they attend
        meetings = meetings.filter(
            Q(attendees=user) | Q(attending_organisations=user.organisation_id)
        ).distinct()
    return meetings


def can_edit_meeting(user, meeting: Meeting) -> bool:
    return has_capability(user, _MEETING_EDIT[meeting.kind]) and not meeting.is_closed


def get_meeting_for_user(user, pk, *, kind: str | None = None, write: bool = False) -> Meeting:
    if kind is not None:
        require_capability(user, _MEETING_VIEW[kind])
    try:
        meeting = meetings_visible_to(user, kind).get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404("No such meeting.") from None
    if write and not has_capability(user, _MEETING_EDIT[meeting.kind]):
        raise PermissionDenied
    return meeting


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


# --- Audit, users -----------------------------------------------------------------------


def audit_events_visible_to(user) -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.all()
        if has_capability(user, "audit.view")
        else AuditEvent.objects.none()
    )


def users_visible_to(user) -> QuerySet[User]:
    return User.objects.all() if has_capability(user, "admin.manage") else User.objects.none()


# --- Meeting-app specific rules. Each app adds its predicates under its own heading. ----------

# --- reviews (shooting log, shooting reviews) ---


def can_view_narrative(user) -> bool:
    """Incident narratives are intelligence: police only (no incident is tied to one supervisee)."""
    return has_capability(user, "incidents.view") and can_view_intelligence(user)


def can_search_people(user) -> bool:
    """The person search-or-create field on incidents and reviews (it lists every person)."""
    return has_capability(user, "people.edit")


def get_review_for_user(user, pk, *, write: bool = False) -> Meeting:
    """A shooting review: 404 if not visible, 403 for a write by a viewer or on a closed review."""
    review = get_meeting_for_user(user, pk, kind=Meeting.Kind.SHOOTING_REVIEW, write=write)
    if write and not can_edit_meeting(user, review):
        raise PermissionDenied("This review is closed; its minutes are read-only.")
    return review


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
    meetings = meetings_visible_to(user, Meeting.Kind.COORDINATION)
    return Task.objects.filter(
        Q(pk__in=own.values("pk")) | Q(source_meeting__in=meetings.values("pk"))
    )


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


# --- performance (indicators, worksheet, performance reviews) ---


def get_worksheet_for_user(user, pk, *, write: bool = False):
    """A worksheet version: 404 if it does not exist, 403 without worksheet.view (or, to write,
    without the right to edit notes)."""
    from .models import Worksheet

    require_capability(user, "worksheet.view")
    try:
        worksheet = Worksheet.objects.get(pk=pk)
    except (Worksheet.DoesNotExist, ValueError, TypeError):
        raise Http404("No such worksheet.") from None
    if write and not has_capability(user, "worksheet.edit_notes"):
        raise PermissionDenied
    return worksheet


def can_edit_worksheet_notes(user, worksheet) -> bool:
    """The director writes trend notes until the worksheet is frozen."""
    return (
        worksheet is not None
        and not worksheet.frozen
        and has_capability(user, "worksheet.edit_notes")
    )


def can_see_trace_records(user) -> bool:
    """A worksheet number lists the people and incidents behind it: police facilitators only."""
    return has_capability(user, "worksheet.trace_records")


# --- performance (issue 9 helper) ---


def get_commitment_for_user(user, pk, *, write: bool = False) -> Task:
    """A next-step commitment (a task made at a performance review), as ``get_task_for_user``;
    403 for a task made anywhere else: it is not changed from a performance review."""
    task = get_task_for_user(user, pk, write=write)
    if task.source_meeting is None or task.source_meeting.kind != Meeting.Kind.PERFORMANCE_REVIEW:
        raise PermissionDenied
    return task
