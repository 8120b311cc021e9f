"""The weekly shooting review: landing page, scheduling, the page, minutes, answers, closing."""

from __future__ import annotations

import contextlib
import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ceasefire.core import permissions
from ceasefire.core.audit import audit_view
from ceasefire.core.concurrency import ConcurrentEditError
from ceasefire.core.forms import apply_service_errors
from ceasefire.core.fragments import reading_key, shared_page, shared_render, with_csrf_token
from ceasefire.core.htmx import go_to, refusal_text, render_page, vary_on_htmx
from ceasefire.core.models import Incident, Meeting, RiskDesignation, Task
from ceasefire.core.pagination import paginate

from .. import forms, selectors, services
from ..models import ReviewIncident, ReviewSummary


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


def task_subjects(user) -> dict:
    """The groups and conflicts a review's answers and new deliverables may name."""
    return {
        "all_groups": list(permissions.agenda_groups_visible_to(user)),
        "all_conflicts": list(
            permissions.conflicts_visible_to(user).current().select_related("group_a", "group_b")
        ),
    }


def page_context(request, review: Meeting) -> dict:
    """What every part of a review's page uses: the review, whether the reader may edit it, the
    choices its forms offer."""
    can_edit = permissions.can_edit_meeting(request.user, review)
    return {
        "review": review,
        "can_edit": can_edit,
        "can_change_tasks": can_edit,
        "statuses": Task.Status.choices,
        "retaliation_choices": ReviewIncident.Retaliation.choices,
        "circumstance_choices": Incident.Circumstance.choices,
        "group_involved_choices": Incident.GroupInvolved.choices,
        "today": timezone.localdate(),
        "decision_choices": [("confirmed", "Confirm"), ("dismissed", "Dismiss")],
        "criterion_choices": RiskDesignation.Criterion.choices,
        "live_poll_seconds": settings.REVIEW_LIVE_POLL_SECONDS,
    }


def section_forms(review: Meeting, *parts: str) -> dict:
    """A facilitator's empty forms in the risk and response sections, and the people their
    pickers list before anything is typed."""
    made: dict = {}
    if "risk" in parts:
        made.update(designate_form=forms.DesignateForm(), followup_form=forms.FollowUpForm())
    if "response" in parts:
        made["task_form"] = forms.ReviewTaskForm(
            initial={"due_date": review.date + dt.timedelta(days=7)}
        )
    if made:
        made["picker_people"], made["picker_more"] = selectors.review_candidates_matching(
            review, ""
        )
    return made


def review_context(request, review: Meeting, **extra) -> dict:
    """What the live review page (or, closed or ``print_view``, its minutes: every shooting)
    shows."""
    user = request.user
    tasks = permissions.tasks_visible_to(user)
    live = not (review.is_closed or extra.get("print_view"))
    agenda = (
        selectors.open_review_agenda(review, tasks=tasks)
        if live
        else selectors.review_agenda(review, tasks=tasks)
    )
    ctx = {**page_context(request, review), **agenda, **task_subjects(user)}
    if not review.is_closed and not live:  # the open agenda comes with its fingerprints
        with_fingerprints(review, agenda["entries"])
        ctx["fingerprints"] = selectors.section_fingerprints(review, tasks=tasks)
    if ctx["can_edit"]:
        for name, value in section_forms(review, "risk", "response").items():
            ctx.setdefault(name, value)
    ctx.update(extra)
    return ctx


def section_context(request, review: Meeting, part: str) -> dict:
    """What one section of the live page shows (``part``: ``selectors.AGENDA_PARTS``)."""
    ctx = page_context(request, review)
    agenda = dict(
        selectors.open_review_agenda_part(
            review, part, tasks=permissions.tasks_visible_to(request.user)
        )
    )
    ctx["fingerprints"] = {part: agenda.pop("fingerprint", "")}
    ctx.update(agenda)
    if ctx["can_edit"]:
        ctx.update(section_forms(review, part))
    return ctx


