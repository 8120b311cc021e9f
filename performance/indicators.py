"""The worksheet's rules (SPEC §4): pure functions, no database.

Queries live in ``selectors/``; they hand plain numbers to these functions, so every rule here
is tested without a database: periods and windows, prorating and rounding, meets and percent
versus benchmark, the focus percentages, the enforcement rules (staffing, plans up to date, the
focus target of each kind of unit), the partnership benchmark, and the assembly of a worksheet
row from its counts.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ceasefire.core.selectors import month_end

OUTCOME_INDICATORS = ("homicides", "nonfatal_injury_shootings", "non_injury_shootings")
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
                "A period runs from the first day of a month to the last day of a month"
                " of the same year."
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
        """The period of ``months`` (default: this one's length) that ends as this one starts.

        Periods stay within a year: one that would reach into the previous year is cut at January.
        """
        months = months or self.months
        if self.first_month == 1:
            return Period(self.year - 1, 13 - months, 12)
        return Period(self.year, max(1, self.first_month - months), self.first_month - 1)


@dataclass(frozen=True)
class Window:
    """An inclusive range of local dates, e.g. ``period_0`` (this year), ``ytd_2`` (2 years ago)."""

    key: str
    start: dt.date
    end: dt.date


def figure_window(period: Period, name: str, year: int) -> Window:
    """The window of one worksheet figure: ``ytd`` or ``period`` of ``year`` (this or 3 back).

    Raises ValueError for another window name or a year the worksheet does not show.
    """
    if name not in ("ytd", "period"):
        raise ValueError("No such figure.")
    if not period.year - 3 <= year <= period.year:
        raise ValueError("No such year on this worksheet.")
    shifted = period.shifted(year - period.year)
    return Window(name, shifted.ytd_start if name == "ytd" else shifted.start, shifted.end)


def windows_for(period: Period, years_back: int = 3) -> list[Window]:
    """Period and YTD windows for this year and each of ``years_back`` previous years."""
    windows = []
    for back in range(years_back + 1):
        p = period.shifted(-back)
        windows.append(Window(f"period_{back}", p.start, p.end))
        windows.append(Window(f"ytd_{back}", p.ytd_start, p.end))
    return windows


def round_half_up(numerator: int, denominator: int) -> int:
    """A non-negative fraction to the nearest whole number, halves up (round() goes to even)."""
    if denominator <= 0:
        raise ValueError("denominator must be positive")
    return (2 * numerator + denominator) // (2 * denominator)


def prorate(annual: int | None, months: int) -> int | None:
    """A window's benchmark: annual target × months ÷ 12, rounded (72 → 18 for 3 months)."""
    if annual is None:
        return None
    return round_half_up(annual * months, 12)


def three_year_average(values: list[int]) -> int:
    """Mean of the three previous years, rounded half up (like the seed worksheet)."""
    return round_half_up(sum(values), len(values)) if values else 0


def meets(indicator: str, actual: int | float | None, benchmark: int | float | None) -> bool | None:
    """Outcomes meet at or under the benchmark, activities at or over it; None without one."""
    if actual is None or benchmark is None:
        return None
    if indicator in LOWER_IS_BETTER:
        return actual <= benchmark
    return actual >= benchmark


def percent_vs_benchmark(actual: int | float | None, benchmark: int | float | None) -> float | None:
    """(actual − benchmark) ÷ benchmark in percent, one decimal (we divide by the benchmark)."""
    if actual is None or not benchmark:
        return None
    return round((actual - benchmark) * 100 / benchmark, 1)


def percent(part: int, whole: int) -> float | None:
    """``part`` of ``whole`` in percent, one decimal; None when there is nothing to divide."""
    if not whole:
        return None
    return round(part * 100 / whole, 1)


def suggested_target(previous_year_actual: int | None) -> int | None:
    """The benchmark page's suggestion: 90% of last year's actual (10% fewer), rounded half up."""
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


def status_text(meets_value: bool | None, pct: float | None) -> str:
    """A cell's status in words, to read without colour ("does not meet benchmark — 17% over")."""
    if meets_value is None:
        return "no benchmark set"
    if meets_value:
        return "meets benchmark"
    if pct is None:
        return "does not meet benchmark"
    direction = "over" if pct > 0 else "under"
    return f"does not meet benchmark — {round_half_up(int(abs(pct) * 10), 10)}% {direction}"


# --- Worksheet rows: each indicator's rules over the counts the selectors hand over ------------
#
# Counts come keyed by window (``period_0``…``ytd_3``: this year and the three before), and, for
# the activities, by part and window (``focus_ytd_0``, ``call_ins_period_0``, …) for this year's
# two windows. Dictionaries are built in the order of the JSON contract (see the README).

ROW_WINDOWS = ("ytd", "period")  # a row's two windows, in the contract's order

COMMUNICATION_FOCUS_DEFINITION = (
    "people holding an active VHR designation on the day they were reached"
)
CASE_MANAGEMENT_FOCUS_DEFINITION = (
    "new enrolees identified by police as highest risk (active VHR designation at enrolment)"
)
ENFORCEMENT_FOCUS_DEFINITION = (
    "enforcement actions whose subject (or, for a group, an active member) held an active VHR"
    " designation"
)
ENFORCEMENT_BENCHMARK_DEFINITION = (
    "every unit fully staffed, every enforcement plan up to date, focus targets met"
)
PARTNERSHIP_FOCUS_DEFINITION = "coordination meetings with risk alignment on the agenda"


def strip_prefix(prefix: str, counts: dict) -> dict:
    """The counts whose key starts with ``prefix``, without it (``total_ytd_0`` → ``ytd_0``)."""
    return {k.removeprefix(prefix): v for k, v in counts.items() if k.startswith(prefix)}


def worksheet_row(
    indicator: str,
    label: str,
    counts: dict,
    annual: int | None,
    period: Period,
    *,
    benchmarks: dict | None = None,
) -> dict:
    """A worksheet row from per-window counts keyed ``period_0``…``ytd_3``.

    Each window's benchmark is the annual target prorated to the window, unless ``benchmarks``
    gives it by window name (``ytd``, ``period``).
    """
    row = {"indicator": indicator, "label": label, "annual_benchmark": annual}
    for name, months in (("ytd", period.ytd_months), ("period", period.months)):
        benchmark = (benchmarks or {}).get(name, prorate(annual, months))
        row[name] = window_figures(
            indicator,
            actual=counts.get(f"{name}_0", 0),
            prior_year=counts.get(f"{name}_1", 0),
            previous_three=[counts.get(f"{name}_{back}", 0) for back in (1, 2, 3)],
            benchmark=benchmark,
        )
    return row


def focus(focused: int, total: int) -> dict:
    """A window's focus: the share of its total aimed at the highest-risk, and how many."""
    return {"focus_percent": percent(focused, total), "focus_count": focused}


def add_parts(row: dict, counts: dict, parts: dict[str, str], *, focus_part: str = "focus") -> dict:
    """This year's windows' subcategories (``parts``: their key in the row → the count's name) and
    focus (the ``focus_part`` count out of the total)."""
    for name in ROW_WINDOWS:
        key = f"{name}_0"
        row[name]["subcategories"] = {part: counts[f"{c}_{key}"] for part, c in parts.items()}
        row[name].update(focus(counts[f"{focus_part}_{key}"], counts[f"total_{key}"]))
    return row


def communication_row(counts: dict, *, label: str, annual: int | None, period: Period) -> dict:
    """Distinct people reached, by call-in and custom notification; focus on VHR people."""
    row = worksheet_row("communication", label, strip_prefix("total_", counts), annual, period)
    add_parts(row, counts, {"call_ins": "call_ins", "custom_notifications": "custom_notifications"})
    row["focus_target"] = COMMUNICATION_FOCUS_TARGET
    row["focus_definition"] = COMMUNICATION_FOCUS_DEFINITION
    return row


def case_management_row(
    counts: dict,
    caseload: dict,
    *,
    label: str,
    annual: int | None,
    period: Period,
    source_labels: dict[str, str],
) -> dict:
    """New enrolees by referral source, the active caseload on the period's last day, focus.

    ``caseload``: ``total`` and one count per referral source; ``source_labels``: each referral
    source's label, in the order the row lists them.
    """
    row = worksheet_row("case_management", label, strip_prefix("total_", counts), annual, period)
    add_parts(row, counts, {source: source for source in source_labels})
    row["active_caseload"] = {
        "on": period.end.isoformat(),
        "total": caseload["total"],
        "by_referral_source": {source: caseload[source] for source in source_labels},
    }
    row["referral_source_labels"] = dict(source_labels)
    row["focus_target"] = CASE_MANAGEMENT_FOCUS_TARGET
    row["focus_definition"] = CASE_MANAGEMENT_FOCUS_DEFINITION
    return row


def staffing_percent(filled: int | None, authorised: int | None) -> float | None:
    """A unit's filled positions in percent of its authorised ones (None without a record)."""
    return percent(filled, authorised) if authorised else None


def fully_staffed(units: list[dict]) -> bool:
    """Every unit with a staffing record has all its authorised positions filled (and one has)."""
    staffed = [u for u in units if u["authorised"]]
    return bool(staffed) and all(u["filled"] == u["authorised"] for u in staffed)


def plans_tally(units: list[dict], group_plans: dict) -> dict:
    """Enforcement plans up to date, of all the units' and groups' plans that have a record."""
    unit_plans = [u for u in units if u["plan_up_to_date"] is not None]
    return {
        "up_to_date": sum(1 for u in unit_plans if u["plan_up_to_date"])
        + group_plans["up_to_date"],
        "total": len(unit_plans) + group_plans["total"],
    }


def plans_all_up_to_date(tally: dict) -> bool:
    return tally["total"] > 0 and tally["up_to_date"] == tally["total"]


def enforcement_focus_cell(actions: int, focused: int, target: int) -> dict:
    """One kind of unit's actions on VHR subjects against its focus target (None: no actions)."""
    pct = percent(focused, actions)
    return {
        "actions": actions,
        "focused": focused,
        "percent": pct,
        "target": target,
        "meets": None if pct is None else pct >= target,
    }


def enforcement_meets(
    *, any_unit: bool, staffed: bool, plans_ok: bool, focus_cells: dict[str, dict]
) -> bool | None:
    """Fully staffed, every plan up to date and every kind's focus target met.

    A kind of unit without actions in the window is left out; with no unit and no action at all
    there is nothing to judge (None).
    """
    focus_ok = [cell["meets"] for cell in focus_cells.values() if cell["meets"] is not None]
    if not (any_unit or focus_ok):
        return None
    return staffed and plans_ok and all(focus_ok)


def enforcement_row(
    counts: dict, *, label: str, units: list[dict], group_plans: dict, period: Period
) -> dict:
    """Actions taken, by kind of unit against its focus target; staffing and plans.

    ``units``: each unit's latest staffing and plan record; ``group_plans``: how many groups have
    a plan (``total``) and how many are up to date. Its benchmark is fixed, not a number.
    """
    staffed = fully_staffed(units)
    plans = plans_tally(units, group_plans)
    plans_ok = plans_all_up_to_date(plans)
    no_benchmark = {"ytd": None, "period": None}
    totals = strip_prefix("total_", counts)
    row = worksheet_row("enforcement", label, totals, None, period, benchmarks=no_benchmark)
    for name in ROW_WINDOWS:
        key = f"{name}_0"
        cells = {
            kind: enforcement_focus_cell(counts[f"{kind}_{key}"], counts[f"{kind}_focus_{key}"], t)
            for kind, t in ENFORCEMENT_FOCUS_TARGETS.items()
        }
        row[name]["subcategories"] = cells
        row[name].update(focus(counts[f"focus_{key}"], counts[f"total_{key}"]))
        row[name]["meets"] = enforcement_meets(
            any_unit=bool(units), staffed=staffed, plans_ok=plans_ok, focus_cells=cells
        )
    row["staffing"] = units
    row["fully_staffed"] = staffed
    row["plans"] = plans
    row["focus_target"] = dict(ENFORCEMENT_FOCUS_TARGETS)
    row["focus_definition"] = ENFORCEMENT_FOCUS_DEFINITION
    row["benchmark_definition"] = ENFORCEMENT_BENCHMARK_DEFINITION
    return row


def partnership_benchmarks(per_month: int, period: Period) -> tuple[int, dict]:
    """The annual benchmark and each window's: coordination meetings a month × months."""
    return per_month * 12, {
        "ytd": per_month * period.ytd_months,
        "period": per_month * period.months,
    }


def partnership_row(
    counts: dict, *, label: str, per_month: int, period: Period, leads: dict
) -> dict:
    """Coordination meetings held, attended by both leads, with risk alignment (the focus).

    ``per_month``: the partnership settings' meetings a month (two by default); ``leads``: the
    police and human-services lead organisations' names.
    """
    annual, benchmarks = partnership_benchmarks(per_month, period)
    totals = strip_prefix("total_", counts)
    row = worksheet_row("partnership", label, totals, annual, period, benchmarks=benchmarks)
    parts = {"attended_by_both_leads": "both_leads", "risk_alignment": "risk_alignment"}
    add_parts(row, counts, parts, focus_part="risk_alignment")
    row["focus_definition"] = PARTNERSHIP_FOCUS_DEFINITION
    row["leads"] = leads
    return row


def monthly_benchmark(annual_targets: list[int | None]) -> int | None:
    """The monthly chart's line: the outcome targets' sum ÷ 12, rounded; None when none is set."""
    total = sum(target or 0 for target in annual_targets)
    return round_half_up(total, 12) if total else None


def outcome_against_benchmark(indicator: str, actual: int, annual: int | None, months: int) -> dict:
    """An outcome's count against its annual target prorated to ``months`` (the trend)."""
    benchmark = prorate(annual, months)
    return {"actual": actual, "benchmark": benchmark, "meets": meets(indicator, actual, benchmark)}


def exclusive_categories(at_least: dict[int, int], ranks: dict[str, int]) -> dict[str, int]:
    """People per exclusive category, from how many had an event ranked at least each rank.

    A person falls in the category of their highest-ranked event, so a category holds those
    ranked at least its rank minus those ranked at least the next one up.
    """
    return {key: at_least[rank] - at_least.get(rank + 1, 0) for key, rank in ranks.items()}
