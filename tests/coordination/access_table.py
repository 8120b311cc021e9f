"""Who gets what at the coordination URLs: meetings, follow-ups, caseload and call-ins.

The police facilitator and partner leads run the meeting (a community partner reads the agenda of
a meeting their organisation attends); follow-ups belong to the organisation they are assigned to,
so a role that cannot see the task gets 404 and one that sees it but may not change it 403.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests import factories as f
from tests.access import FACILITATOR, FORBIDDEN, NOT_FOUND, Outcome, Row, contains, lacks, ok, only
from tests.conftest import make_orgs, make_users
from tests.coordination.conftest import build_agenda

RUN_MEETING = {"police_facilitator", "partner_lead"}
READ_AGENDA = RUN_MEETING | {"community_partner"}
HAVE_FOLLOWUPS = {
    "police_facilitator",
    "police_viewer",
    "partner_lead",
    "partner_staff",
    "community_partner",
}
# the task is assigned to the partner staff's organisation: leads of other organisations and
# community partners do not see it; the police viewer sees it but may not change it
SEE_TASK = {"police_facilitator", "police_viewer", "partner_staff"}
NOT_THEIR_TASK = {"partner_lead": NOT_FOUND, "community_partner": NOT_FOUND}
CHANGE_TASK = {"police_facilitator", "partner_staff"}
CASELOAD = {"police_facilitator", "partner_lead", "partner_staff"}
TO_FOLLOWUPS = Outcome(302, redirect_to="coordination:followups")


def build_world():
    """The coordination tests' agenda; faith attends the meeting, a health item, an enrolment."""
    orgs = make_orgs()
    users = make_users(orgs)
    today = timezone.localdate()
    world = build_agenda(users, orgs, today)
    world.meeting.attending_organisations.add(orgs["faith"])
    world.item = f.PartnershipHealthItemFactory(
        raised_at=world.meeting, owner_organisation=orgs["hsd"]
    )
    world.enrolment = f.EnrolmentFactory(
        provider=orgs["cbo"], person=world.hidden, started_on=today - dt.timedelta(days=9)
    )
    world.users, world.orgs, world.day = users, orgs, today.isoformat()
    return world


def meeting_post(url: str, *, only_for=RUN_MEETING, **kwargs) -> Row:
    """A write to today's meeting: those who run it are sent back to it, everyone else 403."""
    return Row(url, "POST", expect=only(only_for, 302), **kwargs)


def task_post(url: str, data) -> Row:
    """A write to the follow-up: the fragment again for htmx, the follow-up page otherwise."""
    return Row(
        url,
        "POST",
        args=lambda w: [w.task],
        data=data,
        expect=only(CHANGE_TASK, 302, police_viewer=FORBIDDEN, **NOT_THEIR_TASK),
        htmx=200,
    )


