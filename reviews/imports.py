"""Parsing the incident CSV (one row per incident). Pure: no database access.

Columns: case_number, occurred_at (ISO 8601; local time when it has no offset), address, area,
weapon (firearm|other), fatal_victims, nonfatal_victims (integers), and optionally
circumstance, group_involved (yes|no|unknown), counting_status (counted|held|unfounded),
counting_reason (needed when held or unfounded). Line numbers count the header as line 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from ceasefire.core.models import Incident

REQUIRED = (
    "case_number",
    "occurred_at",
    "address",
    "area",
    "weapon",
    "fatal_victims",
    "nonfatal_victims",
)
OPTIONAL = ("circumstance", "group_involved", "counting_status", "counting_reason")
MAX_VICTIMS = 50
# Each choice column's values, computed once (an enum's ``values`` builds a new list each call).
CHOICES = {
    "weapon": list(Incident.Weapon.values),
    "circumstance": list(Incident.Circumstance.values),
    "group_involved": list(Incident.GroupInvolved.values),
    "counting_status": list(Incident.CountingStatus.values),
}
MAX_ROWS = 20_000
# No column needs more (addresses and reasons are a few hundred characters at most).
MAX_FIELD_CHARS = 1_000


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str

    def __str__(self) -> str:
        return f"Line {self.line}: {self.reason}"


@dataclass
class ImportRow:
    line: int
    case_number: str
    occurred_at: dt.datetime
    address: str
    area: str
    weapon: str
    fatal_victims: int
    nonfatal_victims: int
    circumstance: str = ""
    group_involved: str = ""
    counting_status: str = ""
    counting_reason: str = ""


def parse_occurred_at(text: str) -> dt.datetime:
    """ISO 8601; a value without offset is local time. Raises ValueError with a readable reason."""
    text = text.strip()
    if not text:
        raise ValueError("occurred_at is empty")
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"occurred_at {text!r} is not an ISO 8601 date and time (e.g. 2017-03-14T21:30)"
        ) from None
    if timezone.is_naive(value):
        tz = ZoneInfo(settings.TIME_ZONE)
        early, late = value.replace(tzinfo=tz, fold=0), value.replace(tzinfo=tz, fold=1)
        if early.utcoffset() != late.utcoffset():
            # the hour the clocks go back happens twice; a gap hour does not exist
            round_trip = early.astimezone(dt.UTC).astimezone(tz).replace(tzinfo=None)
            if round_trip != value:
                raise ValueError(
                    f"occurred_at {text} does not exist in local time "
                    "(the clocks skipped that hour)"
                )
            raise ValueError(
                f"occurred_at {text} happened twice (clocks went back): "
                f"add the offset, e.g. {text}-07:00"
            )
        value = early
    return value


def _int(raw: str, column: str, errors: list[str]) -> int:
    raw = (raw or "").strip()
    try:
        number = int(raw)
    except ValueError:
        errors.append(f"{column} must be a whole number, not {raw!r}")
        return 0
    if number < 0 or number > MAX_VICTIMS:
        errors.append(f"{column} must be between 0 and {MAX_VICTIMS}, not {number}")
        return 0
    return number


def _choice(
    raw: str, column: str, allowed: list[str], errors: list[str], *, required: bool = False
) -> str:
    value = (raw or "").strip().lower()
    if not value and not required:
        return ""
    if value not in allowed:
        errors.append(f"{column} must be one of {'|'.join(allowed)}, not {raw!r}")
    return value


def parse_incident_csv(text: str) -> tuple[list[ImportRow], list[RowError]]:
    """Every row parsed, every problem listed (line number + reason)."""
    rows: list[ImportRow] = []
    errors: list[RowError] = []
    for item in iter_incident_rows(io.StringIO(text.removeprefix("\ufeff"))):
        (errors if isinstance(item, RowError) else rows).append(item)
    return rows, errors


def iter_incident_rows(
    lines: Iterable[str], *, max_rows: int = MAX_ROWS
) -> Iterator[ImportRow | RowError]:
    """The file's rows one at a time (a row, or a problem with its line), holding none of them:
    a big file streams through in constant memory (only the case numbers seen are kept)."""
    nul_lines: list[int] = []
    reader = csv.DictReader(_without_nul(lines, nul_lines))
    try:
        fieldnames = reader.fieldnames
    except csv.Error as exc:
        yield RowError(1, _unreadable(exc))
        return
    header = [h.strip().removeprefix("\ufeff") for h in (fieldnames or [])]
    if problem := _header_problem(header):
        yield RowError(1, problem)
        return
    reader.fieldnames = header
    seen: dict[str, int] = {}  # case number → the line it first appeared on
    now = timezone.now()
    found = False
    for index, raw in enumerate(_records(reader), start=2):
        if isinstance(raw, RowError):  # the csv module could not read on: the file is refused
            yield raw
            return
        line = reader.line_num if reader.line_num else index
        if index - 1 > max_rows:
            yield RowError(line, f"the file has more than {max_rows} rows; split it")
            return
        found = True
        if nul_lines:
            yield from _nul_errors(nul_lines)
            nul_lines.clear()
            continue
        if None in raw:
            yield RowError(line, "the row has more fields than the header")
            continue
        values = {k: (v or "").strip() for k, v in raw.items()}
        if not any(values.values()):
            continue
        too_long = [k for k, v in values.items() if len(v) > MAX_FIELD_CHARS]
        if too_long:
            longer = f"longer than {MAX_FIELD_CHARS:,} characters"
            yield RowError(line, f"{', '.join(too_long)} {longer}")
            continue
        row, problems = _parse_row(values, line, seen, now)
        yield from (RowError(line, p) for p in problems)
        if row is not None:
            yield row
    if nul_lines:
        yield from _nul_errors(nul_lines)
    elif not found:
        yield RowError(1, "the file has no incident rows")


def _nul_errors(nul_lines: list[int]) -> Iterator[RowError]:
    return (RowError(n, "the line contains a NUL character (\\0); remove it") for n in nul_lines)


def _without_nul(lines: Iterable[str], nul_lines: list[int]) -> Iterator[str]:
    """The physical lines with NUL characters taken out, noting on which lines they were (a NUL
    byte is refused with its line, never passed on to the database)."""
    for number, physical in enumerate(lines, start=1):
        if "\x00" in physical:
            nul_lines.append(number)
            physical = physical.replace("\x00", "")
        yield physical


def _records(reader: csv.DictReader) -> Iterator[dict | RowError]:
    """The reader's rows; a row the csv module cannot read (a field past its 131,072-character
    limit, say) becomes a row error and ends the reading: the import is all or nothing."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield RowError(reader.line_num + 1, _unreadable(exc))
            return


