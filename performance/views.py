"""Pages of the performance app. Thin: access via ceasefire.core.permissions, reads via selectors,
writes via services. One URL serves a page and, for htmx, its fragment
(``ceasefire.core.htmx.render_page``, ``Vary: HX-Request``)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ceasefire.core import permissions
from ceasefire.core import selectors as core_selectors
from ceasefire.core import services as core_services
from ceasefire.core.audit import Action, audit_record
from ceasefire.core.concurrency import ConcurrentEditError
from ceasefire.core.forms import apply_service_errors
from ceasefire.core.htmx import form_errors_text, refusal_text, render_page
from ceasefire.core.models import Meeting, PartnershipSettings, Task, Worksheet
from ceasefire.core.pagination import paginate

from . import charts, forms, selectors, services
from .indicators import Period, figure_window
from .presentation import worksheet_display

REVIEW = Meeting.Kind.PERFORMANCE_REVIEW
WORKSHEET_PAGE = "performance/worksheet.html"
REVIEW_PAGE = "performance/review_detail.html"


def _period_or_404(slug: str) -> Period:
    try:
        return Period.parse(slug)
    except ValueError:
        raise Http404("No such period.") from None


def _period_of(worksheet: Worksheet) -> Period:
    return Period.from_dates(worksheet.period_start, worksheet.period_end)


def _flash(request, action: Callable[[], object], success: str | Callable[[object], str]):
    """Run a service call: flash ``success`` (or ``success(result)``) or the refusal.

    Returns the service's result, or None when it refused.
    """
    try:
        result = action()
    except (ValidationError, ConcurrentEditError) as exc:
        messages.error(request, refusal_text(exc))
        return None
    messages.success(request, success(result) if callable(success) else success)
    return result


# --- Landing page ------------------------------------------------------------------------------


@login_required
@require_GET
def index(request):
    """The executives' landing page: latest worksheet, six periods' trend, open commitments.

    Aggregates only.
    """
    user = request.user
    permissions.require_capability(user, "performance.view")
    latest = selectors.worksheet_latest_ready()
    latest_period = _period_of(latest) if latest else None
    trend = selectors.outcome_trend(latest_period or selectors.period_current())
    commitments = selectors.commitments_open(permissions.tasks_visible_to(user))
    today = timezone.localdate()
    reviews = permissions.meetings_visible_to(user, REVIEW)
    ctx = {
        "latest": latest,
        "latest_period": latest_period,
        "current_period": selectors.period_current(),
        "trend": trend,
        "trend_chart": charts.trend(trend),
        "commitments": paginate(request, commitments, per_page=20),
        "next_review": core_selectors.meeting_next(REVIEW, today, reviews),
        "today": today,
        "period_form": forms.PeriodForm(
            initial={"year": today.year, "first_month": 1, "last_month": 2}
        ),
        "can_benchmarks": permissions.has_capability(user, "benchmarks.edit"),
        "can_enforcement_inputs": permissions.has_capability(user, "enforcement_inputs.edit"),
    }
    return render_page(request, "performance/index.html", ctx, partial="commitments")


@login_required
@require_GET
def worksheet_choose(request):
    """The period chooser (plain GET form): redirects to the period's worksheet page."""
    permissions.require_capability(request.user, "worksheet.view")
    form = forms.PeriodForm(request.GET)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect("performance:index")
    return redirect("performance:worksheet", period=form.cleaned_data["period"].slug)


# --- The worksheet -----------------------------------------------------------------------------


def _worksheet_context(request, period: Period) -> dict:
    user = request.user
    try:
        shown = selectors.worksheet_for_display(period, version=request.GET.get("version", ""))
    except Worksheet.DoesNotExist:
        raise Http404("No such version of this worksheet.") from None
    can_edit_notes = permissions.can_edit_worksheet_notes(user, shown.note_worksheet)
    return {
        **_versions_context(request, shown.history),
        "w": worksheet_display(shown.figures, notes=shown.notes),
        "selected": shown.selected,
        "note_worksheet": shown.note_worksheet if can_edit_notes else None,
        "can_edit_notes": can_edit_notes,
        "can_trace": permissions.can_see_trace_records(user),
        "previous_period": period.previous(),
        "notes_changed": shown.notes_changed,
    }


def _versions_context(request, history: selectors.WorksheetVersions) -> dict:
    return {
        "period": history.period,
        "page_url": reverse("performance:worksheet", kwargs={"period": history.period.slug}),
        "versions": paginate(request, history.versions, per_page=10),
        "latest": history.latest,
        "pending": history.pending,
        "can_generate": permissions.has_capability(request.user, "worksheet.generate"),
    }


