"""The indicator engine's reads (SPEC §4). Selectors never write.

Every figure is counted in the database -- conditional counts over all the windows at once,
counts grouped by window "atom" and summed here, or ``COUNT(DISTINCT)`` over a union of
contact or event rows (the README's design section says why each); the arithmetic on the
numbers (prorating, averages, meets) is in ``indicators.py``. The filters that define each
figure are built by small functions below and shared by the aggregate and by the "records
behind this number" lists, and tests check that the two agree.

A whole worksheet costs 14 queries whatever the data size (the bound asserted in the tests is 25).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import ExtractYear, TruncDate
from django.utils import timezone

from ceasefire.core.models import (
    AgendaItem,
    Benchmark,
    CallIn,
    CustomNotification,
    EnforcementAction,
    EnforcementPlanStatus,
    Enrolment,
    Group,
    GroupAffiliation,
    Incident,
    Indicator,
    Involvement,
    Meeting,
    PartnershipSettings,
    Person,
    RiskDesignation,
    Task,
    Unit,
    UnitStaffing,
    Worksheet,
)
from ceasefire.core.selectors import day_window, local_midnight, tasks_open

from . import indicators as ind
from .indicators import Period, Window

Attendance = CallIn.attendees.through

# A custom notification "reached" the person when it was delivered, even if they refused to listen.
REACHED_OUTCOMES = (CustomNotification.Outcome.DELIVERED, CustomNotification.Outcome.REFUSED)

INDICATOR_LABELS = dict(Indicator.choices)

POST_CALL_IN_CATEGORIES = [
    ("homicide_victim", "Homicide victim"),
    ("shooting_victim", "Victim of a non-fatal shooting"),
    ("arrested_violent_gun", "Arrested for a violent or gun offence"),
    ("suspect_not_arrested", "Suspect in a violent offence, not arrested"),
    ("no_violent_arrest", "No arrest for a violent offence"),
]


# --- Shared definitions (used by aggregates and by the traced record lists) -------------------


def _in_days(field: str, window: Window) -> Q:
    """A DateTimeField within the window's local days (half-open, DST-safe)."""
    start, end = day_window(window.start, window.end)
    return Q(**{f"{field}__gte": start, f"{field}__lt": end})


def _span(windows: list[Window]) -> Window:
    """The smallest window covering all of ``windows``."""
    return Window("span", min(w.start for w in windows), max(w.end for w in windows))


def _dates_in(field: str, window: Window) -> Q:
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
    """Counted firearm incidents in which nobody was hit (counted per incident: there is no victim)."""
    return Incident.objects.counted().of_kind("non_injury_shooting")


def vhr_active_on(person_ref, day_ref) -> QuerySet[RiskDesignation]:
    """A VHR designation in force on ``day_ref`` (same rule as ``RiskDesignation.objects.active_on``)."""
    return RiskDesignation.objects.filter(
        person=person_ref,
        level=RiskDesignation.Level.VHR,
        designated_on__lte=day_ref,
        review_due__gte=day_ref,
    ).filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day_ref))


def _attended(window: Window, *, focus: bool = False) -> Exists:
    rows = Attendance.objects.filter(
        person_id=OuterRef("pk"), callin__held_on__gte=window.start, callin__held_on__lte=window.end
    )
    if focus:
        rows = rows.filter(
            Exists(vhr_active_on(OuterRef("person_id"), OuterRef("callin__held_on")))
        )
    return Exists(rows)


def _notified(window: Window, *, focus: bool = False) -> Exists:
    rows = CustomNotification.objects.filter(
        person=OuterRef("pk"),
        outcome__in=REACHED_OUTCOMES,
        delivered_on__gte=window.start,
        delivered_on__lte=window.end,
    )
    if focus:
        rows = rows.filter(Exists(vhr_active_on(OuterRef("person_id"), OuterRef("delivered_on"))))
    return Exists(rows)


