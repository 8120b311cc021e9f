"""The worksheet's arithmetic, without a database (SPEC §4)."""

from __future__ import annotations

import datetime as dt

import pytest

from performance import indicators as ind
from performance.indicators import Period


@pytest.mark.parametrize(
    ("annual", "months", "expected"),
    [
        (72, 3, 18),
        (72, 2, 12),
        (307, 3, 77),
        (307, 2, 51),
        (300, 3, 75),
        (300, 2, 50),
        (200, 2, 33),
        (6, 1, 1),
        (18, 1, 2),
    ],
)
def test_benchmark_is_prorated_and_rounded_to_the_nearest_whole_number(annual, months, expected):
    assert ind.prorate(annual, months) == expected


def test_prorating_rounds_halves_up_not_to_even():
    # 30 × 1 ÷ 12 = 2.5 → 3 (Python's round() would give 2); 18 × 1 ÷ 12 = 1.5 → 2
    assert ind.prorate(30, 1) == 3
    assert ind.prorate(18, 1) == 2


def test_no_benchmark_when_no_annual_target():
    assert ind.prorate(None, 2) is None


def test_three_year_average_rounds_half_up_like_the_seed():
    assert ind.three_year_average([12, 20, 22]) == 18
    assert ind.three_year_average([11, 12, 13]) == 12
    assert ind.three_year_average([1, 1, 2]) == 1  # 1.33
    assert ind.three_year_average([1, 2, 2]) == 2  # 1.67
    assert ind.three_year_average([0, 1, 0]) == 0
    assert ind.round_half_up(3, 2) == 2  # 1.5 → 2


def test_outcomes_meet_at_or_under_the_benchmark():
    assert ind.meets("homicides", 16, 18) is True
    assert ind.meets("homicides", 12, 12) is True
    assert ind.meets("homicides", 14, 12) is False


def test_activities_meet_at_or_over_the_benchmark():
    assert ind.meets("communication", 51, 50) is True
    assert ind.meets("communication", 50, 50) is True
    assert ind.meets("communication", 73, 75) is False


def test_meets_is_unknown_without_a_benchmark():
    assert ind.meets("homicides", 3, None) is None


def test_percent_versus_benchmark_divides_by_the_benchmark():
    assert ind.percent_vs_benchmark(14, 12) == 16.7  # the seed prints 14%, dividing by the actual
    assert ind.percent_vs_benchmark(16, 18) == -11.1
    assert ind.percent_vs_benchmark(3, 0) is None
    assert ind.percent_vs_benchmark(3, None) is None


def test_status_reads_without_colour():
    assert ind.status_text(False, 16.7) == "does not meet benchmark — 17% over"
    assert ind.status_text(True, -11.1) == "meets benchmark"
    assert ind.status_text(False, -92.0) == "does not meet benchmark — 92% under"
    assert ind.status_text(None, None) == "no benchmark set"


def test_suggested_target_is_ninety_percent_of_last_years_actual():
    assert ind.suggested_target(80) == 72
    assert ind.suggested_target(341) == 307  # 306.9
    assert ind.suggested_target(None) is None


def test_period_parses_the_command_syntax():
    p = Period.parse("2017-02..2017-03")
    assert (p.start, p.end, p.months) == (dt.date(2017, 2, 1), dt.date(2017, 3, 31), 2)
    assert (p.ytd_start, p.ytd_months) == (dt.date(2017, 1, 1), 3)
    assert p.label == "February–March 2017"
    assert p.short_label == "FEB-MAR"
    assert p.slug == "2017-02..2017-03"


@pytest.mark.parametrize(
    "text", ["2017-02", "2017-03..2017-02", "2016-12..2017-01", "2017-00..2017-01", "x", ""]
)
def test_period_refuses_what_is_not_a_span_within_one_year(text):
    with pytest.raises(ValueError):
        Period.parse(text)


def test_period_from_dates_requires_whole_months():
    assert Period.from_dates(dt.date(2016, 2, 1), dt.date(2016, 2, 29)).months == 1  # leap year
    with pytest.raises(ValueError):
        Period.from_dates(dt.date(2017, 2, 2), dt.date(2017, 3, 31))


