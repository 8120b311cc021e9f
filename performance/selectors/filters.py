"""The definitions the figures share: which rows a figure counts (SPEC §4).

Built once here and used both by the aggregates (``outcomes``, ``activities``,
``post_call_in``) and by the "records behind this number" lists (``records``), so that a figure
and its list cannot drift apart (tests check that they agree). Internal to the package.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone

from ceasefire.core.models import (
    AgendaItem,
    CallIn,
    CustomNotification,
    EnforcementAction,
    GroupAffiliation,
    Incident,
    Involvement,
    Meeting,
    RiskDesignation,
)
from ceasefire.core.selectors import day_window

from ..indicators import Window

Attendance = CallIn.attendees.through


# A custom notification "reached" the person when it was delivered, even if they refused to listen.
REACHED_OUTCOMES = (CustomNotification.Outcome.DELIVERED, CustomNotification.Outcome.REFUSED)


def in_days(field: str, window: Window) -> Q:
    """A DateTimeField within the window's local days (half-open, DST-safe)."""
    start, end = day_window(window.start, window.end)
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def window_span(windows: list[Window]) -> Window:
    """The smallest window covering all of ``windows``."""
    return Window("span", min(w.start for w in windows), max(w.end for w in windows))


def dates_in(field: str, window: Window) -> Q:
    return Q(**{f"{field}__gte": window.start, f"{field}__lte": window.end})


VICTIM_FILTERS = {
    # homicides: fatal victims, any weapon
    "homicides": Q(injury=Involvement.Injury.FATAL),
    # non-fatal injury shootings: wounded, not killed, victims of firearm incidents
    "nonfatal_injury_shootings": Q(
        injury=Involvement.Injury.NONFATAL, incident__weapon=Incident.Weapon.FIREARM
    ),
}


def victims_counted() -> QuerySet[Involvement]:
    """Victims (identified or not) of incidents whose counting status is "counted"."""
    return Involvement.objects.filter(
        role=Involvement.Role.VICTIM, incident__counting_status=Incident.CountingStatus.COUNTED
    )


def non_injury_shootings() -> QuerySet[Incident]:
    """Counted firearm incidents in which nobody was hit (counted per incident: no victim)."""
    return Incident.objects.counted().of_kind("non_injury_shooting")


def vhr_active_on(person_ref, day_ref) -> QuerySet[RiskDesignation]:
    """A VHR designation in force on ``day_ref`` (as ``RiskDesignation.objects.active_on``)."""
    return RiskDesignation.objects.filter(
        person=person_ref,
        level=RiskDesignation.Level.VHR,
        status=RiskDesignation.Status.CONFIRMED,
        designated_on__lte=day_ref,
        review_due__gte=day_ref,
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day_ref))


def attended(window: Window, *, focus: bool = False) -> Exists:
    rows = Attendance.objects.filter(
        person_id=OuterRef("pk"), callin__held_on__gte=window.start, callin__held_on__lte=window.end
    )
    if focus:
        rows = rows.filter(
            Exists(vhr_active_on(OuterRef("person_id"), OuterRef("callin__held_on")))
        )
    return Exists(rows)


def notified(window: Window, *, focus: bool = False) -> Exists:
    rows = CustomNotification.objects.filter(
        person=OuterRef("pk"),
        outcome__in=REACHED_OUTCOMES,
        delivered_on__gte=window.start,
        delivered_on__lte=window.end,
    )
    if focus:
        rows = rows.filter(Exists(vhr_active_on(OuterRef("person_id"), OuterRef("delivered_on"))))
    return Exists(rows)


def enrolment_focus() -> Exists:
    """The enrolee held an active VHR designation when the enrolment started.

    ("Identified by police as highest risk".)
    """
    return Exists(vhr_active_on(OuterRef("person_id"), OuterRef("started_on")))


# The ids of enforcement actions whose subject held a VHR designation in force that day (the same
# rule as ``vhr_active_on``): the person's own, or, for a group, any active member's. Hand-written
# because the ORM's path (action → group → affiliation → person → designation) joins the group and
# person tables for nothing, and PostgreSQL then loops over every member of every group (groups
# have hundreds of members at 10x data). As plain joins it is two hash joins over the designations
# that overlap the window (the level/review_due index): ~25 ms instead of ~250 ms.
_FOCUSED_ACTIONS_SQL = """
    SELECT a.id FROM {action} a
    JOIN {designation} d ON d.person_id = a.person_id
    WHERE {in_force}
    UNION
    SELECT a.id FROM {action} a
    JOIN {affiliation} ga ON ga.group_id = a.group_id AND ga.active = %s
    JOIN {designation} d ON d.person_id = ga.person_id
    WHERE {in_force}
"""


_IN_FORCE_SQL = """
    a.taken_on >= %s AND a.taken_on <= %s
    AND d.level = %s AND d.status = %s AND d.review_due >= %s AND d.designated_on <= %s
    AND d.designated_on <= a.taken_on AND d.review_due >= a.taken_on
    AND (d.ended_on IS NULL OR d.ended_on > a.taken_on)
"""


def action_focus(window: Window) -> Q:
    """The action (taken in ``window``) had a subject holding an active VHR designation that day."""
    sql = _FOCUSED_ACTIONS_SQL.format(
        action=EnforcementAction._meta.db_table,
        designation=RiskDesignation._meta.db_table,
        affiliation=GroupAffiliation._meta.db_table,
        in_force=_IN_FORCE_SQL,
    )
    in_force = [
        window.start,
        window.end,
        RiskDesignation.Level.VHR.value,
        RiskDesignation.Status.CONFIRMED.value,
        window.start,
        window.end,
    ]
    return Q(pk__in=RawSQL(sql, [*in_force, True, *in_force]))


def coordination_meetings_held(today: dt.date | None = None) -> QuerySet[Meeting]:
    """Coordination meetings that have taken place (dated today or earlier)."""
    today = today or timezone.localdate()
    return Meeting.objects.filter(kind=Meeting.Kind.COORDINATION, date__lte=today)


def attended_by_org(org_id) -> Exists:
    return Exists(
        Meeting.attending_organisations.through.objects.filter(
            meeting_id=OuterRef("pk"), organisation_id=org_id or 0
        )
    )


def risk_alignment() -> Q:
    return Q(risk_alignment=True) | Q(
        Exists(AgendaItem.objects.filter(meeting=OuterRef("pk"), is_risk_alignment=True))
    )