def _versions_panel(request, period: Period):
    ctx = _versions_context(request, selectors.worksheet_versions(period))
    return ctx, render_page(request, WORKSHEET_PAGE, ctx, partial="versions")


@login_required
@require_GET
def worksheet(request, period: str):
    """The worksheet of any period: the latest ready version (or ?version=N), else live figures.

    For htmx (the job status panel polling) only the versions fragment is rendered; once the job
    is no longer pending the page is refreshed to show the new version.
    """
    permissions.require_capability(request.user, "worksheet.view")
    p = _period_or_404(period)
    if not request.htmx:
        return render_page(request, WORKSHEET_PAGE, _worksheet_context(request, p))
    ctx, response = _versions_panel(request, p)
    if request.GET.get("polling") and not ctx["pending"]:
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def worksheet_generate(request, period: str):
    permissions.require_capability(request.user, "worksheet.generate")
    p = _period_or_404(period)
    _flash(
        request,
        lambda: services.worksheet_request(period=p, user=request.user),
        lambda ws: f"Version {ws.version} of the worksheet is {ws.get_status_display().lower()}.",
    )
    if request.htmx:
        return _versions_panel(request, p)[1]
    return redirect("performance:worksheet", period=p.slug)


@login_required
@require_POST
def worksheet_note(request, pk: int, indicator: str):
    """Save one row's trend note (htmx swaps the cell; without JavaScript the page reloads)."""
    ws = permissions.get_worksheet_for_user(request.user, pk, write=True)
    if indicator not in services.ROW_INDICATORS:
        raise Http404("No such worksheet row.")
    form = forms.NoteForm(request.POST)
    error = form_errors_text(form)
    if not error:
        try:
            services.worksheet_note_set(
                worksheet=ws, indicator=indicator, text=form.cleaned_data["note"], user=request.user
            )
        except ValidationError as exc:
            error = refusal_text(exc)
    if request.htmx:
        return _note_cell(request, ws, indicator, form, error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "Note saved.")
    url = reverse("performance:worksheet", kwargs={"period": _period_of(ws).slug})
    return redirect(f"{url}#row-{indicator}")


def _note_cell(request, ws: Worksheet, indicator: str, form, error: str):
    """The note's cell after a save: the saved note, or what was typed with the refusal."""
    row = {
        "indicator": indicator,
        "label": selectors.INDICATOR_LABELS.get(indicator, indicator),
        "note": form.data.get("note", "") if error else ws.notes.get(indicator, ""),
    }
    ctx = {
        "row": row,
        "note_worksheet": ws if permissions.can_edit_worksheet_notes(request.user, ws) else None,
        "can_edit_notes": True,
        "note_error": error,
        "note_saved": not error,
    }
    template = "performance/partials/note_cell.html"
    return render_page(request, template, ctx, partial="cell", status=400 if error else 200)


@login_required
@require_POST
def worksheet_freeze(request, pk: int):
    ws = permissions.get_worksheet_for_user(request.user, pk)
    permissions.require_capability(request.user, "worksheet.generate")
    _flash(
        request,
        lambda: services.worksheet_freeze(worksheet=ws, user=request.user),
        f"Version {ws.version} is frozen: its notes can no longer change.",
    )
    return redirect("performance:worksheet", period=_period_of(ws).slug)


@login_required
@require_GET
def worksheet_download(request, pk: int, kind: str):
    """A stored version's PDF or snapshot JSON. Every download is an audit event (export)."""
    ws = permissions.get_worksheet_for_user(request.user, pk)
    if kind not in ("pdf", "json"):
        raise Http404("No such file.")
    try:
        handle = services.worksheet_export(
            worksheet=ws, user=request.user, kind=kind, request=request
        )
    except FileNotFoundError:
        raise Http404("This version has no stored file yet.") from None
    slug = _period_of(ws).slug.replace("..", "_")
    return FileResponse(
        handle,
        as_attachment=kind == "json",
        filename=f"ceasefire-worksheet-{slug}-v{ws.version}.{kind}",
        content_type="application/pdf" if kind == "pdf" else "application/json",
    )


# --- The records behind a number (police facilitators) -------------------------------------------


