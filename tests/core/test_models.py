"""Model rules and database constraints of the shared data model."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ceasefire.core.models import (
    Incident,
    IncidentKind,
    Involvement,
    Person,
    RiskDesignation,
    Task,
    UnitStaffing,
    derive_kind,
)
from ceasefire.core.selectors import day_window, victim_counts
from tests import factories as f

FATAL, NONFATAL, NONE = (
    Involvement.Injury.FATAL,
    Involvement.Injury.NONFATAL,
    Involvement.Injury.NONE,
)


@pytest.mark.parametrize(
    ("weapon", "injuries", "kind"),
    [
        ("firearm", {FATAL, NONFATAL}, IncidentKind.HOMICIDE),
        ("other", {FATAL}, IncidentKind.HOMICIDE),
        ("firearm", {NONFATAL}, IncidentKind.NONFATAL_SHOOTING),
        ("firearm", {NONE}, IncidentKind.NON_INJURY_SHOOTING),
        ("firearm", set(), IncidentKind.NON_INJURY_SHOOTING),
        ("other", {NONFATAL}, IncidentKind.OTHER),
    ],
)
def test_kind_is_derived_from_victims(weapon, injuries, kind):
    assert derive_kind(weapon, injuries) == kind


@pytest.mark.django_db
def test_kind_annotation_in_sql_agrees_with_the_python_rule():
    homicide = f.IncidentFactory(weapon="other")
    f.VictimFactory(incident=homicide, injury=FATAL)
    wounded = f.IncidentFactory()
    f.VictimFactory(incident=wounded, injury=NONFATAL)
    f.VictimFactory(incident=wounded, injury=NONFATAL, person=None)
    missed = f.IncidentFactory()
    annotated = {i.pk: i.kind_code for i in Incident.objects.with_kind()}
    assert annotated == {
        homicide.pk: IncidentKind.HOMICIDE,
        wounded.pk: IncidentKind.NONFATAL_SHOOTING,
        missed.pk: IncidentKind.NON_INJURY_SHOOTING,
    }
    for incident in Incident.objects.all():
        assert incident.kind == annotated[incident.pk]


@pytest.mark.django_db
def test_counts_are_per_victim_and_include_unidentified_victims():
    start, end = day_window(dt.date(2017, 2, 1), dt.date(2017, 3, 31))
    when = start + dt.timedelta(days=3)
    double = f.IncidentFactory(occurred_at=when)
    f.VictimFactory(incident=double, injury=FATAL)
    f.VictimFactory(incident=double, injury=FATAL, person=None)  # not yet identified: still counted
    f.VictimFactory(incident=double, injury=NONFATAL, person=None)
    knife = f.IncidentFactory(occurred_at=when, weapon="other")
    f.VictimFactory(incident=knife, injury=FATAL)
    f.VictimFactory(incident=knife, injury=NONFATAL)  # a stabbing wound is not a shooting
    f.IncidentFactory(occurred_at=when)  # nobody hit
    held = f.IncidentFactory(
        occurred_at=when, counting_status="held", counting_reason="Possible self-inflicted"
    )
    f.VictimFactory(incident=held, injury=FATAL)

    assert victim_counts(start, end) == {
        "homicides": 3,
        "nonfatal_injury_shootings": 1,
        "non_injury_shootings": 1,
    }
    assert victim_counts(start, end, counted_only=False)["homicides"] == 4


@pytest.mark.django_db
def test_window_edges_are_local_time():
    start, end = day_window(dt.date(2017, 1, 1), dt.date(2017, 1, 31))
    tz = timezone.get_current_timezone()
    f.VictimFactory(
        incident=f.IncidentFactory(occurred_at=dt.datetime(2016, 12, 31, 23, 30, tzinfo=tz)),
        injury=FATAL,
    )
    f.VictimFactory(
        incident=f.IncidentFactory(occurred_at=dt.datetime(2017, 1, 1, 0, 10, tzinfo=tz)),
        injury=FATAL,
    )
    assert victim_counts(start, end)["homicides"] == 1
    assert start.utcoffset() == dt.timedelta(hours=-8)


@pytest.mark.django_db
def test_case_number_is_unique():
    f.IncidentFactory(case_number="17-000123")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.IncidentFactory(case_number="17-000123")


@pytest.mark.django_db
def test_incident_in_the_future_is_refused():
    incident = f.IncidentFactory.build(occurred_at=timezone.now() + dt.timedelta(hours=2))
    with pytest.raises(ValidationError) as error:
        incident.full_clean()
    assert "occurred_at" in error.value.message_dict


@pytest.mark.django_db
def test_held_or_unfounded_incident_needs_a_reason_in_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        f.IncidentFactory(counting_status=Incident.CountingStatus.UNFOUNDED, counting_reason="")


@pytest.mark.django_db
def test_invalid_status_values_are_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        f.TaskFactory(status="finished")
    with pytest.raises(IntegrityError), transaction.atomic():
        f.IncidentFactory(weapon="knife")


@pytest.mark.django_db
def test_only_victims_carry_an_injury_and_only_victims_may_be_unidentified():
    incident = f.IncidentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Involvement.objects.create(
            incident=incident, person=f.PersonFactory(), role="suspect", injury="fatal"
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Involvement.objects.create(incident=incident, person=None, role="suspect")
    with pytest.raises(IntegrityError), transaction.atomic():
        Involvement.objects.create(incident=incident, person=None, role="victim", injury="")


@pytest.mark.django_db
def test_a_designation_needs_a_basis():
    with pytest.raises(IntegrityError), transaction.atomic():
        f.DesignationFactory(basis="")
    with pytest.raises(ValidationError):
        f.DesignationFactory.build(person=f.PersonFactory(), basis="   ").full_clean()


@pytest.mark.django_db
def test_a_task_has_at_most_one_subject():
    with pytest.raises(IntegrityError), transaction.atomic():
        f.TaskFactory(subject_person=f.PersonFactory(), subject_group=f.GroupFactory())


@pytest.mark.django_db
def test_staffing_cannot_exceed_authorised_posts():
    unit = f.UnitFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitStaffing.objects.create(
            unit=unit, recorded_on=dt.date(2017, 3, 1), authorised=8, filled=9
        )


@pytest.mark.django_db
def test_date_of_birth_must_make_sense():
    for dob in (timezone.localdate() + dt.timedelta(days=1), dt.date(1890, 1, 1)):
        with pytest.raises(ValidationError) as error:
            f.PersonFactory.build(date_of_birth=dob).full_clean()
        assert "date_of_birth" in error.value.message_dict


@pytest.mark.django_db
def test_designation_is_active_until_its_review_date_then_lapses():
    today = timezone.localdate()
    designation = f.DesignationFactory(
        designated_on=today - dt.timedelta(days=95), review_due=today - dt.timedelta(days=5)
    )
    assert designation.status_on(today - dt.timedelta(days=10)) == "active"
    assert designation.status_on(today) == "lapsed"
    assert not RiskDesignation.objects.active_on(today).exists()
    assert RiskDesignation.objects.active_on(today - dt.timedelta(days=10)).get() == designation


@pytest.mark.django_db
def test_open_task_statuses():
    assert f.TaskFactory(status=Task.Status.BLOCKED).is_open
    assert not f.TaskFactory(status=Task.Status.DONE).is_open


def test_person_age_prefers_date_of_birth():
    today = timezone.localdate()
    person = Person(date_of_birth=today.replace(year=today.year - 20), age_estimate=35)
    assert person.age == 20
    assert Person(age_estimate=35).age == 35


def _counts(incident: Incident) -> tuple[int, int]:
    incident.refresh_from_db(fields=["fatal_victims", "nonfatal_victims"])
    return incident.fatal_victims, incident.nonfatal_victims


@pytest.mark.django_db
def test_the_database_keeps_each_incidents_killed_and_wounded_counts():
    incident, other = f.IncidentFactory(), f.IncidentFactory()
    killed = f.InvolvementFactory(incident=incident, role="victim", injury="fatal")
    wounded = f.InvolvementFactory(incident=incident, role="victim", injury="nonfatal", person=None)
    f.InvolvementFactory(incident=incident, role="victim", injury="none")
    f.InvolvementFactory(incident=incident, role="suspect", injury="")
    assert _counts(incident) == (1, 1)
    wounded.injury = "fatal"  # died of the wounds
    wounded.save()
    assert _counts(incident) == (2, 0)
    killed.incident = other  # recorded on the wrong incident
    killed.save()
    assert (_counts(incident), _counts(other)) == ((1, 0), (1, 0))
    Involvement.objects.filter(incident=incident).delete()
    assert _counts(incident) == (0, 0)
    Involvement.objects.filter(incident=other).update(injury="nonfatal")  # a bulk update, no save()
    assert _counts(other) == (0, 1)


@pytest.mark.django_db
def test_saving_an_incident_loaded_before_its_victims_keeps_the_counts():
    incident = f.IncidentFactory()
    stale = Incident.objects.get(pk=incident.pk)
    f.InvolvementFactory(incident=incident, role="victim", injury="fatal")
    stale.address = "1200 International Blvd"
    stale.save()
    assert _counts(incident) == (1, 0)
    copy = Incident.objects.get(pk=incident.pk)
    copy.pk, copy.case_number = None, "COPY-1"
    copy._state.adding = True
    copy.save()
    assert _counts(copy) == (0, 0)  # a new incident has no victims yet


def test_a_task_update_reads_its_new_status_in_words():
    from ceasefire.core.models import TaskUpdate

    assert TaskUpdate(status_to="in_progress").status_to_label == "In progress"
    assert TaskUpdate(status_to="").status_to_label == ""
