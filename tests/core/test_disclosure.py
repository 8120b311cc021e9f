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


# --- small counts per viewer (permissions.disclosed_count) -------------------------------


@pytest.mark.django_db
def test_only_the_police_read_small_counts_below_citywide(users, settings):
    from ceasefire.core import permissions

    settings.SMALL_CELL_THRESHOLD = 5
    for role, user in users.items():
        police = role in ("police_facilitator", "police_viewer")
        assert permissions.small_counts_suppressed_for(user) is not police, role
        assert permissions.disclosed_count(user, 3) == (3 if police else None), role
        assert (
            permissions.disclosed_count(user, 5) == 5 and permissions.disclosed_count(user, 0) == 0
        )
    assert permissions.disclosed_count(None, 4) is None  # the public
    assert permissions.disclosed_counts(
        users["executive"], {"a": 2, "b": 9, "days": 1}, ["a", "b"]
    ) == {
        "a": None,
        "b": 9,
        "days": 1,
    }
    assert permissions.suppressed_label() == "fewer than 5"
