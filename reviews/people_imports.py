"""Parsing a records-system extract of people involved in incidents. Pure: no database access.

One row per person per incident. The column mapping (the extract's names → ours):

| extract column | meaning | our field |
|---|---|---|
| `case_number` | the report number (the incident must be in the log) | `Incident.case_number` |
| `role` | `V`/`victim`, `S`/`suspect`, `A`/`associate`, `W`/`witness` | `Involvement.role` |
| `injury` | victims only: `K`/`fatal`, `I`/`nonfatal`, `N`/`none` | `Involvement.injury` |
| `last_name`, `first_name` | required | `Person` |
| `date_of_birth` | ISO date, optional (identifies the person with the names) | `date_of_birth` |
| `gender` | `M`/`male`, `F`/`female`, `X`/`nonbinary`, blank/`U` unknown | `Person.gender` |
| `neighbourhood` | optional | `Person.neighbourhood` |

Line numbers count the header as line 1.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from .imports import RowError

REQUIRED = ("case_number", "role", "last_name", "first_name")
OPTIONAL = ("injury", "date_of_birth", "gender", "neighbourhood")
ROLES = {"v": "victim", "s": "suspect", "a": "associate", "w": "witness"}
INJURIES = {"k": "fatal", "i": "nonfatal", "n": "none"}
GENDERS = {"m": "male", "f": "female", "x": "nonbinary", "u": "unknown", "": "unknown"}


@dataclass(frozen=True)
class PersonRow:
    line: int
    case_number: str
    role: str
    injury: str
    last_name: str
    first_name: str
    date_of_birth: dt.date | None
    gender: str
    neighbourhood: str

    @property
    def identity(self) -> tuple[str, str, dt.date | None]:
        return (self.last_name.lower(), self.first_name.lower(), self.date_of_birth)


def _code(raw: str, codes: dict[str, str]) -> str | None:
    value = raw.strip().lower()
    if value in codes:
        return codes[value]
    return value if value in codes.values() else None


def iter_people_rows(lines: Iterable[str], *, max_rows: int) -> Iterator[PersonRow | RowError]:
    reader = csv.DictReader(lines)
    header = [h.strip().removeprefix("\ufeff") for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
    if missing or unknown:
        what = f"lacks {', '.join(missing)}" if missing else f"has unknown {', '.join(unknown)}"
        yield RowError(1, f"the header {what}")
        return
    reader.fieldnames = header
    today = dt.date.today()
    for index, raw in enumerate(reader, start=2):
        line = reader.line_num or index
        if index - 1 > max_rows:
            yield RowError(line, f"the file has more than {max_rows} rows; split it")
            return
        if None in raw:
            yield RowError(line, "the row has more fields than the header")
            continue
        values = {k: (v or "").strip() for k, v in raw.items()}
        if not any(values.values()):
            continue
        problems = []
        role = _code(values["role"], ROLES)
        if role is None:
            problems.append(f"role must be V, S, A or W (or the word), not {values['role']!r}")
        injury = _code(values.get("injury", ""), INJURIES) if values.get("injury") else ""
        if role == "victim" and not injury:
            problems.append("a victim needs an injury: K, I or N")
        if role and role != "victim" and injury:
            problems.append("only victims have an injury")
        if injury is None:
            problems.append(f"injury must be K, I or N, not {values['injury']!r}")
        for column, limit in (("case_number", 40), ("last_name", 100), ("first_name", 100)):
            if not values[column]:
                problems.append(f"{column} is empty")
            elif len(values[column]) > limit:
                problems.append(f"{column} is longer than {limit} characters")
        dob = None
        if values.get("date_of_birth"):
            try:
                dob = dt.date.fromisoformat(values["date_of_birth"])
            except ValueError:
                problems.append(f"date_of_birth {values['date_of_birth']!r} is not YYYY-MM-DD")
            else:
                if dob > today or dob.year < 1900:
                    problems.append(f"date_of_birth {dob} is not a plausible birth date")
        gender = _code(values.get("gender", ""), GENDERS)
        if gender is None:
            problems.append(f"gender must be M, F, X or U, not {values['gender']!r}")
        if len(values.get("neighbourhood", "")) > 100:
            problems.append("neighbourhood is longer than 100 characters")
        if problems:
            yield from (RowError(line, p) for p in problems)
            continue
        yield PersonRow(
            line=line,
            case_number=values["case_number"],
            role=role,
            injury=injury or "",
            last_name=values["last_name"],
            first_name=values["first_name"],
            date_of_birth=dob,
            gender=gender,
            neighbourhood=values.get("neighbourhood", ""),
        )
