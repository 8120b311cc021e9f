"""The landing page, the worksheet of a period (versions, notes, PDF) and the records behind
its numbers."""

from __future__ import annotations

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
from ceasefire.core.audit import Action, audit_record
from ceasefire.core.exports import export_flow
from ceasefire.core.htmx import form_errors_text, go_to, refusal_text, render_page
from ceasefire.core.models import Worksheet
from ceasefire.core.pagination import paginate

from .. import charts, forms, selectors, services
from ..exports import worksheet_table
from ..indicators import Period, figure_window
from ..presentation import worksheet_display
from .shared import REVIEW, flash, period_of, period_or_404

WORKSHEET_PAGE = "performance/worksheet.html"


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
    latest_period = period_of(latest) if latest else None
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
        "can_freeze": permissions.has_capability(request.user, "worksheet.freeze"),
        "can_see_timings": permissions.can_see_job_timings(request.user),
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
    p = period_or_404(period)
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
    p = period_or_404(period)
    flash(
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
    url = reverse("performance:worksheet", kwargs={"period": period_of(ws).slug})
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
    permissions.require_capability(request.user, "worksheet.freeze")
    flash(
        request,
        lambda: services.worksheet_freeze(worksheet=ws, user=request.user),
        f"Version {ws.version} is frozen: its notes can no longer change.",
    )
    return go_to(request, "performance:worksheet", period=period_of(ws).slug)


@login_required
@require_http_methods(["GET", "POST"])
def worksheet_download(request, pk: int, kind: str):
    """A stored version's PDF or snapshot JSON, after saying why (every download is audited)."""
    ws = permissions.get_worksheet_for_user(request.user, pk)
    if kind not in ("pdf", "json"):
        raise Http404("No such file.")
    slug = period_of(ws).slug.replace("..", "_")

    def build(fmt):
        try:
            handle = services.worksheet_file_open(worksheet=ws, kind=kind)
        except FileNotFoundError:
            raise Http404("This version has no stored file yet.") from None
        return FileResponse(
            handle,
            as_attachment=kind == "json",
            filename=f"ceasefire-worksheet-{slug}-v{ws.version}.{kind}",
            content_type="application/pdf" if kind == "pdf" else "application/json",
        )

    return export_flow(
        request,
        what="worksheet",
        title=f"worksheet {period_of(ws).slug}, version {ws.version} ({kind.upper()})",
        filters={"period": period_of(ws).slug, "version": str(ws.version), "file": kind},
        build=build,
        filename=f"ceasefire-worksheet-{slug}-v{ws.version}",
        formats=(kind,),
        obj=ws,
        back=reverse("performance:worksheet", kwargs={"period": period_of(ws).slug}),
    )


@login_required
@require_http_methods(["GET", "POST"])
def worksheet_export(request, pk: int):
    """A stored version's figures as CSV or XLSX, from its frozen snapshot (as the PDF)."""
    ws = permissions.get_worksheet_for_user(request.user, pk)
    if not ws.snapshot:
        raise Http404("This version has no snapshot yet.")
    slug = period_of(ws).slug
    return export_flow(
        request,
        what="worksheet",
        title=f"worksheet {slug}, version {ws.version}",
        filters={"period": slug, "version": str(ws.version)},
        build=lambda fmt: worksheet_table(ws.snapshot, title=f"Worksheet {slug}"),
        filename=f"ceasefire-worksheet-{slug.replace('..', '_')}-v{ws.version}",
        obj=ws,
        back=reverse("performance:worksheet", kwargs={"period": slug}),
    )


# --- The records behind a number (police facilitators) -------------------------------------------


@login_required
@require_GET
def trace(request, period: str, indicator: str, window: str, year: int):
    """Lists the records behind one worksheet figure, paginated. Viewing is audited."""
    permissions.require_capability(request.user, "worksheet.trace_records")
    p = period_or_404(period)
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
