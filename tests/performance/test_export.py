"""A worksheet version's CSV and XLSX hold exactly the numbers of its frozen snapshot."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import TestCase
from openpyxl import load_workbook

from performance import services
from performance.exports import WINDOW_FIELDS
from performance.indicators import Period

FEB_MAR = Period(2017, 2, 3)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready(reference_data, users):
    with TestCase.captureOnCommitCallbacks(execute=True):
        ws = services.worksheet_request(period=FEB_MAR, user=users["police_facilitator"])
    ws.refresh_from_db()
    assert ws.status == "ready", ws.error
    return ws


def _post(client, ws, fmt):
    response = client.post(
        f"/performance/worksheets/{ws.pk}/export/", {"format": fmt, "reason": "Council briefing"}
    )
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _expected(snapshot):
    rows = []
    for section in ("outcomes", "activities"):
        for row in snapshot[section]:
            for window in ("ytd", "period"):
                rows.append(
                    [row["indicator"], window, *(row[window].get(n) for n in WINDOW_FIELDS)]
                )
    return rows


def _csv_value(text):
    if text == "":
        return None
    if text in ("True", "False"):
        return text == "True"
    try:
        return int(text)
    except ValueError:
        return float(text)


def test_csv_and_xlsx_hold_the_numbers_of_the_snapshot_the_pdf_was_made_from(ready, client_for):
    client = client_for("executive")
    stored = json.loads(ready.snapshot_file.open("rb").read())  # what the PDF was rendered from
    assert stored["outcomes"] == ready.snapshot["outcomes"]
    expected = _expected(stored)

    reader = list(csv.DictReader(io.StringIO(_post(client, ready, "csv").decode("utf-8-sig"))))
    from_csv = [
        [r["indicator"], r["window"], *(_csv_value(r[n]) for n in WINDOW_FIELDS)] for r in reader
    ]
    assert from_csv == expected

    sheet = load_workbook(io.BytesIO(_post(client, ready, "xlsx"))).active
    header = [c.value for c in next(sheet.iter_rows())]
    from_xlsx = [
        [row[header.index("indicator")], row[header.index("window")]]
        + [row[header.index(n)] for n in WINDOW_FIELDS]
        for row in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert from_xlsx == expected
    homicides = next(r for r in expected if r[0] == "homicides" and r[1] == "period")
    assert homicides[3] == 14  # the reference case: 14 homicides in February–March 2017
