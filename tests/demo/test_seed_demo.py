"""seed_demo: a deterministic, realistic demo city that passes model validation.

The first tests load small cities of their own (``--reset`` replaces whatever is there). The
rest share the package's seeded city (``conftest.seeded``).
"""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from django.core.management import CommandError
from django.db.models import Count, Q
from django.test import Client

from ceasefire.core import selectors
from ceasefire.core.models import (
    AuditEvent,
    Conflict,
    Group,
    Incident,
    Involvement,
    Meeting,
    PartnershipSettings,
    RiskDesignation,
    Role,
    Task,
    User,
)
from coordination.models import PartnershipHealthItem, PersonPlan
from demo.seed import COUNTED_MODELS
from reviews.models import ReviewIncident, RiskDecision

from .conftest import LAST_YEAR, PASSWORD, TODAY, seed


def fingerprint() -> dict:
    return {
        "case_numbers": list(
            Incident.objects.order_by("case_number").values_list("case_number", flat=True)
        ),
        "victims": list(
            Involvement.objects.filter(role="victim")
            .order_by("incident__case_number", "injury")
            .values_list("incident__case_number", "injury")
        ),
        "designations": list(
            # ties broken down to the level: PostgreSQL returns equal keys in any order
            RiskDesignation.objects.order_by(
                "designated_on", "person__last_name", "person__first_name", "level"
            ).values_list("designated_on", "level")
        ),
        "tasks": Task.objects.count(),
        "answers": list(
            ReviewIncident.objects.order_by("incident__case_number").values_list(
                "incident__case_number", "motive", "retaliation"
            )
        ),
        "risk_decisions": list(
            RiskDecision.objects.order_by(
                "incident__case_number", "person__last_name", "person__first_name", "decision"
            ).values_list("incident__case_number", "decision")
        ),
        "plans": list(PersonPlan.objects.order_by("meeting__date", "notes").values_list("notes")),
        "health": list(PartnershipHealthItem.objects.order_by("title").values_list("title")),
    }


# --- Small cities of their own ------------------------------------------------------------------

SMALL = ["--since", str(TODAY.year), "--scale", "0.2"]


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_city_another_seed_another_and_reset_keeps_audit():
    seed(*SMALL, "--seed", "3", "--reset")
    first = fingerprint()
    AuditEvent.objects.create(action=AuditEvent.Action.LOGIN, actor_label="someone")

    output = seed(*SMALL, "--seed", "3", "--reset")

    assert "Deleting existing demo data" in output
    assert fingerprint() == first
    assert first["case_numbers"] and first["answers"] and first["plans"]
    assert AuditEvent.objects.filter(actor_label="someone").count() == 1
    seed(*SMALL, "--seed", "4", "--reset")  # and another seed gives another city
    assert fingerprint()["victims"] != first["victims"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--scale", "0"], "--scale"),
        (["--scale", "500"], "--scale"),
        (["--since", "1990"], "--since"),
        (["--since", str(TODAY.year + 1)], "--since"),
        (["--password", "short"], "--password"),
    ],
)
def test_bad_options_are_refused_and_write_nothing(args, message):
    before = Incident.objects.count(), User.objects.count()

    with pytest.raises(CommandError, match=message):
        seed(*args)

    assert (Incident.objects.count(), User.objects.count()) == before


# --- The package's seeded city ------------------------------------------------------------------


def test_a_full_year_has_oakland_sized_victim_counts(city):
    counts = selectors.victim_counts(
        *selectors.day_window(dt.date(LAST_YEAR, 1, 1), dt.date(LAST_YEAR, 12, 31))
    )

    assert 70 <= counts["homicides"] <= 110
    assert 250 <= counts["nonfatal_injury_shootings"] <= 400
    assert 1000 <= counts["non_injury_shootings"] <= 2000


def test_no_incident_is_in_the_future_and_this_year_stops_before_today(city):
    assert not Incident.objects.filter(occurred_at__gte=selectors.local_midnight(TODAY)).exists()
    assert Incident.objects.filter(occurred_at__year=TODAY.year).exists()


def test_shootings_have_realistic_multi_victim_and_weapon_shares(city):
    year = Incident.objects.counted().filter(occurred_at__year=LAST_YEAR)
    injury = year.of_kind("nonfatal_shooting").annotate(
        victims=Count("involvements", filter=Q(involvements__role="victim"))
    )
    homicides = year.of_kind("homicide")
    multi_share = injury.filter(victims__gte=2).count() / injury.count()
    non_firearm_share = homicides.filter(weapon=Incident.Weapon.OTHER).count() / homicides.count()

    assert 0.07 <= multi_share <= 0.2
    assert 0.02 <= non_firearm_share <= 0.25
    assert 0.35 <= year.filter(group_involved="yes").count() / year.count() <= 0.65


def test_summer_has_more_shootings_than_winter_and_nights_more_than_mornings(city):
    local = selectors.local_tz()
    times = [
        t.astimezone(local)
        for t in Incident.objects.filter(occurred_at__year=LAST_YEAR).values_list(
            "occurred_at", flat=True
        )
    ]
    summer = sum(t.month in (6, 7, 8) for t in times)
    winter = sum(t.month in (1, 2, 12) for t in times)
    nights = sum(t.hour >= 20 or t.hour < 3 for t in times)
    mornings = sum(6 <= t.hour < 13 for t in times)

    assert summer > winter * 1.2
    assert nights > mornings * 2


def test_some_incidents_are_held_or_unfounded_with_a_reason(city):
    not_counted = Incident.objects.exclude(counting_status="counted")

    assert not_counted.exists()
    assert not not_counted.filter(counting_reason="").exists()
    assert not_counted.count() < Incident.objects.count() * 0.05


