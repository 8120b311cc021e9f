"""A purge leaves the person's name nowhere: not in other incidents' review answers, meetings'
minutes and frozen snapshots, tasks, the admin's log, nor the audit log (whose rows never hold a
name: a person token resolved at read time, so the hash chain still verifies)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Cast
from django.urls import reverse

from ceasefire.core import retention
from ceasefire.core.audit import Action, audit_record, object_label, verify_chain
from ceasefire.core.models import AgendaItem, AuditEvent, Involvement, Person, TaskUpdate
from coordination.models import PartnershipHealthItem, PersonPlan
from reviews.models import ReviewIncident, ReviewSummary
from tests import factories as f

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)
LONG_AGO = NOW - dt.timedelta(days=6 * 365)
NAME = "Zoë Quietwater"


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _rows_mentioning(text: str) -> list[str]:
    """Every (table, column) of every model whose text or JSON holds ``text`` (as typed or as
    JSON escapes it)."""
    needles = {text, json.dumps(text)[1:-1]}
    found = []
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.CharField | models.TextField | models.JSONField):
                continue
            rows = model._default_manager.annotate(_t=Cast(field.name, models.TextField()))
            for needle in needles:
                if rows.filter(_t__contains=needle).exists():
                    found.append(f"{model._meta.db_table}.{field.column}")
    return sorted(set(found))


def _plant(users) -> Person:
    lead = users["police_facilitator"]
    first, last = NAME.split()
    person = f.PersonFactory(first_name=first, last_name=last, created_at=LONG_AGO)
    mine = f.IncidentFactory(occurred_at=LONG_AGO)
    involvement = f.InvolvementFactory(incident=mine, person=person, notes=f"{NAME} hit")
    designation = f.DesignationFactory(
        person=person,
        designated_on=LONG_AGO.date(),
        review_due=LONG_AGO.date() + dt.timedelta(days=90),
        ended_on=LONG_AGO.date() + dt.timedelta(days=91),
        end_reason="lapsed",
    )
    # another incident, its review answers and the review's frozen snapshots name the person
    other = f.IncidentFactory(occurred_at=LONG_AGO, narrative=f"Retaliation for {NAME}")
    review = f.ClosedShootingReviewFactory(minutes=f"Discussed {NAME} at length.")
    f.ReviewIncidentFactory(
        meeting=review,
        incident=other,
        motive=f"Payback for {NAME}",
        risk_notes=f"{NAME}'s brother",
        facts_at_close={"victims": [{"name": NAME}], "notes": [f"about {NAME}"]},
    )
    ReviewSummary.objects.create(
        meeting=review,
        hottest_conflicts=f"{NAME} is central",
        deliverables_at_close=[{"title": f"Call {NAME}", "by": "Police"}],
    )
    AgendaItem.objects.create(meeting=review, section="risk", title=f"{NAME}", notes=NAME)
    coordination = f.CoordinationMeetingFactory(minutes=f"{NAME} declined services.")
    PartnershipHealthItem.objects.create(
        category="resource_needs",
        title=f"Housing for {NAME}'s family",
        owner_organisation=users["partner_lead"].organisation,
        raised_at=coordination,
        notes=NAME,
    )
    someone_else = f.PersonFactory(first_name="Kept", last_name="Person")
    PersonPlan.objects.create(meeting=coordination, person=someone_else, notes=f"cousin {NAME}")
    task = f.TaskFactory(title=f"Visit {NAME}", description=f"{NAME} lives nearby")
    TaskUpdate.objects.create(task=task, note=f"Spoke to {NAME}", author=lead)
    LogEntry.objects.create(
        user_id=users["admin"].pk,
        content_type_id=ContentType.objects.get_for_model(Person).pk,
        object_id=str(person.pk),
        object_repr=NAME,
        action_flag=CHANGE,
        change_message=f"Changed {NAME}",
    )
    # the audit log: the person, and rows about them
    audit_record(actor=lead, action=Action.VIEW, obj=person)
    audit_record(actor=lead, action=Action.CHANGE, obj=designation)
    audit_record(actor=lead, action=Action.CHANGE, obj=Involvement.objects.get(pk=involvement.pk))
    return person


def test_the_name_is_planted_everywhere_then_gone_from_every_table(frozen, users, client_for):
    person = _plant(users)
    before = _rows_mentioning(NAME)
    for table in ("core_incident", "reviews_reviewincident", "reviews_reviewsummary"):
        assert any(found.startswith(table) for found in before), table
    assert not any(found.startswith("core_auditevent") for found in before)
    assert f"{{person:{person.pk}}}" in AuditEvent.objects.values_list("object_label", flat=True)
    page = client_for("auditor").get(reverse("core:audit-log")).content.decode()
    assert NAME in page  # resolved at read time while the person is on record

    report = retention.retention_run(dry_run=False, user=users["police_facilitator"])
    assert report.purged == [person.pk]

    assert _rows_mentioning(NAME) == []
    assert _rows_mentioning("Quietwater") == []
    snapshot = ReviewIncident.objects.get(motive__startswith="Payback").facts_at_close
    assert snapshot == {
        "victims": [{"name": "[a purged person]"}],
        "notes": ["about [a purged person]"],
    }
    assert verify_chain() is None
    page = client_for("auditor").get(reverse("core:audit-log")).content.decode()
    assert NAME not in page and "Purged person" in page
    export = client_for("auditor").post(
        reverse("core:audit-export"), {"format": "csv", "reason": "Purge check"}
    )
    content = getattr(export, "streaming_content", None)
    text = b"".join(content).decode() if content is not None else export.content.decode()
    assert "Purged person" in text and NAME not in text


def test_an_audit_label_never_holds_a_persons_name(users):
    person = f.PersonFactory(first_name="Marcus", last_name="Reed")
    designation = f.DesignationFactory(person=person)
    assert object_label(person) == f"{{person:{person.pk}}}"
    assert "Marcus Reed" not in object_label(designation)
    assert object_label(f.GroupFactory(name="Acorn")) == "Acorn"


def test_a_name_in_a_full_or_unique_column_is_replaced_without_breaking_it(frozen, users):
    first, last = NAME.split()
    person = f.PersonFactory(first_name=first, last_name=last, created_at=LONG_AGO)
    f.GroupFactory(name=f"{NAME} crew")
    f.GroupFactory(name="[a purged person] crew")
    padding = "x" * (300 - len(NAME) - 1) + " "
    full = f.TaskFactory(title=padding + NAME)
    assert len(full.title) == 300
    assert retention.retention_run(dry_run=False).purged == [person.pk]
    assert _rows_mentioning(NAME) == []
    full.refresh_from_db()
    assert full.title == (padding + "[a purged person]")[:300]  # cut at the column's length
    names = set(f.GroupFactory._meta.model.objects.values_list("name", flat=True))
    assert {"[a purged person] crew"} < names and len(names) == 2
