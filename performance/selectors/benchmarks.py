"""Benchmarks (each indicator's annual target per year), and the outcomes read against them
outside the worksheet: the benchmark page's last year, the landing page's trend."""

from __future__ import annotations

import datetime as dt

from ceasefire.core.models import Benchmark, Indicator

from .. import indicators as ind
from ..indicators import Period, Window
from .outcomes import outcome_counts

INDICATOR_LABELS = dict(Indicator.choices)


# Enforcement's targets are fixed (fully staffed; 50% / 90% focus) and partnership's come from the
# partnership settings (coordination meetings per month), so they are not set per year here.
BENCHMARKED_INDICATORS = (
    Indicator.HOMICIDES,
    Indicator.NONFATAL_INJURY_SHOOTINGS,
    Indicator.NON_INJURY_SHOOTINGS,
    Indicator.COMMUNICATION,
    Indicator.CASE_MANAGEMENT,
)


def benchmarks_for_years(years: list[int]) -> dict[tuple[str, int], int]:
    return {
        (b.indicator, b.year): b.annual_target for b in Benchmark.objects.filter(year__in=years)
    }


def benchmark_rows(year: int) -> list[dict]:
    """The benchmark page: each settable indicator's target, last year's actual, a suggestion."""
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


def outcome_trend(last: Period, count: int = 6) -> list[dict]:
    """Homicides and non-fatal injury shootings of the ``count`` periods ending with ``last``.

    Two queries.
    """
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
