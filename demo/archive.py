"""The old meetings' closes, in bulk: only the last ``SERVICE_CLOSE_DAYS`` close through services.

Replaying ten years of meetings through their close services costs most of a big seed (at
``--scale 10`` about 10 of its 13-20 minutes): each close re-reads the city as it stood that day.
Meetings older than ``SERVICE_CLOSE_DAYS`` before today (and not a performance review with a
stored worksheet) are closed here instead, in a handful of statements, freezing what their pages
show from the frozen copy:

- shooting reviews: each shooting's facts (``facts_at_close``: the dictionary the reviews app's
  ``_facts`` freezes, built here from plain values read in chunks with their victims and groups;
  ``tests/demo`` checks the two agree);
- coordination meetings: the risk picture (the active shares as they stood when the meeting
  closed, in ``shares_on_agenda`` order) and the "frozen" marker;
- every meeting: state closed, closed by the user who closes it in the replay, version bumped.

What an archived close leaves out (documented in the README): the review's list of deliverables
as they stood (``deliverables_at_close`` stays empty, the minutes say none were carried), the
coordination agenda's chronically-high-risk section, and the close's audit event.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone

from ceasefire.core.models import (
    AgendaItem,
    Conflict,
    Incident,
    IncidentKind,
    Involvement,
    Meeting,
    User,
    derive_kind,
)
from coordination import selectors as coordination_selectors
from reviews.models import ReviewIncident

from . import users as users_
from .city import City, bulk
from .loading import rows_update, unsaved

SERVICE_CLOSE_DAYS = 400
FACT_CHUNK = 2000


def archived_meetings(city: City, keep: set[int]) -> set[int]:
    """The past meetings closed in bulk: older than the horizon, none of ``keep``."""
    horizon = city.today - dt.timedelta(days=SERVICE_CLOSE_DAYS)
    return {
        pk
        for meetings in city.meetings.values()
        for day, pk in meetings
        if day < horizon and pk in city.closing and pk not in keep
    }


def closer(city: City, kind: str) -> User:
    if kind == Meeting.Kind.SHOOTING_REVIEW:
        return city.facilitator
    if kind == Meeting.Kind.COORDINATION:
        return city.users[users_.PARTNER_LEAD]
    return city.users[users_.EXECUTIVE]


class Archive:
    """Collects the archived closes during the replay (``add``), writes them at the end."""

    def __init__(self, city: City):
        self.city = city
        self.agenda: list[AgendaItem] = []
        self.meetings: list[Meeting] = []

    @staticmethod
    def reads(meeting: Meeting) -> bool:
        """Whether ``add`` reads the city as it stands (a coordination meeting's risk picture);
        the other archived closes read nothing until ``write``."""
        return meeting.kind == Meeting.Kind.COORDINATION

    def add(self, meeting: Meeting) -> None:
        """Called at the meeting's place in the replay: what it freezes is read now."""
        self.meetings.append(meeting)
        if self.reads(meeting):
            self.agenda += _risk_picture(meeting)

    def write(self) -> None:
        for meeting in self.meetings:
            meeting.state = Meeting.State.CLOSED
            meeting.closed_at = meeting.updated_at = self.city.closing[meeting.pk]
            meeting.closed_by = closer(self.city, meeting.kind)
            meeting.version += 1
        rows_update(
            Meeting, self.meetings, ["state", "closed_at", "closed_by", "version", "updated_at"]
        )
        bulk(AgendaItem, self.agenda)
        reviews = [m.pk for m in self.meetings if m.kind == Meeting.Kind.SHOOTING_REVIEW]
        _facts_freeze(reviews)


def _risk_picture(meeting: Meeting) -> list[AgendaItem]:
    """The risk-picture lines and the frozen marker, as ``coordination_meeting_close`` writes
    them (from the same selector, read as values: no share or person rows to build)."""
    shares = coordination_selectors.shares_on_agenda(meeting).values_list(
        "person_id",
        "person__first_name",
        "person__last_name",
        "risk_assessment",
        "recommended_interventions",
        "is_new",  # ordered by it: in the select list
    )
    items = []
    for order, (person, first, last, risk, interventions, _) in enumerate(shares, start=1):
        recommended = ", ".join(coordination_selectors.intervention_labels(interventions))
        items.append(
            unsaved(
                AgendaItem,
                meeting=meeting,
                section="risk_picture",
                order=order,
                person_id=person,
                title=f"{first} {last}".strip()[:300],  # str(person)
                notes=f"{risk}" + (f" — recommended: {recommended}" if recommended else ""),
                is_risk_alignment=True,
            )
        )
    items.append(
        unsaved(
            AgendaItem,
            meeting=meeting,
            section=coordination_selectors.FROZEN_MARKER,
            order=0,
            title="Agenda frozen when the meeting closed",
        )
    )
    return items


def _facts_freeze(reviews: list[int]) -> None:
    """Every archived review's shootings get their facts frozen, a chunk of entries at a time,
    read as values (three queries a chunk, no model rows): the same dictionary as the reviews
    app's ``_facts`` (``tests/demo`` compares them)."""
    entries = (
        ReviewIncident.objects.filter(meeting_id__in=reviews)
        .order_by("pk")
        .values_list("pk", *(f"incident__{name}" for name in INCIDENT_FACTS))
    )
    conflicts = {
        c.pk: str(c) for c in Conflict.objects.select_related("group_a", "group_b").order_by()
    }
    labels = _labels()
    batch: list = []
    for row in entries.iterator(chunk_size=FACT_CHUNK):
        batch.append(row)
        if len(batch) >= FACT_CHUNK:
            _facts_write(_facts_of(batch, conflicts, labels))
            batch = []
    _facts_write(_facts_of(batch, conflicts, labels))


INCIDENT_FACTS = (
    "id",
    "case_number",
    "occurred_at",
    "address",
    "area",
    "weapon",
    "circumstance",
    "group_involved",
    "conflict_id",
    "counting_status",
)


def _labels() -> dict[str, dict]:
    """Each choice's label, as the ``get_…_display()`` methods give them."""
    labels = {
        name: {value: str(label) for value, label in model._meta.get_field(name).flatchoices}
        for model, names in (
            (Incident, ("weapon", "circumstance", "group_involved", "counting_status")),
            (Involvement, ("injury",)),
        )
        for name in names
    }
    labels["kind"] = {kind.value: str(kind.label) for kind in IncidentKind}
    return labels


def _facts_of(rows: list, conflicts: dict[int, str], labels: dict) -> list[ReviewIncident]:
    """``reviews.services.review._facts`` for a chunk of ``(entry pk, *INCIDENT_FACTS)`` rows."""
    incidents = [row[1] for row in rows]
    victims: dict[int, list] = {pk: [] for pk in incidents}
    for incident, injury, person, first, last in (
        Involvement.objects.filter(incident_id__in=incidents, role=Involvement.Role.VICTIM)
        .order_by("id")
        .values_list(
            "incident_id", "injury", "person_id", "person__first_name", "person__last_name"
        )
    ):
        name = f"{first} {last}".strip() if person else "Unidentified"  # str(person)
        victims[incident].append((injury, name))
    groups: dict[int, list[str]] = {pk: [] for pk in incidents}
    for incident, name in (
        Incident.groups.through.objects.filter(incident_id__in=incidents)
        .order_by("group__name")  # Group's ordering, as ``incident.groups.all()``
        .values_list("incident_id", "group__name")
    ):
        groups[incident].append(name)
    entries = []
    for (
        pk,
        incident,
        case,
        occurred,
        address,
        area,
        weapon,
        circumstance,
        involved,
        conflict,
        status,
    ) in rows:
        seen = victims[incident]
        facts = {
            "case_number": case,
            "occurred_at": timezone.localtime(occurred).isoformat(),
            "address": address,
            "area": area,
            "kind": labels["kind"][derive_kind(weapon, {injury for injury, _ in seen})],
            "weapon": labels["weapon"].get(weapon, weapon),
            "circumstance": labels["circumstance"].get(circumstance, circumstance),
            "group_involved": labels["group_involved"].get(involved, involved),
            "groups": groups[incident],
            "conflict": conflicts[conflict] if conflict else "",
            "victims": [
                {"name": name, "injury": labels["injury"].get(injury, injury)}
                for injury, name in seen
            ],
            "counting_status": labels["counting_status"].get(status, status),
        }
        entries.append(unsaved(ReviewIncident, id=pk, facts_at_close=facts))
    return entries


def _facts_write(entries: list[ReviewIncident]) -> None:
    if not entries:
        return
    if connection.vendor != "postgresql":
        rows_update(ReviewIncident, entries, ["facts_at_close"])
        return
    from psycopg.types.json import Jsonb

    table = ReviewIncident._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS demo_facts (id bigint, facts jsonb) ON COMMIT DROP"
        )
        cursor.execute("TRUNCATE demo_facts")
        with cursor.cursor.copy("COPY demo_facts (id, facts) FROM STDIN") as copy:
            for entry in entries:
                copy.write_row((entry.pk, Jsonb(entry.facts_at_close)))
        cursor.execute(
            f"UPDATE {table} AS r SET facts_at_close = f.facts FROM demo_facts AS f "
            "WHERE r.id = f.id"
        )
