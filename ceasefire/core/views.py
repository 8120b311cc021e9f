"""Core pages: the home page per role, the person page, the audit log."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import permissions, record_services, retention, rights, selectors, services
from .audit import Action, audit_record, audit_view, label_page
from .disclosure import neutralise_cell
from .forms import (
    AffiliationForm,
    DesignationProposeForm,
    EnforcementActionEditForm,
    EnforcementActionForm,
    NoticeForm,
    RightsRequestForm,
    RightsResponseForm,
    form_page,
    form_saved,
)
from .htmx import form_errors_text, refusal_text, render_page
from .models import GroupAffiliation, Meeting, RightsRequest, Task
from .oversight import oversight_report
from .pagination import paginate


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
        ctx["deliverables"] = _home_tasks(request, deliverables, "source_meeting", cached=True)
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
        ctx["escalated"] = _home_tasks(
            request, escalated, param="escalated_page", cached=page == "police"
        )
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
        ctx["events"] = label_page(paginate(request, events, per_page=25))
    return render_page(request, "core/home.html", ctx)


def _home_tasks(request, tasks, *related: str, param: str = "page", cached: bool = False):
    """A home page's tasks, each knowing whether its reader may see who it is about (``related``:
    what else the list shows of each, and nothing it does not show). ``cached``: the police's
    lists, the same query for every facilitator, read once per records version."""
    tasks = tasks.select_related("assigned_organisation", "subject_person", *related)
    tasks = permissions.with_subject_visibility(request.user, tasks)
    return paginate(
        request, tasks.order_by("due_date", "id"), per_page=20, param=param, cached=cached
    )


def _person_police_view(user, person) -> dict:
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
        permissions.designations_visible_to(user, person.designations.all())
        .select_related("designated_by", "ended_by", "basis_meeting", "confirmed_in")
        .order_by("-designated_on", "-id")
    )
    conflicts = list(selectors.conflicts_of_groups(group_ids)) if group_ids else []
    enforcement = list(person.enforcement_actions.select_related("group", "unit")[:20])
    return {
        "affiliations": affiliations,
        "enforcement_actions": enforcement,
        "involvements": involvements,
        "designations": designations,
        "conflicts": conflicts,
    }


def _person_context(request, person) -> dict:
    user = request.user
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
        ctx.update(_person_police_view(user, person))
    if permissions.can_propose_designation(user):
        ctx["propose_form"] = DesignationProposeForm(person=person)
    ctx["can_edit_affiliations"] = permissions.has_capability(user, "groups.edit")
    ctx["can_record_enforcement"] = permissions.has_capability(user, "enforcement_actions.record")
    if permissions.is_police(user):
        ctx["notices"] = rights.notices_of(person)
        ctx["requests"] = list(person.rights_requests.select_related("responded_by"))
    if permissions.has_capability(user, "rights.edit"):
        ctx.update(
            notice_form=NoticeForm(initial={"given_on": ctx["today"]}),
            request_form=RightsRequestForm(initial={"received_on": ctx["today"]}),
            response_form=RightsResponseForm(auto_id=False),
        )
    return ctx


def _saved_or_refused(request, person, form, save, done: str):
    """A small form on the person page: saved (with ``done``) or its refusal, then back."""
    if form_saved(form, save):
        messages.success(request, done)
    else:
        messages.error(request, form_errors_text(form))
    return redirect(reverse("core:person-detail", args=[person.pk]) + "#rights")


@login_required
@require_POST
def person_notice_record(request, pk: int):
    user = request.user
    person = permissions.get_person_for_user(user, pk)
    permissions.require_capability(user, "rights.edit")
    return _saved_or_refused(
        request,
        person,
        NoticeForm(request.POST),
        lambda data: rights.notice_record(person=person, user=user, **data),
        "Notice recorded.",
    )


@login_required
@require_POST
def person_request_record(request, pk: int):
    user = request.user
    person = permissions.get_person_for_user(user, pk)
    permissions.require_capability(user, "rights.edit")
    return _saved_or_refused(
        request,
        person,
        RightsRequestForm(request.POST),
        lambda data: rights.request_record(person=person, user=user, **data),
        "Request recorded: it must be answered within 30 days.",
    )


@login_required
@require_POST
def request_respond(request, pk: int):
    user = request.user
    permissions.require_capability(user, "rights.edit")
    rights_request = get_object_or_404(RightsRequest, pk=pk)
    person = permissions.get_person_for_user(user, rights_request.person_id)
    return _saved_or_refused(
        request,
        person,
        RightsResponseForm(request.POST),
        lambda data: rights.request_respond(request=rights_request, user=user, **data),
        "Response recorded.",
    )


@login_required
@require_GET
def requests_overdue(request):
    """Information and removal requests past their 30-day deadline (the police lead)."""
    permissions.require_capability(request.user, "rights.edit")
    overdue = paginate(request, rights.requests_overdue(), per_page=50)
    audit_view(request, object_type="core.rightsrequest", people=[r.person_id for r in overdue])
    return render_page(
        request, "core/requests_overdue.html", {"overdue": overdue, "today": timezone.localdate()}
    )


def _person_url(person, anchor: str = "") -> str:
    return reverse("core:person-detail", args=[person.pk]) + anchor


def _posted(request):
    """The form's data on a POST (even an empty one); None on a GET (an unbound form)."""
    return request.POST if request.method == "POST" else None