def _unreadable(exc: csv.Error) -> str:
    if "field larger than field limit" in str(exc):
        return f"a field is far longer than {MAX_FIELD_CHARS:,} characters; the file is refused"
    return f"the line cannot be read as CSV ({exc})"


def _header_problem(header: list[str]) -> str | None:
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        return f"the header lacks the column(s) {', '.join(missing)}"
    unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
    if unknown:
        return f"unknown column(s) {', '.join(unknown)}"
    return None


def _parse_row(
    values: dict[str, str], line: int, seen: dict[str, int], now: dt.datetime
) -> tuple[ImportRow | None, list[str]]:
    """One row, or None and every problem it has (in the order of the columns)."""
    problems: list[str] = []
    case_number = values["case_number"]
    problems.extend(_case_number_problems(case_number, line, seen))
    occurred_at = _occurred_at(values["occurred_at"], now, problems)
    problems.extend(_place_problems(values["address"], values["area"]))
    weapon = _choice(values["weapon"], "weapon", CHOICES["weapon"], problems, required=True)
    fatal = _int(values["fatal_victims"], "fatal_victims", problems)
    nonfatal = _int(values["nonfatal_victims"], "nonfatal_victims", problems)
    problems.extend(_weapon_problems(weapon, fatal, nonfatal))
    optional = {
        name: _choice(values.get(name, ""), name, CHOICES[name], problems)
        for name in ("circumstance", "group_involved", "counting_status")
    }
    reason = values.get("counting_reason", "")
    if len(reason) > 300:
        problems.append("counting_reason is longer than 300 characters")
    if problems:
        return None, problems
    row = ImportRow(
        line=line,
        case_number=case_number,
        occurred_at=occurred_at,
        address=values["address"],
        area=values["area"],
        weapon=weapon,
        fatal_victims=fatal,
        nonfatal_victims=nonfatal,
        counting_reason=reason,
        **optional,
    )
    return row, []


def _case_number_problems(case_number: str, line: int, seen: dict[str, int]) -> list[str]:
    if not case_number:
        return ["case_number is empty"]
    if len(case_number) > 40:
        return ["case_number is longer than 40 characters"]
    if case_number in seen:
        return [f"case_number {case_number} already appears on line {seen[case_number]}"]
    seen[case_number] = line
    return []


def _occurred_at(raw: str, now: dt.datetime, problems: list[str]) -> dt.datetime | None:
    try:
        occurred_at = parse_occurred_at(raw)
    except ValueError as exc:
        problems.append(str(exc))
        return None
    if occurred_at > now + dt.timedelta(minutes=5):
        problems.append(f"occurred_at {raw} is in the future")
    return occurred_at


def _place_problems(address: str, area: str) -> list[str]:
    problems = []
    if not address:
        problems.append("address is empty")
    elif len(address) > 200:
        problems.append("address is longer than 200 characters")
    if len(area) > 40:
        problems.append("area is longer than 40 characters")
    return problems


def _weapon_problems(weapon: str, fatal: int, nonfatal: int) -> list[str]:
    """The log holds shootings and homicides: weapon "other" needs a death and no wounded."""
    if weapon != Incident.Weapon.OTHER:
        return []
    if nonfatal:
        return ['nonfatal_victims with weapon "other" is not a shooting: use weapon firearm']
    if not fatal:
        return ['weapon "other" with no fatal victim is neither a shooting nor a homicide']
    return []
