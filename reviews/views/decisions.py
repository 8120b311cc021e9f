"""What the review's sections decide; each answers with its section's fragment.

Deliverables' status, people at imminent risk, designations, follow-up choices, new deliverables.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_POST

from ceasefire.core import permissions
from ceasefire.core import services as core_services
from ceasefire.core.concurrency import ConcurrentEditError
from ceasefire.core.forms import apply_service_errors
from ceasefire.core.htmx import form_errors_text, refusal_text, render_page
from ceasefire.core.models import Incident, RiskDesignation, Task

from .. import forms, selectors, services
from ..models import FollowUpChoice
from .review import review_context, section_response, task_subjects


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
    return section_response(request, review, "deliverables", error=error)


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
        return section_response(request, review, "shootings", error=error)
    ctx = review_context(request, review, shootings_error=error)
    entry_pk = request.POST.get("entry", "")
    entry = next((e for e in ctx["entries"] if str(e.pk) == entry_pk), None)
    if entry is None:
        return section_response(request, review, "shootings", error=error)
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
            return section_response(request, review, "risk")
    return section_response(
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
    return section_response(request, review, "risk", error=error)


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
            return section_response(request, review, "risk")
    return section_response(
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
    return section_response(request, review, "risk")


@login_required
@require_POST
def review_task_create(request, pk: int):
    user = request.user
    review = permissions.get_review_for_user(user, pk, write=True)
    agenda = selectors.review_agenda(review, tasks=Task.objects.none())
    subjects = task_subjects(user)
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
            return section_response(request, review, "response")
    return section_response(
        request,
        review,
        "response",
        error=form_errors_text(form),
        task_form=form,
    )
