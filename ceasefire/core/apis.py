"""People over the API, with the same field-level rules as the person page.

Partners receive service fields and the shared risk assessment; intelligence (affiliations,
designations and their basis, involvements) only reaches users ``can_view_intelligence`` allows.
"""

from __future__ import annotations

from django.db.models import Prefetch
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from . import permissions
from .audit import Action, audit_record
from .models import GroupAffiliation, Involvement, PartnershipShare, Person, RiskDesignation


class ShareOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = PartnershipShare
        fields = ["risk_assessment", "recommended_interventions", "shared_at"]


class PersonServiceOutputSerializer(serializers.ModelSerializer):
    """What a partner may read: service fields and the shared risk assessment."""

    age = serializers.IntegerField(read_only=True)
    juvenile = serializers.BooleanField(source="is_juvenile", read_only=True)
    shared = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "first_name",
            "last_name",
            "age",
            "juvenile",
            "gender",
            "neighbourhood",
            "in_custody",
            "deceased",
            "shared",
        ]

    def get_shared(self, person: Person):
        share = next(iter(person.active_shares), None)
        return ShareOutputSerializer(share).data if share else None


class DesignationOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = RiskDesignation
        fields = [
            "id",
            "level",
            "status",
            "criteria",
            "basis",
            "designated_on",
            "review_due",
            "expires_on",
            "ended_on",
            "end_reason",
            "renewal_count",
        ]


class AffiliationOutputSerializer(serializers.ModelSerializer):
    group = serializers.StringRelatedField()

    class Meta:
        model = GroupAffiliation
        fields = ["group", "basis", "since", "active"]


class InvolvementOutputSerializer(serializers.ModelSerializer):
    incident = serializers.StringRelatedField()

    class Meta:
        model = Involvement
        fields = ["incident", "role", "injury"]


class PersonIntelligenceOutputSerializer(PersonServiceOutputSerializer):
    """Police (and probation for its supervisees): everything, including intelligence."""

    designations = DesignationOutputSerializer(many=True, read_only=True)
    affiliations = AffiliationOutputSerializer(many=True, read_only=True)
    involvements = InvolvementOutputSerializer(many=True, read_only=True)

    class Meta(PersonServiceOutputSerializer.Meta):
        fields = [
            *PersonServiceOutputSerializer.Meta.fields,
            "aliases",
            "date_of_birth",
            "on_supervision",
            "designations",
            "affiliations",
            "involvements",
        ]


def _with_shares(queryset):
    return queryset.prefetch_related(
        Prefetch(
            "shares",
            queryset=PartnershipShare.objects.filter(withdrawn_at__isnull=True),
            to_attr="active_shares",
        )
    )


class PersonListApi(generics.ListAPIView):
    """People the user may see, service fields only (a list never carries intelligence); each
    page is an audit event naming the people on it."""

    serializer_class = PersonServiceOutputSerializer

    def get_queryset(self):
        return _with_shares(permissions.people_visible_to(self.request.user)).order_by(
            "last_name", "first_name", "id"
        )

    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        people = [row["id"] for row in response.data["results"]]
        audit_record(
            actor=request.user,
            action=Action.VIEW,
            object_type="core.person",
            detail={"api": True, "list": True, "people": people},
            request=request,
        )
        return response


class PersonDetailApi(APIView):
    """One person: intelligence fields only for those allowed; every view is an audit event."""

    def get(self, request, pk: int):
        person = permissions.get_person_for_user(request.user, pk)
        designations = permissions.designations_visible_to(
            request.user, RiskDesignation.objects.all()
        )
        person = (
            _with_shares(Person.objects.filter(pk=person.pk))
            .prefetch_related(
                Prefetch("designations", queryset=designations),
                "affiliations__group",
                "involvements__incident",
            )
            .get()
        )
        intelligence = permissions.can_view_intelligence(request.user, person)
        serializer_class = (
            PersonIntelligenceOutputSerializer if intelligence else PersonServiceOutputSerializer
        )
        audit_record(
            actor=request.user,
            action=Action.VIEW,
            obj=person,
            request=request,
            detail={"api": True},
        )
        return Response(serializer_class(person).data)
