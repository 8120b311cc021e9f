"""Reads on the shared model used by more than one app. Selectors never write."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.db.models.expressions import RawSQL

from .dataversion import RECORDS, cached_on_data, queryset_key
from .models import Conflict, Incident, Involvement, Meeting, RiskDesignation, Task, Worksheet

# --- Local-time windows -----------------------------------------------------------------


def local_tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_midnight(day: dt.date) -> dt.datetime:
    """The aware datetime at which ``day`` starts in the partnership's time zone."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=local_tz())


def day_window(first: dt.date, last: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """Half-open [first 00:00, day after last 00:00) in local time (DST-safe)."""
    return local_midnight(first), local_midnight(last + dt.timedelta(days=1))


def month_end(year: int, month: int) -> dt.date:
    if month == 12:
        return dt.date(year, 12, 31)
    return dt.date(year, month + 1, 1) - dt.timedelta(days=1)


# --- Victim-based counting ---------------------------------------------------------------


VICTIM_COUNT_FILTERS = {
    # homicides: fatal victims, any weapon
    "homicides": Q(role=Involvement.Role.VICTIM, injury=Involvement.Injury.FATAL),
    # non-fatal injury shootings: wounded (not killed) victims of firearm incidents
    "nonfatal_injury_shootings": Q(
        role=Involvement.Role.VICTIM,
        injury=Involvement.Injury.NONFATAL,
        incident__weapon=Incident.Weapon.FIREARM,
    ),
}


def victim_counts(
    start: dt.datetime, end: dt.datetime, *, counted_only: bool = True
) -> dict[str, int]:
    """Per-victim counts in [start, end): homicides, non-fatal and non-injury shootings.

    Non-injury shootings are incidents (firearm, nobody hit), counted per incident.
    One query for the victim counts, one for non-injury incidents.
    """
    involvements = Involvement.objects.filter(
        incident__occurred_at__gte=start, incident__occurred_at__lt=end
    )
    incidents = Incident.objects.in_window(start, end)
    if counted_only:
        involvements = involvements.filter(
            incident__counting_status=Incident.CountingStatus.COUNTED
        )
        incidents = incidents.counted()
    counts = involvements.aggregate(
        **{name: Count("id", filter=cond) for name, cond in VICTIM_COUNT_FILTERS.items()}
    )
    counts["non_injury_shootings"] = incidents.of_kind("non_injury_shooting").count()
    return counts


# --- Conflicts -------------------------------------------------------------------------------


def conflicts_of_groups(group_ids) -> QuerySet[Conflict]:
    """The conflicts either side of which is one of the groups, by status then name."""
    return (
        Conflict.objects.filter(Q(group_a_id__in=group_ids) | Q(group_b_id__in=group_ids))
        .select_related("group_a", "group_b")
        .order_by("status", "group_a__name")
    )


# --- Designations and tasks -----------------------------------------------------------------


def designations_due_for_review(on: dt.date, *, within_days: int = 14) -> QuerySet[RiskDesignation]:
    """Open confirmed designations whose review date has passed or falls within ``within_days``,
    and those recorded before criteria were required that still need a documented basis."""
    return (
        RiskDesignation.objects.confirmed()
        .open()
        .filter(Q(review_due__lte=on + dt.timedelta(days=within_days)) | Q(needs_basis=True))
        .select_related("person", "designated_by")
        .order_by("review_due")
    )


def designations_pending() -> QuerySet[RiskDesignation]:
    """Designations made outside a review, awaiting the next review's confirmation."""
    return (
        RiskDesignation.objects.pending()
        .filter(ended_on__isnull=True)
        .select_related("person", "designated_by")
        .prefetch_related("basis_incidents")
        .order_by("designated_on", "id")
    )


def tasks_open(tasks: QuerySet[Task] | None = None) -> QuerySet[Task]:
    qs = tasks if tasks is not None else Task.objects.all()
    return qs.filter(status__in=Task.OPEN_STATUSES)


def tasks_carried_forward(
    kind: str, before: dt.date, tasks: QuerySet[Task] | None = None
) -> QuerySet[Task]:
    """Open tasks made by earlier meetings of ``kind``: they reappear at every next one."""
    return (
        tasks_open(tasks)
        .filter(source_meeting__kind=kind, source_meeting__date__lt=before)
        .select_related(
            "assigned_organisation", "assigned_user", "source_meeting", "subject_person"
        )
        .prefetch_related("updates")
        .order_by("due_date", "id")
    )


# --- Referrals: accepted or declined by the organisation a task is given to ----------------------

REFERRAL_ANSWER_WORKING_DAYS = 2


def working_days_before(day: dt.date, days: int) -> dt.date:
    """The date ``days`` working days (Monday to Friday) before ``day``."""
    while days:
        day -= dt.timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def referral_cutoff(today: dt.date) -> dt.datetime:
    """A referral made before this moment and still unanswered is late: two working days have
    passed since the day it was made (made Monday, it is late from Thursday)."""
    return local_midnight(working_days_before(today, REFERRAL_ANSWER_WORKING_DAYS))


def referrals_escalated(tasks: QuerySet[Task], *, today: dt.date) -> QuerySet[Task]:
    """Open tasks that need someone's attention: unanswered two working days after they were made,
    overdue, or declined and waiting to be reassigned by the meeting that made them."""
    late = Q(referral=Task.Referral.AWAITING, created_at__lt=referral_cutoff(today))
    overdue = Q(due_date__lt=today)
    declined = Q(referral=Task.Referral.DECLINED)
    return (
        tasks_open(tasks)
        .filter(late | overdue | declined)
        .select_related("assigned_organisation", "source_meeting", "subject_person")
        .order_by("due_date", "id")
    )


def escalation_reason(task: Task, *, today: dt.date, with_reason: bool = True) -> str:
    """Why a task is escalated, in words (e-mail leaves out a decline's free-text reason)."""
    if task.referral == Task.Referral.DECLINED:
        declined = f"declined by {task.assigned_organisation}"
        return f"{declined}: {task.decline_reason}" if with_reason else declined
    if task.referral == Task.Referral.AWAITING and task.created_at < referral_cutoff(today):
        return f"not accepted by {task.assigned_organisation} after two working days"
    return f"overdue since {task.due_date:%-d %b}"


def referral_health(tasks: QuerySet[Task], *, today: dt.date, days: int = 90) -> dict:
    """How quickly organisations answer referrals made in the last ``days`` days: how many were
    made, answered, accepted within two working days, declined, and the median hours to answer.

    Worked out once per records version for the same tasks (``tasks``' SQL is in the key), as the
    coordination meeting shows it to everyone at the table."""
    return cached_on_data(
        f"core:referral-health:{queryset_key(tasks)}:{today.isoformat()}:{days}",
        lambda: _referral_health(tasks, today=today, days=days),
        scope=RECORDS,
    )


def _referral_health(tasks: QuerySet[Task], *, today: dt.date, days: int) -> dict:
    since = local_midnight(today - dt.timedelta(days=days))
    made = tasks.filter(created_at__gte=since).exclude(
        referral=Task.Referral.ACCEPTED, referral_answered_at__isnull=True
    )  # accepted with no answer time: given to the maker's own organisation, not a referral
    rows = list(made.values_list("referral", "created_at", "referral_answered_at"))
    answered = [(state, made_at, at) for state, made_at, at in rows if at is not None]
    hours = sorted((at - made_at).total_seconds() / 3600 for _, made_at, at in answered)
    on_time = sum(
        1
        for state, made_at, at in answered
        if state == Task.Referral.ACCEPTED
        and working_days_before(timezone_localdate(at), REFERRAL_ANSWER_WORKING_DAYS)
        <= timezone_localdate(made_at)
    )
    median = None
    if hours:
        middle = len(hours) // 2
        median = hours[middle] if len(hours) % 2 else (hours[middle - 1] + hours[middle]) / 2
    return {
        "days": days,
        "made": len(rows),
        "answered": len(answered),
        "accepted_on_time": on_time,
        "declined": sum(1 for state, _, _ in answered if state == Task.Referral.DECLINED),
        "awaiting": sum(1 for state, _, at in rows if at is None),
        "median_hours": round(median, 1) if median is not None else None,
    }


def timezone_localdate(moment: dt.datetime) -> dt.date:
    return moment.astimezone(local_tz()).date()


def meeting_next(
    kind: str, today: dt.date, meetings: Iterable[Meeting] | QuerySet[Meeting] | None = None
) -> Meeting | None:
    qs = meetings if meetings is not None else Meeting.objects.all()
    return (
        qs.filter(kind=kind, date__gte=today)
        .exclude(state=Meeting.State.CLOSED)
        .order_by("date")
        .first()
    )


def worksheet_latest_ready() -> Worksheet | None:
    """The newest worksheet version ready to read (the latest period, then the latest version)."""
    return (
        Worksheet.objects.filter(status=Worksheet.Status.READY)
        .order_by("-period_end", "-version")
        .first()
    )


def audit_events_matching(
    events,
    *,
    user: str = "",
    person: int | None = None,
    action: str = "",
    outcome: str = "",
    object_type: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
):
    """The audit events the auditor's filters select: ``person`` matches events about the person
    and views of pages that showed them (``detail.people``); dates are local days."""
    if user:
        events = events.filter(actor_label__iexact=user)
    if action:
        events = events.filter(action=action)
    if outcome:
        events = events.filter(outcome=outcome)
    if object_type:
        events = events.filter(object_type=object_type)
    if person:
        events = events.filter(
            Q(object_type="core.person", object_id=str(person)) | Q(pk__in=_shown_person(person))
        )
    if date_from:
        events = events.filter(at__gte=local_midnight(date_from))
    if date_to:
        events = events.filter(at__lt=local_midnight(date_to + dt.timedelta(days=1)))
    return events


def _shown_person(person: int) -> RawSQL:
    """Ids of events whose ``detail.people`` lists the person (a JSON containment per database)."""
    if connection.vendor == "postgresql":
        sql = "SELECT id FROM core_auditevent WHERE detail -> 'people' @> %s::jsonb"
        return RawSQL(sql, [json.dumps([person])])
    sql = (
        "SELECT id FROM core_auditevent WHERE EXISTS "
        "(SELECT 1 FROM json_each(core_auditevent.detail, '$.people') WHERE value = %s)"
    )
    return RawSQL(sql, [person])
