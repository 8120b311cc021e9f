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

    def answer(task, data):
        accepted = data["decision"] == "accept"
        task = core_services.task_referral_answer(
            task=task,
            user=request.user,
            expected_version=data["version"],
            accept=accepted,
            reason=data["reason"],
        )
        return task, "Accepted." if accepted else "Declined; the meeting will see why."

    return _act(
        request,
        pk,
        permissions.can_answer_referral,
        forms.ReferralAnswerForm,
        "answer_form",
        answer,
    )


@login_required
@require_POST
def followup_reassign(request, pk: int):
    """Give the follow-up to another organisation (the facilitator, once it was declined)."""

    def reassign(task, data):
        task = core_services.task_reassign(
            task=task,
            user=request.user,
            expected_version=data["version"],
            organisation=data["organisation"],
        )
        return task, f"Given to {task.assigned_organisation}."

    return _act(
        request, pk, permissions.can_reassign_task, forms.ReassignForm, "reassign_form", reassign
    )


def _act(request, pk: int, allowed, form_class, form_name: str, act):
    """One referral step: ``allowed(user, task)`` or 403; a valid form is handed to ``act(task,
    data)`` (a service call returning the task and a message); a refusal shows on the form."""
    task = _followup_for(request, pk)
    if not allowed(request.user, task):
        raise PermissionDenied
    form = form_class(request.POST)
    if form.is_valid():
        try:
            task, message = act(task, form.cleaned_data)
        except (ValidationError, ConcurrentEditError) as exc:
            apply_service_errors(form, exc)
        else:
            return _answered(request, task, message)
    task.refresh_from_db()
    status = 200 if request.htmx else 400
    return _followup_page(request, task, status=status, **{form_name: form})


def _answered(request, task, message: str):
    if request.htmx:
        return _followup_page(request, task, saved=True)
    messages.success(request, message)
    return redirect("coordination:followup-detail", pk=task.pk)
