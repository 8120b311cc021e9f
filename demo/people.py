"""People: made as incidents need them; the known ones turn up again in later incidents."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from ceasefire.core.models import GroupAffiliation, Person

from .city import AREAS, City, bulk, local_dt
from .loading import unsaved
from .names import FIRST_NAMES_F, FIRST_NAMES_M, LAST_NAMES, NICKNAMES

# A group's active members are the few the police saw most recently (in an incident), within the
# last year; the others stay on record as former members.
ACTIVE_DAYS = 365
ACTIVE_MEMBERS = 5
AFFILIATED_SHARE = 0.85  # new people in a group-involved incident whose group police know

AFFILIATION_BASES = [
    "Self-admitted membership during a field interview on {day}.",
    "Named as a member by two independent sources at the shooting review of {day}.",
    "Social media: repeated photos with members and the group's hand signs; corroborated by a "
    "field contact on {day}.",
    "Arrested with known members on {day}; tattoo of the group's name.",
    "Identified by the area CRT as a regular at the group's block since {day}.",
]


class PeopleMaker:
    """Creates Person rows (unsaved) and remembers who may turn up again in a later incident."""

    def __init__(self, city: City, rng: random.Random):
        self.city, self.rng = city, rng
        self.pool: dict[int, list[Person]] = defaultdict(list)  # area → people known to police
        self.pending: list[Person] = []
        self.groups: dict[int, list[int]] = {}  # id(person) → group pks (until saved)
        self.affiliations: list[GroupAffiliation] = []
        self.saved_affiliations: list[GroupAffiliation] = []

    def new(self, area: int, day: dt.date, role: str, *, risky: bool) -> Person:
        rng = self.rng
        female = rng.random() < (0.12 if role in ("victim", "suspect") else 0.35)
        age = int(rng.triangular(14, 62, 22)) if role != "witness" else rng.randint(18, 70)
        dob = None
        if rng.random() < 0.9:
            dob = day - dt.timedelta(days=age * 365 + rng.randrange(365))
        person = unsaved(
            Person,
            first_name=rng.choice(FIRST_NAMES_F if female else FIRST_NAMES_M),
            last_name=rng.choice(LAST_NAMES),
            gender=Person.Gender.FEMALE if female else Person.Gender.MALE,
            date_of_birth=dob,
            age_estimate=None if dob else min(age + (self.city.today - day).days // 365, 110),
            neighbourhood=rng.choice(AREAS[area]["hoods"]),
            created_at=local_dt(day, 12),
        )
        person._last_seen = day
        if risky:
            self._police_facts(person)
            self.pool[area].append(person)
        self.pending.append(person)
        return person

    def _police_facts(self, person: Person) -> None:
        rng = self.rng
        if rng.random() < 0.3:
            person.aliases = f'"{rng.choice(NICKNAMES)}"'
        if rng.random() < 0.15:
            person.on_supervision = True
            person.supervising_organisation = self.city.orgs["probation"]
        if rng.random() < 0.05:
            person.in_custody = True

    def pick(
        self, area: int, day: dt.date, role: str, groups: list[int], *, reuse: float
    ) -> Person:
        """Someone already known in the area (victims become suspects and vice versa), or
        someone new."""
        pool = self.pool[area]
        if pool and self.rng.random() < reuse:
            person = pool[self.rng.randrange(len(pool))]
            if not person.deceased:
                person._last_seen = max(person._last_seen, day)
                return person
        person = self.new(area, day, role, risky=bool(groups) or role == "suspect")
        if groups and self.rng.random() < AFFILIATED_SHARE:
            self.affiliate(person, self.rng.choice(groups), day)
        return person

    def affiliate(self, person: Person, group: int, day: dt.date) -> None:
        since = day - dt.timedelta(days=self.rng.randint(0, 700))
        self.affiliations.append(
            unsaved(
                GroupAffiliation,
                person=person,
                group_id=group,
                basis=self.rng.choice(AFFILIATION_BASES).format(day=since.isoformat()),
                since=since,
                recorded_by=self.city.facilitator,
            )
        )
        self.groups[id(person)] = [group]

    def flush(self) -> None:
        """Save the new people and their affiliations; record pks for later generators."""
        bulk(Person, self.pending)
        for person in self.pending:
            self.city.person_groups[person.pk] = self.groups.pop(id(person), [])
            self.city.person_names[person.pk] = str(person)
        bulk(GroupAffiliation, self.affiliations)
        self.saved_affiliations += self.affiliations
        self.pending, self.affiliations = [], []

    def activity_record(self) -> None:
        """Each group's five members seen most recently (within a year, alive) stay active; the
        others become former members."""
        city = self.city
        since = city.today - dt.timedelta(days=ACTIVE_DAYS)
        seen = defaultdict(list)
        for affiliation in self.saved_affiliations:
            person = affiliation.person
            city.group_members.setdefault(affiliation.group_id, []).append(
                (affiliation.since, person.pk)
            )
            if not person.deceased and person._last_seen >= since:
                seen[affiliation.group_id].append((person._last_seen, person.pk, affiliation.pk))
        active = {
            affiliation_pk
            for members in seen.values()
            for *_, affiliation_pk in sorted(members, reverse=True)[:ACTIVE_MEMBERS]
        }
        stale = [a.pk for a in self.saved_affiliations if a.pk not in active]
        for chunk in range(0, len(stale), 500):
            GroupAffiliation.objects.filter(pk__in=stale[chunk : chunk + 500]).update(active=False)
