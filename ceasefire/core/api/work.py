"""Meetings (agenda items, attendance, minutes) and tasks (with their updates) over API v1.

Meetings are the ones ``meetings_visible_to`` allows; tasks the ones ``tasks_visible_to`` allows,
their subject named only where ``with_subject_visibility`` says the user may read it. A task is
changed through ``task_update``: a stale version is refused with 409 and the current version.

A meeting is changed (``PATCH``) by the app that owns its kind: each registers its writer in
``MEETING_WRITERS`` (``coordination/api/``, ``performance/api/``), core imports no meeting app.
"""

from __future__ import annotations

from collections.abc import Callable

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, serializers, viewsets
from rest_framework.response import Response

from .. import permissions
from ..audit import audit_view
from ..models import AgendaItem, Meeting, Task, TaskUpdate
from ..services import task_update
from .base import IdFilter, V1Mixin, expected_version
from .serializers import RefSerializer, VersionedInput


class AgendaItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["id", "section", "order", "title", "notes", "is_risk_alignment"]


class MeetingSerializer(serializers.ModelSerializer):
    attending_organisations = RefSerializer(many=True, read_only=True)
    task_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Meeting
        fields = [
            "id",
            "kind",
            "date",
            "state",
            "window_start",
            "window_end",
            "period_start",
            "period_end",
            "risk_alignment",
            "attending_organisations",
            "task_count",
            "closed_at",
            "version",
        ]


class MeetingDetailSerializer(MeetingSerializer):
    agenda_items = AgendaItemSerializer(many=True, read_only=True)
    attendees = RefSerializer(many=True, read_only=True)

    class Meta(MeetingSerializer.Meta):
        fields = [*MeetingSerializer.Meta.fields, "minutes", "attendees", "agenda_items"]


class MeetingFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Meeting.Kind.choices)
    state = django_filters.ChoiceFilter(choices=Meeting.State.choices)
    date_from = django_filters.DateFilter(field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(field_name="date", lookup_expr="lte")

    class Meta:
        model = Meeting
        fields: list[str] = []


# kind -> writer(request, meeting): the owning app validates with its page's form and saves
# through its page's service (it raises; the viewset answers with the fresh meeting).
MEETING_WRITERS: dict[str, Callable] = {}


class MeetingWriteInput(serializers.Serializer):
    """What ``PATCH meetings/{id}`` takes, by kind (fields left out keep their current value).

    Coordination: ``organisations`` + ``risk_alignment`` (attendance), or ``minutes`` alone.
    Performance review: ``minutes``, ``attending_organisations``, ``attendees`` (users).
    Shooting reviews are written through their review page's sections (405 here)."""

    version = serializers.IntegerField(min_value=0, required=False)
    organisations = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False
    )
    risk_alignment = serializers.BooleanField(required=False)
    minutes = serializers.CharField(required=False, allow_blank=True)
    attending_organisations = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False
    )
    attendees = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False)