# what the heading and navigation around the sections show, taken from the sections' contexts
SECTION_TOTALS = {
    "deliverables": {"deliverables_total": lambda ctx: ctx["deliverables_total"]},
    "shootings": {"entries_total": lambda ctx: ctx["entries_total"]},
    "response": {"new_tasks_total": lambda ctx: len(ctx["new_tasks"])},
}


def live_section(request, review: Meeting, part: str) -> tuple[str, dict]:
    """One section of the live page, rendered once for the readers of one scope and kept until a
    table it reads is written (an answer on a shooting re-renders the shootings alone), with the
    CSRF placeholder left in; and what it shows: the people (for the audit) and its totals."""

    def build() -> tuple[dict, dict]:
        ctx = section_context(request, review, part)
        totals = {name: total(ctx) for name, total in SECTION_TOTALS.get(part, {}).items()}
        return ctx, {"people": selectors.review_people_ids(ctx), "totals": totals}

    return shared_render(
        request,
        f"reviews/review_detail.html#section-{part}",
        build,
        key=reading_key(request, review, f"section-{part}", params=False),
        token=False,
    )


def live_body(request, review: Meeting) -> tuple[dict, list[int]]:
    """The live page's body: its four sections (``live_section``) inside the heading and the
    navigation; and everyone it names."""
    ctx = page_context(request, review)
    sections, people = {}, set()
    for part in selectors.AGENDA_PARTS:
        sections[part], shown = live_section(request, review, part)
        people.update(shown["people"])
        ctx.update(shown["totals"])
    return {**ctx, "sections": sections}, sorted(people)


def with_fingerprints(review: Meeting, entries) -> list:
    """Give each entry the fingerprint the page carries for the live poll."""
    fingerprints = selectors.entry_fingerprints(review)
    for entry in entries:
        entry.fingerprint = fingerprints.get(entry.pk, "")
    return entries


LIVE_SECTIONS = {f"section-{part}": part for part in selectors.AGENDA_PARTS}


@login_required
@require_GET
def review_detail(request, pk: int):
    user = request.user
    review = permissions.get_review_for_user(user, pk)
    # the page lists the shootings; their suggestions are offered (and logged) where a
    # shooting's details open: views.live.review_shooting
    if review.is_closed or request.GET.get("print"):
        ctx = review_context(request, review, print_view=True)
        audit_view(request, obj=review, people=selectors.review_people_ids(ctx))
        return render_page(request, "reviews/review_minutes.html", ctx)

    # the live page: each section rendered once per change for the readers of one scope
    section = request.GET.get("section")
    if request.htmx and section in LIVE_SECTIONS:
        text, shown = live_section(request, review, LIVE_SECTIONS[section])
        audit_view(request, obj=review, people=shown["people"])
        return vary_on_htmx(HttpResponse(with_csrf_token(request, text)))
    response, people = shared_page(
        request,
        "reviews/review_detail.html",
        lambda: live_body(request, review),
        obj=review,
        around={"review": review},
    )
    audit_view(request, obj=review, people=people)
    return response


@login_required
@require_GET
def review_minutes(request, pk: int):
    user = request.user
    review = permissions.get_review_for_user(user, pk)
    ctx = review_context(request, review, print_view=True)
    audit_view(request, obj=review, minutes=True, people=selectors.review_people_ids(ctx))
    return render_page(request, "reviews/review_minutes.html", ctx)


def section_response(
    request, review: Meeting, section: str, *, error: str | None = None, **forms_ctx
) -> HttpResponse:
    """After a structural change: the section fragment (htmx) or back to the page (plain post)."""
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect(reverse("reviews:review-detail", args=[review.pk]) + f"#s-{section}")
    review.refresh_from_db()
    ctx = review_context(request, review, **forms_ctx)
    ctx[f"{section}_error"] = error
    return render_page(request, "reviews/review_detail.html", ctx, partial=f"section-{section}")


