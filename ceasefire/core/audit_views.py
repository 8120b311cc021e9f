"""The auditor's pages: the audit log filtered by user, person, action, outcome and date, and its
CSV export (itself an audit event; every cell formula-safe)."""

from __future__ import annotations

import csv
import datetime as dt
import json

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import permissions, selectors
from .audit import Action, Outcome, audit_record, label_page, resolved_labels
from .disclosure import neutralise_cell
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


def _filtered(request):
    permissions.require_capability(request.user, "audit.view")
    form = AuditFilterForm(request.GET or None)
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


class _Echo:
    def write(self, value):
        return value


@login_required
@require_GET
def audit_export(request):
    """The filtered log as CSV (UTC times), at most EXPORT_LIMIT rows; the export is audited."""
    _form, events, filters = _filtered(request)
    audit_record(
        actor=request.user,
        action=Action.EXPORT,
        object_type="core.auditevent",
        detail={"filters": {k: str(v) for k, v in filters.items()}, "format": "csv"},
        request=request,
    )
    rows = events.order_by("seq").values_list(*COLUMNS)[:EXPORT_LIMIT]
    writer = csv.writer(_Echo())

    label = COLUMNS.index("object_label")

    def lines():
        yield writer.writerow(COLUMNS)
        for chunk in _chunks(rows.iterator(chunk_size=2000), 2000):
            labels = resolved_labels(row[label] for row in chunk)
            for row in chunk:
                values = list(row)
                values[1] = values[1].astimezone(dt.UTC)
                values[label] = labels[values[label]]
                yield writer.writerow([neutralise_cell(_text(v)) for v in values])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    stamp = timezone.now().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-log-{stamp}.csv"'
    return response


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
