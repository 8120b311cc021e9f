"""Outcomes of call-in participants after their call-in (SPEC §4's exclusive categories)."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from ceasefire.core.models import CallIn, EnforcementAction, Incident, Involvement, Person
from ceasefire.core.selectors import day_window

from .. import indicators as ind
from .filters import VICTIM_FILTERS, Attendance

POST_CALL_IN_CATEGORIES = [
    ("homicide_victim", "Homicide victim"),
    ("shooting_victim", "Victim of a non-fatal shooting"),
    ("arrested_violent_gun", "Arrested for a violent or gun offence"),
    ("suspect_not_arrested", "Suspect in a violent offence, not arrested"),
    ("no_violent_arrest", "No arrest for a violent offence"),
]


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


def _rank(category: str) -> Value:
    return Value(POST_CALL_IN_RANKS[category], output_field=IntegerField())


def _involvement_rank() -> Case:
    """An involvement's rank: killed, wounded in a shooting, or named as a suspect."""
    victim = Q(role=Involvement.Role.VICTIM)
    return Case(
        When(victim & VICTIM_FILTERS["homicides"], then=_rank("homicide_victim")),
        When(victim & VICTIM_FILTERS["nonfatal_injury_shootings"], then=_rank("shooting_victim")),
        When(role=Involvement.Role.SUSPECT, then=_rank("suspect_not_arrested")),
        default=Value(0),
        output_field=IntegerField(),
    )


def post_call_in_events(as_of: dt.date, *, at_least: int = 0) -> list[QuerySet]:
    """Rows (``who``, ``rank``) of what happened to call-in participants, up to ``as_of``.

    Rank 0 is the attendance itself (everyone who attended a call-in on or before ``as_of``); the
    others are events on a later local day than one of the person's call-ins -- so after the first:
    killed (4), wounded in a shooting (3), arrested for a violent or gun offence (2), named as a
    suspect (1). Only rows ranked ``at_least`` or higher are returned.
    """
    _, until = day_window(as_of, as_of)
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
        .annotate(rank=_involvement_rank())
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
        .values(who=F("person_id"), rank=_rank("arrested_violent_gun"))
    )
    attendance = (
        Attendance.objects.filter(callin__held_on__lte=as_of)
        .order_by()
        .values(who=F("person_id"), rank=_rank("no_violent_arrest"))
    )
    return [
        qs for qs, rank in ((attendance, 0), (involvements, 4), (arrests, 2)) if rank >= at_least
    ]


# The counts as one set-based statement: each participant's first call-in (one aggregate over the
# attendance), each participant's highest-ranked event after it (one aggregate per kind of event,
# joined to those few thousand people), then a count per rank. The earlier ORM form joined every
# event to every call-in of its person and counted distinct people per rank over the union
# (seven COUNT(DISTINCT) sorts); this one never multiplies rows. The ranks and definitions are
# those of ``post_call_in_events`` and ``VICTIM_FILTERS`` (the records behind each count use
# them; tests check both agree).
_OUTCOMES_SQL = """
WITH first_call_in AS (
    SELECT a.person_id, MIN(c.held_on) AS held_on
    FROM {attendance} a JOIN {callin} c ON c.id = a.callin_id
    WHERE c.held_on <= %s
    GROUP BY a.person_id
),
events AS (
    SELECT v.person_id, MAX(CASE
        WHEN v.role = %s AND v.injury = %s THEN 4
        WHEN v.role = %s AND v.injury = %s AND i.weapon = %s THEN 3
        WHEN v.role = %s THEN 1
        ELSE 0 END) AS rank
    FROM {involvement} v
    JOIN first_call_in f ON f.person_id = v.person_id
    JOIN {incident} i ON i.id = v.incident_id
    WHERE i.counting_status = %s AND i.occurred_at < %s AND {local_day} > f.held_on
      AND (v.role = %s OR (v.role = %s AND v.injury IN (%s, %s)))
    GROUP BY v.person_id
    UNION ALL
    SELECT e.person_id, 2 AS rank
    FROM {action} e JOIN first_call_in f ON f.person_id = e.person_id
    WHERE e.kind = %s AND e.taken_on <= %s AND e.taken_on > f.held_on
    GROUP BY e.person_id
),
best AS (
    SELECT f.person_id, COALESCE(MAX(e.rank), 0) AS rank
    FROM first_call_in f LEFT JOIN events e ON e.person_id = f.person_id
    GROUP BY f.person_id
)
SELECT rank, COUNT(*) FROM best GROUP BY rank
"""


def _outcome_rank_counts(as_of: dt.date) -> dict[int, int]:
    """How many participants have each rank as their highest (one query)."""
    _, until = day_window(as_of, as_of)
    local_day, day_params = connection.ops.datetime_cast_date_sql(
        "i.occurred_at", (), timezone.get_current_timezone_name()
    )
    sql = _OUTCOMES_SQL.format(
        attendance=Attendance._meta.db_table,
        callin=CallIn._meta.db_table,
        involvement=Involvement._meta.db_table,
        incident=Incident._meta.db_table,
        action=EnforcementAction._meta.db_table,
        local_day=local_day,
    )
    role, injury = Involvement.Role, Involvement.Injury
    day = connection.ops.adapt_datefield_value(as_of)
    params = [
        day,
        *(role.VICTIM, injury.FATAL, role.VICTIM, injury.NONFATAL, Incident.Weapon.FIREARM),
        role.SUSPECT,
        Incident.CountingStatus.COUNTED,
        connection.ops.adapt_datetimefield_value(until),
        *day_params,
        *(role.SUSPECT, role.VICTIM, injury.FATAL, injury.NONFATAL),
        EnforcementAction.Kind.ARREST_VIOLENT_GUN,
        day,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, [p.value if hasattr(p, "value") else p for p in params])
        return dict(cursor.fetchall())


def post_call_in_outcomes(as_of: dt.date) -> dict:
    """How many call-in participants fall in each exclusive category (one query)."""
    per_rank = _outcome_rank_counts(as_of)
    by_rank = {rank: sum(n for r, n in per_rank.items() if r >= rank) for rank in range(5)}
    total = by_rank[0]
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
    """The call-in participants in one exclusive category (the people behind its count)."""
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
