"""HTML views of the coordination app. Thin: permissions decide, services write, selectors read.

One URL serves the page and, for htmx requests, the fragment (template partials); every form
also works as a plain POST that redirects back to the page.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ceasefire.core import permissions
from ceasefire.core import services as core_services
from ceasefire.core.audit import Action, audit_record
from ceasefire.core.concurrency import ConcurrentEditError
from ceasefire.core.forms import apply_service_errors
from ceasefire.core.htmx import form_errors_text, refusal_text, render_page
from ceasefire.core.models import Enrolment, Meeting, Organisation, Person, Task
from ceasefire.core.pagination import paginate

from . import forms, selectors, services
from .models import LongTermPlan, PartnershipHealthItem

COORD = Meeting.Kind.COORDINATION


# --- helpers ------------------------------------------------------------------------------------


def _audit_people(
    request, *, obj=None, object_type: str = "", people: list[int], where: str
) -> None:
    """Every view of people is an audit event: one per request, naming who was shown."""
    audit_record(
        actor=request.user,
        action=Action.VIEW,
        obj=obj,
        object_type=object_type,
        request=request,
        detail={"view": where, "people": sorted(set(people))},
    )


# --- Landing page and meeting list ---------------------------------------------------------------


@login_required
@require_GET
def index(request):
    """Coordination meetings for those who attend them; everyone else with follow-ups goes to theirs."""
    user = request.user
    if not permissions.has_capability(user, "coordination.view"):
        if permissions.has_capability(user, "followups.view"):
            return redirect("coordination:followups")
        raise PermissionDenied
    meetings = selectors.coordination_meetings_list(permissions.meetings_visible_to(user, COORD))
    ctx = {
        "meetings": paginate(request, meetings),
        "can_create": permissions.has_capability(user, "coordination.edit"),
        "form": forms.MeetingCreateForm(),
        "today": timezone.localdate(),
    }
    return render_page(request, "coordination/index.html", ctx, partial="meeting-list")


@login_required
@require_POST
def meeting_create(request):
    permissions.require_capability(request.user, "coordination.edit")
    form = forms.MeetingCreateForm(request.POST)
    if form.is_valid():
        try:
            meeting = services.coordination_meeting_create(
                user=request.user, date=form.cleaned_data["date"]
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            return redirect("coordination:meeting-detail", pk=meeting.pk)
    meetings = selectors.coordination_meetings_list(
        permissions.meetings_visible_to(request.user, COORD)
    )
    ctx = {"meetings": paginate(request, meetings), "can_create": True, "form": form}
    return render_page(request, "coordination/index.html", ctx, status=400)


# --- The meeting page ----------------------------------------------------------------------------


# Each list of the meeting page has its own page parameter and keeps the reader's place.
AGENDA_LISTS = {
    "people": "risk-picture",
    "chronic": "chronic",
    "followups": "followups",
    "health": "health",
}


def _agenda_page(request, queryset, name: str):
    return paginate(request, queryset, per_page=25, param=f"{name}_page", anchor=AGENDA_LISTS[name])


def _meeting_context(request, meeting: Meeting, **overrides) -> dict:
    user = request.user
    people = permissions.people_visible_to(user)
    tasks = permissions.coordination_tasks_visible_to(user)
    ctx: dict = {
        "meeting": meeting,
        "editable": permissions.can_edit_meeting(user, meeting),
        "can_withdraw": permissions.has_capability(user, "shares.edit") and not meeting.is_closed,
        "today": timezone.localdate(),
        "feeding": selectors.reviews_feeding(meeting),
        "conflicts": selectors.agenda_conflicts(permissions.conflicts_visible_to(user)),
        "groups": list(permissions.agenda_groups_visible_to(user).only("id", "name", "area")),
        "attending": list(meeting.attending_organisations.values_list("pk", flat=True)),
        "intervention_kinds": services.INTERVENTION_KINDS,
        "organisations": list(Organisation.objects.filter(active=True).order_by("name")),
        "health_statuses": PartnershipHealthItem.Status.choices,
        "sees_all_people": permissions.has_capability(user, "people.view_all"),
    }
    intervention_errors = overrides.pop("intervention_errors", {})
    chronic_error = overrides.pop("chronic_error", {})
    health_error = overrides.pop("health_error", {})
    ctx["frozen"] = meeting.is_closed and selectors.agenda_frozen(meeting)
    if ctx["frozen"]:
        rows = _frozen_people(request, ctx, meeting, people)
    else:
        rows = _live_people(request, ctx, meeting, people, chronic_error)
    plans = selectors.plans_for_page(meeting, [r.person_id for r in rows], tasks)
    for row in rows:
        row.planned_tasks = plans[row.person_id]["tasks"]
        row.plan_notes = plans[row.person_id]["notes"]
        row.intervention_form = intervention_errors.get(row.person_id) or forms.InterventionForm()
    ctx["plan_rows"] = rows
    ctx["followups"] = _followups_page(request, meeting, tasks)
    ctx["health_items"] = _agenda_page(request, selectors.health_items_on_agenda(meeting), "health")
    for item in ctx["health_items"]:
        item.error = health_error.get(item.pk)
    if ctx["editable"]:
        ctx.update(_meeting_forms(meeting, ctx["attending"]))
    ctx.update(overrides)
    return ctx


def _frozen_people(request, ctx: dict, meeting: Meeting, people) -> list:
    """A closed meeting's people sections as they stood at closing (only those the user may see)."""
    ctx["risk_items"] = _agenda_page(
        request, selectors.frozen_agenda(meeting, "risk_picture", people), "people"
    )
    ctx["chronic_items"] = _agenda_page(
        request, selectors.frozen_agenda(meeting, "chronic", people), "chronic"
    )
    rows = list(ctx["risk_items"])
    ctx["shown_people"] = [i.person_id for i in rows] + [i.person_id for i in ctx["chronic_items"]]
    return rows


