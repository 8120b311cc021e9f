"""Retention: due designations lapse, and people with nothing recent are purged to a tombstone.

A person is purged when their last designation, involvement, task and contact are all older than
the retention period (``RETENTION_YEARS``, five by default), they were recorded before it, and
they are not shared with the partnership. Purging removes every personal and free-text field
about them wherever a row points at the person (found through the model's relations, so the
meeting apps' rows are covered without core importing them), replaces their name in free text
elsewhere, deletes their group labels, and leaves a content-free tombstone: the row keeps its id,
so per-victim counts, designations counted by day and stored worksheet snapshots (aggregates, no
names) stay exactly as they were. Groups and conflicts not re-validated for three years are
archived (a group made inactive, a conflict dormant). Each run is one audit event; a second run
finds nothing to do.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import reduce
from operator import or_

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, Left, Replace
from django.utils import timezone

from .audit import Action, audit_record
from .models import (
    Conflict,
    CustomNotification,
    Enrolment,
    Group,
    GroupAffiliation,
    Involvement,
    PartnershipShare,
    Person,
    RiskDesignation,
    ServiceContact,
    Task,
    User,
)
from .selectors import local_midnight

PURGED = "[purged]"
PURGED_MENTION = "[a purged person]"
PURGED_NAME = ("Purged", "person")
Attendance = Person.call_ins.through

# Person fields a purge resets (the tombstone keeps only its id and when it was purged).
_PERSON_RESET = {
    "first_name": PURGED_NAME[0],
    "last_name": PURGED_NAME[1],
    "aliases": "",
    "date_of_birth": None,
    "age_estimate": None,
    "gender": Person.Gender.UNKNOWN,
    "neighbourhood": "",
    "on_supervision": False,
    "supervising_organisation": None,
    "in_custody": False,
    "deceased": False,
}


def retention_cutoff(today: dt.date | None = None) -> dt.date:
    """The day before which nothing about a person is recent enough to keep them."""
    today = today or timezone.localdate()
    years = settings.RETENTION_YEARS
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def people_due_for_purge(today: dt.date | None = None) -> QuerySet[Person]:
    """People the next run purges: nothing about them on or after the cutoff, not shared."""
    cutoff = retention_cutoff(today)
    since = local_midnight(cutoff)
    person = OuterRef("pk")
    recent = [
        RiskDesignation.objects.filter(person=person).filter(
            Q(designated_on__gte=cutoff) | Q(review_due__gte=cutoff) | Q(ended_on__gte=cutoff)
        ),
        Involvement.objects.filter(person=person, incident__occurred_at__gte=since),
        Task.objects.filter(subject_person=person).filter(
            Q(created_at__gte=since) | Q(completed_at__gte=since) | Q(status__in=Task.OPEN_STATUSES)
        ),
        CustomNotification.objects.filter(person=person, delivered_on__gte=cutoff),
        Attendance.objects.filter(person_id=person, callin__held_on__gte=cutoff),
        Enrolment.objects.filter(person=person).filter(
            Q(started_on__gte=cutoff) | Q(ended_on__isnull=True) | Q(ended_on__gte=cutoff)
        ),
        ServiceContact.objects.filter(person=person, contacted_on__gte=cutoff),
        PartnershipShare.objects.filter(person=person, withdrawn_at__isnull=True),
    ]
    people = Person.objects.filter(purged_at__isnull=True, created_at__lt=since)
    for rows in recent:
        people = people.exclude(Exists(rows))
    return people.order_by("last_name", "first_name", "id")


def designations_due_to_lapse(today: dt.date | None = None) -> QuerySet[RiskDesignation]:
    """Confirmed designations still open after their review date: the run lets them lapse."""
    today = today or timezone.localdate()
    return RiskDesignation.objects.confirmed().open().filter(review_due__lt=today)


def groups_due_for_archive(today: dt.date | None = None) -> QuerySet[Group]:
    """Current groups past their re-validation day (three years after the last validation,
    ``Group.revalidation_due``): the run archives them."""
    yesterday = (today or timezone.localdate()) - dt.timedelta(days=1)
    return Group.objects.revalidation_due_by(yesterday)


def conflicts_due_for_archive(today: dt.date | None = None) -> QuerySet[Conflict]:
    """Current conflicts past their re-validation day: the run archives them (dormant)."""
    yesterday = (today or timezone.localdate()) - dt.timedelta(days=1)
    return Conflict.objects.revalidation_due_by(yesterday)


@dataclass
class RetentionReport:
    dry_run: bool
    cutoff: dt.date
    lapsed: int = 0
    purged: list[int] = field(default_factory=list)
    archived_groups: int = 0
    archived_conflicts: int = 0


@transaction.atomic
def retention_run(
    *, dry_run: bool, user: User | None = None, today: dt.date | None = None
) -> RetentionReport:
    """Lapse due designations and purge people due for purge (or only count them: dry run)."""
    today = today or timezone.localdate()
    report = RetentionReport(dry_run=dry_run, cutoff=retention_cutoff(today))
    due = designations_due_to_lapse(today)
    ids = list(people_due_for_purge(today).values_list("pk", flat=True))
    report.purged = ids
    groups, conflicts = groups_due_for_archive(today), conflicts_due_for_archive(today)
    if dry_run:
        report.lapsed = due.count()
        report.archived_groups, report.archived_conflicts = groups.count(), conflicts.count()
        return report
    report.lapsed = _lapse(due)
    report.archived_groups = groups.update(active=False, archived_on=today)
    report.archived_conflicts = conflicts.update(
        status=Conflict.Status.DORMANT, archived_on=today, version=models.F("version") + 1
    )
    for start in range(0, len(ids), 500):
        _purge(ids[start : start + 500])
    audit_record(
        actor=user,
        action=Action.DELETE,
        object_type="core.retentionrun",
        detail={
            "cutoff": report.cutoff.isoformat(),
            "lapsed": report.lapsed,
            "purged": len(ids),
            "people": ids,
            "archived_groups": report.archived_groups,
            "archived_conflicts": report.archived_conflicts,
        },
    )
    return report


def _lapse(due: QuerySet[RiskDesignation]) -> int:
    rows = list(due.only("pk", "designated_on", "review_due"))
    for row in rows:
        row.ended_on = max(row.review_due + dt.timedelta(days=1), row.designated_on)
        row.end_reason = RiskDesignation.EndReason.LAPSED
    RiskDesignation.objects.bulk_update(rows, ["ended_on", "end_reason"], batch_size=1000)
    return len(rows)


def _purge(ids: list[int]) -> None:
    names = [str(p) for p in Person.objects.filter(pk__in=ids).only("first_name", "last_name")]
    GroupAffiliation.objects.filter(person_id__in=ids).delete()
    for model, fk in _rows_about_a_person():
        scrub = _scrubbed_fields(model, exclude={fk})
        if scrub:
            model.objects.filter(**{f"{fk}__in": ids}).update(**scrub)
    _replace_names(names)
    Person.objects.filter(pk__in=ids).update(
        **_PERSON_RESET, purged_at=timezone.now(), version=models.F("version") + 1
    )


def _rows_about_a_person() -> list[tuple[type[models.Model], str]]:
    """(model, foreign-key name) of every row that points at a person, in any app."""
    return [
        (rel.related_model, rel.field.name)
        for rel in Person._meta.get_fields(include_hidden=True)
        if rel.auto_created and not rel.concrete and (rel.one_to_many or rel.one_to_one)
    ]


def _free_text(model: type[models.Model]):
    for f in model._meta.concrete_fields:
        if isinstance(f, models.CharField | models.TextField) and not f.choices:
            yield f


def _scrubbed_fields(model: type[models.Model], *, exclude: set[str]) -> dict:
    """Free text emptied (or marked purged where a value is required); JSON back to empty."""
    scrub: dict = {}
    for f in model._meta.concrete_fields:
        if f.name in exclude or f.primary_key:
            continue
        if isinstance(f, models.JSONField):
            scrub[f.name] = f.get_default()
    for f in _free_text(model):
        if f.name not in exclude:
            scrub[f.name] = "" if f.blank else PURGED
    return scrub


def _replace_names(names: list[str]) -> None:
    """The purged people's names, wherever any other row's free text or JSON mentions them: every
    text column and JSON document of every model (other incidents' review answers, meetings'
    minutes and the frozen ``facts_at_close`` / ``deliverables_at_close`` snapshots, tasks,
    narratives, the admin's change log). The audit log is not touched: it never holds a name
    (``ceasefire.core.audit.object_label`` stores a person token, resolved at read time)."""
    names = sorted({n for n in names if len(n) > 3})
    if not names:
        return
    for model in _scanned_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.JSONField):
                _replace_in_json(model, f.name, names)
            elif isinstance(f, models.CharField | models.TextField) and not f.choices:
                _replace_in_text(model, f, names)


# Never scanned: the audit log (append-only; holds no names) and the tombstones themselves.
_NOT_SCANNED = {"core.auditevent", "core.person", "sessions.session", "contenttypes.contenttype"}


def _scanned_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label_lower not in _NOT_SCANNED
    ]


def _mentioning(column: str, needles: list[str]) -> Q:
    return reduce(or_, (Q(**{f"{column}__contains": n}) for n in needles))


def _replace_in_text(model: type[models.Model], f: models.Field, names: list[str]) -> None:
    """Replace in one column; a bounded column keeps its maximum length, and a unique one (a
    group named after the person, say) takes the row's id where the result would clash."""
    column = f.name
    rows = model._default_manager.all()
    if not rows.filter(_mentioning(column, names)).exists():
        return
    if f.unique:
        for pk, value in rows.filter(_mentioning(column, names)).values_list("pk", column):
            new = _without_names(value, names)
            if rows.filter(**{column: new}).exclude(pk=pk).exists():
                new = f"{new} #{pk}"
            rows.filter(pk=pk).update(**{column: new[: f.max_length] if f.max_length else new})
        return
    for name in names:
        replaced = Replace(column, Value(name), Value(PURGED_MENTION))
        if f.max_length:
            replaced = Left(replaced, f.max_length)
        rows.filter(**{f"{column}__contains": name}).update(**{column: replaced})


def _replace_in_json(model: type[models.Model], column: str, names: list[str]) -> None:
    # a JSON document as text holds a name as typed, or escaped (non-ASCII letters as \uXXXX)
    needles = sorted(set(names) | {json.dumps(n)[1:-1] for n in names})
    text = model._default_manager.annotate(_as_text=Cast(column, models.TextField()))
    for pk, value in text.filter(_mentioning("_as_text", needles)).values_list("pk", column):
        model._default_manager.filter(pk=pk).update(**{column: _without_names(value, names)})


def _without_names(value, names: list[str]):
    if isinstance(value, str):
        for name in names:
            value = value.replace(name, PURGED_MENTION)
        return value
    if isinstance(value, list):
        return [_without_names(v, names) for v in value]
    if isinstance(value, dict):
        return {_without_names(k, names): _without_names(v, names) for k, v in value.items()}
    return value
