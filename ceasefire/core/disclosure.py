"""What may leave the system: small-cell suppression and spreadsheet formula neutralising.

``suppress_small`` hides counts too small to publish (a count of 2 shootings in a beat points at
people); ``neutralise_cell`` stops a spreadsheet running a cell as a formula (CSV injection).
"""

from __future__ import annotations

from django.conf import settings

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def suppress_small(count: int, threshold: int | None = None) -> int | None:
    """None when ``0 < count < threshold`` (default ``settings.SMALL_CELL_THRESHOLD``), else it."""
    threshold = settings.SMALL_CELL_THRESHOLD if threshold is None else threshold
    return None if 0 < count < threshold else count


def neutralise_cell(value):
    """A text starting with ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value
