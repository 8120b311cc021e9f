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
    assert ind.status_text(False, 16.7, "homicides") == "does not meet benchmark — 17% over"
    assert ind.status_text(True, -11.1, "homicides") == "meets benchmark"
    assert ind.status_text(False, -92.0, "communication") == "does not meet benchmark — 92% under"
    assert ind.status_text(None, None, "homicides") == "no benchmark set"


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
