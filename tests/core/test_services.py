"""Shared services: designations keep history, tasks refuse stale saves, shares can be withdrawn."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from ceasefire.core import services
from ceasefire.core.concurrency import ConcurrentEditError
from ceasefire.core.models import PartnershipShare, RiskDesignation, Task
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_letting_a_designation_lapse_ends_it_without_deleting_it(users):
    designation = f.DesignationFactory()
    services.designation_end(designation=designation, user=users["police_facilitator"])
    designation.refresh_from_db()
    assert designation.end_reason == "lapsed"
    assert not RiskDesignation.objects.active_on(timezone.localdate()).exists()
    with pytest.raises(ValidationError):
        services.designation_end(designation=designation, user=users["police_facilitator"])


def test_a_stale_task_update_is_refused_with_who_and_when(users, orgs):
    task = services.task_create(
        user=users["police_facilitator"], title="Hospital visit", assigned_organisation=orgs["cbo"]
    )
    services.task_update(
        task=task, user=users["partner_staff"], expected_version=1, status=Task.Status.IN_PROGRESS
    )
    stale = Task.objects.get(pk=task.pk)
    stale.version = 1
    with pytest.raises(ConcurrentEditError) as error:
        services.task_update(
            task=stale, user=users["partner_lead"], expected_version=1, status=Task.Status.DONE
        )
    assert str(users["partner_staff"]) in error.value.message
    task.refresh_from_db()
    assert task.status == Task.Status.IN_PROGRESS and task.version == 2
    assert task.updates.count() == 1


def test_task_update_with_nothing_to_save_is_refused(users, orgs):
    task = f.TaskFactory(assigned_organisation=orgs["cbo"])
    with pytest.raises(ValidationError):
        services.task_update(
            task=task, user=users["partner_staff"], expected_version=task.version, note="  "
        )


def test_task_assigned_user_must_belong_to_the_organisation(users, orgs):
    with pytest.raises(ValidationError):
        services.task_create(
            user=users["police_facilitator"],
            title="Call",
            assigned_organisation=orgs["cbo"],
            assigned_user=users["partner_lead"],
        )
    assert not Task.objects.exists()


def test_sharing_is_recorded_and_can_be_withdrawn(users):
    person = f.PersonFactory()
    share = services.share_create(
        person=person,
        user=users["police_facilitator"],
        risk_assessment="At high risk of violence",
        recommended_interventions=["custom_notification"],
        reason="Shot twice this year",
    )
    again = services.share_create(
        person=person,
        user=users["police_facilitator"],
        risk_assessment="At very high risk",
        reason="Shot again",
    )
    assert again.pk == share.pk
    with pytest.raises(ValidationError):
        services.share_withdraw(share=share, user=users["police_facilitator"], reason="")
    services.share_withdraw(
        share=share, user=users["police_facilitator"], reason="Moved out of state"
    )
    assert not PartnershipShare.objects.filter(withdrawn_at__isnull=True).exists()


def test_unknown_interventions_are_refused(users):
    with pytest.raises(ValidationError):
        services.share_create(
            person=f.PersonFactory(),
            user=users["police_facilitator"],
            risk_assessment="High",
            reason="Shot",
            recommended_interventions=["hug"],
        )


def test_closing_a_meeting_freezes_it(users):
    meeting = f.MeetingFactory()
    services.meeting_close(
        meeting=meeting, user=users["police_facilitator"], expected_version=meeting.version
    )
    assert meeting.is_closed and meeting.closed_at
    with pytest.raises(ValidationError):
        services.meeting_close(
            meeting=meeting, user=users["police_facilitator"], expected_version=meeting.version
        )


def test_sharing_needs_a_reason_and_records_who_to_whom_why_and_when(users):
    from ceasefire.core.models import AuditEvent

    person = f.PersonFactory()
    with pytest.raises(ValidationError, match="Say why"):
        services.share_create(
            person=person, user=users["police_facilitator"], risk_assessment="High", reason=" "
        )
    assert not PartnershipShare.objects.exists()
    share = services.share_create(
        person=person,
        user=users["police_facilitator"],
        risk_assessment="At high risk of violence",
        reason="Victim of two shootings in 60 days",
        shared_with="Youth Alive and the Human Services Department",
    )
    assert share.shared_by == users["police_facilitator"] and share.shared_at
    assert share.reason == "Victim of two shootings in 60 days"
    event = AuditEvent.objects.get(object_type="core.partnershipshare")
    assert event.detail["why"] == share.reason and event.detail["to"] == share.shared_with


def test_a_withdrawal_takes_effect_on_the_partners_next_request(users, client_for):
    from django.urls import reverse

    person = f.PersonFactory()
    share = services.share_create(
        person=person,
        user=users["police_facilitator"],
        risk_assessment="At high risk",
        reason="Shot this week",
    )
    partner = client_for("partner_lead")
    url = reverse("core:person-detail", args=[person.pk])
    assert partner.get(url).status_code == 200
    services.share_withdraw(share=share, user=users["police_facilitator"], reason="Moved away")
    assert partner.get(url).status_code == 404
