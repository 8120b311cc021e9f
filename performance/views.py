"""Pages of the performance app. Thin: access via ceasefire.core.permissions, reads via selectors,
writes via services. One URL serves a page and, for htmx, its fragment (``Vary: HX-Request``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ceasefire.core import permissions
from ceasefire.core import selectors as core_selectors
from ceasefire.core import services as core_services
from ceasefire.core.audit import Action, audit_record
from ceasefire.core.concurrency import ConcurrentEditError
from ceasefire.core.models import Meeting, PartnershipSettings, Task, Worksheet
from ceasefire.core.pagination import paginate

from . import charts, forms, selectors, services
from .indicators import Period, figure_window
from .presentation import worksheet_display


def _period_or_404(slug: str) -> Period:
    try:
        return Period.parse(slug)
    except ValueError:
        raise Http404("No such period.") from None


def _vary(response: HttpResponse) -> HttpResponse:
    patch_vary_headers(response, ["HX-Request"])
    return response


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- Landing page ------------------------------------------------------------------------------


@login_required
@require_GET
def index(request):
    """The executives' landing page: latest worksheet, trend of six periods, open commitments. Aggregates only."""
    user = request.user
    permissions.require_capability(user, "performance.view")
    latest = selectors.worksheet_latest_ready()
    last_period = (
        Period.from_dates(latest.period_start, latest.period_end)
        if latest
        else selectors.period_current()
    )
    trend = selectors.outcome_trend(last_period)
    commitments = paginate(
        request, selectors.commitments_open(permissions.tasks_visible_to(user)), per_page=20
    )
    today = timezone.localdate()
    ctx = {
        "latest": latest,
        "latest_period": Period.from_dates(latest.period_start, latest.period_end)
        if latest
        else None,
        "current_period": selectors.period_current(),
        "trend": trend,
        "trend_chart": charts.trend(trend),
        "commitments": commitments,
        "next_review": core_selectors.meeting_next(
            Meeting.Kind.PERFORMANCE_REVIEW,
            today,
            permissions.meetings_visible_to(user, Meeting.Kind.PERFORMANCE_REVIEW),
        ),
        "today": today,
        "period_form": forms.PeriodForm(
            initial={"year": today.year, "first_month": 1, "last_month": 2}
        ),
        "can_benchmarks": permissions.has_capability(user, "benchmarks.edit"),
        "can_enforcement_inputs": permissions.has_capability(user, "enforcement_inputs.edit"),
    }
    if request.htmx:
        return _vary(render(request, "performance/index.html#commitments", ctx))
    return _vary(render(request, "performance/index.html", ctx))


@login_required
@require_GET
def worksheet_choose(request):
    """The period chooser (plain GET form): redirects to the period's worksheet page."""
    permissions.require_capability(request.user, "worksheet.view")
    form = forms.PeriodForm(request.GET)
    if not form.is_valid():
        for error in form.errors.values():
            messages.error(request, " ".join(error))
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
        "versions": paginate(request, history.versions, per_page=10),
        "latest": history.latest,
        "pending": history.pending,
        "can_generate": permissions.has_capability(request.user, "worksheet.generate"),
    }


@login_required
@require_GET
def worksheet(request, period: str):
    """The worksheet of any period: the latest ready version (or ?version=N), else live figures.

    For htmx (the job status panel polling) only the versions fragment is rendered; once the job
    is no longer pending the page is refreshed to show the new version.
    """
    permissions.require_capability(request.user, "worksheet.view")
    p = _period_or_404(period)
    if request.htmx:
        ctx = _versions_context(request, selectors.worksheet_versions(p))
        response = render(request, "performance/worksheet.html#versions", ctx)
        if request.GET.get("polling") and not ctx["pending"]:
            response["HX-Refresh"] = "true"
        return _vary(response)
    return _vary(render(request, "performance/worksheet.html", _worksheet_context(request, p)))


