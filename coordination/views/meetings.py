"""Coordination meetings: the list, scheduling, the meeting page and its print view, closing.

The page holds five agenda sections; attendance and minutes save inline (out-of-band answers).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from ceasefire.core import permissions
from ceasefire.core import selectors as core_selectors
from ceasefire.core.audit import audit_view
from ceasefire.core.concurrency import ConcurrentEditError
from ceasefire.core.forms import apply_service_errors
from ceasefire.core.fragments import shared_page
from ceasefire.core.htmx import form_errors_text, go_to, refusal_text, render_page
from ceasefire.core.models import Meeting, Organisation, Person
from ceasefire.core.pagination import paginate

from .. import forms, selectors, services
from ..models import LongTermPlan, PartnershipHealthItem

COORD = Meeting.Kind.COORDINATION
# Referral-health figures a non-police viewer reads with small counts suppressed.
REFERRAL_COUNTS = ("made", "answered", "accepted_on_time", "declined", "awaiting")


@login_required
@require_GET
def index(request):
    """Coordination meetings for those who attend them; others with follow-ups go to theirs."""
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


AGENDA_LISTS = {
    "people": "risk-picture",
    "chronic": "chronic",
    "followups": "followups",
    "health": "health",
}


def _agenda_page(request, queryset, name: str, *, everything: bool = False):
    """One of the meeting's lists, 25 rows a page, read once per records version for everyone
    whose permissions give the same rows; every row when the minutes are printed."""
    return paginate(
        request,
        queryset,
        per_page=25,
        param=f"{name}_page",
        anchor=AGENDA_LISTS[name],
        everything=everything,
        cached=True,
    )


def _meeting_context(request, meeting: Meeting, **overrides) -> dict:
    user = request.user
    people = permissions.people_visible_to(user)
    tasks = permissions.coordination_tasks_visible_to(user)
    ctx: dict = {
        "meeting": meeting,
        "editable": permissions.can_edit_meeting(user, meeting),
        "can_withdraw": permissions.has_capability(user, "shares.edit") and not meeting.is_closed,
        "today": timezone.localdate(),
        "feeding": list(selectors.reviews_feeding(meeting)),
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
    whole = overrides.get("printing", False)  # printed minutes hold every row of every list
    ctx["frozen"] = meeting.is_closed and selectors.agenda_frozen(meeting)
    if ctx["frozen"]:
        rows = _frozen_people(request, ctx, meeting, people, whole=whole)
    else:
        rows = _live_people(request, ctx, meeting, people, chronic_error, whole=whole)
    plans = selectors.plans_for_page(meeting, [r.person_id for r in rows], tasks)
    blank = forms.InterventionForm()  # unbound: one serves every row without errors
    for row in rows:
        row.planned_tasks = plans[row.person_id]["tasks"]
        row.plan_notes = plans[row.person_id]["notes"]
        row.intervention_form = intervention_errors.get(row.person_id) or blank
    ctx["plan_rows"] = rows
    ctx["followups"] = _followups_page(request, meeting, tasks, whole=whole)
    # the figures of the organisations the viewer sees: below citywide, so small counts are
    # suppressed for everyone but the police
    ctx["referral_health"] = permissions.disclosed_counts(
        user,
        core_selectors.referral_health(
            tasks.filter(source_meeting__kind=Meeting.Kind.COORDINATION), today=meeting.date
        ),
        REFERRAL_COUNTS,
    )
    ctx["health_items"] = _agenda_page(
        request, selectors.health_items_on_agenda(meeting), "health", everything=whole
    )
    for item in ctx["health_items"]:
        item.error = health_error.get(item.pk)
    if ctx["editable"]:
        ctx.update(_meeting_forms(meeting, ctx["attending"]))
    ctx.update(overrides)
    return ctx


def _frozen_people(request, ctx: dict, meeting: Meeting, people, *, whole: bool) -> list:
    """A closed meeting's people sections as they stood at closing (only those the user may see)."""
    ctx["risk_items"] = _agenda_page(
        request,
        selectors.frozen_agenda(meeting, "risk_picture", people),
        "people",
        everything=whole,
    )
    ctx["chronic_items"] = _agenda_page(
        request, selectors.frozen_agenda(meeting, "chronic", people), "chronic", everything=whole
    )
    rows = list(ctx["risk_items"])
    ctx["shown_people"] = [i.person_id for i in rows] + [i.person_id for i in ctx["chronic_items"]]
    return rows


