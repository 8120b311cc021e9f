"""The all-or-nothing import of the incident CSV (the command and the upload page)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction

from ceasefire.core.audit import Action, audit_record
from ceasefire.core.concurrency import save_versioned
from ceasefire.core.models import Incident, Involvement, User

from ..imports import ImportRow, RowError, iter_incident_rows
from .incidents import check_weapon_against_victims, incident_create, reconcile_unidentified

Victim = tuple[int, str, int | None]  # an involvement's id, injury and person id


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportRefused(ValidationError):
    def __init__(self, errors: list[RowError]):
        self.row_errors = errors
        super().__init__([f"Line {e.line}: {e.reason}" for e in errors])


def _row_facts(row: ImportRow, existing: Incident | None) -> dict:
    facts = {
        "case_number": row.case_number,
        "occurred_at": row.occurred_at,
        "address": row.address,
        "area": row.area,
        "weapon": row.weapon,
    }
    for name in ("circumstance", "group_involved", "counting_status"):
        value = getattr(row, name)
        if value:
            facts[name] = value
        elif existing is None:
            facts[name] = Incident._meta.get_field(name).default
    status = facts.get(
        "counting_status", existing.counting_status if existing else Incident.CountingStatus.COUNTED
    )
    facts["counting_reason"] = (
        row.counting_reason if status != Incident.CountingStatus.COUNTED else ""
    )
    if (
        status != Incident.CountingStatus.COUNTED
        and not row.counting_reason
        and existing is not None
    ):
        facts["counting_reason"] = existing.counting_reason
    return facts


def _import_row(row: ImportRow, existing: Incident | None, user: User | None) -> str:
    facts = _row_facts(row, existing)
    if existing is None:
        incident_create(
            user=user,
            facts=facts,
            fatal_victims=row.fatal_victims,
            nonfatal_victims=row.nonfatal_victims,
        )
        return "created"
    changed = [k for k, v in facts.items() if getattr(existing, k) != v]
    for name in changed:
        setattr(existing, name, facts[name])
    existing.full_clean()
    check_weapon_against_victims(existing)
    if changed:
        save_versioned(existing, expected_version=existing.version, user=user, fields=changed)
    moved = reconcile_unidentified(existing, Involvement.Injury.FATAL, row.fatal_victims)
    moved_nf = reconcile_unidentified(existing, Involvement.Injury.NONFATAL, row.nonfatal_victims)
    if changed or moved or moved_nf:
        audit_record(
            actor=user,
            action=Action.CHANGE,
            obj=existing,
            detail={"fields": changed, "import": True},
        )
        return "updated"
    return "unchanged"


def _row_conflicts_with_db(
    row: ImportRow, existing: Incident | None, victims: list[Victim] | None = None
) -> list[str]:
    """Checks that need the database: identified victims the counts would drop, the weapon.

    ``victims``: the incident's victims as (id, injury, person id), when already loaded.
    """
    if existing is None:
        return []
    if victims is None:
        victims = [
            (i.pk, i.injury, i.person_id)
            for i in existing.involvements.all()
            if i.role == Involvement.Role.VICTIM
        ]
    reasons = []
    identified = {
        Involvement.Injury.FATAL: 0,
        Involvement.Injury.NONFATAL: 0,
        Involvement.Injury.NONE: 0,
    }
    for _pk, injury, person_id in victims:
        if person_id:
            identified[injury] += 1
    for injury, wanted, column in (
        (Involvement.Injury.FATAL, row.fatal_victims, "fatal_victims"),
        (Involvement.Injury.NONFATAL, row.nonfatal_victims, "nonfatal_victims"),
    ):
        if identified[injury] > wanted:
            reasons.append(
                f"{column} is {wanted} but {identified[injury]} such victims of {existing} "
                "are already identified"
            )
    if row.weapon == Incident.Weapon.OTHER and identified[Involvement.Injury.NONE]:
        reasons.append(
            f'weapon "other" but {existing} has unhurt victims, which only a firearm explains'
        )
    if (
        row.counting_status in ("held", "unfounded")
        and not row.counting_reason
        and not existing.counting_reason
    ):
        reasons.append("counting_status is held or unfounded: give a counting_reason")
    return reasons


def incidents_import(*, text: str, user: User | None, dry_run: bool = False) -> ImportReport:
    """All-or-nothing import of a CSV text (see README), through the bulk path of the jobs.

    Raises :class:`ImportRefused` listing every bad row (line number and reason); nothing is
    written. A dry run checks and reports what would happen. Upload and command use import
    jobs (``import_jobs``), which stream a stored file through the same two passes.
    """
    from .bulk_import import incidents_check, incidents_write

    items = list(iter_incident_rows(io.StringIO(text.removeprefix("\ufeff"))))
    result = incidents_check(items, keep_case_numbers=True)
    if result.error_count:
        raise ImportRefused(result.errors)
    report = ImportReport(dry_run=dry_run, **result.case_numbers)
    if not dry_run:
        with transaction.atomic():
            incidents_write((i for i in items if isinstance(i, ImportRow)), user=user)
            audit_record(
                actor=user,
                action=Action.CREATE,
                object_type="core.incident",
                detail={"import": True, "dry_run": False, **result.as_dict()},
            )
    return report


class _DryRunRollback(Exception):
    """Raised at the end of a dry-run import to roll back everything it wrote."""


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [
            f"{k}: {m}" if k != "__all__" else m for k, ms in exc.message_dict.items() for m in ms
        ]
    return list(exc.messages)
