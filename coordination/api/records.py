"""Partners' records over API v1: the reads are core's (``ceasefire.core.api.contacts``); the
writes are the pages', through the pages' forms and services.

- ``POST call-ins``: the call-ins page (``call_ins.record``; attendees among the candidates);
- ``POST notifications``, ``enrolments``, ``service-contacts``: a follow-up's page — the body
  names the follow-up (``task``), whose subject the record is about (``can_record_contact``);
- ``PATCH enrolments/{id}``: the caseload's exit (``get_enrolment_for_user(write=True)``).

Refusals are the pages': the forms' messages and the services' field by field (400), 403/404
from the permission helpers; each write is the service's audit event.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.response import Response

from ceasefire.core import permissions
from ceasefire.core.api import contacts, work
from ceasefire.core.api.base import expected_version, id_in_body, page_form_data
from ceasefire.core.models import CustomNotification, Enrolment, Meeting, Person, Task

from .. import forms, selectors, services

# --- Input bodies (the schema's; the pages' forms validate them) ----------------------------------


class CallInInput(serializers.Serializer):
    held_on = serializers.DateField()
    location = serializers.CharField(required=False, allow_blank=True, max_length=200)
    attendees = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class _FollowupRecordInput(serializers.Serializer):
    task = serializers.IntegerField(min_value=1, help_text="The follow-up the record is about.")


class NotificationInput(_FollowupRecordInput):
    delivered_on = serializers.DateField()
    delivered_by = serializers.CharField(max_length=200)
    outcome = serializers.ChoiceField(choices=CustomNotification.Outcome.choices)
    help_accepted = serializers.BooleanField(required=False)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class EnrolmentInput(_FollowupRecordInput):
    provider = serializers.IntegerField(min_value=1)
    referral_source = serializers.ChoiceField(choices=Enrolment.ReferralSource.choices)
    started_on = serializers.DateField()


class EnrolmentExitInput(serializers.Serializer):
    ended_on = serializers.DateField()
    exit_reason = serializers.CharField(required=False, allow_blank=True, max_length=200)


class ServiceContactInput(_FollowupRecordInput):
    contacted_on = serializers.DateField()
    kind = serializers.ChoiceField(choices=Task.Kind.choices)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=2000)


def _followup_person(request) -> tuple[Task, Person]:
    """The follow-up named in the body and its subject, as the follow-up's page finds them."""
    permissions.require_capability(request.user, "contacts.record")
    permissions.require_capability(request.user, "followups.view")
    task = permissions.get_task_for_user(request.user, id_in_body(request, "task"))
    person = task.subject_person
    if person is None or not permissions.can_record_contact(request.user, person):
        raise PermissionDenied
    return task, person


class _Created:
    """A write answered like a read: the new record as the list shows it, 201."""

    def _created(self, record) -> Response:
        fresh = self.get_queryset().get(pk=record.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)


# --- Viewsets -------------------------------------------------------------------------------------


class CallInViewSet(_Created, mixins.CreateModelMixin, contacts.CallInViewSet):
    @extend_schema(request=CallInInput, responses={201: contacts.CallInSerializer})
    def create(self, request, *args, **kwargs):
        user = request.user
        permissions.require_capability(user, "call_ins.record")
        candidates = selectors.call_in_candidates(permissions.people_visible_to(user))
        data = page_form_data(request, forms.CallInForm, candidates=candidates)
        return self._created(services.call_in_record(user=user, **data))


class NotificationViewSet(_Created, mixins.CreateModelMixin, contacts.NotificationViewSet):
    @extend_schema(request=NotificationInput, responses={201: contacts.NotificationSerializer})
    def create(self, request, *args, **kwargs):
        task, person = _followup_person(request)
        data = page_form_data(request, forms.CustomNotificationForm)
        record = services.custom_notification_record(
            user=request.user, person=person, task=task, **data
        )
        return self._created(record)


class EnrolmentViewSet(
    _Created, mixins.CreateModelMixin, mixins.UpdateModelMixin, contacts.EnrolmentViewSet
):
    http_method_names = ["get", "post", "patch", "head", "options"]

    @extend_schema(request=EnrolmentInput, responses={201: contacts.EnrolmentSerializer})
    def create(self, request, *args, **kwargs):
        _task, person = _followup_person(request)
        data = page_form_data(request, forms.EnrolmentForm, user=request.user)
        return self._created(services.enrolment_start(user=request.user, person=person, **data))

    @extend_schema(request=EnrolmentExitInput, responses=contacts.EnrolmentSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Record the exit (the caseload's form)."""
        permissions.require_capability(request.user, "contacts.record")
        enrolment = permissions.get_enrolment_for_user(request.user, kwargs["pk"], write=True)
        data = page_form_data(request, forms.EnrolmentExitForm)
        services.enrolment_exit(enrolment=enrolment, user=request.user, **data)
        fresh = self.get_queryset().get(pk=enrolment.pk)
        return Response(self.get_serializer(fresh).data)


class ServiceContactViewSet(_Created, mixins.CreateModelMixin, contacts.ServiceContactViewSet):
    @extend_schema(request=ServiceContactInput, responses={201: contacts.ServiceContactSerializer})
    def create(self, request, *args, **kwargs):
        task, person = _followup_person(request)
        data = page_form_data(request, forms.ServiceContactForm)
        record = services.service_contact_record(
            user=request.user, person=person, task=task, **data
        )
        return self._created(record)


# --- Coordination meetings: attendance ------------------------------------------------------------


class AttendanceInput(serializers.Serializer):
    version = serializers.IntegerField(min_value=0, required=False)
    organisations = serializers.ListField(child=serializers.IntegerField(min_value=1))
    risk_alignment = serializers.BooleanField(required=False)


class MeetingViewSet(mixins.UpdateModelMixin, work.MeetingViewSet):
    """Meetings as core reads them; ``PATCH`` sets a coordination meeting's attendance, as its
    page does (``get_meeting_for_user(write=True)``, open meetings only, ``version`` or
    ``If-Match``: a stale one is 409 with the current version)."""

    http_method_names = ["get", "patch", "head", "options"]

    @extend_schema(request=AttendanceInput, responses=work.MeetingDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        meeting = permissions.get_meeting_for_user(
            request.user, kwargs["pk"], kind=Meeting.Kind.COORDINATION, write=True
        )
        if meeting.is_closed:
            raise PermissionDenied("This meeting is closed.")
        body = request.data if isinstance(request.data, Mapping) else {}
        version = expected_version(request, body.get("version"))
        body = body.copy() if hasattr(body, "getlist") else dict(body)  # a form keeps its lists
        body["version"] = version
        data = page_form_data(request, forms.AttendanceForm, data=body)
        fields = {k: v for k, v in data.items() if k != "version"}
        services.meeting_attendance_set(
            meeting=meeting, user=request.user, expected_version=data["version"], **fields
        )
        self.action = "retrieve"
        fresh = self.get_queryset().get(pk=meeting.pk)
        return Response(self.get_serializer(fresh).data)