def _enrolment_focus() -> Exists:
    """The enrolee held an active VHR designation when the enrolment started ("identified by police as highest risk")."""
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
    AND d.level = %s AND d.review_due >= %s AND d.designated_on <= %s
    AND d.designated_on <= a.taken_on AND d.review_due >= a.taken_on
    AND (d.ended_on IS NULL OR d.ended_on > a.taken_on)
"""


def _action_focus(window: Window) -> Q:
    """The action (taken in ``window``) had a subject holding an active VHR designation that day."""
    sql = _FOCUSED_ACTIONS_SQL.format(
        action=EnforcementAction._meta.db_table,
        designation=RiskDesignation._meta.db_table,
        affiliation=GroupAffiliation._meta.db_table,
        in_force=_IN_FORCE_SQL,
    )
    in_force = [window.start, window.end, RiskDesignation.Level.VHR.value, window.start, window.end]
    return Q(pk__in=RawSQL(sql, [*in_force, True, *in_force]))


def coordination_meetings_held(today: dt.date | None = None) -> QuerySet[Meeting]:
    """Coordination meetings that have taken place (dated today or earlier)."""
    today = today or timezone.localdate()
    return Meeting.objects.filter(kind=Meeting.Kind.COORDINATION, date__lte=today)


def _attended_by_org(org_id) -> Exists:
    return Exists(
        Meeting.attending_organisations.through.objects.filter(
            meeting_id=OuterRef("pk"), organisation_id=org_id or 0
        )
    )


def _risk_alignment() -> Q:
    return Q(risk_alignment=True) | Q(
        Exists(AgendaItem.objects.filter(meeting=OuterRef("pk"), is_risk_alignment=True))
    )


# --- Outcomes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Atoms:
    """The windows' days cut at every window edge: each window is a run of whole atoms.

    Grouping rows by atom lets the database evaluate one CASE per row instead of one filter per
    window and figure (the worksheet has 20 windows: 8 comparison windows and 12 months); the
    per-window totals are then sums of a handful of atom counts.
    """

    edges: tuple[dt.date, ...]  # atom i is [edges[i], edges[i + 1]) in local days

    @classmethod
    def of(cls, windows: list[Window]) -> Atoms:
        return cls(
            tuple(
                sorted({w.start for w in windows} | {w.end + dt.timedelta(days=1) for w in windows})
            )
        )

    def case(self, field: str) -> Case:
        """The atom of each row's ``field`` (an aware datetime): rows are already inside the edges."""
        whens = [
            When(**{f"{field}__lt": local_midnight(edge)}, then=Value(i))
            for i, edge in enumerate(self.edges[1:])
        ]
        return Case(*whens, default=None, output_field=IntegerField())

    def in_window(self, window: Window) -> list[int]:
        end = window.end + dt.timedelta(days=1)
        return [
            i
            for i, start in enumerate(self.edges[:-1])
            if window.start <= start and self.edges[i + 1] <= end
        ]


def outcome_counts(windows: list[Window]) -> dict[str, dict[str, int]]:
    """Per-victim homicides and non-fatal injury shootings, and non-injury shooting incidents, per window.

    One query whatever the number of windows or rows: counted incidents in the windows' span,
    summing each incident's killed and wounded victims (``Incident.fatal_victims`` /
    ``nonfatal_victims``, kept by the database from the victims), counted per atom. A firearm
    incident with nobody killed or wounded is a non-injury shooting.
    """
    if not windows:
        return {name: {} for name in ind.OUTCOME_INDICATORS}
    atoms = Atoms.of(windows)
    firearm = Q(weapon=Incident.Weapon.FIREARM)
    rows = (
        Incident.objects.counted()
        .filter(_in_days("occurred_at", _span(windows)))
        .order_by()
        .values(atom=atoms.case("occurred_at"))
        .annotate(
            homicides=Sum("fatal_victims", default=0),
            nonfatal_injury_shootings=Sum("nonfatal_victims", filter=firearm, default=0),
            non_injury_shootings=Count(
                "pk", filter=firearm & Q(fatal_victims=0, nonfatal_victims=0)
            ),
        )
    )
    by_atom = {row["atom"]: row for row in rows}
    return {
        name: {
            w.key: sum(by_atom[i][name] for i in atoms.in_window(w) if i in by_atom)
            for w in windows
        }
        for name in ind.OUTCOME_INDICATORS
    }


