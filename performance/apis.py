"""The old performance endpoints (``/performance/api/worksheets/<period>/``): aliases of API v1's
worksheets (``performance.api.worksheets.WorksheetViewSet``), kept for one release.

They are v1's view (its ``worksheet.view`` check and snapshots) with the old sign-in, pages and
error body (``OldApiAlias``) and the old shapes: a period's worksheet JSON computed now (or a
version's snapshot with ``?version=N``) and the period's stored versions. Aggregates only.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from rest_framework import serializers
from rest_framework.response import Response

from ceasefire.core.api.base import OldApiAlias
from ceasefire.core.models import Worksheet

from . import selectors
from .api.worksheets import WorksheetViewSet
from .indicators import Period


def _period(slug: str) -> Period:
    try:
        return Period.parse(slug)
    except ValueError:
        raise Http404("No such period.") from None


class WorksheetApi(OldApiAlias, WorksheetViewSet):
    """GET: the period's worksheet JSON computed now (with the latest version's notes);
    ``?version=N``: that version's frozen snapshot (v1's ``retrieve``) instead."""

    def period_worksheet(self, request, period: str):
        p = _period(period)
        version = request.query_params.get("version")
        if not version:
            return Response(selectors.worksheet_live(p))
        try:
            worksheet = selectors.worksheet_version(p, version)
        except Worksheet.DoesNotExist:
            raise Http404("No such version of this worksheet.") from None
        return Response(self.snapshot(worksheet))


class WorksheetVersionOutput(serializers.ModelSerializer):
    pdf_url = serializers.SerializerMethodField()
    json_url = serializers.SerializerMethodField()

    class Meta:
        model = Worksheet
        fields = [
            "id",
            "period_start",
            "period_end",
            "version",
            "status",
            "error",
            "requested_at",
            "generated_at",
            "frozen",
            "attempts",
            "pdf_url",
            "json_url",
        ]

    def _url(self, obj, kind):
        field = obj.pdf if kind == "pdf" else obj.snapshot_file
        if not field:
            return None
        return self.context["request"].build_absolute_uri(
            reverse("performance:worksheet-download", kwargs={"pk": obj.pk, "kind": kind})
        )

    def get_pdf_url(self, obj):
        return self._url(obj, "pdf")

    def get_json_url(self, obj):
        return self._url(obj, "json")


class WorksheetVersionsApi(OldApiAlias, WorksheetViewSet):
    """GET: every stored version of the period's worksheet, newest first (paginated)."""

    filter_backends: list = []

    def get_serializer_class(self):
        return WorksheetVersionOutput

    def get_queryset(self):
        p = _period(self.kwargs["period"])
        return (
            super()
            .get_queryset()
            .filter(period_start=p.start, period_end=p.end)
            .order_by("-version")
        )


worksheet_api = WorksheetApi.as_view({"get": "period_worksheet"})
worksheet_versions_api = WorksheetVersionsApi.as_view({"get": "list"})
