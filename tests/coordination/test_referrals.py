"""Closed-loop referrals: a follow-up given to another organisation is accepted or declined (with
a reason) by it; unanswered two working days later, overdue or declined, it escalates to that
organisation's lead and to whoever asked — on their home pages and in the daily digest; a
declined one returns to the meeting that made it, to be reassigned; answer times feed a
partnership-health figure."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ceasefire.core import selectors
from ceasefire.core import services as core_services
from ceasefire.core.models import AuditEvent, Task
from coordination.services import followup_digests_send
from tests import factories as f

pytestmark = pytest.mark.django_db
LA = ZoneInfo("America/Los_Angeles")
MONDAY = dt.datetime(2026, 11, 2, 10, 0, tzinfo=LA)


def _give(users, orgs, org: str, title: str = "Hospital visit") -> Task:
    """The police facilitator gives a follow-up to the organisation ``org``."""
    police = users["police_facilitator"]
    return core_services.task_create(user=police, title=title, assigned_organisation=orgs[org])


def _answer(client, task, **data):
    url = reverse("coordination:followup-answer", args=[task.pk])
    return client.post(url, {"version": task.version, **data})


def test_work_given_to_another_organisation_waits_for_it_and_ones_own_is_accepted(users, orgs):
    police = users["police_facilitator"]
    given = core_services.task_create(user=police, title="Visit", assigned_organisation=orgs["cbo"])
    own = core_services.task_create(
        user=police, title="Canvass", assigned_organisation=orgs["police"]
    )
    assert given.referral == Task.Referral.AWAITING and given.awaiting_acceptance
    assert own.referral == Task.Referral.ACCEPTED


def test_the_organisation_accepts_and_the_history_and_audit_log_say_who(agenda, client_for, users):
    response = _answer(client_for("partner_staff"), agenda.task, decision="accept")
    assert response.status_code == 302
    agenda.task.refresh_from_db()
    assert agenda.task.referral == Task.Referral.ACCEPTED
    assert agenda.task.referral_answered_by == users["partner_staff"]
    assert agenda.task.updates.filter(note__contains="accepted").exists()
    event = AuditEvent.objects.filter(object_type="core.task", actor=users["partner_staff"]).last()
    assert event.detail["referral"] == "accepted"


def test_declining_without_a_reason_is_refused_with_a_message_and_writes_nothing(
    agenda, client_for
):
    response = _answer(client_for("partner_staff"), agenda.task, decision="decline", reason=" ")
    assert response.status_code == 400
    assert "Say why your organisation declines it" in response.content.decode()
    agenda.task.refresh_from_db()
    assert agenda.task.referral == Task.Referral.AWAITING and not agenda.task.updates.exists()


def test_a_declined_follow_up_returns_to_the_meeting_and_is_reassigned_there(
    agenda, client_for, orgs
):
    _answer(client_for("partner_staff"), agenda.task, decision="decline", reason="No capacity")
    facilitator = client_for("police_facilitator")
    meeting = facilitator.get(reverse("coordination:meeting-detail", args=[agenda.meeting.pk]))
    html = meeting.content.decode()
    assert "declined" in html and "No capacity" in html

    agenda.task.refresh_from_db()
    response = facilitator.post(
        reverse("coordination:followup-reassign", args=[agenda.task.pk]),
        {"version": agenda.task.version, "organisation": orgs["hsd"].pk},
    )
    assert response.status_code == 302
    agenda.task.refresh_from_db()
    assert agenda.task.assigned_organisation == orgs["hsd"]
    assert agenda.task.referral == Task.Referral.AWAITING and agenda.task.decline_reason == ""


def test_only_an_awaiting_referral_can_be_answered(agenda, client_for):
    staff = client_for("partner_staff")
    _answer(staff, agenda.task, decision="accept")
    agenda.task.refresh_from_db()
    assert _answer(staff, agenda.task, decision="decline", reason="x").status_code == 403


@pytest.mark.parametrize(
    ("made", "now", "late"),
    [
        (MONDAY, MONDAY + dt.timedelta(days=2, hours=8), False),  # Wednesday evening
        (MONDAY, MONDAY + dt.timedelta(days=3), True),  # Thursday
        (MONDAY + dt.timedelta(days=4), MONDAY + dt.timedelta(days=8), False),  # Fri → Tue
        (MONDAY + dt.timedelta(days=4), MONDAY + dt.timedelta(days=9), True),  # Fri → Wed
    ],
)
def test_an_unanswered_referral_escalates_after_two_working_days(
    users, orgs, client_for, made, now, late
):
    with time_machine.travel(made, tick=False):
        task = core_services.task_create(
            user=users["police_facilitator"],
            title="Hospital visit",
            assigned_organisation=orgs["hsd"],
        )
    with time_machine.travel(now, tick=False):
        today = now.date()
        escalated = selectors.referrals_escalated(Task.objects.all(), today=today)
        assert (task in escalated) is late
        for role in ("police_facilitator", "partner_lead"):  # who asked; the organisation's lead
            home = client_for(role).get("/").content.decode()
            assert ("Needs attention" in home) is late, role
        if late:
            assert "not accepted by" in selectors.escalation_reason(task, today=today)


def test_working_days_skip_the_weekend():
    friday = dt.date(2026, 11, 6)
    assert selectors.working_days_before(friday, 2) == dt.date(2026, 11, 4)
    assert selectors.working_days_before(dt.date(2026, 11, 10), 2) == dt.date(2026, 11, 6)


def test_the_digest_asks_the_organisation_to_answer_and_reminds_whoever_asked(
    users, orgs, settings
):
    users["police_facilitator"].email = "felicia@example.org"
    users["police_facilitator"].save()
    orgs["hsd"].email = "hsd@example.org"
    orgs["hsd"].save()
    with time_machine.travel(MONDAY, tick=False):
        core_services.task_create(
            user=users["police_facilitator"],
            title="Hospital visit",
            assigned_organisation=orgs["hsd"],
        )
    with time_machine.travel(MONDAY + dt.timedelta(days=3), tick=False):
        followup_digests_send()
    to_org = next(m for m in mail.outbox if m.to == ["hsd@example.org"])
    assert "AWAITING YOUR ANSWER (1)" in to_org.body and "awaiting your answer" in to_org.subject
    to_maker = next(m for m in mail.outbox if m.to == ["felicia@example.org"])
    assert "Hospital visit" in to_maker.body and "not accepted by" in to_maker.body


def test_answer_times_feed_the_partnership_health_figure(users, orgs, client_for):
    police, staff = users["police_facilitator"], users["partner_staff"]
    with time_machine.travel(MONDAY, tick=False):
        quick = core_services.task_create(user=police, title="A", assigned_organisation=orgs["cbo"])
        slow = core_services.task_create(user=police, title="B", assigned_organisation=orgs["cbo"])
        core_services.task_create(user=police, title="C", assigned_organisation=orgs["cbo"])
        core_services.task_create(user=police, title="Own", assigned_organisation=orgs["police"])
    with time_machine.travel(MONDAY + dt.timedelta(hours=4), tick=False):
        core_services.task_referral_answer(task=quick, user=staff, expected_version=1, accept=True)
    with time_machine.travel(MONDAY + dt.timedelta(days=4), tick=False):
        core_services.task_referral_answer(
            task=slow, user=staff, expected_version=1, accept=False, reason="Out of area"
        )
    health = selectors.referral_health(Task.objects.all(), today=dt.date(2026, 11, 9))
    assert health == {
        "days": 90,
        "made": 3,
        "answered": 2,
        "accepted_on_time": 1,
        "declined": 1,
        "awaiting": 1,
        "median_hours": 50.0,
    }
    meeting = f.CoordinationMeetingFactory(date=dt.date(2026, 11, 9))
    for task in (quick, slow):
        task.source_meeting = meeting
        task.save()
    page = client_for("police_facilitator").get(
        reverse("coordination:meeting-detail", args=[meeting.pk])
    )
    assert "1 accepted within two working days" in page.content.decode()


def test_the_home_escalations_join_only_what_they_show(users, orgs, client_for):
    """Each escalation shows its title and why (organisation, dates), not who made it: no user
    row is read per task."""
    with time_machine.travel(MONDAY, tick=False):
        _give(users, orgs, "hsd")
    client = client_for("police_facilitator")
    with (
        time_machine.travel(MONDAY + dt.timedelta(days=5), tick=False),
        CaptureQueriesContext(connection) as captured,
    ):
        home = client.get("/").content.decode()
    assert "Needs attention" in home and "not accepted by" in home
    tasks = [
        q["sql"] for q in captured.captured_queries if q["sql"].startswith('SELECT "core_task"')
    ]
    (listed,) = [sql for sql in tasks if "'declined'" in sql and "LIMIT" in sql]
    assert '"core_user"' not in listed
