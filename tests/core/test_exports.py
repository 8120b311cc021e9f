"""Exports: disclosure rules, CSV and XLSX writers that stream and neutralise formulas."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from ceasefire.core.disclosure import neutralise_cell, suppress_small
from ceasefire.core.exports import Table, csv_lines, xlsx_file


@pytest.mark.parametrize("text", ["=SUM(A1)", "+1", "-2+3", "@cmd", "\tx", "\rx"])
def test_formula_starts_are_neutralised(text):
    assert neutralise_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Smith", "", 3, -3, None, "a=b"])
def test_other_values_pass_unchanged(value):
    assert neutralise_cell(value) == value


def test_small_counts_are_suppressed_below_the_threshold(settings):
    settings.SMALL_CELL_THRESHOLD = 5
    assert [suppress_small(n) for n in (0, 1, 4, 5, 12)] == [0, None, None, 5, 12]
    assert suppress_small(3, threshold=3) == 3


def test_csv_neutralises_every_cell_and_streams_line_by_line():
    table = Table(header=["name", "n"], rows=iter([["=HYPERLINK()", 1], ["Ana", 2]]))
    lines = list(csv_lines(table))
    assert len(lines) == 3
    assert lines[1] == "'=HYPERLINK(),1\r\n"


def test_xlsx_holds_the_same_cells_neutralised():
    table = Table(header=["name", "n"], rows=iter([["@evil", 1], ["Ana", 2]]))
    sheet = load_workbook(io.BytesIO(xlsx_file(table).read())).active
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["name", "n"],
        ["'@evil", 1],
        ["Ana", 2],
    ]
