"""The old meetings' closes, in bulk: only the last ``SERVICE_CLOSE_DAYS`` close through services.

Replaying ten years of meetings through their close services costs most of a big seed (at
``--scale 10`` about 10 of its 13-20 minutes): each close re-reads the city as it stood that day.
Meetings older than ``SERVICE_CLOSE_DAYS`` before today (and not a performance review with a
stored worksheet) are closed here instead, in a handful of statements, freezing what their pages
show from the frozen copy:

- shooting reviews: each shooting's facts (``facts_at_close``, computed by the reviews app's own
  ``_facts``, read in chunks with their victims and groups);
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
from django.db.models import Prefetch

from ceasefire.core.models import AgendaItem, Involvement, Meeting, User
from coordination import selectors as coordination_selectors
from reviews.models import ReviewIncident
from reviews.services.review import _facts

from . import users as users_
from .city import City, bulk

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

    def add(self, meeting: Meeting) -> None:
        """Called at the meeting's place in the replay: what it freezes is read now."""
        self.meetings.append(meeting)
        if meeting.kind == Meeting.Kind.COORDINATION:
            self.agenda += _risk_picture(meeting)

    def write(self) -> None:
        for meeting in self.meetings:
            meeting.state = Meeting.State.CLOSED
            meeting.closed_at = meeting.updated_at = self.city.closing[meeting.pk]
            meeting.closed_by = closer(self.city, meeting.kind)
            meeting.version += 1
        Meeting.objects.bulk_update(
            self.meetings,
            ["state", "closed_at", "closed_by", "version", "updated_at"],
            batch_size=500,
        )
        bulk(AgendaItem, self.agenda)
        reviews = [m.pk for m in self.meetings if m.kind == Meeting.Kind.SHOOTING_REVIEW]
        _facts_freeze(reviews)


def _risk_picture(meeting: Meeting) -> list[AgendaItem]:
    """The risk-picture lines and the frozen marker, as ``coordination_meeting_close`` writes
    them."""
    items = []
    for order, share in enumerate(coordination_selectors.shares_on_agenda(meeting), start=1):
        labels = coordination_selectors.intervention_labels(share.recommended_interventions)
        recommended = ", ".join(labels)
        items.append(
            AgendaItem(
                meeting=meeting,
                section="risk_picture",
                order=order,
                person=share.person,
                title=str(share.person)[:300],
                notes=f"{share.risk_assessment}"
                + (f" — recommended: {recommended}" if recommended else ""),
                is_risk_alignment=True,
            )
        )
    items.append(
        AgendaItem(
            meeting=meeting,
            section=coordination_selectors.FROZEN_MARKER,
            order=0,
            title="Agenda frozen when the meeting closed",
        )
    )
    return items


def _facts_freeze(reviews: list[int]) -> None:
    """Every archived review's shootings get their facts frozen, a chunk of entries at a time."""
    entries = (
        ReviewIncident.objects.filter(meeting_id__in=reviews)
        .select_related("incident__conflict__group_a", "incident__conflict__group_b")
        .prefetch_related(
            Prefetch(
                "incident__involvements",
                queryset=Involvement.objects.select_related("person").order_by("id"),
            ),
            "incident__groups",
        )
        .order_by("pk")
    )
    batch: list[ReviewIncident] = []
    for entry in entries.iterator(chunk_size=FACT_CHUNK):
        entry.facts_at_close = _facts(entry.incident)
        batch.append(entry)
        if len(batch) >= FACT_CHUNK:
            _facts_write(batch)
            batch = []
    _facts_write(batch)


def _facts_write(entries: list[ReviewIncident]) -> None:
    if not entries:
        return
    if connection.vendor != "postgresql":
        ReviewIncident.objects.bulk_update(entries, ["facts_at_close"], batch_size=500)
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
