"""Exports: every download asks why, is an audit event (who, when, which filters, why) and
streams, so no export holds a list that grows with the data in memory.

An app's export view builds a :class:`Table` (a header and a lazy iterator of rows, from the same
selectors and permissions as its page) and hands it to :func:`export_flow`: a GET shows the form
asking for the reason (the page's filters ride along as hidden fields); a valid POST records the
export and streams the file — CSV row by row, XLSX through openpyxl's write-only workbook (rows
go to a temporary file, not to memory). Every cell passes ``neutralise_cell``.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from django import forms
from django.db import transaction
from django.http import FileResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone

from .audit import Action, audit_record
from .disclosure import neutralise_cell
from .htmx import render_page

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Table:
    """What an export holds: a header and its rows (an iterator, read once, as it streams)."""

    header: Sequence[str]
    rows: Iterable[Sequence]
    title: str = "export"


class ExportForm(forms.Form):
    format = forms.ChoiceField(
        choices=[
            ("csv", "CSV"),
            ("xlsx", "Excel (XLSX)"),
            ("pdf", "PDF"),
            ("json", "JSON"),
            ("zip", "ZIP"),
        ]
    )
    reason = forms.CharField(
        max_length=300,
        min_length=5,
        help_text="Why you need this file (it is recorded with your name, the time and filters).",
        widget=forms.TextInput(attrs={"size": 60}),
    )

    def __init__(self, *args, formats: Sequence[str] = ("csv", "xlsx"), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["format"]
        field.choices = [c for c in field.choices if c[0] in formats]
        field.initial = formats[0]


class _Echo:
    def write(self, value):
        return value


def csv_lines(table: Table) -> Iterator[str]:
    """The table as CSV text, a line at a time (a UTF-8 BOM first, so Excel reads accents)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([neutralise_cell(h) for h in table.header])
    for row in table.rows:
        yield writer.writerow([neutralise_cell(v) for v in row])


def xlsx_file(table: Table):
    """The table as an XLSX workbook in a temporary file, written row by row."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=table.title[:31] or "export")
    sheet.append([neutralise_cell(h) for h in table.header])
    for row in table.rows:
        sheet.append([neutralise_cell(_excel_value(v)) for v in row])
    handle = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
    workbook.save(handle)
    handle.seek(0)
    return handle


def _excel_value(value):
    """XLSX cannot hold aware datetimes: local time, without the offset (as the pages show it)."""
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def export_response(table: Table, *, fmt: str, filename: str) -> HttpResponseBase:
    name = f"{filename}.{fmt}"
    if fmt == "xlsx":
        return FileResponse(
            xlsx_file(table), as_attachment=True, filename=name, content_type=FORMATS["xlsx"]
        )
    response = StreamingHttpResponse(csv_lines(table), content_type=FORMATS["csv"])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@transaction.atomic
def export_record(
    *,
    user,
    what: str,
    fmt: str,
    reason: str,
    filters: Mapping[str, str],
    obj=None,
    request=None,
):
    """The audit event of one export: who, when (the event's time), what, filters and why."""
    return audit_record(
        actor=user,
        action=Action.EXPORT,
        obj=obj,
        object_type="" if obj is not None else what,
        detail={"export": what, "format": fmt, "reason": reason.strip(), "filters": dict(filters)},
        request=request,
    )


def export_filters(request, names: Iterable[str]) -> dict[str, str]:
    """The page's filters the export carries: from the query string (GET) or the form (POST)."""
    params = request.POST if request.method == "POST" else request.GET
    return {name: params[name] for name in names if params.get(name)}


def export_flow(
    request,
    *,
    what: str,
    title: str,
    filters: Mapping[str, str],
    build: Callable[[str], Table | HttpResponseBase],
    filename: str,
    formats: Sequence[str] = ("csv", "xlsx"),
    obj=None,
    back: str = "",
) -> HttpResponseBase:
    """GET: ask why. POST: record the export, then ``build(fmt)`` the table (or a file response)
    and stream it. An invalid form is 400 with its message and writes nothing."""
    form = ExportForm(request.POST or None, formats=formats)
    if request.method == "POST" and form.is_valid():
        fmt = form.cleaned_data["format"]
        built = build(fmt)
        export_record(
            user=request.user,
            what=what,
            fmt=fmt,
            reason=form.cleaned_data["reason"],
            filters=filters,
            obj=obj,
            request=request,
        )
        if isinstance(built, HttpResponseBase):
            return built
        return export_response(built, fmt=fmt, filename=filename)
    ctx = {"form": form, "title": title, "filters": dict(filters), "back": back}
    status = 400 if request.method == "POST" else 200
    return render_page(request, "core/export.html", ctx, status=status)
