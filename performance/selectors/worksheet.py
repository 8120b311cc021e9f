"""The worksheet: every figure of a period as the JSON contract (see the README).

Figures come from the other selector modules, one query each whatever the data size; the rules
that turn them into rows (benchmarks, meets, focus, enforcement, partnership) are the pure
functions of ``performance.indicators``. A whole worksheet costs 14 queries (the tests' bound
is 25).

The computed figures of a period are cached (Django's cache: Redis with a broker, else in-process)
under the data version (``core.DataVersion``, set by database triggers whenever a table that feeds
the worksheet is written) and the day: a write makes a new version and so a new cache key, never
a stale figure. The worksheet page, the API and the PDF job all go through ``worksheet_compute``,
so after the first of them the others cost one query (the version) and a cache read.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.core.cache import cache
from django.utils import timezone

from ceasefire.core.dataversion import data_version
from ceasefire.core.models import Enrolment, Indicator, PartnershipSettings

from .. import indicators as ind
from ..indicators import Period, Window
from .activities import (
    case_management_counts,
    caseload_counts,
    communication_counts,
    enforcement_counts,
    group_plans_latest,
    partnership_counts,
    units_with_latest_inputs,
)
from .benchmarks import INDICATOR_LABELS, benchmarks_for_years
from .outcomes import homicides_per_year, month_windows, outcome_counts, shootings_per_month
from .post_call_in import post_call_in_outcomes


@dataclass(frozen=True)
class Windows:
    period: Period

    @property
    def all(self) -> list[Window]:
        return ind.windows_for(self.period)

    @property
    def main(self) -> list[Window]:
        return [w for w in self.all if w.key in ("period_0", "ytd_0")]


logger = logging.getLogger(__name__)

# Part of every cache key: bump it when the worksheet's JSON or the way a figure is counted changes,
# so a deploy never serves figures computed by the previous code.
CACHE_FORMAT = 1
CACHE_SECONDS = 24 * 60 * 60


def worksheet_cache_key(period: Period, version: int, today: dt.date) -> str:
    return (
        f"performance:worksheet:{CACHE_FORMAT}:{period.slug}:{timezone.localdate()}:{today}:"
        f"{version}"
    )


def worksheet_compute(
    period: Period, *, notes: dict | None = None, today: dt.date | None = None
) -> dict:
    """Every figure of the worksheet of ``period``, as the JSON contract (README), with ``notes``.

    From the cache when nothing that feeds the worksheet was written since it was computed (one
    query and a cache read); else computed (15 queries) and cached.
    """
    today = today or timezone.localdate()
    version = data_version()
    key = worksheet_cache_key(period, version, today) if version is not None else None
    figures = _cache_get(key)
    if figures is None:
        figures = worksheet_figures(period, today=today)
        _cache_set(key, figures)
    for row in figures["outcomes"] + figures["activities"]:
        row["note"] = str((notes or {}).get(row["indicator"], ""))
    return figures


def _cache_get(key: str | None) -> dict | None:
    if key is None:
        return None
    try:
        return cache.get(key)  # a fresh copy: the cache backends pickle
    except Exception:  # the cache is an optimisation: an unreachable Redis computes instead
        logger.warning("Worksheet cache unavailable; computing the figures", exc_info=True)
        return None


def _cache_set(key: str | None, figures: dict) -> None:
    if key is None:
        return
    try:
        cache.set(key, figures, CACHE_SECONDS)
    except Exception:
        logger.warning("Worksheet cache unavailable; figures not cached", exc_info=True)


def worksheet_figures(period: Period, *, today: dt.date | None = None) -> dict:
    """Every figure of the worksheet of ``period``, computed now (14 queries), notes empty."""
    notes: dict = {}
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
            "homicides_per_year": homicides_per_year(through=period.end),
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
