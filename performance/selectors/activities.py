"""Activity figures: communication, case management, enforcement and partnership (SPEC §4).

Each ``*_counts`` is one query over all the windows at once, returning flat counts keyed
``<part>_<window key>`` (``total_ytd_0``, ``focus_period_0``, ``call_ins_ytd_0``, …); the rules
that turn them into worksheet cells are in ``performance.indicators``.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from ceasefire.core.models import (
    CustomNotification,
    EnforcementAction,
    EnforcementPlanStatus,
    Enrolment,
    Group,
    Meeting,
    PartnershipSettings,
    Unit,
    UnitStaffing,
)

from .. import indicators as ind
from ..indicators import Window
from .filters import (
    REACHED_OUTCOMES,
    Attendance,
    action_focus,
    attended_by_org,
    coordination_meetings_held,
    dates_in,
    enrolment_focus,
    risk_alignment,
    vhr_active_on,
    window_span,
)
from .statements import Aggregates, as_date, equals, fetch_one, fetch_rows, within


def _vhr_on_day_within(day_field: str, focus_span: Window) -> Case:
    """True when the row's person held an active VHR designation on ``day_field``.

    Only evaluated for rows inside ``focus_span`` (the worksheet's YTD): focus is reported for the
    current windows only, and the look-up is the costly part of the query.
    """
    return Case(
        When(
            Q(**{f"{day_field}__gte": focus_span.start, f"{day_field}__lte": focus_span.end})
            & Q(Exists(vhr_active_on(OuterRef("person_id"), OuterRef(day_field)))),
            then=Value(True),
        ),
        default=Value(False),
        output_field=BooleanField(),
    )


def reach_rows(span: Window, focus_span: Window) -> QuerySet:
    """One row per time a person was reached in ``span``: ``who``, ``day``, ``source``, ``focus``.

    A call-in attendance or a custom notification that reached the person (delivered or refused),
    as one UNION ALL, so that "distinct people reached" is a single ``COUNT(DISTINCT who)`` over it
    and each row's focus look-up runs once.
    """
    call_ins = (
        Attendance.objects.filter(callin__held_on__gte=span.start, callin__held_on__lte=span.end)
        .order_by()
        .values(
            who=F("person_id"),
            day=F("callin__held_on"),
            source=Value("call_in", output_field=CharField()),
            focus=_vhr_on_day_within("callin__held_on", focus_span),
        )
    )
    notifications = (
        CustomNotification.objects.filter(
            outcome__in=REACHED_OUTCOMES, delivered_on__gte=span.start, delivered_on__lte=span.end
        )
        .order_by()
        .values(
            who=F("person_id"),
            day=F("delivered_on"),
            source=Value("custom_notification", output_field=CharField()),
            focus=_vhr_on_day_within("delivered_on", focus_span),
        )
    )
    return call_ins.union(notifications, all=True)


def communication_counts(windows: list[Window], focus_windows: list[Window]) -> dict[str, int]:
    """Distinct people reached by a call-in or a custom notification, per window (one query)."""

    def build():
        aggs = Aggregates()
        for w in windows:
            aggs.count(f"total_{w.key}", "who", within("day", w), distinct=True)
        for w in focus_windows:
            for name, condition in (
                ("call_ins", equals("source", "call_in")),
                ("custom_notifications", equals("source", "custom_notification")),
                ("focus", equals("focus", True)),
            ):
                aggs.count(f"{name}_{w.key}", "who", within("day", w), condition, distinct=True)
        return reach_rows(window_span(windows), window_span(focus_windows)), aggs

    return fetch_one(("communication", tuple(windows), tuple(focus_windows)), build)


def case_management_counts(windows: list[Window], focus_windows: list[Window]) -> dict[str, int]:
    """New enrolees (distinct people) per window; by referral source and focus for the main
    windows. One query."""

    def build():
        aggs = Aggregates()
        for w in windows:
            aggs.count(f"total_{w.key}", "person_id", within("started_on", w), distinct=True)
        for w in focus_windows:
            in_w = within("started_on", w)
            aggs.count(f"focus_{w.key}", "person_id", in_w, equals("vhr", True), distinct=True)
            for source in Enrolment.ReferralSource.values:
                aggs.count(
                    f"{source}_{w.key}",
                    "person_id",
                    in_w,
                    equals("referral_source", source),
                    distinct=True,
                )
        rows = (
            Enrolment.objects.filter(dates_in("started_on", window_span(windows)))
            .order_by()
            .values("person_id", "started_on", "referral_source", vhr=enrolment_focus())
        )
        return rows, aggs

    return fetch_one(("case_management", tuple(windows), tuple(focus_windows)), build)


def caseload_active_on(day: dt.date) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(started_on__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day)
    )


def caseload_counts(day: dt.date) -> dict[str, int]:
    """Active caseload (distinct people) on ``day``, in all and by referral source (one query)."""

    def build():
        aggs = Aggregates()
        aggs.count("total", "person_id", distinct=True)
        for source in Enrolment.ReferralSource.values:
            aggs.count(source, "person_id", equals("referral_source", source), distinct=True)
        return caseload_active_on(day).order_by().values("person_id", "referral_source"), aggs

    return fetch_one(("caseload", day), build)


def units_with_latest_inputs(day: dt.date) -> list[dict]:
    """Each unit's latest staffing and enforcement-plan record on or before ``day`` (one query)."""

    def build():
        staffing = UnitStaffing.objects.filter(unit=OuterRef("pk"), recorded_on__lte=day).order_by(
            "-recorded_on", "-pk"
        )
        plans = EnforcementPlanStatus.objects.filter(
            unit=OuterRef("pk"), recorded_on__lte=day
        ).order_by("-recorded_on", "-pk")
        return Unit.objects.order_by("kind", "name").values(
            "name",
            "kind",
            authorised=Subquery(staffing.values("authorised")[:1]),
            filled=Subquery(staffing.values("filled")[:1]),
            staffing_on=Subquery(staffing.values("recorded_on")[:1]),
            plan_up_to_date=Subquery(plans.values("up_to_date")[:1]),
            plan_on=Subquery(plans.values("recorded_on")[:1]),
        )

    units = fetch_rows(
        ("units", day),
        build,
        {"staffing_on": as_date, "plan_on": as_date, "plan_up_to_date": bool},
    )
    return [
        {
            "unit": u["name"],
            "kind": u["kind"],
            "authorised": u["authorised"],
            "filled": u["filled"],
            "staffing_percent": ind.staffing_percent(u["filled"], u["authorised"]),
            "staffing_recorded_on": u["staffing_on"].isoformat() if u["staffing_on"] else None,
            "plan_up_to_date": u["plan_up_to_date"],
            "plan_recorded_on": u["plan_on"].isoformat() if u["plan_on"] else None,
        }
        for u in units
    ]


def group_plans_latest(day: dt.date) -> dict[str, int]:
    """Group enforcement plans: how many groups have one, how many are up to date (one query)."""

    def build():
        plans = EnforcementPlanStatus.objects.filter(
            group=OuterRef("pk"), recorded_on__lte=day
        ).order_by("-recorded_on", "-pk")
        rows = (
            Group.objects.filter(Q(archived_on__isnull=True) | Q(archived_on__gt=day))  # current
            .annotate(latest_up_to_date=Subquery(plans.values("up_to_date")[:1]))
            .filter(latest_up_to_date__isnull=False)
            .order_by()
            .values("pk", "latest_up_to_date")
        )
        aggs = Aggregates()
        aggs.count("total", "latest_up_to_date")
        aggs.count("up_to_date", "latest_up_to_date", equals("latest_up_to_date", True))
        return rows, aggs

    return fetch_one(("group_plans", day), build)


def enforcement_counts(windows: list[Window], focus_windows: list[Window]) -> dict[str, int]:
    """Enforcement actions per window; on VHR subjects and by unit kind for the main windows.

    One query.

    Grouped by (unit kind, focused), so each action's focus look-up runs once, and only for actions
    inside the main windows; the handful of groups are added up here.
    """
    span, focus_span = window_span(windows), window_span(focus_windows)
    focused = Case(
        When(dates_in("taken_on", focus_span) & action_focus(focus_span), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    groups = fetch_rows(
        ("enforcement", tuple(windows), tuple(focus_windows)),
        lambda: (
            EnforcementAction.objects.filter(dates_in("taken_on", span))
            .order_by()
            .values(unit_kind=F("unit__kind"), focused=focused)
            .annotate(**{w.key: Count("pk", filter=dates_in("taken_on", w)) for w in windows})
        ),
    )
    counts = {f"total_{w.key}": 0 for w in windows}
    for w in focus_windows:
        counts[f"focus_{w.key}"] = 0
        for kind in Unit.Kind.values:
            counts[f"{kind}_{w.key}"] = counts[f"{kind}_focus_{w.key}"] = 0
    for group in groups:
        for w in windows:
            counts[f"total_{w.key}"] += group[w.key]
        for w in focus_windows:
            keys = [f"focus_{w.key}"] if group["focused"] else []
            if group["unit_kind"]:
                keys.append(f"{group['unit_kind']}_{w.key}")
                if group["focused"]:
                    keys.append(f"{group['unit_kind']}_focus_{w.key}")
            for key in keys:
                counts[key] += group[w.key]
    return counts


def partnership_counts(
    windows: list[Window], focus_windows: list[Window], settings: PartnershipSettings
) -> dict[str, int]:
    """Coordination meetings held per window, attended by both leads, with risk alignment (one
    query)."""
    today = timezone.localdate()
    leads = (settings.police_lead_id, settings.human_services_lead_id)

    def build():
        aggs = Aggregates()
        for w in windows:
            aggs.count(f"total_{w.key}", "id", within("date", w))
        for w in focus_windows:
            in_w = within("date", w)
            both = (equals("police", True), equals("human_services", True))
            aggs.count(f"both_leads_{w.key}", "id", in_w, *both)
            aggs.count(f"risk_alignment_{w.key}", "id", in_w, equals("aligned", True))
        aligned = Meeting.objects.filter(risk_alignment()).filter(pk=OuterRef("pk"))
        rows = (
            coordination_meetings_held(today)
            .filter(dates_in("date", window_span(windows)))
            .order_by()
            .values(
                "id",
                "date",
                police=attended_by_org(leads[0]),
                human_services=attended_by_org(leads[1]),
                aligned=Exists(aligned),
            )
        )
        return rows, aggs

    return fetch_one(("partnership", tuple(windows), tuple(focus_windows), today, leads), build)
