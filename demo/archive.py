"""The old meetings' closes, in bulk: only the last ``SERVICE_CLOSE_DAYS`` close through services.

Replaying ten years of meetings through their close services costs most of a big seed (at
``--scale 10`` about 10 of its 13-20 minutes): each close re-reads the city as it stood that day.
Meetings older than ``SERVICE_CLOSE_DAYS`` before today (and not a performance review with a
stored worksheet) are closed here instead, freezing what their pages show from the frozen copy,
without reading back what the generators wrote:

- shooting reviews: each shooting's facts (``facts_at_close``: the dictionary the reviews app's
  ``_facts`` freezes, built by ``Facts`` from the generator's own record of the shooting, ``Shot``,
  when the review's entries are first written; ``tests/demo`` checks the two agree);
- coordination meetings: the risk picture (the shares active when the meeting closed, as the
  replay's timeline holds them, in ``shares_on_agenda`` order) and the "frozen" marker;
- every meeting: state closed, closed by the user who closes it in the replay, version bumped.

What an archived close leaves out (documented in the README): the review's list of deliverables
as they stood (``deliverables_at_close`` stays empty, the minutes say none were carried), the
coordination agenda's chronically-high-risk section, and the close's audit event.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from ceasefire.core.models import (
    AgendaItem,
    Conflict,
    Group,
    Incident,
    IncidentKind,
    Involvement,
    Meeting,
    PartnershipShare,
    Person,
    User,
    derive_kind,
)
from coordination import selectors as coordination_selectors

from . import users as users_
from .city import City, Shot, bulk
from .loading import rows_update, unsaved

SERVICE_CLOSE_DAYS = 400


def archived_meetings(city: City, keep: set[int]) -> set[int]:
    """The past meetings closed in bulk: older than the horizon, none of ``keep``."""
    horizon = city.today - dt.timedelta(days=SERVICE_CLOSE_DAYS)
    return {
        pk
        for meetings in city.meetings.values()
        for day, pk in meetings
        if day < horizon and pk in city.closing and pk not in keep
    }


def archived_reviews(city: City) -> set[int]:
    """The shooting reviews closed in bulk (``keep`` only ever holds performance reviews)."""
    reviews = {pk for _, pk in city.meetings.get(Meeting.Kind.SHOOTING_REVIEW, [])}
    return archived_meetings(city, keep=set()) & reviews


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
        self.meetings: list[Meeting] = []
        # coordination meetings: (meeting, the reviews feeding it, the shares active then)
        self.pictures: list[tuple[Meeting, set[int], list[PartnershipShare]]] = []

    def add(self, meeting: Meeting, active: list[PartnershipShare]) -> None:
        """Called at the meeting's place in the replay with the shares active at its close
        (the timeline's, not yet written): a coordination meeting's risk picture is theirs."""
        self.meetings.append(meeting)
        if meeting.kind == Meeting.Kind.COORDINATION:
            feeding = {m.pk for m in coordination_selectors.reviews_feeding(meeting)}
            self.pictures.append((meeting, feeding, active))

    def write(self) -> None:
        """After the replay (every share written, with its key). The reviews' facts were
        written with their entries (``Facts``)."""
        for meeting in self.meetings:
            meeting.state = Meeting.State.CLOSED
            meeting.closed_at = meeting.updated_at = self.city.closing[meeting.pk]
            meeting.closed_by = closer(self.city, meeting.kind)
            meeting.version += 1
        rows_update(
            Meeting, self.meetings, ["state", "closed_at", "closed_by", "version", "updated_at"]
        )
        bulk(AgendaItem, self._risk_pictures())

    def _risk_pictures(self) -> list[AgendaItem]:
        """The risk-picture lines and the frozen marker, as ``coordination_meeting_close``
        writes them: the active shares in ``shares_on_agenda`` order (newest reviews' first,
        then by the person's last and first name in the database's collation, then key)."""
        people = {share.person_id for _, _, active in self.pictures for share in active}
        rank = _name_ranks(people)
        lines: dict[int, tuple[str, str]] = {}  # share pk: its line, on many meetings' agendas
        items = []
        for meeting, feeding, active in self.pictures:
            shares = sorted(
                active,
                key=lambda s: (s.source_meeting_id not in feeding, rank[s.person_id], s.pk),
            )
            for order, share in enumerate(shares, start=1):
                title, notes = lines.get(share.pk) or lines.setdefault(share.pk, self._line(share))
                items.append(
                    unsaved(
                        AgendaItem,
                        meeting=meeting,
                        section="risk_picture",
                        order=order,
                        person_id=share.person_id,
                        title=title,
                        notes=notes,
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

    def _line(self, share: PartnershipShare) -> tuple[str, str]:
        """A share's title and notes on the risk picture."""
        labels = coordination_selectors.intervention_labels(share.recommended_interventions)
        recommended = ", ".join(labels)
        notes = f"{share.risk_assessment}"
        if recommended:
            notes += f" — recommended: {recommended}"
        return self.city.person_names[share.person_id][:300], notes  # str(person)


def _name_ranks(people: set[int]) -> dict[int, int]:
    """Each person's place in ``order_by("last_name", "first_name")`` (equal names, equal
    places), read from the database so that its collation decides, as the selector's does."""
    rank, previous, place = {}, None, -1
    rows = (
        Person.objects.filter(pk__in=people)
        .order_by("last_name", "first_name")
        .values_list("pk", "last_name", "first_name")
    )
    for pk, *name in rows.iterator(chunk_size=5000):
        if name != previous:
            previous, place = name, place + 1
        rank[pk] = place
    return rank


class Facts:
    """``reviews.services.review._facts`` of a shooting, from the generator's ``Shot`` (nothing
    about an incident that the facts show changes after the incidents are written)."""

    def __init__(self, city: City):
        self.names = city.person_names
        groups = Group.objects.order_by("name").values_list("pk", "name")  # Group's ordering
        self.groups = {pk: (place, name) for place, (pk, name) in enumerate(groups)}
        self.conflicts = {
            c.pk: str(c) for c in Conflict.objects.select_related("group_a", "group_b").order_by()
        }
        self.labels = _labels()

    def of(self, shot: Shot) -> dict:
        labels = self.labels
        injuries = labels["injury"]
        return {
            "case_number": shot.case_number,
            # through UTC, as the database holds it: a local time in the spring-forward gap
            # (the generator's 2:30 am) reads back an hour later
            "occurred_at": timezone.localtime(shot.occurred_at.astimezone(dt.UTC)).isoformat(),
            "address": shot.address,
            "area": shot.area,
            "kind": labels["kind"][derive_kind(shot.weapon, {i for _, i in shot.victims})],
            "weapon": labels["weapon"].get(shot.weapon, shot.weapon),
            "circumstance": labels["circumstance"].get(shot.circumstance, shot.circumstance),
            "group_involved": labels["group_involved"].get(
                shot.group_involved, shot.group_involved
            ),
            "groups": [name for _, name in sorted(self.groups[g] for g in shot.groups)],
            "conflict": self.conflicts[shot.conflict] if shot.conflict else "",
            "victims": [
                {
                    "name": self.names[person] if person else "Unidentified",  # str(person)
                    "injury": injuries.get(injury, injury),
                }
                for person, injury in shot.victims
            ],
            "counting_status": labels["counting_status"].get(
                shot.counting_status, shot.counting_status
            ),
        }


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
