"""Benchmarks (annual targets) and the enforcement inputs (unit staffing, enforcement plans)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ceasefire.core import permissions
from ceasefire.core.htmx import render_page
from ceasefire.core.models import PartnershipSettings
from ceasefire.core.pagination import paginate

from .. import forms, selectors, services
from .shared import flash


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
    saved = flash(
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
        if form.is_valid() and flash(
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
