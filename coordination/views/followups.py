"""Partners' own work: my follow-ups, one follow-up, and what is recorded from it.

From a follow-up: an update, a custom notification, an enrolment, a service contact.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from ceasefire.core import permissions
from ceasefire.core import services as core_services
from ceasefire.core.audit import audit_view
from ceasefire.core.concurrency import ConcurrentEditError
from ceasefire.core.forms import apply_service_errors, form_saved
from ceasefire.core.htmx import render_page
from ceasefire.core.models import Enrolment, Person, Task
from ceasefire.core.pagination import paginate

from .. import forms, selectors, services


@login_required
@require_GET
def followups(request):
    user = request.user
    permissions.require_capability(user, "followups.view")
    today = timezone.localdate()
    tasks = permissions.with_subject_visibility(
        user, selectors.followups_for(user, permissions.tasks_visible_to(user), today=today)
    )
    page = paginate(request, tasks)
    audit_view(
        request,
        object_type="core.task",
        people=sorted(
            {t.subject_person_id for t in page if t.subject_person_id and t.subject_visible}
        ),
        view="my follow-ups",
    )
    ctx = {"tasks": page, "today": today, "week_end": today + dt.timedelta(days=6)}
    return render_page(request, "coordination/followups.html", ctx, partial="followup-list")


def _labelled(updates) -> list:
    """Status changes in words ("In progress → Done")."""
    updates = list(updates)
    for update in updates:
        update.change = (
            f"{Task.Status(update.status_from).label} → {Task.Status(update.status_to).label}"
            if update.status_to
            else ""
        )
    return updates


def _followup_context(request, task: Task, **overrides) -> dict:
    user = request.user
    person = None
    share = None
    if task.subject_person_id and permissions.can_view_person(user, task.subject_person):
        person = task.subject_person
        share = person.shares.filter(withdrawn_at__isnull=True).first()
    can_change = permissions.can_change_task(user, task)
    can_record = person is not None and permissions.can_record_contact(user, person)
    ctx = {
        "task": task,
        "person": person,
        "share": share,
        "subject_label": permissions.followup_subject_label(user, task),
        "updates": _labelled(selectors.task_updates(task)[:50]),
        "notifications": task.custom_notifications.order_by("-delivered_on", "-id")[:20]
        if person
        else [],
        "can_change": can_change,
        "can_record": can_record,
        "can_answer": permissions.can_answer_referral(user, task),
        "can_reassign": permissions.can_reassign_task(user, task),
        "answer_form": forms.ReferralAnswerForm(),
        "reassign_form": forms.ReassignForm(),
        "today": timezone.localdate(),
        "statuses": [s for s in Task.Status if s != task.status],
        "enrolments": person.enrolments.select_related("provider").filter(ended_on__isnull=True)
        if person
        else [],
        "contacts": task.service_contacts.select_related("organisation", "recorded_by")[:20]
        if person
        else [],
    }
    if can_change:
        ctx["update_form"] = forms.TaskUpdateForm(initial={"version": task.version})
    if can_record:
        name = user.get_full_name() or user.username
        ctx["notification_form"] = forms.CustomNotificationForm(
            initial={"delivered_by": f"{name} ({user.organisation})"}
        )
        ctx["enrolment_form"] = forms.EnrolmentForm(
            user=user, initial={"referral_source": _referral_source_for(task)}
        )
        ctx["contact_form"] = forms.ServiceContactForm(initial={"kind": task.kind})
    ctx.update(overrides)
    return ctx


def _referral_source_for(task: Task) -> str:
    """The likely referral source of an enrolment made from this follow-up (the worker may
    change it)."""
    return {
        Task.Kind.CUSTOM_NOTIFICATION: Enrolment.ReferralSource.CUSTOM_NOTIFICATION,
        Task.Kind.STREET_OUTREACH: Enrolment.ReferralSource.OUTREACH,
    }.get(task.kind, Enrolment.ReferralSource.CEASEFIRE_OTHER)


def _followup_page(request, task: Task, status: int = 200, **overrides) -> HttpResponse:
    ctx = _followup_context(request, task, **overrides)
    audit_view(
        request, obj=task, people=[ctx["person"].pk] if ctx["person"] else [], view="follow-up"
    )
    return render_page(
        request, "coordination/followup.html", ctx, partial="followup", status=status
    )


def _back_to_followup(request, task: Task, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("coordination:followup-detail", pk=task.pk)


def _followup_for(request, pk, *, write: bool = False) -> Task:
    permissions.require_capability(request.user, "followups.view")
    return permissions.get_task_for_user(request.user, pk, write=write)


@login_required
@require_GET
def followup_detail(request, pk: int):
    task = _followup_for(request, pk)
    return _followup_page(request, task)


@login_required
@require_POST
def followup_update(request, pk: int):
    task = _followup_for(request, pk, write=True)
    form = forms.TaskUpdateForm(request.POST)
    if form.is_valid():
        try:
            services_result = _task_update_from_form(request, task, form)
        except (ValidationError, ConcurrentEditError) as exc:
            apply_service_errors(form, exc)
        else:
            if not request.htmx:
                return _back_to_followup(request, services_result, "Saved.")
            return _followup_page(request, services_result, saved=True)
    task.refresh_from_db()
    return _followup_page(request, task, status=200 if request.htmx else 400, update_form=form)


def _task_update_from_form(request, task: Task, form) -> Task:
    return core_services.task_update(
        task=task,
        user=request.user,
        expected_version=form.cleaned_data["version"],
        status=form.cleaned_data["status"] or None,
        note=form.cleaned_data["note"],
    )


def _recordable_person(request, task: Task) -> Person:
    if not task.subject_person_id or not permissions.can_record_contact(
        request.user, task.subject_person
    ):
        raise PermissionDenied
    return task.subject_person


def _recorded(request, task: Task, form, form_name: str, saved: str, record) -> HttpResponse:
    """Something recorded from a follow-up's page: back to the follow-up when it saved, the form
    with its errors again when not."""
    if form_saved(form, record):
        task.refresh_from_db()
        if not request.htmx:
            return _back_to_followup(request, task, saved)
        return _followup_page(request, task, saved=True)
    return _followup_page(request, task, status=200 if request.htmx else 400, **{form_name: form})


@login_required
@require_POST
def followup_notification(request, pk: int):
    task = _followup_for(request, pk)
    person = _recordable_person(request, task)
    return _recorded(
        request,
        task,
        forms.CustomNotificationForm(request.POST),
        "notification_form",
        "Custom notification recorded. Enrol the person or mark the follow-up done.",
        lambda data: services.custom_notification_record(
            user=request.user, person=person, task=task, **data
        ),
    )


@login_required
@require_POST
def followup_enrol(request, pk: int):
    task = _followup_for(request, pk)
    person = _recordable_person(request, task)
    return _recorded(
        request,
        task,
        forms.EnrolmentForm(request.POST, user=request.user),
        "enrolment_form",
        f"{person} enrolled.",
        lambda data: services.enrolment_start(user=request.user, person=person, **data),
    )


@login_required
@require_POST
def followup_contact(request, pk: int):
    task = _followup_for(request, pk)
    person = _recordable_person(request, task)
    return _recorded(
        request,
        task,
        forms.ServiceContactForm(request.POST),
        "contact_form",
        "Service contact recorded.",
        lambda data: services.service_contact_record(
            user=request.user, person=person, task=task, **data
        ),
    )