@login_required
@require_http_methods(["GET", "POST"])
def person_affiliation_add(request, pk: int):
    """Record the person's membership of a group, with its basis (intelligence, police only)."""
    user = request.user
    person = permissions.get_person_for_user(user, pk)
    permissions.require_capability(user, "groups.edit")
    form = AffiliationForm(_posted(request), initial={"since": timezone.localdate()})

    def save(data):
        affiliation = record_services.affiliation_add(person=person, user=user, **data)
        messages.success(request, f"Affiliation with {affiliation.group} recorded.")
        return _person_url(person, "#affiliations")

    return form_page(
        request,
        form,
        save,
        title=f"Add an affiliation: {person}",
        submit="Record the affiliation",
        back=_person_url(person),
        back_label=str(person),
    )


@login_required
@require_POST
def affiliation_end(request, pk: int):
    """The person is no longer a member: the affiliation stays on record, inactive."""
    user = request.user
    permissions.require_capability(user, "groups.edit")
    affiliation = get_object_or_404(GroupAffiliation.objects.select_related("group"), pk=pk)
    person = permissions.get_person_for_user(user, affiliation.person_id)
    try:
        record_services.affiliation_end(affiliation=affiliation, user=user)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, f"Affiliation with {affiliation.group} ended.")
    return redirect(_person_url(person, "#affiliations"))


@login_required
@require_http_methods(["GET", "POST"])
def person_enforcement_record(request, pk: int):
    user = request.user
    person = permissions.get_person_for_user(user, pk)
    permissions.require_capability(user, "enforcement_actions.record")
    form = EnforcementActionForm(_posted(request), initial={"taken_on": timezone.localdate()})

    def save(data):
        record_services.enforcement_action_record(user=user, person=person, **data)
        messages.success(request, "Enforcement action recorded.")
        return _person_url(person, "#enforcement")

    return form_page(
        request,
        form,
        save,
        title=f"Record an enforcement action: {person}",
        submit="Record the action",
        back=_person_url(person),
        back_label=str(person),
    )


ENFORCEMENT_PAGE_FIELDS = ("kind", "taken_on", "unit", "notes")


