"""HTML views of the shooting log and the weekly shooting review. Thin: parse, call, render.

One URL serves the page and its fragment (template partials when ``request.htmx``).
Access is decided by ``ceasefire.core.permissions``; writes go through ``services``.
"""

from __future__ import annotations

import contextlib
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ceasefire.core import permissions
from ceasefire.core import services as core_services
from ceasefire.core.audit import Action, audit_record
from ceasefire.core.concurrency import ConcurrentEditError
from ceasefire.core.forms import apply_service_errors
from ceasefire.core.htmx import form_errors_text, refusal_text, render_page
from ceasefire.core.models import (
    Incident,
    Involvement,
    Meeting,
    RiskDesignation,
    Task,
)
from ceasefire.core.pagination import paginate

from . import forms, selectors, services
from .filters import IncidentFilter
from .imports import OPTIONAL, REQUIRED
from .models import FollowUpChoice, ReviewIncident, ReviewSummary

# --- Landing ------------------------------------------------------------------------------


@login_required
@require_GET
def index(request):
    user = request.user
    permissions.require_capability(user, "shooting_reviews.view")
    reviews = selectors.reviews_list(
        permissions.meetings_visible_to(user, Meeting.Kind.SHOOTING_REVIEW)
    )
    start = selectors.since_last_review(
        permissions.meetings_visible_to(user, Meeting.Kind.SHOOTING_REVIEW)
    )
    ctx = {
        "reviews": paginate(request, reviews, per_page=20),
        "can_edit": permissions.has_capability(user, "shooting_reviews.edit"),
        "can_import": permissions.has_capability(user, "incidents.import"),
        "since_last": selectors.incidents_annotated(
            permissions.incidents_visible_to(user).in_window(start, timezone.now())
        )[:20],
        "window_start": start,
    }
    return render_page(request, "reviews/index.html", ctx, partial="reviews")


# --- Shooting log -------------------------------------------------------------------------------


@login_required
@require_GET
def incident_list(request):
    user = request.user
    permissions.require_capability(user, "incidents.view")
    incidents = selectors.incidents_annotated(permissions.incidents_visible_to(user))
    filterset = IncidentFilter(request.GET or None, queryset=incidents)
    page = paginate(
        request, filterset.qs if filterset.is_bound and filterset.is_valid() else incidents
    )
    ctx = {"filter": filterset, "page": page, "can_edit": permissions.can_edit_incident(user)}
    return render_page(request, "reviews/incident_list.html", ctx, partial="results")


def _incident_ctx(request, incident: Incident, form=None, involvement_form=None) -> dict:
    user = request.user
    can_edit = permissions.can_edit_incident(user, incident)
    show_narrative = permissions.can_view_narrative(user)
    incident = selectors.incident_detail(permissions.incidents_visible_to(user), incident.pk)
    if form is None and can_edit:
        form = forms.IncidentForm(
            incident=incident,
            show_narrative=show_narrative,
            initial={
                **{
                    f: getattr(incident, f)
                    for f in (
                        "case_number",
                        "address",
                        "area",
                        "beat",
                        "weapon",
                        "circumstance",
                        "group_involved",
                        "conflict",
                        "counting_status",
                        "counting_reason",
                    )
                },
                "occurred_at": timezone.localtime(incident.occurred_at),
                "groups": [g.pk for g in incident.groups.all()],
                "related_case_numbers": ", ".join(
                    i.case_number for i in incident.related_incidents.all()
                ),
                "narrative": incident.narrative,
                "version": incident.version,
            },
        )
    involvements = list(incident.involvements.all())
    return {
        "incident": incident,
        "form": form,
        "involvement_form": involvement_form or forms.InvolvementForm(),
        "victims": [i for i in involvements if i.role == Involvement.Role.VICTIM],
        "others": [i for i in involvements if i.role != Involvement.Role.VICTIM],
        "can_edit": can_edit,
        "show_narrative": show_narrative,
        "reviews": ReviewIncident.objects.filter(incident=incident).select_related("meeting"),
    }


