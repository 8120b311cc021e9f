"""The performance API: the worksheet JSON contract and the stored versions."""

from __future__ import annotations

import pytest

from ceasefire.core.models import Worksheet
from performance import services
from performance.indicators import Period

SLUG = "2017-02..2017-03"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_api_worksheet_follows_the_json_contract(reference_data, client_for):
    data = client_for("executive").get(f"/performance/api/worksheets/{SLUG}/").json()
    assert data["period"]["start"] == "2017-02-01" and data["ytd"]["start"] == "2017-01-01"
    homicides = data["outcomes"][0]
    assert homicides["indicator"] == "homicides"
    assert homicides["period"] == {
        "benchmark": 12,
        "actual": 14,
        "prior_year": 11,
        "three_year_average": 12,
        "meets": False,
        "percent_vs_benchmark": 16.7,
    }
    assert {r["indicator"] for r in data["activities"]} == {
        "communication",
        "case_management",
        "enforcement",
        "partnership",
    }


def test_api_returns_a_stored_versions_snapshot(db, client_for):
    period = Period.parse(SLUG)
    ws = Worksheet.objects.create(period_start=period.start, period_end=period.end)
    services.worksheet_build(worksheet_id=ws.pk)
    client = client_for("partner_lead")
    data = client.get(f"/performance/api/worksheets/{SLUG}/?version=1").json()
    assert data["version"] == 1 and "generated_at" in data
    assert client.get(f"/performance/api/worksheets/{SLUG}/?version=2").status_code == 404


def test_api_lists_versions_newest_first_with_download_links(db, client_for):
    period = Period.parse(SLUG)
    first = Worksheet.objects.create(period_start=period.start, period_end=period.end, version=1)
    services.worksheet_build(worksheet_id=first.pk)
    Worksheet.objects.create(
        period_start=period.start, period_end=period.end, version=2, status="failed", error="boom"
    )
    data = (
        client_for("police_facilitator").get(f"/performance/api/worksheets/{SLUG}/versions/").json()
    )
    assert data["count"] == 2
    newest, oldest = data["results"]
    assert (newest["version"], newest["status"], newest["error"], newest["pdf_url"]) == (
        2,
        "failed",
        "boom",
        None,
    )
    assert oldest["pdf_url"].endswith(f"/performance/worksheets/{first.pk}/download/pdf/")


def test_api_refuses_a_bad_period(db, client_for):
    assert client_for("executive").get("/performance/api/worksheets/2017..03/").status_code == 404


def test_api_versions_query_count_does_not_grow(db, client_for, django_assert_max_num_queries):
    period = Period.parse(SLUG)
    for v in range(1, 30):
        Worksheet.objects.create(
            period_start=period.start, period_end=period.end, version=v, status="failed"
        )
    client = client_for("executive")
    with django_assert_max_num_queries(8):
        assert client.get(f"/performance/api/worksheets/{SLUG}/versions/").status_code == 200
