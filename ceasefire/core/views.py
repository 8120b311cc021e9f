"""Core pages: sign-in/out (audited), the home page per role, the person page, the audit log."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import permissions, selectors
from .audit import Action, audit_record, audit_view
from .htmx import render_page
from .models import Meeting, Task
from .pagination import paginate


class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(actor=form.get_user(), action=Action.LOGIN, request=self.request)
        return response

    def form_invalid(self, form):
        username = (form.data.get("username") or "")[:150]
        audit_record(
            actor=None,
            action=Action.LOGIN_FAILED,
            object_type="auth.user",
            detail={"username": username},
            request=self.request,
        )
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    def post(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            audit_record(actor=request.user, action=Action.LOGOUT, request=request)
        return super().post(request, *args, **kwargs)


@login_required
@require_GET
def home(request):
    """A landing page per role: each person sees what their next hour needs."""
    user = request.user
    today = timezone.localdate()
    page = permissions.home_page_for(user)
    ctx: dict = {"today": today, "home_page": page, "task_statuses": Task.Status}
    meetings = permissions.meetings_visible_to(user)
    if page == "police":
        deliverables = selectors.tasks_open(permissions.home_deliverables_visible_to(user))
        ctx["next_review"] = selectors.meeting_next(Meeting.Kind.SHOOTING_REVIEW, today, meetings)
        ctx["deliverables"] = _home_tasks(request, deliverables, "source_meeting")
        ctx["own_organisation_only"] = permissions.home_deliverables_own_organisation_only(user)
    elif page == "partner":
        followups = selectors.tasks_open(permissions.home_followups_visible_to(user))
        ctx["followups"] = _home_tasks(request, followups, "assigned_user")
        ctx["next_coordination"] = selectors.meeting_next(
            Meeting.Kind.COORDINATION, today, meetings
        )
    if page in ("police", "partner"):
        escalated = selectors.referrals_escalated(
            permissions.home_escalations_visible_to(user), today=today
        )
        ctx["escalated"] = _home_tasks(request, escalated, "created_by", param="escalated_page")
        for task in ctx["escalated"]:
            task.escalation = selectors.escalation_reason(task, today=today)
    elif page == "worksheet":
        ctx["worksheet"] = selectors.worksheet_latest_ready()
        ctx["next_review"] = selectors.meeting_next(
            Meeting.Kind.PERFORMANCE_REVIEW, today, meetings
        )
    elif page == "users":
        users = permissions.users_visible_to(user).select_related("organisation")
        ctx["users"] = paginate(request, users, per_page=25)
    elif page == "audit":
        events = permissions.audit_events_visible_to(user).select_related("actor")
        ctx["events"] = paginate(request, events, per_page=25)
    return render_page(request, "core/home.html", ctx)


def _home_tasks(request, tasks, related: str, *, param: str = "page"):
    """A home page's tasks, each knowing whether its reader may see who it is about."""
    tasks = tasks.select_related("assigned_organisation", "subject_person", related)
    tasks = permissions.with_subject_visibility(request.user, tasks)
    return paginate(request, tasks.order_by("due_date", "id"), per_page=20, param=param)


def _person_police_view(person) -> dict:
    """What police see on a person page: the timeline of involvements, designations with their
    history, affiliations (with basis) and the conflicts of the person's groups. Fixed query
    count."""
    affiliations = list(person.affiliations.select_related("group", "recorded_by"))
    group_ids = {a.group_id for a in affiliations if a.active}
    involvements = list(
        person.involvements.select_related(
            "incident__conflict__group_a", "incident__conflict__group_b"
        )
        .annotate(others=Count("incident__involvements", distinct=True) - 1)
        .order_by("-incident__occurred_at", "-id")[:200]
    )
    designations = list(
        person.designations.select_related("designated_by", "ended_by", "basis_meeting").order_by(
            "-designated_on", "-id"
        )
    )
    conflicts = list(selectors.conflicts_of_groups(group_ids)) if group_ids else []
    return {
        "affiliations": affiliations,
        "involvements": involvements,
        "designations": designations,
        "conflicts": conflicts,
    }


@login_required
@require_GET
def person_detail(request, pk: int):
    """One person, in the fields this user may read. Every view is an audit event.

    Partners see the service fields and the shared risk assessment only; police (and probation
    for its own supervisees) also see the intelligence: timeline, designations, affiliations,
    conflicts.
    """
    user = request.user
    person = permissions.get_person_for_user(user, pk)
    intelligence = permissions.can_view_intelligence(user, person)
    ctx = {
        "person": person,
        "intelligence": intelligence,
        "police": permissions.is_police(user),
        "share": person.shares.filter(withdrawn_at__isnull=True)
        .select_related("source_meeting")
        .first(),
        "tasks": selectors.tasks_open(
            permissions.tasks_visible_to(user).filter(subject_person=person)
        ).select_related("assigned_organisation", "source_meeting")[:50],
        "enrolments": person.enrolments.select_related("provider")[:50],
        "today": timezone.localdate(),
    }
    if ctx["share"]:
        kinds = dict(Task.Kind.choices)
        ctx["share_interventions"] = [
            kinds.get(code, code) for code in ctx["share"].recommended_interventions
        ]
    if intelligence:
        ctx.update(_person_police_view(person))
    audit_view(request, obj=person, intelligence=intelligence)
    return render_page(request, "core/person_detail.html", ctx)


@login_required
@require_GET
def audit_log(request):
    permissions.require_capability(request.user, "audit.view")
    events = permissions.audit_events_visible_to(request.user).select_related("actor")
    action = request.GET.get("action")
    if action in Action.values:
        events = events.filter(action=action)
    if request.GET.get("object_type"):
        events = events.filter(object_type=request.GET["object_type"])
    return render_page(
        request,
        "core/audit_log.html",
        {"events": paginate(request, events), "actions": Action.choices},
    )
