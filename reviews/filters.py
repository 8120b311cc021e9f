"""Filters of the shooting log (django-filter).

The queryset must come from ``selectors.incidents_annotated``.
"""

from __future__ import annotations

import django_filters
from django import forms

from ceasefire.core.models import Conflict, Group, Incident, IncidentKind
from ceasefire.core.selectors import local_midnight

from .selectors import incident_search


class IncidentFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Search",
        method="filter_q",
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": "Case number, address or name"}
        ),
    )
    date_from = django_filters.DateFilter(
        label="From", method="filter_from", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = django_filters.DateFilter(
        label="To", method="filter_to", widget=forms.DateInput(attrs={"type": "date"})
    )
    kind = django_filters.ChoiceFilter(
        label="Kind", choices=IncidentKind.choices, field_name="kind_code", empty_label="Any"
    )
    area = django_filters.CharFilter(label="Area", field_name="area", lookup_expr="iexact")
    beat = django_filters.CharFilter(label="Beat", field_name="beat", lookup_expr="iexact")
    group_involved = django_filters.ChoiceFilter(
        label="Group involved", choices=Incident.GroupInvolved.choices, empty_label="Any"
    )
    circumstance = django_filters.ChoiceFilter(
        choices=Incident.Circumstance.choices, empty_label="Any"
    )
    counting_status = django_filters.ChoiceFilter(
        label="Counting", choices=Incident.CountingStatus.choices, empty_label="Any"
    )
    group = django_filters.ModelChoiceFilter(
        label="Group", field_name="groups", queryset=Group.objects.all(), empty_label="Any"
    )
    conflict = django_filters.ModelChoiceFilter(
        label="Conflict",
        queryset=Conflict.objects.select_related("group_a", "group_b"),
        empty_label="Any",
    )

    class Meta:
        model = Incident
        fields: list[str] = []

    def filter_q(self, queryset, name, value):
        return incident_search(queryset, value)

    def filter_from(self, queryset, name, value):
        return queryset.filter(occurred_at__gte=local_midnight(value))

    def filter_to(self, queryset, name, value):
        import datetime as dt

        return queryset.filter(occurred_at__lt=local_midnight(value + dt.timedelta(days=1)))
