"""Browser journey (headless Chromium): the facilitator prepares the review's brief from the
review page, watches it go from queued to ready, and downloads it after saying why."""

from __future__ import annotations

import pytest

from ceasefire.celery import wait_for_background_tasks
from ceasefire.core.models import AuditEvent, MeetingPaper
from tests.conftest import browser_login
from tests.papers.world import build_papers_world

pytestmark = pytest.mark.browser


def test_the_facilitator_prepares_the_brief_and_downloads_it(
    browser_page, transactional_db, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TASKS_IN_BACKGROUND_THREAD = True  # as `make run`: the job runs off the request
    city = build_papers_world()
    page = browser_page()
    browser_login(page, "police_facilitator")
    page.goto(f"/reviews/{city.review.pk}/")
    panel = page.locator("#papers")
    panel.get_by_role("button", name="Prepare brief").click()
    page.wait_for_selector("#papers .job-status", timeout=15_000)
    page.wait_for_selector("#papers >> text=✓ Ready", timeout=60_000)
    wait_for_background_tasks()
    paper = MeetingPaper.objects.get()
    assert paper.status == "ready" and paper.audience == "police"
    page.screenshot(path=str(tmp_path / "papers-panel.png"))

    page.locator("#papers").get_by_role("link", name="Download PDF").click()
    page.fill("input[name=reason]", "Reading before Tuesday's review")
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download").click()
    download = download_info.value
    assert download.suggested_filename == paper.filename
    saved = tmp_path / "brief.pdf"
    download.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF")
    event = AuditEvent.objects.filter(action="export").latest("pk")
    assert event.detail["reason"] == "Reading before Tuesday's review"
    assert event.detail["export"] == "meeting_paper"
