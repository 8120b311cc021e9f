"""How a person's name is marked wherever it appears.

``{{ person|juvenile_mark }}`` after a name renders the juvenile badge for someone 13 to 17 on the
day (the one rule: ``Person.is_juvenile``), and nothing for anyone else or no one. Every page
that names a person uses it: the coordination meeting, the caseload, follow-ups, incidents,
groups, the shooting review and its minutes.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def juvenile_mark(person) -> str:
    if person is None or not getattr(person, "is_juvenile", False):
        return ""
    return format_html(' <span class="badge juvenile">{}</span>', "juvenile")
