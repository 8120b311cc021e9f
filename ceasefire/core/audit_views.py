"""The auditor's pages: the audit log filtered by user, person, action, outcome and date, and its
export as CSV or XLSX through the shared export flow (the reason asked, the export audited with
the page's filters, every cell formula-safe)."""

from __future__ import annotations

import datetime as dt
import json

from django import forms
from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from . import permissions, selectors
from .audit import Action, Outcome, label_page, resolved_labels
from .exports import Table, export_filters, export_flow
from .htmx import render_page
from .pagination import paginate

EXPORT_LIMIT = 100_000
DATE = forms.DateInput({"type": "date"})


class AuditFilterForm(forms.Form):
    user = forms.CharField(required=False, max_length=150, label="User")
    person = forms.IntegerField(required=False, min_value=1, label="Person id")
    action = forms.ChoiceField(required=False, choices=[("", "Any"), *Action.choices])
    outcome = forms.ChoiceField(required=False, choices=[("", "Any"), *Outcome.choices])
    object_type = forms.CharField(required=False, max_length=100, label="Object type")
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput({"type": "date"})
    )
    date_to = forms.DateField(required=False, label="To", widget=forms.DateInput({"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError("The start date is after the end date.")
        return data


def _filtered(request, params=None):
    permissions.require_capability(request.user, "audit.view")
    form = AuditFilterForm((request.GET if params is None else params) or None)
    events = permissions.audit_events_visible_to(request.user)
    filters = {}
    if form.is_bound and form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        events = selectors.audit_events_matching(events, **filters)
    return form, events, filters


@login_required
@require_GET
def audit_log(request):
    form, events, _ = _filtered(request)
    page = label_page(paginate(request, events.select_related(None)))
    return render_page(request, "core/audit_log.html", {"form": form, "events": page})


COLUMNS = [
    "seq",
    "at",
    "actor_label",
    "actor_role",
    "action",
    "outcome",
    "object_type",
    "object_id",
    "object_label",
    "ip_address",
    "detail",
    "hash",
]


def audit_table(events) -> Table:
    """The filtered log in sequence order (times in UTC), at most EXPORT_LIMIT rows, lazily."""
    rows = events.order_by("seq").values_list(*COLUMNS)[:EXPORT_LIMIT]
    label = COLUMNS.index("object_label")

    def lines():
        for chunk in _chunks(rows.iterator(chunk_size=2000), 2000):
            labels = resolved_labels(row[label] for row in chunk)  # a person token → their name
            for row in chunk:
                values = [_text(v) for v in row]
                values[0] = row[0]  # the sequence number stays a number (XLSX)
                values[1] = row[1].astimezone(dt.UTC).isoformat()
                values[label] = _text(labels[row[label]])
                yield values

    return Table(header=COLUMNS, rows=lines(), title="Audit log")


@login_required
@require_http_methods(["GET", "POST"])
def audit_export(request):
    """The filtered log as CSV or XLSX, after saying why: the shared export flow (audited with
    the filters, formula-safe cells). Filters the page would refuse are refused here too."""
    permissions.require_export(request.user, "audit")
    params = export_filters(request, AuditFilterForm.base_fields)
    form, events, filters = _filtered(request, params)
    if form.is_bound and not form.is_valid():
        ctx = {"form": form, "events": paginate(request, events.none())}
        return render_page(request, "core/audit_log.html", ctx, status=400)
    return export_flow(
        request,
        what="audit",
        title="the audit log",
        filters={name: _text(value) for name, value in filters.items()},
        build=lambda fmt: audit_table(events),
        filename=f"audit-log-{timezone.now():%Y%m%d-%H%M}",
        back=reverse("core:audit-log"),
    )


def _chunks(rows, size: int):
    chunk = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
