"""Designations: a documented basis, the age rule, pending until a review, the clocks."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from ceasefire.core import services
from ceasefire.core.models import AuditEvent, Meeting, PartnershipSettings, RiskDesignation
from ceasefire.core.models.designations import hard_maximum
from tests import factories as f

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 6, 15)
NOON = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)


def _designate(user, person=None, **kwargs):
    kwargs.setdefault("criteria", ["victim_recent_shooting"])
    kwargs.setdefault("basis_incidents", [f.IncidentFactory()])
    return services.designation_create(
        person=person or f.PersonFactory(),
        level=kwargs.pop("level", "vhr"),
        basis=kwargs.pop("basis", "Shot twice this year; brother killed 3 March"),
        user=user,
        **kwargs,
    )


def _review(day=DAY) -> Meeting:
    return f.MeetingFactory(date=day)


def test_designation_in_a_review_is_confirmed_with_a_review_ninety_days_later(users):
    review = _review(timezone.localdate())
    designation = _designate(users["police_facilitator"], review=review)
    assert designation.status == "confirmed" and designation.confirmed_by is not None
    assert designation.review_due == designation.designated_on + dt.timedelta(days=90)
    assert designation.expires_on == hard_maximum(designation.designated_on)
    assert (
        AuditEvent.objects.filter(action="create", object_type="core.riskdesignation").count() == 1
    )


def test_designation_without_a_basis_is_refused_and_writes_nothing(users):
    with pytest.raises(ValidationError):
        _designate(users["police_facilitator"], basis="  ")
    assert not RiskDesignation.objects.exists()


def test_free_text_alone_is_refused(users):
    with pytest.raises(ValidationError) as refused:
        _designate(users["police_facilitator"], criteria=[], basis_incidents=[])
    assert set(refused.value.message_dict) == {"criteria", "basis_incidents"}
    assert not RiskDesignation.objects.exists()


def test_criteria_come_from_the_fixed_list_only(users):
    with pytest.raises(ValidationError, match="from the list"):
        _designate(users["police_facilitator"], criteria=["looks like a gang member"])
    assert not RiskDesignation.objects.exists()


@time_machine.travel(NOON, tick=False)
@pytest.mark.parametrize(
    ("born", "allowed"),
    [
        (dt.date(2013, 6, 16), False),  # 12 years 364 days on the day
        (dt.date(2013, 6, 15), True),  # the 13th birthday
        (dt.date(2013, 6, 14), True),
    ],
)
def test_nobody_younger_than_thirteen_on_the_day(users, born, allowed):
    person = f.PersonFactory(date_of_birth=born)
    if allowed:
        designation = _designate(users["police_facilitator"], person=person, designated_on=DAY)
        assert designation.person.is_juvenile
    else:
        with pytest.raises(ValidationError, match="younger than 13"):
            _designate(users["police_facilitator"], person=person, designated_on=DAY)
        assert not RiskDesignation.objects.exists()


@time_machine.travel(NOON, tick=False)
def test_the_age_rule_uses_the_age_estimate_when_there_is_no_date_of_birth(users):
    twelve = f.PersonFactory(date_of_birth=None, age_estimate=12)
    with pytest.raises(ValidationError, match="younger than 13"):
        _designate(users["police_facilitator"], person=twelve)
    unknown = f.PersonFactory(date_of_birth=None, age_estimate=None)
    with pytest.raises(ValidationError, match="date of birth or an age estimate"):
        _designate(users["police_facilitator"], person=unknown)
    assert f.PersonFactory(date_of_birth=None, age_estimate=16).is_juvenile
    assert not f.PersonFactory(date_of_birth=None, age_estimate=18).is_juvenile


@time_machine.travel(NOON, tick=False)
def test_juvenile_means_thirteen_to_seventeen_on_the_day():
    assert not f.PersonFactory(date_of_birth=dt.date(2013, 6, 16)).is_juvenile  # 12
    assert f.PersonFactory(date_of_birth=dt.date(2013, 6, 15)).is_juvenile  # 13 today
    assert f.PersonFactory(date_of_birth=dt.date(2008, 6, 16)).is_juvenile  # 17, 364 days
    assert not f.PersonFactory(date_of_birth=dt.date(2008, 6, 15)).is_juvenile  # 18 today


def test_a_designation_made_outside_a_review_is_pending_and_never_in_force(users):
    pending = _designate(users["police_facilitator"])
    assert pending.status == "pending"
    assert not RiskDesignation.objects.active_on(timezone.localdate()).exists()
    assert pending.status_on(timezone.localdate()) == "pending"


def test_a_pending_designation_does_not_end_the_confirmed_one(users):
    confirmed = f.DesignationFactory()
    _designate(users["police_facilitator"], person=confirmed.person)
    confirmed.refresh_from_db()
    assert confirmed.ended_on is None
    assert list(RiskDesignation.objects.active_on(timezone.localdate())) == [confirmed]


def test_confirming_at_the_next_review_starts_the_clocks_that_day_and_renews_the_old_one(users):
    confirmed = f.DesignationFactory(designated_on=timezone.localdate() - dt.timedelta(days=30))
    pending = _designate(
        users["police_facilitator"],
        person=confirmed.person,
        designated_on=timezone.localdate() - dt.timedelta(days=2),
    )
    review = _review(timezone.localdate())
    services.designation_confirm(
        designation=pending, review=review, user=users["police_facilitator"]
    )
    confirmed.refresh_from_db()
    assert confirmed.end_reason == "renewed" and pending.renews == confirmed
    assert pending.review_due == review.date + dt.timedelta(days=90)
    with pytest.raises(ValidationError, match="Only a pending"):
        services.designation_confirm(
            designation=pending, review=review, user=users["police_facilitator"]
        )


def test_the_review_clock_is_ninety_days_and_a_frozen_clock_sees_it_fall_due(users):
    with time_machine.travel(NOON, tick=False):
        designation = _designate(users["police_facilitator"], review=_review())
        assert designation.review_due == DAY + dt.timedelta(days=90)
    with time_machine.travel(NOON + dt.timedelta(days=90), tick=False):
        today = timezone.localdate()
        assert designation.status_on(today) == "active"
        assert RiskDesignation.objects.active_on(today).exists()
    with time_machine.travel(NOON + dt.timedelta(days=91), tick=False):
        today = timezone.localdate()
        assert designation.status_on(today) == "lapsed"
        assert not RiskDesignation.objects.active_on(today).exists()


def test_the_hard_maximum_caps_the_review_date_whatever_the_interval(users):
    row = PartnershipSettings.load()
    row.designation_review_days = 3000
    row.save()
    with time_machine.travel(NOON, tick=False):
        designation = _designate(users["police_facilitator"], review=_review())
    assert designation.expires_on == dt.date(2031, 6, 15)
    assert designation.review_due == designation.expires_on


def test_the_hard_maximum_of_a_leap_day():
    assert hard_maximum(dt.date(2028, 2, 29)) == dt.date(2033, 2, 28)


def test_editing_a_person_never_resets_a_clock(users):
    designation = f.DesignationFactory(designated_on=timezone.localdate() - dt.timedelta(days=80))
    due, expires = designation.review_due, designation.expires_on
    person = designation.person
    person.first_name, person.neighbourhood, person.age_estimate = "Renamed", "Elsewhere", 30
    person.save()
    designation.refresh_from_db()
    assert (designation.review_due, designation.expires_on) == (due, expires)


def test_the_clocks_are_not_editable_fields():
    fields = {f.name: f for f in RiskDesignation._meta.get_fields() if hasattr(f, "editable")}
    assert not fields["review_due"].editable and not fields["expires_on"].editable
    assert not fields["status"].editable
