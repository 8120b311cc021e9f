"""One journey in headless Chromium: log a shooting with two victims, run the review, close it."""

from __future__ import annotations

import datetime as dt
import os
import re

import pytest
from django.utils import timezone

from ceasefire.core.models import Meeting, PartnershipShare, RiskDesignation, Task
from reviews.models import ReviewIncident
from tests import factories as f
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = os.environ.get("REVIEWS_SCREENSHOTS", "")


def _shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def _settle(page):
    page.wait_for_timeout(300)
    page.wait_for_function("document.querySelectorAll('.htmx-request').length === 0")


def test_facilitator_logs_a_shooting_and_runs_the_weekly_review(browser_page, users, orgs):
    ghost, acorn = f.GroupFactory(name="Ghost Town"), f.GroupFactory(name="Acorn")
    conflict = f.ConflictFactory(group_a=ghost, group_b=acorn, status="hot")
    known = f.PersonFactory(first_name="Marcus", last_name="Reed")
    f.AffiliationFactory(person=known, group=ghost)
    tyrell = f.PersonFactory(first_name="Tyrell", last_name="Green")
    f.AffiliationFactory(person=tyrell, group=ghost)
    jamal = f.PersonFactory(first_name="Jamal", last_name="Stone")
    f.AffiliationFactory(person=jamal, group=acorn)
    # Jamal is named in the conflict's shooting three weeks ago; Tyrell was shot with Marcus
    # last year: the two people the review should suggest besides the surviving victim
    earlier = f.IncidentFactory(
        case_number="CONF-9", conflict=conflict, occurred_at=timezone.now() - dt.timedelta(days=21)
    )
    f.InvolvementFactory(incident=earlier, person=jamal, role="suspect", injury="")
    last_year = f.IncidentFactory(
        case_number="OLD-9", occurred_at=timezone.now() - dt.timedelta(days=300)
    )
    f.InvolvementFactory(incident=last_year, person=known)
    f.InvolvementFactory(incident=last_year, person=tyrell)
    dwayne = f.PersonFactory(first_name="Dwayne", last_name="Lewis")
    f.DesignationFactory(  # due for review in five days: renewed at this review
        person=dwayne, designated_on=timezone.localdate() - dt.timedelta(days=85)
    )
    page = browser_page()
    browser_login(page, "police_facilitator")

    # log a shooting: facts, then two victims inline
    page.goto("/reviews/incidents/new/")
    when = timezone.localtime() - dt.timedelta(days=1)
    page.fill("#id_case_number", "17-123456")
    page.fill("#id_occurred_at", when.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_address", "8800 International Blvd")
    page.fill("#id_area", "3")
    _shot(page, "incident_form")
    page.click("text=Log the incident")
    page.wait_for_selector("text=Now add the people involved")

    page.select_option("#id_role", "victim")
    page.select_option("#id_injury", "nonfatal")
    page.fill("#person-q", "Reed")
    page.wait_for_selector("#person-results label.pick")
    page.check("#person-results input[type=radio]")
    page.click("text=Add to incident")
    page.wait_for_selector("#people td >> text=Marcus Reed")

    page.select_option("#id_injury", "fatal")
    page.fill("#id_first_name", "Dante")
    page.fill("#id_last_name", "Hill")
    page.fill("#id_date_of_birth", "1998-06-01")
    page.click("text=Add to incident")
    page.wait_for_selector("#people td >> text=Dante Hill")
    page.wait_for_selector("#incident-kind >> text=Homicide")
    _shot(page, "incident_people")

    # open the weekly review: the shooting is on the agenda
    page.goto("/reviews/new/")
    page.click("text=Create the review and build its agenda")
    page.wait_for_selector("text=17-123456")
    review = Meeting.objects.get(kind="shooting_review")
    entry = ReviewIncident.objects.get(meeting=review)

    # open the shooting: its questions and suggestions load on demand
    page.click(f"#shooting-{entry.pk} summary")
    page.wait_for_selector(f"#a-entry-{entry.pk}-motive")
    _shot(page, "review-shooting-open")

    # answer the analytic questions; each saves itself
    key = f"entry-{entry.pk}"
    page.fill(f"#a-{key}-motive", "Retaliation for last month's shooting on 90th Ave")
    page.wait_for_selector(f"#status-{key}-motive >> text=Saved")
    page.press(
        f"#a-{key}-motive", "Tab"
    )  # leaving the field fires "change": the same answer, nothing rewritten
    _settle(page)
    page.select_option(f"#a-{key}-retaliation", "high")
    page.wait_for_selector(f"#status-{key}-retaliation >> text=Saved")
    page.select_option(f"#a-incident-{entry.incident_id}-circumstance", "group_conflict")
    page.wait_for_selector(f"#status-incident-{entry.incident_id}-circumstance >> text=Saved")
    page.fill(f"#shooting-{entry.pk} [data-filter-for]", "ghost")  # the searchable select
    page.select_option(f"#a-incident-{entry.incident_id}-groups", [str(ghost.pk)])
    page.wait_for_selector(f"#status-incident-{entry.incident_id}-groups >> text=Saved")

    page.select_option(f"#a-incident-{entry.incident_id}-conflict", str(conflict.pk))
    page.wait_for_selector(f"#status-incident-{entry.incident_id}-conflict >> text=Saved")

    # suggestions with their reasons; confirm one, dismiss one (nothing is designated automatically)
    suggestions = f"#suggest-{entry.pk}"
    page.wait_for_selector(f"{suggestions} >> text=co-victim in #OLD-9")
    page.wait_for_selector(f"{suggestions} >> text=of the hot conflict Ghost Town vs Acorn")
    page.click(f"{suggestions} li:has-text('Jamal Stone') >> button:has-text('Confirm')")
    page.wait_for_selector(f"{suggestions} li:has-text('Jamal Stone') >> text=At imminent risk")
    tyrell_row = f"{suggestions} li:has-text('Tyrell Green')"
    page.fill(f"{tyrell_row} input[name=dismissal_reason]", "In custody since October")
    page.click(f"{tyrell_row} >> button:has-text('Dismiss')")
    page.wait_for_selector(f"{tyrell_row} >> text=Dismissed because: In custody since October")
    assert not RiskDesignation.objects.filter(person=jamal).exists()

    # designate a victim with a basis
    _pick(page, "designate", "Reed", "Marcus Reed")
    page.select_option("#s-risk select[name=level]", "vhr")
    page.check("#s-risk form[action$='/designate/'] input[value=victim_recent_shooting]")
    page.fill(
        "#s-risk textarea[name=basis]",
        "Shot on " + when.strftime("%d %b") + "; Ghost Town in a hot conflict with Acorn.",
    )
    page.click("#s-risk button:text-is('Designate')")
    page.wait_for_selector("#s-risk >> text=Decided at this review")

    # a designation due: its form opens on demand, renewing it answers with the section
    row = "#s-risk tr:has-text('Dwayne Lewis')"
    page.click(f"{row} summary")
    page.wait_for_selector(f"{row} textarea[name=basis]")
    _shot(page, "renewal-form")
    page.fill(f"{row} textarea[name=basis]", "Shot at twice since the last review.")
    page.check(f"{row} input[value=victim_recent_shooting]")
    page.click(f"{row} button:has-text('Renew')")
    page.wait_for_selector("#s-risk li:has-text('Dwayne Lewis') >> text=renew")

    # choose him for partner follow-up and assign a task
    _pick(page, "followup", "marc", "Marcus Reed")
    page.check("#s-risk input[value=custom_notification]")
    page.click("text=Choose for partner follow-up")
    page.wait_for_selector("#s-risk .followups >> text=Marcus Reed")
    page.fill("#s-response input[name=title]", "Custom notification to Marcus Reed")
    page.select_option("#s-response select[name=kind]", "custom_notification")
    page.select_option("#s-response select[name=assigned_organisation]", label="Youth Alive")
    page.fill(
        "#s-response input[name=due_date]",
        (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
    )
    _pick(page, "subject", "Reed", "Marcus Reed")
    page.click("text=Assign the task")
    page.wait_for_selector("#s-response >> text=Custom notification to Marcus Reed")
    _shot(page, "review")

    page.goto(f"/reviews/{review.pk}/?projector=1")
    _shot(page, "projector")

    # close the review: read-only minutes
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("text=Close the review")
    page.wait_for_selector("text=Review closed")
    _shot(page, "minutes")
    assert page.locator("textarea").count() == 0

    for url, name in (
        ("/reviews/incidents/", "log"),
        ("/reviews/", "index"),
        (f"/people/{known.pk}/", "person"),
    ):
        page.goto(url)
        _shot(page, name)

    review.refresh_from_db()
    entry.refresh_from_db()
    assert review.is_closed
    assert entry.motive.startswith("Retaliation") and entry.retaliation == "high"
    assert RiskDesignation.objects.get(person=known).basis.startswith("Shot on")
    renewed = RiskDesignation.objects.get(person=dwayne, ended_on__isnull=True)
    assert renewed.basis == "Shot at twice since the last review."
    assert Task.objects.get(source_meeting=review).assigned_organisation == orgs["cbo"]
    assert PartnershipShare.objects.get(person=known).recommended_interventions == [
        "custom_notification"
    ]


def test_two_facilitators_see_each_others_answers_without_losing_their_typing(
    browser_page, users, settings
):
    from playwright.sync_api import expect

    from reviews.services import review_create
    from tests.reviews.conftest import build_week

    settings.REVIEW_LIVE_POLL_SECONDS = 1
    week = build_week(users)
    review = review_create(user=users["police_facilitator"], date=week["today"])
    entry = ReviewIncident.objects.get(meeting=review, incident=week["shooting"])
    url = f"/reviews/{review.pk}/"
    one, two = browser_page(), browser_page()
    for page in (one, two):
        browser_login(page, "police_facilitator")
        page.goto(url)
        page.click(f"#shooting-{entry.pk} summary")
        page.wait_for_selector(f"#a-entry-{entry.pk}-motive")

    # the first answers; the second sees it within a few seconds, without reloading
    one.fill(f"#a-entry-{entry.pk}-motive", "Retaliation for the 90th Ave shooting")
    one.wait_for_selector(f"#status-entry-{entry.pk}-motive >> text=Saved")
    expect(two.locator(f"#a-entry-{entry.pk}-motive")).to_have_value(
        re.compile("^Retaliation"), timeout=10_000
    )
    two.wait_for_selector("#live-updates >> text=1 shooting updated")

    # the second writes a note and stays in the field; the first sees it, then rewrites it:
    # the second's field keeps what they typed, and says it changed elsewhere
    notes = f"#a-entry-{entry.pk}-risk_notes"
    two.click(notes)
    two.keyboard.type("Brother of the victim")
    two.wait_for_selector(f"#status-entry-{entry.pk}-risk_notes >> text=Saved")
    expect(one.locator(notes)).to_have_value("Brother of the victim", timeout=10_000)
    one.fill(notes, "Cousin named on social media")
    one.wait_for_selector(f"#status-entry-{entry.pk}-risk_notes >> text=Saved")
    two.wait_for_selector(
        f"#status-entry-{entry.pk}-risk_notes >> text=Changed by someone else", timeout=10_000
    )
    assert two.input_value(f"#a-entry-{entry.pk}-risk_notes").startswith("Brother of the victim")
    _shot(two, "review-live-two-facilitators")


def _pick(page, picker: str, typed: str, name: str) -> None:
    """Type in one of the review's type-ahead pickers and tick the person it finds."""
    page.fill(f"#pick-{picker}-q", typed)
    page.locator(f"#pick-{picker}-r label.pick:has-text('{name}') input").check()
