"""People, designations, groups and conflicts over API v1: the person page's rules, field by field.

Police see everything; probation partners the intelligence of their own supervisees; other
partners the service fields and the shared risk assessment — intelligence fields are absent.
Every read of a person (a list page or one person) is an audit event.
"""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch, Q
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import permissions
from ..audit import audit_view
from ..forms import AffiliationForm, DesignationProposeForm
from ..models import (
    Conflict,
    Group,
    GroupAffiliation,
    Involvement,
    PartnershipShare,
    Person,
    RiskDesignation,
)
from ..record_services import affiliation_add, affiliation_end
from ..services import designation_create
from .base import IdFilter, V1Mixin, id_in_body, page_form_data
from .serializers import RefSerializer, RestrictedFieldsMixin

PERSON_INTELLIGENCE = ("aliases", "date_of_birth", "on_supervision")
PERSON_DETAIL_INTELLIGENCE = ("designations", "affiliations", "involvements")


class ShareSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartnershipShare
        fields = ["risk_assessment", "recommended_interventions", "shared_at"]


class DesignationSerializer(serializers.ModelSerializer):
    person = RefSerializer(read_only=True)

    class Meta:
        model = RiskDesignation
        fields = [
            "id",
            "person",
            "level",
            "status",
            "basis",
            "designated_on",
            "review_due",
            "ended_on",
            "end_reason",
            "renewal_count",
        ]


class AffiliationSerializer(serializers.ModelSerializer):
    group = RefSerializer(read_only=True)

    class Meta:
        model = GroupAffiliation
        fields = ["id", "group", "basis", "since", "active"]


class AffiliationInput(serializers.Serializer):
    group = serializers.IntegerField(min_value=1, help_text="A current (not archived) group.")
    since = serializers.DateField()
    basis = serializers.CharField(help_text="The facts the label rests on (intelligence).")


class PersonInvolvementSerializer(serializers.ModelSerializer):
    incident = RefSerializer(read_only=True)

    class Meta:
        model = Involvement
        fields = ["incident", "role", "injury"]


class PersonSerializer(RestrictedFieldsMixin, serializers.ModelSerializer):
    """Service fields for all who may see the person; intelligence only where allowed."""

    age = serializers.IntegerField(read_only=True, allow_null=True)
    shared = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "first_name",
            "last_name",
            "age",
            "gender",
            "neighbourhood",
            "in_custody",
            "deceased",
            "shared",
            "version",
            *PERSON_INTELLIGENCE,
        ]
        restricted_fields = PERSON_INTELLIGENCE

    @extend_schema_field(ShareSerializer(allow_null=True))
    def get_shared(self, person: Person):
        share = next(iter(person.active_shares), None)
        return ShareSerializer(share).data if share else None


class PersonDetailSerializer(PersonSerializer):
    designations = DesignationSerializer(many=True, read_only=True)
    affiliations = AffiliationSerializer(many=True, read_only=True)
    involvements = PersonInvolvementSerializer(many=True, read_only=True)

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, *PERSON_DETAIL_INTELLIGENCE]
        restricted_fields = (*PERSON_INTELLIGENCE, *PERSON_DETAIL_INTELLIGENCE)


