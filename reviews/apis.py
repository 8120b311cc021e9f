"""The old read API of the shooting log and reviews (/reviews/api/...), kept for one release.

The incident endpoints are aliases of API v1's ``IncidentViewSet`` (its capability check,
scoping, filters and audit) with the old sign-in, page numbers, error body (``OldApiAlias``) and
field shapes. The review list is an alias of v1's ``meetings`` list (fixed to shooting reviews);
one review's agenda (shootings, decisions, new tasks) has no v1 twin and its view stays here.
Same permissions and selectors as the HTML pages; narratives only for who may read intelligence.
"""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from ceasefire.core import permissions
from ceasefire.core.api import work
from ceasefire.core.api.base import OldApiAlias
from ceasefire.core.audit import audit_view
from ceasefire.core.models import Involvement, Meeting
from ceasefire.core.pagination import IndexedPaginator

from . import selectors
from .api.incidents import IncidentViewSet


class IncidentListOutput(serializers.Serializer):
    id = serializers.IntegerField()
    case_number = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    address = serializers.CharField()
    area = serializers.CharField()
    beat = serializers.CharField()
    weapon = serializers.CharField()
    kind = serializers.CharField(source="kind_code")
    circumstance = serializers.CharField()
    group_involved = serializers.CharField()
    counting_status = serializers.CharField()
    counting_reason = serializers.CharField()
    fatal_victims = serializers.IntegerField(source="fatal_count")
    nonfatal_victims = serializers.IntegerField(source="nonfatal_count")
    conflict = serializers.SerializerMethodField()

    def get_conflict(self, obj):
        return {"id": obj.conflict_id, "label": str(obj.conflict)} if obj.conflict_id else None


class PersonRefOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")


class InvolvementOutput(serializers.Serializer):
    role = serializers.CharField()
    injury = serializers.CharField()
    person = PersonRefOutput(allow_null=True)


class IncidentDetailOutput(IncidentListOutput):
    fatal_victims = serializers.SerializerMethodField()
    nonfatal_victims = serializers.SerializerMethodField()
    groups = serializers.SerializerMethodField()
    involvements = InvolvementOutput(many=True, source="involvements.all")
    related_incidents = serializers.SerializerMethodField()

    def _victims(self, obj, injury):
        return sum(
            1
            for i in obj.involvements.all()
            if i.role == Involvement.Role.VICTIM and i.injury == injury
        )

    def get_fatal_victims(self, obj):
        return self._victims(obj, Involvement.Injury.FATAL)

    def get_nonfatal_victims(self, obj):
        return self._victims(obj, Involvement.Injury.NONFATAL)

    def get_groups(self, obj):
        return [{"id": g.pk, "name": g.name} for g in obj.groups.all()]

    def get_related_incidents(self, obj):
        return [{"id": i.pk, "case_number": i.case_number} for i in obj.related_incidents.all()]


class IncidentIntelligenceOutput(IncidentDetailOutput):
    narrative = serializers.CharField()


class IndexedPageNumberPagination(OldApiAlias.pagination_class):
    """The old endpoint's numbered pages, with deep pages as cheap as the first (issue 14)."""

    django_paginator_class = IndexedPaginator


class IncidentApi(OldApiAlias, IncidentViewSet):
    """``/reviews/api/incidents/`` (list) and ``/reviews/api/incidents/<pk>/`` (one incident)."""

    pagination_class = IndexedPageNumberPagination

    def get_serializer_class(self):
        if self.action != "retrieve":
            return IncidentListOutput
        if permissions.can_view_narrative(self.request.user):
            return IncidentIntelligenceOutput
        return IncidentDetailOutput

    def get_object(self):
        """One incident with everything the old detail shows (``selectors.incident_detail``)."""
        user = self.request.user
        incident = permissions.get_incident_for_user(user, self.kwargs["pk"])
        return selectors.incident_detail(permissions.incidents_visible_to(user), incident.pk)


