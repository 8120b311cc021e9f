"""What the worksheet page and PDF print, from a snapshot: the words around the numbers."""

from __future__ import annotations

from performance.indicators import Period
from performance.presentation import _focus_target_text, _row_display
from performance.templatetags.worksheet import trace_url

FEB_MAR = Period(2017, 2, 3)


def _cell(**values) -> dict:
    base = {"actual": 5, "prior_year": 4, "three_year_average": 3, "meets": None}
    return base | {"percent_vs_benchmark": None} | values


def _activity(indicator: str, focus_target) -> dict:
    cells = {"subcategories": {}, "focus_percent": 50.0}
    return {
        "indicator": indicator,
        "label": indicator,
        "annual_benchmark": None,
        "ytd": _cell(**cells, prior_year=40, three_year_average=30),
        "period": _cell(**cells),
        "focus_target": focus_target,
    }


def test_the_focus_target_is_printed_after_its_definition():
    assert _focus_target_text(_activity("case_management", 75)) == "; target 75%"
    assert _focus_target_text(_activity("communication", 90)) == "; target 90–100%"
    # enforcement's targets are per kind of unit, printed with its subcategories
    assert _focus_target_text(_activity("enforcement", {"area": 50})) == ""
    assert _focus_target_text(_activity("partnership", None)) == ""


def test_an_activity_row_reads_last_year_and_the_average_per_window():
    row = _row_display(_activity("partnership", None), "FEB-MAR", notes=None)
    assert row["last_year_text"] == "YTD 40, FEB-MAR 4"
    assert row["average_text"] == "YTD 30, FEB-MAR 3"
    assert [cell["focus_text"] for cell in row["windows"]] == ["50%", "50%"]


def test_a_number_links_to_its_records_with_its_part():
    base = "/performance/worksheet/2017-02..2017-03/trace/communication/ytd/2016/"
    assert trace_url(FEB_MAR, "communication", "ytd", 2016) == base
    assert trace_url(FEB_MAR, "communication", "ytd", 2016, "focus") == f"{base}?part=focus"


def test_the_homicide_chart_stars_and_explains_a_partial_year():
    from performance import charts

    svg = charts.homicides_per_year(
        [
            {"year": 2016, "count": 80, "partial": False},
            {"year": 2017, "count": 14, "partial": True},
        ]
    )
    assert ">2017*<" in svg and "* 2017 to date (partial year)" in svg
    assert ">2016<" in svg and "2016*" not in svg
    older_snapshot = charts.homicides_per_year([{"year": 2016, "count": 80}])  # before "partial"
    assert "partial year" not in older_snapshot