class PersonFilter(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", label="Name contains")
    in_custody = django_filters.BooleanFilter()
    deceased = django_filters.BooleanFilter()
    neighbourhood = django_filters.CharFilter(lookup_expr="iexact")

    class Meta:
        model = Person
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        q = Q()
        for word in value.split():
            q &= Q(first_name__icontains=word) | Q(last_name__icontains=word)
        return queryset.filter(q)


def _with_shares(queryset):
    return queryset.prefetch_related(
        Prefetch(
            "shares",
            queryset=PartnershipShare.objects.filter(withdrawn_at__isnull=True),
            to_attr="active_shares",
        )
    )


class PersonViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    """People the user may see (``people_visible_to``); ``?search=`` matches names."""

    filterset_class = PersonFilter
    ordering_fields = ["id", "last_name", "first_name"]
    ordering = ["last_name", "first_name", "id"]
    audit_api = "v1"  # the old ``/api/people/`` alias says so in its audit events

    def get_serializer_class(self):
        return PersonDetailSerializer if self.action == "retrieve" else PersonSerializer

    def get_queryset(self):
        people = _with_shares(permissions.people_visible_to(self.request.user))
        if self.action == "retrieve":
            designations = permissions.designations_visible_to(
                self.request.user, RiskDesignation.objects.select_related("person")
            )  # probation: its supervisees' confirmed designations only, as on the person page
            people = people.prefetch_related(
                Prefetch("designations", queryset=designations),
                "affiliations__group",
                "involvements__incident",
            )
        return people.select_related("supervising_organisation")

    def get_serializer_context(self):
        user = self.request.user
        return {
            **super().get_serializer_context(),
            "may_see": lambda person: permissions.can_view_intelligence(user, person),
        }

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        people = [row["id"] for row in response.data["results"]]
        audit_view(request, object_type="core.person", api=self.audit_api, people=people)
        return response

    def retrieve(self, request, *args, **kwargs):
        person = permissions.get_person_for_user(request.user, kwargs["pk"])
        response = super().retrieve(request, *args, **kwargs)
        audit_view(request, obj=person, api=self.audit_api)
        return response

    @extend_schema(request=AffiliationInput, responses={201: AffiliationSerializer})
    @action(detail=True, methods=["post"], serializer_class=AffiliationSerializer)
    def affiliations(self, request, pk=None):
        """Add the person's affiliation to a group, as the person page does (``groups.edit``,
        its form, ``affiliation_add``)."""
        person = permissions.get_person_for_user(request.user, pk)
        permissions.require_capability(request.user, "groups.edit")
        data = page_form_data(request, AffiliationForm)
        affiliation = affiliation_add(person=person, user=request.user, **data)
        return Response(AffiliationSerializer(affiliation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=AffiliationSerializer)
    @action(
        detail=True,
        methods=["post"],
        url_path=r"affiliations/(?P<affiliation_pk>[0-9]{1,18})/end",
        url_name="affiliation-end",
        serializer_class=AffiliationSerializer,
    )
    def affiliation_end(self, request, pk=None, affiliation_pk=None):
        """End one of the person's affiliations (it stays on record, inactive)."""
        person = permissions.get_person_for_user(request.user, pk)
        permissions.require_capability(request.user, "groups.edit")
        affiliation = person.affiliations.select_related("group").filter(pk=affiliation_pk).first()
        if affiliation is None:
            raise Http404("No such affiliation of this person.")
        affiliation = affiliation_end(affiliation=affiliation, user=request.user)
        return Response(AffiliationSerializer(affiliation).data)


class DesignationFilter(django_filters.FilterSet):
    level = django_filters.ChoiceFilter(choices=RiskDesignation.Level.choices)
    person = IdFilter(field_name="person_id")
    designated_from = django_filters.DateFilter(field_name="designated_on", lookup_expr="gte")
    designated_to = django_filters.DateFilter(field_name="designated_on", lookup_expr="lte")
    in_force = django_filters.BooleanFilter(field_name="ended_on", lookup_expr="isnull")

    class Meta:
        model = RiskDesignation
        fields: list[str] = []


class DesignationInput(serializers.Serializer):
    person = serializers.IntegerField(min_value=1)
    level = serializers.ChoiceField(choices=RiskDesignation.Level.choices)
    criteria = serializers.ListField(
        child=serializers.ChoiceField(choices=RiskDesignation.Criterion.choices), min_length=1
    )
    basis_incidents = serializers.ListField(
        child=serializers.IntegerField(min_value=1),
        min_length=1,
        help_text="The person's incidents that support it.",
    )
    basis = serializers.CharField(help_text="Facts that support it (intelligence).")


class DesignationViewSet(V1Mixin, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Risk designations and their basis (intelligence): the police, probation for supervisees.

    ``POST`` proposes one outside a review, as the person page does (``designations.edit``, the
    page's form, ``designation_create``): pending until the next shooting review decides."""

    serializer_class = DesignationSerializer
    filterset_class = DesignationFilter
    ordering_fields = ["id", "designated_on", "review_due"]

    def get_queryset(self):
        return permissions.designations_visible_to(self.request.user).select_related("person")

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        people = sorted({row["person"]["id"] for row in response.data["results"]})
        audit_view(request, object_type="core.riskdesignation", api="v1", people=people)
        return response

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        audit_view(
            request,
            object_type="core.riskdesignation",
            api="v1",
            people=[response.data["person"]["id"]],
        )
        return response

    @extend_schema(request=DesignationInput, responses={201: DesignationSerializer})
    def create(self, request, *args, **kwargs):
        user = request.user
        permissions.require_capability(user, "designations.edit")
        person = permissions.get_person_for_user(user, id_in_body(request, "person"))
        data = page_form_data(request, DesignationProposeForm, person=person)
        designation = designation_create(
            person=person,
            user=user,
            level=data["level"],
            criteria=data["criteria"],
            basis=data["basis"],
            basis_incidents=list(data["basis_incidents"]),
        )
        fresh = self.get_queryset().get(pk=designation.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)


class GroupSerializer(RestrictedFieldsMixin, serializers.ModelSerializer):
    class Meta:
        model = Group
        fields = ["id", "name", "area", "active", "version", "description"]
        restricted_fields = ("description",)


class GroupViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    """Groups: the police (``groups.view``)."""

    serializer_class = GroupSerializer
    filterset_fields = ["active", "area"]
    ordering_fields = ["id", "name"]

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        permissions.require_capability(request.user, "groups.view")

    def get_queryset(self):
        return permissions.groups_visible_to(self.request.user)

    def get_serializer_context(self):
        user = self.request.user
        may_see = permissions.can_view_group_intelligence(user)
        return {**super().get_serializer_context(), "may_see": lambda group: may_see}


class ConflictSerializer(RestrictedFieldsMixin, serializers.ModelSerializer):
    group_a = RefSerializer(read_only=True)
    group_b = RefSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Conflict
        fields = ["id", "group_a", "group_b", "status", "started_on", "version", "description"]
        restricted_fields = ("started_on", "description")


class ConflictViewSet(V1Mixin, viewsets.ReadOnlyModelViewSet):
    """Conflicts: police in full; partners at coordination by name and status only."""

    serializer_class = ConflictSerializer
    filterset_fields = ["status"]
    ordering_fields = ["id", "status"]

    def get_queryset(self):
        return permissions.conflicts_visible_to(self.request.user).select_related(
            "group_a", "group_b"
        )

    def get_serializer_context(self):
        may_see = permissions.can_view_group_intelligence(self.request.user)
        return {**super().get_serializer_context(), "may_see": lambda conflict: may_see}
