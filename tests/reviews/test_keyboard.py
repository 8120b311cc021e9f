"""Fast hands, in headless Chromium: a shooting logged without the mouse, and the shortcuts of
the live review (the cursor starts in the case number, Enter saves, the cursor then waits in the
people form; ``?`` lists the shortcuts, ``j`` / ``k`` walk the shootings)."""

from __future__ import annotations

import datetime as dt
import os

import pytest
from django.utils import timezone

from ceasefire.core.selectors import local_midnight
from reviews import services
from tests import factories as f
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _focused(page) -> str:
    return page.evaluate("document.activeElement.id || document.activeElement.tagName")


def test_a_shooting_is_logged_and_its_first_person_added_from_the_keyboard(browser_page, users):
    page = browser_page()
    browser_login(page, "police_facilitator")
    page.goto("/reviews/incidents/new/")
    assert _focused(page) == "id_case_number", "the cursor starts in the first field"
    page.keyboard.type("17-424242")
    when = timezone.localtime() - dt.timedelta(days=1)
    page.fill("#id_occurred_at", when.strftime("%Y-%m-%dT%H:%M"))
    page.focus("#id_address")
    page.keyboard.type("8800 International Blvd")
    page.keyboard.press("Enter")  # Enter saves the incident
    page.wait_for_selector("text=Now add the people involved")
    assert _focused(page) == "id_role", "after saving, the cursor waits in the people form"


def test_question_mark_lists_the_shortcuts_and_j_k_walk_the_shootings(browser_page, users):
    # two shootings in the window, which ends at local midnight (not "hours ago": the test
    # would lose one to the next review's window late in the day)
    midnight = local_midnight(timezone.localdate())
    for hours in (30, 20):
        f.IncidentFactory(occurred_at=midnight - dt.timedelta(hours=hours))
    review = services.review_create(user=users["police_facilitator"], date=timezone.localdate())
    page = browser_page()
    browser_login(page, "police_facilitator")
    page.goto(f"/reviews/{review.pk}/")

    page.keyboard.press("?")
    assert page.is_visible("#shortcuts"), "? opens the list of shortcuts"
    page.keyboard.press("Escape")
    assert not page.is_visible("#shortcuts")

    page.keyboard.press("j")
    first = page.evaluate("document.activeElement.id")
    page.keyboard.press("j")
    second = page.evaluate("document.activeElement.id")
    page.keyboard.press("k")
    assert first.startswith("shooting-") and second.startswith("shooting-") and first != second
    assert page.evaluate("document.activeElement.id") == first


def test_j_past_the_last_shooting_drawn_loads_the_next_batch(browser_page, users, monkeypatch):
    monkeypatch.setattr("reviews.selectors.review.SHOOTINGS_PER_BATCH", 1)
    midnight = local_midnight(timezone.localdate())
    for hours in (30, 25, 20):
        f.IncidentFactory(occurred_at=midnight - dt.timedelta(hours=hours))
    review = services.review_create(user=users["police_facilitator"], date=timezone.localdate())
    page = browser_page()
    browser_login(page, "police_facilitator")
    page.goto(f"/reviews/{review.pk}/")
    cards = page.locator("article.shooting")
    assert cards.count() == 1 and page.is_visible("text=1 of 3 shown")
    assert page.is_visible("text=(local time) · 3 shootings")
    if os.environ.get("REVIEWS_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["REVIEWS_SCREENSHOTS"], "batch.png"))

    page.keyboard.press("j")
    first = page.evaluate("document.activeElement.id")
    page.keyboard.press("j")  # past the last card drawn: the next batch comes
    page.wait_for_selector("text=2 of 3 shown")
    page.keyboard.press("j")
    second = page.evaluate("document.activeElement.id")
    assert first.startswith("shooting-") and second.startswith("shooting-") and first != second

    # the control came out of band with the batch: htmx wires it up as the swap settles, and a
    # click before that would follow the plain link (the page without JS)
    page.wait_for_function(
        "(document.querySelector('[data-more-items]') || {})['htmx-internal-data']?.initHash"
    )
    page.click("text=Show the next shootings")
    page.locator("article.shooting").nth(2).wait_for()
    assert cards.count() == 3 and not page.is_visible("text=Show the next shootings")