def _live_people(
    request, ctx: dict, meeting: Meeting, people, chronic_error: dict, *, whole: bool
) -> list:
    """An open meeting's people sections: the shared risk picture and the chronically high-risk."""
    user = request.user
    ctx["shares"] = _agenda_page(
        request,
        selectors.shares_on_agenda(meeting, people, feeding=ctx["feeding"]),
        "people",
        everything=whole,
    )
    ctx["chronic"] = _agenda_page(
        request,
        selectors.people_chronically_high_risk(people, on=meeting.date),
        "chronic",
        everything=whole,
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


def _followups_page(request, meeting: Meeting, tasks, *, whole: bool):
    followups = permissions.with_subject_visibility(
        request.user, selectors.followups_carried_forward(meeting, tasks)
    )
    page = _agenda_page(request, followups, "followups", everything=whole)
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


def meeting_for(request, pk, *, write: bool = False) -> Meeting:
    meeting = permissions.get_meeting_for_user(request.user, pk, kind=COORD, write=write)
    if write and meeting.is_closed:
        raise PermissionDenied
    return meeting


def meeting_page(
    request, meeting: Meeting, partial: str | None = None, status: int = 200, **overrides
) -> HttpResponse:
    """The meeting page, or for htmx one of its sections. A plain reading (a GET with no form
    errors) is rendered once per records version for everyone of the reader's scope and shared
    (``ceasefire.core.fragments``); each reader's view of it is audited all the same."""

    def build() -> tuple[dict, list[int]]:
        ctx = _meeting_context(request, meeting, **overrides)
        return ctx, sorted(set(ctx["shown_people"]))

    response, shown = shared_page(
        request,
        "coordination/meeting.html",
        build,
        obj=meeting,
        around={"meeting": meeting},
        partial=partial,
        shareable=not overrides,
        status=status,
    )
    audit_view(request, obj=meeting, people=shown, view="coordination meeting")
    return response


def _saved_oob(request, meeting: Meeting, which: str, form=None) -> HttpResponse:
    """Inline saves swap nothing the user may be typing in: status, errors and versions go out
    of band."""
    error = form_errors_text(form) if form is not None else ""
    meeting.refresh_from_db()
    ctx = {"meeting": meeting, "which": which, "saved": form is None, "error": error}
    return render_page(request, "coordination/meeting.html", ctx, partial="saved-oob")


def back_to_meeting(
    request, meeting: Meeting, message: str, anchor: str, *, error: str | None = None
) -> HttpResponse:
    """A plain post goes back to its place on the page, saying it saved (or the refusal)."""
    if error:
        messages.error(request, error)
    else:
        messages.success(request, message)
    return redirect(reverse("coordination:meeting-detail", args=[meeting.pk]) + f"#{anchor}")


@login_required
@require_GET
def meeting_detail(request, pk: int):
    meeting = meeting_for(request, pk)
    section = request.GET.get("section")
    partial = (
        section if section in {"risk-picture", "plans", "chronic", "followups", "health"} else None
    )
    return meeting_page(request, meeting, partial)


@login_required
@require_GET
def meeting_print(request, pk: int):
    meeting = meeting_for(request, pk)
    ctx = _meeting_context(request, meeting, editable=False, can_withdraw=False, printing=True)
    audit_view(
        request,
        obj=meeting,
        people=sorted(set(ctx["shown_people"])),
        view="coordination minutes (print)",
    )
    return render_page(request, "coordination/meeting_print.html", ctx)


def _inline_save(request, pk: int, form_class, service, which: str, message: str) -> HttpResponse:
    """Attendance and minutes save in place: for htmx the status, errors and new versions go
    out of band (nothing the user may be typing in is swapped); a plain post goes back."""
    meeting = meeting_for(request, pk, write=True)
    form = form_class(request.POST)
    if form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            service(
                meeting=meeting,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                **fields,
            )
        except (ValidationError, ConcurrentEditError) as exc:
            apply_service_errors(form, exc)
        else:
            if not request.htmx:
                return back_to_meeting(request, meeting, message, which)
            return _saved_oob(request, meeting, which)
    if request.htmx:
        return _saved_oob(request, meeting, which, form=form)
    return meeting_page(request, meeting, status=400, **{f"{which}_form": form})


@login_required
@require_POST
def meeting_attendance(request, pk: int):
    return _inline_save(
        request,
        pk,
        forms.AttendanceForm,
        services.meeting_attendance_set,
        "attendance",
        "Attendance saved.",
    )


@login_required
@require_POST
def meeting_minutes(request, pk: int):
    return _inline_save(
        request, pk, forms.MinutesForm, services.meeting_minutes_save, "minutes", "Minutes saved."
    )


@login_required
@require_POST
def meeting_close(request, pk: int):
    meeting = meeting_for(request, pk, write=True)
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
    return go_to(request, "coordination:meeting-detail", pk=meeting.pk)