def _live_people(request, ctx: dict, meeting: Meeting, people, chronic_error: dict) -> list:
    """An open meeting's people sections: the shared risk picture and the chronically high-risk."""
    user = request.user
    ctx["shares"] = _agenda_page(request, selectors.shares_on_agenda(meeting, people), "people")
    ctx["chronic"] = _agenda_page(
        request, selectors.people_chronically_high_risk(people, on=meeting.date), "chronic"
    )
    rows = list(ctx["shares"])
    for share in rows:
        share.recommended_labels = selectors.intervention_labels(share.recommended_interventions)
    for person in ctx["chronic"]:
        person.show_reason = permissions.can_view_intelligence(user, person)
        person.ltp = _long_term_plan(person)
        person.plan_error = chronic_error.get(person.pk)
    ctx["shown_people"] = [r.person_id for r in rows] + [p.pk for p in ctx["chronic"]]
    return rows


def _followups_page(request, meeting: Meeting, tasks):
    followups = permissions.with_subject_visibility(
        request.user, selectors.followups_carried_forward(meeting, tasks)
    )
    page = _agenda_page(request, followups, "followups")
    for task in page:
        updates = list(task.updates.all())  # prefetched by tasks_carried_forward
        task.last_update = updates[-1] if updates else None
    return page


def _meeting_forms(meeting: Meeting, attending: list[int]) -> dict:
    return {
        "attendance_form": forms.AttendanceForm(
            initial={
                "organisations": attending,
                "risk_alignment": meeting.risk_alignment,
                "version": meeting.version,
            }
        ),
        "minutes_form": forms.MinutesForm(
            initial={"minutes": meeting.minutes, "version": meeting.version}
        ),
        "health_form": forms.HealthItemForm(),
    }


def _long_term_plan(person: Person) -> LongTermPlan | None:
    """The plan loaded by ``select_related`` (a reverse one-to-one raises when absent)."""
    try:
        return person.long_term_plan
    except LongTermPlan.DoesNotExist:
        return None


def _meeting_for(request, pk, *, write: bool = False) -> Meeting:
    meeting = permissions.get_meeting_for_user(request.user, pk, kind=COORD, write=write)
    if write and meeting.is_closed:
        raise PermissionDenied
    return meeting


def _meeting_page(
    request, meeting: Meeting, partial: str | None = None, status: int = 200, **overrides
) -> HttpResponse:
    ctx = _meeting_context(request, meeting, **overrides)
    _audit_people(request, obj=meeting, people=ctx["shown_people"], where="coordination meeting")
    return render_page(request, "coordination/meeting.html", ctx, partial=partial, status=status)


def _saved_oob(request, meeting: Meeting, which: str, form=None) -> HttpResponse:
    """Inline saves swap nothing the user may be typing in: status, errors and versions go out of band."""
    errors = [form_errors_text(form)] if form is not None and form.errors else []
    meeting.refresh_from_db()
    ctx = {"meeting": meeting, "which": which, "saved": form is None, "errors": errors}
    return render_page(request, "coordination/meeting.html", ctx, partial="saved-oob")