def test_any_span_of_one_to_twelve_months():
    year = Period(2017, 1, 12)
    assert (year.months, year.ytd_months, year.end) == (12, 12, dt.date(2017, 12, 31))
    assert ind.prorate(72, year.months) == 72


def test_windows_cover_this_year_and_the_three_before():
    windows = {w.key: (w.start, w.end) for w in ind.windows_for(Period(2017, 2, 3))}
    assert windows["period_0"] == (dt.date(2017, 2, 1), dt.date(2017, 3, 31))
    assert windows["ytd_0"] == (dt.date(2017, 1, 1), dt.date(2017, 3, 31))
    assert windows["period_3"] == (dt.date(2014, 2, 1), dt.date(2014, 3, 31))
    assert windows["ytd_1"] == (dt.date(2016, 1, 1), dt.date(2016, 3, 31))


def test_previous_period_keeps_its_length_and_stays_within_a_year():
    assert Period(2017, 4, 5).previous() == Period(2017, 2, 3)
    assert Period(2017, 2, 3).previous() == Period(2017, 1, 1)
    assert Period(2017, 1, 1).previous(2) == Period(2016, 11, 12)
    assert Period(2017, 1, 2).previous() == Period(2016, 11, 12)


def test_window_figures_combine_the_rules():
    cell = ind.window_figures(
        "homicides", actual=14, prior_year=11, previous_three=[11, 12, 13], benchmark=12
    )
    assert cell == {
        "benchmark": 12,
        "actual": 14,
        "prior_year": 11,
        "three_year_average": 12,
        "meets": False,
        "percent_vs_benchmark": 16.7,
    }


# --- The rules of each activity row, on hand-made counts ------------------------------------

FEB_MAR = Period(2017, 2, 3)


def _totals(ytd: int, period: int, *, prefix: str = "total_") -> dict:
    """This year's YTD and period totals, and nothing the years before."""
    counts = {f"{prefix}{name}_{back}": 0 for name in ("ytd", "period") for back in range(4)}
    counts.update({f"{prefix}ytd_0": ytd, f"{prefix}period_0": period})
    return counts


def _unit(kind="area", *, authorised=10, filled=10, plan=True) -> dict:
    return {"kind": kind, "authorised": authorised, "filled": filled, "plan_up_to_date": plan}


def test_a_row_prorates_the_annual_target_to_each_window_and_compares_the_years():
    counts = {"ytd_0": 20, "ytd_1": 18, "ytd_2": 12, "ytd_3": 9, "period_0": 14, "period_1": 11}
    row = ind.worksheet_row("homicides", "Homicides", counts, 72, FEB_MAR)
    assert list(row) == ["indicator", "label", "annual_benchmark", "ytd", "period"]
    assert row["ytd"]["benchmark"] == 18  # 72 × 3 ÷ 12
    assert row["period"]["benchmark"] == 12  # 72 × 2 ÷ 12
    assert row["ytd"]["three_year_average"] == 13  # (18 + 12 + 9) ÷ 3
    assert row["period"]["prior_year"] == 11
    assert row["period"]["three_year_average"] == 4  # missing years count as zero
    assert (row["ytd"]["meets"], row["period"]["meets"]) == (False, False)


def test_a_row_takes_given_window_benchmarks_over_the_prorated_target():
    row = ind.worksheet_row(
        "partnership", "Partnership", {"ytd_0": 6}, 24, FEB_MAR, benchmarks={"ytd": 6}
    )
    assert row["ytd"]["benchmark"] == 6
    assert row["period"]["benchmark"] == 4
    assert row["period"]["actual"] == 0


def test_focus_is_the_share_of_the_total_aimed_at_the_highest_risk():
    assert ind.focus(9, 10) == {"focus_percent": 90.0, "focus_count": 9}
    assert ind.focus(0, 0) == {"focus_percent": None, "focus_count": 0}


def test_strip_prefix_keeps_only_the_named_counts():
    assert ind.strip_prefix("total_", {"total_ytd_0": 3, "focus_ytd_0": 1}) == {"ytd_0": 3}


