"""The shooting log as CSV or XLSX, with the page's filters, after saying why (audited)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ceasefire.core import permissions
from ceasefire.core.exports import Table, export_filters, export_flow

from .. import selectors
from ..filters import IncidentFilter

HEADER = [
    "case_number",
    "occurred_at",
    "address",
    "area",
    "beat",
    "kind",
    "weapon",
    "circumstance",
    "group_involved",
    "counting_status",
    "counting_reason",
    "fatal_victims",
    "nonfatal_victims",
    "conflict",
]


def incidents_table(user, params) -> Table:
    """The shooting log's rows with the page's filters (a lazy iterator, in chunks)."""
    incidents = selectors.incidents_annotated(permissions.incidents_visible_to(user))
    filterset = IncidentFilter(params or None, queryset=incidents)
    if filterset.is_bound and filterset.is_valid():
        incidents = filterset.qs
    narrative = permissions.can_view_narrative(user)

    def rows():
        for i in incidents.iterator(chunk_size=2000):
            row = [
                i.case_number,
                timezone.localtime(i.occurred_at).isoformat(),
                i.address,
                i.area,
                i.beat,
                i.kind_code,
                i.weapon,
                i.circumstance,
                i.group_involved,
                i.counting_status,
                i.counting_reason,
                i.fatal_count,
                i.nonfatal_count,
                str(i.conflict) if i.conflict_id else "",
            ]
            yield [*row, i.narrative] if narrative else row

    header = [*HEADER, "narrative"] if narrative else HEADER
    return Table(header=header, rows=rows(), title="Shooting log")


@login_required
@require_http_methods(["GET", "POST"])
def incident_export(request):
    permissions.require_export(request.user, "incidents")
    filters = export_filters(request, IncidentFilter.base_filters)
    return export_flow(
        request,
        what="incidents",
        title="the shooting log",
        filters=filters,
        build=lambda fmt: incidents_table(request.user, filters),
        filename=f"shooting-log-{timezone.localdate():%Y-%m-%d}",
        back=reverse("reviews:incident-list"),
    )
