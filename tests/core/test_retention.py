"""Retention: due designations lapse; people with nothing recent are purged to a tombstone."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from ceasefire.core import retention
from ceasefire.core.models import (
    AuditEvent,
    GroupAffiliation,
    Involvement,
    Person,
    RiskDesignation,
    Task,
)
from ceasefire.core.selectors import victim_counts
from ceasefire.core.tasks import retention_nightly
from reviews.models import RiskDecision
from tests import factories as f

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)
LONG_AGO = NOW - dt.timedelta(days=6 * 365)


def _old_person(first="Oldrick", last="Quiet", **kwargs) -> Person:
    person = f.PersonFactory(first_name=first, last_name=last, created_at=LONG_AGO, **kwargs)
    incident = f.IncidentFactory(occurred_at=LONG_AGO, narrative=f"{first} {last} was shot")
    f.InvolvementFactory(incident=incident, person=person, notes="Shot in the leg")
    f.AffiliationFactory(person=person, basis="Self-admitted member")
    f.DesignationFactory(
        person=person,
        designated_on=LONG_AGO.date(),
        review_due=LONG_AGO.date() + dt.timedelta(days=90),
        ended_on=LONG_AGO.date() + dt.timedelta(days=91),
        end_reason="lapsed",
        basis="SECRET-BASIS",
    )
    return person


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_the_cutoff_is_five_years_back(frozen):
    assert retention.retention_cutoff() == dt.date(2021, 6, 15)
    assert retention.retention_cutoff(dt.date(2028, 2, 29)) == dt.date(2023, 2, 28)


def test_only_people_with_nothing_recent_are_due(frozen, users):
    old = _old_person()
    recent_victim = _old_person(first="Recent", last="Victim")
    f.InvolvementFactory(
        person=recent_victim, incident=f.IncidentFactory(occurred_at=NOW - dt.timedelta(days=9))
    )
    open_task = _old_person(first="Open", last="Task")
    f.TaskFactory(subject_person=open_task, created_at=LONG_AGO)
    shared = _old_person(first="Still", last="Shared")
    f.ShareFactory(person=shared)
    notified = _old_person(first="Notified", last="Lately")
    f.CustomNotificationFactory(person=notified, delivered_on=NOW.date() - dt.timedelta(days=400))
    new = f.PersonFactory(first_name="Newly", last_name="Recorded")
    assert list(retention.people_due_for_purge()) == [old]
    assert new not in retention.people_due_for_purge()


def test_the_dry_run_lists_and_changes_nothing(frozen):
    old = _old_person()
    out = StringIO()
    call_command("purge_people", "--dry-run", stdout=out)
    assert f"would purge person #{old.pk}" in out.getvalue()
    old.refresh_from_db()
    assert old.first_name == "Oldrick" and old.purged_at is None
    assert not AuditEvent.objects.filter(object_type="core.retentionrun").exists()


def test_a_purge_leaves_a_content_free_tombstone_and_the_counts_unchanged(frozen, users):
    old = _old_person(aliases="Q", neighbourhood="Fruitvale")
    other = f.PersonFactory(first_name="Kept", last_name="Person")
    f.TaskFactory(title="Call Oldrick Quiet's mother", created_at=NOW)
    review = f.MeetingFactory(date=LONG_AGO.date())
    incident = old.involvements.get().incident
    RiskDecision.objects.create(
        meeting=review,
        incident=incident,
        person=old,
        decision="confirmed",
        reason="victim of this shooting",
    )
    counts_before = victim_counts(LONG_AGO - dt.timedelta(days=1), NOW)
    report = retention.retention_run(dry_run=False, user=users["police_facilitator"])
    assert report.purged == [old.pk]
    old.refresh_from_db()
    assert str(old) == "Purged person" and old.purged_at is not None
    assert (old.aliases, old.neighbourhood, old.date_of_birth) == ("", "", None)
    assert not GroupAffiliation.objects.filter(person=old).exists()
    assert Involvement.objects.get(person=old).notes == ""
    assert RiskDesignation.objects.get(person=old).basis == "[purged]"
    assert RiskDecision.objects.get(person=old).reason == "[purged]"
    assert Task.objects.get().title == "Call [a purged person]'s mother"
    assert incident.__class__.objects.get(pk=incident.pk).narrative == "[a purged person] was shot"
    assert victim_counts(LONG_AGO - dt.timedelta(days=1), NOW) == counts_before
    other.refresh_from_db()
    assert other.first_name == "Kept"
    event = AuditEvent.objects.get(object_type="core.retentionrun")
    assert event.detail["purged"] == 1 and event.detail["people"] == [old.pk]


def test_a_second_run_purges_nothing_more(frozen, users):
    _old_person()
    assert len(retention.retention_run(dry_run=False).purged) == 1
    again = retention.retention_run(dry_run=False)
    assert again.purged == [] and again.lapsed == 0


def test_due_designations_lapse_the_day_after_their_review(frozen):
    due = f.DesignationFactory(
        designated_on=NOW.date() - dt.timedelta(days=100),
        review_due=NOW.date() - dt.timedelta(days=10),
    )
    current = f.DesignationFactory(designated_on=NOW.date() - dt.timedelta(days=10))
    retention_nightly()
    due.refresh_from_db()
    current.refresh_from_db()
    assert due.end_reason == "lapsed" and due.ended_on == due.review_due + dt.timedelta(days=1)
    assert current.ended_on is None


def test_a_stored_worksheet_snapshot_is_untouched(frozen, users):
    worksheet = f.WorksheetFactory(snapshot={"rows": [{"homicides": 16}]})
    _old_person()
    retention.retention_run(dry_run=False)
    worksheet.refresh_from_db()
    assert worksheet.snapshot == {"rows": [{"homicides": 16}]}


def test_the_police_lead_sees_the_dry_run_page(frozen, client_for, django_assert_max_num_queries):
    for n in range(3):
        _old_person(first=f"Old{n}", last="Quiet")
    client = client_for("police_facilitator")
    with django_assert_max_num_queries(20) as few:
        page = client.get(reverse("core:retention-preview"))
    assert b"To be purged: 3 people" in page.content or b"To be purged: 3 person" in page.content
    for n in range(3, 9):
        _old_person(first=f"Old{n}", last="Quiet")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("core:retention-preview"))
    assert b"Old8 Quiet" in page.content
    assert Person.objects.filter(purged_at__isnull=False).count() == 0


def test_groups_and_conflicts_not_revalidated_for_three_years_are_archived(frozen):
    stale = f.GroupFactory(validated_on=dt.date(2023, 6, 14))
    fresh = f.GroupFactory(validated_on=dt.date(2023, 6, 15))
    conflict = f.ConflictFactory(group_a=fresh, status="hot", validated_on=dt.date(2023, 1, 1))
    dry = retention.retention_run(dry_run=True)
    assert (dry.archived_groups, dry.archived_conflicts) == (1, 1)
    stale.refresh_from_db()
    assert stale.active and stale.archived_on is None
    report = retention.retention_run(dry_run=False)
    assert (report.archived_groups, report.archived_conflicts) == (1, 1)
    stale.refresh_from_db()
    fresh.refresh_from_db()
    conflict.refresh_from_db()
    assert not stale.active and stale.archived_on == NOW.date() and fresh.active
    assert conflict.status == "dormant" and conflict.archived_on == NOW.date()
    assert retention.retention_run(dry_run=False).archived_groups == 0
