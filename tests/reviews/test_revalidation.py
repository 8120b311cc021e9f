"""Group and conflict records: re-validated every three years, or archived by the nightly run."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from ceasefire.core import retention
from ceasefire.core.models import AuditEvent, Conflict, Group
from reviews import forms, selectors, services
from tests import factories as f

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)
TODAY = NOW.date()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def test_revalidation_due_is_computed_three_years_from_the_last_validation(frozen):
    group = f.GroupFactory(validated_on=dt.date(2024, 2, 29))
    assert group.revalidation_due == dt.date(2027, 2, 28)
    assert not group.revalidation_overdue
    assert f.GroupFactory(validated_on=dt.date(2023, 6, 14)).revalidation_overdue
    assert not f.GroupFactory(validated_on=dt.date(2023, 6, 15)).revalidation_overdue


def test_the_facilitator_revalidates_a_group_and_a_conflict_and_it_is_audited(frozen, users):
    lead = users["police_facilitator"]
    group = f.GroupFactory(validated_on=dt.date(2023, 7, 1))
    conflict = f.ConflictFactory(validated_on=dt.date(2023, 7, 1))
    version = conflict.version
    services.group_revalidate(group=group, user=lead)
    services.conflict_revalidate(conflict=conflict, user=lead)
    assert group.validated_on == TODAY and group.revalidation_due == dt.date(2029, 6, 15)
    assert conflict.validated_on == TODAY and conflict.version == version + 1
    events = AuditEvent.objects.filter(action="change", actor=lead).order_by("seq")
    assert [(e.object_type, e.detail["previously"]) for e in events] == [
        ("core.group", "2023-07-01"),
        ("core.conflict", "2023-07-01"),
    ]
    assert events[0].detail["next_due"] == "2029-06-15"


def test_an_archived_record_is_not_revalidated(frozen, users):
    group = f.GroupFactory(validated_on=dt.date(2020, 1, 1))
    retention.retention_run(dry_run=False)
    group.refresh_from_db()
    with pytest.raises(ValidationError, match="archived"):
        services.group_revalidate(group=group, user=users["police_facilitator"])


def test_the_due_list_shows_what_is_due_within_ninety_days_oldest_first(frozen, client_for):
    due = f.GroupFactory(name="Due", validated_on=dt.date(2023, 6, 1))
    soon = f.GroupFactory(name="Soon", validated_on=dt.date(2023, 9, 1))
    f.GroupFactory(name="Later", validated_on=dt.date(2024, 1, 1))
    archived = f.GroupFactory(name="Gone", validated_on=dt.date(2020, 1, 1))
    Group.objects.filter(pk=archived.pk).update(archived_on=dt.date(2023, 1, 2), active=False)
    conflict = f.ConflictFactory(validated_on=dt.date(2023, 6, 20))
    assert list(selectors.groups_revalidation_due(Group.objects.all(), TODAY)) == [due, soon]
    assert list(selectors.conflicts_revalidation_due(Conflict.objects.all(), TODAY)) == [conflict]
    page = client_for("police_facilitator").get(reverse("reviews:revalidation-list"))
    html = page.content.decode()
    assert "Due" in html and "Soon" in html and "Later" not in html and "Gone" not in html
    assert "overdue" in html and reverse("reviews:group-revalidate", args=[due.pk]) in html
    viewer = client_for("police_viewer").get(reverse("reviews:revalidation-list")).content
    assert reverse("reviews:group-revalidate", args=[due.pk]).encode() not in viewer


def test_the_due_list_query_count_is_fixed(frozen, client_for, django_assert_max_num_queries):
    for n in range(30):
        f.ConflictFactory(validated_on=dt.date(2023, 6, 1) + dt.timedelta(days=n))
    client = client_for("police_facilitator")
    with django_assert_max_num_queries(16):
        assert client.get(reverse("reviews:revalidation-list")).status_code == 200


def test_the_button_on_the_group_page_revalidates_and_returns_there(frozen, client_for):
    group = f.GroupFactory(validated_on=dt.date(2023, 7, 1))
    client = client_for("police_facilitator")
    page = client.get(reverse("reviews:group-detail", args=[group.pk])).content.decode()
    assert "re-validation due" in page and "1 Jul 2026" in page
    response = client.post(reverse("reviews:group-revalidate", args=[group.pk]))
    assert response.url == reverse("reviews:group-detail", args=[group.pk])
    group.refresh_from_db()
    assert group.validated_on == TODAY
    response = client.post(
        reverse("reviews:conflict-revalidate", args=[f.ConflictFactory().pk]), {"next": "list"}
    )
    assert response.url == reverse("reviews:revalidation-list")


def test_archived_groups_and_conflicts_are_no_longer_offered_in_pickers(frozen, users):
    kept = f.GroupFactory(validated_on=dt.date(2024, 1, 1))
    stale = f.GroupFactory(validated_on=dt.date(2020, 1, 1))
    conflict = f.ConflictFactory(group_a=kept, group_b=stale, validated_on=dt.date(2020, 1, 1))
    linked = f.IncidentFactory(conflict=conflict)
    linked.groups.add(stale)
    report = retention.retention_run(dry_run=False)
    assert (report.archived_groups, report.archived_conflicts) == (1, 1)
    conflict.refresh_from_db()
    assert not conflict.is_active and conflict.status == "dormant"
    assert list(Group.objects.current()) == [kept]
    form = forms.IncidentForm()
    assert list(form.fields["groups"].queryset) == [kept]
    assert conflict not in form.fields["conflict"].queryset
    # an incident already linked keeps its own (history), but nothing else archived is offered
    own = forms.IncidentForm(incident=linked)
    assert stale in own.fields["groups"].queryset and conflict in own.fields["conflict"].queryset


def test_an_archived_group_no_longer_counts_among_the_worksheets_group_plans(frozen):
    from performance import selectors as performance_selectors

    kept, archived = f.GroupFactory(), f.GroupFactory()
    for group in (kept, archived):
        f.EnforcementPlanStatusFactory(
            unit=None, group=group, recorded_on=dt.date(2026, 1, 5), up_to_date=True
        )
    Group.objects.filter(pk=archived.pk).update(archived_on=dt.date(2026, 3, 1), active=False)
    assert performance_selectors.group_plans_latest(TODAY) == {"total": 1, "up_to_date": 1}
    # before it was archived, it counted
    assert performance_selectors.group_plans_latest(dt.date(2026, 2, 1))["total"] == 2


def test_a_review_answer_cannot_link_an_archived_group_or_conflict(frozen, users):
    lead = users["police_facilitator"]
    review = f.ShootingReviewFactory()
    incident = f.IncidentFactory()
    archived = f.GroupFactory(validated_on=dt.date(2020, 1, 1))
    old_conflict = f.ConflictFactory(validated_on=dt.date(2020, 1, 1))
    retention.retention_run(dry_run=False)

    def answer(name, value):
        incident.refresh_from_db()
        return services.review_answer_save(
            review=review,
            user=lead,
            obj=incident,
            name=name,
            value=value,
            was=services.answer_repr(incident, name),
            expected_version=incident.version,
        )

    with pytest.raises(ValidationError, match="archived"):
        answer("groups", [str(archived.pk)])
    with pytest.raises(ValidationError, match="archived"):
        answer("conflict", str(old_conflict.pk))
    incident.refresh_from_db()
    assert incident.conflict_id is None and not incident.groups.exists()
