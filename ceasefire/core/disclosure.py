"""What leaves the system in aggregate tables and exports: small counts suppressed, spreadsheet
cells made inert."""

from __future__ import annotations

from typing import Any

from django.conf import settings

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def suppress_small(count: int, threshold: int | None = None) -> int | None:
    """None when ``0 < count < threshold`` (a small cell could identify someone), else the
    count. The threshold defaults to ``settings.SMALL_CELL_THRESHOLD``."""
    if threshold is None:
        threshold = getattr(settings, "SMALL_CELL_THRESHOLD", 5)
    return None if 0 < count < threshold else count


def neutralise_cell(value: Any) -> Any:
    """A text a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, tab, CR first)
    gets a leading ``'``; everything else is returned unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
