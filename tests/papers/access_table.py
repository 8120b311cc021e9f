"""Who gets what at the meeting papers' URLs (briefs, memos, their ZIP).

A meeting's papers are for those who see the meeting (anyone else: 404, the meeting does not
exist for them); a paper is for its audience only — the police facilitator, who sees the partner
lead's meeting page too, still gets 404 for the partner lead's own paper.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone

from ceasefire.core.models import MeetingPaper
from tests.access import NOT_FOUND, POLICE, Row, contains, lacks, ok, only
from tests.papers.world import build_papers_world

COORDINATION = {"police_facilitator", "partner_lead", "community_partner"}
PERFORMANCE = {"police_facilitator", "partner_lead", "executive"}
REASON = {"format": "pdf", "reason": "Briefing the chief"}


def _ready(meeting, audience: str) -> MeetingPaper:
    paper = MeetingPaper(
        meeting=meeting,
        kind=MeetingPaper.Kind.BRIEF,
        audience=audience,
        audience_label=audience,
        status=MeetingPaper.Status.READY,
        requested_at=timezone.now(),
        generated_at=timezone.now(),
        sha256="0" * 64,
    )
    paper.file.save("brief.pdf", ContentFile(b"%PDF-1.4 test paper"), save=False)
    paper.save()
    return paper


def build_world():
    world = build_papers_world()
    world.police_paper = _ready(world.review, "police")
    world.partner_paper = _ready(world.coordination, f"partner_lead:{world.orgs['hsd'].pk}")
    return world


def _panel(meeting: str, allowed, label: str) -> Row:
    return Row(
        "papers:panel",
        args=lambda w: [getattr(w, meeting)],
        expect=only(allowed, ok(lacks("Hidden Person")), others=NOT_FOUND),
        htmx=True,
        label=label,
    )


TABLE = [
    _panel("review", POLICE, "shooting review"),
    _panel("coordination", COORDINATION, "coordination"),
    _panel("performance", PERFORMANCE, "performance"),
    Row(
        "papers:prepare",
        "POST",
        args=lambda w: [w.review, "brief"],
        expect=only(POLICE, 302, others=NOT_FOUND),
        htmx=only(POLICE, ok(contains("Queued")), others=NOT_FOUND),
        label="review brief",
    ),
    Row(
        "papers:prepare",
        "POST",
        args=lambda w: [w.coordination, "memo"],
        expect=only(COORDINATION, 302, others=NOT_FOUND),
        htmx=only(COORDINATION, 400, others=NOT_FOUND),
        label="memo of an open meeting: refused with a message",
    ),
    Row(
        "papers:download",
        args=lambda w: [w.police_paper],
        expect=only(POLICE, others=NOT_FOUND),
        label="police paper: the reason form",
    ),
    Row(
        "papers:download",
        "POST",
        args=lambda w: [w.police_paper],
        data=REASON,
        expect=only(POLICE, others=NOT_FOUND),
        label="police paper",
    ),
    Row(
        "papers:download",
        "POST",
        args=lambda w: [w.partner_paper],
        data=REASON,
        expect=only({"partner_lead"}, others=NOT_FOUND),
        label="a partner lead's paper: that audience only",
    ),
    Row(
        "papers:archive",
        args=lambda w: [w.review],
        expect=only(POLICE, others=NOT_FOUND),
        label="the reason form",
    ),
    Row(
        "papers:archive",
        "POST",
        args=lambda w: [w.review],
        data={"format": "zip", "reason": "Briefing the chief"},
        expect=only(POLICE, others=NOT_FOUND),
    ),
    Row(
        "papers:archive",
        args=lambda w: [w.performance],
        expect=only(PERFORMANCE, 404, others=NOT_FOUND),
        label="nothing ready yet",
    ),
]