def homicides_per_year() -> list[dict]:
    """Homicide victims per calendar year (local time) over every recorded year."""
    rows = (
        Incident.objects.counted()
        .filter(fatal_victims__gt=0)
        .annotate(year=ExtractYear("occurred_at"))
        .order_by()
        .values("year")
        .annotate(count=Sum("fatal_victims"))
        .order_by("year")
    )
    return [{"year": r["year"], "count": r["count"]} for r in rows]


def month_windows(year: int, last_month: int = 12) -> list[Window]:
    """The calendar months of ``year`` up to ``last_month``, keyed ``m01``…``m12``."""
    return [
        Window(
            f"m{month:02d}",
            dt.date(year, month, 1),
            dt.date(year, month, calendar.monthrange(year, month)[1]),
        )
        for month in range(1, last_month + 1)
    ]


def shootings_per_month(
    year: int, last_month: int = 12, *, counts: dict | None = None
) -> list[dict]:
    """Homicide and non-fatal injury shooting victims per month of ``year`` up to ``last_month``.

    ``counts``: outcome counts that already include the ``month_windows`` (the worksheet asks for
    them in its one outcome query).
    """
    windows = month_windows(year, last_month)
    counts = counts or outcome_counts(windows)
    return [
        {
            "month": month,
            "homicides": counts["homicides"][w.key],
            "nonfatal_injury_shootings": counts["nonfatal_injury_shootings"][w.key],
        }
        for month, w in enumerate(windows, start=1)
    ]


# --- Activities ---------------------------------------------------------------------------


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

    def people(w: Window, **condition) -> Count:
        return Count("who", distinct=True, filter=Q(day__gte=w.start, day__lte=w.end, **condition))

    aggs = {f"total_{w.key}": people(w) for w in windows}
    for w in focus_windows:
        aggs[f"call_ins_{w.key}"] = people(w, source="call_in")
        aggs[f"custom_notifications_{w.key}"] = people(w, source="custom_notification")
        aggs[f"focus_{w.key}"] = people(w, focus=True)
    return reach_rows(_span(windows), _span(focus_windows)).aggregate(**aggs)


def people_reached(window: Window, part: str = "") -> QuerySet[Person]:
    """The people behind a communication figure (``part``: call_ins, custom_notifications, focus)."""
    if part == "call_ins":
        cond = Q(_attended(window))
    elif part == "custom_notifications":
        cond = Q(_notified(window))
    elif part == "focus":
        cond = Q(_attended(window, focus=True)) | Q(_notified(window, focus=True))
    else:
        cond = Q(_attended(window)) | Q(_notified(window))
    return Person.objects.filter(cond).order_by("last_name", "first_name", "pk")


def case_management_counts(windows: list[Window], focus_windows: list[Window]) -> dict[str, int]:
    """New enrolees (distinct people) per window, by referral source and focus for the main windows (one query)."""
    span = _span(windows)
    aggs = {
        f"total_{w.key}": Count("person", distinct=True, filter=_dates_in("started_on", w))
        for w in windows
    }
    for w in focus_windows:
        aggs[f"focus_{w.key}"] = Count(
            "person", distinct=True, filter=_dates_in("started_on", w) & Q(vhr=True)
        )
        for source in Enrolment.ReferralSource.values:
            aggs[f"{source}_{w.key}"] = Count(
                "person",
                distinct=True,
                filter=_dates_in("started_on", w) & Q(referral_source=source),
            )
    return (
        Enrolment.objects.filter(_dates_in("started_on", span))
        .annotate(vhr=_enrolment_focus())
        .aggregate(**aggs)
    )