def _back_to_meeting(request, meeting: Meeting, message: str, anchor: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(reverse("coordination:meeting-detail", args=[meeting.pk]) + f"#{anchor}")


@login_required
@require_GET
def meeting_detail(request, pk: int):
    meeting = _meeting_for(request, pk)
    section = request.GET.get("section")
    partial = (
        section if section in {"risk-picture", "plans", "chronic", "followups", "health"} else None
    )
    return _meeting_page(request, meeting, partial)


@login_required
@require_GET
def meeting_print(request, pk: int):
    meeting = _meeting_for(request, pk)
    ctx = _meeting_context(request, meeting, editable=False, can_withdraw=False, printing=True)
    _audit_people(
        request, obj=meeting, people=ctx["shown_people"], where="coordination minutes (print)"
    )
    return render_page(request, "coordination/meeting_print.html", ctx)


@login_required
@require_POST
def meeting_attendance(request, pk: int):
    meeting = _meeting_for(request, pk, write=True)
    form = forms.AttendanceForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_attendance_set(
                meeting=meeting,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                organisations=form.cleaned_data["organisations"],
                risk_alignment=form.cleaned_data["risk_alignment"],
            )
        except (ValidationError, ConcurrentEditError) as exc:
            apply_service_errors(form, exc)
        else:
            if not request.htmx:
                return _back_to_meeting(request, meeting, "Attendance saved.", "attendance")
            return _saved_oob(request, meeting, "attendance")
    if request.htmx:
        return _saved_oob(request, meeting, "attendance", form=form)
    return _meeting_page(request, meeting, status=400, attendance_form=form)


@login_required
@require_POST
def meeting_minutes(request, pk: int):
    meeting = _meeting_for(request, pk, write=True)
    form = forms.MinutesForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_minutes_save(
                meeting=meeting,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                minutes=form.cleaned_data["minutes"],
            )
        except (ValidationError, ConcurrentEditError) as exc:
            apply_service_errors(form, exc)
        else:
            if not request.htmx:
                return _back_to_meeting(request, meeting, "Minutes saved.", "minutes")
            return _saved_oob(request, meeting, "minutes")
    if request.htmx:
        return _saved_oob(request, meeting, "minutes", form=form)
    return _meeting_page(request, meeting, status=400, minutes_form=form)


@login_required
@require_POST
def meeting_close(request, pk: int):
    meeting = _meeting_for(request, pk, write=True)
    try:
        version = int(request.POST.get("version", ""))
        services.coordination_meeting_close(
            meeting=meeting, user=request.user, expected_version=version
        )
    except ValueError:
        messages.error(request, "The form was incomplete; reload the page and try again.")
    except (ValidationError, ConcurrentEditError) as exc:
        messages.error(request, refusal_text(exc))
    else:
        messages.success(request, "Meeting closed. The minutes are frozen.")
    return redirect("coordination:meeting-detail", pk=meeting.pk)


@login_required
@require_POST
def plan_intervention_add(request, pk: int, person_pk: int):
    meeting = _meeting_for(request, pk, write=True)
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
                return _back_to_meeting(
                    request, meeting, f"Intervention planned for {person}.", f"plan-{person.pk}"
                )
            return _meeting_page(request, meeting, "plans", open_person=person.pk)
    return _meeting_page(
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
    meeting = _meeting_for(request, pk, write=True)
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
        return _back_to_meeting(request, meeting, f"Plan for {person} saved.", f"plan-{person.pk}")
    return _meeting_page(request, meeting, "plans", plans_error=error or "", open_person=person.pk)


@login_required
@require_POST
def long_term_plan_save(request, pk: int, person_pk: int):
    meeting = _meeting_for(request, pk, write=True)
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
        return _back_to_meeting(request, meeting, f"Long-term plan for {person} saved.", "chronic")
    return _meeting_page(
        request, meeting, "chronic", chronic_error={person.pk: error} if error else {}
    )


@login_required
@require_POST
def health_item_add(request, pk: int):
    meeting = _meeting_for(request, pk, write=True)
    form = forms.HealthItemForm(request.POST)
    if form.is_valid():
        try:
            services.health_item_create(meeting=meeting, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if not request.htmx:
                return _back_to_meeting(
                    request, meeting, "Partnership-health item added.", "health"
                )
            return _meeting_page(request, meeting, "health")
    return _meeting_page(
        request, meeting, "health", status=200 if request.htmx else 400, health_form=form
    )


@login_required
@require_POST
def health_item_update(request, pk: int, item_pk: int):
    meeting = _meeting_for(request, pk, write=True)
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
        return _back_to_meeting(request, meeting, "Partnership-health item saved.", "health")
    return _meeting_page(request, meeting, "health", health_error={item.pk: error} if error else {})


@login_required
@require_POST
def share_withdraw(request, pk: int, share_pk: int):
    """Police facilitators take a person off the partnership's list: access ends at once."""
    meeting = _meeting_for(request, pk)
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


# --- Partners' own work: my follow-ups ---------------------------------------------------------


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
    _audit_people(
        request,
        object_type="core.task",
        people=[t.subject_person_id for t in page if t.subject_person_id and t.subject_visible],
        where="my follow-ups",
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
        "today": timezone.localdate(),
        "statuses": [s for s in Task.Status if s != task.status],
        "enrolments": person.enrolments.select_related("provider").filter(ended_on__isnull=True)
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
    """The likely referral source of an enrolment made from this follow-up (the worker may change it)."""
    return {
        Task.Kind.CUSTOM_NOTIFICATION: Enrolment.ReferralSource.CUSTOM_NOTIFICATION,
        Task.Kind.STREET_OUTREACH: Enrolment.ReferralSource.OUTREACH,
    }.get(task.kind, Enrolment.ReferralSource.CEASEFIRE_OTHER)


def _followup_page(request, task: Task, status: int = 200, **overrides) -> HttpResponse:
    ctx = _followup_context(request, task, **overrides)
    _audit_people(
        request, obj=task, people=[ctx["person"].pk] if ctx["person"] else [], where="follow-up"
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


@login_required
@require_POST
def followup_notification(request, pk: int):
    task = _followup_for(request, pk)
    person = _recordable_person(request, task)
    form = forms.CustomNotificationForm(request.POST)
    if form.is_valid():
        try:
            services.custom_notification_record(
                user=request.user, person=person, task=task, **form.cleaned_data
            )
        except (ValidationError, ConcurrentEditError) as exc:
            apply_service_errors(form, exc)
        else:
            task.refresh_from_db()
            if not request.htmx:
                return _back_to_followup(
                    request,
                    task,
                    "Custom notification recorded. Enrol the person or mark the follow-up done.",
                )
            return _followup_page(request, task, saved=True)
    return _followup_page(
        request, task, status=200 if request.htmx else 400, notification_form=form
    )


@login_required
@require_POST
def followup_enrol(request, pk: int):
    task = _followup_for(request, pk)
    person = _recordable_person(request, task)
    form = forms.EnrolmentForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.enrolment_start(user=request.user, person=person, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if not request.htmx:
                return _back_to_followup(request, task, f"{person} enrolled.")
            return _followup_page(request, task, saved=True)
    return _followup_page(request, task, status=200 if request.htmx else 400, enrolment_form=form)


@login_required
@require_POST
def followup_contact(request, pk: int):
    task = _followup_for(request, pk)
    person = _recordable_person(request, task)
    form = forms.ServiceContactForm(request.POST)
    if form.is_valid():
        try:
            services.service_contact_record(
                user=request.user, person=person, task=task, **form.cleaned_data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            if not request.htmx:
                return _back_to_followup(request, task, "Service contact recorded.")
            return _followup_page(request, task, saved=True)
    return _followup_page(request, task, status=200 if request.htmx else 400, contact_form=form)


# --- Caseload and call-ins ----------------------------------------------------------------------


@login_required
@require_GET
def caseload(request):
    user = request.user
    permissions.require_capability(user, "contacts.record")
    page = paginate(request, selectors.caseload_open(permissions.enrolments_visible_to(user)))
    for enrolment in page:
        enrolment.can_exit = permissions.can_exit_enrolment(user, enrolment)
    _audit_people(
        request, object_type="core.enrolment", people=[e.person_id for e in page], where="caseload"
    )
    return render_page(
        request,
        "coordination/caseload.html",
        {
            "enrolments": page,
            "exit_form": forms.EnrolmentExitForm(),
            "whole_caseload": permissions.sees_every_enrolment(user),
        },
        partial="caseload",
    )


@login_required
@require_POST
def enrolment_exit(request, pk: int):
    permissions.require_capability(request.user, "contacts.record")
    enrolment = permissions.get_enrolment_for_user(request.user, pk, write=True)
    form = forms.EnrolmentExitForm(request.POST)
    if form.is_valid():
        try:
            services.enrolment_exit(enrolment=enrolment, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, refusal_text(exc))
        else:
            messages.success(request, f"Exit of {enrolment.person} recorded.")
    else:
        messages.error(request, "Give a valid exit date.")
    return redirect("coordination:caseload")


@login_required
@require_http_methods(["GET", "POST"])
def call_ins(request):
    user = request.user
    permissions.require_capability(user, "call_ins.record")
    candidates = selectors.call_in_candidates(permissions.people_visible_to(user))
    form = forms.CallInForm(request.POST or None, candidates=candidates)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.call_in_record(user=user, **form.cleaned_data)
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, "Call-in recorded.")
                return redirect("coordination:call-ins")
        status = 400
    page = paginate(request, selectors.call_ins_list(permissions.call_ins_visible_to(user)))
    return render_page(
        request, "coordination/call_ins.html", {"call_ins": page, "form": form}, status=status
    )
