"""The shooting log's export: the page's filters, the reader's visibility, a reason, audited."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ceasefire.core.models import AuditEvent
from tests import factories as f

pytestmark = pytest.mark.django_db


def _csv(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")


def test_the_export_keeps_the_pages_filters_and_records_them_with_the_reason(client_for, users):
    f.IncidentFactory(case_number="24-001", area="East")
    f.IncidentFactory(case_number="24-002", area="West")
    client = client_for("police_viewer")
    form = client.get(reverse("reviews:incident-export"), {"area": "East"})
    assert 'name="area" value="East"' in form.content.decode()
    response = client.post(
        reverse("reviews:incident-export"),
        {"area": "East", "format": "csv", "reason": "Beat meeting"},
    )
    text = _csv(response)
    assert "24-001" in text and "24-002" not in text
    event = AuditEvent.objects.get(action="export")
    assert event.actor == users["police_viewer"]
    assert event.detail == {
        "export": "incidents",
        "format": "csv",
        "reason": "Beat meeting",
        "filters": {"area": "East"},
    }


def test_formula_cells_are_neutralised_in_csv_and_xlsx(client_for):
    f.IncidentFactory(case_number="24-003", address='=HYPERLINK("http://x")')
    client = client_for("police_facilitator")
    data = {"format": "csv", "reason": "Beat meeting"}
    assert "'=HYPERLINK" in _csv(client.post(reverse("reviews:incident-export"), data))
    data["format"] = "xlsx"
    xlsx = client.post(reverse("reviews:incident-export"), data)
    sheet = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content))).active
    assert sheet["C2"].value.startswith("'=HYPERLINK")


def test_an_export_without_a_reason_writes_nothing(client_for):
    response = client_for("police_viewer").post(
        reverse("reviews:incident-export"), {"format": "csv"}
    )
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="export").exists()


def test_the_export_reads_in_a_fixed_number_of_queries(client_for, django_assert_max_num_queries):
    for _ in range(30):
        f.VictimFactory()
    client = client_for("police_viewer")
    with django_assert_max_num_queries(12):
        response = client.post(
            reverse("reviews:incident-export"), {"format": "csv", "reason": "Beat meeting"}
        )
        assert _csv(response).count("\n") == 31
