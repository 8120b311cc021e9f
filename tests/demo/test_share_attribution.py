"""What a shooting review shares reaches the coordination meeting that closes after the review,
even when both meet on one day (the demo city schedules its meetings back from today: when today
is a Thursday, the reviews fall on the coordination meetings' day)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from ceasefire.core.models import Meeting
from demo.meetings import meeting_closing_after

LA = ZoneInfo("America/Los_Angeles")
THU, NEXT_THU = dt.date(2025, 3, 13), dt.date(2025, 3, 20)
COORDINATION = Meeting.Kind.COORDINATION


# two Thursday coordination meetings, each closing at 15:26
city = SimpleNamespace(
    meetings={COORDINATION: [(THU, 107), (NEXT_THU, 108)]},
    closing={
        107: dt.datetime(2025, 3, 13, 15, 26, tzinfo=LA),
        108: dt.datetime(2025, 3, 20, 15, 26, tzinfo=LA),
    },
)


def test_a_review_closing_after_the_same_day_meeting_shares_with_the_next_one():
    review_closed = dt.datetime(2025, 3, 13, 15, 47, tzinfo=LA)
    assert meeting_closing_after(city, COORDINATION, THU, review_closed) == (NEXT_THU, 108)


def test_a_review_closing_first_shares_with_that_days_meeting():
    review_closed = dt.datetime(2025, 3, 13, 11, 0, tzinfo=LA)
    assert meeting_closing_after(city, COORDINATION, THU, review_closed) == (THU, 107)
    tuesday = dt.datetime(2025, 3, 11, 15, 47, tzinfo=LA)
    assert meeting_closing_after(city, COORDINATION, tuesday.date(), tuesday) == (THU, 107)


def test_no_meeting_closes_after_the_last_review():
    late = dt.datetime(2025, 3, 20, 16, 0, tzinfo=LA)
    assert meeting_closing_after(city, COORDINATION, NEXT_THU, late) is None
