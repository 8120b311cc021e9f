"""Closed-loop referrals: the organisation a follow-up is given to accepts or declines it; the
meeting that made it reassigns a declined one. Both answer the follow-up page (htmx: its
fragment) and write through the core services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from ceasefire.core import permissions
from ceasefire.core import services as core_services
from ceasefire.core.concurrency import ConcurrentEditError
from ceasefire.core.forms import apply_service_errors

from .. import forms
from .followups import _followup_for, _followup_page


@login_required
@require_POST
def followup_answer(request, pk: int):
    """Accept the follow-up, or decline it with a reason."""
    task = _followup_for(request, pk)
    if not permissions.can_answer_referral(request.user, task):
        raise PermissionDenied
    form = forms.ReferralAnswerForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            task = core_services.task_referral_answer(
                task=task,
                user=request.user,
                expected_version=data["version"],
                accept=data["decision"] == "accept",
                reason=data["reason"],
            )
        except (ValidationError, ConcurrentEditError) as exc:
            apply_service_errors(form, exc)
        else:
            done = (
                "Accepted."
                if data["decision"] == "accept"
                else "Declined; the meeting will see why."
            )
            return _answered(request, task, done)
    task.refresh_from_db()
    return _followup_page(request, task, status=200 if request.htmx else 400, answer_form=form)


@login_required
@require_POST
def followup_reassign(request, pk: int):
    """Give the follow-up to another organisation (the facilitator, once it was declined)."""
    task = _followup_for(request, pk)
    if not permissions.can_reassign_task(request.user, task):
        raise PermissionDenied
    form = forms.ReassignForm(request.POST)
    if form.is_valid():
        try:
            task = core_services.task_reassign(
                task=task,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                organisation=form.cleaned_data["organisation"],
            )
        except (ValidationError, ConcurrentEditError) as exc:
            apply_service_errors(form, exc)
        else:
            return _answered(request, task, f"Given to {task.assigned_organisation}.")
    task.refresh_from_db()
    return _followup_page(request, task, status=200 if request.htmx else 400, reassign_form=form)


def _answered(request, task, message: str):
    if request.htmx:
        return _followup_page(request, task, saved=True)
    messages.success(request, message)
    return redirect("coordination:followup-detail", pk=task.pk)