class MeetingViewSet(V1Mixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """The meetings the user may see, of every kind their role reads; ``PATCH`` changes one as
    its page does (``get_meeting_for_user(write=True)``: the kind's edit capability; open
    meetings only; ``version`` or ``If-Match``: a stale one is 409 with the current version)."""

    filterset_class = MeetingFilter
    ordering_fields = ["id", "date"]
    http_method_names = ["get", "patch", "head", "options"]

    def get_serializer_class(self):
        return MeetingDetailSerializer if self.action == "retrieve" else MeetingSerializer

    def get_queryset(self):
        meetings = (
            permissions.meetings_visible_to(self.request.user)
            .annotate(task_count=Count("tasks", distinct=True))
            .prefetch_related("attending_organisations")
        )
        if self.action == "retrieve":
            meetings = meetings.prefetch_related(
                "attendees", Prefetch("agenda_items", AgendaItem.objects.order_by("order", "id"))
            )
        return meetings

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        audit_view(request, object_type="core.meeting", api="v1", meeting=response.data["id"])
        return response

    @extend_schema(request=MeetingWriteInput, responses=MeetingDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        kind = Meeting.objects.filter(pk=kwargs["pk"]).values_list("kind", flat=True).first()
        # the kind's page refuses as it does: 403 without the kind's capability, 404 unseen
        meeting = permissions.get_meeting_for_user(
            request.user, kwargs["pk"], kind=kind, write=True
        )
        writer = MEETING_WRITERS.get(meeting.kind)
        if writer is None:
            raise exceptions.MethodNotAllowed(
                request.method,
                detail=f"A {meeting.get_kind_display().lower()} is written through its page's "
                "sections, not here.",
            )
        if meeting.is_closed:
            raise PermissionDenied("This meeting is closed.")
        writer(request, meeting)
        self.action = "retrieve"
        fresh = self.get_queryset().get(pk=meeting.pk)
        return Response(self.get_serializer(fresh).data)


class TaskUpdateSerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField()

    class Meta:
        model = TaskUpdate
        fields = ["created_at", "author", "note", "status_from", "status_to"]


class TaskSerializer(serializers.ModelSerializer):
    assigned_organisation = RefSerializer(read_only=True)
    assigned_user = RefSerializer(read_only=True, allow_null=True)
    source_meeting = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    subject = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "title",
            "kind",
            "status",
            "due_date",
            "assigned_organisation",
            "assigned_user",
            "source_meeting",
            "subject",
            "completed_at",
            "version",
        ]

    @extend_schema_field(serializers.CharField())
    def get_subject(self, task: Task) -> str:
        return permissions.followup_subject_label(self.context["request"].user, task)


class TaskDetailSerializer(TaskSerializer):
    updates = TaskUpdateSerializer(many=True, read_only=True)

    class Meta(TaskSerializer.Meta):
        fields = [*TaskSerializer.Meta.fields, "description", "updates"]


class TaskUpdateInput(VersionedInput):
    status = serializers.ChoiceField(choices=Task.Status.choices, required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)
    due_date = serializers.DateField(required=False)


class TaskFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=Task.Status.choices)
    kind = django_filters.ChoiceFilter(choices=Task.Kind.choices)
    organisation = IdFilter(field_name="assigned_organisation_id")
    due_from = django_filters.DateFilter(field_name="due_date", lookup_expr="gte")
    due_to = django_filters.DateFilter(field_name="due_date", lookup_expr="lte")
    meeting_kind = django_filters.ChoiceFilter(
        field_name="source_meeting__kind", choices=Meeting.Kind.choices
    )
    search = django_filters.CharFilter(field_name="title", lookup_expr="icontains")

    class Meta:
        model = Task
        fields: list[str] = []


class TaskViewSet(V1Mixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Tasks (deliverables, follow-ups, commitments) the user may see; PATCH changes one."""

    filterset_class = TaskFilter
    ordering_fields = ["id", "due_date", "status"]
    http_method_names = ["get", "patch", "head", "options"]

    def get_serializer_class(self):
        if self.action == "retrieve":
            return TaskDetailSerializer
        if self.action == "partial_update":
            return TaskUpdateInput
        return TaskSerializer

    def get_queryset(self):
        user = self.request.user
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Task.objects.none()
        tasks = permissions.with_subject_visibility(
            user,
            permissions.tasks_visible_to(user).select_related(
                "assigned_organisation",
                "assigned_user",
                "subject_person",
                "subject_group",
                "subject_conflict__group_a",
                "subject_conflict__group_b",
            ),
        )
        if self.action == "retrieve":
            tasks = tasks.prefetch_related("updates__author")
        return tasks

    def _audit(self, request, rows) -> None:
        ids = [row["id"] for row in rows]
        people = list(
            Task.objects.filter(pk__in=ids, subject_person__isnull=False)
            .filter(pk__in=self.get_queryset().filter(subject_visible=True).values("pk"))
            .values_list("subject_person_id", flat=True)
        )
        if people:
            audit_view(request, object_type="core.task", api="v1", people=sorted(set(people)))

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        self._audit(request, response.data["results"])
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        self._audit(request, [response.data])
        return response

    @extend_schema(request=TaskUpdateInput, responses=TaskDetailSerializer)
    def partial_update(self, request, *args, **kwargs):
        task = permissions.get_task_for_user(request.user, kwargs["pk"], write=True)
        payload = TaskUpdateInput(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        task_update(
            task=task,
            user=request.user,
            expected_version=expected_version(request, data.get("version")),
            status=data.get("status"),
            note=data.get("note", ""),
            due_date=data.get("due_date"),
        )
        self.action = "retrieve"
        fresh = self.get_queryset().get(pk=task.pk)
        return Response(self.get_serializer(fresh).data)
