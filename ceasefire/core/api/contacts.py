"""Contact and intervention records over API v1, each scoped by ``permissions``.

Call-ins (dates, places, head counts), custom notifications, enrolments, service contacts,
enforcement actions (police only) and unit staffing. A list that names people audits their ids.
"""

from __future__ import annotations

import django_filters
from django.db.models import Count
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.response import Response

from .. import permissions
from ..audit import audit_view
from ..forms import EnforcementActionCorrectForm, EnforcementActionSubjectForm
from ..models import (
    CallIn,
    CustomNotification,
    EnforcementAction,
    Enrolment,
    ServiceContact,
    UnitStaffing,
)
from ..record_services import enforcement_action_correct, enforcement_action_record
from .base import IdFilter, V1Mixin, body_fields, page_form_data, versioned_body
from .serializers import RefSerializer


def _date_filter(model, field: str, **extra):
    """A FilterSet with ``<field>_from``/``<field>_to`` date bounds (and ``extra`` filters)."""
    attrs = {
        "date_from": django_filters.DateFilter(field_name=field, lookup_expr="gte"),
        "date_to": django_filters.DateFilter(field_name=field, lookup_expr="lte"),
        **extra,
        "Meta": type("Meta", (), {"model": model, "fields": []}),
    }
    return type(f"{model.__name__}Filter", (django_filters.FilterSet,), attrs)


class _PeopleAudited(V1Mixin, viewsets.ReadOnlyModelViewSet):
    """A read-only list of records about people: each page's people are an audit event."""

    ordering_fields = ["id"]

    def _audit(self, request, rows) -> None:
        people = sorted({row["person"]["id"] for row in rows if row.get("person")})
        model = self.get_queryset().model._meta.label_lower
        audit_view(request, object_type=model, api="v1", people=people)

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        self._audit(request, response.data["results"])
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        self._audit(request, [response.data])
        return response


class CallInSerializer(serializers.ModelSerializer):
    attendee_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = CallIn
        fields = ["id", "held_on", "location", "attendee_count"]


class CallInViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    """Call-ins held (no attendee names): those who record call-ins."""

    serializer_class = CallInSerializer
    filterset_class = _date_filter(CallIn, "held_on")
    ordering_fields = ["id", "held_on"]

    def get_queryset(self):
        return permissions.call_ins_visible_to(self.request.user).annotate(
            attendee_count=Count("attendees")
        )


class NotificationSerializer(serializers.ModelSerializer):
    person = RefSerializer(read_only=True)
    delivering_organisation = RefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = CustomNotification
        fields = [
            "id",
            "person",
            "delivered_on",
            "delivered_by",
            "delivering_organisation",
            "outcome",
            "help_accepted",
            "task",
        ]


class NotificationViewSet(_PeopleAudited):
    serializer_class = NotificationSerializer
    filterset_class = _date_filter(
        CustomNotification,
        "delivered_on",
        outcome=django_filters.ChoiceFilter(choices=CustomNotification.Outcome.choices),
    )
    ordering_fields = ["id", "delivered_on"]

    def get_queryset(self):
        return permissions.notifications_visible_to(self.request.user).select_related(
            "person", "delivering_organisation"
        )


class EnrolmentSerializer(serializers.ModelSerializer):
    person = RefSerializer(read_only=True)
    provider = RefSerializer(read_only=True)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "person",
            "provider",
            "referral_source",
            "started_on",
            "ended_on",
            "exit_reason",
        ]


class EnrolmentViewSet(_PeopleAudited):
    """Enrolments (the caseload): police the whole city's, partners their organisation's."""

    serializer_class = EnrolmentSerializer
    filterset_class = _date_filter(
        Enrolment,
        "started_on",
        active=django_filters.BooleanFilter(field_name="ended_on", lookup_expr="isnull"),
        organisation=IdFilter(field_name="provider_id"),
    )
    ordering_fields = ["id", "started_on"]

    def get_queryset(self):
        return permissions.enrolments_visible_to(self.request.user).select_related(
            "person", "provider"
        )


class ServiceContactSerializer(serializers.ModelSerializer):
    person = RefSerializer(read_only=True)
    organisation = RefSerializer(read_only=True)

    class Meta:
        model = ServiceContact
        fields = ["id", "person", "organisation", "contacted_on", "kind", "task"]


