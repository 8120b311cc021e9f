"""Need-to-know, proven: unique sentinels planted in every intelligence field never reach a
non-police role, on any page, fragment, export, PDF or API response of the role × URL tables.

Each app's world (``tests/<app>/access_table.py``) is built, every person in it is given
intelligence (an affiliation, confirmed and pending designations, a suspect role in an incident
with a narrative), and every intelligence column of every row is overwritten with a sentinel
naming the column. Then every row of the table is requested as every non-police role (and as
htmx where the row serves fragments): GET rows, and POST rows too (form errors re-rendered, an
export's file), each POST inside a savepoint rolled back so the world stays as planted. No body
may contain a sentinel, and an executive's may contain no person's name. Bodies are read as
text: a PDF's text is extracted (pypdf) and a spreadsheet's cells read (openpyxl), since raw
bytes hide compressed text. Police must see the sentinels (the plant worked).
"""

from __future__ import annotations

import importlib
import io
import zipfile

import pytest
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from ceasefire.core.models import (
    Conflict,
    Group,
    GroupAffiliation,
    Incident,
    Involvement,
    Person,
    RiskDesignation,
)
from reviews.models import DesignationDecision, ReviewIncident, ReviewSummary, RiskDecision
from tests import access
from tests import factories as f

pytestmark = [pytest.mark.django_db]

NON_POLICE = tuple(role for role in access.ROLES if role not in access.POLICE)
APPS = ("core", "reviews", "coordination", "performance", "api")

# (model, column): every intelligence field (SPEC §2: narratives, suspect roles, group labels on
# a person and their basis, designation criteria and basis, investigative notes, review answers)
INTELLIGENCE = [
    (Incident, "narrative"),
    (Involvement, "notes"),
    (GroupAffiliation, "basis"),
    (Group, "description"),
    (Conflict, "description"),
    (RiskDesignation, "basis"),
    (RiskDecision, "reason"),
    (RiskDecision, "dismissal_reason"),
    (DesignationDecision, "basis"),
    (ReviewIncident, "motive"),
    (ReviewIncident, "risk_notes"),
    (ReviewSummary, "hottest_conflicts"),
    (ReviewSummary, "enforcement_priorities"),
]


def sentinel(model, column: str) -> str:
    return f"SENTINEL-{model.__name__}-{column}-7f3a"


def _plant() -> list[str]:
    """Give every person intelligence, then overwrite every intelligence column."""
    group = f.GroupFactory(name="Sentinel Crew")
    for person in Person.objects.all()[:60]:
        f.AffiliationFactory(person=person, group=group)
        incident = f.IncidentFactory()
        f.InvolvementFactory(incident=incident, person=person, role="suspect", injury="")
        f.DesignationFactory(person=person)
        f.DesignationFactory(person=person, status=RiskDesignation.Status.PENDING)
    planted = []
    for model, column in INTELLIGENCE:
        model.objects.update(**{column: sentinel(model, column)})
        planted.append(sentinel(model, column))
    RiskDesignation.objects.update(criteria=["SENTINEL-criteria-7f3a"])
    planted.append("SENTINEL-criteria-7f3a")
    return planted


def _requests(table):
    """Every row of the table (GET first: the POSTs are rolled back, but run after them)."""
    rows = sorted(table, key=lambda row: row.method != "GET")
    for row in rows:
        for htmx in (False, True) if row.htmx_expect else (False,):
            yield row, htmx


def readable(raw: bytes) -> str:
    """A response body as the text a reader gets: a PDF's extracted text, a spreadsheet's cells,
    anything else decoded."""
    if raw.startswith(b"%PDF"):
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError, PdfStreamError

        try:
            reader = PdfReader(io.BytesIO(raw))
            text = "\n".join(page.extract_text() or "" for page in reader.pages)
        except (PdfReadError, PdfStreamError):  # not a whole PDF (a test stub): its bytes
            return raw.decode(errors="replace")
        return text + "\n" + raw.decode(errors="replace")
    if raw.startswith(b"PK") and zipfile.is_zipfile(io.BytesIO(raw)):
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(raw), read_only=True)
        return "\n".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    return raw.decode(errors="replace")


def _send(case: access.Case, world) -> str:
    if case.row.method == "GET":
        return readable(access.body(access.send(case, world)))
    with transaction.atomic():
        text = readable(access.body(access.send(case, world)))
        transaction.set_rollback(True)
    return text


def test_pdf_bodies_are_read_as_text():
    from weasyprint import HTML

    pdf = HTML(string="<p>SENTINEL-pdf-7f3a</p>").write_pdf()
    assert b"SENTINEL-pdf-7f3a" not in pdf  # compressed: a raw-byte scan would miss it
    assert "SENTINEL-pdf-7f3a" in readable(pdf)


@pytest.mark.parametrize("app", APPS)
def test_no_sentinel_reaches_a_non_police_role(app, tmp_path):
    table = importlib.import_module(f"tests.{app}.access_table")
    with override_settings(PASSWORD_HASHERS=access.FAST_HASHERS, MEDIA_ROOT=tmp_path):
        world = table.build_world()
        planted = _plant()
        names = [str(p) for p in Person.objects.all() if len(str(p)) > 5]
        world.sessions = access._sessions(world.users)
        leaks = []
        checked = 0
        methods = set()
        for row, htmx in _requests(table.TABLE):
            for role in NON_POLICE:
                content = _send(access.Case(row, role, htmx), world)
                checked += 1
                methods.add(row.method)
                leaks += [f"{row} as {role}: {s}" for s in planted if s in content]
                if role == "executive":
                    leaks += [f"{row} as executive: name {n}" for n in names if n in content]
    assert checked and "GET" in methods, "the table has GET rows"
    assert leaks == []


def test_the_police_see_the_planted_sentinels(tmp_path):
    table = importlib.import_module("tests.reviews.access_table")
    with override_settings(MEDIA_ROOT=tmp_path):
        world = table.build_world()
        planted = _plant()
        client = Client()
        client.force_login(world.users["police_viewer"])

        person = Person.objects.filter(affiliations__isnull=False).first()
        page = client.get(reverse("core:person-detail", args=[person.pk])).content.decode()
        incident = client.get(
            reverse("reviews:incident-detail", args=[world.incident.pk])
        ).content.decode()
    seen = [s for s in planted if s in page + incident]
    assert sentinel(RiskDesignation, "basis") in seen
    assert sentinel(GroupAffiliation, "basis") in seen
    assert sentinel(Incident, "narrative") in seen
