"""The daily digest job: each organisation gets its overdue and due-this-week follow-ups."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core import mail

from ceasefire.core.models import AuditEvent, Task
from coordination.tasks import send_followup_digests
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_digest_job_is_on_the_beat_schedule():
    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "coordination.tasks.send_followup_digests" in names


def test_each_organisation_gets_its_overdue_and_due_this_week_follow_ups(orgs, users, today):
    orgs["cbo"].email = "team@youthalive.example"
    orgs["cbo"].save(update_fields=["email"])
    f.TaskFactory(
        assigned_organisation=orgs["cbo"],
        title="Hospital visit",
        due_date=today - dt.timedelta(days=2),
    )
    f.TaskFactory(
        assigned_organisation=orgs["cbo"],
        title="Family meeting",
        due_date=today + dt.timedelta(days=6),
    )
    f.TaskFactory(
        assigned_organisation=orgs["cbo"], title="Next month", due_date=today + dt.timedelta(days=7)
    )
    f.TaskFactory(
        assigned_organisation=orgs["cbo"], title="Finished", due_date=today, status=Task.Status.DONE
    )
    f.TaskFactory(assigned_organisation=orgs["hsd"], title="Resource plan", due_date=today)
    f.TaskFactory(assigned_organisation=orgs["faith"], title="Someday", due_date=None)

    sent = send_followup_digests.delay().get()

    assert sent == 2
    by_recipient = {tuple(m.to): m for m in mail.outbox}
    cbo = by_recipient[("team@youthalive.example",)]
    assert "1 overdue, 1 due this week" in cbo.subject
    assert "Hospital visit" in cbo.body and "Family meeting" in cbo.body
    assert "Next month" not in cbo.body and "Finished" not in cbo.body
    # no organisation e-mail: its users' addresses
    hsd = by_recipient[(users["partner_lead"].email,)]
    assert "Resource plan" in hsd.body
    assert AuditEvent.objects.filter(action="export", object_type="core.organisation").count() == 2


def test_digest_never_names_people(orgs, users, today):
    person = f.PersonFactory(first_name="Darnell", last_name="Shared")
    f.TaskFactory(
        assigned_organisation=orgs["cbo"],
        title="Custom notification",
        subject_person=person,
        due_date=today,
    )
    send_followup_digests()
    assert len(mail.outbox) == 1 and "Darnell" not in mail.outbox[0].body


def test_organisation_without_any_address_gets_nothing(orgs, today):
    f.TaskFactory(assigned_organisation=orgs["other_cbo"], due_date=today)
    assert send_followup_digests() == 0
    assert mail.outbox == []
