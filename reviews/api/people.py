"""Designations, groups and conflicts over API v1: core's reads, plus the writes their pages make.

- ``POST designations/{id}/renew|lapse|confirm|reject/``: the shooting review's decisions on a
  designation (``{"review": 7, "basis": "…", "criteria": [...]}``), as the review's risk section
  makes them — ``get_review_for_user(write=True)`` (open reviews only), ``designations.edit``,
  the page's ``BasisForm``, the ``review_designation_*`` services and their audit events;
- ``POST groups/{id}/revalidate/``, ``POST conflicts/{id}/revalidate/``: the three-yearly
  re-validation (``groups.edit``), the group and conflict pages' button and service;
- ``POST groups/``, ``PATCH groups/{id}/``: record and edit a group (``groups.edit``, the
  groups pages' ``GroupForm``/``GroupEditForm``, ``group_create``/``group_update``, the version
  sent or ``If-Match``: 409 with the current version when stale);
- ``POST conflicts/``, ``PATCH conflicts/{id}/``: record a conflict and change its status, start
  or description (``groups.edit``, the pages' ``ConflictForm``/``ConflictEditForm``,
  ``conflict_create``/``conflict_update``, the version sent or ``If-Match``: 409 with the current
  version when stale).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from ceasefire.core import permissions
from ceasefire.core.api import people
from ceasefire.core.api.base import body_fields, id_in_body, page_form_data, versioned_body
from ceasefire.core.models import Conflict, RiskDesignation

from .. import forms, selectors, services
from .incidents import check_types


class DesignationDecisionInput(serializers.Serializer):
    review = serializers.IntegerField(min_value=1, help_text="The open shooting review deciding.")
    basis = serializers.CharField(
        required=False, help_text="Why (required but to confirm; a renewal's new basis)."
    )
    criteria = serializers.ListField(
        child=serializers.ChoiceField(choices=RiskDesignation.Criterion.choices),
        required=False,
        help_text="A renewal's criteria.",
    )


class DesignationDecisionOutput(serializers.Serializer):
    decision = serializers.CharField(help_text="renew, lapse, confirm or reject.")
    designation = people.DesignationSerializer(
        help_text="The decided designation (a renewal's new one)."
    )


DECISIONS = {
    "renew": services.review_designation_renew,
    "lapse": services.review_designation_lapse,
    "confirm": services.review_designation_confirm,
    "reject": services.review_designation_reject,
}


class DesignationViewSet(people.DesignationViewSet):
    def _decide(self, request, decision: str) -> Response:
        user = request.user
        review = permissions.get_review_for_user(user, id_in_body(request, "review"), write=True)
        permissions.require_capability(user, "designations.edit")
        designation = self.get_object()
        data = page_form_data(request, _basis_form(decision))
        extra = {}
        if decision == "renew":
            extra = {
                "criteria": data["criteria"],
                "incidents": selectors.review_incidents_involving(review, designation.person),
            }
        made = DECISIONS[decision](
            review=review, user=user, designation=designation, basis=data["basis"], **extra
        )
        fresh = self.get_queryset().get(pk=made.designation_id)
        return Response({"decision": decision, "designation": self.get_serializer(fresh).data})

    @extend_schema(request=DesignationDecisionInput, responses=DesignationDecisionOutput)
    @action(detail=True, methods=["post"])
    def renew(self, request, pk=None):
        """Renew at the review with a new basis (a new designation; this one ends as renewed)."""
        return self._decide(request, "renew")

    @extend_schema(request=DesignationDecisionInput, responses=DesignationDecisionOutput)
    @action(detail=True, methods=["post"])
    def lapse(self, request, pk=None):
        """Let it end (lapse) at the review, saying why."""
        return self._decide(request, "lapse")

    @extend_schema(request=DesignationDecisionInput, responses=DesignationDecisionOutput)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Confirm a pending designation (made outside a review)."""
        return self._decide(request, "confirm")

    @extend_schema(request=DesignationDecisionInput, responses=DesignationDecisionOutput)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject a pending designation, saying why."""
        return self._decide(request, "reject")


def _basis_form(decision: str):
    """The review page's ``BasisForm``; confirming needs no basis (as on the page)."""
    if decision != "confirm":
        return forms.BasisForm

    class ConfirmForm(forms.BasisForm):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["basis"].required = False

    return ConfirmForm


class RevalidatedGroupSerializer(people.GroupSerializer):
    revalidation_due = serializers.DateField(read_only=True)

    class Meta(people.GroupSerializer.Meta):
        fields = [*people.GroupSerializer.Meta.fields, "validated_on", "revalidation_due"]


class RevalidatedConflictSerializer(people.ConflictSerializer):
    revalidation_due = serializers.DateField(read_only=True)

    class Meta(people.ConflictSerializer.Meta):
        fields = [*people.ConflictSerializer.Meta.fields, "validated_on", "revalidation_due"]


class GroupInput(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    area = serializers.CharField(max_length=100, required=False, allow_blank=True)
    active = serializers.BooleanField(required=False, default=True)
    description = serializers.CharField(required=False, allow_blank=True, help_text="Intelligence.")


class GroupPatch(GroupInput):
    version = serializers.IntegerField(
        min_value=0, required=False, help_text="The version you read (or send If-Match)."
    )
    name = serializers.CharField(max_length=200, required=False)
    active = serializers.BooleanField(required=False)


class ConflictInput(serializers.Serializer):
    group_a = serializers.IntegerField(min_value=1)
    group_b = serializers.IntegerField(
        min_value=1, required=False, allow_null=True, help_text="Empty: within one group."
    )
    status = serializers.ChoiceField(choices=Conflict.Status.choices)
    started_on = serializers.DateField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True, help_text="Intelligence.")


