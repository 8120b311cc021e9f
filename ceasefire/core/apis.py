"""The old people endpoints (``/api/people/``): aliases of API v1's people, kept for one release.

The views ARE v1's (``ceasefire.core.api.people.PersonViewSet``: its queryset, scoping, search,
audit); only what the old clients read is kept here: the session-only sign-in, page numbers
(``count``/``next``/``previous``), DRF's plain error body and the old field shapes. Partners
receive service fields and the shared risk assessment; intelligence (affiliations, designations
and their basis, involvements) only reaches users ``can_view_intelligence`` allows.
"""

from __future__ import annotations

from rest_framework import serializers

from .api.base import OldApiAlias
from .api.people import PersonViewSet
from .api.serializers import RestrictedFieldsMixin
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


INTELLIGENCE = (
    "aliases",
    "date_of_birth",
    "on_supervision",
    "designations",
    "affiliations",
    "involvements",
)


class PersonIntelligenceOutputSerializer(RestrictedFieldsMixin, PersonServiceOutputSerializer):
    """One person: intelligence absent unless ``can_view_intelligence`` (police; probation for
    its supervisees)."""

    designations = DesignationOutputSerializer(many=True, read_only=True)
    affiliations = AffiliationOutputSerializer(many=True, read_only=True)
    involvements = InvolvementOutputSerializer(many=True, read_only=True)

    class Meta(PersonServiceOutputSerializer.Meta):
        fields = [*PersonServiceOutputSerializer.Meta.fields, *INTELLIGENCE]
        restricted_fields = INTELLIGENCE


class PersonApi(OldApiAlias, PersonViewSet):
    """``/api/people/`` (list: service fields only) and ``/api/people/<pk>/`` (one person)."""

    def get_serializer_class(self):
        if self.action == "retrieve":
            return PersonIntelligenceOutputSerializer
        return PersonServiceOutputSerializer


PersonListApi = PersonApi.as_view({"get": "list"})
PersonDetailApi = PersonApi.as_view({"get": "retrieve"})
