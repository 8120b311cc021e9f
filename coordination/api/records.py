"""Partners' records over API v1: the reads are core's (``ceasefire.core.api.contacts``); the
writes are the pages', through the pages' forms and services.

- ``POST call-ins``: the call-ins page (``call_ins.record``; attendees among the candidates);
- ``POST notifications``, ``enrolments``, ``service-contacts``: a follow-up's page — the body
  names the follow-up (``task``), whose subject the record is about (``can_record_contact``);
- ``PATCH enrolments/{id}``: the caseload's exit (``get_enrolment_for_user(write=True)``);
- ``PATCH meetings/{id}`` of a coordination meeting: its attendance or its minutes (the
  meeting page's two forms and services), registered in core's ``MEETING_WRITERS``.

Refusals are the pages': the forms' messages and the services' field by field (400), 403/404
from the permission helpers; each write is the service's audit event.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from ceasefire.core import permissions
from ceasefire.core.api import contacts, work
from ceasefire.core.api.base import (
    id_in_body,
    page_form_data,
    versioned_body,
)
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


# --- Coordination meetings: attendance, minutes -------------------------------------------------

ATTENDANCE_FIELDS = ("organisations", "attending_organisations", "risk_alignment")


def coordination_meeting_write(request, meeting: Meeting) -> None:
    """A coordination meeting's page has two forms, each its own save (and version): the
    attendance (``organisations``, ``risk_alignment``) and the minutes (``minutes``). A body
    names the fields of one of them; a field left out keeps its value."""
    body = request.data if isinstance(request.data, Mapping) else {}
    if "minutes" in body:
        if any(name in body for name in ATTENDANCE_FIELDS):
            raise ValidationError(
                {"minutes": ["Save the minutes and the attendance in two requests."]}
            )
        data = page_form_data(
            request,
            forms.MinutesForm,
            data=versioned_body(request, body, {"minutes": meeting.minutes}),
        )
        services.meeting_minutes_save(
            meeting=meeting,
            user=request.user,
            expected_version=data["version"],
            minutes=data["minutes"],
        )
        return
    if "organisations" not in body and "attending_organisations" in body:
        body = body.copy()  # a form's QueryDict keeps its lists
        if hasattr(body, "setlist"):
            body.setlist("organisations", body.getlist("attending_organisations"))
        else:
            body["organisations"] = body["attending_organisations"]
    current = {
        "organisations": list(meeting.attending_organisations.values_list("pk", flat=True)),
        "risk_alignment": meeting.risk_alignment,
    }
    data = page_form_data(
        request, forms.AttendanceForm, data=versioned_body(request, body, current)
    )
    services.meeting_attendance_set(
        meeting=meeting,
        user=request.user,
        expected_version=data["version"],
        organisations=data["organisations"],
        risk_alignment=data["risk_alignment"],
    )


work.MEETING_WRITERS[Meeting.Kind.COORDINATION] = coordination_meeting_write
