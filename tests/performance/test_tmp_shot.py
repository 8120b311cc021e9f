import pytest

from ceasefire.core.models import Worksheet
from performance import services
from performance.indicators import Period
from tests.conftest import browser_login


@pytest.mark.browser
def test_shot(reference_data, activity_data, users, browser_page, settings, tmp_path, transactional_db):
    settings.MEDIA_ROOT = tmp_path
    services.worksheet_build(
        worksheet_id=Worksheet.objects.create(
            period_start=Period.parse("2017-02..2017-03").start, period_end=Period.parse("2017-02..2017-03").end
        ).pk
    )
    page = browser_page(viewport={"width": 1400, "height": 900})
    browser_login(page, "police_facilitator")
    page.goto("/performance/worksheet/2017-02..2017-03/")
    page.screenshot(path="/tmp/shot_ws.png", full_page=True)
    page.goto("/performance/")
    page.screenshot(path="/tmp/shot_index.png", full_page=True)
    p2 = browser_page(viewport={"width": 390, "height": 844})
    browser_login(p2, "executive")
    p2.goto("/performance/worksheet/2017-02..2017-03/")
    p2.screenshot(path="/tmp/shot_phone.png", full_page=False)
