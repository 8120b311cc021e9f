"""Benchmarks and worksheet versions over API v1: aggregates only, never a person.

Worksheets: list the stored versions; create queues a generation (``worksheet_request``, 202);
retrieve is the version's frozen snapshot (the README's JSON contract); ``pdf`` downloads its PDF,
an audited export that states its reason (``?reason=``).
"""

from __future__ import annotations

import django_filters
from django.http import FileResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response

from ceasefire.core import permissions
from ceasefire.core.api.base import V1Mixin
from ceasefire.core.models import Benchmark, Indicator, Worksheet

from ..indicators import Period
from ..services import benchmark_set, worksheet_export, worksheet_request


class BenchmarkSerializer(serializers.ModelSerializer):
    class Meta:
        model = Benchmark
        fields = ["id", "indicator", "year", "annual_target", "set_at"]


class BenchmarkInput(serializers.Serializer):
    indicator = serializers.ChoiceField(choices=Indicator.choices)
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    annual_target = serializers.IntegerField(min_value=0, max_value=100000)


class BenchmarkViewSet(V1Mixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Annual targets. POST sets (or changes) one: ``benchmarks.edit``."""

    filterset_fields = ["indicator", "year"]
    ordering_fields = ["id", "year"]

    def get_serializer_class(self):
        return BenchmarkInput if self.action == "create" else BenchmarkSerializer

    def get_queryset(self):
        return permissions.benchmarks_visible_to(self.request.user)

    @extend_schema(request=BenchmarkInput, responses={201: BenchmarkSerializer})
    def create(self, request, *args, **kwargs):
        permissions.require_capability(request.user, "benchmarks.edit")
        payload = BenchmarkInput(data=request.data)
        payload.is_valid(raise_exception=True)
        benchmark = benchmark_set(user=request.user, **payload.validated_data)
        return Response(BenchmarkSerializer(benchmark).data, status=status.HTTP_201_CREATED)


class WorksheetSerializer(serializers.ModelSerializer):
    period = serializers.SerializerMethodField()

    class Meta:
        model = Worksheet
        fields = [
            "id",
            "period",
            "period_start",
            "period_end",
            "version",
            "status",
            "error",
            "requested_at",
            "generated_at",
            "frozen",
        ]

    def get_period(self, worksheet: Worksheet) -> str:
        return Period.from_dates(worksheet.period_start, worksheet.period_end).slug


class WorksheetRequestInput(serializers.Serializer):
    period = serializers.CharField(help_text="Months of one year, e.g. 2017-02..2017-03.")

    def validate_period(self, value: str) -> Period:
        try:
            return Period.parse(value)
        except ValueError as exc:
            raise serializers.ValidationError(str(exc) or "Not a period.") from None


class WorksheetFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Worksheet.Status.choices)
    frozen = django_filters.BooleanFilter()
    period_from = django_filters.DateFilter(field_name="period_start", lookup_expr="gte")
    period_to = django_filters.DateFilter(field_name="period_end", lookup_expr="lte")

    class Meta:
        model = Worksheet
        fields: list[str] = []


REASON = OpenApiParameter(
    "reason", str, required=True, description="Why you download it (recorded in the audit log)."
)


class WorksheetViewSet(V1Mixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Worksheet versions (``worksheet.view``); POST ``{"period"}`` queues a new one."""

    filterset_class = WorksheetFilter
    ordering_fields = ["id", "period_start", "version"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        permissions.require_capability(request.user, "worksheet.view")

    def get_serializer_class(self):
        return WorksheetRequestInput if self.action == "create" else WorksheetSerializer

    def get_queryset(self):
        return Worksheet.objects.all()

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def retrieve(self, request, *args, **kwargs):
        worksheet = permissions.get_worksheet_for_user(request.user, kwargs["pk"])
        return Response(self.snapshot(worksheet))

    @staticmethod
    def snapshot(worksheet: Worksheet) -> dict:
        """A version's frozen snapshot (the README's JSON contract); 404 while it has none."""
        if not worksheet.snapshot:
            raise NotFound("This version has no snapshot yet; its job is " + worksheet.status)
        return worksheet.snapshot

    @extend_schema(request=WorksheetRequestInput, responses={202: WorksheetSerializer})
    def create(self, request, *args, **kwargs):
        permissions.require_capability(request.user, "worksheet.generate")
        payload = WorksheetRequestInput(data=request.data)
        payload.is_valid(raise_exception=True)
        worksheet = worksheet_request(period=payload.validated_data["period"], user=request.user)
        return Response(WorksheetSerializer(worksheet).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(parameters=[REASON], responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        worksheet = permissions.get_worksheet_for_user(request.user, pk)
        reason = request.query_params.get("reason", "").strip()
        if not reason:
            raise ApiValidationError({"reason": ["Say why you download this worksheet."]})
        try:
            handle = worksheet_export(
                worksheet=worksheet, user=request.user, kind="pdf", request=request, reason=reason
            )
        except FileNotFoundError as exc:
            raise NotFound(str(exc)) from None
        name = f"worksheet-{Period.from_dates(worksheet.period_start, worksheet.period_end).slug}"
        return FileResponse(handle, as_attachment=True, filename=f"{name}-v{worksheet.version}.pdf")
