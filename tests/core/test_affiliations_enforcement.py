"""A person's group affiliations and enforcement actions (the police facilitator): rules,
refusals that write nothing, audit events, and optimistic locking on correcting an action."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ceasefire.core import record_services as services
from ceasefire.core.concurrency import ConcurrentEditError
from ceasefire.core.models import AuditEvent, EnforcementAction, GroupAffiliation
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(users):
    return users["police_facilitator"]


def test_an_affiliation_is_added_with_its_basis_and_date_and_ended(lead):
    person, group = f.PersonFactory(), f.GroupFactory()
    since = timezone.localdate() - dt.timedelta(days=30)
    affiliation = services.affiliation_add(
        person=person, group=group, user=lead, basis=" Self-identified. ", since=since
    )
    assert (affiliation.basis, affiliation.active, affiliation.recorded_by) == (
        "Self-identified.",
        True,
        lead,
    )
    services.affiliation_end(affiliation=affiliation, user=lead)
    affiliation.refresh_from_db()
    assert affiliation.active is False
    events = AuditEvent.objects.filter(object_type="core.groupaffiliation").order_by("seq")
    assert [e.action for e in events] == ["create", "change"]
    assert events[0].object_label == f"{{person:{person.pk}}} — {group}"
    assert "basis" not in events[0].detail


@pytest.mark.parametrize(
    "case, message",
    [
        ("no_basis", "basis"),
        ("future", "future"),
        ("before_birth", "before the person was born"),
        ("already_member", "already recorded as a member"),
        ("archived_group", "archived"),
    ],
)
def test_an_affiliation_is_refused_with_a_clear_message_and_nothing_is_written(lead, case, message):
    person, group = f.PersonFactory(date_of_birth=dt.date(2000, 5, 17)), f.GroupFactory()
    kwargs = {"person": person, "group": group, "user": lead, "basis": "Seen with members."}
    kwargs["since"] = dt.date(2020, 1, 1)
    if case == "no_basis":
        kwargs["basis"] = "   "
    elif case == "future":
        kwargs["since"] = timezone.localdate() + dt.timedelta(days=1)
    elif case == "before_birth":
        kwargs["since"] = dt.date(1999, 1, 1)
    elif case == "already_member":
        f.AffiliationFactory(person=person, group=group)
    elif case == "archived_group":
        type(group).objects.filter(pk=group.pk).update(archived_on=dt.date(2025, 1, 1))
        group.refresh_from_db()
    count = GroupAffiliation.objects.count()
    with pytest.raises(ValidationError, match=message):
        services.affiliation_add(**kwargs)
    assert GroupAffiliation.objects.count() == count
    assert not AuditEvent.objects.filter(object_type="core.groupaffiliation").exists()


def test_an_ended_affiliation_cannot_end_again(lead):
    affiliation = f.AffiliationFactory(active=False)
    with pytest.raises(ValidationError, match="already ended"):
        services.affiliation_end(affiliation=affiliation, user=lead)
    assert not AuditEvent.objects.filter(object_type="core.groupaffiliation").exists()


def test_an_enforcement_action_is_recorded_against_a_person_or_a_group_and_corrected(lead):
    person, group = f.PersonFactory(), f.GroupFactory()
    day = timezone.localdate() - dt.timedelta(days=3)
    action = services.enforcement_action_record(
        user=lead, person=person, taken_on=day, kind="arrest_violent_gun"
    )
    on_group = services.enforcement_action_record(
        user=lead, group=group, taken_on=day, kind="warrant"
    )
    assert (action.recorded_by, on_group.person) == (lead, None)
    services.enforcement_action_correct(
        action=action,
        user=lead,
        expected_version=1,
        changes={"kind": "arrest_other", "group": group},
    )
    action.refresh_from_db()
    assert (action.kind, action.group) == ("arrest_other", group)
    assert (action.version, action.updated_by) == (2, lead)
    events = AuditEvent.objects.filter(object_type="core.enforcementaction").order_by("seq")
    assert [e.action for e in events] == ["create", "create", "change"]
    assert events[2].detail == {
        "changed": {"kind": ["arrest_violent_gun", "arrest_other"], "group": [None, group.pk]}
    }


@pytest.mark.parametrize(
    "case, message",
    [("no_subject", "a person, a group"), ("future", "future"), ("bad_kind", "valid choice")],
)
def test_an_enforcement_action_is_refused_with_a_clear_message_and_nothing_is_written(
    lead, case, message
):
    kwargs = {"user": lead, "person": f.PersonFactory(), "kind": "arrest_other"}
    kwargs["taken_on"] = timezone.localdate()
    if case == "no_subject":
        kwargs["person"] = None
    elif case == "future":
        kwargs["taken_on"] = timezone.localdate() + dt.timedelta(days=1)
    else:
        kwargs["kind"] = "parking_ticket"
    with pytest.raises(ValidationError, match=message):
        services.enforcement_action_record(**kwargs)
    assert not EnforcementAction.objects.exists()
    assert not AuditEvent.objects.filter(object_type="core.enforcementaction").exists()


def test_a_correction_that_leaves_no_subject_is_refused(lead):
    action = f.EnforcementActionFactory()
    with pytest.raises(ValidationError, match="a person, a group"):
        services.enforcement_action_correct(
            action=action, user=lead, expected_version=1, changes={"person": None}
        )
    action.refresh_from_db()
    assert (action.person_id is not None, action.version) == (True, 1)


def test_a_stale_correction_is_refused_naming_who_corrected_it_and_nothing_is_written(lead, users):
    action = f.EnforcementActionFactory(kind="warrant")
    other = users["police_viewer"]
    services.enforcement_action_correct(
        action=action, user=other, expected_version=1, changes={"kind": "arrest_other"}
    )
    with pytest.raises(ConcurrentEditError, match="reload to see their changes") as exc:
        services.enforcement_action_correct(
            action=action, user=lead, expected_version=1, changes={"kind": "supervision"}
        )
    assert exc.value.current.version == 2 and str(other) in exc.value.message
    action.refresh_from_db()
    assert (action.kind, action.version) == ("arrest_other", 2)
    events = AuditEvent.objects.filter(object_type="core.enforcementaction", action="change")
    assert events.count() == 1


def test_a_stale_correction_that_changes_nothing_is_refused_too(lead):
    action = f.EnforcementActionFactory(kind="warrant")
    services.enforcement_action_correct(
        action=action, user=lead, expected_version=1, changes={"kind": "arrest_other"}
    )
    with pytest.raises(ConcurrentEditError):
        services.enforcement_action_correct(
            action=action, user=lead, expected_version=1, changes={"kind": "arrest_other"}
        )
