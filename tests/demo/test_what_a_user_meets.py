"""The demo city shows every feature as a user meets it on first start (the package's seeded
city): past reviews with their shootings, answers and decisions, closed through the reviews app;
the open review's shootings with people at imminent risk suggested; coordination meetings with
plans and partnership health; performance reviews with commitments and stored worksheets."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.storage import default_storage
from django.db.models import Count, Prefetch
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ceasefire.core import selectors as core_selectors
from ceasefire.core.models import (
    AgendaItem,
    Involvement,
    Meeting,
    PartnershipShare,
    Person,
    RiskDesignation,
    Task,
    User,
    Worksheet,
)
from coordination import selectors as coordination_selectors
from coordination.models import LongTermPlan, PartnershipHealthItem, PersonPlan
from demo.archive import SERVICE_CLOSE_DAYS
from reviews import selectors as review_selectors
from reviews.models import (
    DesignationDecision,
    FollowUpChoice,
    ReviewIncident,
    ReviewSummary,
    RiskDecision,
)
from reviews.services.review import _facts

from .conftest import TODAY

pytestmark = pytest.mark.usefixtures("city")
CLOSED = Meeting.State.CLOSED
REVIEW, COORDINATION, PERFORMANCE = Meeting.Kind.values


def closed(kind: str):
    return Meeting.objects.filter(kind=kind, state=CLOSED).order_by("date")


def open_review() -> Meeting:
    return Meeting.objects.filter(kind=REVIEW).exclude(state=CLOSED).get()


# --- Shooting reviews ----------------------------------------------------------------------------


def test_every_review_lists_the_shootings_of_its_window():
    for review in Meeting.objects.filter(kind=REVIEW):
        listed = set(review.review_incidents.values_list("incident_id", flat=True))
        in_window = review_selectors.incidents_in_review_window(review)
        assert listed == set(in_window.values_list("pk", flat=True)), review


def test_past_reviews_were_closed_by_the_reviews_app_with_their_facts_frozen():
    entries = ReviewIncident.objects.filter(meeting__state=CLOSED)

    assert entries.exists()
    assert not entries.filter(facts_at_close={}).exists()
    entry = entries.select_related("incident").last()
    assert entry.facts_at_close["case_number"] == entry.incident.case_number
    recent = closed(REVIEW).filter(date__gte=TODAY - dt.timedelta(days=60))
    assert all(r.review_summary.deliverables_at_close for r in recent)


def test_archived_reviews_froze_the_facts_the_reviews_app_freezes():
    """``demo.archive`` builds the facts of the reviews closed in bulk from plain values; they
    are what ``review_close`` would have frozen (nothing in them changes after the close)."""
    horizon = TODAY - dt.timedelta(days=SERVICE_CLOSE_DAYS)
    entries = (
        ReviewIncident.objects.filter(meeting__state=CLOSED, meeting__date__lt=horizon)
        .select_related("incident__conflict__group_a", "incident__conflict__group_b")
        .prefetch_related(
            Prefetch(
                "incident__involvements",
                queryset=Involvement.objects.select_related("person").order_by("id"),
            ),
            "incident__groups",
        )
    )

    assert len(entries) > 100
    assert any(e.facts_at_close["victims"] for e in entries)
    assert any(e.facts_at_close["conflict"] for e in entries)
    assert any(e.facts_at_close["groups"] for e in entries)
    for entry in entries:
        assert entry.facts_at_close == _facts(entry.incident), entry.incident.case_number


def test_closed_meetings_are_stamped_on_their_own_afternoon():
    for meeting in Meeting.objects.filter(state=CLOSED):
        assert timezone.localtime(meeting.closed_at).date() == meeting.date, meeting


def test_every_shooting_review_has_its_risk_assessment_row():
    reviews = Meeting.objects.filter(kind=REVIEW)

    assert ReviewSummary.objects.filter(meeting__in=reviews).count() == reviews.count()
    past = ReviewSummary.objects.filter(meeting__state=CLOSED)
    assert not past.filter(hottest_conflicts="").exists()
    assert not past.filter(enforcement_priorities="").exists()


def test_past_reviews_have_answers_decisions_and_minutes():
    answered = ReviewIncident.objects.filter(meeting__state=CLOSED).exclude(motive="")

    assert answered.exclude(retaliation=ReviewIncident.Retaliation.UNKNOWN).exists()
    assert answered.exclude(risk_notes="").exists()
    decisions = set(RiskDecision.objects.values_list("decision", flat=True))
    assert decisions == set(RiskDecision.Decision.values)
    actions = set(DesignationDecision.objects.values_list("action", flat=True))
    # confirming or rejecting a pending designation is what the open review is asked to do
    assert actions == {"designate", "renew", "lapse"}
    assert not closed(REVIEW).filter(minutes="").exists()


def test_designation_decisions_match_the_designation_chains():
    for decision in DesignationDecision.objects.select_related("meeting", "designation")[:300]:
        designation, review = decision.designation, decision.meeting
        if decision.action == DesignationDecision.Action.LAPSE:
            assert designation.end_reason == "lapsed"
            assert designation.ended_on == review.date
        else:
            assert designation.basis_meeting_id == review.pk
            assert designation.designated_on == review.date
            assert (designation.renewal_count > 0) == (decision.action == "renew")


def test_people_chosen_for_follow_up_are_the_people_the_review_shared():
    choices = set(FollowUpChoice.objects.values_list("meeting_id", "person_id"))
    shares = set(PartnershipShare.objects.values_list("source_meeting_id", "person_id"))

    assert choices
    assert choices == shares
    assert not PartnershipShare.objects.exclude(source_meeting__kind=REVIEW).exists()


def test_the_open_review_suggests_a_handful_of_people_on_several_shootings():
    review = open_review()
    entries = review_selectors.review_incidents(review)
    suggestions = review_selectors.suggestions_for_review(entries, review)
    suggested = [ranked for ranked in suggestions.values() if ranked.all]

    assert review.date >= TODAY
    assert len(entries) >= 10
    assert len(suggested) >= 2
    assert all(len(ranked.shown) <= 8 for ranked in suggested)
    everyone = [s for ranked in suggested for s in ranked.all]
    assert all(s.reasons and s.score == sum(r.points for r in s.reasons) for s in everyone)
    assert len({r.code for s in everyone for r in s.reasons}) >= 3  # several kinds of reason
    assert not any("member of" in r.text for s in everyone for r in s.reasons)
    assert not RiskDecision.objects.filter(meeting=review).exists()


def test_the_open_review_asks_to_confirm_designations_made_since_the_last_review():
    review = open_review()
    agenda = review_selectors.review_agenda(review, tasks=Task.objects.none())
    assert len(agenda["pending"]) >= 1
    for designation in agenda["pending"]:
        assert designation.status == RiskDesignation.Status.PENDING
        assert designation.criteria and designation.basis_incidents.exists()
    client = _facilitator()
    text = client.get(reverse("reviews:review-detail", args=[review.pk])).content.decode()
    assert "Pending designations" in text
    details = [
        client.get(reverse("reviews:review-shooting", args=[review.pk, e.pk])).content.decode()
        for e in review.review_incidents.all()
    ]
    assert any("score " in d and "(+5)" in d for d in details)


def test_every_demo_designation_has_criteria_and_nobody_was_designated_under_13():
    designations = RiskDesignation.objects.select_related("person")
    assert not designations.filter(criteria=[]).exists()
    assert not designations.filter(expires_on__isnull=True).exists()
    for d in designations.iterator():
        age = d.person.age_on(d.designated_on)
        assert age is None or age >= 13, d


def test_the_police_lead_meets_a_purge_dry_run_with_people_from_the_early_years(settings):
    from ceasefire.core import retention

    # the tests' city starts last year; `make run`'s starts in 2014, five years is enough there
    settings.RETENTION_YEARS = 1
    due = retention.people_due_for_purge()
    assert due.exists()
    page = _facilitator().get(reverse("core:retention-preview"))
    assert page.status_code == 200 and b"To be purged:" in page.content
    assert not Person.objects.filter(purged_at__isnull=False).exists()  # a dry run only


def test_the_police_lead_meets_an_overdue_request_and_an_answered_one():
    from ceasefire.core import rights
    from ceasefire.core.models import RightsRequest

    overdue = list(rights.requests_overdue())
    assert overdue
    assert RightsRequest.objects.filter(responded_on__isnull=False).exclude(withheld_reason="")
    page = _facilitator().get(reverse("core:requests-overdue"))
    assert str(overdue[0].person).encode() in page.content
    person = _facilitator().get(reverse("core:person-detail", args=[overdue[0].person_id]))
    assert b"Notices given" in person.content and b"overdue" in person.content


def _facilitator() -> Client:
    client = Client()
    client.force_login(User.objects.filter(role="police_facilitator").first())
    return client


# --- Coordination meetings -----------------------------------------------------------------------


def test_coordination_meetings_were_closed_by_their_app_with_the_agenda_frozen():
    meetings = closed(COORDINATION)

    assert meetings.exists()
    assert all(coordination_selectors.agenda_frozen(m) for m in meetings)
    frozen = AgendaItem.objects.filter(meeting__in=meetings, section="risk_picture")
    assert frozen.values("meeting").distinct().count() > meetings.count() * 0.9


def test_coordination_meetings_have_plans_for_the_people_on_their_agenda():
    plans = PersonPlan.objects.filter(meeting__state=CLOSED)
    on_agenda = set(
        AgendaItem.objects.filter(section="risk_picture").values_list("meeting_id", "person_id")
    )
    planned = set(plans.values_list("meeting_id", "person_id"))

    assert plans.values("meeting").distinct().count() > closed(COORDINATION).count() * 0.8
    assert not plans.filter(notes="").exists()
    assert len(planned & on_agenda) >= 0.95 * len(planned)
    followups = Task.objects.filter(source_meeting__kind=COORDINATION, subject_person__isnull=False)
    assert set(followups.values_list("source_meeting_id", "subject_person_id")) <= planned


def test_partnership_health_items_are_carried_forward_until_closed():
    items = PartnershipHealthItem.objects.select_related("raised_at", "closed_at")
    upcoming = Meeting.objects.filter(kind=COORDINATION).exclude(state=CLOSED).get()

    closed_items = [i for i in items if i.closed_at_id]
    assert closed_items
    assert all(i.closed_at.date > i.raised_at.date for i in closed_items)
    carried = coordination_selectors.health_items_on_agenda(upcoming)
    assert carried.filter(status__in=PartnershipHealthItem.OPEN_STATUSES).exists()
    assert not carried.filter(raised_at__date__lt=TODAY - dt.timedelta(days=90)).exists()


def test_most_chronically_high_risk_people_have_a_long_term_plan():
    chronic = coordination_selectors.people_chronically_high_risk(Person.objects.all(), on=TODAY)
    ids = set(chronic.values_list("pk", flat=True))
    with_plan = set(LongTermPlan.objects.filter(person__in=ids).values_list("person", flat=True))

    assert ids
    assert len(with_plan) >= 0.5 * len(ids)


def test_coordination_attendance_feeds_the_worksheet_partnership_row():
    latest = Worksheet.objects.order_by("-period_end").first()
    partnership = next(a for a in latest.snapshot["activities"] if a["indicator"] == "partnership")
    period = partnership["period"]
    held = closed(COORDINATION).filter(date__range=(latest.period_start, latest.period_end))

    assert period["actual"] == held.count() > 0
    assert 0 < period["subcategories"]["attended_by_both_leads"] <= period["actual"]
    assert 0 < period["subcategories"]["risk_alignment"] <= period["actual"]


# --- Performance reviews and the worksheet -------------------------------------------------------


def test_performance_reviews_have_commitments_and_minutes():
    reviews = closed(PERFORMANCE).annotate(commitments=Count("tasks"))

    assert reviews.exists()
    assert all(r.commitments >= 1 for r in reviews)
    assert not reviews.filter(minutes="").exists()


def test_the_last_three_periods_have_frozen_worksheets_with_their_pdf():
    reviewed = list(closed(PERFORMANCE).reverse()[:3])
    worksheets = list(Worksheet.objects.order_by("-period_end"))

    assert [(w.period_start, w.period_end) for w in worksheets] == [
        (r.period_start, r.period_end) for r in reviewed
    ]
    for worksheet in worksheets:
        assert worksheet.status == Worksheet.Status.READY and worksheet.frozen
        assert worksheet.snapshot["activities"] and worksheet.notes
        with default_storage.open(worksheet.pdf.name, "rb") as pdf:
            assert pdf.read(5) == b"%PDF-"
        assert default_storage.exists(worksheet.snapshot_file.name)


def test_the_executive_opens_the_latest_worksheet_pdf_without_generating_anything():
    client = Client()
    client.force_login(User.objects.get(username="executive"))
    latest = Worksheet.objects.order_by("-period_end").first()
    versions = Worksheet.objects.count()

    page = client.get(reverse("performance:index"))
    pdf = client.post(
        reverse("performance:worksheet-download", args=[latest.pk, "pdf"]),
        {"format": "pdf", "reason": "Mayor's briefing"},
    )

    assert page.status_code == 200
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert Worksheet.objects.count() == versions


def test_open_tasks_reappear_at_the_next_meeting_of_their_kind():
    upcoming = core_selectors.meeting_next(REVIEW, TODAY)

    assert core_selectors.tasks_carried_forward(REVIEW, upcoming.date).exists()
    assert core_selectors.tasks_carried_forward(PERFORMANCE, TODAY + dt.timedelta(days=60)).exists()


def test_the_public_page_shows_the_demo_citys_figures_without_signing_in():
    from django.core.cache import cache

    cache.clear()
    page = Client().get(reverse("core:public"))
    assert page.status_code == 200
    feed = Client().get(reverse("core:public-feed")).json()
    assert sum(m["homicides"] for m in feed["monthly"]) > 0
    assert feed["worksheets"] and feed["meetings_per_month"]


def test_the_facilitator_finds_the_api_tokens_exports_and_background_import():
    client = Client()
    client.force_login(User.objects.get(username="facilitator"))
    home = client.get(reverse("core:home")).content.decode()
    assert reverse("core:token-list") in home
    log = client.get(reverse("reviews:incident-list")).content.decode()
    assert reverse("reviews:incident-export") in log
    assert client.get(reverse("reviews:incident-export")).status_code == 200
    assert client.get(reverse("reviews:incident-import")).status_code == 200
    assert client.get(reverse("api:docs")).status_code == 200
    api = client.get(reverse("api:incident-list")).json()
    assert api["results"] and api["next"]
