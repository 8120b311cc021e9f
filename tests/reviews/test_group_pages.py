"""The groups pages' forms (police facilitator): new group, edit, new conflict, its edit (status,
start, description), an enforcement action against a group. Each form opens with its first field
focused, shows the service's refusal on the form and writes nothing then; edits carry the version
read, and a stale one is refused on the form, naming who saved meanwhile."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ceasefire.core.models import AuditEvent, Conflict, EnforcementAction, Group
from reviews import services
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def lead(client_for):
    return client_for("police_facilitator")


def test_the_groups_list_offers_new_group_and_new_conflict_to_the_facilitator_only(client_for):
    url = reverse("reviews:group-list")
    page = client_for("police_facilitator").get(url).content.decode()
    assert reverse("reviews:group-create") in page and reverse("reviews:conflict-create") in page
    viewer = client_for("police_viewer").get(url).content.decode()
    assert reverse("reviews:group-create") not in viewer


def test_a_new_group_form_has_its_first_field_focused_and_labels(lead):
    page = lead.get(reverse("reviews:group-create")).content.decode()
    assert "autofocus" in page.split('name="name"')[1].split(">")[0]
    assert '<label for="id_name">' in page and '<label for="id_area">' in page


def test_a_group_is_recorded_from_its_form(lead):
    response = lead.post(reverse("reviews:group-create"), {"name": "Acorn Boys", "active": "on"})
    group = Group.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:group-detail", args=[group.pk])
    assert group.active and AuditEvent.objects.filter(action="create", object_type="core.group")


def test_a_taken_name_is_shown_on_the_form_and_nothing_is_written(lead):
    f.GroupFactory(name="Acorn Boys")
    response = lead.post(reverse("reviews:group-create"), {"name": "Acorn Boys"})
    assert response.status_code == 400
    assert "already exists" in response.content.decode()
    assert Group.objects.count() == 1


def test_a_group_is_edited_from_its_page(lead):
    group = f.GroupFactory(name="Ghost Town", area="Area 3")
    detail = lead.get(reverse("reviews:group-detail", args=[group.pk])).content.decode()
    assert reverse("reviews:group-edit", args=[group.pk]) in detail
    assert reverse("reviews:group-enforcement-record", args=[group.pk]) in detail
    form = lead.get(reverse("reviews:group-edit", args=[group.pk])).content.decode()
    assert 'value="Ghost Town"' in form
    assert 'name="version" value="1"' in form
    response = lead.post(
        reverse("reviews:group-edit", args=[group.pk]),
        {"name": "Ghost Town", "area": "Area 4", "version": 1},
    )
    assert response.status_code == 302
    group.refresh_from_db()
    assert (group.area, group.active, group.version) == ("Area 4", False, 2)


def test_a_stale_group_edit_is_refused_on_the_form_and_writes_nothing(lead, users):
    group = f.GroupFactory(name="Ghost Town", area="Area 3")
    url = reverse("reviews:group-edit", args=[group.pk])
    opened = lead.get(url).content.decode()
    assert 'name="version" value="1"' in opened
    services.group_update(  # someone else saves after the form was opened
        group=group, user=users["police_facilitator"], expected_version=1, changes={"area": "A5"}
    )
    stale = lead.post(url, {"name": "Ghost Town", "area": "Area 4", "version": 1})
    assert stale.status_code == 400
    assert "reload to see their changes" in stale.content.decode()
    group.refresh_from_db()
    assert (group.area, group.version) == ("A5", 2)
    assert AuditEvent.objects.filter(action="change", object_type="core.group").count() == 1
    assert lead.post(url, {"name": "Ghost Town", "area": "Area 3"}).status_code == 400  # no version
    group.refresh_from_db()
    assert group.area == "A5"


def test_a_form_opened_before_a_revalidation_is_stale(lead):
    group = f.GroupFactory(area="Area 3")
    lead.post(reverse("reviews:group-revalidate", args=[group.pk]))
    stale = lead.post(
        reverse("reviews:group-edit", args=[group.pk]),
        {"name": group.name, "area": "Area 4", "version": 1},
    )
    assert stale.status_code == 400 and "reload to see their changes" in stale.content.decode()


def test_a_conflict_is_recorded_from_the_group_page_and_its_status_changed(lead):
    a, b = f.GroupFactory(), f.GroupFactory()
    form = lead.get(reverse("reviews:conflict-create"), {"group": a.pk}).content.decode()
    assert f'<option value="{a.pk}" selected>' in form
    response = lead.post(
        reverse("reviews:conflict-create"), {"group_a": a.pk, "group_b": b.pk, "status": "hot"}
    )
    conflict = Conflict.objects.get()
    assert response["Location"] == reverse("reviews:conflict-detail", args=[conflict.pk])
    url = reverse("reviews:conflict-edit", args=[conflict.pk])
    assert url in lead.get(response["Location"]).content.decode()
    assert lead.post(url, {"status": "dormant", "version": 1}).status_code == 302
    stale = lead.post(url, {"status": "active", "version": 1})
    assert stale.status_code == 400 and "reload to see their changes" in stale.content.decode()
    conflict.refresh_from_db()
    assert (conflict.status, conflict.version) == ("dormant", 2)


def test_a_conflicts_start_and_description_are_edited_on_its_page_and_audited(lead):
    conflict = f.ConflictFactory(status="hot", description="Payback")
    url = reverse("reviews:conflict-edit", args=[conflict.pk])
    form = lead.get(url).content.decode()
    assert "autofocus" in form.split('name="status"')[1].split(">")[0]
    assert 'name="version" value="1"' in form and "Payback</textarea>" in form
    response = lead.post(
        url,
        {
            "status": "hot",
            "started_on": "2024-01-05",
            "description": "Payback, twice",
            "version": 1,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:conflict-detail", args=[conflict.pk])
    conflict.refresh_from_db()
    assert (conflict.started_on, conflict.description) == (dt.date(2024, 1, 5), "Payback, twice")
    assert conflict.version == 2
    event = AuditEvent.objects.get(action="change", object_type="core.conflict")
    assert event.detail == {
        "changed": {"started_on": [None, "2024-01-05"], "description": "changed"}
    }


def test_a_stale_conflict_edit_is_refused_on_the_form_and_writes_nothing(lead, users):
    conflict = f.ConflictFactory(status="hot", description="Payback")
    url = reverse("reviews:conflict-edit", args=[conflict.pk])
    services.conflict_update(
        conflict=conflict,
        user=users["police_facilitator"],
        expected_version=1,
        changes={"status": "active"},
    )
    stale = lead.post(url, {"status": "hot", "description": "Mine", "version": 1})
    assert stale.status_code == 400
    assert "reload to see their changes" in stale.content.decode()
    conflict.refresh_from_db()
    assert (conflict.status, conflict.description, conflict.version) == ("active", "Payback", 2)
    assert AuditEvent.objects.filter(action="change", object_type="core.conflict").count() == 1


def test_a_conflict_starting_in_the_future_is_refused_on_the_form(lead):
    conflict = f.ConflictFactory()
    url = reverse("reviews:conflict-edit", args=[conflict.pk])
    refused = lead.post(url, {"status": "hot", "started_on": "2999-01-01", "version": 1})
    assert refused.status_code == 400 and "cannot start in the future" in refused.content.decode()
    conflict.refresh_from_db()
    assert (conflict.started_on, conflict.version) == (None, 1)


def test_only_the_facilitator_is_offered_the_conflict_edit(client_for):
    conflict = f.ConflictFactory()
    url = reverse("reviews:conflict-edit", args=[conflict.pk])
    detail = reverse("reviews:conflict-detail", args=[conflict.pk])
    viewer = client_for("police_viewer")
    assert url not in viewer.get(detail).content.decode()
    assert viewer.get(url).status_code == 403
    assert viewer.post(url, {"status": "dormant", "version": 1}).status_code == 403
    conflict.refresh_from_db()
    assert conflict.version == 1


def test_a_conflict_of_a_group_with_itself_is_refused_on_the_form(lead):
    a = f.GroupFactory()
    response = lead.post(
        reverse("reviews:conflict-create"), {"group_a": a.pk, "group_b": a.pk, "status": "hot"}
    )
    assert response.status_code == 400
    assert "two different groups" in response.content.decode()
    assert not Conflict.objects.exists()


def test_an_enforcement_action_is_recorded_against_a_group(lead):
    group = f.GroupFactory()
    url = reverse("reviews:group-enforcement-record", args=[group.pk])
    assert "autofocus" in lead.get(url).content.decode()
    response = lead.post(url, {"kind": "warrant", "taken_on": "2024-01-05"})
    assert response.status_code == 302
    assert EnforcementAction.objects.get().group == group
    refused = lead.post(url, {"kind": "warrant", "taken_on": "2999-01-01"})
    assert refused.status_code == 400 and "cannot be in the future" in refused.content.decode()
    assert EnforcementAction.objects.count() == 1
