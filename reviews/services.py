"""Writes of the shooting log and the weekly shooting review.

Every service is keyword-only and atomic, validates with ``full_clean()`` before it writes,
saves with ``update_fields`` (``save_versioned`` for records two people may edit) and records
its audit event inside the same transaction. Designations, tasks, shares and closing reuse
``ceasefire.core.services``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from ceasefire.core import services as core_services
from ceasefire.core.audit import Action, audit_record
from ceasefire.core.concurrency import ConcurrentEditError, save_versioned
from ceasefire.core.models import (
    AgendaItem,
    Conflict,
    Group,
    Incident,
    Involvement,
    Meeting,
    Organisation,
    Person,
    RiskDesignation,
    Task,
    User,
)

from . import selectors
from .imports import ImportRow, RowError, parse_incident_csv
from .models import DesignationDecision, FollowUpChoice, ReviewIncident, ReviewSummary, RiskDecision

INCIDENT_FACT_FIELDS = [
    "case_number",
    "occurred_at",
    "address",
    "area",
    "beat",
    "latitude",
    "longitude",
    "weapon",
    "circumstance",
    "group_involved",
    "conflict",
    "narrative",
    "counting_status",
    "counting_reason",
]

# --- The shooting log --------------------------------------------------------------------


def weapon_victim_problem(weapon: str, injury: str) -> str | None:
    """Which victims an incident's weapon allows (the log holds shootings and homicides).

    A fatal victim is valid with any weapon: every homicide counts. A wounded or unhurt
    victim needs a firearm: with weapon "other" it is neither a shooting nor a homicide.
    """
    if weapon == Incident.Weapon.FIREARM or injury == Involvement.Injury.FATAL:
        return None
    if injury == Involvement.Injury.NONFATAL:
        return (
            'A non-fatal injury with weapon "other" is not a shooting, so it does not belong in the shooting log. '
            "Change the weapon to firearm if a gun was used; if the victim died, record the injury as fatal "
            "(homicides count with any weapon)."
        )
    return (
        'An unhurt victim with weapon "other" is not a shooting. Change the weapon to firearm if shots were fired; '
        "otherwise leave this incident out of the log."
    )


def _check_weapon_against_victims(incident: Incident) -> None:
    if incident.pk is None or incident.weapon == Incident.Weapon.FIREARM:
        return
    injuries = set(
        incident.involvements.filter(role=Involvement.Role.VICTIM)
        .exclude(injury=Involvement.Injury.FATAL)
        .values_list("injury", flat=True)
    )
    if injuries:
        raise ValidationError(
            {
                "weapon": 'This incident has wounded or unhurt victims, which only a firearm explains: with weapon "other" '
                "it would silently leave the shooting counts. Change those victims first, or keep the weapon as firearm."
            }
        )


def _reconcile_unidentified(incident: Incident, injury: str, wanted: int) -> int:
    """Make the victims of ``injury`` number ``wanted`` by adding/removing unidentified ones. Returns the change."""
    victims = incident.involvements.filter(role=Involvement.Role.VICTIM, injury=injury)
    identified = victims.filter(person__isnull=False).count()
    unidentified = list(
        victims.filter(person__isnull=True).order_by("-id").values_list("pk", flat=True)
    )
    if identified > wanted:
        raise ValidationError(
            f"{identified} {injury} victims are already identified on {incident}; the count cannot go below that."
        )
    missing = wanted - identified - len(unidentified)
    if missing > 0:
        Involvement.objects.bulk_create(
            [
                Involvement(incident=incident, role=Involvement.Role.VICTIM, injury=injury)
                for _ in range(missing)
            ]
        )
    elif missing < 0:
        Involvement.objects.filter(pk__in=unidentified[:-missing]).delete()
    return missing


def _related(incident: Incident, related: list[Incident] | None) -> None:
    if related is None:
        return
    if any(r.pk == incident.pk for r in related):
        raise ValidationError({"related_incidents": "An incident cannot be related to itself."})
    incident.related_incidents.set(related)


@transaction.atomic
def incident_create(
    *,
    user: User | None,
    facts: dict,
    groups: list[Group] | None = None,
    related: list[Incident] | None = None,
    fatal_victims: int = 0,
    nonfatal_victims: int = 0,
) -> Incident:
    """Log an incident. Victims not yet identified can be counted straight away."""
    incident = Incident(
        created_by=user,
        updated_by=user,
        **{k: v for k, v in facts.items() if k in INCIDENT_FACT_FIELDS},
    )
    incident.full_clean()
    for injury, count in (
        (Involvement.Injury.FATAL, fatal_victims),
        (Involvement.Injury.NONFATAL, nonfatal_victims),
    ):
        if count < 0:
            raise ValidationError("Victim counts cannot be negative.")
        if count and (problem := weapon_victim_problem(incident.weapon, injury)):
            raise ValidationError({"weapon": problem})
    incident.save()
    if groups:
        incident.groups.set(groups)
    _related(incident, related)
    _reconcile_unidentified(incident, Involvement.Injury.FATAL, fatal_victims)
    _reconcile_unidentified(incident, Involvement.Injury.NONFATAL, nonfatal_victims)
    audit_record(
        actor=user,
        action=Action.CREATE,
        obj=incident,
        detail={"victims": fatal_victims + nonfatal_victims},
    )
    return incident


@transaction.atomic
def incident_update(
    *,
    incident: Incident,
    user: User,
    expected_version: int,
    facts: dict,
    groups: list[Group] | None = None,
    related: list[Incident] | None = None,
) -> Incident:
    """Change an incident's facts; a stale version is refused and nothing is written."""
    changed = [
        name
        for name, value in facts.items()
        if name in INCIDENT_FACT_FIELDS and getattr(incident, name) != value
    ]
    detail: dict = {"fields": changed}
    if "counting_status" in changed:  # a change in or out of the counts is never silent
        detail["counting"] = {
            "from": incident.counting_status,
            "to": facts["counting_status"],
            "reason": facts.get("counting_reason", ""),
        }
    for name in changed:
        setattr(incident, name, facts[name])
    incident.full_clean()
    _check_weapon_against_victims(incident)
    if changed or groups is not None or related is not None:
        save_versioned(incident, expected_version=expected_version, user=user, fields=changed)
    if groups is not None:
        incident.groups.set(groups)
    _related(incident, related)
    audit_record(actor=user, action=Action.CHANGE, obj=incident, detail=detail)
    return incident