class ServiceContactViewSet(_PeopleAudited):
    serializer_class = ServiceContactSerializer
    filterset_class = _date_filter(
        ServiceContact,
        "contacted_on",
        organisation=IdFilter(field_name="organisation_id"),
    )
    ordering_fields = ["id", "contacted_on"]

    def get_queryset(self):
        return permissions.service_contacts_visible_to(self.request.user).select_related(
            "person", "organisation"
        )


class EnforcementActionSerializer(serializers.ModelSerializer):
    person = RefSerializer(read_only=True, allow_null=True)
    group = RefSerializer(read_only=True, allow_null=True)
    unit = RefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = EnforcementAction
        fields = ["id", "person", "group", "unit", "taken_on", "kind", "version"]


class EnforcementActionInput(serializers.Serializer):
    person = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    group = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    unit = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    taken_on = serializers.DateField()
    kind = serializers.ChoiceField(choices=EnforcementAction.Kind.choices)
    notes = serializers.CharField(required=False, allow_blank=True)


class EnforcementActionPatch(EnforcementActionInput):
    version = serializers.IntegerField(
        min_value=0, required=False, help_text="The version you read (or send If-Match)."
    )
    taken_on = serializers.DateField(required=False)
    kind = serializers.ChoiceField(choices=EnforcementAction.Kind.choices, required=False)


class EnforcementActionViewSet(_PeopleAudited):
    """Enforcement actions: the police only. ``POST`` records one against a person or a group
    and ``PATCH`` corrects it, as the person and group pages do (``enforcement_actions.record``,
    their forms, ``enforcement_action_record``/``_correct`` and their audit events); a correction
    sends the version read (or ``If-Match``): 409 with the current version when stale."""

    http_method_names = ["get", "post", "patch", "head", "options"]

    def _written(self, action, created: bool = False) -> Response:
        fresh = self.get_queryset().get(pk=action.pk)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(EnforcementActionSerializer(fresh).data, status=code)

    @extend_schema(request=EnforcementActionInput, responses={201: EnforcementActionSerializer})
    def create(self, request, *args, **kwargs):
        permissions.require_capability(request.user, "enforcement_actions.record")
        data = page_form_data(request, EnforcementActionSubjectForm)
        return self._written(enforcement_action_record(user=request.user, **data), created=True)

    @extend_schema(request=EnforcementActionPatch, responses=EnforcementActionSerializer)
    def partial_update(self, request, *args, **kwargs):
        action = self.get_object()
        permissions.require_capability(request.user, "enforcement_actions.record")
        current = {
            "person": action.person_id,
            "group": action.group_id,
            "unit": action.unit_id,
            "taken_on": action.taken_on,
            "kind": action.kind,
            "notes": action.notes,
        }
        body = body_fields(request)
        data = page_form_data(
            request, EnforcementActionCorrectForm, data=versioned_body(request, body, current)
        )
        changes = {name: data[name] for name in current if name in body}
        corrected = enforcement_action_correct(
            action=action, user=request.user, expected_version=data["version"], changes=changes
        )
        return self._written(corrected)

    serializer_class = EnforcementActionSerializer
    filterset_class = _date_filter(
        EnforcementAction,
        "taken_on",
        kind=django_filters.ChoiceFilter(choices=EnforcementAction.Kind.choices),
    )
    ordering_fields = ["id", "taken_on"]

    def get_queryset(self):
        return permissions.enforcement_actions_visible_to(self.request.user).select_related(
            "person", "group", "unit"
        )


class StaffingSerializer(serializers.ModelSerializer):
    unit = RefSerializer(read_only=True)

    class Meta:
        model = UnitStaffing
        fields = ["id", "unit", "recorded_on", "authorised", "filled"]


class StaffingViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    """Unit staffing (an aggregate): the police and the worksheet's readers."""

    serializer_class = StaffingSerializer
    filterset_class = _date_filter(UnitStaffing, "recorded_on")
    ordering_fields = ["id", "recorded_on"]

    def get_queryset(self):
        return permissions.staffing_visible_to(self.request.user).select_related("unit")
