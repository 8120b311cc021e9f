"""The predicates and scopes the home page, forms and templates ask instead of reading a role."""

import pytest

from ceasefire.core import permissions as p
from ceasefire.core.models import Meeting, Organisation
from tests import factories as f
from tests.conftest import ALL_ROLES

pytestmark = pytest.mark.django_db

HOME_PAGES = {
    "admin": "users",
    "auditor": "audit",
    "police_facilitator": "police",
    "police_viewer": "police",
    "partner_lead": "partner",
    "partner_staff": "partner",
    "community_partner": "partner",
    "executive": "worksheet",
}


@pytest.mark.parametrize("role", ALL_ROLES)
def test_every_role_has_its_home_page(users, role):
    assert p.home_page_for(users[role]) == HOME_PAGES[role]


def test_an_inactive_user_has_no_home_page(users):
    user = users["police_facilitator"]
    user.is_active = False

    assert p.home_page_for(user) == ""


def test_police_viewers_see_only_their_organisations_review_deliverables_on_home(users, orgs):
    review = f.ShootingReviewFactory()
    ours = f.TaskFactory(source_meeting=review, assigned_organisation=orgs["police"])
    theirs = f.TaskFactory(source_meeting=review, assigned_organisation=orgs["cbo"])
    coordination = f.TaskFactory(
        source_meeting=f.CoordinationMeetingFactory(), assigned_organisation=orgs["police"]
    )

    viewer = set(p.home_deliverables_visible_to(users["police_viewer"]))
    facilitator = set(p.home_deliverables_visible_to(users["police_facilitator"]))

    assert viewer == {ours}
    assert facilitator == {ours, theirs}
    assert coordination not in facilitator
    assert p.home_deliverables_own_organisation_only(users["police_viewer"])
    assert not p.home_deliverables_own_organisation_only(users["police_facilitator"])


def test_community_partners_home_lists_their_own_and_their_organisations_untaken_follow_ups(
    users, orgs
):
    partner = users["community_partner"]
    colleague = f.UserFactory(role=partner.role, organisation=orgs["faith"])
    own = f.TaskFactory(assigned_organisation=orgs["faith"], assigned_user=partner)
    untaken = f.TaskFactory(assigned_organisation=orgs["faith"])
    colleagues = f.TaskFactory(assigned_organisation=orgs["faith"], assigned_user=colleague)

    listed = set(p.home_followups_visible_to(partner))

    assert listed == {own, untaken}
    assert colleagues not in listed


def test_partner_leads_home_lists_every_follow_up_of_their_organisation(users, orgs):
    lead = users["partner_lead"]
    colleague = f.UserFactory(role=lead.role, organisation=orgs["hsd"])
    taken = f.TaskFactory(assigned_organisation=orgs["hsd"], assigned_user=colleague)
    untaken = f.TaskFactory(assigned_organisation=orgs["hsd"])
    f.TaskFactory(assigned_organisation=orgs["cbo"])

    assert set(p.home_followups_visible_to(lead)) == {taken, untaken}


def test_only_police_facilitators_choose_the_provider_of_an_enrolment(users, orgs):
    facilitator = p.enrolment_providers_for(users["police_facilitator"])
    staff = p.enrolment_providers_for(users["partner_staff"])

    assert p.can_choose_enrolment_provider(users["police_facilitator"])
    assert not p.can_choose_enrolment_provider(users["partner_staff"])
    assert orgs["cbo"] in facilitator and orgs["hsd"] in facilitator
    assert not facilitator.filter(kind=Organisation.Kind.POLICE).exists()
    assert list(staff) == [orgs["cbo"]]


def test_an_inactive_organisation_is_no_provider_to_choose(users, orgs):
    orgs["other_cbo"].active = False
    orgs["other_cbo"].save(update_fields=["active"])

    assert orgs["other_cbo"] not in p.enrolment_providers_for(users["police_facilitator"])


@pytest.mark.parametrize("role", ALL_ROLES)
def test_only_police_see_every_enrolment(users, role):
    assert p.sees_every_enrolment(users[role]) is (role in {"police_facilitator", "police_viewer"})


@pytest.mark.parametrize("role", ALL_ROLES)
def test_call_ins_are_listed_to_those_who_record_them(users, role):
    held = f.CallInFactory()
    records = p.has_capability(users[role], "call_ins.record")

    assert (held in p.call_ins_visible_to(users[role])) is records


def test_police_and_coordination_see_active_groups_on_an_agenda(users):
    active = f.GroupFactory(name="Ghost Town")
    f.GroupFactory(name="Old crew", active=False)

    assert list(p.agenda_groups_visible_to(users["police_viewer"])) == [active]
    assert list(p.agenda_groups_visible_to(users["community_partner"])) == [active]
    assert not p.agenda_groups_visible_to(users["executive"]).exists()


def test_review_deliverables_of_a_performance_review_never_reach_a_police_home(users, orgs):
    task = f.TaskFactory(
        source_meeting=f.MeetingFactory(kind=Meeting.Kind.PERFORMANCE_REVIEW),
        assigned_organisation=orgs["police"],
    )

    assert task not in p.home_deliverables_visible_to(users["police_facilitator"])


@pytest.mark.parametrize("role", ALL_ROLES)
def test_executives_administrators_and_auditors_never_read_who_a_task_is_about(users, role):
    task = f.TaskFactory(subject_person=f.PersonFactory(first_name="Darnell"))
    hidden = role in {"executive", "admin", "auditor"}

    assert p.never_sees_task_subjects(users[role]) is hidden
    assert (p.task_subject_label(users[role], task) == "A person (hidden)") is hidden