@transaction.atomic
def person_create(
    *,
    user: User,
    first_name: str,
    last_name: str,
    date_of_birth: dt.date | None = None,
    age_estimate: int | None = None,
    gender: str = Person.Gender.UNKNOWN,
) -> Person:
    """The "create" half of the search-or-create field: refuses an obvious duplicate."""
    person = Person(
        first_name=(first_name or "").strip(),
        last_name=(last_name or "").strip(),
        date_of_birth=date_of_birth,
        age_estimate=age_estimate,
        gender=gender or Person.Gender.UNKNOWN,
        updated_by=user,
    )
    person.full_clean()
    twin = Person.objects.filter(
        first_name__iexact=person.first_name,
        last_name__iexact=person.last_name,
        date_of_birth=date_of_birth,
    ).first()
    if twin is not None and date_of_birth is not None:
        raise ValidationError(
            {
                "first_name": f"{twin} born {date_format(date_of_birth, 'j M Y')} is already recorded — pick them from the search."
            }
        )
    person.save()
    audit_record(actor=user, action=Action.CREATE, obj=person)
    return person


@transaction.atomic
def involvement_add(
    *,
    incident: Incident,
    user: User,
    role: str,
    injury: str = "",
    person: Person | None = None,
    new_person: dict | None = None,
    notes: str = "",
) -> Involvement:
    """Add a victim, suspect, associate at risk or witness. Only a victim may be unidentified."""
    if role not in Involvement.Role.values:
        raise ValidationError({"role": "Choose victim, suspect, associate at risk or witness."})
    if role == Involvement.Role.VICTIM:
        if injury not in Involvement.Injury.values:
            raise ValidationError(
                {"injury": "Say whether the victim was killed, wounded or not injured."}
            )
        if problem := weapon_victim_problem(incident.weapon, injury):
            raise ValidationError({"injury": problem})
    else:
        injury = ""
    if person is None and new_person:
        person = person_create(user=user, **new_person)
    if person is None and role != Involvement.Role.VICTIM:
        raise ValidationError(
            {
                "person": "A suspect, associate or witness must be a known person: search or create one."
            }
        )
    if person is not None:
        if (
            person.date_of_birth
            and person.date_of_birth > timezone.localtime(incident.occurred_at).date()
        ):
            raise ValidationError(
                {
                    "person": f"{person}'s date of birth ({date_format(person.date_of_birth, 'j M Y')}) is after the incident — check it."
                }
            )
        if incident.involvements.filter(person=person, role=role).exists():
            raise ValidationError(
                {
                    "person": f"{person} is already recorded as {Involvement.Role(role).label.lower()} here."
                }
            )
    involvement = Involvement(
        incident=incident, person=person, role=role, injury=injury, notes=(notes or "").strip()
    )
    involvement.full_clean()
    involvement.save()
    audit_record(
        actor=user,
        action=Action.CREATE,
        obj=involvement,
        detail={"incident": incident.pk, "person": person.pk if person else None, "role": role},
    )
    return involvement