@login_required
@require_GET
def trace(request, period: str, indicator: str, window: str, year: int):
    """Lists the records behind one worksheet figure, paginated. Viewing is audited."""
    permissions.require_capability(request.user, "worksheet.trace_records")
    p = _period_or_404(period)
    part = request.GET.get("part", "")
    if part not in selectors.TRACE_PARTS.get(indicator, ()):
        raise Http404("No such figure.")
    try:
        win = figure_window(p, window, year)
    except ValueError as exc:
        raise Http404(str(exc)) from None
    kind, records = selectors.records_behind(indicator, part, win, as_of=win.end)
    page = paginate(request, records)
    audit_record(
        actor=request.user,
        action=Action.VIEW,
        object_type="performance.trace",
        object_id=f"{p.slug}/{indicator}/{window}/{year}",
        detail={"part": part, "records": page.paginator.count},
        request=request,
    )
    ctx = {
        "period": p,
        "indicator": indicator,
        "indicator_label": selectors.TRACE_LABELS[indicator],
        "part_label": selectors.part_label(part),
        "window": win,
        "window_name": "Year to date" if window == "ytd" else "Period",
        "year": year,
        "part": part,
        "kind": kind,
        "page": page,
    }
    return render_page(request, "performance/trace.html", ctx, partial="records")


# --- Benchmarks and enforcement inputs -----------------------------------------------------------


def _year_asked(request) -> int:
    """The year in the query or the form (this year by default), within 1990–2100."""
    this_year = timezone.localdate().year
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or this_year)
    except ValueError:
        year = this_year
    return min(max(year, 1990), 2100)


@login_required
@require_http_methods(["GET", "POST"])
def benchmarks(request):
    """Each indicator's annual target per year, with a suggestion of 90% of last year's actual."""
    permissions.require_capability(request.user, "benchmarks.edit")
    year = _year_asked(request)
    refused: dict[str, forms.BenchmarkForm] = {}  # a form with errors, shown on its row
    if request.method == "POST":
        form = forms.BenchmarkForm(request.POST)
        if not form.is_valid():
            refused[request.POST.get("indicator", "")] = form
        elif _benchmark_set(request, form.cleaned_data):
            url = reverse("performance:benchmarks")
            return redirect(f"{url}?year={form.cleaned_data['year']}")
    rows = selectors.benchmark_rows(year)
    for row in rows:
        target = row["target"] if row["target"] is not None else row["suggested"]
        row["form"] = refused.get(row["indicator"]) or forms.BenchmarkForm(
            initial={"indicator": row["indicator"], "year": year, "annual_target": target}
        )
    ctx = {"rows": rows, "year": year, "settings": PartnershipSettings.load()}
    return render_page(request, "performance/benchmarks.html", ctx)


def _benchmark_set(request, data: dict) -> bool:
    label = selectors.INDICATOR_LABELS[data["indicator"]]
    saved = _flash(
        request,
        lambda: services.benchmark_set(
            indicator=data["indicator"],
            year=data["year"],
            annual_target=data["annual_target"],
            user=request.user,
        ),
        f"{label} {data['year']}: target {data['annual_target']}.",
    )
    return saved is not None


# The enforcement inputs page's two records: the form (by prefix), its service, the message.
ENFORCEMENT_INPUTS = {
    "staffing": (forms.StaffingForm, services.unit_staffing_record, "Staffing recorded."),
    "plan": (
        forms.PlanStatusForm,
        services.plan_status_record,
        "Enforcement plan status recorded.",
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def enforcement_inputs(request):
    """Unit staffing and enforcement-plan status: the enforcement inputs no other record gives."""
    permissions.require_capability(request.user, "enforcement_inputs.edit")
    bound = {name: form(prefix=name) for name, (form, _, _) in ENFORCEMENT_INPUTS.items()}
    which = request.POST.get("form")
    if request.method == "POST" and which not in ENFORCEMENT_INPUTS:
        messages.error(request, "Choose which record to save.")
    elif request.method == "POST":
        form_class, record, done = ENFORCEMENT_INPUTS[which]
        form = bound[which] = form_class(request.POST, prefix=which)
        if form.is_valid() and _flash(
            request, lambda: record(user=request.user, **form.cleaned_data), done
        ):
            return redirect("performance:enforcement-inputs")
    ctx = {
        "staffing_form": bound["staffing"],
        "plan_form": bound["plan"],
        "units": paginate(request, selectors.units_with_latest_inputs(timezone.localdate())),
    }
    status = 400 if request.method == "POST" else 200
    return render_page(request, "performance/enforcement_inputs.html", ctx, status=status)


# --- Performance review meetings ----------------------------------------------------------------


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
        _flash(
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
        _flash(
            request,
            lambda: services.review_close(
                meeting=meeting, user=request.user, expected_version=form.cleaned_data["version"]
            ),
            "The performance review is closed; its worksheet is frozen.",
        )
    return redirect(_review_page(meeting))
