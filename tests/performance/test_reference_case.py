"""The seed worksheet (001, February–March 2017) end to end: the command's JSON, the PDF's text."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from ceasefire.core.models import Benchmark

PERIOD = "2017-02..2017-03"


def _command_json(*args) -> dict:
    out = io.StringIO()
    call_command("worksheet", "--period", PERIOD, "--format", "json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_worksheet_command_json_reproduces_the_seed_outcome_rows(reference_data):
    data = _command_json()
    assert data["period"] == {
        "start": "2017-02-01",
        "end": "2017-03-31",
        "label": "February–March 2017",
        "months": 2,
    }
    assert data["ytd"] == {"start": "2017-01-01", "end": "2017-03-31", "months": 3}
    rows = {r["indicator"]: r for r in data["outcomes"]}
    assert [r["indicator"] for r in data["outcomes"]] == [
        "homicides",
        "nonfatal_injury_shootings",
        "non_injury_shootings",
    ]
    assert [r["indicator"] for r in data["activities"]] == [
        "communication",
        "case_management",
        "enforcement",
        "partnership",
    ]
    assert rows["homicides"]["annual_benchmark"] == 72
    assert rows["homicides"]["ytd"] == {
        "benchmark": 18,
        "actual": 16,
        "prior_year": 12,
        "three_year_average": 18,
        "meets": True,
        "percent_vs_benchmark": -11.1,
    }
    assert rows["homicides"]["period"] == {
        "benchmark": 12,
        "actual": 14,
        "prior_year": 11,
        "three_year_average": 12,
        "meets": False,
        "percent_vs_benchmark": 16.7,
    }
    nf = rows["nonfatal_injury_shootings"]
    assert nf["annual_benchmark"] == 307
    assert [
        nf["ytd"][k] for k in ("benchmark", "actual", "prior_year", "three_year_average", "meets")
    ] == [77, 63, 72, 80, True]
    assert [
        nf["period"][k]
        for k in ("benchmark", "actual", "prior_year", "three_year_average", "meets")
    ] == [
        51,
        45,
        52,
        50,
        True,
    ]
    for row in data["outcomes"] + data["activities"]:
        assert {"indicator", "annual_benchmark", "ytd", "period", "note"} <= row.keys()
    for row in data["activities"]:
        for window in ("ytd", "period"):
            assert {"subcategories", "focus_percent", "benchmark", "actual", "meets"} <= row[
                window
            ].keys()


def test_worksheet_command_writes_json_to_a_file(reference_data, tmp_path):
    target = tmp_path / "ws.json"
    call_command(
        "worksheet",
        "--period",
        PERIOD,
        "--format",
        "json",
        "--output",
        str(target),
        stderr=io.StringIO(),
    )
    assert json.loads(target.read_text())["outcomes"][0]["period"]["actual"] == 14


def test_worksheet_pdf_text_reproduces_the_seed(reference_data, tmp_path):
    target = tmp_path / "ws.pdf"
    call_command(
        "worksheet",
        "--period",
        PERIOD,
        "--format",
        "pdf",
        "--output",
        str(target),
        stderr=io.StringIO(),
    )
    reader = PdfReader(str(target))
    assert len(reader.pages) >= 2
    assert reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # landscape
    text = re.sub(r"\s+", " ", "\n".join(page.extract_text() for page in reader.pages))
    assert "WORKSHEETS: FEBRUARY–MARCH 2017" in text.upper()
    assert "2017 benchmark: 72" in text
    assert "2017 benchmark: 307" in text
    for expected in (
        "YTD: 18",
        "FEB-MAR: 12",
        "YTD: 16",
        "FEB-MAR: 14",
        "FEB-MAR: 11",
        "YTD: 77",
        "FEB-MAR: 51",
        "YTD: 63",
        "FEB-MAR: 45",
    ):
        assert expected in text, expected
    assert "does not meet benchmark — 17% over" in text
    assert "we divide by the benchmark" in text
    assert "Page 1 of" in text  # page numbers in the footer
    assert "generated" in text


def test_worksheet_pdf_is_two_pages_with_every_chart(reference_data, activity_data, tmp_path):
    """Worksheet 1 with its three charts (the post-call-in bars under the other two), then
    worksheet 2: two pages, not three."""
    target = tmp_path / "ws.pdf"
    call_command(
        "worksheet", "--period", PERIOD, "--format", "pdf", "--output", str(target),
        stderr=io.StringIO(),
    )  # fmt: skip
    pages = [re.sub(r"\s+", " ", p.extract_text()) for p in PdfReader(str(target)).pages]
    assert len(pages) == 2
    for caption in ("Homicides per year", "Shootings per month", "Outcomes of call-in"):
        assert caption in pages[0], caption
    assert "No arrest for a violent offence" in pages[0]
    assert "WORKSHEET 2" in pages[1].upper()
    assert "Page 2 of 2" in pages[1]


def test_worksheet_command_refuses_a_bad_period(db):
    with pytest.raises(CommandError, match=r"YYYY-MM\.\.YYYY-MM"):
        call_command("worksheet", "--period", "Feb 2017", stdout=io.StringIO())
    with pytest.raises(CommandError, match="one year"):
        call_command("worksheet", "--period", "2016-12..2017-01", stdout=io.StringIO())


def test_worksheet_command_needs_an_output_file_for_pdf(db):
    with pytest.raises(CommandError, match="--output"):
        call_command("worksheet", "--period", PERIOD, "--format", "pdf")


def test_set_benchmark_command_sets_and_changes_a_target(db):
    out = io.StringIO()
    call_command(
        "set_benchmark", "--indicator", "homicides", "--year", "2017", "--target", "72", stdout=out
    )
    assert "annual target 72" in out.getvalue()
    call_command(
        "set_benchmark",
        "--indicator",
        "homicides",
        "--year",
        "2017",
        "--target",
        "70",
        stdout=io.StringIO(),
    )
    assert Benchmark.objects.get(indicator="homicides", year=2017).annual_target == 70


def test_set_benchmark_command_refuses_bad_input(db):
    with pytest.raises(CommandError):
        call_command(
            "set_benchmark", "--indicator", "homicides", "--year", "2017", "--target", "-1"
        )
    with pytest.raises(CommandError):
        call_command(
            "set_benchmark",
            "--indicator",
            "homicides",
            "--year",
            "1800",
            "--target",
            "5",
            stdout=io.StringIO(),
        )
    assert not Benchmark.objects.exists()
