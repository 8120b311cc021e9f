"""Recording groups and conflicts (the police facilitator): rules, refusals that write nothing,
audit events, and optimistic locking on groups and conflicts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ceasefire.core.concurrency import ConcurrentEditError
from ceasefire.core.models import AuditEvent, Conflict, Group
from reviews import services
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(users):
    return users["police_facilitator"]


def test_the_facilitator_records_a_group_and_it_is_audited(lead):
    group = services.group_create(user=lead, name="  Acorn Boys ", area="Area 2", active=True)
    assert (group.name, group.area, group.active) == ("Acorn Boys", "Area 2", True)
    assert group.validated_on == timezone.localdate()
    event = AuditEvent.objects.get(action="create", object_type="core.group")
    assert event.object_id == str(group.pk) and event.actor == lead


def test_a_second_group_of_the_same_name_is_refused_and_nothing_is_written(lead):
    f.GroupFactory(name="Acorn Boys")
    with pytest.raises(ValidationError) as exc:
        services.group_create(user=lead, name="Acorn Boys")
    assert "name" in exc.value.message_dict
    assert Group.objects.count() == 1
    assert not AuditEvent.objects.filter(action="create").exists()


def test_editing_a_group_records_what_changed_but_not_its_intelligence(lead):
    group = f.GroupFactory(area="Area 3", description="old")
    services.group_update(
        group=group,
        user=lead,
        expected_version=1,
        changes={"area": "Area 4", "active": False, "description": "new"},
    )
    group.refresh_from_db()
    assert (group.area, group.active, group.description) == ("Area 4", False, "new")
    assert (group.version, group.updated_by) == (2, lead)
    detail = AuditEvent.objects.get(action="change", object_type="core.group").detail
    assert detail["changed"] == {
        "area": ["Area 3", "Area 4"],
        "active": [True, False],
        "description": "changed",
    }


def test_an_archived_group_is_not_edited(lead):
    group = f.GroupFactory(area="Area 3")
    Group.objects.filter(pk=group.pk).update(archived_on=dt.date(2026, 1, 1))
    with pytest.raises(ValidationError, match="archived"):
        services.group_update(
            group=group, user=lead, expected_version=1, changes={"area": "Area 9"}
        )
    group.refresh_from_db()
    assert group.area == "Area 3"


def test_a_stale_group_edit_is_refused_naming_who_saved_and_nothing_is_written(lead, users):
    group = f.GroupFactory(area="Area 3")
    other = users["police_viewer"]
    services.group_update(group=group, user=other, expected_version=1, changes={"area": "A4"})
    with pytest.raises(ConcurrentEditError, match="reload to see their changes") as exc:
        services.group_update(group=group, user=lead, expected_version=1, changes={"area": "A5"})
    assert exc.value.current.version == 2 and str(other) in exc.value.message
    group.refresh_from_db()
    assert (group.area, group.version) == ("A4", 2)
    assert AuditEvent.objects.filter(action="change", object_type="core.group").count() == 1
    with pytest.raises(ConcurrentEditError):  # stale even when it would change nothing
        services.group_update(group=group, user=lead, expected_version=1, changes={"area": "A4"})


def test_a_revalidation_bumps_the_groups_version(lead):
    group = f.GroupFactory()
    services.group_revalidate(group=group, user=lead)
    group.refresh_from_db()
    assert (group.version, group.updated_by) == (2, lead)
    with pytest.raises(ConcurrentEditError):
        services.group_update(group=group, user=lead, expected_version=1, changes={"area": "A9"})


def test_a_conflict_between_two_groups_or_within_one_is_recorded(lead):
    a, b = f.GroupFactory(), f.GroupFactory()
    between = services.conflict_create(user=lead, group_a=a, group_b=b, status="hot")
    within = services.conflict_create(user=lead, group_a=a, status="dormant")
    assert (between.status, within.group_b) == ("hot", None)
    assert AuditEvent.objects.filter(action="create", object_type="core.conflict").count() == 2


@pytest.mark.parametrize(
    "case, message",
    [
        ("same_group_twice", "two different groups"),
        ("already_recorded", "already recorded"),
        ("started_in_future", "future"),
        ("bad_status", "not a valid choice"),
    ],
)
def test_a_conflict_is_refused_with_a_clear_message_and_nothing_is_written(lead, case, message):
    a, b = f.GroupFactory(), f.GroupFactory()
    existing = f.ConflictFactory(group_a=b, group_b=a)
    kwargs = {"user": lead, "group_a": a, "group_b": b if case != "same_group_twice" else a}
    if case == "same_group_twice":
        kwargs["group_b"] = a
    elif case == "started_in_future":
        existing.delete()
        kwargs["started_on"] = timezone.localdate() + dt.timedelta(days=1)
    elif case == "bad_status":
        existing.delete()
        kwargs["status"] = "simmering"
    count = Conflict.objects.count()
    with pytest.raises(ValidationError, match=message):
        services.conflict_create(**kwargs)
    assert Conflict.objects.count() == count
    assert not AuditEvent.objects.filter(action="create").exists()


def test_changing_a_conflicts_status_bumps_its_version_and_is_audited(lead):
    conflict = f.ConflictFactory(status="hot")
    services.conflict_update(
        conflict=conflict, user=lead, expected_version=1, changes={"status": "dormant"}
    )
    conflict.refresh_from_db()
    assert (conflict.status, conflict.version, conflict.updated_by) == ("dormant", 2, lead)
    detail = AuditEvent.objects.get(action="change", object_type="core.conflict").detail
    assert detail == {"changed": {"status": ["hot", "dormant"]}}


def test_a_stale_status_change_is_refused_and_nothing_is_written(lead):
    conflict = f.ConflictFactory(status="hot")
    services.conflict_update(
        conflict=conflict, user=lead, expected_version=1, changes={"status": "active"}
    )
    with pytest.raises(ConcurrentEditError):
        services.conflict_update(
            conflict=conflict, user=lead, expected_version=1, changes={"status": "dormant"}
        )
    conflict.refresh_from_db()
    assert (conflict.status, conflict.version) == ("active", 2)


def test_only_a_conflicts_status_start_and_description_change(lead):
    conflict = f.ConflictFactory()
    with pytest.raises(ValidationError, match="cannot be changed here: group_a"):
        services.conflict_update(
            conflict=conflict, user=lead, expected_version=1, changes={"group_a": None}
        )
