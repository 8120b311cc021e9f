"""Meeting papers (briefs and memos): who reads which paper.

A paper is rendered for an *audience*: the readers who see the same meeting page. Police see one
page (``police``), executives one (``executive``); a partner's page depends on their role and
organisation (``partner_lead:12``). The paper is rendered as an unsaved stand-in reader of that
audience (no grant of one person: tasks assigned to a user, meetings a user attends, are left
out), so it never shows more than every reader of the audience sees on the page. A reader
prepares and downloads only the papers of their own audience, of meetings they may see.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from ..models import Meeting, MeetingPaper, Organisation, Role, User
from .meetings import _MEETING_VIEW, meetings_visible_to
from .roles import CAPABILITIES, PARTNER_ROLES, POLICE_ROLES, _active

POLICE_AUDIENCE = "police"
EXECUTIVE_AUDIENCE = "executive"
_PER_ORGANISATION = PARTNER_ROLES | {Role.COMMUNITY_PARTNER}


def paper_audience(user) -> str:
    """The audience whose papers the user reads ("" for none)."""
    if not _active(user):
        return ""
    if user.role in POLICE_ROLES:
        return POLICE_AUDIENCE
    if user.role == Role.EXECUTIVE:
        return EXECUTIVE_AUDIENCE
    if user.role in _PER_ORGANISATION and user.organisation_id:
        return f"{user.role}:{user.organisation_id}"
    return ""


def paper_reader(audience: str) -> User:
    """An unsaved stand-in reader of the audience, to render its papers with (never saved)."""
    role, _, org = audience.partition(":")
    if role == POLICE_AUDIENCE:
        # the facilitator's pages show viewers the same records (viewers lack only the forms, and
        # the meetings they may not open: those they cannot download papers of either)
        role = Role.POLICE_FACILITATOR
    if role not in Role.values:
        raise ValueError(f"Unknown paper audience {audience!r}")
    reader = User(pk=0, username=f"paper-reader-{audience}", role=role, is_active=True)
    if org:
        reader.organisation = Organisation.objects.get(pk=int(org))
    return reader


def paper_audience_label(audience: str) -> str:
    role, _, org = audience.partition(":")
    if role == POLICE_AUDIENCE:
        return "Police"
    if role == EXECUTIVE_AUDIENCE:
        return "Executives (aggregates only)"
    name = Organisation.objects.filter(pk=int(org)).values_list("name", flat=True).first()
    return f"{Role(role).label}s — {name}"


def _reader_sees_meeting(reader: User, meeting: Meeting) -> bool:
    return meetings_visible_to(reader, meeting.kind).filter(pk=meeting.pk).exists()


def can_prepare_paper(user, meeting: Meeting, kind: str) -> bool:
    """A brief before the meeting closes, a memo once it is closed, for the user's audience."""
    audience = paper_audience(user)
    if not audience or not meetings_visible_to(user).filter(pk=meeting.pk).exists():
        return False
    if not _reader_sees_meeting(paper_reader(audience), meeting):
        return False
    if kind == MeetingPaper.Kind.BRIEF:
        return not meeting.is_closed
    return kind == MeetingPaper.Kind.MEMO and meeting.is_closed


def papers_visible_to(user, meeting: Meeting) -> QuerySet[MeetingPaper]:
    """The papers of the meeting for the user's audience (none for another audience)."""
    audience = paper_audience(user)
    if not audience:
        return MeetingPaper.objects.none()
    return MeetingPaper.objects.filter(meeting=meeting, audience=audience)


def get_paper_for_user(user, pk) -> MeetingPaper:
    """A paper of the user's audience, of a meeting the user may see; 404 otherwise."""
    audience = paper_audience(user)
    try:
        paper = MeetingPaper.objects.select_related("meeting").get(pk=pk, audience=audience or "-")
    except (MeetingPaper.DoesNotExist, ValueError, TypeError):
        raise Http404("No such paper.") from None
    if not meetings_visible_to(user).filter(pk=paper.meeting_id).exists():
        raise Http404("No such paper.")
    return paper


def memo_audiences(meeting: Meeting) -> list[str]:
    """Every audience with an active reader who may see the meeting: each gets its memo."""
    roles = CAPABILITIES[_MEETING_VIEW[meeting.kind]]
    pairs = (
        User.objects.filter(is_active=True, role__in=roles)
        .values_list("role", "organisation_id")
        .distinct()
    )
    audiences = set()
    for role, org in pairs:
        audience = paper_audience(User(role=role, organisation_id=org, is_active=True))
        if audience:
            audiences.add(audience)
    return sorted(a for a in audiences if _reader_sees_meeting(paper_reader(a), meeting))