def caseload_active_on(day: dt.date) -> QuerySet[Enrolment]:
    return Enrolment.objects.filter(started_on__lte=day).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day)
    )


def caseload_counts(day: dt.date) -> dict[str, int]:
    """Active caseload (distinct people) on ``day``, in all and by referral source (one query)."""
    aggs = {"total": Count("person", distinct=True)}
    for source in Enrolment.ReferralSource.values:
        aggs[source] = Count("person", distinct=True, filter=Q(referral_source=source))
    return caseload_active_on(day).aggregate(**aggs)


def enrolments_in(window: Window, part: str = "") -> QuerySet[Enrolment]:
    qs = Enrolment.objects.filter(_dates_in("started_on", window))
    if part == "focus":
        qs = qs.annotate(vhr=_enrolment_focus()).filter(vhr=True)
    elif part in Enrolment.ReferralSource.values:
        qs = qs.filter(referral_source=part)
    return qs.select_related("person", "provider").order_by("started_on", "pk")


def units_with_latest_inputs(day: dt.date) -> list[dict]:
    """Each unit's latest staffing and enforcement-plan record on or before ``day`` (one query)."""
    staffing = UnitStaffing.objects.filter(unit=OuterRef("pk"), recorded_on__lte=day).order_by(
        "-recorded_on", "-pk"
    )
    plans = EnforcementPlanStatus.objects.filter(
        unit=OuterRef("pk"), recorded_on__lte=day
    ).order_by("-recorded_on", "-pk")
    units = Unit.objects.annotate(
        authorised=Subquery(staffing.values("authorised")[:1]),
        filled=Subquery(staffing.values("filled")[:1]),
        staffing_on=Subquery(staffing.values("recorded_on")[:1]),
        plan_up_to_date=Subquery(plans.values("up_to_date")[:1]),
        plan_on=Subquery(plans.values("recorded_on")[:1]),
    ).order_by("kind", "name")
    return [
        {
            "unit": u.name,
            "kind": u.kind,
            "authorised": u.authorised,
            "filled": u.filled,
            "staffing_percent": ind.staffing_percent(u.filled, u.authorised),
            "staffing_recorded_on": u.staffing_on.isoformat() if u.staffing_on else None,
            "plan_up_to_date": u.plan_up_to_date,
            "plan_recorded_on": u.plan_on.isoformat() if u.plan_on else None,
        }
        for u in units
    ]


def group_plans_latest(day: dt.date) -> dict[str, int]:
    """Group enforcement plans: how many groups have one, how many are up to date (one query)."""
    plans = EnforcementPlanStatus.objects.filter(
        group=OuterRef("pk"), recorded_on__lte=day
    ).order_by("-recorded_on", "-pk")
    counts = (
        Group.objects.annotate(latest_up_to_date=Subquery(plans.values("up_to_date")[:1]))
        .filter(latest_up_to_date__isnull=False)
        .aggregate(total=Count("pk"), current=Count("pk", filter=Q(latest_up_to_date=True)))
    )
    return {"total": counts["total"], "up_to_date": counts["current"]}


