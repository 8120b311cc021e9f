"""``{{ count|shown_count }}``: a count suppressed for the viewer (None: see
``permissions.disclosed_count``) reads "fewer than 5"; any other count as itself."""

from __future__ import annotations

from django import template

from ..permissions import suppressed_label

register = template.Library()


@register.filter
def shown_count(count) -> str:
    return suppressed_label() if count is None else count