@login_required
@require_http_methods(["GET", "POST"])
def incident_create(request):
    user = request.user
    permissions.require_capability(user, "incidents.edit")
    form = forms.IncidentCreateForm(
        request.POST if request.method == "POST" else None,
        show_narrative=permissions.can_view_narrative(user),
    )
    if request.method == "POST" and form.is_valid():
        try:
            incident = services.incident_create(
                user=user,
                facts=form.facts(),
                groups=list(form.cleaned_data["groups"]),
                related=form.cleaned_data["related_case_numbers"],
                fatal_victims=form.cleaned_data["fatal_victims"],
                nonfatal_victims=form.cleaned_data["nonfatal_victims"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"Incident {incident} logged. Now add the people involved.")
            return redirect(reverse("reviews:incident-detail", args=[incident.pk]) + "#people")
    status = 400 if request.method == "POST" else 200
    return render_page(request, "reviews/incident_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def incident_detail(request, pk: int):
    """The incident page: facts (editable by facilitators), then the people involved, added inline."""
    user = request.user
    incident = permissions.get_incident_for_user(user, pk, write=request.method == "POST")
    form = None
    status = 200
    if request.method == "POST":
        form = forms.IncidentForm(
            request.POST, incident=incident, show_narrative=permissions.can_view_narrative(user)
        )
        if form.is_valid():
            try:
                services.incident_update(
                    incident=incident,
                    user=user,
                    expected_version=form.cleaned_data["version"] or 0,
                    facts=form.facts(),
                    groups=list(form.cleaned_data["groups"]),
                    related=form.cleaned_data["related_case_numbers"],
                )
            except (ValidationError, ConcurrentEditError) as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, f"Incident {incident} saved.")
                return redirect("reviews:incident-detail", pk=incident.pk)
        status = 400
    ctx = _incident_ctx(request, incident, form=form)
    people = [i.person_id for i in ctx["victims"] + ctx["others"] if i.person_id]
    audit_record(
        actor=user, action=Action.VIEW, obj=incident, request=request, detail={"people": people}
    )
    return render_page(request, "reviews/incident_detail.html", ctx, status=status)


@login_required
@require_POST
def involvement_add(request, pk: int):
    user = request.user
    incident = permissions.get_incident_for_user(user, pk, write=True)
    permissions.require_capability(user, "people.edit")
    form = forms.InvolvementForm(request.POST)
    status = 400
    if form.is_valid():
        try:
            services.involvement_add(
                incident=incident,
                user=user,
                role=form.cleaned_data["role"],
                injury=form.cleaned_data.get("injury") or "",
                person=form.cleaned_data.get("person"),
                new_person=form.new_person(),
                notes=form.cleaned_data.get("notes") or "",
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if not request.htmx:
                messages.success(request, "Added.")
                return redirect(reverse("reviews:incident-detail", args=[pk]) + "#people")
            form = None
            status = 200
    return render_page(
        request,
        "reviews/incident_detail.html",
        _incident_ctx(request, incident, involvement_form=form),
        partial="people",
        status=200 if request.htmx else status,
    )


@login_required
@require_POST
def involvement_remove(request, pk: int, involvement_pk: int):
    user = request.user
    incident = permissions.get_incident_for_user(user, pk, write=True)
    involvement = get_object_or_404(Involvement, pk=involvement_pk, incident=incident)
    services.involvement_remove(involvement=involvement, user=user)
    if not request.htmx:
        messages.success(request, "Removed.")
        return redirect(reverse("reviews:incident-detail", args=[pk]) + "#people")
    return render_page(
        request, "reviews/incident_detail.html", _incident_ctx(request, incident), partial="people"
    )


@login_required
@require_POST
def involvement_identify(request, pk: int, involvement_pk: int):
    user = request.user
    incident = permissions.get_incident_for_user(user, pk, write=True)
    permissions.require_capability(user, "people.edit")
    involvement = get_object_or_404(
        Involvement, pk=involvement_pk, incident=incident, person__isnull=True
    )
    form = forms.IdentifyForm(request.POST)
    error = None
    if form.is_valid():
        try:
            person = form.cleaned_data.get("person")
            if person is None and request.POST.get("person_pick", "").isdigit():
                person = (
                    permissions.people_visible_to(user)
                    .filter(pk=request.POST["person_pick"])
                    .first()
                )
            if person is None:
                if not (form.cleaned_data["first_name"] and form.cleaned_data["last_name"]):
                    raise ValidationError(
                        "Pick a person from the search or type a first and last name."
                    )
                person = services.person_create(
                    user=user,
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    date_of_birth=form.cleaned_data.get("date_of_birth"),
                )
            services.involvement_identify(involvement=involvement, user=user, person=person)
        except ValidationError as exc:
            error = refusal_text(exc)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(reverse("reviews:incident-detail", args=[pk]) + "#people")
    ctx = _incident_ctx(request, incident)
    ctx["identify_error"] = error
    return render_page(request, "reviews/incident_detail.html", ctx, partial="people")


@login_required
@require_GET
def person_search(request):
    """The search half of the search-or-create field (a fragment; a page without JavaScript)."""
    user = request.user
    if not permissions.can_search_people(user):
        raise PermissionDenied
    query = request.GET.get("q", "")
    people = selectors.people_matching(query)
    if people:
        audit_record(
            actor=user,
            action=Action.VIEW,
            object_type="core.person",
            request=request,
            detail={"search": query[:100], "people": [p.pk for p in people]},
        )
    ctx = {"people": people, "q": query, "field": request.GET.get("field", "person_pick")}
    return render_page(request, "reviews/person_search.html", ctx, partial="results")


@login_required
@require_http_methods(["GET", "POST"])
def incident_import(request):
    user = request.user
    permissions.require_capability(user, "incidents.import")
    form = forms.ImportForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    ctx: dict = {"form": form, "required": REQUIRED, "optional": OPTIONAL}
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                ctx["report"] = services.incidents_import(
                    text=form.cleaned_data["file"], user=user, dry_run=form.cleaned_data["dry_run"]
                )
                status = 200
            except services.ImportRefused as exc:
                ctx["row_errors"] = exc.row_errors
    return render_page(request, "reviews/incident_import.html", ctx, status=status)


# --- Groups and conflicts (police) ------------------------------------------------------------------


@login_required
@require_GET
def group_list(request):
    permissions.require_capability(request.user, "groups.view")
    groups = (
        permissions.groups_visible_to(request.user)
        .annotate(
            member_count=Count("affiliations", filter=Q(affiliations__active=True), distinct=True),
            incident_count=Count("incidents", distinct=True),
        )
        .order_by("name")
    )
    conflicts = (
        permissions.conflicts_visible_to(request.user)
        .select_related("group_a", "group_b")
        .annotate(incident_count=Count("incidents"))
    )
    ctx = {
        "groups": paginate(request, groups),
        "conflicts": conflicts.order_by("status", "group_a__name")[:100],
    }
    return render_page(request, "reviews/group_list.html", ctx)


@login_required
@require_GET
def group_detail(request, pk: int):
    user = request.user
    group = permissions.get_group_for_user(user, pk)
    ctx = {"group": group, **selectors.group_detail(group)}
    audit_record(
        actor=user,
        action=Action.VIEW,
        obj=group,
        request=request,
        detail={"people": [a.person_id for a in ctx["members"]]},
    )
    return render_page(request, "reviews/group_detail.html", ctx)


@login_required
@require_GET
def conflict_detail(request, pk: int):
    user = request.user
    conflict = permissions.get_conflict_for_user(user, pk)
    ctx = {"conflict": conflict, **selectors.conflict_detail(conflict)}
    audit_record(actor=user, action=Action.VIEW, obj=conflict, request=request)
    return render_page(request, "reviews/conflict_detail.html", ctx)


# --- The weekly shooting review -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def review_create(request):
    user = request.user
    permissions.require_capability(user, "shooting_reviews.edit")
    day = timezone.localdate()
    if request.GET.get("date"):
        with contextlib.suppress(ValidationError):
            day = forms.ReviewCreateForm().fields["date"].clean(request.GET["date"])
    start, end = selectors.review_window_proposed(day)
    form = forms.ReviewCreateForm(
        request.POST if request.method == "POST" else None,
        initial={"date": day, "window_start": start, "window_end": end},
    )
    if request.method == "POST" and form.is_valid():
        try:
            review = services.review_create(
                user=user,
                date=form.cleaned_data["date"],
                window_start=form.cleaned_data["window_start"],
                window_end=form.cleaned_data["window_end"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("reviews:review-detail", pk=review.pk)
    return render_page(
        request, "reviews/review_form.html", {"form": form}, status=400 if form.is_bound else 200
    )


def _task_subjects(user) -> dict:
    """The groups and conflicts a review's answers and new deliverables may name."""
    return {
        "all_groups": list(permissions.agenda_groups_visible_to(user)),
        "all_conflicts": list(
            permissions.conflicts_visible_to(user).select_related("group_a", "group_b")
        ),
    }


def _review_ctx(request, review: Meeting, **extra) -> dict:
    user = request.user
    agenda = selectors.review_agenda(review, tasks=permissions.tasks_visible_to(user))
    can_edit = permissions.can_edit_meeting(user, review)
    ctx = {
        "review": review,
        "can_edit": can_edit,
        "can_change_tasks": can_edit,
        **agenda,
        "statuses": Task.Status.choices,
        "retaliation_choices": ReviewIncident.Retaliation.choices,
        "circumstance_choices": Incident.Circumstance.choices,
        "group_involved_choices": Incident.GroupInvolved.choices,
        **_task_subjects(user),
        "today": timezone.localdate(),
        "decision_choices": [("confirmed", "Confirm"), ("dismissed", "Dismiss")],
    }
    if can_edit:
        ctx.setdefault("designate_form", forms.DesignateForm(candidates=agenda["candidates"]))
        ctx.setdefault("followup_form", forms.FollowUpForm(candidates=agenda["candidates"]))
        ctx.setdefault(
            "task_form",
            forms.ReviewTaskForm(
                candidates=agenda["candidates"],
                groups=ctx["all_groups"],
                conflicts=ctx["all_conflicts"],
                initial={"due_date": review.date + dt.timedelta(days=7)},
            ),
        )
    ctx.update(extra)
    return ctx


REVIEW_SECTIONS = {"section-deliverables", "section-shootings", "section-risk", "section-response"}


@login_required
@require_GET
def review_detail(request, pk: int):
    user = request.user
    review = permissions.get_review_for_user(user, pk)
    ctx = _review_ctx(request, review)
    audit_record(
        actor=user,
        action=Action.VIEW,
        obj=review,
        request=request,
        detail={"people": selectors.review_people_ids(ctx)},
    )
    template = (
        "reviews/review_minutes.html"
        if review.is_closed or request.GET.get("print")
        else "reviews/review_detail.html"
    )
    section = request.GET.get("section")
    partial = (
        section
        if request.htmx and template.endswith("detail.html") and section in REVIEW_SECTIONS
        else None
    )
    return render_page(request, template, ctx, partial=partial)


@login_required
@require_GET
def review_minutes(request, pk: int):
    user = request.user
    review = permissions.get_review_for_user(user, pk)
    ctx = _review_ctx(request, review, print_view=True)
    audit_record(
        actor=user,
        action=Action.VIEW,
        obj=review,
        request=request,
        detail={"minutes": True, "people": selectors.review_people_ids(ctx)},
    )
    return render_page(request, "reviews/review_minutes.html", ctx)


def _section_response(
    request, review: Meeting, section: str, *, error: str | None = None, **forms_ctx
) -> HttpResponse:
    """After a structural change: the section fragment (htmx) or back to the page (plain post)."""
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(reverse("reviews:review-detail", args=[review.pk]) + f"#s-{section}")
    review.refresh_from_db()
    ctx = _review_ctx(request, review, **forms_ctx)
    ctx[f"{section}_error"] = error
    return render_page(request, "reviews/review_detail.html", ctx, partial=f"section-{section}")


@login_required
@require_POST
def review_answer(request, pk: int, target: str, obj_pk: int, name: str):
    """Save one answer of the live review (per-field save; see services.review_answer_save)."""
    user = request.user
    review = permissions.get_review_for_user(user, pk, write=True)
    if target not in services.ANSWER_FIELDS or name not in services.ANSWER_FIELDS[target][1]:
        return HttpResponse("Unknown question.", status=404)
    model = services.ANSWER_FIELDS[target][0]
    if target == "incident":
        obj = get_object_or_404(Incident, pk=obj_pk, review_entries__meeting=review)
        permissions.get_incident_for_user(user, obj.pk, write=True)
    elif target == "entry":
        obj = get_object_or_404(ReviewIncident, pk=obj_pk, meeting=review)
    else:
        obj = get_object_or_404(ReviewSummary, pk=obj_pk, meeting=review)
    value = request.POST.getlist("value") if name == "groups" else request.POST.get("value", "")
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = -1
    ctx = {"review": review, "target": target, "name": name}
    try:
        saved = services.review_answer_save(
            review=review,
            user=user,
            obj=obj,
            name=name,
            value=value,
            was=request.POST.get("was", ""),
            expected_version=version,
        )
        ctx.update(obj=saved, was=services.answer_repr(saved, name), saved_at=timezone.localtime())
    except ValidationError as exc:
        ctx.update(
            obj=model.objects.get(pk=obj.pk),
            error=refusal_text(exc),
            was=request.POST.get("was", ""),
        )
    except ConcurrentEditError as exc:
        ctx.update(obj=model.objects.get(pk=obj.pk), error=exc.message, stale=True)
        ctx["was"] = request.POST.get("was", "")
    if not request.htmx:
        if ctx.get("error"):
            messages.error(request, ctx["error"])
        return redirect(reverse("reviews:review-detail", args=[review.pk]))
    if target == "incident" and name in ("conflict", "groups") and not ctx.get("error"):
        # the linked conflict and groups change who may be at risk: refresh that shooting's suggestions
        agenda = _review_ctx(request, review)
        entry = next((e for e in agenda["entries"] if e.incident_id == obj.pk), None)
        ctx.update({k: agenda[k] for k in ("can_edit", "decision_choices")}, entry=entry)
    return render_page(request, "reviews/partials/answer_status.html", ctx)


@login_required
@require_POST
def review_refresh(request, pk: int):
    user = request.user
    review = permissions.get_review_for_user(user, pk, write=True)
    added = services.review_refresh(review=review, user=user)
    messages.success(
        request,
        f"{added} shooting(s) added to the agenda." if added else "No new shootings in the window.",
    )
    return redirect(reverse("reviews:review-detail", args=[review.pk]) + "#s-shootings")


@login_required
@require_POST
def review_task_status(request, pk: int, task_pk: int):
    user = request.user
    review = permissions.get_review_for_user(user, pk, write=True)
    task = permissions.get_task_for_user(user, task_pk, write=True)
    form = forms.TaskStatusForm(request.POST)
    error = None
    if form.is_valid():
        try:
            core_services.task_update(
                task=task,
                user=user,
                expected_version=form.cleaned_data["version"],
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except (ValidationError, ConcurrentEditError) as exc:
            error = refusal_text(exc)
    else:
        error = "Choose a status."
    return _section_response(request, review, "deliverables", error=error)


@login_required
@require_POST
def review_risk_decide(request, pk: int):
    user = request.user
    review = permissions.get_review_for_user(user, pk, write=True)
    permissions.require_capability(user, "designations.edit")
    form = forms.RiskDecisionForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.risk_decide(
                review=review,
                user=user,
                incident=form.cleaned_data["incident"],
                person=form.cleaned_data["person"],
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            error = refusal_text(exc)
    else:
        error = (
            "Pick the person from the search results first."
            if "person" in form.errors
            else "That suggestion is no longer valid — reload."
        )
    if not request.htmx:
        return _section_response(request, review, "shootings", error=error)
    ctx = _review_ctx(request, review, shootings_error=error)
    entry_pk = request.POST.get("entry", "")
    entry = next((e for e in ctx["entries"] if str(e.pk) == entry_pk), None)
    if entry is None:
        return _section_response(request, review, "shootings", error=error)
    ctx.update(entry=entry, error_entry=entry.pk)
    return render_page(request, "reviews/partials/risk_decided.html", ctx)


@login_required
@require_POST
def review_designate(request, pk: int):
    user = request.user
    review = permissions.get_review_for_user(user, pk, write=True)
    permissions.require_capability(user, "designations.edit")
    candidates = selectors.review_agenda(review, tasks=Task.objects.none())["candidates"]
    form = forms.DesignateForm(request.POST, candidates=candidates)
    if form.is_valid():
        try:
            incidents = list(
                Incident.objects.filter(
                    review_entries__meeting=review, involvements__person=form.cleaned_data["person"]
                ).distinct()
            )
            services.review_designate(
                review=review,
                user=user,
                person=form.cleaned_data["person"],
                level=form.cleaned_data["level"],
                basis=form.cleaned_data["basis"],
                incidents=incidents,
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return _section_response(request, review, "risk")
    return _section_response(
        request,
        review,
        "risk",
        error=form_errors_text(form),
        designate_form=form,
    )


@login_required
@require_POST
def review_designation_action(request, pk: int, designation_pk: int, action: str):
    user = request.user
    review = permissions.get_review_for_user(user, pk, write=True)
    permissions.require_capability(user, "designations.edit")
    if action not in ("renew", "lapse"):
        raise Http404("Unknown action.")
    designation = get_object_or_404(
        RiskDesignation.objects.select_related("person"), pk=designation_pk
    )
    form = forms.BasisForm(request.POST)
    error = None
    if not form.is_valid():
        error = "Give the basis for this decision."
    else:
        try:
            if action == "renew":
                services.review_designation_renew(
                    review=review,
                    user=user,
                    designation=designation,
                    basis=form.cleaned_data["basis"],
                )
            else:
                services.review_designation_lapse(
                    review=review,
                    user=user,
                    designation=designation,
                    basis=form.cleaned_data["basis"],
                )
        except ValidationError as exc:
            error = refusal_text(exc)
    return _section_response(request, review, "risk", error=error)


@login_required
@require_POST
def review_followup(request, pk: int):
    user = request.user
    review = permissions.get_review_for_user(user, pk, write=True)
    permissions.require_capability(user, "shares.edit")
    candidates = selectors.review_agenda(review, tasks=Task.objects.none())["candidates"]
    form = forms.FollowUpForm(request.POST, candidates=candidates)
    if form.is_valid():
        try:
            services.review_followup_choose(
                review=review,
                user=user,
                person=form.cleaned_data["person"],
                risk_assessment=form.cleaned_data["risk_assessment"],
                interventions=form.cleaned_data["interventions"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return _section_response(request, review, "risk")
    return _section_response(
        request,
        review,
        "risk",
        error=form_errors_text(form),
        followup_form=form,
    )


@login_required
@require_POST
def review_followup_remove(request, pk: int, choice_pk: int):
    user = request.user
    review = permissions.get_review_for_user(user, pk, write=True)
    permissions.require_capability(user, "shares.edit")
    choice = get_object_or_404(FollowUpChoice, pk=choice_pk, meeting=review)
    services.review_followup_remove(review=review, user=user, choice=choice)
    return _section_response(request, review, "risk")


@login_required
@require_POST
def review_task_create(request, pk: int):
    user = request.user
    review = permissions.get_review_for_user(user, pk, write=True)
    agenda = selectors.review_agenda(review, tasks=Task.objects.none())
    subjects = _task_subjects(user)
    form = forms.ReviewTaskForm(
        request.POST,
        candidates=agenda["candidates"],
        groups=subjects["all_groups"],
        conflicts=subjects["all_conflicts"],
    )
    if form.is_valid():
        try:
            services.review_task_create(
                review=review,
                user=user,
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
                assigned_organisation=form.cleaned_data["assigned_organisation"],
                due_date=form.cleaned_data["due_date"],
                **form.subject_kwargs(),
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return _section_response(request, review, "response")
    return _section_response(
        request,
        review,
        "response",
        error=form_errors_text(form),
        task_form=form,
    )


@login_required
@require_POST
def review_close(request, pk: int):
    user = request.user
    review = permissions.get_review_for_user(user, pk, write=True)
    form = forms.CloseForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Reload the review before closing it.")
        services.review_close(
            review=review, user=user, expected_version=form.cleaned_data["version"]
        )
    except (ValidationError, ConcurrentEditError) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(
            request,
            "Review closed. The minutes are frozen; the chosen people are shared with coordination.",
        )
    response = redirect("reviews:review-detail", pk=review.pk)
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("reviews:review-detail", args=[review.pk])
    return response
