"""Role × URL matrix for every performance URL, and executives never receiving person data."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from pypdf import PdfReader

from ceasefire.core.models import Worksheet
from performance import selectors, services
from performance.indicators import Period
from tests import factories as f
from tests.conftest import ALL_ROLES

FEB_MAR = Period(2017, 2, 3)
SLUG = FEB_MAR.slug

VIEW = {"police_facilitator", "partner_lead", "executive"}  # performance.view / worksheet.view
EDIT = {"police_facilitator", "executive"}  # performance.edit
FACILITATOR = {"police_facilitator"}
BENCHMARKS = {"admin", "police_facilitator"}


@pytest.fixture
def world(db, users, orgs, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ws = Worksheet.objects.create(
        period_start=FEB_MAR.start,
        period_end=FEB_MAR.end,
        status="ready",
        snapshot=selectors.worksheet_compute(FEB_MAR),
    )
    ws.pdf.save("worksheet.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    ws.snapshot_file.save("worksheet.json", ContentFile(b"{}"), save=False)
    ws.save(update_fields=["pdf", "snapshot_file"])
    review = f.PerformanceReviewFactory()
    commitment = f.CommitmentFactory(
        source_meeting=review, assigned_organisation=orgs["police"], due_date=dt.date(2017, 5, 1)
    )
    return {"ws": ws, "review": review, "commitment": commitment, "orgs": orgs}


def _cases():
    """(name, method, url(world), data(world), allowed roles, status when allowed)."""
    return [
        ("index", "get", lambda w: "/performance/", None, VIEW, 200),
        (
            "worksheet-choose",
            "get",
            lambda w: "/performance/worksheet/?year=2017&first_month=2&last_month=3",
            None,
            VIEW,
            302,
        ),
        ("worksheet", "get", lambda w: f"/performance/worksheet/{SLUG}/", None, VIEW, 200),
        (
            "worksheet-version",
            "get",
            lambda w: f"/performance/worksheet/{SLUG}/?version=1",
            None,
            VIEW,
            200,
        ),
        (
            "worksheet-generate",
            "post",
            lambda w: f"/performance/worksheet/{SLUG}/generate/",
            {},
            FACILITATOR,
            302,
        ),
        (
            "trace",
            "get",
            lambda w: f"/performance/worksheet/{SLUG}/trace/homicides/ytd/2017/",
            None,
            FACILITATOR,
            200,
        ),
        (
            "note",
            "post",
            lambda w: f"/performance/worksheets/{w['ws'].pk}/notes/homicides/",
            {"note": "n"},
            FACILITATOR,
            302,
        ),
        (
            "freeze",
            "post",
            lambda w: f"/performance/worksheets/{w['ws'].pk}/freeze/",
            {},
            FACILITATOR,
            302,
        ),
        (
            "download-pdf",
            "get",
            lambda w: f"/performance/worksheets/{w['ws'].pk}/download/pdf/",
            None,
            VIEW,
            200,
        ),
        (
            "download-json",
            "get",
            lambda w: f"/performance/worksheets/{w['ws'].pk}/download/json/",
            None,
            VIEW,
            200,
        ),
        ("benchmarks", "get", lambda w: "/performance/benchmarks/", None, BENCHMARKS, 200),
        (
            "benchmarks-post",
            "post",
            lambda w: "/performance/benchmarks/",
            {"indicator": "homicides", "year": 2017, "annual_target": 72},
            BENCHMARKS,
            302,
        ),
        (
            "enforcement-inputs",
            "get",
            lambda w: "/performance/enforcement-inputs/",
            None,
            FACILITATOR,
            200,
        ),
        (
            "enforcement-inputs-post",
            "post",
            lambda w: "/performance/enforcement-inputs/",
            {
                "form": "plan",
                "plan-unit": "",
                "plan-recorded_on": "2017-03-01",
                "plan-up_to_date": "yes",
            },
            FACILITATOR,
            400,
        ),
        ("review-list", "get", lambda w: "/performance/reviews/", None, VIEW, 200),
        (
            "review-create",
            "post",
            lambda w: "/performance/reviews/",
            {"date": "2017-06-14", "year": 2017, "first_month": 4, "last_month": 5},
            EDIT,
            302,
        ),
        (
            "review-detail",
            "get",
            lambda w: f"/performance/reviews/{w['review'].pk}/",
            None,
            VIEW,
            200,
        ),
        (
            "review-update",
            "post",
            lambda w: f"/performance/reviews/{w['review'].pk}/update/",
            {"version": 1, "minutes": "Discussed the March rise."},
            EDIT,
            302,
        ),
        (
            "commitment-create",
            "post",
            lambda w: f"/performance/reviews/{w['review'].pk}/commitments/",
            lambda w: {
                "title": "Fill openings",
                "assigned_organisation": w["orgs"]["police"].pk,
                "due_date": "2017-05-31",
            },
            EDIT,
            302,
        ),
        (
            "commitment-status",
            "post",
            lambda w: (
                f"/performance/reviews/{w['review'].pk}/commitments/{w['commitment'].pk}/status/"
            ),
            {"version": 1, "status": "in_progress", "note": ""},
            EDIT,
            302,
        ),
        (
            "review-close",
            "post",
            lambda w: f"/performance/reviews/{w['review'].pk}/close/",
            {"version": 1},
            EDIT,
            302,
        ),
        ("api-worksheet", "get", lambda w: f"/performance/api/worksheets/{SLUG}/", None, VIEW, 200),
        (
            "api-versions",
            "get",
            lambda w: f"/performance/api/worksheets/{SLUG}/versions/",
            None,
            VIEW,
            200,
        ),
    ]


# Where a role may open the page but the object is outside its scope, the exact status differs from 403.
EXCEPTIONS = {
    ("commitment-status", "partner_lead"): 404,  # sees the review, but not the police's task
}

CASES = _cases()


@pytest.mark.parametrize("role", [*ALL_ROLES, "anonymous"])
@pytest.mark.parametrize(
    ("name", "method", "url", "data", "allowed", "ok"), CASES, ids=[c[0] for c in CASES]
)
def test_role_url_matrix(world, client_for, role, name, method, url, data, allowed, ok):
    client = Client() if role == "anonymous" else client_for(role)
    target = url(world)
    payload = data(world) if callable(data) else data
    response = client.get(target) if method == "get" else client.post(target, payload or {})
    if role == "anonymous":
        expected = 403 if name.startswith("api-") else 302
        assert response.status_code == expected
        if expected == 302:
            assert "/accounts/login/" in response["Location"]
        return
    expected = ok if role in allowed else EXCEPTIONS.get((name, role), 403)
    assert response.status_code == expected, (name, role, response.status_code)


def test_every_performance_url_is_in_the_matrix():
    from performance.urls import urlpatterns

    names = {p.name for p in urlpatterns}
    covered = {
        "index",
        "worksheet-choose",
        "worksheet",
        "worksheet-generate",
        "trace",
        "worksheet-note",
        "worksheet-freeze",
        "worksheet-download",
        "benchmarks",
        "enforcement-inputs",
        "review-list",
        "review-detail",
        "review-update",
        "commitment-create",
        "commitment-status",
        "review-close",
        "api-worksheet",
        "api-worksheet-versions",
    }
    assert names == covered


# --- Executives never see a person ------------------------------------------------------------------


@pytest.fixture
def built(activity_data, users, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path / "media"
    with django_capture_on_commit_callbacks(execute=True):
        ws = services.worksheet_request(period=FEB_MAR, user=users["police_facilitator"])
    ws.refresh_from_db()
    assert ws.status == "ready", ws.error
    review = f.PerformanceReviewFactory()
    return {"ws": ws, "review": review, "people": activity_data}


def _names(people) -> list[str]:
    return ["Example", *(str(p) for p in people.values())]


def test_the_facilitator_sees_people_behind_a_number(built, client_for):
    response = client_for("police_facilitator").get(
        f"/performance/worksheet/{SLUG}/trace/communication/period/2017/"
    )
    assert response.status_code == 200
    assert b"Example" in response.content


def test_executives_never_receive_person_data_in_pages_fragments_api_or_pdf(built, client_for):
    client = client_for("executive")
    ws, review = built["ws"], built["review"]
    bodies = []
    for url in (
        "/performance/",
        f"/performance/worksheet/{SLUG}/",
        f"/performance/worksheet/{SLUG}/?version={ws.version}",
        f"/performance/reviews/{review.pk}/",
        "/performance/reviews/",
        f"/performance/api/worksheets/{SLUG}/",
        f"/performance/api/worksheets/{SLUG}/?version={ws.version}",
        f"/performance/api/worksheets/{SLUG}/versions/",
        f"/performance/worksheets/{ws.pk}/download/json/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        bodies.append(
            b"".join(response.streaming_content) if response.streaming else response.content
        )
    fragment = client.get(f"/performance/worksheet/{SLUG}/", headers={"HX-Request": "true"})
    assert fragment.status_code == 200 and b'id="versions"' in fragment.content
    bodies.append(fragment.content)
    pdf = client.get(f"/performance/worksheets/{ws.pk}/download/pdf/")
    text = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(b"".join(pdf.streaming_content))).pages
    )
    bodies.append(text.encode())
    for body in bodies:
        for name in _names(built["people"]):
            assert name.encode() not in body, name
    # and no link to a person page anywhere
    assert not any(re.search(rb"/people/\d+/", body) for body in bodies)
    assert (
        client.get(f"/performance/worksheet/{SLUG}/trace/communication/period/2017/").status_code
        == 403
    )


def test_partner_leads_see_the_worksheet_but_not_the_records_behind_it(built, client_for):
    client = client_for("partner_lead")
    page = client.get(f"/performance/worksheet/{SLUG}/")
    assert page.status_code == 200
    assert b"/trace/" not in page.content
    assert b"Example" not in page.content
