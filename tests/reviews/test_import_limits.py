"""The incident CSV import answers a NUL byte, a field past the csv module's 131,072-character
limit and a field past the import's own limit with a per-row message, never a 500 (the upload
queues an import job; its page lists the refused rows)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from ceasefire.core.models import Incident

pytestmark = pytest.mark.django_db

HEADER = "case_number,occurred_at,address,area,weapon,fatal_victims,nonfatal_victims\n"


@pytest.fixture
def facilitator(users, django_capture_on_commit_callbacks):
    client = Client(raise_request_exception=False)
    client.force_login(users["police_facilitator"])

    def upload(text: str):
        """Upload, run the queued job (after commit), and open its page."""
        file = SimpleUploadedFile("shootings.csv", text.encode(), content_type="text/csv")
        with django_capture_on_commit_callbacks(execute=True):
            queued = client.post("/reviews/incidents/import/", {"file": file})
        assert queued.status_code == 302, "the upload queues a job and goes to its page"
        return client.get(queued["Location"])

    return upload


def test_a_csv_with_a_nul_byte_is_refused_line_by_line(facilitator):
    response = facilitator(HEADER + "A-1,2017-03-14T21:30,1 Main\x00 St,1,firearm,1,0\n")
    assert response.status_code == 200
    assert "Line 2: the line contains a NUL character" in response.content.decode()
    assert not Incident.objects.exists()


def test_a_csv_field_over_the_csv_modules_limit_is_refused_with_a_message(facilitator):
    huge = "x" * 131_073
    response = facilitator(HEADER + f"A-1,2017-03-14T21:30,{huge},1,firearm,1,0\n")
    assert response.status_code == 200
    assert "far longer than 1,000 characters" in response.content.decode()
    assert not Incident.objects.exists()


def test_a_csv_field_over_the_import_limit_is_refused_for_its_row(facilitator):
    rows = "A-1,2017-03-14T21:30,1 Main St,1,firearm,1,0\n" + (
        "A-2,2017-03-14T21:30," + "y" * 1_001 + ",1,firearm,1,0\n"
    )
    response = facilitator(HEADER + rows)
    assert response.status_code == 200
    assert "Line 3: address longer than 1,000 characters" in response.content.decode()
    assert not Incident.objects.exists()
