"""The shooting log: the incident list, an incident and the people involved, the CSV import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ceasefire.core import permissions
from ceasefire.core.audit import audit_view
from ceasefire.core.concurrency import ConcurrentEditError
from ceasefire.core.forms import apply_service_errors
from ceasefire.core.htmx import refusal_text, render_page
from ceasefire.core.models import Incident, Involvement
from ceasefire.core.pagination import paginate

from .. import forms, selectors, services
from ..filters import IncidentFilter
from ..imports import OPTIONAL, REQUIRED
from ..models import ImportJob, ReviewIncident


@login_required
@require_GET
def incident_list(request):
    user = request.user
    permissions.require_capability(user, "incidents.view")
    incidents = selectors.incidents_annotated(permissions.incidents_visible_to(user))
    filterset = IncidentFilter(request.GET or None, queryset=incidents)
    page = paginate(
        request,
        filterset.qs if filterset.is_bound and filterset.is_valid() else incidents,
        indexed=True,
    )
    ctx = {"filter": filterset, "page": page, "can_edit": permissions.can_edit_incident(user)}
    return render_page(request, "reviews/incident_list.html", ctx, partial="results")


def _incident_ctx(
    request, incident: Incident, form=None, involvement_form=None, *, focus_people=False
) -> dict:
    user = request.user
    can_edit = permissions.can_edit_incident(user, incident)
    show_narrative = permissions.can_view_narrative(user)
    incident = selectors.incident_detail(permissions.incidents_visible_to(user), incident.pk)
    if form is None and can_edit:
        form = forms.IncidentForm(
            incident=incident,
            show_narrative=show_narrative,
            initial=forms.IncidentForm.initial_for(incident),
        )
    involvements = list(incident.involvements.all())
    return {
        "incident": incident,
        "form": form,
        # the keyboard flow: logged → add people → next person, the cursor always where it goes
        "involvement_form": involvement_form
        or forms.InvolvementForm(focus=focus_people or bool(request.GET.get("new"))),
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
            detail = reverse("reviews:incident-detail", args=[incident.pk])
            return redirect(f"{detail}?new=1")  # no #fragment: it would cancel the autofocus
    status = 400 if request.method == "POST" else 200
    return render_page(request, "reviews/incident_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def incident_detail(request, pk: int):
    """The incident page: facts (facilitators edit them), then the people involved, added inline."""
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
    audit_view(request, obj=incident, people=people)
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
        _incident_ctx(request, incident, involvement_form=form, focus_people=form is None),
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
            services.involvement_identify(
                involvement=involvement, user=user, person=person, new_person=form.cleaned_data
            )
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
        audit_view(
            request, object_type="core.person", search=query[:100], people=[p.pk for p in people]
        )
    ctx = {"people": people, "q": query, "field": request.GET.get("field", "person_pick")}
    return render_page(request, "reviews/person_search.html", ctx, partial="results")


@login_required
@require_http_methods(["GET", "POST"])
def incident_import(request):
    """GET: the upload form and the recent imports. POST: store the file, queue its job and go
    to the job's page, which shows its progress and then its result."""
    user = request.user
    permissions.require_capability(user, "incidents.import")
    form = forms.ImportForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if request.method == "POST" and form.is_valid():
        try:
            job = services.import_job_create(
                user=user,
                file=form.cleaned_data["file"],
                dry_run=form.cleaned_data["dry_run"],
                kind=form.cleaned_data["kind"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("reviews:import-job", pk=job.pk)
    ctx: dict = {
        "form": form,
        "required": REQUIRED,
        "optional": OPTIONAL,
        "jobs": ImportJob.objects.select_related("created_by")[:10],
    }
    status = 400 if request.method == "POST" else 200
    return render_page(request, "reviews/incident_import.html", ctx, status=status)


@login_required
@require_GET
def import_job(request, pk: int):
    """An import's progress (the page polls its fragment while it runs), then its result."""
    permissions.require_capability(request.user, "incidents.import")
    job = get_object_or_404(ImportJob.objects.select_related("created_by"), pk=pk)
    return render_page(request, "reviews/import_job.html", {"job": job}, partial="progress")