def _answered(review: Meeting, user, target: str, obj_pk: int):
    """What a live answer is about: a shooting, its agenda entry or the review's summary."""
    if target == "incident":
        incident = get_object_or_404(Incident, pk=obj_pk, review_entries__meeting=review)
        return permissions.get_incident_for_user(user, incident.pk, write=True)
    model = ReviewIncident if target == "entry" else ReviewSummary
    return get_object_or_404(model, pk=obj_pk, meeting=review)


def _entry_pk(review: Meeting, incident: Incident) -> int:
    return ReviewIncident.objects.values_list("pk", flat=True).get(
        meeting=review, incident=incident
    )


@login_required
@require_POST
def review_answer(request, pk: int, target: str, obj_pk: int, name: str):
    """Save one answer of the live review (per-field save; see services.review_answer_save)."""
    user = request.user
    review = permissions.get_review_for_user(user, pk, write=True)
    if target not in services.ANSWER_FIELDS or name not in services.ANSWER_FIELDS[target][1]:
        return HttpResponse("Unknown question.", status=404)
    model = services.ANSWER_FIELDS[target][0]
    obj = _answered(review, user, target, obj_pk)
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
    except (ValidationError, ConcurrentEditError) as exc:
        ctx.update(
            obj=model.objects.get(pk=obj.pk),
            error=refusal_text(exc),
            was=request.POST.get("was", ""),
        )
    if not request.htmx:
        if ctx.get("error"):
            messages.error(request, ctx["error"])
        return redirect(reverse("reviews:review-detail", args=[review.pk]))
    if target != "summary" and not ctx.get("error"):
        # the shooting's card counts its answers; a linked conflict or groups change who may be
        # at risk, so its suggestions are drawn again
        entry_pk = obj.pk if target == "entry" else _entry_pk(review, obj)
        refresh = target == "incident" and name in ("conflict", "groups")
        entry = (
            selectors.review_entry(review, entry_pk)
            if refresh
            else selectors.review_entries(review, pks=[entry_pk])[0]
        )
        with_fingerprints(review, [entry])
        ctx.update(
            entry=entry,
            refresh_suggestions=refresh,
            can_edit=permissions.can_edit_meeting(user, review),
            decision_choices=[("confirmed", "Confirm"), ("dismissed", "Dismiss")],
        )
    return render_page(request, "reviews/partials/answer_status.html", ctx)


@login_required
@require_POST
def review_refresh(request, pk: int):
    user = request.user
    review = permissions.get_review_for_user(user, pk, write=True)
    before = set(review.review_incidents.values_list("pk", flat=True))
    added = services.review_refresh(review=review, user=user)
    text = (
        f"{added} shooting{'s' if added != 1 else ''} added to the agenda."
        if added
        else "No new shootings in the window."
    )
    if request.htmx:
        # append only the new shootings' cards; the rest of the page stays as it is. A page
        # still to draw the end of its agenda (``more``) gets them with its next batch.
        entries = [e for e in selectors.review_entries(review) if e.pk not in before]
        total = len(before) + len(entries)
        more = request.POST.get("more", "")
        if more.isdigit() and entries:
            text += " They come at the end of the agenda, after the shootings still to be shown."
            entries = []
        with_fingerprints(review, entries)
        ctx = {
            "review": review,
            "entries": entries,
            "entries_count": total,
            "entries_total": total,
            "entries_next": int(more) if more.isdigit() else None,
            "message": text,
            "can_edit": permissions.can_edit_meeting(user, review),
        }
        audit_view(
            request,
            obj=review,
            people=sorted({p for e in entries for p in selectors.review_entry_people_ids(e)}),
        )
        return render_page(request, "reviews/partials/shootings_added.html", ctx)
    messages.success(request, text)
    return redirect(reverse("reviews:review-detail", args=[review.pk]) + "#s-shootings")


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
            "Review closed. The minutes are frozen; "
            "the chosen people are shared with coordination.",
        )
    return go_to(request, "reviews:review-detail", pk=review.pk)