IncidentListApi = IncidentApi.as_view({"get": "list"})
IncidentDetailApi = IncidentApi.as_view({"get": "retrieve"})


class ReviewListOutput(serializers.Serializer):
    id = serializers.IntegerField()
    date = serializers.DateField()
    window_start = serializers.DateTimeField()
    window_end = serializers.DateTimeField()
    state = serializers.CharField()
    incident_count = serializers.IntegerField()
    task_count = serializers.IntegerField()


class ReviewApi(OldApiAlias, work.MeetingViewSet):
    """``/reviews/api/reviews/``: an alias of v1's ``meetings`` list (its filters and ordering)
    fixed to shooting reviews, behind the old capability check, with the old fields (the
    agenda's shooting and task counts, ``selectors.reviews_list``)."""

    def get_serializer_class(self):
        return ReviewListOutput

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        permissions.require_capability(request.user, "shooting_reviews.view")

    def get_queryset(self):
        return selectors.reviews_list(
            permissions.meetings_visible_to(self.request.user, Meeting.Kind.SHOOTING_REVIEW)
        )


ReviewListApi = ReviewApi.as_view({"get": "list"})


class AtRiskOutput(serializers.Serializer):
    person = PersonRefOutput()
    reason = serializers.CharField(source="decision.reason")
    decision = serializers.CharField(source="decision.decision")


class ShootingOutput(serializers.Serializer):
    incident = serializers.SerializerMethodField()
    circumstance = serializers.CharField(source="incident.circumstance")
    group_involved = serializers.CharField(source="incident.group_involved")
    groups = serializers.SerializerMethodField()
    conflict = serializers.SerializerMethodField()
    motive = serializers.CharField()
    retaliation = serializers.CharField()
    at_imminent_risk = serializers.SerializerMethodField()

    def get_incident(self, entry):
        incident = entry.incident
        return {"id": incident.pk, "case_number": incident.case_number, "kind": incident.kind}

    def get_groups(self, entry):
        return [g.name for g in entry.incident.groups.all()]

    def get_conflict(self, entry):
        return str(entry.incident.conflict) if entry.incident.conflict_id else None

    def get_at_imminent_risk(self, entry):
        return AtRiskOutput(entry.decided, many=True).data


class DesignationDecisionOutput(serializers.Serializer):
    person = PersonRefOutput()
    action = serializers.CharField()
    basis = serializers.CharField()


class NewTaskOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    kind = serializers.CharField()
    owner = serializers.CharField(source="assigned_organisation")
    due_date = serializers.DateField(allow_null=True)
    status = serializers.CharField()
    subject = serializers.SerializerMethodField()

    def get_subject(self, task):
        return permissions.task_subject_label(self.context["user"], task)


class FollowUpChoiceOutput(serializers.Serializer):
    person = PersonRefOutput()
    risk_assessment = serializers.CharField()
    recommended_interventions = serializers.ListField(child=serializers.CharField())


class ReviewDetailApi(APIView):
    """One review's agenda. Its shootings are paginated (``?page=``); the rest is small."""

    def get(self, request, pk: int):
        user = request.user
        review = permissions.get_review_for_user(user, pk)
        agenda = selectors.review_agenda(review, tasks=permissions.tasks_visible_to(user))
        paginator = PageNumberPagination()
        entries = paginator.paginate_queryset(agenda["entries"], request, view=self)
        audit_view(request, obj=review, api=True, people=selectors.review_people_ids(agenda))
        shootings = paginator.get_paginated_response(ShootingOutput(entries, many=True).data)
        return Response(
            {
                "id": review.pk,
                "date": review.date,
                "window_start": review.window_start,
                "window_end": review.window_end,
                "state": review.state,
                "shootings": shootings.data,
                "designation_decisions": DesignationDecisionOutput(
                    agenda["designation_decisions"], many=True
                ).data,
                "new_tasks": NewTaskOutput(
                    agenda["new_tasks"], many=True, context={"user": user}
                ).data,
                "followups": FollowUpChoiceOutput(agenda["followups"], many=True).data,
            }
        )
