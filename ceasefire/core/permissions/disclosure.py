"""Small-cell suppression, decided per viewer: a figure broken down below citywide (by area,
neighbourhood, group, organisation, age group or gender) shows a count below the threshold
(``SMALL_CELL_THRESHOLD``) only to the police; everyone else (partners, executives, the auditor,
the public) reads "fewer than N"."""

from __future__ import annotations

from django.conf import settings

from ..disclosure import suppress_small
from .roles import is_police


def small_counts_suppressed_for(user) -> bool:
    """True for every viewer but the police (the anonymous public included)."""
    return not is_police(user)


def disclosed_count(user, count: int) -> int | None:
    """The count of a breakdown below citywide as ``user`` may read it: None when suppressed."""
    return suppress_small(count) if small_counts_suppressed_for(user) else count


def disclosed_counts(user, figures: dict, keys) -> dict:
    """``figures`` with each count named in ``keys`` as ``user`` may read it."""
    return {k: disclosed_count(user, v) if k in keys else v for k, v in figures.items()}


def suppressed_label() -> str:
    """How a suppressed count reads: "fewer than 5"."""
    return f"fewer than {settings.SMALL_CELL_THRESHOLD}"
