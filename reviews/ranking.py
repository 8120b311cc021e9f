"""The imminent-risk score of a shooting's suggestions: pure functions, one per term.

Every term returns a ``Reason`` (its text and its points) or ``None``; a person's score is the
sum of their reasons' points, and the page shows every reason with its points, so the ranking
explains itself. The terms, strongest first:

* ``this_shooting`` — victim (not killed) or suspect of this shooting (5);
* ``network_tie`` — directly involved with this shooting's victim or suspect in an earlier
  incident within two years: a tie in the incident network, not a shared label (3, +1 for each
  further earlier incident, at most 5);
* ``recent_victim`` — victim of another shooting in the 90 days before this one (2);
* ``designation`` — a risk designation in force on the day (VHR 2, high 1);
* ``conflict_incident`` — named in a recent (90-day) incident of the active conflict this
  shooting is linked to (2; hot conflict 3).

Only ``this_shooting``, ``network_tie`` and ``conflict_incident`` bring a person into the list;
``recent_victim`` and ``designation`` only raise the score of someone already in it. Group
membership is never an input, nor are neighbourhood, religion, politics or social-media posts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

RECENT = dt.timedelta(days=90)
NETWORK_LOOKBACK = dt.timedelta(days=730)

THIS_SHOOTING = "this_shooting"
NETWORK_TIE = "network_tie"
RECENT_VICTIM = "recent_victim"
DESIGNATION = "designation"
CONFLICT_INCIDENT = "conflict_incident"

TERMS = (THIS_SHOOTING, NETWORK_TIE, RECENT_VICTIM, DESIGNATION, CONFLICT_INCIDENT)
# The terms that bring a person into the list; the others only add to a listed person's score.
GENERATING_TERMS = frozenset({THIS_SHOOTING, NETWORK_TIE, CONFLICT_INCIDENT})

TERM_LABELS = {
    THIS_SHOOTING: "victim or suspect of this shooting",
    NETWORK_TIE: "involved with this shooting's victim or suspect in an earlier incident",
    RECENT_VICTIM: "victim of a shooting in the last 90 days",
    DESIGNATION: "a risk designation in force",
    CONFLICT_INCIDENT: "named in a recent incident of the linked active conflict",
}


@dataclass(frozen=True)
class Reason:
    code: str
    text: str
    points: int

    def as_dict(self) -> dict:
        return {"code": self.code, "text": self.text, "points": self.points}


@dataclass(frozen=True)
class Tie:
    """An earlier incident in which the person was involved with this shooting's victim or
    suspect (``anchor``)."""

    incident: str
    day: str
    their_role: str
    anchor: str
    anchor_role: str


@dataclass(frozen=True)
class Appearance:
    """An earlier incident (with its day) in which the person is named."""

    incident: str
    day: str
    occurred_at: dt.datetime


def this_shooting(roles: Iterable[str]) -> Reason | None:
    """Victim (not killed: the killed are left out before ranking) or suspect of this shooting."""
    roles = set(roles)
    labels = [role for role in ("victim", "suspect") if role in roles]
    if not labels:
        return None
    return Reason(THIS_SHOOTING, f"{' and '.join(labels)} of this shooting", 5)


def network_tie(ties: Sequence[Tie]) -> Reason | None:
    """Direct co-involvement with this shooting's victim or suspect in earlier incidents."""
    if not ties:
        return None
    incidents = {t.incident for t in ties}
    shown = "; ".join(_tie_text(t) for t in ties[:3])
    more = f" (+{len(ties) - 3} more)" if len(ties) > 3 else ""
    return Reason(NETWORK_TIE, shown + more, min(5, 3 + len(incidents) - 1))


def recent_victim(
    victimised: Sequence[Appearance], at: dt.datetime, *, window: dt.timedelta = RECENT
) -> Reason | None:
    """Victim of another shooting in the ``window`` (90 days) before ``at``."""
    recent = sorted(
        (a for a in victimised if at - window <= a.occurred_at < at),
        key=lambda a: a.occurred_at,
        reverse=True,
    )
    if not recent:
        return None
    latest = recent[0]
    return Reason(
        RECENT_VICTIM,
        f"victim of a shooting in the last 90 days ({latest.incident}, {latest.day})",
        2,
    )


def designation(level: str | None, label: str = "") -> Reason | None:
    """A risk designation in force on the day of the shooting (VHR scores more than high)."""
    points = {"vhr": 2, "high": 1}.get(level or "")
    if points is None:
        return None
    return Reason(DESIGNATION, f"{label or level} designation in force", points)


def conflict_incident(
    appearances: Sequence[Appearance], conflict: str, *, hot: bool
) -> Reason | None:
    """Named in a recent incident of the active conflict this shooting is linked to."""
    if not appearances:
        return None
    latest = max(appearances, key=lambda a: a.occurred_at)
    others = f" and {len(appearances) - 1} more" if len(appearances) > 1 else ""
    status = "hot" if hot else "active"
    return Reason(
        CONFLICT_INCIDENT,
        f"named in {latest.incident}, {latest.day}{others} of the {status} conflict {conflict}",
        3 if hot else 2,
    )


def score(reasons: Iterable[Reason]) -> int:
    return sum(r.points for r in reasons)


def is_suggested(reasons: Iterable[Reason]) -> bool:
    """Only a generating term brings a person in: a designation or an old wound alone does not."""
    return any(r.code in GENERATING_TERMS for r in reasons)


def split_at_cap(ranked: Sequence, cap: int) -> tuple[list, list]:
    """The first ``cap`` suggestions, and the rest ("n more with weaker reasons")."""
    cap = max(cap, 0)
    return list(ranked[:cap]), list(ranked[cap:])


ROLE_WORDS = {"victim": "victim", "suspect": "suspect", "associate": "associate at risk"}


def _tie_text(t: Tie) -> str:
    if t.their_role == t.anchor_role and t.their_role in ("victim", "suspect"):
        return f"co-{t.their_role} in {t.incident}, {t.day} — with {t.anchor}"
    theirs = ROLE_WORDS.get(t.their_role, t.their_role)
    anchors = ROLE_WORDS.get(t.anchor_role, t.anchor_role)
    return f"{theirs} in {t.incident}, {t.day} — with {t.anchor} ({anchors} there)"