@login_required
@require_POST
def worksheet_generate(request, period: str):
    permissions.require_capability(request.user, "worksheet.generate")
    p = _period_or_404(period)
    try:
        ws = services.worksheet_request(period=p, user=request.user)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request, f"Version {ws.version} of the worksheet is {ws.get_status_display().lower()}."
        )
    if request.htmx:
        return _vary(
            render(
                request,
                "performance/worksheet.html#versions",
                _versions_context(request, selectors.worksheet_versions(p)),
            )
        )
    return redirect("performance:worksheet", period=p.slug)


@login_required
@require_POST
def worksheet_note(request, pk: int, indicator: str):
    """Save one row's trend note (htmx swaps the cell; without JavaScript the page reloads)."""
    ws = permissions.get_worksheet_for_user(request.user, pk, write=True)
    period = Period.from_dates(ws.period_start, ws.period_end)
    form = forms.NoteForm(request.POST)
    error = ""
    if indicator not in services.ROW_INDICATORS:
        raise Http404("No such worksheet row.")
    if form.is_valid():
        try:
            services.worksheet_note_set(
                worksheet=ws, indicator=indicator, text=form.cleaned_data["note"], user=request.user
            )
        except ValidationError as exc:
            error = _errors(exc)
    else:
        error = " ".join(e for errs in form.errors.values() for e in errs)
    if request.htmx:
        row = {
            "indicator": indicator,
            "label": dict(selectors.INDICATOR_LABELS).get(indicator, indicator),
        }
        row["note"] = form.data.get("note", "") if error else ws.notes.get(indicator, "")
        ctx = {
            "row": row,
            "note_worksheet": ws
            if permissions.can_edit_worksheet_notes(request.user, ws)
            else None,
            "can_edit_notes": True,
            "note_error": error,
            "note_saved": not error,
        }
        response = render(
            request, "performance/partials/note_cell.html#cell", ctx, status=400 if error else 200
        )
        return _vary(response)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, "Note saved.")
    return redirect(
        reverse("performance:worksheet", kwargs={"period": period.slug}) + f"#row-{indicator}"
    )


