"""Notice and the right to ask: notices (juveniles' to a guardian too), 30-day request clocks."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from ceasefire.core import rights
from ceasefire.core.models import AuditEvent, Notice, RightsRequest
from tests import factories as f

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)
DAY = NOW.date()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_a_request_is_due_thirty_days_after_receipt_and_overdue_the_day_after(frozen, users):
    request = rights.request_record(
        person=f.PersonFactory(),
        user=users["police_facilitator"],
        kind="information",
        requested_by="The person",
        received_on=DAY,
    )
    assert request.due_on == DAY + dt.timedelta(days=30)
    with time_machine.travel(NOW + dt.timedelta(days=30), tick=False):
        assert list(rights.requests_overdue()) == []
    with time_machine.travel(NOW + dt.timedelta(days=31), tick=False):
        assert list(rights.requests_overdue()) == [request]
        assert request.is_late


def test_an_answered_request_is_never_overdue_and_records_how_long_it_took(frozen, users):
    request = rights.request_record(
        person=f.PersonFactory(),
        user=users["police_facilitator"],
        kind="removal",
        requested_by="Attorney J. Doe",
        received_on=DAY - dt.timedelta(days=40),
    )
    rights.request_respond(
        request=request,
        user=users["police_facilitator"],
        outcome="removed",
        response="Designation withdrawn; record closed.",
    )
    assert request.days_to_respond == 40 and request.is_late
    assert list(rights.requests_overdue()) == []
    event = AuditEvent.objects.filter(object_type="core.rightsrequest", action="change").get()
    assert event.detail["late"] is True
    with pytest.raises(ValidationError, match="already been answered"):
        rights.request_respond(
            request=request, user=users["police_facilitator"], outcome="answered", response="x"
        )


def test_withholding_needs_a_reason(frozen, users):
    request = rights.request_record(
        person=f.PersonFactory(),
        user=users["police_facilitator"],
        kind="information",
        requested_by="The person",
        received_on=DAY,
    )
    with pytest.raises(ValidationError, match="withheld"):
        rights.request_respond(
            request=request,
            user=users["police_facilitator"],
            outcome="withheld",
            response="We cannot say.",
        )
    request.refresh_from_db()
    assert request.responded_on is None
    rights.request_respond(
        request=request,
        user=users["police_facilitator"],
        outcome="partly_withheld",
        response="You are on the list since March.",
        withheld_reason="An open investigation names a witness.",
    )
    assert request.withheld_reason.startswith("An open investigation")


def test_a_future_request_is_refused(frozen, users):
    with pytest.raises(ValidationError, match="future"):
        rights.request_record(
            person=f.PersonFactory(),
            user=users["police_facilitator"],
            kind="information",
            requested_by="x",
            received_on=DAY + dt.timedelta(days=1),
        )
    assert not RightsRequest.objects.exists()


def test_a_juveniles_notice_also_goes_to_a_parent_or_guardian(frozen, users):
    teen = f.PersonFactory(date_of_birth=dt.date(2010, 1, 1))
    with pytest.raises(ValidationError, match="parent or guardian"):
        rights.notice_record(
            person=teen, user=users["police_facilitator"], given_on=DAY, channel="letter"
        )
    assert not Notice.objects.exists()
    rights.notice_record(
        person=teen,
        user=users["police_facilitator"],
        given_on=DAY,
        channel="letter",
        guardian_name="Tanya Moss (mother)",
    )
    adult = f.PersonFactory(date_of_birth=dt.date(1990, 1, 1))
    rights.notice_record(
        person=adult, user=users["police_facilitator"], given_on=DAY, channel="in_person"
    )
    assert Notice.objects.count() == 2


def test_custom_notifications_count_as_notices(frozen, users):
    person = f.PersonFactory()
    f.CustomNotificationFactory(person=person, delivered_on=DAY - dt.timedelta(days=3))
    rights.notice_record(
        person=person, user=users["police_facilitator"], given_on=DAY, channel="letter"
    )
    assert [n.how for n in rights.notices_of(person)] == ["Letter", "Custom notification"]


def test_the_police_lead_records_a_request_on_the_person_page_and_sees_it_overdue(
    client_for, users, django_assert_max_num_queries
):
    person = f.PersonFactory(first_name="Andre", last_name="Moss")
    client = client_for("police_facilitator")
    response = client.post(
        reverse("core:person-request-record", args=[person.pk]),
        {"kind": "removal", "requested_by": "His attorney", "received_on": "2020-01-02"},
    )
    assert response.status_code == 302
    refused = client.post(
        reverse("core:person-request-record", args=[person.pk]),
        {"kind": "removal", "requested_by": "", "received_on": "2020-01-02"},
        follow=True,
    )
    assert RightsRequest.objects.count() == 1 and b"This field is required" in refused.content
    with django_assert_max_num_queries(15) as few:
        page = client.get(reverse("core:requests-overdue"))
    assert b"Andre Moss" in page.content
    for _ in range(5):
        RightsRequest.objects.create(
            person=f.PersonFactory(),
            kind="information",
            requested_by="x",
            received_on=dt.date(2020, 1, 1),
            due_on=dt.date(2020, 1, 31),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("core:requests-overdue"))


def test_a_granted_removal_request_withdraws_the_designation_and_the_shares(frozen, users):
    lead = users["police_facilitator"]
    person = f.PersonFactory()
    designation = f.DesignationFactory(person=person)
    share = f.ShareFactory(person=person)
    other = f.DesignationFactory()
    request = rights.request_record(
        person=person, user=lead, kind="removal", requested_by="The person", received_on=DAY
    )
    rights.request_respond(
        request=request, user=lead, outcome="removed", response="Removed from the list."
    )
    designation.refresh_from_db()
    share.refresh_from_db()
    other.refresh_from_db()
    assert designation.ended_on == DAY and designation.end_reason == "withdrawn"
    assert designation.ended_by == lead
    assert share.withdrawn_at is not None and share.withdrawn_by == lead
    assert "Removal request" in share.withdrawal_reason
    assert other.ended_on is None
    answer = AuditEvent.objects.filter(object_type="core.rightsrequest", action="change").get()
    assert answer.detail["withdrawn"] == {"designations": 1, "shares": 1}
    assert AuditEvent.objects.filter(
        object_type="core.riskdesignation", object_id=str(designation.pk), action="change"
    ).exists()
    assert AuditEvent.objects.filter(
        object_type="core.partnershipshare", object_id=str(share.pk), action="change"
    ).exists()


def test_a_refused_removal_or_an_information_request_withdraws_nothing(frozen, users):
    lead = users["police_facilitator"]
    person = f.PersonFactory()
    designation = f.DesignationFactory(person=person)
    share = f.ShareFactory(person=person)
    for kind, outcome in (("removal", "refused"), ("information", "answered")):
        request = rights.request_record(
            person=person, user=lead, kind=kind, requested_by="The person", received_on=DAY
        )
        rights.request_respond(request=request, user=lead, outcome=outcome, response="Answered.")
    designation.refresh_from_db()
    share.refresh_from_db()
    assert designation.ended_on is None and share.withdrawn_at is None
