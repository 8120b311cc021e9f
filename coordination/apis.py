"""A small DRF API for partners' follow-ups: the pages' permissions, selectors and services."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from ceasefire.core import permissions
from ceasefire.core.audit import audit_view
from ceasefire.core.concurrency import ConcurrentEditError
from ceasefire.core.models import Task
from ceasefire.core.services import task_update

from . import selectors


class FollowupOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
    status = serializers.CharField()
    due_date = serializers.DateField(allow_null=True)
    overdue = serializers.SerializerMethodField()
    assigned_organisation = serializers.CharField(source="assigned_organisation.name")
    assigned_user = serializers.SerializerMethodField()
    subject = serializers.SerializerMethodField()
    version = serializers.IntegerField()

    def get_overdue(self, task: Task) -> bool:
        return bool(task.due_date and task.is_open and task.due_date < self.context["today"])

    def get_assigned_user(self, task: Task) -> str | None:
        return str(task.assigned_user) if task.assigned_user_id else None

    def get_subject(self, task: Task) -> str:
        return permissions.followup_subject_label(self.context["user"], task)


class FollowupUpdateInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0)
    status = serializers.ChoiceField(choices=Task.Status.choices, required=False)
    note = serializers.CharField(required=False, allow_blank=True, max_length=4000)


def _require_followups(user) -> None:
    if not permissions.has_capability(user, "followups.view"):
        raise PermissionDenied("Your role has no follow-ups.")


def _audit(request, *, obj=None, people: list[int]) -> None:
    object_type = "" if obj is not None else "core.task"
    audit_view(
        request, obj=obj, object_type=object_type, view="follow-ups API", people=sorted(set(people))
    )


class FollowupListApi(APIView):
    """GET: my organisation's open follow-ups and those assigned to me, overdue first (paged)."""

    def get(self, request):
        user = request.user
        _require_followups(user)
        today = timezone.localdate()
        tasks = permissions.with_subject_visibility(
            user, selectors.followups_for(user, permissions.tasks_visible_to(user), today=today)
        )
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(tasks, request, view=self)
        _audit(
            request,
            people=[t.subject_person_id for t in page if t.subject_person_id and t.subject_visible],
        )
        data = FollowupOutputSerializer(
            page, many=True, context={"user": user, "today": today}
        ).data
        return paginator.get_paginated_response(data)


class FollowupDetailApi(APIView):
    """GET one follow-up; PATCH (or POST) {version, status?, note?} updates it with a dated note."""

    def _task(self, request, pk, *, write: bool = False) -> Task:
        _require_followups(request.user)
        try:
            task = permissions.get_task_for_user(request.user, pk, write=write)
        except DjangoPermissionDenied:
            raise PermissionDenied("You may not change this follow-up.") from None
        return permissions.with_subject_visibility(
            request.user,
            Task.objects.filter(pk=task.pk).select_related(
                "assigned_organisation", "assigned_user", "subject_person"
            ),
        ).get()

    def _out(self, request, task: Task) -> dict:
        return FollowupOutputSerializer(
            task, context={"user": request.user, "today": timezone.localdate()}
        ).data

    def get(self, request, pk: int):
        task = self._task(request, pk)
        _audit(
            request,
            obj=task,
            people=[task.subject_person_id]
            if task.subject_person_id and task.subject_visible
            else [],
        )
        return Response(self._out(request, task))

    def patch(self, request, pk: int):
        task = self._task(request, pk, write=True)
        payload = FollowupUpdateInputSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = payload.validated_data
        try:
            task_update(
                task=task,
                user=request.user,
                expected_version=data["version"],
                status=data.get("status"),
                note=data.get("note", ""),
            )
        except ConcurrentEditError as exc:
            return Response({"detail": exc.message}, status=status.HTTP_409_CONFLICT)
        except ValidationError as exc:
            body = (
                exc.message_dict
                if hasattr(exc, "error_dict")
                else {"non_field_errors": exc.messages}
            )
            return Response(body, status=status.HTTP_400_BAD_REQUEST)
        return Response(self._out(request, self._task(request, pk)))

    post = patch