@transaction.atomic
def involvement_identify(*, involvement: Involvement, user: User, person: Person) -> Involvement:
    """Name an unidentified victim (the counts do not change)."""
    if involvement.person_id is not None:
        raise ValidationError("This victim is already identified.")
    if involvement.incident.involvements.filter(person=person, role=involvement.role).exists():
        raise ValidationError({"person": f"{person} is already recorded as a victim here."})
    involvement.person = person
    involvement.full_clean()
    involvement.save(update_fields=["person"])
    audit_record(
        actor=user, action=Action.CHANGE, obj=involvement, detail={"identified": person.pk}
    )
    return involvement


@transaction.atomic
def involvement_remove(*, involvement: Involvement, user: User) -> None:
    audit_record(
        actor=user,
        action=Action.DELETE,
        obj=involvement,
        detail={
            "incident": involvement.incident_id,
            "person": involvement.person_id,
            "role": involvement.role,
        },
    )
    involvement.delete()


# --- Import ----------------------------------------------------------------------------------


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
    _check_weapon_against_victims(existing)
    if changed:
        save_versioned(existing, expected_version=existing.version, user=user, fields=changed)
    moved = _reconcile_unidentified(existing, Involvement.Injury.FATAL, row.fatal_victims)
    moved_nf = _reconcile_unidentified(existing, Involvement.Injury.NONFATAL, row.nonfatal_victims)
    if changed or moved or moved_nf:
        audit_record(
            actor=user,
            action=Action.CHANGE,
            obj=existing,
            detail={"fields": changed, "import": True},
        )
        return "updated"
    return "unchanged"


