"""Factories for every shared model (factory_boy). App tests add theirs at the bottom."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from ceasefire.core import models as m
from ceasefire.core.models.designations import hard_maximum


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = m.Organisation.Kind.HUMAN_SERVICES


class PoliceOrganisationFactory(OrganisationFactory):
    name = "Police Department"
    kind = m.Organisation.Kind.POLICE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    organisation = factory.SubFactory(OrganisationFactory)
    role = m.Role.PARTNER_STAFF
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Group

    name = factory.Sequence(lambda n: f"Group {n}")
    area = "Area 3"


class ConflictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Conflict

    group_a = factory.SubFactory(GroupFactory)
    group_b = factory.SubFactory(GroupFactory)
    status = m.Conflict.Status.HOT


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Person

    first_name = factory.Faker("first_name_male")
    last_name = factory.Faker("last_name")
    date_of_birth = factory.LazyFunction(lambda: dt.date(2000, 5, 17))
    gender = m.Person.Gender.MALE
    neighbourhood = "East Oakland"


class IncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Incident

    case_number = factory.Sequence(lambda n: f"17-{n:06d}")
    occurred_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=2))
    address = factory.Sequence(lambda n: f"{n} International Blvd")
    area = "3"
    beat = "26X"
    weapon = m.Incident.Weapon.FIREARM
    circumstance = m.Incident.Circumstance.UNKNOWN


class InvolvementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Involvement

    incident = factory.SubFactory(IncidentFactory)
    person = factory.SubFactory(PersonFactory)
    role = m.Involvement.Role.VICTIM
    injury = m.Involvement.Injury.NONFATAL


class VictimFactory(InvolvementFactory):
    pass


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.GroupAffiliation

    person = factory.SubFactory(PersonFactory)
    group = factory.SubFactory(GroupFactory)
    basis = "Seen with members at three incidents; self-identified in social media posts."
    since = dt.date(2016, 6, 1)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Meeting

    kind = m.Meeting.Kind.SHOOTING_REVIEW
    date = factory.LazyFunction(timezone.localdate)


class DesignationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.RiskDesignation

    person = factory.SubFactory(PersonFactory)
    level = m.RiskDesignation.Level.VHR
    basis = "Victim of two shootings in 60 days; brother killed in the Group 1 conflict."
    criteria = factory.LazyFunction(lambda: [m.RiskDesignation.Criterion.VICTIM_RECENT])
    status = m.RiskDesignation.Status.CONFIRMED
    designated_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    review_due = factory.LazyAttribute(lambda d: d.designated_on + dt.timedelta(days=90))
    expires_on = factory.LazyAttribute(lambda d: hard_maximum(d.designated_on))


class ShareFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.PartnershipShare

    person = factory.SubFactory(PersonFactory)
    risk_assessment = "At high risk of violence"
    recommended_interventions = ["custom_notification", "life_coach"]


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Task

    title = factory.Sequence(lambda n: f"Follow up {n}")
    kind = m.Task.Kind.OTHER
    assigned_organisation = factory.SubFactory(OrganisationFactory)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Enrolment

    person = factory.SubFactory(PersonFactory)
    provider = factory.SubFactory(OrganisationFactory)
    referral_source = m.Enrolment.ReferralSource.CUSTOM_NOTIFICATION
    started_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))


class CustomNotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.CustomNotification

    person = factory.SubFactory(PersonFactory)
    delivered_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=3))
    delivered_by = "Pastor Jones and Officer Lee"


class CallInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.CallIn

    held_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=14))
    location = "City Hall"


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Unit
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Unit {n}")
    kind = m.Unit.Kind.AREA
    organisation = factory.SubFactory(PoliceOrganisationFactory)


class EnforcementActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.EnforcementAction

    person = factory.SubFactory(PersonFactory)
    unit = factory.SubFactory(UnitFactory)
    taken_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=5))
    kind = m.EnforcementAction.Kind.ARREST_VIOLENT_GUN


class BenchmarkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Benchmark
        django_get_or_create = ("indicator", "year")

    indicator = m.Indicator.HOMICIDES
    year = 2017
    annual_target = 72


class WorksheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.Worksheet

    period_start = dt.date(2017, 2, 1)
    period_end = dt.date(2017, 3, 31)


# --- reviews factories ---


class ShootingReviewFactory(MeetingFactory):
    """A weekly shooting review, its one-week window ending at the start of its day (local)."""

    kind = m.Meeting.Kind.SHOOTING_REVIEW
    window_end = factory.LazyAttribute(
        lambda o: timezone.make_aware(dt.datetime.combine(o.date, dt.time.min))
    )
    window_start = factory.LazyAttribute(lambda o: o.window_end - dt.timedelta(days=7))


class ReviewIncidentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.ReviewIncident"

    meeting = factory.SubFactory(ShootingReviewFactory)
    incident = factory.SubFactory(IncidentFactory)


# --- coordination factories ---

from coordination import models as coordination_models  # noqa: E402


class CoordinationMeetingFactory(MeetingFactory):
    kind = m.Meeting.Kind.COORDINATION


class ClosedShootingReviewFactory(MeetingFactory):
    kind = m.Meeting.Kind.SHOOTING_REVIEW
    state = m.Meeting.State.CLOSED
    closed_at = factory.LazyFunction(timezone.now)


class PartnershipHealthItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = coordination_models.PartnershipHealthItem

    category = coordination_models.PartnershipHealthItem.Category.RESOURCE_NEEDS
    title = factory.Sequence(lambda n: f"Partnership item {n}")
    owner_organisation = factory.SubFactory(OrganisationFactory)
    raised_at = factory.SubFactory(CoordinationMeetingFactory)


class LongTermPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = coordination_models.LongTermPlan

    person = factory.SubFactory(PersonFactory)
    plan = "Life coach weekly; family meeting monthly; job programme referral."


# --- performance factories ---


class PerformanceReviewFactory(MeetingFactory):
    """A performance review meeting of February–March 2017 (the seed worksheet's period)."""

    kind = m.Meeting.Kind.PERFORMANCE_REVIEW
    date = dt.date(2017, 4, 12)
    period_start = dt.date(2017, 2, 1)
    period_end = dt.date(2017, 3, 31)


class UnitStaffingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.UnitStaffing

    unit = factory.SubFactory(UnitFactory)
    recorded_on = dt.date(2017, 3, 1)
    authorised = 8
    filled = 7


class EnforcementPlanStatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = m.EnforcementPlanStatus

    unit = factory.SubFactory(UnitFactory)
    recorded_on = dt.date(2017, 3, 1)
    up_to_date = True


class CommitmentFactory(TaskFactory):
    """A next-step commitment made at a performance review."""

    source_meeting = factory.SubFactory(PerformanceReviewFactory)
    due_date = dt.date(2017, 5, 31)
