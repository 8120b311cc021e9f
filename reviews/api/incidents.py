"""Incidents with their involvements over API v1: the shooting log's selectors and services.

Police only (``incidents.view``); the narrative (intelligence) is absent for anyone
``can_view_narrative`` refuses. Creating goes through ``incident_create`` (facilitators). The
incident page's writes, each as the page makes it (its permission helpers, form, service and
audit event):

- ``PATCH incidents/{id}/``: the facts, groups and related incidents (``get_incident_for_user``
  with ``write``, the page's ``IncidentForm`` over the incident's current values,
  ``incident_update``); the version sent or ``If-Match``: 409 with the current one when stale;
- ``POST incidents/{id}/involvements/``: add a victim, suspect, associate or witness (a known
  person, a new one, or an unidentified victim; ``people.edit``, ``InvolvementForm``,
  ``involvement_add``);
- ``POST incidents/{id}/involvements/{involvement}/identify/``: name an unidentified victim (a
  known person or a new one; ``people.edit``, ``IdentifyForm``, ``involvement_identify``);
- ``DELETE incidents/{id}/involvements/{involvement}/``: take someone off (``involvement_remove``).
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from ceasefire.core import permissions
from ceasefire.core.api.base import V1Mixin, body_fields, page_form_data, versioned_body
from ceasefire.core.api.serializers import RefSerializer, RestrictedFieldsMixin
from ceasefire.core.audit import audit_view
from ceasefire.core.models import Incident, Involvement

from .. import forms, selectors, services
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


def _from_earliest_year(value):
    if value.year < EARLIEST_YEAR:
        raise serializers.ValidationError(f"The log starts in {EARLIEST_YEAR}.")
    return value


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
        return _from_earliest_year(value)


class IncidentPatch(serializers.Serializer):
    """The incident page's fields; one left out keeps its value (the page's form checks them)."""

    version = serializers.IntegerField(
        min_value=0, required=False, help_text="The version you read (or send If-Match)."
    )
    case_number = serializers.CharField(required=False)
    occurred_at = serializers.DateTimeField(required=False)
    address = serializers.CharField(required=False)
    area = serializers.CharField(required=False, allow_blank=True)
    beat = serializers.CharField(required=False, allow_blank=True)
    weapon = serializers.ChoiceField(choices=Incident.Weapon.choices, required=False)
    circumstance = serializers.ChoiceField(choices=Incident.Circumstance.choices, required=False)
    group_involved = serializers.ChoiceField(choices=Incident.GroupInvolved.choices, required=False)
    groups = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, help_text="All its groups."
    )
    conflict = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    related_case_numbers = serializers.CharField(
        required=False, allow_blank=True, help_text="Case numbers separated by commas."
    )
    narrative = serializers.CharField(required=False, allow_blank=True, help_text="Police only.")
    counting_status = serializers.ChoiceField(
        choices=Incident.CountingStatus.choices, required=False
    )
    counting_reason = serializers.CharField(
        required=False, allow_blank=True, help_text="Required when held or unfounded."
    )

    def validate_occurred_at(self, value):
        return _from_earliest_year(value)


class NewPersonInput(serializers.Serializer):
    """A person created on the way: both names (and, if known, the date of birth)."""

    first_name = serializers.CharField(required=False, allow_blank=True)
    last_name = serializers.CharField(required=False, allow_blank=True)
    date_of_birth = serializers.DateField(required=False, allow_null=True)


class IdentifyInput(NewPersonInput):
    person = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text="A known person; else a new one."
    )


class InvolvementInput(IdentifyInput):
    role = serializers.ChoiceField(choices=Involvement.Role.choices)
    injury = serializers.ChoiceField(
        choices=Involvement.Injury.choices,
        required=False,
        allow_blank=True,
        help_text="A victim's (required for victims).",
    )
    age_estimate = serializers.IntegerField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True)


def check_types(serializer_class, body: dict) -> None:
    """400 unless each field sent has the type the schema documents: the page's form expects
    text, as a browser sends (a number for a date would crash it), and decides the rest."""
    serializer_class(data=body, partial=True).is_valid(raise_exception=True)


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
        if self.action == "partial_update":
            return IncidentPatch
        if self.action in ("involvements", "involvement_identify"):
            return InvolvementSerializer
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

    @extend_schema(request=IncidentPatch, responses=IncidentDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Change the facts, groups or related incidents, as the incident page does."""
        user = request.user
        incident = permissions.get_incident_for_user(user, kwargs["pk"], write=True)
        body = body_fields(request)
        check_types(IncidentPatch, body)
        current = forms.IncidentForm.initial_for(incident)
        del current["version"]
        data = page_form_data(
            request,
            forms.IncidentForm,
            data=versioned_body(request, body, current),
            incident=incident,
            show_narrative=permissions.can_view_narrative(user),
        )
        services.incident_update(
            incident=incident,
            user=user,
            expected_version=data["version"] or 0,
            facts=forms.IncidentForm.facts_of(data),
            groups=list(data["groups"]),
            related=data["related_case_numbers"],
        )
        self.action = "retrieve"
        return Response(self.get_serializer(self.get_queryset().get(pk=incident.pk)).data)

    @extend_schema(request=InvolvementInput, responses={201: InvolvementSerializer})
    @action(detail=True, methods=["post"])
    def involvements(self, request, pk=None):
        """Add a victim, suspect, associate at risk or witness: a known ``person``, a new one
        (``first_name``, ``last_name``…) or, for a victim, nobody yet (unidentified)."""
        user = request.user
        incident = permissions.get_incident_for_user(user, pk, write=True)
        permissions.require_capability(user, "people.edit")
        body = {k: v for k, v in body_fields(request).items() if k != "person_pick"}
        check_types(InvolvementInput, body)
        data = page_form_data(request, forms.InvolvementForm, data=body)
        involvement = services.involvement_add(
            incident=incident,
            user=user,
            role=data["role"],
            injury=data.get("injury") or "",
            person=data.get("person"),
            new_person=forms.InvolvementForm.new_person_of(data),
            notes=data.get("notes") or "",
        )
        return Response(InvolvementSerializer(involvement).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=IdentifyInput, responses=InvolvementSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path=r"involvements/(?P<involvement_pk>[0-9]{1,18})/identify",
        url_name="involvement-identify",
    )
    def involvement_identify(self, request, pk=None, involvement_pk=None):
        """Name an unidentified victim: a known ``person``, or a new one by name."""
        user = request.user
        incident = permissions.get_incident_for_user(user, pk, write=True)
        permissions.require_capability(user, "people.edit")
        involvement = _involvement(incident, involvement_pk, person__isnull=True)
        body = body_fields(request)
        check_types(IdentifyInput, body)
        data = page_form_data(request, forms.IdentifyForm, data=body)
        services.involvement_identify(
            involvement=involvement, user=user, person=data.get("person"), new_person=data
        )
        return Response(InvolvementSerializer(involvement).data)

    @extend_schema(request=None, responses={204: None})
    @action(
        detail=True,
        methods=["delete"],
        url_path=r"involvements/(?P<involvement_pk>[0-9]{1,18})",
        url_name="involvement",
    )
    def involvement_remove(self, request, pk=None, involvement_pk=None):
        """Take someone off the incident (an unidentified victim too: the counts go down)."""
        user = request.user
        incident = permissions.get_incident_for_user(user, pk, write=True)
        involvement = _involvement(incident, involvement_pk)
        services.involvement_remove(involvement=involvement, user=user)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _involvement(incident: Incident, pk, **lookups) -> Involvement:
    """One of the incident's involvements (as the page's ``get_object_or_404``), else 404."""
    involvement = (
        Involvement.objects.select_related("incident", "person")
        .filter(pk=pk, incident=incident, **lookups)
        .first()
    )
    if involvement is None:
        raise Http404("No such involvement on this incident.")
    return involvement
