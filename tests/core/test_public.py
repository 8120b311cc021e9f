"""The public page and feed: off until switched on, citywide counts, never a person or a small
cell finer than citywide, cached, no sign-in, rate-limited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ceasefire.core.models import PartnershipSettings
from tests import factories as f

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]


@pytest.fixture
def published():
    settings_row = PartnershipSettings.load()
    settings_row.public_page_enabled = True
    settings_row.save(update_fields=["public_page_enabled"])


def _shooting(area: str, *, fatal: int = 0, nonfatal: int = 1, days: int = 10):
    incident = f.IncidentFactory(area=area, occurred_at=timezone.now() - dt.timedelta(days=days))
    for injury, count in (("fatal", fatal), ("nonfatal", nonfatal)):
        for _ in range(count):
            f.VictimFactory(incident=incident, injury=injury)
    return incident


def test_the_page_and_feed_do_not_exist_until_an_admin_switches_them_on(client):
    assert client.get(reverse("core:public")).status_code == 404
    assert client.get(reverse("core:public-feed")).status_code == 404


def test_the_feed_counts_citywide_per_victim_and_names_nobody(client, published):
    victim = _shooting("3", fatal=1, nonfatal=2)
    body = client.get(reverse("core:public-feed")).json()
    month = timezone.localtime(victim.occurred_at).strftime("%Y-%m")
    row = next(m for m in body["monthly"] if m["month"] == month)
    assert (row["homicides"], row["nonfatal_injury_shootings"]) == (1, 2)
    person = victim.involvements.first().person
    text = str(body)
    assert person.last_name not in text and person.first_name not in text
    assert victim.case_number not in text and victim.address not in text


def test_counts_finer_than_citywide_below_the_threshold_are_withheld(client, published, settings):
    settings.SMALL_CELL_THRESHOLD = 5
    for _ in range(6):
        _shooting("1")
    for _ in range(2):
        _shooting("2")
    areas = {
        a["area"]: a["shootings"]
        for a in client.get(reverse("core:public-feed")).json()["areas_last_12_months"]
    }
    assert areas == {"1": 6, "2": None}
    page = client.get(reverse("core:public")).content.decode()
    assert "fewer than 5" in page


def test_only_published_worksheets_appear(client, published):
    outcome = {"indicator": "homicides", "label": "Homicides", "ytd": {"actual": 16}}
    f.WorksheetFactory(frozen=True, snapshot={"outcomes": [outcome]}, status="ready")
    f.WorksheetFactory(
        period_start=dt.date(2017, 4, 1),
        period_end=dt.date(2017, 5, 31),
        snapshot={"outcomes": [outcome]},
        status="ready",
    )
    worksheets = client.get(reverse("core:public-feed")).json()["worksheets"]
    assert [w["period_start"] for w in worksheets] == ["2017-02-01"]


def test_the_feed_is_cached(client, published, django_assert_num_queries):
    client.get(reverse("core:public-feed"))
    _shooting("1")
    with django_assert_num_queries(1):  # the settings row (is the page switched on?)
        body = client.get(reverse("core:public-feed")).json()
    assert sum(m["nonfatal_injury_shootings"] for m in body["monthly"]) == 0


def test_the_feed_is_rate_limited_per_address(client, published, settings):
    settings.PUBLIC_RATE_LIMIT_PER_MINUTE = 3
    codes = [client.get(reverse("core:public-feed")).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
