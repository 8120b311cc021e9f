"""Incidents with their involvements over API v1: the shooting log's selectors and services.

Police only (``incidents.view``); the narrative (intelligence) is absent for anyone
``can_view_narrative`` refuses. Creating goes through ``incident_create`` (facilitators).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from ceasefire.core import permissions
from ceasefire.core.api.base import V1Mixin
from ceasefire.core.api.serializers import RefSerializer, RestrictedFieldsMixin
from ceasefire.core.audit import audit_view
from ceasefire.core.models import Incident, Involvement

from .. import selectors
from ..filters import IncidentFilter
from ..services import incident_create


class InvolvementSerializer(serializers.ModelSerializer):
    person = RefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Involvement
        fields = ["id", "role", "injury", "person"]


class IncidentSerializer(RestrictedFieldsMixin, serializers.ModelSerializer):
    kind = serializers.CharField(source="kind_code", read_only=True)
    fatal_victims = serializers.IntegerField(read_only=True)
    nonfatal_victims = serializers.IntegerField(read_only=True)
    conflict = RefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Incident
        fields = [
            "id",
            "case_number",
            "occurred_at",
            "address",
            "area",
            "beat",
            "weapon",
            "kind",
            "circumstance",
            "group_involved",
            "counting_status",
            "counting_reason",
            "fatal_victims",
            "nonfatal_victims",
            "conflict",
            "version",
            "narrative",
        ]
        restricted_fields = ("narrative",)


class IncidentDetailSerializer(IncidentSerializer):
    involvements = InvolvementSerializer(many=True, read_only=True)
    groups = RefSerializer(many=True, read_only=True)

    class Meta(IncidentSerializer.Meta):
        fields = [*IncidentSerializer.Meta.fields, "groups", "involvements"]


EARLIEST_YEAR = 1950  # before standard time zones the local offset is odd (LMT, -07:52:58)


class IncidentCreateInput(serializers.Serializer):
    case_number = serializers.CharField(max_length=40)
    occurred_at = serializers.DateTimeField()
    address = serializers.CharField(max_length=300)
    area = serializers.CharField(max_length=100)
    beat = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    weapon = serializers.ChoiceField(choices=Incident.Weapon.choices)
    circumstance = serializers.ChoiceField(choices=Incident.Circumstance.choices, required=False)
    group_involved = serializers.ChoiceField(choices=Incident.GroupInvolved.choices, required=False)
    narrative = serializers.CharField(required=False, allow_blank=True, default="")
    fatal_victims = serializers.IntegerField(min_value=0, max_value=50, default=0)
    nonfatal_victims = serializers.IntegerField(min_value=0, max_value=50, default=0)

    def validate_occurred_at(self, value):
        if value.year < EARLIEST_YEAR:
            raise serializers.ValidationError(f"The log starts in {EARLIEST_YEAR}.")
        return value


class IncidentViewSet(V1Mixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The shooting log: ``?q=`` (case, address, names), ``date_from``/``date_to``, ``kind``…"""

    filterset_class = IncidentFilter
    ordering_fields = ["occurred_at", "id"]
    ordering = ["-occurred_at", "-id"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        permissions.require_capability(request.user, "incidents.view")

    def get_serializer_class(self):
        if self.action == "create":
            return IncidentCreateInput
        return IncidentDetailSerializer if self.action == "retrieve" else IncidentSerializer

    def get_queryset(self):
        incidents = selectors.incidents_annotated(
            permissions.incidents_visible_to(self.request.user)
        )
        if self.action == "retrieve":
            incidents = incidents.prefetch_related("involvements__person", "groups")
        return incidents

    def get_serializer_context(self):
        may_see = permissions.can_view_narrative(self.request.user)
        return {**super().get_serializer_context(), "may_see": lambda incident: may_see}

    def retrieve(self, request, *args, **kwargs):
        incident = self.get_object()
        people = [i.person_id for i in incident.involvements.all() if i.person_id]
        audit_view(request, obj=incident, api="v1", people=people)
        return Response(self.get_serializer(incident).data)

    @extend_schema(request=IncidentCreateInput, responses={201: IncidentDetailSerializer})
    def create(self, request, *args, **kwargs):
        permissions.require_capability(request.user, "incidents.edit")
        payload = IncidentCreateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        facts = dict(payload.validated_data)
        fatal, nonfatal = facts.pop("fatal_victims"), facts.pop("nonfatal_victims")
        incident = incident_create(
            user=request.user, facts=facts, fatal_victims=fatal, nonfatal_victims=nonfatal
        )
        self.action = "retrieve"
        fresh = self.get_queryset().get(pk=incident.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)