def test_communication_counts_people_reached_by_channel_with_their_focus():
    counts = _totals(10, 4)
    for key, (calls, notes, vhr) in {"ytd_0": (7, 5, 9), "period_0": (3, 1, 2)}.items():
        counts.update(
            {f"call_ins_{key}": calls, f"custom_notifications_{key}": notes, f"focus_{key}": vhr}
        )
    row = ind.communication_row(counts, label="Communication", annual=60, period=FEB_MAR)
    assert row["ytd"]["subcategories"] == {"call_ins": 7, "custom_notifications": 5}
    assert (row["ytd"]["focus_percent"], row["ytd"]["focus_count"]) == (90.0, 9)
    assert row["period"]["focus_percent"] == 50.0
    assert (row["ytd"]["benchmark"], row["ytd"]["meets"]) == (15, False)
    assert row["focus_target"] == 90


def test_case_management_lists_each_referral_source_and_the_active_caseload():
    sources = {"call_in": "Call-in", "outreach": "Street outreach"}
    counts = _totals(8, 3)
    for key, (call_in, outreach, vhr) in {"ytd_0": (5, 3, 6), "period_0": (2, 1, 3)}.items():
        counts.update({f"call_in_{key}": call_in, f"outreach_{key}": outreach, f"focus_{key}": vhr})
    caseload = {"total": 30, "call_in": 20, "outreach": 10}
    row = ind.case_management_row(
        counts,
        caseload,
        label="Case management",
        annual=None,
        period=FEB_MAR,
        source_labels=sources,
    )
    assert row["ytd"]["subcategories"] == {"call_in": 5, "outreach": 3}
    assert row["ytd"]["focus_percent"] == 75.0
    assert row["period"]["focus_percent"] == 100.0
    assert row["active_caseload"] == {
        "on": "2017-03-31",
        "total": 30,
        "by_referral_source": {"call_in": 20, "outreach": 10},
    }
    assert row["referral_source_labels"] == sources
    assert row["ytd"]["meets"] is None  # no annual target set


def test_staffing_percent_is_filled_of_authorised_and_unknown_without_a_record():
    assert ind.staffing_percent(9, 12) == 75.0
    assert ind.staffing_percent(None, None) is None
    assert ind.staffing_percent(0, 0) is None


def test_fully_staffed_needs_every_recorded_unit_full_and_at_least_one_record():
    assert ind.fully_staffed([_unit(), _unit(authorised=None, filled=None)]) is True
    assert ind.fully_staffed([_unit(), _unit(filled=9)]) is False
    assert ind.fully_staffed([_unit(authorised=None, filled=None)]) is False
    assert ind.fully_staffed([]) is False


def test_plans_are_up_to_date_when_every_recorded_unit_and_group_plan_is():
    units = [_unit(plan=True), _unit(plan=None)]
    tally = ind.plans_tally(units, {"total": 2, "up_to_date": 2})
    assert tally == {"up_to_date": 3, "total": 3}
    assert ind.plans_all_up_to_date(tally) is True
    assert ind.plans_all_up_to_date(ind.plans_tally(units, {"total": 2, "up_to_date": 1})) is False
    assert ind.plans_all_up_to_date({"up_to_date": 0, "total": 0}) is False  # no plan at all


@pytest.mark.parametrize(
    ("actions", "focused", "target", "meets"),
    [
        (10, 5, 50, True),
        (10, 4, 50, False),
        (10, 9, 90, True),
        (20, 17, 90, False),
        (0, 0, 90, None),
    ],
)
def test_each_kind_of_unit_meets_its_focus_target_at_or_over_it(actions, focused, target, meets):
    cell = ind.enforcement_focus_cell(actions, focused, target)
    assert cell["meets"] is meets
    assert (cell["actions"], cell["focused"], cell["target"]) == (actions, focused, target)


def test_enforcement_meets_only_when_staffed_planned_and_focused():
    met = {"area": {"meets": True}, "specialised": {"meets": None}}  # specialised took no action
    missed = {"area": {"meets": True}, "specialised": {"meets": False}}
    assert ind.enforcement_meets(any_unit=True, staffed=True, plans_ok=True, focus_cells=met)
    for staffed, plans_ok, cells in ((False, True, met), (True, False, met), (True, True, missed)):
        assert not ind.enforcement_meets(
            any_unit=True, staffed=staffed, plans_ok=plans_ok, focus_cells=cells
        )
    nothing = {"area": {"meets": None}, "specialised": {"meets": None}}
    assert (
        ind.enforcement_meets(any_unit=False, staffed=False, plans_ok=False, focus_cells=nothing)
        is None
    )


