"""Partner visibility for every role: who sees which person; withdrawal takes effect at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ceasefire.core import permissions
from ceasefire.core import services as core_services
from ceasefire.core.models import AuditEvent, Role, Task
from tests import factories as f

pytestmark = pytest.mark.django_db

# shared = shared with the partnership and on an open Youth Alive (cbo) task; hidden = neither.
EXPECTED_SHARED_VISIBLE = {
    "admin": False,
    "auditor": False,
    "police_facilitator": True,
    "police_viewer": True,
    "partner_lead": True,  # shared with the partnership
    "partner_staff": True,  # on their organisation's task while shared
    "community_partner": False,
    "executive": False,
}


@pytest.mark.parametrize("role", list(EXPECTED_SHARED_VISIBLE))
def test_who_sees_a_shared_person(agenda, users, role):
    assert permissions.can_view_person(users[role], agenda.shared) is EXPECTED_SHARED_VISIBLE[role]


@pytest.mark.parametrize("role", list(EXPECTED_SHARED_VISIBLE))
def test_nobody_but_police_sees_an_unshared_person(agenda, users, role):
    assert permissions.can_view_person(users[role], agenda.hidden) is (
        role in ("police_facilitator", "police_viewer")
    )


def test_partner_of_another_organisation_sees_nothing_of_a_person_not_shared_with_them(
    agenda, orgs, client_for
):
    other = f.UserFactory(
        username="other_staff", role=Role.PARTNER_STAFF, organisation=orgs["other_cbo"]
    )
    f.EnrolmentFactory(
        person=agenda.hidden, provider=orgs["cbo"]
    )  # on Youth Alive's caseload, not Roots'
    f.TaskFactory(
        assigned_organisation=orgs["cbo"], subject_person=agenda.hidden, title="Visit at home"
    )
    from django.test import Client

    client = Client()
    client.force_login(other)
    assert client.get(reverse("core:person-detail", args=[agenda.hidden.pk])).status_code == 404
    page = client.get(reverse("coordination:followups")).content.decode()
    assert "Hidden" not in page and "Visit at home" not in page
    api = client.get(reverse("coordination:api-followups")).json()
    assert api["count"] == 0
    assert client.get(reverse("coordination:caseload")).content.decode().count("Hidden") == 0


def test_partner_staff_sees_a_caseload_person_even_when_not_shared(agenda, orgs, users):
    f.EnrolmentFactory(person=agenda.hidden, provider=orgs["cbo"])
    assert permissions.can_view_person(users["partner_staff"], agenda.hidden)
    assert not permissions.can_view_person(users["partner_lead"], agenda.hidden)


def test_partner_staff_does_not_see_a_shared_person_without_an_organisation_task(agenda, users):
    agenda.task.status = Task.Status.DONE
    agenda.task.save(update_fields=["status"])
    assert not permissions.can_view_person(users["partner_staff"], agenda.shared)
    assert permissions.can_view_person(users["partner_lead"], agenda.shared)


def test_probation_lead_sees_their_supervisee(orgs):
    probation_lead = f.UserFactory(
        username="prob", role=Role.PARTNER_LEAD, organisation=orgs["probation"]
    )
    supervisee = f.PersonFactory(on_supervision=True, supervising_organisation=orgs["probation"])
    assert permissions.can_view_person(probation_lead, supervisee)
    assert permissions.can_view_intelligence(probation_lead, supervisee)


def test_withdrawal_removes_access_at_once(agenda, users, client_for):
    staff, lead = client_for("partner_staff"), client_for("partner_lead")
    assert staff.get(reverse("core:person-detail", args=[agenda.shared.pk])).status_code == 200
    assert (
        "Darnell Shared"
        in lead.get(
            reverse("coordination:meeting-detail", args=[agenda.meeting.pk])
        ).content.decode()
    )

    core_services.share_withdraw(share=agenda.share, user=agenda.police, reason="Relocated")

    assert staff.get(reverse("core:person-detail", args=[agenda.shared.pk])).status_code == 404
    assert lead.get(reverse("core:person-detail", args=[agenda.shared.pk])).status_code == 404
    assert (
        "Darnell"
        not in lead.get(
            reverse("coordination:meeting-detail", args=[agenda.meeting.pk])
        ).content.decode()
    )
    detail = staff.get(
        reverse("coordination:followup-detail", args=[agenda.task.pk])
    ).content.decode()
    assert "Darnell" not in detail and "not shared with you" in detail
    listing = staff.get(reverse("coordination:followups")).content.decode()
    assert "Darnell" not in listing
    api = staff.get(reverse("coordination:api-followups")).json()
    assert api["results"][0]["subject"] == "A person (not shared with you)"


def test_withdrawal_through_the_meeting_page_is_a_police_facilitator_action_with_a_reason(
    agenda, client_for
):
    url = reverse("coordination:share-withdraw", args=[agenda.meeting.pk, agenda.share.pk])
    client = client_for("police_facilitator")
    client.post(url, {"reason": ""})
    agenda.share.refresh_from_db()
    assert agenda.share.is_active
    client.post(url, {"reason": "Moved out of state"})
    agenda.share.refresh_from_db()
    assert not agenda.share.is_active and agenda.share.withdrawal_reason == "Moved out of state"
    assert client_for("partner_lead").post(url, {"reason": "x"}).status_code == 403


def test_followup_of_a_withdrawn_person_cannot_record_contacts(agenda, client_for, today):
    core_services.share_withdraw(share=agenda.share, user=agenda.police, reason="Relocated")
    response = client_for("partner_staff").post(
        reverse("coordination:followup-notification", args=[agenda.task.pk]),
        {"delivered_on": today.isoformat(), "delivered_by": "x", "outcome": "delivered"},
    )
    assert response.status_code == 403


def test_partners_never_see_intelligence_on_the_meeting_page(agenda, users, client_for, orgs):
    designation = f.DesignationFactory(
        person=agenda.shared, renewal_count=3, basis="Informant says he carries a gun"
    )
    group = f.GroupFactory(name="Ghost Town", description="Runs the corner at 35th")
    f.ConflictFactory(group_a=group, status="hot", description="Retaliation expected after funeral")
    from ceasefire.core.models import GroupAffiliation

    GroupAffiliation.objects.create(
        person=agenda.shared,
        group=group,
        basis="Tattoo and social media",
        since=designation.designated_on,
    )
    url = reverse("coordination:meeting-detail", args=[agenda.meeting.pk])
    lead_page = client_for("partner_lead").get(url).content.decode()
    for secret in ["Informant", "Runs the corner", "Retaliation", "Tattoo", "VHR renewed"]:
        assert secret not in lead_page
    assert "Ghost Town" in lead_page and "Hot" in lead_page  # names and status only
    police_page = client_for("police_facilitator").get(url).content.decode()
    assert "VHR renewed 3 times" in police_page


def test_community_partner_sees_the_agenda_they_attend_but_no_people(agenda, orgs, client_for):
    agenda.meeting.attending_organisations.add(orgs["faith"])
    page = (
        client_for("community_partner")
        .get(reverse("coordination:meeting-detail", args=[agenda.meeting.pk]))
        .content.decode()
    )
    assert "Darnell" not in page and "Hidden" not in page
    assert "Partnership health" in page


def test_every_meeting_view_is_an_audit_event_naming_the_people_shown(agenda, client_for, users):
    client_for("partner_lead").get(reverse("coordination:meeting-detail", args=[agenda.meeting.pk]))
    event = AuditEvent.objects.filter(
        actor=users["partner_lead"], action="view", object_type="core.meeting"
    ).get()
    assert event.detail["people"] == [agenda.shared.pk]


def test_followup_view_is_an_audit_event(agenda, client_for, users):
    client_for("partner_staff").get(reverse("coordination:followup-detail", args=[agenda.task.pk]))
    event = AuditEvent.objects.filter(
        actor=users["partner_staff"], action="view", object_type="core.task"
    ).get()
    assert event.detail["people"] == [agenda.shared.pk]


def test_with_subject_visibility_hides_people_from_executives(agenda, users):
    task = permissions.with_subject_visibility(
        users["executive"], Task.objects.filter(pk=agenda.task.pk)
    ).get()
    assert (
        permissions.followup_subject_label(users["executive"], task)
        == "A person (not shared with you)"
    )


def test_the_coordination_tasks_are_one_condition_not_a_list_of_every_task_id(db, users):
    """A user's tasks joined by ``pk IN (their tasks)`` made PostgreSQL hash every task's id (45,000
    at city scale) for each list and count of the coordination page."""
    for role in ("police_facilitator", "police_viewer", "partner_lead", "partner_staff"):
        sql = str(permissions.coordination_tasks_visible_to(users[role]).query)
        assert '"core_task"."id" IN' not in sql, role
