"""The incident import at scale: streamed rows, checked then written in batches, all or nothing.

Two passes over the file, each in batches of ``BATCH`` rows with a fixed number of queries per
batch (the batch's existing incidents and their victims in one look-up; ``bulk_create`` and
``bulk_update`` for the writes) — never a query per row:

1. **check** every row (the parser's rules, then those that need the database: identified victims
   a count would drop, a reason for held rows) and classify it (created / updated / unchanged),
   reporting progress after each batch; a dry run stops here;
2. **write**, only if no row failed, in one transaction: new incidents and their unidentified
   victims, changed facts, victims added or removed to match the counts. The database's triggers
   keep each incident's victim counts, whatever path wrote the victims.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice

from django.db import connection, transaction
from django.utils import timezone

from ceasefire.core.models import Incident, Involvement, User

from ..imports import ImportRow, RowError
from .imports import Victim, _row_conflicts_with_db, _row_facts

BATCH = 2000
VICTIM_INJURIES = (
    (Involvement.Injury.FATAL, "fatal_victims"),
    (Involvement.Injury.NONFATAL, "nonfatal_victims"),
)


@dataclass
class BulkResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rows_checked: int = 0
    errors: list[RowError] = field(default_factory=list)
    error_count: int = 0
    case_numbers: dict[str, list[str]] | None = None  # kept only when asked (small files)

    def as_dict(self) -> dict:
        return {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}


Progress = Callable[[BulkResult], None]


def _batches(items: Iterable) -> Iterator[list]:
    iterator, size = iter(items), BATCH
    while batch := list(islice(iterator, size)):
        yield batch


def _existing(rows: list[ImportRow]) -> dict[str, tuple[Incident, list[Victim]]]:
    """The batch's incidents already in the log, each with its victims (two queries; plain
    tuples for the victims: a prefetched related manager costs a queryset clone per access)."""
    incidents = {
        i.pk: i for i in Incident.objects.filter(case_number__in=[r.case_number for r in rows])
    }
    victims: dict[int, list[Victim]] = {pk: [] for pk in incidents}
    if incidents:
        for incident_id, pk, injury, person_id in Involvement.objects.filter(
            incident_id__in=list(incidents), role=Involvement.Role.VICTIM
        ).values_list("incident_id", "pk", "injury", "person_id"):
            victims[incident_id].append((pk, injury, person_id))
    return {i.case_number: (i, victims[pk]) for pk, i in incidents.items()}


def _changed(
    row: ImportRow, existing: Incident, victims: list[Victim]
) -> tuple[dict, list[str], dict[str, int]]:
    """The row's facts, the fields that differ, and per injury how many unidentified victims to
    add (positive) or remove (negative)."""
    facts = _row_facts(row, existing)
    changed = [k for k, v in facts.items() if getattr(existing, k) != v]
    moves = {}
    for injury, column in VICTIM_INJURIES:
        have = sum(1 for _pk, kind, _person in victims if kind == injury)
        moves[injury] = getattr(row, column) - have
    return facts, changed, moves


def _new_row_problems(row: ImportRow) -> list[str]:
    if row.counting_status in ("held", "unfounded") and not row.counting_reason:
        return ["counting_status is held or unfounded: give a counting_reason"]
    return []


def incidents_check(
    items: Iterable[ImportRow | RowError],
    *,
    progress: Progress | None = None,
    keep_case_numbers: bool = False,
) -> BulkResult:
    """Pass 1: every row checked and classified; nothing written."""
    result = BulkResult()
    if keep_case_numbers:
        result.case_numbers = {"created": [], "updated": [], "unchanged": []}

    def count(outcome: str, row: ImportRow) -> None:
        setattr(result, outcome, getattr(result, outcome) + 1)
        if result.case_numbers is not None:
            result.case_numbers[outcome].append(row.case_number)

    def fail(error: RowError) -> None:
        result.error_count += 1
        if len(result.errors) < 1000:
            result.errors.append(error)

    for batch in _batches(items):
        rows = [item for item in batch if isinstance(item, ImportRow)]
        for item in batch:
            if isinstance(item, RowError):
                fail(item)
        existing = _existing(rows)
        for row in rows:
            found, victims = existing.get(row.case_number, (None, []))
            if found is None:
                problems = _new_row_problems(row)
            else:
                problems = _row_conflicts_with_db(row, found, victims)
            for reason in problems:
                fail(RowError(row.line, reason))
            if problems:
                continue
            if found is None:
                count("created", row)
            else:
                _facts, changed, moves = _changed(row, found, victims)
                count("updated" if changed or any(moves.values()) else "unchanged", row)
        result.rows_checked += len({item.line for item in batch})
        if progress is not None:
            progress(result)
    result.errors.sort(key=lambda e: e.line)
    return result


def _insert(model, objects: list) -> None:
    """Insert new rows: PostgreSQL's COPY (no per-value SQL building: several times faster than
    ``bulk_create`` for a big file), ``bulk_create`` elsewhere. Primary keys are not set."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=BATCH)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor, in Django's transaction
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objects:
                copy.write_row([getattr(obj, f.attname) for f in fields])


def _victims(incident_id: int, injury: str, count: int) -> list[Involvement]:
    return [
        Involvement(incident_id=incident_id, role=Involvement.Role.VICTIM, injury=injury)
        for _ in range(count)
    ]


@transaction.atomic
def incidents_write(
    rows: Iterable[ImportRow], *, user: User | None, progress: Callable[[int], None] | None = None
) -> int:
    """Pass 2 (after a clean check): write every row, in batches, in one transaction."""
    written = 0
    now = timezone.now()
    for batch in _batches(rows):
        existing = _existing(batch)
        new = [
            Incident(
                **_row_facts(row, None),
                created_by=user,
                updated_by=user,
                created_at=now,
                updated_at=now,
            )
            for row in batch
            if row.case_number not in existing
        ]
        _insert(Incident, new)
        ids = (
            dict(
                Incident.objects.filter(case_number__in=[i.case_number for i in new]).values_list(
                    "case_number", "pk"
                )
            )
            if new
            else {}
        )
        victims: list[Involvement] = []
        gone: list[int] = []
        changed_incidents: list[Incident] = []
        changed_fields: set[str] = set()
        for row in batch:
            found, had = existing.get(row.case_number, (None, []))
            if found is None:
                for injury, column in VICTIM_INJURIES:
                    victims += _victims(ids[row.case_number], injury, getattr(row, column))
                continue
            facts, changed, moves = _changed(row, found, had)
            if changed:
                for name in changed:
                    setattr(found, name, facts[name])
                found.version += 1
                found.updated_at, found.updated_by = now, user
                changed_incidents.append(found)
                changed_fields.update(changed)
            for injury, move in moves.items():
                if move > 0:
                    victims += _victims(found.pk, injury, move)
                elif move < 0:
                    spare = sorted(
                        (pk for pk, kind, person in had if kind == injury and person is None),
                        reverse=True,
                    )
                    gone += spare[:-move]
        if changed_incidents:
            Incident.objects.bulk_update(
                changed_incidents,
                [*sorted(changed_fields), "version", "updated_at", "updated_by"],
                batch_size=BATCH,
            )
        _insert(Involvement, victims)
        if gone:
            Involvement.objects.filter(pk__in=gone).delete()
        written += len(batch)
        if progress is not None:
            progress(written)
    return written