@login_required
@require_POST
def worksheet_freeze(request, pk: int):
    ws = permissions.get_worksheet_for_user(request.user, pk)
    permissions.require_capability(request.user, "worksheet.generate")
    try:
        services.worksheet_freeze(worksheet=ws, user=request.user)
        messages.success(
            request, f"Version {ws.version} is frozen: its notes can no longer change."
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect(
        "performance:worksheet", period=Period.from_dates(ws.period_start, ws.period_end).slug
    )


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
    period = Period.from_dates(ws.period_start, ws.period_end)
    filename = f"ceasefire-worksheet-{period.slug.replace('..', '_')}-v{ws.version}.{kind}"
    content_type = "application/pdf" if kind == "pdf" else "application/json"
    return FileResponse(
        handle, as_attachment=kind == "json", filename=filename, content_type=content_type
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
    if request.htmx:
        return _vary(render(request, "performance/trace.html#records", ctx))
    return _vary(render(request, "performance/trace.html", ctx))


# --- Benchmarks and enforcement inputs -----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def benchmarks(request):
    """Each indicator's annual target per year, with a suggestion of 90% of last year's actual."""
    permissions.require_capability(request.user, "benchmarks.edit")
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 1990), 2100)
    form_errors: dict[str, forms.BenchmarkForm] = {}
    if request.method == "POST":
        form = forms.BenchmarkForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.benchmark_set(
                    indicator=data["indicator"],
                    year=data["year"],
                    annual_target=data["annual_target"],
                    user=request.user,
                )
            except ValidationError as exc:
                messages.error(request, _errors(exc))
            else:
                messages.success(
                    request,
                    f"{selectors.INDICATOR_LABELS[data['indicator']]} {data['year']}: target {data['annual_target']}.",
                )
                return redirect(reverse("performance:benchmarks") + f"?year={data['year']}")
        else:
            form_errors[request.POST.get("indicator", "")] = form
    rows = selectors.benchmark_rows(year)
    for row in rows:
        row["form"] = form_errors.get(row["indicator"]) or forms.BenchmarkForm(
            initial={
                "indicator": row["indicator"],
                "year": year,
                "annual_target": row["target"] if row["target"] is not None else row["suggested"],
            }
        )
    return render(
        request,
        "performance/benchmarks.html",
        {"rows": rows, "year": year, "settings": PartnershipSettings.load()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def enforcement_inputs(request):
    """Unit staffing and enforcement-plan status: the enforcement inputs no other record gives."""
    permissions.require_capability(request.user, "enforcement_inputs.edit")
    staffing_form = forms.StaffingForm(prefix="staffing")
    plan_form = forms.PlanStatusForm(prefix="plan")
    if request.method == "POST":
        which = request.POST.get("form")
        if which == "staffing":
            staffing_form = forms.StaffingForm(request.POST, prefix="staffing")
            if staffing_form.is_valid():
                try:
                    services.unit_staffing_record(user=request.user, **staffing_form.cleaned_data)
                except ValidationError as exc:
                    messages.error(request, _errors(exc))
                else:
                    messages.success(request, "Staffing recorded.")
                    return redirect("performance:enforcement-inputs")
        elif which == "plan":
            plan_form = forms.PlanStatusForm(request.POST, prefix="plan")
            if plan_form.is_valid():
                try:
                    services.plan_status_record(user=request.user, **plan_form.cleaned_data)
                except ValidationError as exc:
                    messages.error(request, _errors(exc))
                else:
                    messages.success(request, "Enforcement plan status recorded.")
                    return redirect("performance:enforcement-inputs")
        else:
            messages.error(request, "Choose which record to save.")
    ctx = {
        "staffing_form": staffing_form,
        "plan_form": plan_form,
        "units": paginate(request, selectors.units_with_latest_inputs(timezone.localdate())),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "performance/enforcement_inputs.html", ctx, status=status)


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
                form.add_error(None, _errors(exc))
            else:
                messages.success(request, "Performance review scheduled.")
                return redirect("performance:review-detail", pk=meeting.pk)
    reviews = paginate(
        request,
        selectors.performance_reviews(
            permissions.meetings_visible_to(user, Meeting.Kind.PERFORMANCE_REVIEW)
        ),
    )
    ctx = {
        "reviews": reviews,
        "form": form,
        "can_edit": permissions.has_capability(user, "performance.edit"),
    }
    if request.htmx and request.method == "GET":
        return _vary(render(request, "performance/review_list.html#reviews", ctx))
    return _vary(
        render(
            request,
            "performance/review_list.html",
            ctx,
            status=400 if request.method == "POST" else 200,
        )
    )


def _review_context(request, meeting: Meeting, **overrides) -> dict:
    user = request.user
    period = selectors.worksheet_period_for_meeting(meeting)
    ws = selectors.worksheet_ready(period)
    visible_tasks = permissions.tasks_visible_to(user)
    carried = core_selectors.tasks_carried_forward(
        Meeting.Kind.PERFORMANCE_REVIEW, meeting.date, visible_tasks
    )
    made_here = (
        visible_tasks.filter(source_meeting=meeting)
        .select_related("assigned_organisation", "source_meeting")
        .order_by("due_date", "id")
    )
    carried_page = paginate(request, carried, per_page=25)
    editable = permissions.can_edit_meeting(user, meeting)
    ctx = {
        "meeting": meeting,
        "period": period,
        "worksheet": ws,
        "w": worksheet_display(ws.snapshot, notes=ws.notes) if ws and ws.snapshot else None,
        "carried": carried_page,
        "carried_rows": [
            {"task": t, "can_change": permissions.can_change_task(user, t)}
            for t in carried_page.object_list
        ],
        "made_here": [
            {"task": t, "can_change": permissions.can_change_task(user, t)} for t in made_here
        ],
        "editable": editable,
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
    ctx.update(overrides)
    return ctx


@login_required
@require_GET
def review_detail(request, pk: int):
    """A performance review: its worksheet, attendance, the three agenda parts and next-step commitments."""
    meeting = permissions.get_meeting_for_user(
        request.user, pk, kind=Meeting.Kind.PERFORMANCE_REVIEW
    )
    ctx = _review_context(request, meeting)
    if request.htmx:
        return _vary(render(request, "performance/review_detail.html#commitments", ctx))
    return _vary(render(request, "performance/review_detail.html", ctx))


@login_required
@require_POST
def review_update(request, pk: int):
    meeting = permissions.get_meeting_for_user(
        request.user, pk, kind=Meeting.Kind.PERFORMANCE_REVIEW, write=True
    )
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
        except ConcurrentEditError as exc:
            form.add_error(None, exc.message)
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, "Saved.")
            return redirect("performance:review-detail", pk=meeting.pk)
    return render(
        request,
        "performance/review_detail.html",
        _review_context(request, meeting, update_form=form),
        status=400,
    )


@login_required
@require_POST
def commitment_create(request, pk: int):
    meeting = permissions.get_meeting_for_user(
        request.user, pk, kind=Meeting.Kind.PERFORMANCE_REVIEW, write=True
    )
    form = forms.CommitmentForm(request.POST)
    if form.is_valid():
        try:
            services.commitment_create(meeting=meeting, user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errs in exc.message_dict.items():
                    form.add_error(field if field in form.fields else None, errs)
            else:
                form.add_error(None, _errors(exc))
        else:
            messages.success(request, "Commitment added.")
            if request.htmx:
                return _vary(
                    render(
                        request,
                        "performance/review_detail.html#commitments",
                        _review_context(request, meeting),
                    )
                )
            return redirect(
                reverse("performance:review-detail", kwargs={"pk": meeting.pk}) + "#commitments"
            )
    ctx = _review_context(request, meeting, commitment_form=form)
    if request.htmx:
        return _vary(render(request, "performance/review_detail.html#commitments", ctx, status=400))
    return render(request, "performance/review_detail.html", ctx, status=400)


@login_required
@require_POST
def commitment_status(request, pk: int, task_pk: int):
    """Update a carried-forward (or new) commitment's status at the review."""
    meeting = permissions.get_meeting_for_user(
        request.user, pk, kind=Meeting.Kind.PERFORMANCE_REVIEW
    )
    task = permissions.get_task_for_user(request.user, task_pk, write=True)
    if task.source_meeting is None or task.source_meeting.kind != Meeting.Kind.PERFORMANCE_REVIEW:
        raise PermissionDenied
    form = forms.CommitmentStatusForm(request.POST)
    if form.is_valid():
        try:
            core_services.task_update(
                task=task,
                user=request.user,
                expected_version=form.cleaned_data["version"],
                status=form.cleaned_data["status"],
                note=form.cleaned_data["note"],
            )
        except ConcurrentEditError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, f"“{task.title}” is now {task.get_status_display().lower()}.")
    else:
        messages.error(request, "Choose a valid status.")
    return redirect(
        reverse("performance:review-detail", kwargs={"pk": meeting.pk}) + "#commitments"
    )


@login_required
@require_POST
def review_close(request, pk: int):
    meeting = permissions.get_meeting_for_user(
        request.user, pk, kind=Meeting.Kind.PERFORMANCE_REVIEW, write=True
    )
    form = forms.VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Reload the page and try again.")
    else:
        try:
            services.review_close(
                meeting=meeting, user=request.user, expected_version=form.cleaned_data["version"]
            )
        except ConcurrentEditError as exc:
            messages.error(request, exc.message)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, "The performance review is closed; its worksheet is frozen.")
    return redirect("performance:review-detail", pk=meeting.pk)
