"""The old follow-ups endpoints (``/coordination/api/followups/``): aliases of API v1's tasks
(``ceasefire.core.api.work.TaskViewSet``: its scoping, subject visibility, ``task_update`` and
audit), kept for one release with the old sign-in, pages, error body (``OldApiAlias``) and
shapes. The list is the follow-ups page's (``followups_for``: mine and my organisation's open
tasks, overdue first); ``POST`` is accepted like ``PATCH``."""

from __future__ import annotations

from django.utils import timezone
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from ceasefire.core import permissions
from ceasefire.core.api.base import OldApiAlias
from ceasefire.core.api.work import TaskViewSet
from ceasefire.core.models import Task

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


class FollowupApi(OldApiAlias, TaskViewSet):
    """GET the list or one follow-up; PATCH (or POST) {version, status?, note?} updates it."""

    http_method_names = ["get", "patch", "post", "head", "options"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not permissions.has_capability(request.user, "followups.view"):
            raise PermissionDenied("Your role has no follow-ups.")

    def get_serializer_class(self):
        if self.action == "partial_update":
            return super().get_serializer_class()
        return FollowupOutputSerializer

    def get_serializer_context(self):
        today = timezone.localdate()
        return {**super().get_serializer_context(), "user": self.request.user, "today": today}

    def get_queryset(self):
        tasks = super().get_queryset()
        if self.action == "list":
            return selectors.followups_for(self.request.user, tasks, today=timezone.localdate())
        return tasks


FollowupListApi = FollowupApi.as_view({"get": "list"})
FollowupDetailApi = FollowupApi.as_view(
    {"get": "retrieve", "patch": "partial_update", "post": "partial_update"}
)
