"""The auditor's page: filters by user, person, action, outcome and date, paginated with a fixed
query count; the CSV export is audited and formula-safe."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from ceasefire.core.audit import Outcome, audit_record
from ceasefire.core.models import AuditEvent
from tests import factories as f

pytestmark = pytest.mark.django_db


def _events(users, person):
    audit_record(actor=users["police_viewer"], action="view", obj=person)
    audit_record(
        actor=users["police_facilitator"],
        action="view",
        object_type="reviews.review",
        object_id=9,
        detail={"people": [person.pk, 999]},
    )
    audit_record(
        actor=users["partner_staff"],
        action="refused",
        object_type="core:person-detail",
        object_id=person.pk,
        outcome=Outcome.REFUSED,
    )
    audit_record(actor=None, action="login_failed", detail={"username": "=cmd|' /C calc'!A0"})


def _seqs(response) -> list[int]:
    return [e.seq for e in response.context["events"]]


def test_filters_by_user_person_action_outcome_and_date(client_for, users):
    person = f.PersonFactory()
    _events(users, person)
    client = client_for("auditor")
    by_user = client.get("/audit/", {"user": "police_viewer"})
    assert {e.actor_label for e in by_user.context["events"]} == {"police_viewer"}
    by_person = client.get("/audit/", {"person": person.pk})
    assert {e.actor_label for e in by_person.context["events"]} == {
        "police_viewer",
        "police_facilitator",
    }
    refused = client.get("/audit/", {"outcome": "refused"})
    assert [e.action for e in refused.context["events"]] == ["refused"]
    assert len(client.get("/audit/", {"action": "login_failed"}).context["events"]) == 1
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    assert len(client.get("/audit/", {"date_from": tomorrow}).context["events"]) == 0
    bad = client.get("/audit/", {"date_from": "2026-02-02", "date_to": "2026-01-01"})
    assert "start date is after the end date" in bad.content.decode()


def test_the_page_is_paginated_with_a_fixed_query_count(
    client_for, users, django_assert_max_num_queries
):
    client = client_for("auditor")
    client.get("/audit/")
    for i in range(5):
        audit_record(actor=users["executive"], action="view", object_type="x", object_id=i)
    with django_assert_max_num_queries(8):
        small = client.get("/audit/")
    for i in range(120):
        audit_record(actor=users[list(users)[i % 8]], action="view", object_type="x", object_id=i)
    with django_assert_max_num_queries(8):
        large = client.get("/audit/")
    assert small.status_code == large.status_code == 200
    assert len(large.context["events"]) == 50


EXPORT = "/audit/export/"
WHY = "Quarterly access review"


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_the_export_asks_why_carrying_the_pages_filters(client_for):
    response = client_for("auditor").get(EXPORT, {"action": "login_failed"})
    page = response.content.decode()
    assert response.status_code == 200 and 'name="reason"' in page
    assert 'name="action" value="login_failed"' in page
    assert '<option value="xlsx"' in page
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_csv_export_is_audited_filtered_and_formula_safe(client_for, users):
    person = f.PersonFactory()
    _events(users, person)
    data = {"action": "login_failed", "format": "csv", "reason": WHY}
    response = client_for("auditor").post(EXPORT, data)
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv(response)
    assert rows[0][:3] == ["seq", "at", "actor_label"]
    assert len(rows) == 2
    detail = rows[1][rows[0].index("detail")]
    assert detail.startswith("{")  # JSON text, not a formula
    export = AuditEvent.objects.get(action="export")
    assert export.actor == users["auditor"]
    assert export.detail["filters"] == {"action": "login_failed"}
    assert export.detail["reason"] == WHY and export.detail["format"] == "csv"


def test_the_xlsx_export_holds_the_same_rows_as_the_csv(client_for, users):
    from openpyxl import load_workbook

    person = f.PersonFactory()
    _events(users, person)
    client = client_for("auditor")
    data = {"person": person.pk, "format": "csv", "reason": WHY}
    rows = _csv(client.post(EXPORT, data))
    xlsx = client.post(EXPORT, {**data, "format": "xlsx"})
    assert xlsx["Content-Type"].endswith("spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    cells = [
        ["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)
    ]
    assert cells == rows and len(rows) == 3  # the header, the view, the page that showed them
    exports = AuditEvent.objects.filter(action="export").order_by("seq")
    assert [e.detail["format"] for e in exports] == ["csv", "xlsx"]
    assert exports[1].detail["filters"] == {"person": str(person.pk)}


def test_an_export_without_a_reason_is_refused_and_not_recorded(client_for):
    response = client_for("auditor").post(EXPORT, {"format": "csv", "reason": ""})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="export").exists()


def test_an_export_with_filters_the_page_refuses_is_refused(client_for):
    data = {"date_from": "2024-02-01", "date_to": "2024-01-01", "format": "csv", "reason": WHY}
    response = client_for("auditor").post(EXPORT, data)
    assert response.status_code == 400
    assert "The start date is after the end date." in response.content.decode()
    assert not AuditEvent.objects.filter(action="export").exists()


def test_a_cell_that_starts_a_formula_is_neutralised_in_csv_and_xlsx(client_for, users):
    from openpyxl import load_workbook

    audit_record(actor=None, action="login_failed", object_type="=HYPERLINK(1)", object_id="+1")
    client = client_for("auditor")
    rows = _csv(client.post(EXPORT, {"format": "csv", "reason": WHY}))
    header = rows[0]
    row = next(r for r in rows[1:] if r[header.index("action")] == "login_failed")
    assert row[header.index("object_type")] == "'=HYPERLINK(1)"
    assert row[header.index("object_id")] == "'+1"
    xlsx = client.post(EXPORT, {"format": "xlsx", "reason": WHY})
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    values = {v for row in sheet.iter_rows(values_only=True) for v in row}
    assert "'=HYPERLINK(1)" in values and "=HYPERLINK(1)" not in values