def _row_conflicts_with_db(row: ImportRow, existing: Incident | None) -> list[str]:
    """Checks that need the database: identified victims the counts would drop, weapon vs victims."""
    if existing is None:
        return []
    reasons = []
    identified = {
        Involvement.Injury.FATAL: 0,
        Involvement.Injury.NONFATAL: 0,
        Involvement.Injury.NONE: 0,
    }
    for inv in existing.involvements.all():
        if inv.role == Involvement.Role.VICTIM and inv.person_id:
            identified[inv.injury] += 1
    for injury, wanted, column in (
        (Involvement.Injury.FATAL, row.fatal_victims, "fatal_victims"),
        (Involvement.Injury.NONFATAL, row.nonfatal_victims, "nonfatal_victims"),
    ):
        if identified[injury] > wanted:
            reasons.append(
                f"{column} is {wanted} but {identified[injury]} such victims of {existing} are already identified"
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
    """All-or-nothing import of the incident CSV (see README). Used by the command and the upload page.

    Raises :class:`ImportRefused` listing every bad row (line number and reason); nothing is written.
    A dry run validates and reports what would happen, then rolls back.
    """
    rows, errors = parse_incident_csv(text)
    existing = {
        i.case_number: i
        for i in Incident.objects.filter(
            case_number__in=[r.case_number for r in rows]
        ).prefetch_related("involvements")
    }
    for row in rows:
        errors.extend(
            RowError(row.line, reason)
            for reason in _row_conflicts_with_db(row, existing.get(row.case_number))
        )
    if errors:
        raise ImportRefused(sorted(errors, key=lambda e: e.line))
    report = ImportReport(dry_run=dry_run)
    try:
        with transaction.atomic():
            for row in rows:
                try:
                    outcome = _import_row(row, existing.get(row.case_number), user)
                except ValidationError as exc:
                    report.errors.append(RowError(row.line, "; ".join(_messages(exc))))
                    continue
                getattr(report, outcome).append(row.case_number)
            if report.errors:
                raise ImportRefused(report.errors)
            audit_record(
                actor=user,
                action=Action.CREATE,
                object_type="core.incident",
                detail={
                    "import": True,
                    "dry_run": dry_run,
                    "created": len(report.created),
                    "updated": len(report.updated),
                    "unchanged": len(report.unchanged),
                },
            )
            if dry_run:
                raise _DryRunRollback
    except _DryRunRollback:
        pass  # the dry run's writes are undone; the report says what would have happened
    return report


class _DryRunRollback(Exception):
    """Raised at the end of a dry-run import to roll back everything it wrote."""


def _messages(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [
            f"{k}: {m}" if k != "__all__" else m for k, ms in exc.message_dict.items() for m in ms
        ]
    return list(exc.messages)


# --- The weekly shooting review -----------------------------------------------------------------


def _ensure_open(review: Meeting) -> None:
    if review.is_closed:
        raise ValidationError("This review is closed; its minutes are read-only.")


def _mark_in_progress(review: Meeting) -> None:
    """The first answer starts the meeting (no version bump: it does not clash with anyone's edit)."""
    if review.state == Meeting.State.DRAFT:
        Meeting.objects.filter(pk=review.pk, state=Meeting.State.DRAFT).update(
            state=Meeting.State.IN_PROGRESS
        )
        review.state = Meeting.State.IN_PROGRESS


SECTIONS = [
    ("deliverables", "1. Prior deliverables"),
    ("shootings", "2. Shootings since the last review"),
    ("risk", "3. Risk assessment"),
    ("response", "4. Response plan"),
]


@transaction.atomic
def review_create(
    *,
    user: User,
    date: dt.date,
    window_start: dt.datetime | None = None,
    window_end: dt.datetime | None = None,
) -> Meeting:
    """Create a weekly review with its proposed (or given) window, and build its agenda."""
    proposed_start, proposed_end = selectors.review_window_proposed(date)
    review = Meeting(
        kind=Meeting.Kind.SHOOTING_REVIEW,
        date=date,
        window_start=window_start or proposed_start,
        window_end=window_end or proposed_end,
        facilitator=user,
        updated_by=user,
    )
    review.full_clean()
    if review.window_start >= review.window_end:
        raise ValidationError({"window_start": "The window must start before it ends."})
    if date > timezone.localdate() + dt.timedelta(days=14):
        raise ValidationError(
            {"date": "That is more than two weeks ahead — check the meeting date."}
        )
    twin = Meeting.objects.filter(kind=Meeting.Kind.SHOOTING_REVIEW, date=date).first()
    if twin is not None:
        raise ValidationError(
            {
                "date": f"There is already a shooting review on {date_format(date, 'j M Y')}: open it instead."
            }
        )
    review.save()
    review.attendees.add(user)
    ReviewSummary.objects.create(meeting=review, updated_by=user)
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(meeting=review, section=key, order=n * 1000, title=title)
            for n, (key, title) in enumerate(SECTIONS)
        ]
    )
    added = _agenda_add_incidents(review)
    audit_record(actor=user, action=Action.CREATE, obj=review, detail={"incidents": added})
    return review


