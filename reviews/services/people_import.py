"""Importing people and their involvements from a records-system extract, in batches.

Same two passes as the incident import: check every row (its incident must exist), then write all
rows in one transaction. A person is matched by last name, first name and date of birth (case
insensitive) — among people already recorded or earlier rows of the file — else created. A victim
row identifies one of the incident's unidentified victims of that injury when there is one (the
counts stay right), else adds a victim; other roles add the involvement unless it exists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import reduce
from operator import or_

from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower

from ceasefire.core.models import Incident, Involvement, Person, User

from ..imports import RowError
from ..people_imports import PersonRow
from .bulk_import import BulkResult, _batches


def _incidents(rows: list[PersonRow]) -> dict[str, int]:
    return dict(
        Incident.objects.filter(case_number__in={r.case_number for r in rows}).values_list(
            "case_number", "pk"
        )
    )


def people_check(
    items: Iterable[PersonRow | RowError], *, progress: Callable[[BulkResult], None]
) -> BulkResult:
    result = BulkResult()
    for batch in _batches(items):
        rows = [i for i in batch if isinstance(i, PersonRow)]
        errors = [i for i in batch if isinstance(i, RowError)]
        known = _incidents(rows)
        errors += [
            RowError(r.line, f"no incident {r.case_number} in the log: import the incidents first")
            for r in rows
            if r.case_number not in known
        ]
        result.error_count += len(errors)
        result.errors += errors[: max(0, 1000 - len(result.errors))]
        result.created += len(rows)
        result.rows_checked += len({i.line for i in batch})
        progress(result)
    result.errors.sort(key=lambda e: e.line)
    return result


def _people(rows: list[PersonRow]) -> dict[tuple, Person]:
    """The batch's people already recorded, by identity (one query)."""
    wanted = {r.identity for r in rows}
    match = reduce(
        or_,
        (Q(last_lower=last, first_lower=first, date_of_birth=dob) for last, first, dob in wanted),
    )
    found = Person.objects.annotate(last_lower=Lower("last_name"), first_lower=Lower("first_name"))
    return {
        (p.last_lower, p.first_lower, p.date_of_birth): p
        for p in found.filter(match).order_by("id")
    }


@transaction.atomic
def people_write(
    rows: Iterable[PersonRow], *, user: User | None, progress: Callable[[int], None]
) -> dict:
    counts = {"people_created": 0, "victims_identified": 0, "involvements_added": 0}
    written = 0
    for batch in _batches(rows):
        incidents = _incidents(batch)
        people = _people(batch)
        new = {}
        for row in batch:
            if row.identity not in people and row.identity not in new:
                new[row.identity] = Person(
                    last_name=row.last_name,
                    first_name=row.first_name,
                    date_of_birth=row.date_of_birth,
                    gender=row.gender,
                    neighbourhood=row.neighbourhood,
                    updated_by=user,
                )
        Person.objects.bulk_create(list(new.values()))
        counts["people_created"] += len(new)
        people.update(new)
        existing = list(
            Involvement.objects.filter(incident_id__in=incidents.values()).values_list(
                "pk", "incident_id", "person_id", "role", "injury"
            )
        )
        taken = {(i, p, r) for _pk, i, p, r, _inj in existing if p}
        spare: dict[tuple, list[int]] = {}
        for pk, incident_id, person_id, _role, injury in existing:
            if person_id is None:
                spare.setdefault((incident_id, injury), []).append(pk)
        identify: list[Involvement] = []
        add: list[Involvement] = []
        for row in batch:
            incident_id, person = incidents[row.case_number], people[row.identity]
            key = (incident_id, person.pk, row.role)
            if key in taken:
                continue
            taken.add(key)
            free = spare.get((incident_id, row.injury)) if row.role == "victim" else None
            if free:
                identify.append(Involvement(pk=free.pop(0), person_id=person.pk))
            else:
                add.append(
                    Involvement(
                        incident_id=incident_id,
                        person_id=person.pk,
                        role=row.role,
                        injury=row.injury,
                    )
                )
        Involvement.objects.bulk_update(identify, ["person"])
        Involvement.objects.bulk_create(add)
        counts["victims_identified"] += len(identify)
        counts["involvements_added"] += len(add)
        written += len(batch)
        progress(written)
    return counts
