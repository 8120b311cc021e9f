"""The meeting calendar: weekly shooting reviews, bi-weekly coordination, bi-monthly performance.

Past meetings are written in progress, with their attendance, and closed later through their
app's own close service (``demo.closing``); the next meeting of each kind is a draft.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random

from ceasefire.core import selectors
from ceasefire.core.models import Meeting, Organisation, User

from . import users as users_
from .accounts import CBO_KEYS
from .city import City, Shot, bulk, local_dt, rng_for

REVIEW_MINUTES = (
    "Reviewed prior deliverables and every shooting in the window; assigned new deliverables."
)
COORDINATION_MINUTES = (
    "Reviewed the shooting review's risk assessment; agreed follow-ups; partnership health."
)
PERFORMANCE_MINUTES = (
    "Reviewed outcome and activity indicators against benchmarks; agreed next steps."
)
ATTENDING_SOMETIMES = ("probation", *CBO_KEYS, "faith", "congregations", "mayor")


class Calendar:
    """Collects the meetings with their attendance before they are written in one go."""

    def __init__(self, city: City, rng: random.Random):
        self.city, self.rng = city, rng
        self.rows: list[Meeting] = []
        self.attendees: list[list[User]] = []
        self.organisations: list[list[Organisation]] = []
        self.closing: list[dt.datetime | None] = []

    def add(self, meeting: Meeting, people: list[User], attending: list[Organisation]) -> None:
        past = meeting.date < self.city.today
        meeting.state = Meeting.State.IN_PROGRESS if past else Meeting.State.DRAFT
        meeting.updated_by = meeting.facilitator
        self.rows.append(meeting)
        self.closing.append(local_dt(meeting.date, 15, self.rng.randrange(60)) if past else None)
        self.attendees.append(people if past else [])
        self.organisations.append(attending if past else [])

    def save(self) -> None:
        bulk(Meeting, self.rows)
        user_links, org_links = [], []
        for meeting, people, attending, closing in zip(
            self.rows, self.attendees, self.organisations, self.closing, strict=True
        ):
            user_links += [
                Meeting.attendees.through(meeting_id=meeting.pk, user_id=u.pk) for u in people
            ]
            org_links += [
                Meeting.attending_organisations.through(meeting_id=meeting.pk, organisation_id=o.pk)
                for o in attending
            ]
            if closing is not None:
                self.city.meetings.setdefault(meeting.kind, []).append((meeting.date, meeting.pk))
                self.city.closing[meeting.pk] = closing
            elif meeting.kind == Meeting.Kind.SHOOTING_REVIEW:
                self.city.open_review = meeting.pk
        bulk(Meeting.attendees.through, user_links)
        bulk(Meeting.attending_organisations.through, org_links)


def weekly(first: dt.date, weekday: int, step_days: int, until: dt.date) -> list[dt.date]:
    """Every ``step_days`` from the first ``weekday`` on or after ``first``, to one ≥ ``until``."""
    day = first + dt.timedelta(days=(weekday - first.weekday()) % 7)
    dates = [day]
    while dates[-1] < until:
        dates.append(dates[-1] + dt.timedelta(days=step_days))
    return dates


def second_wednesday(year: int, month: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(2 - first.weekday()) % 7 + 7)


def meetings_create(city: City) -> None:
    """The whole calendar; the next meeting of each kind is a draft."""
    calendar = Calendar(city, rng_for(city.options, "meetings"))
    _reviews_add(city, calendar)
    _coordination_add(city, calendar)
    _performance_add(city, calendar)
    calendar.save()
    city.review_windows = [
        (m.pk, m.date, m.window_start, m.window_end)
        for m in calendar.rows
        if m.kind == Meeting.Kind.SHOOTING_REVIEW
    ]


def review_weekday(today: dt.date) -> int:
    """Reviews fall on today's weekday (Monday at weekends): the review a user opens first is
    today's, with the week's shootings on its agenda."""
    return today.weekday() if today.weekday() < 5 else 0


def _reviews_add(city: City, calendar: Calendar) -> None:
    """Weekly; each window runs from the end of the previous one to the meeting day."""
    users, orgs = city.users, city.orgs
    reviews = weekly(city.start, review_weekday(city.today), 7, city.today)
    window_start = selectors.local_midnight(reviews[0] - dt.timedelta(days=7))
    for day in reviews:
        window_end = selectors.local_midnight(day)
        meeting = Meeting(
            kind=Meeting.Kind.SHOOTING_REVIEW,
            date=day,
            window_start=window_start,
            window_end=window_end,
            facilitator=users[users_.FACILITATOR],
            minutes=REVIEW_MINUTES,
        )
        probation = [orgs["probation"]] if calendar.rng.random() < 0.5 else []
        calendar.add(
            meeting,
            [users[users_.FACILITATOR], users[users_.POLICE_VIEWER]],
            [orgs["police"], *probation],
        )
        window_start = window_end


def _coordination_add(city: City, calendar: Calendar) -> None:
    """Every other Thursday; a few past ones were cancelled (e.g. for a national workshop)."""
    users, orgs, rng = city.users, city.orgs, calendar.rng
    people = [
        users[u]
        for u in (
            users_.FACILITATOR,
            users_.PARTNER_LEAD,
            users_.CASE_MANAGER,
            users_.COMMUNITY_PARTNER,
        )
    ]
    for day in weekly(city.start, 3, 14, city.today):
        if day < city.today and rng.random() < 0.04:
            continue
        attending = [orgs[k] for k in ("police", "hsd") if rng.random() < 0.95]
        attending += [orgs[k] for k in ATTENDING_SOMETIMES if rng.random() < 0.55]
        meeting = Meeting(
            kind=Meeting.Kind.COORDINATION,
            date=day,
            facilitator=users[users_.PARTNER_LEAD],
            risk_alignment=rng.random() < 0.9,
            minutes=COORDINATION_MINUTES,
        )
        calendar.add(meeting, people, attending)


def _performance_add(city: City, calendar: Calendar) -> None:
    """Two-month periods, each reviewed on the second Wednesday of the month after it ends."""
    users, orgs = city.users, city.orgs
    people = [users[users_.EXECUTIVE], users[users_.PARTNER_LEAD], users[users_.FACILITATOR]]
    attending = [orgs[k] for k in ("mayor", "police", "hsd", "probation", "faith")]
    year, month = city.options.since, 1
    while True:
        meeting_day = second_wednesday(year + (month == 11), 1 if month == 11 else month + 2)
        meeting = Meeting(
            kind=Meeting.Kind.PERFORMANCE_REVIEW,
            date=meeting_day,
            period_start=dt.date(year, month, 1),
            period_end=selectors.month_end(year, month + 1),
            facilitator=users[users_.EXECUTIVE],
            minutes=PERFORMANCE_MINUTES,
        )
        calendar.add(meeting, people, attending)
        if meeting_day >= city.today:
            break
        year, month = (year + 1, 1) if month == 11 else (year, month + 2)


def meeting_on_or_before(city: City, kind: str, day: dt.date) -> tuple[dt.date, int] | None:
    """The latest past meeting of ``kind`` on or before ``day``: (date, pk)."""
    dates = city.meetings.get(kind, [])
    i = bisect.bisect_right(dates, (day, float("inf"))) - 1
    return dates[i] if i >= 0 else None


def meeting_on_or_after(city: City, kind: str, day: dt.date) -> tuple[dt.date, int] | None:
    """The first past meeting of ``kind`` on or after ``day``: (date, pk)."""
    dates = city.meetings.get(kind, [])
    i = bisect.bisect_left(dates, (day, -1))
    return dates[i] if i < len(dates) else None


def meeting_closing_after(
    city: City, kind: str, day: dt.date, moment: dt.datetime
) -> tuple[dt.date, int] | None:
    """The first meeting of ``kind`` on or after ``day`` that closes after ``moment``: what a review
    shares reaches the coordination meeting that closes after it (when both fall on one day, the
    coordination meeting may have closed first)."""
    dates = city.meetings.get(kind, [])
    i = bisect.bisect_left(dates, (day, -1))
    while i < len(dates) and city.closing[dates[i][1]] <= moment:
        i += 1
    return dates[i] if i < len(dates) else None


def incidents_in_window(city: City, start: dt.datetime, end: dt.datetime) -> list[tuple]:
    """The counted incidents in [start, end)."""
    lo = bisect.bisect_left(city.incidents, (start,))
    hi = bisect.bisect_left(city.incidents, (end,))
    return city.incidents[lo:hi]


def shots_in_window(city: City, start: dt.datetime, end: dt.datetime) -> list[Shot]:
    """Every logged incident in [start, end) (counted or not), as a review's agenda lists them."""
    lo = bisect.bisect_left(city.logged, (start,))
    hi = bisect.bisect_left(city.logged, (end,))
    return city.logged[lo:hi]