def _agenda_add_incidents(review: Meeting) -> int:
    present = set(
        ReviewIncident.objects.filter(meeting=review).values_list("incident_id", flat=True)
    )
    incidents = [i for i in selectors.incidents_in_review_window(review) if i.pk not in present]
    start = ReviewIncident.objects.filter(meeting=review).count()
    ReviewIncident.objects.bulk_create(
        [
            ReviewIncident(meeting=review, incident=i, order=start + n)
            for n, i in enumerate(incidents)
        ]
    )
    AgendaItem.objects.bulk_create(
        [
            AgendaItem(
                meeting=review,
                section="shootings",
                order=1000 + start + n + 1,
                title=str(i),
                incident=i,
            )
            for n, i in enumerate(incidents)
        ]
    )
    return len(incidents)


@transaction.atomic
def review_refresh(*, review: Meeting, user: User) -> int:
    """Add shootings logged in the window since the agenda was built."""
    _ensure_open(review)
    added = _agenda_add_incidents(review)
    if added:
        audit_record(
            actor=user, action=Action.CHANGE, obj=review, detail={"incidents_added": added}
        )
    return added


def reviews_prepare_open() -> dict[int, int]:
    """Add newly logged shootings to every open review (the scheduled job and ``prepare_reviews``)."""
    added = {}
    open_reviews = Meeting.objects.filter(kind=Meeting.Kind.SHOOTING_REVIEW).exclude(
        state=Meeting.State.CLOSED
    )
    for review in open_reviews.select_related("facilitator").order_by("date"):
        added[review.pk] = review_refresh(review=review, user=review.facilitator)
    return added


ANSWER_FIELDS: dict[str, tuple[type, tuple[str, ...]]] = {
    "entry": (ReviewIncident, ("motive", "retaliation", "risk_notes")),
    "incident": (Incident, ("circumstance", "group_involved", "conflict", "groups")),
    "summary": (ReviewSummary, ("hottest_conflicts", "enforcement_priorities")),
}


def answer_repr(obj, name: str) -> str:
    """A field's value as the hidden ``was`` input carries it (to detect a clash on that field only)."""
    if name == "groups":
        return ",".join(str(pk) for pk in sorted(g.pk for g in obj.groups.all()))
    value = getattr(obj, obj._meta.get_field(name).attname)
    return "" if value is None else str(value)


@transaction.atomic
def review_answer_save(
    *, review: Meeting, user: User, obj, name: str, value, was: str, expected_version: int
):
    """Save one answer of the live review.

    Two facilitators may answer different questions of the same shooting at once: a stale
    version is accepted when *this* field still holds the value the form was loaded with;
    otherwise the save is refused ("changed by X at HH:MM — reload") and nothing is written.
    """
    _ensure_open(review)
    model = type(obj)
    current = model.objects.select_for_update().get(pk=obj.pk)
    stored = answer_repr(current, name)
    if current.version != expected_version:
        if stored != was:
            raise ConcurrentEditError(current)
        expected_version = current.version
    wanted = (
        ",".join(str(v) for v in sorted({int(v) for v in value if str(v).isdigit()}))
        if name == "groups"
        else str(value or "")
    )
    if wanted == stored:
        return (
            current  # the same answer again (e.g. the change event after typing): nothing to write
        )
    if name == "groups":
        ids = sorted({int(v) for v in value if str(v).isdigit()})
        groups = list(Group.objects.filter(pk__in=ids))
        if len(groups) != len(ids):
            raise ValidationError({"groups": "One of those groups no longer exists — reload."})
        save_versioned(current, expected_version=expected_version, user=user, fields=[])
        current.groups.set(groups)
    else:
        if name == "conflict":
            value = (
                Conflict.objects.filter(pk=value).first() if str(value or "").isdigit() else None
            )
        setattr(current, name, value)
        current.full_clean()
        save_versioned(current, expected_version=expected_version, user=user, fields=[name])
    _mark_in_progress(review)
    audit_record(
        actor=user, action=Action.CHANGE, obj=current, detail={"field": name, "review": review.pk}
    )
    return current