def test_victims_are_mostly_identified_and_some_are_not(city):
    victims = Involvement.objects.filter(role="victim").exclude(injury="none")
    unidentified = victims.filter(person__isnull=True).count()

    assert 0 < unidentified < victims.count() * 0.25
    assert Involvement.objects.filter(role="suspect").exists()


def test_about_fifty_groups_and_a_handful_of_live_conflicts(city):
    assert Group.objects.count() == 50
    assert 4 <= Conflict.objects.filter(status__in=["hot", "active"]).count() <= 7


def test_designations_have_renewal_chains_lapses_and_reviews_due(city):
    assert RiskDesignation.objects.active_on(TODAY).vhr().exists()
    assert RiskDesignation.objects.filter(end_reason="lapsed").exists()
    assert RiskDesignation.objects.filter(renewal_count__gte=2).exists()
    assert not RiskDesignation.objects.filter(renewal_count__gt=4).exists()
    for renewal in RiskDesignation.objects.filter(renews__isnull=False).select_related("renews")[
        :50
    ]:
        assert renewal.renews.end_reason == "renewed"
        assert renewal.renews.ended_on == renewal.designated_on
        assert renewal.renewal_count == renewal.renews.renewal_count + 1
        assert renewal.basis != renewal.renews.basis


def test_shooting_review_windows_are_contiguous_in_local_time(city):
    reviews = list(Meeting.objects.filter(kind=Meeting.Kind.SHOOTING_REVIEW).order_by("date"))

    assert len(reviews) > 52
    for previous, review in itertools.pairwise(reviews):
        assert review.window_start == previous.window_end
        assert review.window_end == selectors.local_midnight(review.date)


@pytest.mark.parametrize("kind", list(Meeting.Kind))
def test_past_meetings_are_closed_and_the_next_one_is_a_draft(city, kind):
    meetings = Meeting.objects.filter(kind=kind)
    drafts = list(meetings.filter(state=Meeting.State.DRAFT))

    assert len(drafts) == 1
    assert drafts[0].date >= TODAY
    assert selectors.meeting_next(kind, TODAY) == drafts[0]
    assert not meetings.filter(state=Meeting.State.CLOSED, date__gte=TODAY).exists()
    assert meetings.filter(state=Meeting.State.CLOSED).exists()


def test_coordination_meetings_mostly_align_on_risk_with_both_leads(city):
    closed = Meeting.objects.filter(kind=Meeting.Kind.COORDINATION, state=Meeting.State.CLOSED)
    settings = PartnershipSettings.load()
    both = closed.filter(attending_organisations=settings.police_lead).filter(
        attending_organisations=settings.human_services_lead
    )

    assert settings.police_lead.kind == "police"
    assert settings.human_services_lead.kind == "human_services"
    assert closed.filter(risk_alignment=True).count() > closed.count() * 0.7
    assert both.count() > closed.count() * 0.7


def test_old_tasks_are_mostly_done_and_some_open_tasks_are_overdue(city):
    old = Task.objects.filter(due_date__lt=TODAY - dt.timedelta(days=60))

    assert old.filter(status="done").count() > old.count() * 0.7
    assert Task.objects.filter(status__in=Task.OPEN_STATUSES, due_date__lt=TODAY).exists()
    assert Task.objects.filter(status__in=Task.OPEN_STATUSES, due_date__gte=TODAY).exists()
    assert not Task.objects.filter(status="done", completed_at__isnull=True).exists()


def test_one_user_per_role_signs_in_with_the_printed_password(city):
    assert f"password: {PASSWORD}" in city
    for role in Role:
        user = User.objects.get(role=role)
        assert user.username in city
        response = Client().post(
            "/accounts/login/", {"username": user.username, "password": PASSWORD}
        )
        assert response.status_code == 302, user.username


def test_every_demo_user_passes_the_second_step_with_the_printed_demo_secret(city):
    from demo.users import demo_code, demo_secret_base32

    assert demo_secret_base32() in city and "manage.py demo_code" in city
    for role in Role:
        user = User.objects.get(role=role)
        client = Client()
        client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
        assert client.get("/")["Location"].startswith("/accounts/verify/"), user.username
        response = client.post("/accounts/verify/", {"token": demo_code()})
        assert response["Location"] == "/", user.username
        assert client.get("/").status_code == 200, user.username


def test_demo_admin_manages_users_and_settings_but_not_people(city):
    admin = User.objects.get(username="admin")

    assert admin.is_staff and not admin.is_superuser
    assert admin.has_perm("core.change_user")
    assert admin.has_perm("core.change_partnershipsettings")
    assert not admin.has_perm("core.view_person")
    assert not admin.has_perm("core.view_incident")


def test_a_sample_of_every_model_passes_full_clean(city):
    for model in [*COUNTED_MODELS, Involvement]:
        rows = list(model.objects.order_by("pk")[:5]) + list(model.objects.order_by("-pk")[:5])
        assert rows, model
        for row in rows:
            row.full_clean()


def test_the_summary_reports_each_year_and_the_totals(city):
    assert str(LAST_YEAR) in city
    assert f"{TODAY.year}" in city and "(to date)" in city
    assert "total" in city
    assert "homicide victims" in city


def test_if_empty_does_nothing_when_incidents_exist(city):
    before = Incident.objects.count()

    output = seed("--if-empty")

    assert "already holds incidents" in output
    assert Incident.objects.count() == before


def test_loading_over_existing_data_without_reset_is_refused(city):
    before = Incident.objects.count()

    with pytest.raises(CommandError, match="--reset"):
        seed("--since", str(TODAY.year))
    assert Incident.objects.count() == before
