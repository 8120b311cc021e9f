"""Notice and the right to ask in the demo city: notices given, and a request the police lead
must answer (one already overdue, one answered with part withheld)."""

from __future__ import annotations

import datetime as dt

from ceasefire.core.models import REQUEST_RESPONSE_DAYS, Notice, RightsRequest

from .city import City, bulk


def rights_create(city: City) -> None:
    """For the longest-designated people still designated: a letter of notice at designation,
    and requests from two of them."""
    people = sorted({pk for pk, _, first, last in city.chains if last >= city.today})[:3]
    if not people:
        return
    bulk(
        Notice,
        [
            Notice(
                person_id=pk,
                given_on=city.today - dt.timedelta(days=60),
                channel=Notice.Channel.LETTER,
                given_by=city.facilitator,
            )
            for pk in people
        ],
    )
    overdue_on = city.today - dt.timedelta(days=REQUEST_RESPONSE_DAYS + 5)
    answered_on = city.today - dt.timedelta(days=50)
    rows = [
        RightsRequest(
            person_id=people[0],
            kind=RightsRequest.Kind.REMOVAL,
            requested_by="His attorney, on his behalf",
            received_on=overdue_on,
            due_on=overdue_on + dt.timedelta(days=REQUEST_RESPONSE_DAYS),
            recorded_by=city.facilitator,
        )
    ]
    if len(people) > 1:
        rows.append(
            RightsRequest(
                person_id=people[1],
                kind=RightsRequest.Kind.INFORMATION,
                requested_by="The person, by letter",
                received_on=answered_on,
                due_on=answered_on + dt.timedelta(days=REQUEST_RESPONSE_DAYS),
                responded_on=answered_on + dt.timedelta(days=21),
                outcome=RightsRequest.Outcome.PARTLY_WITHHELD,
                response="You are on the list since the review of last spring; the criteria "
                "were explained by letter.",
                withheld_reason="An open investigation would name a witness.",
                recorded_by=city.facilitator,
                responded_by=city.facilitator,
            )
        )
    bulk(RightsRequest, rows)