@transaction.atomic
def risk_decide(
    *, review: Meeting, user: User, incident: Incident, person: Person, decision: str, reason: str
) -> RiskDecision:
    """Confirm or dismiss a suggested person at imminent risk (a later decision replaces the earlier one)."""
    _ensure_open(review)
    if not ReviewIncident.objects.filter(meeting=review, incident=incident).exists():
        raise ValidationError("That shooting is not on this review's agenda.")
    row = (
        RiskDecision.objects.select_for_update()
        .filter(meeting=review, incident=incident, person=person)
        .first()
    )
    row = row or RiskDecision(meeting=review, incident=incident, person=person)
    row.decision = decision
    row.reason = (reason or "").strip()[:500] or "Added by the facilitator"
    row.decided_by = user
    row.decided_at = timezone.now()
    row.full_clean(validate_unique=False)
    row.save()
    _mark_in_progress(review)
    audit_record(
        actor=user,
        action=Action.CHANGE,
        obj=review,
        detail={"risk_decision": decision, "person": person.pk, "incident": incident.pk},
    )
    return row


@transaction.atomic
def review_designate(
    *,
    review: Meeting,
    user: User,
    person: Person,
    level: str,
    basis: str,
    incidents: list[Incident] | None = None,
) -> DesignationDecision:
    _ensure_open(review)
    designation = core_services.designation_create(
        person=person,
        level=level,
        basis=basis,
        user=user,
        basis_incidents=incidents,
        basis_meeting=review,
    )
    return _designation_decided(
        review, user, designation, DesignationDecision.Action.DESIGNATE, basis
    )


@transaction.atomic
def review_designation_renew(
    *, review: Meeting, user: User, designation: RiskDesignation, basis: str
) -> DesignationDecision:
    _ensure_open(review)
    renewed = core_services.designation_renew(
        designation=designation, basis=basis, user=user, basis_meeting=review
    )
    return _designation_decided(review, user, renewed, DesignationDecision.Action.RENEW, basis)


@transaction.atomic
def review_designation_lapse(
    *, review: Meeting, user: User, designation: RiskDesignation, basis: str
) -> DesignationDecision:
    _ensure_open(review)
    if not (basis or "").strip():
        raise ValidationError(
            {"basis": "Say why the designation may lapse (e.g. no new incidents, in custody)."}
        )
    core_services.designation_end(
        designation=designation, user=user, reason=RiskDesignation.EndReason.LAPSED
    )
    return _designation_decided(review, user, designation, DesignationDecision.Action.LAPSE, basis)


def _designation_decided(review, user, designation, action, basis) -> DesignationDecision:
    decision = DesignationDecision(
        meeting=review,
        person=designation.person,
        designation=designation,
        action=action,
        basis=basis.strip(),
        decided_by=user,
    )
    decision.full_clean()
    decision.save()
    _mark_in_progress(review)
    audit_record(
        actor=user,
        action=Action.CHANGE,
        obj=review,
        detail={"designation": action, "person": designation.person_id},
    )
    return decision


@transaction.atomic
def review_task_create(
    *,
    review: Meeting,
    user: User,
    title: str,
    kind: str,
    assigned_organisation: Organisation,
    due_date: dt.date | None,
    subject_person: Person | None = None,
    subject_group: Group | None = None,
    subject_conflict: Conflict | None = None,
    description: str = "",
) -> Task:
    """A new deliverable of the response plan; it carries forward to every next review until done."""
    _ensure_open(review)
    if due_date is not None and due_date < review.date:
        raise ValidationError({"due_date": "The due date is before the meeting."})
    if sum(x is not None for x in (subject_person, subject_group, subject_conflict)) > 1:
        raise ValidationError("Choose one subject at most: a person, a group or a conflict.")
    task = core_services.task_create(
        user=user,
        title=title,
        kind=kind,
        assigned_organisation=assigned_organisation,
        due_date=due_date,
        subject_person=subject_person,
        subject_group=subject_group,
        subject_conflict=subject_conflict,
        source_meeting=review,
        description=description,
    )
    _mark_in_progress(review)
    return task


