"""The records behind a worksheet number (police facilitators only; viewing is audited).

Each list uses the same definitions (``filters``) as its figure.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from ceasefire.core.models import (
    EnforcementAction,
    Enrolment,
    Incident,
    Involvement,
    Meeting,
    PartnershipSettings,
    Person,
    Unit,
)

from ..indicators import Window
from .activities import caseload_active_on
from .benchmarks import INDICATOR_LABELS
from .filters import (
    VICTIM_FILTERS,
    action_focus,
    attended,
    attended_by_org,
    coordination_meetings_held,
    dates_in,
    enrolment_focus,
    in_days,
    non_injury_shootings,
    notified,
    risk_alignment,
    victims_counted,
)
from .post_call_in import POST_CALL_IN_CATEGORIES, POST_CALL_IN_RANKS, participants_in_category

# The figures whose records can be listed: each indicator's parts ("" is its total).
TRACE_PARTS = {
    "homicides": {""},
    "nonfatal_injury_shootings": {""},
    "non_injury_shootings": {""},
    "communication": {"", "call_ins", "custom_notifications", "focus"},
    "case_management": {"", "focus", "caseload", *Enrolment.ReferralSource.values},
    "enforcement": {"", "focus", *Unit.Kind.values},
    "partnership": {"", "attended_by_both_leads", "risk_alignment"},
    # the exclusive categories of call-in participants, as of the period's last day
    "post_call_in": set(POST_CALL_IN_RANKS),
}
TRACE_LABELS = {**INDICATOR_LABELS, "post_call_in": "Outcomes of call-in participants"}


def part_label(part: str) -> str:
    """A figure's part in words (``attended_by_both_leads`` → "attended by both leads")."""
    return dict(POST_CALL_IN_CATEGORIES).get(part, part.replace("_", " "))


def records_behind(
    indicator: str, part: str, window: Window, *, as_of: dt.date
) -> tuple[str, QuerySet]:
    """What kind of records lie behind a figure (``TRACE_PARTS``), and the records in order.

    ``as_of``: the day of the figures that are counted on a day rather than over the window
    (the active caseload, the post-call-in categories).
    """
    if indicator in ("homicides", "nonfatal_injury_shootings"):
        return "victims", victims_in(indicator, window)
    if indicator == "non_injury_shootings":
        return "incidents", non_injury_shootings_in(window)
    if indicator == "communication":
        return "people", people_reached(window, part)
    if indicator == "case_management":
        if part == "caseload":
            return "enrolments", caseload_records(as_of)
        return "enrolments", enrolments_in(window, part)
    if indicator == "enforcement":
        return "actions", enforcement_actions_in(window, part)
    if indicator == "post_call_in":
        return "people", participants_in_category(as_of, part)
    settings = PartnershipSettings.load()
    return "meetings", coordination_meetings_in(window, part.replace("attended_by_", ""), settings)


def victims_in(indicator: str, window: Window) -> QuerySet[Involvement]:
    incidents = Incident.objects.counted().filter(in_days("occurred_at", window)).values("pk")
    return (
        victims_counted()
        .filter(VICTIM_FILTERS[indicator])
        .filter(incident__in=incidents)
        .select_related("incident", "person")
        .order_by("incident__occurred_at", "pk")
    )


def non_injury_shootings_in(window: Window) -> QuerySet[Incident]:
    return (
        non_injury_shootings().filter(in_days("occurred_at", window)).order_by("occurred_at", "pk")
    )


def people_reached(window: Window, part: str = "") -> QuerySet[Person]:
    """The people behind a communication figure (part: call_ins, custom_notifications, focus)."""
    if part == "call_ins":
        cond = Q(attended(window))
    elif part == "custom_notifications":
        cond = Q(notified(window))
    elif part == "focus":
        cond = Q(attended(window, focus=True)) | Q(notified(window, focus=True))
    else:
        cond = Q(attended(window)) | Q(notified(window))
    return Person.objects.filter(cond).order_by("last_name", "first_name", "pk")


def enrolments_in(window: Window, part: str = "") -> QuerySet[Enrolment]:
    qs = Enrolment.objects.filter(dates_in("started_on", window))
    if part == "focus":
        qs = qs.annotate(vhr=enrolment_focus()).filter(vhr=True)
    elif part in Enrolment.ReferralSource.values:
        qs = qs.filter(referral_source=part)
    return qs.select_related("person", "provider").order_by("started_on", "pk")


def caseload_records(day: dt.date) -> QuerySet[Enrolment]:
    """The enrolments behind the active caseload on ``day``."""
    return caseload_active_on(day).select_related("person", "provider").order_by("started_on", "pk")


def enforcement_actions_in(window: Window, part: str = "") -> QuerySet[EnforcementAction]:
    qs = EnforcementAction.objects.filter(dates_in("taken_on", window))
    if part == "focus":
        qs = qs.filter(action_focus(window))
    elif part in Unit.Kind.values:
        qs = qs.filter(unit__kind=part)
    return qs.select_related("person", "group", "unit").order_by("taken_on", "pk")


def coordination_meetings_in(
    window: Window, part: str, settings: PartnershipSettings
) -> QuerySet[Meeting]:
    qs = coordination_meetings_held().filter(dates_in("date", window))
    if part == "both_leads":
        qs = qs.filter(attended_by_org(settings.police_lead_id)).filter(
            attended_by_org(settings.human_services_lead_id)
        )
    elif part == "risk_alignment":
        qs = qs.filter(risk_alignment())
    return qs.order_by("date", "pk")