class ConflictPatch(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=0, required=False, help_text="The version you read (or send If-Match)."
    )
    status = serializers.ChoiceField(choices=Conflict.Status.choices, required=False)
    started_on = serializers.DateField(required=False, allow_null=True)
    description = serializers.CharField(required=False, allow_blank=True)


class GroupViewSet(people.GroupViewSet):
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _written(self, group, code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=group.pk)
        return Response(
            RevalidatedGroupSerializer(fresh, context=self.get_serializer_context()).data,
            status=code,
        )

    @extend_schema(request=GroupInput, responses={201: RevalidatedGroupSerializer})
    def create(self, request, *args, **kwargs):
        """Record a group, as the groups page does."""
        permissions.require_capability(request.user, "groups.edit")
        data = page_form_data(
            request, forms.GroupForm, data={"active": True, **body_fields(request)}
        )
        group = services.group_create(user=request.user, **data)
        return self._written(group, status.HTTP_201_CREATED)

    @extend_schema(request=GroupPatch, responses=RevalidatedGroupSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Change a group's name, area, active flag or description."""
        group = permissions.get_group_for_user(request.user, kwargs["pk"], write=True)
        body = body_fields(request)
        current = {name: getattr(group, name) for name in services.GROUP_FIELDS}
        data = page_form_data(
            request, forms.GroupEditForm, data=versioned_body(request, body, current)
        )
        changes = {name: data[name] for name in current if name in body}
        group = services.group_update(
            group=group, user=request.user, expected_version=data["version"], changes=changes
        )
        return self._written(group)

    @extend_schema(request=None, responses=RevalidatedGroupSerializer)
    @action(detail=True, methods=["post"], serializer_class=RevalidatedGroupSerializer)
    def revalidate(self, request, pk=None):
        """Confirm the group record accurate today: its next re-validation is three years on."""
        group = permissions.get_group_for_user(request.user, pk, write=True)
        services.group_revalidate(group=group, user=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=group.pk)).data)


class ConflictViewSet(people.ConflictViewSet):
    http_method_names = ["get", "post", "patch", "head", "options"]

    def _written(self, conflict, code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=conflict.pk)
        serializer = RevalidatedConflictSerializer(fresh, context=self.get_serializer_context())
        return Response(serializer.data, status=code)

    @extend_schema(request=ConflictInput, responses={201: RevalidatedConflictSerializer})
    def create(self, request, *args, **kwargs):
        """Record a conflict between two groups (or within one), as the groups page does."""
        permissions.require_capability(request.user, "groups.view")
        permissions.require_capability(request.user, "groups.edit")
        data = page_form_data(request, forms.ConflictForm)
        conflict = services.conflict_create(user=request.user, **data)
        return self._written(conflict, status.HTTP_201_CREATED)

    @extend_schema(request=ConflictPatch, responses=RevalidatedConflictSerializer)
    def partial_update(self, request, *args, **kwargs):
        """Change a conflict's status (hot, active, dormant), start or description."""
        conflict = permissions.get_conflict_for_user(request.user, kwargs["pk"], write=True)
        body = body_fields(request)
        current = {name: getattr(conflict, name) for name in services.CONFLICT_FIELDS}
        data = page_form_data(
            request, forms.ConflictEditForm, data=versioned_body(request, body, current)
        )
        changes = {name: data[name] for name in current if name in body}
        conflict = services.conflict_update(
            conflict=conflict, user=request.user, expected_version=data["version"], changes=changes
        )
        return self._written(conflict)

    @extend_schema(request=None, responses=RevalidatedConflictSerializer)
    @action(detail=True, methods=["post"], serializer_class=RevalidatedConflictSerializer)
    def revalidate(self, request, pk=None):
        """Confirm the conflict record accurate today: its next re-validation is three years on."""
        conflict = permissions.get_conflict_for_user(request.user, pk, write=True)
        services.conflict_revalidate(conflict=conflict, user=request.user)
        return Response(self.get_serializer(self.get_queryset().get(pk=conflict.pk)).data)


class PersonCreateInput(serializers.Serializer):
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    date_of_birth = serializers.DateField(required=False, allow_null=True)
    age_estimate = serializers.IntegerField(
        required=False, allow_null=True, help_text="When the date of birth is unknown."
    )


class PersonViewSet(people.PersonViewSet):
    """Core's people, and ``POST people``: the shooting log's search-or-create field's "create"
    half on its own (``people.edit``, its checks, ``person_create``: an obvious duplicate — same
    names and date of birth — is refused)."""

    @extend_schema(request=PersonCreateInput, responses={201: people.PersonDetailSerializer})
    def create(self, request, *args, **kwargs):
        """Record a person (to pick them on an incident, say)."""
        permissions.require_capability(request.user, "people.edit")
        body = body_fields(request)
        check_types(PersonCreateInput, body)
        data = page_form_data(request, forms.PersonCreateForm, data=body)
        person = services.person_create(user=request.user, **data)
        self.action = "retrieve"
        fresh = self.get_queryset().get(pk=person.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)