TABLE = [
    Row(
        "coordination:index",
        expect=only(READ_AGENDA, police_viewer=TO_FOLLOWUPS, partner_staff=TO_FOLLOWUPS),
        htmx=True,
    ),
    Row(
        "coordination:meeting-detail",
        args=lambda w: [w.meeting],
        data={"section": "plans"},
        expect=only(READ_AGENDA),
        htmx=True,
    ),
    Row("coordination:meeting-print", args=lambda w: [w.meeting], expect=only(READ_AGENDA)),
    meeting_post(
        "coordination:meeting-create",
        data=lambda w: {"date": (timezone.localdate() + dt.timedelta(days=1)).isoformat()},
    ),
    meeting_post(
        "coordination:meeting-attendance",
        args=lambda w: [w.meeting],
        data=lambda w: {
            "version": w.meeting.version,
            "organisations": [w.police.organisation_id],
            "risk_alignment": "on",
        },
        htmx=200,
    ),
    meeting_post(
        "coordination:meeting-minutes",
        args=lambda w: [w.meeting],
        data=lambda w: {"version": w.meeting.version, "minutes": "Agreed plans."},
        htmx=200,
    ),
    meeting_post(
        "coordination:meeting-close",
        args=lambda w: [w.meeting],
        data=lambda w: {"version": w.meeting.version},
        htmx=200,  # HX-Redirect to the frozen meeting
    ),
    Row(  # one person's plan forms, opened on demand
        "coordination:plan-form",
        args=lambda w: [w.meeting, w.shared],
        expect=only(RUN_MEETING),
        htmx=True,
    ),
    meeting_post(
        "coordination:plan-intervention-add",
        args=lambda w: [w.meeting, w.shared],
        data=lambda w: {
            "kind": "life_coach",
            "assigned_organisation": w.task.assigned_organisation_id,
            "due_date": w.day,
        },
        htmx=200,
    ),
    meeting_post(
        "coordination:person-plan-save",
        args=lambda w: [w.meeting, w.shared],
        data={"notes": "Mother asked for help"},
        htmx=200,
    ),
    meeting_post(
        "coordination:long-term-plan-save",
        args=lambda w: [w.meeting, w.shared],
        data={"plan": "Weekly life coach", "version": ""},
        htmx=200,
    ),
    meeting_post(
        "coordination:health-item-add",
        args=lambda w: [w.meeting],
        data=lambda w: {
            "category": "boundaries",
            "title": "Data sharing limits",
            "owner_organisation": w.task.assigned_organisation_id,
        },
        htmx=200,
    ),
    meeting_post(
        "coordination:health-item-update",
        args=lambda w: [w.meeting, w.item],
        data=lambda w: {"version": w.item.version, "status": "in_progress", "notes": ""},
        htmx=200,
    ),
    meeting_post(
        "coordination:share-withdraw",
        only_for={"police_facilitator"},
        args=lambda w: [w.meeting, w.share],
        data={"reason": "No longer at risk"},
    ),
    Row("coordination:followups", expect=only(HAVE_FOLLOWUPS), htmx=True),
    Row("coordination:followups-export", expect=only(HAVE_FOLLOWUPS)),
    Row(
        "coordination:followups-export",
        "POST",
        data={"format": "csv", "reason": "Weekly check"},
        expect=only(HAVE_FOLLOWUPS, ok(contains("title,kind,status"))),
    ),
    Row(
        "coordination:followup-detail",
        args=lambda w: [w.task],
        expect=only(SEE_TASK, **NOT_THEIR_TASK),
        htmx=True,
    ),
    task_post(
        "coordination:followup-update",
        lambda w: {"version": w.task.version, "status": "in_progress"},
    ),
    Row(  # the task was given to the partner staff's organisation: only it answers
        "coordination:followup-answer",
        "POST",
        args=lambda w: [w.task],
        data=lambda w: {"version": w.task.version, "decision": "accept"},
        expect=only({"partner_staff"}, 302, **NOT_THEIR_TASK),
        htmx=200,
    ),
    Row(  # the meeting's facilitator reassigns
        "coordination:followup-reassign",
        "POST",
        args=lambda w: [w.task],
        data=lambda w: {"version": w.task.version, "organisation": w.orgs["hsd"].pk},
        expect=only(FACILITATOR, 302, **NOT_THEIR_TASK),
        htmx=200,
    ),
    task_post(
        "coordination:followup-notification",
        lambda w: {"delivered_on": w.day, "delivered_by": "Pastor Jones", "outcome": "delivered"},
    ),
    task_post(
        "coordination:followup-enrol",
        lambda w: {
            "provider": w.task.assigned_organisation_id,
            "referral_source": "custom_notification",
            "started_on": w.day,
        },
    ),
    task_post(
        "coordination:followup-contact", lambda w: {"contacted_on": w.day, "kind": "life_coach"}
    ),
    Row("coordination:caseload", expect=only(CASELOAD), htmx=True),
    Row("coordination:caseload-export", expect=only(CASELOAD)),
    Row(
        "coordination:caseload-export",
        "POST",
        data={"format": "csv"},
        expect=only(CASELOAD, 400),
        label="no reason",
    ),
    Row(
        "coordination:enrolment-exit",
        "POST",
        args=lambda w: [w.enrolment],
        data=lambda w: {"ended_on": w.day},
        expect=only(CHANGE_TASK, 302, partner_lead=NOT_FOUND),
    ),
    Row("coordination:call-ins", expect=only(RUN_MEETING)),
    Row(  # the attendees' type-ahead: only who may attend (shared or on a caseload)
        "coordination:call-in-search",
        data={"q": "Darnell"},
        expect=only(RUN_MEETING, ok(contains("Darnell Shared"), lacks("Marcus"))),
        htmx=True,
    ),
    Row(
        "coordination:call-ins",
        "POST",
        data=lambda w: {"held_on": w.day, "attendees": [w.shared.pk]},
        expect=only(RUN_MEETING, 302),
    ),
    Row("coordination:api-followups", expect=only(HAVE_FOLLOWUPS, anonymous=FORBIDDEN)),
    Row(
        "coordination:api-followup-detail",
        args=lambda w: [w.task],
        expect=only(SEE_TASK, anonymous=FORBIDDEN, **NOT_THEIR_TASK),
    ),
    Row(
        "coordination:api-followup-detail",
        "PATCH",
        args=lambda w: [w.task],
        data=lambda w: {"version": w.task.version, "status": "in_progress"},
        expect=only(
            CHANGE_TASK, 200, police_viewer=FORBIDDEN, anonymous=FORBIDDEN, **NOT_THEIR_TASK
        ),
    ),
]
