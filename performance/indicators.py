"""The worksheet's arithmetic (SPEC §4): pure functions, no database.

Queries live in ``selectors.py``; they hand plain numbers to these functions, so every rule
here (windows, prorating, rounding, meets, percent versus benchmark) is tested without a
database.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ceasefire.core.selectors import month_end

OUTCOME_INDICATORS = ("homicides", "nonfatal_injury_shootings", "non_injury_shootings")
ACTIVITY_INDICATORS = ("communication", "case_management", "enforcement", "partnership")
# Outcomes meet when at or under the benchmark; activities when at or over it.
LOWER_IS_BETTER = frozenset(OUTCOME_INDICATORS)

# Focus (risk) targets of SPEC §4, in percent.
COMMUNICATION_FOCUS_TARGET = 90
CASE_MANAGEMENT_FOCUS_TARGET = 75
ENFORCEMENT_FOCUS_TARGETS = {"area": 50, "specialised": 90}

_PERIOD_RE = re.compile(r"^(\d{4})-(\d{2})\.\.(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Period:
    """Months ``first_month``..``last_month`` of ``year`` (1–12 months within one year)."""

    year: int
    first_month: int
    last_month: int

    def __post_init__(self):
        if not 1990 <= self.year <= 2100:
            raise ValueError("The year must be between 1990 and 2100.")
        if not (1 <= self.first_month <= self.last_month <= 12):
            raise ValueError(
                "A period runs from a first month to a later (or the same) month of one year."
            )

    @classmethod
    def parse(cls, text: str) -> Period:
        """``2017-02..2017-03`` → Feb–Mar 2017. Raises ValueError with a readable message."""
        match = _PERIOD_RE.match((text or "").strip())
        if not match:
            raise ValueError("Write the period as YYYY-MM..YYYY-MM, for example 2017-02..2017-03.")
        y1, m1, y2, m2 = (int(g) for g in match.groups())
        if y1 != y2:
            raise ValueError("A period stays within one year.")
        return cls(y1, m1, m2)

    @classmethod
    def from_dates(cls, start: dt.date, end: dt.date) -> Period:
        if start.year != end.year or start.day != 1 or end != month_end(end.year, end.month):
            raise ValueError(
                "A period runs from the first day of a month to the last day of a month of the same year."
            )
        return cls(start.year, start.month, end.month)

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        return month_end(self.year, self.last_month)

    @property
    def months(self) -> int:
        return self.last_month - self.first_month + 1

    @property
    def ytd_start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def ytd_months(self) -> int:
        return self.last_month

    @property
    def slug(self) -> str:
        return f"{self.year}-{self.first_month:02d}..{self.year}-{self.last_month:02d}"

    @property
    def label(self) -> str:
        first = self.start.strftime("%B")
        if self.months == 1:
            return f"{first} {self.year}"
        return f"{first}–{self.end.strftime('%B')} {self.year}"

    @property
    def short_label(self) -> str:
        if self.months == 1:
            return self.start.strftime("%b").upper()
        return f"{self.start:%b}-{self.end:%b}".upper()

    def shifted(self, years: int) -> Period:
        return Period(self.year + years, self.first_month, self.last_month)

    def previous(self, months: int | None = None) -> Period:
        """The period of ``months`` (default: this one's length) ending the month before this one starts.

        Periods stay within a year, so one that would reach into the previous year is cut at January.
        """
        months = months or self.months
        if self.first_month == 1:
            return Period(self.year - 1, 13 - months, 12)
        return Period(self.year, max(1, self.first_month - months), self.first_month - 1)


@dataclass(frozen=True)
class Window:
    """An inclusive range of local dates, named e.g. ``period_0`` (this year) or ``ytd_2`` (two years back)."""

    key: str
    start: dt.date
    end: dt.date


def windows_for(period: Period, years_back: int = 3) -> list[Window]:
    """Period and YTD windows for this year and each of ``years_back`` previous years."""
    windows = []
    for back in range(years_back + 1):
        p = period.shifted(-back)
        windows.append(Window(f"period_{back}", p.start, p.end))
        windows.append(Window(f"ytd_{back}", p.ytd_start, p.end))
    return windows


def round_half_up(numerator: int, denominator: int) -> int:
    """Nearest whole number of a non-negative fraction, halves rounded up (Python's round() rounds to even)."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    return (2 * numerator + denominator) // (2 * denominator)


def prorate(annual: int | None, months: int) -> int | None:
    """A window's benchmark: annual target × months ÷ 12, to the nearest whole number (72 → 18 for 3 months)."""
    if annual is None:
        return None
    return round_half_up(annual * months, 12)


def three_year_average(values: list[int]) -> int:
    """Mean of the three previous years, rounded half up to a whole number (like the seed worksheet)."""
    return round_half_up(sum(values), len(values)) if values else 0


def meets(indicator: str, actual: int | float | None, benchmark: int | float | None) -> bool | None:
    """Outcomes meet at or under the benchmark; activities at or over it. None when there is no benchmark."""
    if actual is None or benchmark is None:
        return None
    if indicator in LOWER_IS_BETTER:
        return actual <= benchmark
    return actual >= benchmark


def percent_vs_benchmark(actual: int | float | None, benchmark: int | float | None) -> float | None:
    """(actual − benchmark) ÷ benchmark, in percent with one decimal (we divide by the benchmark)."""
    if actual is None or not benchmark:
        return None
    return round((actual - benchmark) * 100 / benchmark, 1)


def percent(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in percent, one decimal; None when there is nothing to divide."""
    if not whole:
        return None
    return round(part * 100 / whole, 1)


def suggested_target(previous_year_actual: int | None) -> int | None:
    """The benchmark page's suggestion: 90% of last year's actual (a 10% reduction), rounded half up."""
    if previous_year_actual is None:
        return None
    return round_half_up(previous_year_actual * 9, 10)


def window_figures(
    indicator: str, *, actual, prior_year, previous_three: list[int], benchmark
) -> dict:
    """One window's cells of a worksheet row."""
    return {
        "benchmark": benchmark,
        "actual": actual,
        "prior_year": prior_year,
        "three_year_average": three_year_average(previous_three),
        "meets": meets(indicator, actual, benchmark),
        "percent_vs_benchmark": percent_vs_benchmark(actual, benchmark),
    }


def status_text(meets_value: bool | None, pct: float | None, indicator: str) -> str:
    """Words for a cell's status, so it reads without colour: "meets benchmark" / "does not meet — 17% over"."""
    if meets_value is None:
        return "no benchmark set"
    if meets_value:
        return "meets benchmark"
    if pct is None:
        return "does not meet benchmark"
    direction = "over" if pct > 0 else "under"
    return f"does not meet benchmark — {round_half_up(int(abs(pct) * 10), 10)}% {direction}"
