"""Writes of the shooting log: incidents, the people involved, and people created on the way."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from ceasefire.core.audit import Action, audit_record
from ceasefire.core.concurrency import save_versioned
from ceasefire.core.models import Group, Incident, Involvement, Person, User

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


def weapon_victim_problem(weapon: str, injury: str) -> str | None:
    """Which victims an incident's weapon allows (the log holds shootings and homicides).

    A fatal victim is valid with any weapon: every homicide counts. A wounded or unhurt
    victim needs a firearm: with weapon "other" it is neither a shooting nor a homicide.
    """
    if weapon == Incident.Weapon.FIREARM or injury == Involvement.Injury.FATAL:
        return None
    if injury == Involvement.Injury.NONFATAL:
        return (
            'A non-fatal injury with weapon "other" is not a shooting, so it does not belong in '
            "the shooting log. Change the weapon to firearm if a gun was used; if the victim died, "
            "record the injury as fatal (homicides count with any weapon)."
        )
    return (
        'An unhurt victim with weapon "other" is not a shooting. Change the weapon to firearm '
        "if shots were fired; otherwise leave this incident out of the log."
    )


def check_weapon_against_victims(incident: Incident) -> None:
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
                "weapon": "This incident has wounded or unhurt victims, which only a firearm "
                'explains: with weapon "other" it would silently leave the shooting counts. '
                "Change those victims first, or keep the weapon as firearm."
            }
        )


def reconcile_unidentified(incident: Incident, injury: str, wanted: int) -> int:
    """Make the victims of ``injury`` number ``wanted`` by adding or removing unidentified ones.

    Returns the change.
    """
    victims = incident.involvements.filter(role=Involvement.Role.VICTIM, injury=injury)
    identified = victims.filter(person__isnull=False).count()
    unidentified = list(
        victims.filter(person__isnull=True).order_by("-id").values_list("pk", flat=True)
    )
    if identified > wanted:
        raise ValidationError(
            f"{identified} {injury} victims are already identified on {incident}; "
            "the count cannot go below that."
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
    reconcile_unidentified(incident, Involvement.Injury.FATAL, fatal_victims)
    reconcile_unidentified(incident, Involvement.Injury.NONFATAL, nonfatal_victims)
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
    check_weapon_against_victims(incident)
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
                "first_name": f"{twin} born {date_format(date_of_birth, 'j M Y')} is already "
                "recorded — pick them from the search."
            }
        )
    person.save()
    audit_record(actor=user, action=Action.CREATE, obj=person)
    return person


def _checked_injury(incident: Incident, role: str, injury: str) -> str:
    """A victim's injury, which the incident's weapon must allow; nobody else has one."""
    if role != Involvement.Role.VICTIM:
        return ""
    if injury not in Involvement.Injury.values:
        raise ValidationError(
            {"injury": "Say whether the victim was killed, wounded or not injured."}
        )
    if problem := weapon_victim_problem(incident.weapon, injury):
        raise ValidationError({"injury": problem})
    return injury


def _check_person_involved(incident: Incident, person: Person, role: str) -> None:
    """Born before the incident, and not yet recorded in the same role."""
    born = person.date_of_birth
    if born and born > timezone.localtime(incident.occurred_at).date():
        raise ValidationError(
            {
                "person": f"{person}'s date of birth ({date_format(born, 'j M Y')}) is after the "
                "incident — check it."
            }
        )
    if incident.involvements.filter(person=person, role=role).exists():
        label = Involvement.Role(role).label.lower()
        raise ValidationError({"person": f"{person} is already recorded as {label} here."})


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
    injury = _checked_injury(incident, role, injury)
    if person is None and new_person:
        person = person_create(user=user, **new_person)
    if person is None and role != Involvement.Role.VICTIM:
        raise ValidationError(
            {
                "person": "A suspect, associate or witness must be a known person: "
                "search or create one."
            }
        )
    if person is not None:
        _check_person_involved(incident, person, role)
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
@transaction.atomic
def involvement_identify(
    *,
    involvement: Involvement,
    user: User,
    person: Person | None = None,
    new_person: dict | None = None,
) -> Involvement:
    """Name an unidentified victim (the counts do not change): ``person``, known, or a new one
    made from ``new_person`` (``first_name``, ``last_name``, ``date_of_birth``) — both, or
    neither."""
    if involvement.person_id is not None:
        raise ValidationError("This victim is already identified.")
    if person is None:
        new_person = new_person or {}
        if not (new_person.get("first_name") and new_person.get("last_name")):
            raise ValidationError("Pick a person from the search or type a first and last name.")
        person = person_create(
            user=user,
            first_name=new_person["first_name"],
            last_name=new_person["last_name"],
            date_of_birth=new_person.get("date_of_birth"),
        )
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