def test_the_enforcement_row_puts_the_rules_together():
    counts = _totals(30, 10)
    for key, (area, area_vhr, spec, spec_vhr, vhr) in {
        "ytd_0": (20, 10, 10, 9, 19),
        "period_0": (6, 2, 4, 4, 6),
    }.items():
        counts.update(
            {
                f"area_{key}": area,
                f"area_focus_{key}": area_vhr,
                f"specialised_{key}": spec,
                f"specialised_focus_{key}": spec_vhr,
                f"focus_{key}": vhr,
            }
        )
    units = [_unit("area"), _unit("specialised")]
    row = ind.enforcement_row(
        counts,
        label="Enforcement",
        units=units,
        group_plans={"total": 1, "up_to_date": 1},
        period=FEB_MAR,
    )
    assert row["ytd"]["meets"] is True  # 50% area, 90% specialised
    assert row["period"]["meets"] is False  # 33% of area actions on VHR subjects
    assert row["period"]["subcategories"]["area"]["percent"] == 33.3
    assert row["ytd"]["benchmark"] is None
    assert (row["fully_staffed"], row["plans"]) == (True, {"up_to_date": 3, "total": 3})
    assert row["focus_target"] == {"area": 50, "specialised": 90}


def test_partnership_benchmark_is_the_meetings_a_month_times_the_months():
    assert ind.partnership_benchmarks(2, FEB_MAR) == (24, {"ytd": 6, "period": 4})


def test_the_partnership_row_counts_meetings_with_both_leads_and_risk_alignment():
    counts = _totals(6, 3)
    counts.update({"both_leads_ytd_0": 5, "risk_alignment_ytd_0": 3})
    counts.update({"both_leads_period_0": 3, "risk_alignment_period_0": 0})
    leads = {"police": "Police", "human_services": None}
    row = ind.partnership_row(counts, label="Partnership", per_month=2, period=FEB_MAR, leads=leads)
    assert (row["ytd"]["benchmark"], row["ytd"]["meets"]) == (6, True)
    assert (row["period"]["benchmark"], row["period"]["meets"]) == (4, False)
    assert row["ytd"]["subcategories"] == {"attended_by_both_leads": 5, "risk_alignment": 3}
    assert row["ytd"]["focus_percent"] == 50.0
    assert row["period"]["focus_percent"] == 0.0
    assert (row["annual_benchmark"], row["leads"]) == (24, leads)


def test_the_monthly_chart_line_is_the_outcome_targets_over_twelve_months():
    assert ind.monthly_benchmark([72, 300]) == 31  # 372 ÷ 12
    assert ind.monthly_benchmark([72, None]) == 6
    assert ind.monthly_benchmark([None, None]) is None


def test_an_outcome_in_the_trend_is_judged_against_its_prorated_target():
    assert ind.outcome_against_benchmark("homicides", 11, 72, 2) == {
        "actual": 11,
        "benchmark": 12,
        "meets": True,
    }
    assert ind.outcome_against_benchmark("homicides", 11, None, 2)["meets"] is None


def test_each_person_falls_in_the_category_of_their_highest_ranked_event():
    ranks = {"killed": 2, "arrested": 1, "nothing": 0}
    at_least = {0: 10, 1: 4, 2: 1}  # 10 attended, 4 had an event ranked 1 or more, 1 was killed
    assert ind.exclusive_categories(at_least, ranks) == {"killed": 1, "arrested": 3, "nothing": 6}


def test_a_figure_window_is_the_ytd_or_period_of_one_of_the_worksheets_years():
    window = ind.figure_window(FEB_MAR, "ytd", 2015)
    assert (window.start, window.end) == (dt.date(2015, 1, 1), dt.date(2015, 3, 31))
    window = ind.figure_window(FEB_MAR, "period", 2017)
    assert (window.start, window.end) == (dt.date(2017, 2, 1), dt.date(2017, 3, 31))


@pytest.mark.parametrize(("name", "year"), [("month", 2017), ("ytd", 2013), ("period", 2018)])
def test_a_figure_window_outside_the_worksheet_is_refused(name, year):
    with pytest.raises(ValueError):
        ind.figure_window(FEB_MAR, name, year)
