"""Unit staffing over API v1: read as core serves it; ``POST`` records one, as the enforcement
inputs page does (``enforcement_inputs.edit``, its form, ``unit_staffing_record``, its audit)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from ceasefire.core import permissions
from ceasefire.core.api import contacts
from ceasefire.core.api.base import page_form_data

from .. import forms, services


class StaffingInput(serializers.Serializer):
    unit = serializers.IntegerField(min_value=1)
    recorded_on = serializers.DateField()
    authorised = serializers.IntegerField(min_value=1, max_value=10_000)
    filled = serializers.IntegerField(min_value=0, max_value=10_000)


class StaffingViewSet(mixins.CreateModelMixin, contacts.StaffingViewSet):
    @extend_schema(request=StaffingInput, responses={201: contacts.StaffingSerializer})
    def create(self, request, *args, **kwargs):
        permissions.require_capability(request.user, "enforcement_inputs.edit")
        data = page_form_data(request, forms.StaffingForm)
        record = services.unit_staffing_record(user=request.user, **data)
        fresh = self.get_queryset().get(pk=record.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)
