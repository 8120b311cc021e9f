"""What a figure may disclose: small-cell suppression and spreadsheet-safe cells.

``suppress_small`` hides a count that is above zero but below the small-cell threshold
(``SMALL_CELL_THRESHOLD``, 5 by default) wherever a figure is broken down below citywide for
someone who is not police: a count of 2 in one beat for one month can name a family.
``neutralise_cell`` stops a CSV or XLSX cell from being read as a formula.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def suppress_small(count: int, threshold: int | None = None) -> int | None:
    """None when ``0 < count < threshold`` (suppressed), else the count itself."""
    limit = settings.SMALL_CELL_THRESHOLD if threshold is None else threshold
    if 0 < count < limit:
        return None
    return count


def neutralise_cell(value: Any) -> Any:
    """A text cell that a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