def enforcement_counts(windows: list[Window], focus_windows: list[Window]) -> dict[str, int]:
    """Enforcement actions per window; focused on VHR subjects, by unit kind, for the main windows (one query).

    Grouped by (unit kind, focused), so each action's focus look-up runs once, and only for actions
    inside the main windows; the handful of groups are added up here.
    """
    span, focus_span = _span(windows), _span(focus_windows)
    focused = Case(
        When(_dates_in("taken_on", focus_span) & _action_focus(focus_span), then=Value(True)),
        default=Value(False),
        output_field=BooleanField(),
    )
    groups = (
        EnforcementAction.objects.filter(_dates_in("taken_on", span))
        .order_by()
        .values(unit_kind=F("unit__kind"), focused=focused)
        .annotate(**{w.key: Count("pk", filter=_dates_in("taken_on", w)) for w in windows})
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


def enforcement_actions_in(window: Window, part: str = "") -> QuerySet[EnforcementAction]:
    qs = EnforcementAction.objects.filter(_dates_in("taken_on", window))
    if part == "focus":
        qs = qs.filter(_action_focus(window))
    elif part in Unit.Kind.values:
        qs = qs.filter(unit__kind=part)
    return qs.select_related("person", "group", "unit").order_by("taken_on", "pk")


def partnership_counts(
    windows: list[Window], focus_windows: list[Window], settings: PartnershipSettings
) -> dict[str, int]:
    """Coordination meetings held per window; attended by both leads; with risk alignment (one query)."""
    span = _span(windows)
    aggs = {f"total_{w.key}": Count("pk", filter=_dates_in("date", w)) for w in windows}
    for w in focus_windows:
        in_w = _dates_in("date", w)
        aggs[f"both_leads_{w.key}"] = Count("pk", filter=in_w & Q(police=True, human_services=True))
        aggs[f"risk_alignment_{w.key}"] = Count("pk", filter=in_w & Q(aligned=True))
    aligned = Meeting.objects.filter(_risk_alignment()).filter(pk=OuterRef("pk"))
    return (
        coordination_meetings_held()
        .filter(_dates_in("date", span))
        .annotate(
            police=_attended_by_org(settings.police_lead_id),
            human_services=_attended_by_org(settings.human_services_lead_id),
            aligned=Exists(aligned),
        )
        .aggregate(**aggs)
    )


def coordination_meetings_in(
    window: Window, part: str, settings: PartnershipSettings
) -> QuerySet[Meeting]:
    qs = coordination_meetings_held().filter(_dates_in("date", window))
    if part == "both_leads":
        qs = qs.filter(_attended_by_org(settings.police_lead_id)).filter(
            _attended_by_org(settings.human_services_lead_id)
        )
    elif part == "risk_alignment":
        qs = qs.filter(_risk_alignment())
    return qs.order_by("date", "pk")


# --- Post-call-in outcomes --------------------------------------------------------------------


# Each participant falls in the first category that applies (SPEC §4's exclusive categories). A
# rank per event makes that a count: a person's category is their highest-ranked event, so the
# people *in* a category are those with an event ranked at least that high, minus those with one
# ranked higher -- no per-person flags to evaluate.
POST_CALL_IN_RANKS = {
    "homicide_victim": 4,
    "shooting_victim": 3,
    "arrested_violent_gun": 2,
    "suspect_not_arrested": 1,
    "no_violent_arrest": 0,
}


def post_call_in_events(as_of: dt.date, *, at_least: int = 0) -> list[QuerySet]:
    """Rows (``who``, ``rank``) of what happened to call-in participants, up to ``as_of``.

    Rank 0 is the attendance itself (everyone who attended a call-in on or before ``as_of``); the
    others are events on a later local day than one of the person's call-ins -- so after the first:
    killed (4), wounded in a shooting (3), arrested for a violent or gun offence (2), named as a
    suspect (1). Only rows ranked ``at_least`` or higher are returned.
    """
    _, until = day_window(as_of, as_of)
    involvement_rank = Case(
        When(Q(role=Involvement.Role.VICTIM) & VICTIM_FILTERS["homicides"], then=Value(4)),
        When(
            Q(role=Involvement.Role.VICTIM) & VICTIM_FILTERS["nonfatal_injury_shootings"],
            then=Value(3),
        ),
        When(role=Involvement.Role.SUSPECT, then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    involvements = (
        Involvement.objects.filter(
            Q(role=Involvement.Role.SUSPECT)
            | Q(
                role=Involvement.Role.VICTIM,
                injury__in=[Involvement.Injury.FATAL, Involvement.Injury.NONFATAL],
            ),
            incident__counting_status=Incident.CountingStatus.COUNTED,
            incident__occurred_at__lt=until,
            person__call_ins__held_on__lt=TruncDate("incident__occurred_at"),
        )
        .annotate(rank=involvement_rank)
        .filter(rank__gte=max(at_least, 1))
        .order_by()
        .values(who=F("person_id"), rank=F("rank"))
    )
    arrests = (
        EnforcementAction.objects.filter(
            kind=EnforcementAction.Kind.ARREST_VIOLENT_GUN,
            taken_on__lte=as_of,
            person__call_ins__held_on__lt=F("taken_on"),
        )
        .order_by()
        .values(who=F("person_id"), rank=Value(2, output_field=IntegerField()))
    )
    attendance = (
        Attendance.objects.filter(callin__held_on__lte=as_of)
        .order_by()
        .values(who=F("person_id"), rank=Value(0, output_field=IntegerField()))
    )
    return [
        qs for qs, rank in ((attendance, 0), (involvements, 4), (arrests, 2)) if rank >= at_least
    ]


def post_call_in_outcomes(as_of: dt.date) -> dict:
    """How many call-in participants fall in each exclusive category (one query)."""
    first, *rest = post_call_in_events(as_of)
    events = first.union(*rest, all=True)
    at_least = events.aggregate(
        **{f"r{rank}": Count("who", distinct=True, filter=Q(rank__gte=rank)) for rank in range(5)}
    )
    total = at_least["r0"]
    by_rank = {rank: at_least[f"r{rank}"] for rank in range(5)}
    counts = ind.exclusive_categories(by_rank, POST_CALL_IN_RANKS)
    return {
        "as_of": as_of.isoformat(),
        "participants": total,
        "categories": [
            {
                "key": key,
                "label": label,
                "count": counts[key],
                "percent": ind.percent(counts[key], total),
            }
            for key, label in POST_CALL_IN_CATEGORIES
        ],
    }


def participants_in_category(as_of: dt.date, category: str) -> QuerySet[Person]:
    """The call-in participants in one exclusive post-call-in category (the people behind a count)."""
    rank = POST_CALL_IN_RANKS[category]

    def reached(at_least: int) -> Q:
        condition = Q(pk__in=[])
        for events in post_call_in_events(as_of, at_least=at_least):
            condition |= Q(pk__in=events.values("who"))
        return condition

    people = Person.objects.filter(reached(rank))
    if rank < max(POST_CALL_IN_RANKS.values()):
        people = people.exclude(reached(rank + 1))
    return people.order_by("last_name", "first_name", "pk")


# --- Benchmarks -------------------------------------------------------------------------------


def benchmarks_for_years(years: list[int]) -> dict[tuple[str, int], int]:
    return {
        (b.indicator, b.year): b.annual_target for b in Benchmark.objects.filter(year__in=years)
    }


def benchmark_rows(year: int) -> list[dict]:
    """The benchmark page: each settable indicator with its target and last year's actual and suggestion."""
    targets = benchmarks_for_years([year, year - 1])
    last_year = Window("last_year", dt.date(year - 1, 1, 1), dt.date(year - 1, 12, 31))
    outcomes = outcome_counts([last_year])
    rows = []
    for indicator in BENCHMARKED_INDICATORS:
        previous = outcomes[indicator]["last_year"] if indicator in ind.OUTCOME_INDICATORS else None
        rows.append(
            {
                "indicator": indicator,
                "label": INDICATOR_LABELS[indicator],
                "target": targets.get((indicator, year)),
                "previous_target": targets.get((indicator, year - 1)),
                "previous_actual": previous,
                "suggested": ind.suggested_target(previous),
            }
        )
    return rows


# Enforcement's targets are fixed (fully staffed; 50% / 90% focus) and partnership's come from the
# partnership settings (coordination meetings per month), so they are not set per year here.
BENCHMARKED_INDICATORS = (
    Indicator.HOMICIDES,
    Indicator.NONFATAL_INJURY_SHOOTINGS,
    Indicator.NON_INJURY_SHOOTINGS,
    Indicator.COMMUNICATION,
    Indicator.CASE_MANAGEMENT,
)


# --- The worksheet ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Windows:
    period: Period

    @property
    def all(self) -> list[Window]:
        return ind.windows_for(self.period)

    @property
    def main(self) -> list[Window]:
        return [w for w in self.all if w.key in ("period_0", "ytd_0")]


def worksheet_compute(
    period: Period, *, notes: dict | None = None, today: dt.date | None = None
) -> dict:
    """Every figure of the worksheet for ``period`` as the JSON contract (see README). 14 queries."""
    notes = notes or {}
    windows = Windows(period)
    targets = benchmarks_for_years([period.year])
    months = month_windows(period.year, period.last_month)  # the monthly chart, same scan
    counts = outcome_counts(windows.all + months)
    outcomes = [
        ind.worksheet_row(
            indicator,
            INDICATOR_LABELS[indicator],
            counts[indicator],
            targets.get((indicator, period.year)),
            period,
        )
        for indicator in ind.OUTCOME_INDICATORS
    ]
    activities = _activity_rows(period, windows, targets)
    for row in outcomes + activities:
        row["note"] = str(notes.get(row["indicator"], ""))
    monthly = ind.monthly_benchmark(
        [
            targets.get((i, period.year))
            for i in (Indicator.HOMICIDES, Indicator.NONFATAL_INJURY_SHOOTINGS)
        ]
    )
    return {
        **_header(period, today),
        "outcomes": outcomes,
        "activities": activities,
        "charts": {
            "homicides_per_year": homicides_per_year(),
            "shootings_per_month": {
                "year": period.year,
                "months": shootings_per_month(period.year, period.last_month, counts=counts),
                "monthly_benchmark": monthly,
            },
        },
        "post_call_in_outcomes": post_call_in_outcomes(period.end),
        "windows": {w.key: [w.start.isoformat(), w.end.isoformat()] for w in windows.all},
    }


def _header(period: Period, today: dt.date | None) -> dict:
    return {
        "period": {
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "label": period.label,
            "months": period.months,
        },
        "ytd": {
            "start": period.ytd_start.isoformat(),
            "end": period.end.isoformat(),
            "months": period.ytd_months,
        },
        "computed_on": (today or timezone.localdate()).isoformat(),
        "percent_vs_benchmark_definition": "(actual − benchmark) ÷ benchmark, in percent",
        "three_year_average_years": [period.year - back for back in (3, 2, 1)],
    }


def _activity_rows(period: Period, windows: Windows, targets: dict) -> list[dict]:
    """The four activity rows: counts from the selectors, rules from ``indicators``."""
    all_windows, main = windows.all, windows.main
    settings = PartnershipSettings.load()
    labels = INDICATOR_LABELS

    def annual(indicator: str) -> int | None:
        return targets.get((indicator, period.year))

    communication = ind.communication_row(
        communication_counts(all_windows, main),
        label=labels["communication"],
        annual=annual("communication"),
        period=period,
    )
    case_management = ind.case_management_row(
        case_management_counts(all_windows, main),
        caseload_counts(period.end),
        label=labels["case_management"],
        annual=annual("case_management"),
        period=period,
        source_labels=dict(Enrolment.ReferralSource.choices),
    )
    enforcement = ind.enforcement_row(
        enforcement_counts(all_windows, main),
        label=labels["enforcement"],
        units=units_with_latest_inputs(period.end),
        group_plans=group_plans_latest(period.end),
        period=period,
    )
    partnership = ind.partnership_row(
        partnership_counts(all_windows, main, settings),
        label=labels["partnership"],
        per_month=settings.coordination_meetings_per_month,
        period=period,
        leads=_leads(settings),
    )
    return [communication, case_management, enforcement, partnership]


def _leads(settings: PartnershipSettings) -> dict:
    """The names of the police and human-services lead organisations (None when not set)."""
    return {
        "police": settings.police_lead.name if settings.police_lead_id else None,
        "human_services": (
            settings.human_services_lead.name if settings.human_services_lead_id else None
        ),
    }


# --- Worksheet versions, trend, commitments -----------------------------------------------------


def worksheets_for_period(period: Period) -> QuerySet[Worksheet]:
    return (
        Worksheet.objects.filter(period_start=period.start, period_end=period.end)
        .select_related("requested_by")
        .order_by("-version")
    )


def worksheet_latest_ready() -> Worksheet | None:
    return (
        Worksheet.objects.filter(status=Worksheet.Status.READY)
        .order_by("-period_end", "-period_start", "-version")
        .first()
    )


def period_current(today: dt.date | None = None) -> Period:
    """The latest complete two-month period before today's month (e.g. Feb–Mar when today is in April)."""
    today = today or timezone.localdate()
    first_of_month = today.replace(day=1)
    last = first_of_month - dt.timedelta(days=1)
    if last.month == 1:
        return Period(last.year - 1, 11, 12)
    return Period(last.year, last.month - 1, last.month)


def outcome_trend(last: Period, count: int = 6) -> list[dict]:
    """Homicides and non-fatal injury shootings of the ``count`` periods ending with ``last`` (two queries)."""
    periods = [last]
    while len(periods) < count:
        periods.append(periods[-1].previous(last.months))
    periods.reverse()
    windows = [Window(f"p{i}", p.start, p.end) for i, p in enumerate(periods)]
    counts = outcome_counts(windows)
    targets = benchmarks_for_years(sorted({p.year for p in periods}))
    trend = []
    for i, p in enumerate(periods):
        entry = {"period": p.slug, "label": p.label, "short_label": f"{p.short_label} {p.year}"}
        for indicator in ("homicides", "nonfatal_injury_shootings"):
            entry[indicator] = ind.outcome_against_benchmark(
                indicator, counts[indicator][f"p{i}"], targets.get((indicator, p.year)), p.months
            )
        trend.append(entry)
    return trend


def commitments_open(tasks: QuerySet[Task]) -> QuerySet[Task]:
    """Open next-step commitments made at performance reviews."""
    return (
        tasks_open(tasks)
        .filter(source_meeting__kind=Meeting.Kind.PERFORMANCE_REVIEW)
        .select_related("assigned_organisation", "source_meeting")
        .order_by("due_date", "id")
    )


def performance_reviews(meetings: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return (
        meetings.filter(kind=Meeting.Kind.PERFORMANCE_REVIEW)
        .select_related("facilitator")
        .order_by("-date", "-id")
    )


def meetings_due_for_worksheet(today: dt.date, days_before: int = 2) -> QuerySet[Meeting]:
    """Performance reviews not yet closed, due within ``days_before`` days (today included)."""
    return Meeting.objects.filter(
        kind=Meeting.Kind.PERFORMANCE_REVIEW,
        date__gte=today,
        date__lte=today + dt.timedelta(days=days_before),
    ).exclude(state=Meeting.State.CLOSED)


def worksheet_period_for_meeting(meeting: Meeting) -> Period:
    if meeting.period_start and meeting.period_end:
        try:
            return Period.from_dates(meeting.period_start, meeting.period_end)
        except ValueError:
            pass  # not a two-month (or 1–12 month) span within a year: fall back to the usual period
    return period_current(meeting.date)


def victims_in(indicator: str, window: Window) -> QuerySet[Involvement]:
    incidents = Incident.objects.counted().filter(_in_days("occurred_at", window)).values("pk")
    return (
        victims_counted()
        .filter(VICTIM_FILTERS[indicator])
        .filter(incident__in=incidents)
        .select_related("incident", "person")
        .order_by("incident__occurred_at", "pk")
    )


def non_injury_shootings_in(window: Window) -> QuerySet[Incident]:
    return (
        non_injury_shootings().filter(_in_days("occurred_at", window)).order_by("occurred_at", "pk")
    )
