"""The replay: every past meeting is closed, in time order, through its app's own close service
(those older than ``demo.archive.SERVICE_CLOSE_DAYS`` in bulk, freezing the same facts).

A close service freezes what the meeting saw *then* (a review's prior deliverables, a coordination
meeting's risk picture), so what it reads is written in time order around the closes: each share
when the review that made it closes, each withdrawal, each change of a task's status. The rest was
bulk-written before; the reviews' follow-up choices, which repeat the shares, are written after
(``review_close`` would only save each share again, unchanged).

The services stamp ``closed_at`` with the time they run; afterwards each meeting's close time is
set back to its afternoon. Tasks are written with their completion times; only their status,
which the closes read, follows the replay.

The meetings closed in bulk (``demo.archive``) read nothing from the database: a coordination
meeting's risk picture is taken from the timeline's own record of the active shares. So the
timeline is written only before a service close, everything since the previous one in one go (in
the same order, so the same rows get the same keys).
"""

from __future__ import annotations

import datetime as dt

from django.test.utils import override_settings

from ceasefire.core.models import Meeting, PartnershipShare, Task, TaskUpdate
from coordination import services as coordination_services
from performance import services as performance_services
from reviews import services as review_services

from . import users as users_
from .archive import Archive, archived_meetings
from .city import City, bulk
from .loading import rows_update
from .performance import worksheet_make, worksheet_reviews

WITHDRAWAL_FIELDS = ["withdrawn_at", "withdrawn_by", "withdrawal_reason"]
STATUS_CHUNK = 5000
END = dt.datetime.max.replace(tzinfo=dt.UTC)


class Timeline:
    """Shares, withdrawals and task updates, written up to a moment with ``advance(until)``."""

    def __init__(self, city: City):
        self.shares = sorted(city.shares, key=lambda s: s.shared_at)
        self.withdrawals = []
        for share in self.shares:
            if share.withdrawn_at is not None:
                withdrawal = [getattr(share, name) for name in WITHDRAWAL_FIELDS]
                self.withdrawals.append((share.withdrawn_at, share, withdrawal))
            share.withdrawn_at, share.withdrawn_by, share.withdrawal_reason = None, None, ""
        self.withdrawals.sort(key=lambda w: (w[0], w[1].shared_at))
        self.updates = city.task_updates
        self.done = {"shares": 0, "withdrawals": 0, "updates": 0}
        self.seen = {"shares": 0, "withdrawals": 0}
        self.statuses_from = replay_first_read(city)  # the earlier ones are written with the tasks
        self.listed: dict[int, PartnershipShare] = {}  # id(share): the active shares, as seen

    def active(self, until: dt.datetime) -> list[PartnershipShare]:
        """The shares active at ``until`` (shared, not withdrawn by then), from memory: what the
        database holds once ``advance(until)`` has run. Nothing is written."""
        shares, withdrawals, seen = self.shares, self.withdrawals, self.seen
        end = seen["shares"]
        while end < len(shares) and shares[end].shared_at <= until:
            self.listed[id(shares[end])] = shares[end]
            end += 1
        seen["shares"] = end
        end = seen["withdrawals"]  # a share is withdrawn after it is made: it is listed by now
        while end < len(withdrawals) and withdrawals[end][0] <= until:
            del self.listed[id(withdrawals[end][1])]
            end += 1
        seen["withdrawals"] = end
        return list(self.listed.values())

    def _take(self, name: str, items: list, until: dt.datetime, when) -> list:
        start = end = self.done[name]
        while end < len(items) and when(items[end]) <= until:
            end += 1
        self.done[name] = end
        return items[start:end]

    def advance(self, until: dt.datetime) -> None:
        """Withdrawals first (a person shared again needs the earlier share withdrawn); a share
        made and withdrawn since the last step is written withdrawn."""
        withdrawn = self._take("withdrawals", self.withdrawals, until, lambda w: w[0])
        for _, share, values in withdrawn:
            share.withdrawn_at, share.withdrawn_by, share.withdrawal_reason = values
        written = [share for _, share, _ in withdrawn if share.pk is not None]
        rows_update(PartnershipShare, written, WITHDRAWAL_FIELDS)
        bulk(PartnershipShare, self._take("shares", self.shares, until, lambda s: s.shared_at))
        updates = self._take("updates", self.updates, until, lambda u: u.created_at)
        bulk(TaskUpdate, updates)
        status = {  # the latest wins
            u.task.pk: u.status_to
            for u in updates
            if u.status_to and u.created_at > self.statuses_from
        }
        for value in sorted(set(status.values())):
            pks = [pk for pk, to in status.items() if to == value]
            for start in range(0, len(pks), STATUS_CHUNK):  # within the bind-parameter limits
                Task.objects.filter(pk__in=pks[start : start + STATUS_CHUNK]).update(status=value)


def replay_first_read(city: City) -> dt.datetime:
    """When the replay first reads the database: the close of the first meeting closed through
    its service (the archived closes read nothing the replay writes); the end of time if none
    is. What the timeline holds until then may be written as it stands then."""
    services = set(city.closing) - archived_meetings(city, keep=set(worksheet_reviews(city)))
    return min((city.closing[pk] for pk in services), default=END)


def meetings_close(city: City) -> None:
    """Close every past meeting in time order; the last periods' worksheets are made just
    before their performance review closes (which freezes them)."""
    with override_settings(MEETING_PAPERS_MEMO_ON_CLOSE=False):  # memos are made on demand
        _meetings_close(city)


def _meetings_close(city: City) -> None:
    timeline = Timeline(city)
    meetings = Meeting.objects.in_bulk(list(city.closing))
    with_worksheet = set(worksheet_reviews(city))
    archived, archive = archived_meetings(city, keep=with_worksheet), Archive(city)
    order = sorted(city.closing, key=lambda pk: (city.closing[pk], pk))
    for pk in city.progress.phase("closing meetings", order):
        meeting = meetings[pk]
        if pk in archived:  # nothing read from the database, nothing written yet
            archive.add(meeting, timeline.active(city.closing[pk]))
            continue
        timeline.advance(city.closing[pk])
        if pk in with_worksheet:
            worksheet_make(city, meeting)
        _close(city, meeting)
    timeline.advance(END)
    with city.progress.phase("archived closes"):
        archive.write()
    for meeting in meetings.values():
        meeting.closed_at = meeting.updated_at = city.closing[meeting.pk]
    rows_update(Meeting, meetings.values(), ["closed_at", "updated_at"])


def _close(city: City, meeting: Meeting) -> None:
    version = meeting.version
    if meeting.kind == Meeting.Kind.SHOOTING_REVIEW:
        review_services.review_close(
            review=meeting, user=city.facilitator, expected_version=version
        )
    elif meeting.kind == Meeting.Kind.COORDINATION:
        coordination_services.coordination_meeting_close(
            meeting=meeting, user=city.users[users_.PARTNER_LEAD], expected_version=version
        )
    else:
        performance_services.review_close(
            meeting=meeting, user=city.users[users_.EXECUTIVE], expected_version=version
        )
