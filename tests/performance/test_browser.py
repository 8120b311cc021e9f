"""Browser journeys (headless Chromium): the director makes the worksheet PDF, writes a note."""

from __future__ import annotations

import pytest

from ceasefire.core.models import Worksheet
from tests.conftest import browser_login

pytestmark = pytest.mark.browser

SLUG = "2017-02..2017-03"


@pytest.fixture
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_director_generates_the_pdf_and_writes_a_note(
    reference_data, users, browser_page, _media, transactional_db
):
    page = browser_page()
    browser_login(page, "police_facilitator")
    page.goto(f"/performance/worksheet/{SLUG}/")
    assert "does not meet benchmark — 17% over" in page.inner_text("#row-homicides")
    page.click("text=Generate the worksheet and PDF")
    page.wait_for_selector("text=✓ Ready", timeout=30_000)
    assert Worksheet.objects.get().status == "ready"
    page.goto(f"/performance/worksheet/{SLUG}/")
    page.fill("#note-text-homicides", "Up in March; custom notification training convened 3.17.17")
    page.click("#note-homicides button")
    page.wait_for_selector("#note-homicides .saved-flash")
    assert Worksheet.objects.get().notes["homicides"].startswith("Up in March")


def test_executive_reads_the_worksheet_on_a_phone_without_links_to_people(
    reference_data, users, browser_page, transactional_db
):
    page = browser_page(viewport={"width": 390, "height": 844})
    browser_login(page, "executive")
    page.goto(f"/performance/worksheet/{SLUG}/")
    assert page.locator("a.trace").count() == 0
    assert "Worksheet 1: outcome indicators".upper() in page.inner_text("main").upper()