@login_required
@require_http_methods(["GET", "POST"])
def person_enforcement_correct(request, pk: int, action: int):
    """Correct an action recorded against the person, only if nobody corrected it since the
    form was loaded (its version, in a hidden field)."""
    user = request.user
    person = permissions.get_person_for_user(user, pk)
    permissions.require_capability(user, "enforcement_actions.record")
    recorded = get_object_or_404(
        permissions.enforcement_actions_visible_to(user).filter(person=person), pk=action
    )
    initial = {name: getattr(recorded, name) for name in ENFORCEMENT_PAGE_FIELDS}
    form = EnforcementActionEditForm(
        _posted(request), initial={**initial, "version": recorded.version}
    )

    def save(data):
        record_services.enforcement_action_correct(
            action=recorded,
            user=user,
            expected_version=data["version"],
            changes={name: data[name] for name in ENFORCEMENT_PAGE_FIELDS},
        )
        messages.success(request, "Enforcement action corrected.")
        return _person_url(person, "#enforcement")

    return form_page(
        request,
        form,
        save,
        title=f"Correct an enforcement action: {person}",
        submit="Save the correction",
        back=_person_url(person, "#enforcement"),
        back_label=str(person),
    )


@login_required
@require_POST
def person_designation_propose(request, pk: int):
    """Designate outside a review: pending (never in force, never shown to partners) until
    the next shooting review confirms or rejects it."""
    user = request.user
    person = permissions.get_person_for_user(user, pk)
    permissions.require_capability(user, "designations.edit")
    form = DesignationProposeForm(request.POST, person=person)

    def save(data: dict):
        return services.designation_create(
            person=person,
            user=user,
            level=data["level"],
            criteria=data["criteria"],
            basis=data["basis"],
            basis_incidents=list(data["basis_incidents"]),
        )

    if form_saved(form, save):
        messages.success(
            request, "Designation recorded as pending: the next shooting review confirms it."
        )
        return redirect("core:person-detail", pk=person.pk)
    ctx = _person_context(request, person)
    ctx["propose_form"] = form
    return render_page(request, "core/person_detail.html", ctx, status=400)


@login_required
@require_GET
def person_detail(request, pk: int):
    """One person, in the fields this user may read. Every view is an audit event.

    Partners see the service fields and the shared risk assessment only; police (and probation
    for its own supervisees) also see the intelligence: timeline, designations, affiliations,
    conflicts.
    """
    person = permissions.get_person_for_user(request.user, pk)
    ctx = _person_context(request, person)
    intelligence = ctx["intelligence"]
    audit_view(request, obj=person, intelligence=intelligence)
    return render_page(request, "core/person_detail.html", ctx)


@login_required
@require_GET
def retention_preview(request):
    """The dry run for the police lead: who the next nightly run purges, what it lets lapse."""
    permissions.require_capability(request.user, "retention.view")
    people = paginate(request, retention.people_due_for_purge(), per_page=50)
    lapsing = paginate(
        request,
        retention.designations_due_to_lapse().select_related("person").order_by("review_due", "id"),
        per_page=50,
        param="lapsing",
    )
    audit_view(request, object_type="core.retentionrun", people=[p.pk for p in people.object_list])
    return render_page(
        request,
        "core/retention.html",
        {
            "cutoff": retention.retention_cutoff(),
            "people": people,
            "lapsing": lapsing,
            "groups_due": retention.groups_due_for_archive().count(),
            "conflicts_due": retention.conflicts_due_for_archive().count(),
        },
    )


@login_required
@require_GET
def oversight(request):
    """The auditor's reports: aggregates only (designations by group, past due, purges,
    requests, shares and exports, suggestions offered vs decided); ``?format=csv`` exports them."""
    permissions.require_capability(request.user, "audit.view")
    tables = oversight_report(suppress_all=permissions.small_counts_suppressed_for(request.user))
    if request.GET.get("format") == "csv":
        audit_record(
            actor=request.user,
            action=Action.EXPORT,
            object_type="core.oversight",
            request=request,
        )
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="oversight.csv"'
        writer = csv.writer(response)
        for table in tables:
            writer.writerow([neutralise_cell(table.title)])
            writer.writerow([neutralise_cell(c) for c in table.header])
            for row in table.rows:
                writer.writerow([neutralise_cell(c) for c in row])
            writer.writerow([])
        return response
    audit_view(request, object_type="core.oversight")
    return render_page(request, "core/oversight.html", {"tables": tables})
