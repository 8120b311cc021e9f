"""Serializer pieces every v1 endpoint shares: fields that are absent unless a predicate allows."""

from __future__ import annotations

from collections import OrderedDict

from rest_framework import serializers
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject


class RestrictedFieldsMixin:
    """``Meta.restricted_fields`` are ABSENT (not null) unless ``context["may_see"](obj)`` says so.

    The view puts a permissions predicate in the context (``can_view_intelligence``…), so what a
    partner's response lacks is decided in ``ceasefire/core/permissions/``, object by object.
    Absent fields are never computed, so nothing restricted is read for them either.
    """

    def to_representation(self, instance):
        may_see = self.context.get("may_see")
        restricted = set(getattr(self.Meta, "restricted_fields", ()))
        hidden = set() if may_see is not None and may_see(instance) else restricted
        ret = OrderedDict()
        for field in self._readable_fields:
            if field.field_name in hidden:
                continue
            try:
                attribute = field.get_attribute(instance)
            except SkipField:
                continue
            check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
            ret[field.field_name] = None if check is None else field.to_representation(attribute)
        return ret


class RefSerializer(serializers.Serializer):
    """A reference to another record: its id and how it reads."""

    id = serializers.IntegerField()
    label = serializers.CharField(source="__str__")


class VersionedInput(serializers.Serializer):
    """The version the client read (or send ``If-Match``): a stale one is refused with 409."""

    version = serializers.IntegerField(min_value=0, required=False)
