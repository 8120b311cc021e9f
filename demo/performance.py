"""The performance reviews: their minutes and, for the last few periods, the worksheet versions
(snapshot and PDF) made through the performance app's own services, with trend notes.

The replay (``demo.closing``) makes each worksheet just before its review closes, so closing the
review (``performance.services.review_close``) freezes it, as it would in the partnership.
"""

from __future__ import annotations

from collections import Counter

from django.utils.formats import date_format

from ceasefire.core.models import Indicator, Meeting, Task, Worksheet
from performance import services as performance_services
from performance.indicators import Period

from . import users as users_
from .city import City
from .loading import rows_update

WORKSHEET_PERIODS = 3  # the last periods reviewed get a stored worksheet (the executive's page)
TREND_NOTES = {
    Indicator.HOMICIDES: "Discussed against last year and the three-year average; most of the "
    "period's homicides were linked to the live conflicts.",
    Indicator.NONFATAL_INJURY_SHOOTINGS: "Summer pattern as in earlier years; the hospital "
    "response team reached most victims within a day.",
    Indicator.COMMUNICATION: "Custom notifications on track; call-in attendance depends on "
    "invitations through life coaches and probation.",
    Indicator.CASE_MANAGEMENT: "Life-coach caseload near capacity; the referral backlog is one of "
    "the commitments.",
    Indicator.ENFORCEMENT: "Reviewed the share of actions on VHR subjects unit by unit; CRT "
    "vacancies and plans out of date discussed.",
    Indicator.PARTNERSHIP: "Both leads at nearly every coordination meeting; keep risk alignment "
    "on every agenda.",
}


def worksheet_reviews(city: City) -> list[int]:
    """The past performance reviews whose period gets a stored worksheet."""
    return [pk for _, pk in city.meetings.get(Meeting.Kind.PERFORMANCE_REVIEW, [])][
        -WORKSHEET_PERIODS:
    ]


def worksheet_make(city: City, meeting: Meeting) -> Worksheet | None:
    """Request a new version of the review's worksheet, write its trend notes, build it
    in-process (snapshot + PDF through the storage)."""
    period = Period.from_dates(meeting.period_start, meeting.period_end)
    executive = city.users[users_.EXECUTIVE]
    worksheet = performance_services.worksheet_request(period=period, user=executive)
    for indicator, text in TREND_NOTES.items():
        performance_services.worksheet_note_set(
            worksheet=worksheet, indicator=indicator, text=text, user=executive
        )
    return performance_services.worksheet_build(worksheet_id=worksheet.pk)


def performance_prepare(city: City, tasks: list[Task]) -> None:
    """Minutes of the past performance reviews, naming their commitments."""
    past = {pk for _, pk in city.meetings.get(Meeting.Kind.PERFORMANCE_REVIEW, [])}
    commitments = Counter(t.source_meeting_id for t in tasks if t.source_meeting_id in past)
    rows = list(Meeting.objects.filter(pk__in=past))
    for meeting in rows:
        period = (
            f"{date_format(meeting.period_start, 'F')}–{date_format(meeting.period_end, 'F Y')}"
        )
        meeting.minutes = (
            f"Reviewed the {period} worksheet: outcome and activity indicators against the "
            f"benchmarks and last year. Agreed {commitments[meeting.pk]} commitments for the "
            "next period."
        )
    rows_update(Meeting, rows, ["minutes"])
