"""The live-answer field of the shooting review (one small form per question)."""

from __future__ import annotations

from django import template
from django.urls import reverse

from ceasefire.core.models import Incident

from ..models import ReviewIncident
from ..services import answer_repr

register = template.Library()

TEXT = {"motive", "risk_notes", "hottest_conflicts", "enforcement_priorities"}
CHOICES = {
    "retaliation": ReviewIncident.Retaliation.choices,
    "circumstance": Incident.Circumstance.choices,
    "group_involved": Incident.GroupInvolved.choices,
}


@register.inclusion_tag("reviews/partials/answer.html", takes_context=True)
def answer(context, target: str, obj, name: str, label: str, placeholder: str = ""):
    review = context["review"]
    if name in TEXT:
        widget, choices = "text", []
    elif name == "groups":
        widget = "multiselect"  # a searchable select: chosen groups first, then by name
        chosen = {g.pk for g in obj.groups.all()}
        choices = [
            (str(g.pk), g.name)
            for g in sorted(context.get("all_groups", []), key=lambda g: (g.pk not in chosen,))
        ]
    elif name == "conflict":
        widget = "select"
        choices = [("", "— none —")] + [
            (str(c.pk), f"{c} ({c.get_status_display().lower()})")
            for c in context.get("all_conflicts", [])
        ]
    else:
        widget, choices = "select", CHOICES[name]
    was = answer_repr(obj, name)
    return {
        "review": review,
        "url": reverse("reviews:review-answer", args=[review.pk, target, obj.pk, name]),
        "key": f"{target}-{obj.pk}-{name}",
        "target": target,
        "obj": obj,
        "name": name,
        "label": label,
        "placeholder": placeholder,
        "widget": widget,
        "choices": choices,
        "was": was,
        "selected": set(was.split(",")) if name == "groups" else {was},
        "value": getattr(obj, name) if widget == "text" else was,
        "can_edit": context.get("can_edit", False),
        "oob": context.get("oob", False),
    }


@register.filter
def local_iso(value) -> str:
    """An ISO datetime string from a snapshot, shown in local time."""
    import datetime as dt

    from django.utils import timezone
    from django.utils.formats import date_format

    try:
        return date_format(timezone.localtime(dt.datetime.fromisoformat(value)), "D j M Y, H:i")
    except (TypeError, ValueError):
        return value or ""


@register.filter
def intervention_labels(codes) -> str:
    """["custom_notification", "life_coach"] → "Custom notification, Life-coach follow-up"."""
    from ceasefire.core.models import Task

    labels = dict(Task.Kind.choices)
    return ", ".join(str(labels.get(code, code)) for code in codes or [])
