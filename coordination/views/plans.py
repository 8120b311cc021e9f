"""What a coordination meeting records; each answers with its section's fragment.

Interventions, plan notes, long-term plans, partnership-health items, and a share withdrawn.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from ceasefire.core import permissions
from ceasefire.core import services as core_services
from ceasefire.core.concurrency import ConcurrentEditError
from ceasefire.core.forms import apply_service_errors
from ceasefire.core.htmx import refusal_text

from .. import forms, selectors, services
from .meetings import back_to_meeting, meeting_for, meeting_page


@login_required
@require_POST
def plan_intervention_add(request, pk: int, person_pk: int):
    meeting = meeting_for(request, pk, write=True)
    person = permissions.get_person_for_user(request.user, person_pk)
    form = forms.InterventionForm(request.POST)
    if form.is_valid():
        try:
            services.plan_intervention_add(
                meeting=meeting, person=person, user=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if not request.htmx:
                return back_to_meeting(
                    request, meeting, f"Intervention planned for {person}.", f"plan-{person.pk}"
                )
            return meeting_page(request, meeting, "plans", open_person=person.pk)
    return meeting_page(
        request,
        meeting,
        "plans",
        status=200 if request.htmx else 400,
        intervention_errors={person.pk: form},
        plans_error=" ".join(form.non_field_errors()),
        open_person=person.pk,
    )


@login_required
@require_POST
def person_plan_save(request, pk: int, person_pk: int):
    meeting = meeting_for(request, pk, write=True)
    person = permissions.get_person_for_user(request.user, person_pk)
    form = forms.PersonPlanForm(request.POST)
    error = "Plan notes are too long." if not form.is_valid() else None
    if error is None:
        try:
            services.person_plan_save(
                meeting=meeting, person=person, user=request.user, notes=form.cleaned_data["notes"]
            )
        except ValidationError as exc:
            error = refusal_text(exc)
    if not request.htmx:
        if error:
            messages.error(request, error)
            return redirect(reverse("coordination:meeting-detail", args=[meeting.pk]) + "#plans")
        return back_to_meeting(request, meeting, f"Plan for {person} saved.", f"plan-{person.pk}")
    return meeting_page(request, meeting, "plans", plans_error=error or "", open_person=person.pk)


@login_required
@require_POST
def long_term_plan_save(request, pk: int, person_pk: int):
    meeting = meeting_for(request, pk, write=True)
    person = permissions.get_person_for_user(request.user, person_pk)
    form = forms.LongTermPlanForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.long_term_plan_save(
                person=person,
                user=request.user,
                plan=form.cleaned_data["plan"],
                expected_version=form.cleaned_data["version"],
            )
        except (ValidationError, ConcurrentEditError) as exc:
            error = refusal_text(exc)
    else:
        error = "Write the long-term plan."
    if not request.htmx:
        if error:
            messages.error(request, error)
            return redirect(reverse("coordination:meeting-detail", args=[meeting.pk]) + "#chronic")
        return back_to_meeting(request, meeting, f"Long-term plan for {person} saved.", "chronic")
    return meeting_page(
        request, meeting, "chronic", chronic_error={person.pk: error} if error else {}
    )


@login_required
@require_POST
def health_item_add(request, pk: int):
    meeting = meeting_for(request, pk, write=True)
    form = forms.HealthItemForm(request.POST)
    if form.is_valid():
        try:
            services.health_item_create(meeting=meeting, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if not request.htmx:
                return back_to_meeting(request, meeting, "Partnership-health item added.", "health")
            return meeting_page(request, meeting, "health")
    return meeting_page(
        request, meeting, "health", status=200 if request.htmx else 400, health_form=form
    )


@login_required
@require_POST
def health_item_update(request, pk: int, item_pk: int):
    meeting = meeting_for(request, pk, write=True)
    item = selectors.health_items_on_agenda(meeting).filter(pk=item_pk).first()
    if item is None:
        raise Http404("No such item on this agenda.")
    form = forms.HealthItemUpdateForm(request.POST)
    error = None
    if form.is_valid():
        try:
            services.health_item_update(
                item=item,
                meeting=meeting,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                status=form.cleaned_data["status"],
                notes=form.cleaned_data["notes"],
            )
        except (ValidationError, ConcurrentEditError) as exc:
            error = refusal_text(exc)
    else:
        error = "Choose a valid status."
    if not request.htmx:
        if error:
            messages.error(request, error)
            return redirect(reverse("coordination:meeting-detail", args=[meeting.pk]) + "#health")
        return back_to_meeting(request, meeting, "Partnership-health item saved.", "health")
    return meeting_page(request, meeting, "health", health_error={item.pk: error} if error else {})


@login_required
@require_POST
def share_withdraw(request, pk: int, share_pk: int):
    """Police facilitators take a person off the partnership's list: access ends at once."""
    meeting = meeting_for(request, pk)
    share = permissions.get_share_for_user(request.user, share_pk)
    form = forms.ShareWithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the person is no longer shared.")
        return redirect(reverse("coordination:meeting-detail", args=[meeting.pk]) + "#risk-picture")
    try:
        core_services.share_withdraw(
            share=share, user=request.user, reason=form.cleaned_data["reason"]
        )
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, f"{share.person} is no longer shared with the partnership.")
    return redirect(reverse("coordination:meeting-detail", args=[meeting.pk]) + "#risk-picture")
