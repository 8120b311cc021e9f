"""Agenda lines of the past meetings (interim: replaced by the meeting apps' own agendas)."""

from __future__ import annotations

from ceasefire.core import selectors
from ceasefire.core.models import AgendaItem, Meeting

from .city import HOMICIDE, NON_INJURY, City, area_label, bulk
from .meetings import incidents_in_window


def agenda_create(city: City) -> None:
    """The closed meetings' agendas, as the seed's agendas order them."""
    rows = []
    for meeting_pk, day, start, end in city.review_windows:
        if day >= city.today:
            continue
        rows.append(
            AgendaItem(
                meeting_id=meeting_pk,
                section="prior_deliverables",
                order=0,
                title="Review prior deliverables",
            )
        )
        order, non_injury = 1, 0
        for occurred_at, incident_pk, kind, area, *_ in incidents_in_window(city, start, end):
            if kind == NON_INJURY:
                non_injury += 1
                continue
            label = "Homicide" if kind == HOMICIDE else "Non-fatal injury shooting"
            when = occurred_at.astimezone(selectors.local_tz())
            title = f"{label}, Area {area_label(area)}, {when:%a %d %b %H:%M}"
            rows.append(
                AgendaItem(
                    meeting_id=meeting_pk,
                    section="shootings",
                    order=order,
                    title=title,
                    incident_id=incident_pk,
                )
            )
            order += 1
        rows.append(
            AgendaItem(
                meeting_id=meeting_pk,
                section="shootings",
                order=order,
                title=f"Non-injury shootings: {non_injury}",
            )
        )
        for pk in city.designated_at.get(meeting_pk, []):
            order += 1
            rows.append(
                AgendaItem(
                    meeting_id=meeting_pk,
                    section="risk_assessment",
                    order=order,
                    title="Risk designation",
                    person_id=pk,
                )
            )
        rows.append(
            AgendaItem(
                meeting_id=meeting_pk,
                section="new_tasks",
                order=order + 1,
                title="Assign new deliverables",
            )
        )
    risk_alignment = dict(
        Meeting.objects.filter(kind=Meeting.Kind.COORDINATION).values_list("pk", "risk_alignment")
    )
    for _day, meeting_pk in city.meetings.get(Meeting.Kind.COORDINATION, []):
        rows.append(
            AgendaItem(
                meeting_id=meeting_pk,
                section="risk",
                order=0,
                title="Review shootings and the assessment of risk",
                is_risk_alignment=risk_alignment[meeting_pk],
            )
        )
        for order, pk in enumerate(city.shared_at_meeting.get(meeting_pk, []), start=1):
            rows.append(
                AgendaItem(
                    meeting_id=meeting_pk,
                    section="risk",
                    order=order,
                    title="Shared for coordination",
                    person_id=pk,
                )
            )
        rows.append(
            AgendaItem(
                meeting_id=meeting_pk,
                section="strategy",
                order=100,
                title="Refine near-term strategy",
            )
        )
        rows.append(
            AgendaItem(
                meeting_id=meeting_pk,
                section="chronic_risk",
                order=101,
                title="Chronically high-risk individuals",
            )
        )
        rows.append(
            AgendaItem(
                meeting_id=meeting_pk,
                section="partnership_health",
                order=102,
                title="Partnership health",
            )
        )
    for _, meeting_pk in city.meetings.get(Meeting.Kind.PERFORMANCE_REVIEW, []):
        for order, (section, title) in enumerate(
            [
                ("outcomes", "Outcome indicators"),
                ("activities", "Activity indicators"),
                ("next_steps", "Running conversation and next steps"),
            ]
        ):
            rows.append(
                AgendaItem(meeting_id=meeting_pk, section=section, order=order, title=title)
            )
    bulk(AgendaItem, rows)
