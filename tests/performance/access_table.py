"""Who gets what at the performance URLs: the worksheet, its records, inputs and reviews.

The police facilitator, partner leads and executives read the worksheet and the performance
reviews; only the facilitator generates versions, writes notes and sees the records behind a
number; executives (with the facilitator) record minutes and commitments. Executives and partner
leads never receive person data, in pages, fragments, the API, the JSON or the PDF (SPEC §2).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from types import SimpleNamespace

from django.test import TestCase
from pypdf import PdfReader

from performance import services
from performance.indicators import Period
from tests import factories as f
from tests.access import (
    FACILITATOR,
    FORBIDDEN,
    NOT_FOUND,
    SIGN_IN,
    Row,
    body,
    contains,
    ok,
    only,
)
from tests.conftest import make_orgs, make_users
from tests.performance.conftest import build_activity_data

FEB_MAR = Period(2017, 2, 3)
SLUG = FEB_MAR.slug

VIEW = {"police_facilitator", "partner_lead", "executive"}  # performance.view / worksheet.view
EDIT = {"police_facilitator", "executive"}  # performance.edit
BENCHMARKS = {"admin", "police_facilitator"}
GENERATE = {"police_facilitator", "executive"}  # worksheet.generate: the PDF is aggregates only


def build_world() -> SimpleNamespace:
    """Hand-made activity for February–March 2017, its worksheet built (snapshot and PDF) once."""
    orgs = make_orgs()
    users = make_users(orgs)
    people = build_activity_data(orgs)
    with TestCase.captureOnCommitCallbacks(execute=True):
        ws = services.worksheet_request(period=FEB_MAR, user=users["police_facilitator"])
    ws.refresh_from_db()
    assert ws.status == "ready", ws.error
    review = f.PerformanceReviewFactory()
    commitment = f.CommitmentFactory(
        source_meeting=review, assigned_organisation=orgs["police"], due_date=dt.date(2017, 5, 1)
    )
    return SimpleNamespace(
        orgs=orgs, users=users, people=people, ws=ws, review=review, commitment=commitment
    )


def aggregates_only(response, world) -> None:
    """A check: no name of a person behind the figures, no link to a person page or to the records
    behind a number."""
    content = body(response)
    if content.startswith(b"%PDF-"):  # the words on its pages
        pages = PdfReader(io.BytesIO(content)).pages
        content = "\n".join(page.extract_text() for page in pages).encode()
        assert b"Homicides" in content, "the PDF's text could not be read"
    for name in ["Example", *(str(person) for person in world.people.values())]:
        assert name.encode() not in content, f"{name} is in the body"
    assert not re.search(rb"/people/\d+/", content), "a link to a person page"
    assert b"/trace/" not in content, "a link to the records behind a number"


AGGREGATES = ok(aggregates_only)


def read(url: str, *, api: bool = False, **kwargs) -> Row:
    """A page (or API) for every role that views performance; without a person for executives and
    partner leads."""
    expect = only(
        FACILITATOR,
        executive=AGGREGATES,
        partner_lead=AGGREGATES,
        anonymous=FORBIDDEN if api else SIGN_IN,
    )
    return Row(url, expect=expect, **kwargs)


def write(url: str, allowed, status: int = 302, **kwargs) -> Row:
    return Row(url, "POST", expect=only(allowed, status), **kwargs)


TABLE = [
    read("performance:index", htmx=True),
    Row(
        "performance:worksheet-choose",
        data={"year": 2017, "first_month": 2, "last_month": 3},
        expect=only(VIEW, 302),
    ),
    read(
        "performance:worksheet",
        args=lambda w: [SLUG],
        htmx=only(VIEW, ok(contains('id="versions"'), aggregates_only)),
    ),
    read(
        "performance:worksheet",
        args=lambda w: [SLUG],
        data=lambda w: {"version": w.ws.version},
        label="version",
    ),
    write("performance:worksheet-generate", GENERATE, args=lambda w: [SLUG], htmx=200),
    Row(
        "performance:trace",
        args=lambda w: [SLUG, "communication", "period", 2017],
        expect=only(FACILITATOR, ok(contains("Example"))),
        htmx=True,
    ),
    write(
        "performance:worksheet-note",
        FACILITATOR,
        args=lambda w: [w.ws, "homicides"],
        data={"note": "n"},
        htmx=200,
    ),
    write("performance:worksheet-freeze", FACILITATOR, args=lambda w: [w.ws], htmx=200),
    read("performance:worksheet-download", args=lambda w: [w.ws, "pdf"], label="pdf"),
    read("performance:worksheet-download", args=lambda w: [w.ws, "json"], label="json"),
    write(
        "performance:worksheet-download",
        VIEW,
        200,
        args=lambda w: [w.ws, "pdf"],
        data={"format": "pdf", "reason": "Council briefing"},
        label="pdf",
    ),
    write(
        "performance:worksheet-download",
        VIEW,
        400,
        args=lambda w: [w.ws, "json"],
        data={"format": "json"},
        label="json, no reason",
    ),
    read("performance:worksheet-export", args=lambda w: [w.ws]),
    write(
        "performance:worksheet-export",
        VIEW,
        200,
        args=lambda w: [w.ws],
        data={"format": "csv", "reason": "Council briefing"},
    ),
    Row("performance:benchmarks", expect=only(BENCHMARKS)),
    write(
        "performance:benchmarks",
        BENCHMARKS,
        data={"indicator": "homicides", "year": 2017, "annual_target": 72},
    ),
    Row("performance:enforcement-inputs", expect=only(FACILITATOR)),
    write(
        "performance:enforcement-inputs",
        FACILITATOR,
        400,
        data={
            "form": "plan",
            "plan-unit": "",
            "plan-recorded_on": "2017-03-01",
            "plan-up_to_date": "yes",
        },
    ),
    read("performance:review-list", htmx=True),
    write(
        "performance:review-list",
        EDIT,
        data={"date": "2017-06-14", "year": 2017, "first_month": 4, "last_month": 5},
    ),
    read("performance:review-detail", args=lambda w: [w.review], htmx=True),
    write(
        "performance:review-update",
        EDIT,
        args=lambda w: [w.review],
        data={"version": 1, "minutes": "Discussed the March rise."},
    ),
    write(
        "performance:commitment-create",
        EDIT,
        args=lambda w: [w.review],
        data=lambda w: {
            "title": "Fill openings",
            "assigned_organisation": w.orgs["police"].pk,
            "due_date": "2017-05-31",
        },
        htmx=200,
    ),
    Row(
        "performance:commitment-status",
        "POST",
        args=lambda w: [w.review, w.commitment],
        data={"version": 1, "status": "in_progress", "note": ""},
        # the partner lead sees the review, but not the police's commitment
        expect=only(EDIT, 302, partner_lead=NOT_FOUND),
    ),
    write(
        "performance:review-close",
        EDIT,
        args=lambda w: [w.review],
        data={"version": 1},
        htmx=200,  # HX-Redirect to the closed review
    ),
    read("performance:api-worksheet", args=lambda w: [SLUG], api=True),
    read(
        "performance:api-worksheet",
        args=lambda w: [SLUG],
        data=lambda w: {"version": w.ws.version},
        api=True,
        label="version",
    ),
    read("performance:api-worksheet-versions", args=lambda w: [SLUG], api=True),
]
