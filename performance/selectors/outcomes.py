"""Outcome figures: homicides and shootings per window, per year and per month (SPEC §4).

Counted per victim (homicides, non-fatal injury shootings) or per incident (non-injury
shootings), for incidents whose counting status is "counted", in local days.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, Q, Sum, Value, When
from django.db.models.functions import ExtractYear
from django.utils import timezone

from ceasefire.core.models import Incident
from ceasefire.core.selectors import local_midnight

from .. import indicators as ind
from ..indicators import Window
from .filters import in_days, window_span
from .statements import fetch_rows


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
        """The atom of each row's ``field`` (an aware datetime); rows are inside the edges."""
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
    """Homicides and non-fatal injury shootings (victims), non-injury shootings (incidents).

    Per window.

    One query whatever the number of windows or rows: counted incidents in the windows' span,
    summing each incident's killed and wounded victims (``Incident.fatal_victims`` /
    ``nonfatal_victims``, kept by the database from the victims), counted per atom. A firearm
    incident with nobody killed or wounded is a non-injury shooting.
    """
    if not windows:
        return {name: {} for name in ind.OUTCOME_INDICATORS}
    atoms = Atoms.of(windows)

    def build():
        firearm = Q(weapon=Incident.Weapon.FIREARM)
        return (
            Incident.objects.counted()
            .filter(in_days("occurred_at", window_span(windows)))
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

    rows = fetch_rows(
        ("outcomes", atoms.edges, timezone.get_current_timezone_name()),
        build,
        {"homicides": int, "nonfatal_injury_shootings": int, "non_injury_shootings": int},
    )
    by_atom = {row["atom"]: row for row in rows}
    return {
        name: {
            w.key: sum(by_atom[i][name] for i in atoms.in_window(w) if i in by_atom)
            for w in windows
        }
        for name in ind.OUTCOME_INDICATORS
    }


def homicides_per_year(through: dt.date | None = None) -> list[dict]:
    """Homicide victims per calendar year (local time), every recorded year up to ``through``.

    A worksheet of a past period charts only the years up to its own end: nothing after
    ``through`` is counted, and the year ``through`` falls in is marked ``partial`` unless
    ``through`` is 31 December (then it is a whole year).
    """

    def build():
        incidents = Incident.objects.counted().filter(fatal_victims__gt=0)
        if through is not None:
            end = local_midnight(through + dt.timedelta(days=1))
            incidents = incidents.filter(occurred_at__lt=end)
        return (
            incidents.annotate(year=ExtractYear("occurred_at"))
            .order_by()
            .values("year")
            .annotate(count=Sum("fatal_victims"))
            .order_by("year")
        )

    rows = fetch_rows(
        ("homicides_per_year", through, timezone.get_current_timezone_name()),
        build,
        {"year": int, "count": int},
    )
    partial_year = through.year if through and (through.month, through.day) != (12, 31) else None
    return [
        {"year": r["year"], "count": r["count"], "partial": r["year"] == partial_year} for r in rows
    ]


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
