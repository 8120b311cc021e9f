"""The performance API: a period's worksheet JSON (the README's contract) and its stored versions.

Same selectors and permissions as the pages: ``worksheet.view`` (police facilitators, partner
leads, executives). The worksheet holds aggregates only, never a person.
"""

from __future__ import annotations

from django.http import Http404
from django.urls import reverse
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from ceasefire.core import permissions
from ceasefire.core.models import Worksheet

from . import selectors
from .indicators import Period


class CanViewWorksheet(BasePermission):
    def has_permission(self, request, view) -> bool:
        return permissions.has_capability(request.user, "worksheet.view")


def _period(slug: str) -> Period:
    try:
        return Period.parse(slug)
    except ValueError:
        raise Http404("No such period.") from None


class WorksheetApi(APIView):
    """GET: the worksheet JSON computed now (with the latest version's notes).

    ``?version=N``: that version's frozen snapshot instead.
    """

    permission_classes = [IsAuthenticated, CanViewWorksheet]

    def get(self, request, period: str):
        p = _period(period)
        version = request.query_params.get("version")
        if not version:
            return Response(selectors.worksheet_live(p))
        try:
            return Response(selectors.worksheet_version(p, version).snapshot)
        except Worksheet.DoesNotExist:
            raise Http404("No such version of this worksheet.") from None


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


class WorksheetVersionsApi(ListAPIView):
    """GET: every stored version of the period's worksheet, newest first (paginated)."""

    permission_classes = [IsAuthenticated, CanViewWorksheet]
    serializer_class = WorksheetVersionOutput
    filter_backends: list = []

    def get_queryset(self):
        p = _period(self.kwargs["period"])
        return Worksheet.objects.filter(period_start=p.start, period_end=p.end).order_by("-version")