@transaction.atomic
def review_followup_choose(
    *, review: Meeting, user: User, person: Person, risk_assessment: str, interventions: list[str]
) -> FollowUpChoice:
    """Choose a person for partner follow-up: shared with the coordination meeting when the review closes."""
    _ensure_open(review)
    unknown = set(interventions) - set(Task.Kind.values)
    if unknown:
        raise ValidationError({"recommended_interventions": "Choose interventions from the list."})
    choice = FollowUpChoice.objects.filter(meeting=review, person=person).first() or FollowUpChoice(
        meeting=review, person=person
    )
    choice.risk_assessment = (risk_assessment or "").strip()
    choice.recommended_interventions = list(interventions)
    choice.chosen_by = user
    choice.full_clean(validate_unique=False)
    choice.save()
    _mark_in_progress(review)
    audit_record(actor=user, action=Action.CHANGE, obj=review, detail={"followup": person.pk})
    return choice


@transaction.atomic
def review_followup_remove(*, review: Meeting, user: User, choice: FollowUpChoice) -> None:
    _ensure_open(review)
    audit_record(
        actor=user, action=Action.CHANGE, obj=review, detail={"followup_removed": choice.person_id}
    )
    choice.delete()


@transaction.atomic
def review_close(*, review: Meeting, user: User, expected_version: int) -> Meeting:
    """Freeze the review: snapshot the minutes and share the chosen people with coordination.

    What is shared is the risk assessment and the recommended interventions, never intelligence.
    """
    _ensure_open(review)
    current = Meeting.objects.select_for_update().get(pk=review.pk)
    if current.version != expected_version:
        raise ConcurrentEditError(current)
    tasks = Task.objects.all()
    agenda = selectors.review_agenda(review, tasks=tasks)
    for entry in agenda["entries"]:
        entry.facts_at_close = _facts(entry.incident)
        entry.save(update_fields=["facts_at_close"])
    summary = ReviewSummary.objects.get(meeting=review)
    summary.deliverables_at_close = [
        {
            "title": t.title,
            "owner": str(t.assigned_organisation),
            "due": t.due_date.isoformat() if t.due_date else "",
            "status": t.get_status_display(),
            "from": str(t.source_meeting),
            "last_update": (list(t.updates.all())[-1].note if t.updates.all() else ""),
        }
        for t in agenda["deliverables"]
    ]
    summary.save(update_fields=["deliverables_at_close"])
    for choice in agenda["followups"]:
        core_services.share_create(
            person=choice.person,
            user=user,
            risk_assessment=choice.risk_assessment,
            recommended_interventions=choice.recommended_interventions,
            source_meeting=review,
        )
    return core_services.meeting_close(meeting=review, user=user, expected_version=expected_version)


def _facts(incident: Incident) -> dict:
    victims = [i for i in incident.involvements.all() if i.role == Involvement.Role.VICTIM]
    return {
        "case_number": incident.case_number,
        "occurred_at": timezone.localtime(incident.occurred_at).isoformat(),
        "address": incident.address,
        "area": incident.area,
        "kind": incident.get_kind_display(),
        "weapon": incident.get_weapon_display(),
        "circumstance": incident.get_circumstance_display(),
        "group_involved": incident.get_group_involved_display(),
        "groups": [g.name for g in incident.groups.all()],
        "conflict": str(incident.conflict) if incident.conflict_id else "",
        "victims": [
            {
                "name": str(v.person) if v.person_id else "Unidentified",
                "injury": v.get_injury_display(),
            }
            for v in victims
        ],
        "counting_status": incident.get_counting_status_display(),
    }
