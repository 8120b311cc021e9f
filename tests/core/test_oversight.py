"""The auditor's oversight reports: aggregates only, small cells suppressed, CSV formula-safe."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ceasefire.core import oversight
from ceasefire.core.models import AuditEvent, RightsRequest
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("age", "group"),
    [
        (None, "unknown"),
        (12, "under 13"),
        (13, "13-17"),
        (17, "13-17"),
        (18, "18-24"),
        (34, "25-34"),
        (35, "35 and over"),
    ],
)
def test_age_groups(age, group):
    assert oversight.age_group(age) == group


def test_designations_by_age_gender_and_neighbourhood_with_small_cells_suppressed():
    for _ in range(6):
        f.DesignationFactory(
            person=f.PersonFactory(date_of_birth=dt.date(2000, 1, 1), neighbourhood="Fruitvale"),
            designated_on=dt.date(2017, 3, 1),
        )
    f.DesignationFactory(
        person=f.PersonFactory(date_of_birth=dt.date(2002, 1, 1), neighbourhood="=cmd|calc"),
        designated_on=dt.date(2017, 3, 1),
    )
    ages, genders, areas = oversight.designations_by_group()
    assert ages.header == ["age group", "2017"]
    assert ["13-17", 7] in ages.rows
    assert ["male", 7] in genders.rows
    assert ["Fruitvale", 6] in areas.rows and ["=cmd|calc", "<5"] in areas.rows


def test_requests_and_response_times():
    RightsRequest.objects.create(
        person=f.PersonFactory(),
        kind="information",
        requested_by="x",
        received_on=dt.date(2020, 1, 1),
        due_on=dt.date(2020, 1, 31),
        responded_on=dt.date(2020, 1, 11),
        outcome="answered",
        response="ok",
    )
    RightsRequest.objects.create(
        person=f.PersonFactory(),
        kind="information",
        requested_by="y",
        received_on=dt.date(2020, 1, 1),
        due_on=dt.date(2020, 1, 31),
    )
    table = oversight.requests_and_response_times(dt.date(2020, 3, 1))
    information = table.rows[0]
    assert information[1:] == [2, 1, 10.0, 1]


def test_the_auditor_reads_the_report_and_exports_it_as_safe_csv(client_for, users):
    f.DesignationFactory(
        person=f.PersonFactory(
            first_name="Named", last_name="Person", neighbourhood="=HYPERLINK(1)"
        )
    )
    client = client_for("auditor")
    page = client.get(reverse("core:oversight"))
    assert page.status_code == 200 and b"Named Person" not in page.content
    assert b"Designations by age group" in page.content
    export = client.get(reverse("core:oversight"), {"format": "csv"})
    text = export.content.decode()
    assert export["Content-Type"].startswith("text/csv") and "Named Person" not in text
    assert "=HYPERLINK" not in text.replace("'=HYPERLINK", "")
    assert AuditEvent.objects.filter(action="export", object_type="core.oversight").exists()


def test_the_auditor_reads_age_and_gender_breakdowns_with_small_cells_suppressed(client_for):
    for _ in range(2):
        f.DesignationFactory(
            person=f.PersonFactory(date_of_birth=dt.date(2000, 1, 1), gender="female"),
            designated_on=dt.date(2017, 3, 1),
        )
    ages, genders, _ = oversight.designations_by_group(suppress_all=True)
    assert ["13-17", "<5"] in ages.rows and ["female", "<5"] in genders.rows
    page = client_for("auditor").get(reverse("core:oversight")).content.decode()
    csv = client_for("auditor").get(reverse("core:oversight"), {"format": "csv"}).content.decode()
    assert "female,<5" in csv.replace("\r", "")
    assert "&lt;5" in page
