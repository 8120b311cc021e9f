"""Small-cell suppression and formula-safe spreadsheet cells."""

from __future__ import annotations

import pytest

from ceasefire.core.disclosure import neutralise_cell, suppress_small


@pytest.mark.parametrize(("count", "shown"), [(0, 0), (1, None), (4, None), (5, 5), (120, 120)])
def test_counts_below_the_default_threshold_are_suppressed(count, shown):
    assert suppress_small(count) == shown


def test_the_threshold_comes_from_the_setting_or_the_call(settings):
    settings.SMALL_CELL_THRESHOLD = 10
    assert suppress_small(9) is None
    assert suppress_small(9, threshold=3) == 9


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("Marcus", "Marcus"),
        (-2, -2),
        (None, None),
    ],
)
def test_formula_cells_are_neutralised(value, safe):
    assert neutralise_cell(value) == safe
