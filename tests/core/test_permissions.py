"""The permission rules of SPEC §2, as matrices over every role."""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from ceasefire.core import permissions as p
from ceasefire.core import services
from ceasefire.core.models import Meeting, Role
from tests import factories as f
from tests.conftest import ALL_ROLES

pytestmark = pytest.mark.django_db

# role → (sees intelligence, sees an unshared person, sees a shared person)
PEOPLE_MATRIX = {
    "admin": (False, False, False),
    "auditor": (False, False, False),
    "police_facilitator": (True, True, True),
    "police_viewer": (True, True, True),
    "partner_lead": (False, False, True),
    "partner_staff": (False, False, False),  # staff need a task or caseload, not just a share
    "community_partner": (False, False, False),
    "executive": (False, False, False),
}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_people_visibility_by_role(users, role):
    user = users[role]
    unshared = f.PersonFactory()
    shared = f.ShareFactory().person
    intelligence, sees_unshared, sees_shared = PEOPLE_MATRIX[role]
    assert p.can_view_intelligence(user, shared) is intelligence
    assert p.can_view_person(user, unshared) is sees_unshared
    assert p.can_view_person(user, shared) is sees_shared


def test_staff_see_people_on_their_organisations_tasks_only_while_shared(users, orgs):
    staff = users["partner_staff"]
    share = f.ShareFactory()
    f.TaskFactory(subject_person=share.person, assigned_organisation=orgs["cbo"])
    assert p.can_view_person(staff, share.person)
    services.share_withdraw(
        share=share, user=users["police_facilitator"], reason="No longer at risk"
    )
    assert not p.can_view_person(staff, share.person)
    assert not p.can_view_person(users["partner_lead"], share.person)


def test_staff_see_their_caseload_but_not_another_organisations(users, orgs):
    mine = f.EnrolmentFactory(provider=orgs["cbo"]).person
    theirs = f.EnrolmentFactory(provider=orgs["other_cbo"]).person
    assert p.can_view_person(users["partner_staff"], mine)
    assert not p.can_view_person(users["partner_staff"], theirs)
    with pytest.raises(Http404):
        p.get_person_for_user(users["partner_staff"], theirs.pk)


def test_probation_sees_intelligence_only_for_its_own_supervisees(orgs):
    probation_officer = f.UserFactory(role=Role.PARTNER_STAFF, organisation=orgs["probation"])
    supervisee = f.PersonFactory(on_supervision=True, supervising_organisation=orgs["probation"])
    other = f.ShareFactory().person
    assert p.can_view_person(probation_officer, supervisee)
    assert p.can_view_intelligence(probation_officer, supervisee)
    assert not p.can_view_intelligence(probation_officer, other)


def test_partners_get_404_for_people_and_403_for_writes(users):
    shared = f.ShareFactory().person
    assert p.get_person_for_user(users["partner_lead"], shared.pk) == shared
    with pytest.raises(PermissionDenied):
        p.get_person_for_user(users["partner_lead"], shared.pk, write=True)
    with pytest.raises(Http404):
        p.get_person_for_user(users["executive"], shared.pk)


MEETING_MATRIX = {
    # role → kinds visible
    "admin": set(),
    "auditor": set(),
    "police_facilitator": {"shooting_review", "coordination", "performance_review"},
    "police_viewer": {"shooting_review"},
    "partner_lead": {"coordination", "performance_review"},
    "partner_staff": set(),
    "community_partner": {"coordination"},  # only those they attend
    "executive": {"performance_review"},
}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_meeting_visibility_by_role(users, orgs, role):
    meetings = {kind: f.MeetingFactory(kind=kind) for kind in Meeting.Kind.values}
    meetings["coordination"].attending_organisations.add(orgs["faith"])
    f.MeetingFactory(kind="coordination")  # not attended by the community partner
    visible = p.meetings_visible_to(users[role])
    assert {m.kind for m in visible} == MEETING_MATRIX[role]
    if role == "community_partner":
        assert list(visible) == [meetings["coordination"]]


# role → (may change own-org task, may change other-org task, may change a performance commitment)
TASK_MATRIX = {
    "admin": (False, False, False),
    "auditor": (False, False, False),
    "police_facilitator": (True, True, True),
    "police_viewer": (True, False, False),
    "partner_lead": (True, False, False),
    "partner_staff": (True, False, False),
    "community_partner": (True, False, False),
    "executive": (False, False, True),
}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_task_change_rules_by_role(users, orgs, role):
    user = users[role]
    own = f.TaskFactory(assigned_organisation=user.organisation)
    other = f.TaskFactory(assigned_organisation=orgs["other_cbo"])
    commitment = f.TaskFactory(
        assigned_organisation=orgs["other_cbo"],
        source_meeting=f.MeetingFactory(kind="performance_review"),
    )
    expected_own, expected_other, expected_commitment = TASK_MATRIX[role]
    assert p.can_change_task(user, own) is expected_own
    assert p.can_change_task(user, other) is expected_other
    assert p.can_change_task(user, commitment) is expected_commitment


def test_staff_cannot_change_a_colleagues_task(users, orgs):
    colleague = f.UserFactory(role=Role.PARTNER_STAFF, organisation=orgs["cbo"])
    task = f.TaskFactory(assigned_organisation=orgs["cbo"], assigned_user=colleague)
    assert not p.can_change_task(users["partner_staff"], task)
    assert p.can_change_task(colleague, task)
    assert p.can_change_task(
        users["partner_lead"], f.TaskFactory(assigned_organisation=orgs["hsd"], assigned_user=None)
    )


def test_executives_see_commitments_but_never_person_tasks(users, orgs):
    review = f.MeetingFactory(kind="performance_review")
    commitment = f.TaskFactory(source_meeting=review, assigned_organisation=orgs["hsd"])
    f.TaskFactory(
        source_meeting=review, assigned_organisation=orgs["hsd"], subject_person=f.PersonFactory()
    )
    f.TaskFactory(
        source_meeting=f.MeetingFactory(kind="shooting_review"),
        assigned_organisation=orgs["police"],
    )
    assert list(p.tasks_visible_to(users["executive"])) == [commitment]


def test_intelligence_capabilities_belong_to_police_only():
    police_only = [
        "incidents.view",
        "people.view_all",
        "groups.view",
        "shooting_reviews.view",
        "worksheet.trace_records",
    ]
    for capability in police_only:
        assert p.CAPABILITIES[capability] <= p.POLICE_ROLES, capability


def test_inactive_users_have_no_capability(users):
    users["police_facilitator"].is_active = False
    assert not p.has_capability(users["police_facilitator"], "incidents.view")
    assert not p.people_visible_to(users["police_facilitator"]).exists()


def test_unknown_capability_is_a_programming_error(users):
    with pytest.raises(KeyError):
        p.has_capability(users["admin"], "people.delete")
