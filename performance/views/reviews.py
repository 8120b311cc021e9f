"""Performance review meetings: the list, a review's page, its minutes, commitments and close."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ceasefire.core import permissions
from ceasefire.core import selectors as core_selectors
from ceasefire.core import services as core_services
from ceasefire.core.concurrency import ConcurrentEditError
from ceasefire.core.forms import apply_service_errors
from ceasefire.core.htmx import go_to, render_page
from ceasefire.core.models import Meeting, Task
from ceasefire.core.pagination import paginate

from .. import forms, selectors, services
from ..presentation import worksheet_display
from .shared import REVIEW, flash

REVIEW_PAGE = "performance/review_detail.html"


@login_required
@require_http_methods(["GET", "POST"])
def review_list(request):
    user = request.user
    permissions.require_capability(user, "performance.view")
    form = forms.ReviewForm(
        initial={"year": timezone.localdate().year, "first_month": 1, "last_month": 2}
    )
    if request.method == "POST":
        permissions.require_capability(user, "performance.edit")
        form = forms.ReviewForm(request.POST)
        if form.is_valid():
            try:
                meeting = services.review_create(
                    user=user, date=form.cleaned_data["date"], period=form.cleaned_data["period"]
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, "Performance review scheduled.")
                return redirect("performance:review-detail", pk=meeting.pk)
    reviews = selectors.performance_reviews(permissions.meetings_visible_to(user, REVIEW))
    ctx = {
        "reviews": paginate(request, reviews),
        "form": form,
        "can_edit": permissions.has_capability(user, "performance.edit"),
    }
    if request.method == "POST":
        return render_page(request, "performance/review_list.html", ctx, status=400)
    return render_page(request, "performance/review_list.html", ctx, partial="reviews")


def _review_context(request, meeting: Meeting, **overrides) -> dict:
    user = request.user
    period = selectors.worksheet_period_for_meeting(meeting)
    ws = selectors.worksheet_ready(period)
    visible_tasks = permissions.tasks_visible_to(user)
    carried = paginate(
        request,
        core_selectors.tasks_carried_forward(REVIEW, meeting.date, visible_tasks),
        per_page=25,
    )
    made_here = paginate(
        request,
        selectors.commitments_made_at(meeting, visible_tasks),
        per_page=25,
        param="made_page",
        anchor="commitments",
    )

    def rows(tasks) -> list[dict]:
        return [{"task": t, "can_change": permissions.can_change_task(user, t)} for t in tasks]

    ctx = {
        "meeting": meeting,
        "period": period,
        "worksheet": ws,
        "w": worksheet_display(ws.snapshot, notes=ws.notes) if ws and ws.snapshot else None,
        "carried": carried,
        "carried_rows": rows(carried.object_list),
        "made_here": rows(made_here.object_list),
        "made_here_page": made_here,
        "editable": permissions.can_edit_meeting(user, meeting),
        "update_form": forms.ReviewUpdateForm(
            initial={
                "version": meeting.version,
                "minutes": meeting.minutes,
                "attending_organisations": list(meeting.attending_organisations.all()),
                "attendees": list(meeting.attendees.all()),
            }
        ),
        "commitment_form": forms.CommitmentForm(),
        "close_form": forms.VersionForm(initial={"version": meeting.version}),
        "task_statuses": Task.Status.choices,
        "attending_organisations": meeting.attending_organisations.all(),
        "attendees": meeting.attendees.select_related("organisation"),
    }
    return ctx | overrides


def _review_page(meeting: Meeting) -> str:
    return reverse("performance:review-detail", kwargs={"pk": meeting.pk})


@login_required
@require_GET
def review_detail(request, pk: int):
    """A performance review: its worksheet, attendance, the agenda's three parts, commitments."""
    meeting = permissions.get_meeting_for_user(request.user, pk, kind=REVIEW)
    ctx = _review_context(request, meeting)
    return render_page(request, REVIEW_PAGE, ctx, partial="commitments")


@login_required
@require_POST
def review_update(request, pk: int):
    meeting = permissions.get_meeting_for_user(request.user, pk, kind=REVIEW, write=True)
    form = forms.ReviewUpdateForm(request.POST)
    if form.is_valid():
        try:
            services.review_update(
                meeting=meeting,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                minutes=form.cleaned_data["minutes"],
                attending_organisations=list(form.cleaned_data["attending_organisations"]),
                attendees=list(form.cleaned_data["attendees"]),
            )
        except (ValidationError, ConcurrentEditError) as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Saved.")
            return redirect(_review_page(meeting))
    ctx = _review_context(request, meeting, update_form=form)
    return render_page(request, REVIEW_PAGE, ctx, status=400)


@login_required
@require_POST
def commitment_create(request, pk: int):
    meeting = permissions.get_meeting_for_user(request.user, pk, kind=REVIEW, write=True)
    form = forms.CommitmentForm(request.POST)
    if form.is_valid():
        try:
            services.commitment_create(meeting=meeting, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Commitment added.")
            if not request.htmx:
                return redirect(_review_page(meeting) + "#commitments")
            ctx = _review_context(request, meeting)
            return render_page(request, REVIEW_PAGE, ctx, partial="commitments")
    ctx = _review_context(request, meeting, commitment_form=form)
    return render_page(request, REVIEW_PAGE, ctx, partial="commitments", status=400)


@login_required
@require_POST
def commitment_status(request, pk: int, task_pk: int):
    """Update a carried-forward (or new) commitment's status at the review."""
    meeting = permissions.get_meeting_for_user(request.user, pk, kind=REVIEW)
    task = permissions.get_commitment_for_user(request.user, task_pk, write=True)
    form = forms.CommitmentStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a valid status.")
    else:
        flash(
            request,
            lambda: core_services.task_update(
                task=task,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            ),
            lambda updated: f"“{updated.title}” is now {updated.get_status_display().lower()}.",
        )
    return redirect(_review_page(meeting) + "#commitments")


@login_required
@require_POST
def review_close(request, pk: int):
    meeting = permissions.get_meeting_for_user(request.user, pk, kind=REVIEW, write=True)
    form = forms.VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Reload the page and try again.")
    else:
        flash(
            request,
            lambda: services.review_close(
                meeting=meeting, user=request.user, expected_version=form.cleaned_data["version"]
            ),
            "The performance review is closed; its worksheet is frozen.",
        )
    return go_to(request, _review_page(meeting))
