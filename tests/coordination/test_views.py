"""The meeting page, my follow-ups, the record forms: fragments, plain posts, errors, queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ceasefire.core import services as core_services
from ceasefire.core.models import AuditEvent, CustomNotification, Enrolment, Meeting, Task
from coordination.models import PartnershipHealthItem
from tests import factories as f

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _meeting_url(agenda, name="meeting-detail"):
    return reverse(f"coordination:{name}", args=[agenda.meeting.pk])


def test_meeting_page_shows_all_five_agenda_sections(agenda, client_for):
    page = client_for("partner_lead").get(_meeting_url(agenda)).content.decode()
    for heading in [
        "Current risk picture",
        "Per-person plans",
        "Chronically high-risk",
        "Open follow-ups",
        "Partnership health",
    ]:
        assert heading in page
    assert (
        "At high risk of violence" in page and "Custom notification, Life-coach follow-up" in page
    )
    assert reverse("core:person-detail", args=[agenda.shared.pk]) in page


def test_meeting_page_section_fragment_for_htmx(agenda, client_for):
    response = client_for("partner_lead").get(_meeting_url(agenda) + "?section=plans", **HTMX)
    body = response.content.decode()
    assert "<html" not in body and 'id="plans"' in body
    assert "HX-Request" in response["Vary"]


def test_attendance_saves_inline_with_htmx_and_returns_the_fragment(agenda, orgs, client_for):
    response = client_for("partner_lead").post(
        _meeting_url(agenda, "meeting-attendance"),
        {
            "version": agenda.meeting.version,
            "organisations": [orgs["police"].pk, orgs["hsd"].pk],
            "risk_alignment": "on",
        },
        **HTMX,
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body and "Saved " in body
    assert 'hx-swap-oob="true"' in body  # the other forms get the new version
    agenda.meeting.refresh_from_db()
    assert agenda.meeting.risk_alignment and agenda.meeting.attending_organisations.count() == 2


def test_minutes_with_a_stale_version_are_refused_with_a_clear_message(agenda, client_for):
    lead, police = client_for("partner_lead"), client_for("police_facilitator")
    version = agenda.meeting.version
    assert (
        lead.post(
            _meeting_url(agenda, "meeting-minutes"), {"version": version, "minutes": "Lead's notes"}
        ).status_code
        == 302
    )
    response = police.post(
        _meeting_url(agenda, "meeting-minutes"),
        {"version": version, "minutes": "Police notes"},
        **HTMX,
    )
    assert "changed by" in response.content.decode() and "reload" in response.content.decode()
    agenda.meeting.refresh_from_db()
    assert agenda.meeting.minutes == "Lead's notes"


def test_planning_an_intervention_adds_it_to_the_persons_plan(agenda, orgs, client_for, today):
    response = client_for("partner_lead").post(
        reverse("coordination:plan-intervention-add", args=[agenda.meeting.pk, agenda.shared.pk]),
        {
            "kind": "custom_notification",
            "assigned_organisation": orgs["faith"].pk,
            "due_date": today.isoformat(),
            "description": "Pastor Jones, Friday",
        },
        **HTMX,
    )
    body = response.content.decode()
    assert 'id="plans"' in body and "Pastor Jones, Friday" in body
    task = Task.objects.get(source_meeting=agenda.meeting)
    assert task.assigned_organisation == orgs["faith"] and task.subject_person == agenda.shared


def test_invalid_intervention_shows_the_error_and_writes_nothing(agenda, orgs, client_for, today):
    response = client_for("partner_lead").post(
        reverse("coordination:plan-intervention-add", args=[agenda.meeting.pk, agenda.shared.pk]),
        {
            "kind": "custom_notification",
            "assigned_organisation": orgs["faith"].pk,
            "due_date": (today - dt.timedelta(days=3)).isoformat(),
        },
    )
    assert response.status_code == 400
    assert "cannot be before the meeting" in response.content.decode()
    assert not Task.objects.filter(source_meeting=agenda.meeting).exists()


def test_planning_for_a_person_not_shared_is_refused(agenda, orgs, client_for, today):
    response = client_for("police_facilitator").post(
        reverse("coordination:plan-intervention-add", args=[agenda.meeting.pk, agenda.hidden.pk]),
        {
            "kind": "life_coach",
            "assigned_organisation": orgs["cbo"].pk,
            "due_date": today.isoformat(),
        },
    )
    assert response.status_code == 400 and "no longer shared" in response.content.decode()
    assert not Task.objects.filter(source_meeting=agenda.meeting).exists()


def test_health_item_added_and_closed_through_the_page(agenda, orgs, client_for):
    client = client_for("partner_lead")
    client.post(
        _meeting_url(agenda, "health-item-add"),
        {
            "category": "boundaries",
            "title": "Who may see case notes",
            "owner_organisation": orgs["hsd"].pk,
        },
    )
    item = PartnershipHealthItem.objects.get()
    client.post(
        reverse("coordination:health-item-update", args=[agenda.meeting.pk, item.pk]),
        {"version": item.version, "status": "closed", "notes": "Agreed"},
    )
    item.refresh_from_db()
    assert item.status == "closed" and item.closed_at == agenda.meeting


def test_closing_freezes_the_page_and_the_print_view(agenda, client_for):
    client = client_for("partner_lead")
    client.post(
        _meeting_url(agenda, "meeting-minutes"),
        {"version": agenda.meeting.version, "minutes": "Plans agreed for Darnell."},
    )
    agenda.meeting.refresh_from_db()
    client.post(_meeting_url(agenda, "meeting-close"), {"version": agenda.meeting.version})
    agenda.meeting.refresh_from_db()
    assert agenda.meeting.is_closed
    page = client.get(_meeting_url(agenda)).content.decode()
    assert "frozen" in page and "Close the meeting" not in page and "Save minutes" not in page
    assert "Darnell Shared" in page  # from the frozen agenda
    printed = client.get(_meeting_url(agenda, "meeting-print")).content.decode()
    assert "Plans agreed for Darnell." in printed and "At high risk of violence" in printed
    assert (
        client.post(
            _meeting_url(agenda, "meeting-minutes"),
            {"version": agenda.meeting.version, "minutes": "late"},
        ).status_code
        == 403
    )


def test_frozen_agenda_still_hides_people_withdrawn_later_from_partners(agenda, client_for, users):
    from coordination import services

    services.coordination_meeting_close(
        meeting=agenda.meeting, user=users["partner_lead"], expected_version=agenda.meeting.version
    )
    core_services.share_withdraw(share=agenda.share, user=agenda.police, reason="Relocated")
    assert "Darnell" not in client_for("partner_lead").get(_meeting_url(agenda)).content.decode()
    assert "Darnell" in client_for("police_facilitator").get(_meeting_url(agenda)).content.decode()


def test_index_lists_meetings_and_schedules_one(client_for, today):
    client = client_for("partner_lead")
    response = client.post(reverse("coordination:meeting-create"), {"date": today.isoformat()})
    meeting = Meeting.objects.get(kind="coordination")
    assert response["Location"] == reverse("coordination:meeting-detail", args=[meeting.pk])
    again = client.post(reverse("coordination:meeting-create"), {"date": today.isoformat()})
    assert again.status_code == 400 and "already a coordination meeting" in again.content.decode()
    assert today.strftime("%Y") in client.get(reverse("coordination:index")).content.decode()


# --- Follow-ups ----------------------------------------------------------------------------------


def test_two_taps_mark_a_follow_up_done_with_a_dated_note(agenda, client_for):
    client = client_for("partner_staff")
    assert (
        client.get(reverse("coordination:followup-detail", args=[agenda.task.pk])).status_code
        == 200
    )
    response = client.post(
        reverse("coordination:followup-update", args=[agenda.task.pk]),
        {"version": agenda.task.version, "status": "done", "note": "Met him at the gym"},
    )
    assert response.status_code == 302
    agenda.task.refresh_from_db()
    assert agenda.task.status == "done"
    update = agenda.task.updates.get()
    assert (
        update.note == "Met him at the gym"
        and update.status_to == "done"
        and update.created_at is not None
    )


def test_empty_follow_up_update_is_refused_with_a_message(agenda, client_for):
    response = client_for("partner_staff").post(
        reverse("coordination:followup-update", args=[agenda.task.pk]),
        {"version": agenda.task.version, "status": "", "note": ""},
        **HTMX,
    )
    assert "Nothing to save" in response.content.decode()
    assert not agenda.task.updates.exists()


def test_stale_follow_up_update_is_refused(agenda, client_for, users):
    version = agenda.task.version
    core_services.task_update(
        task=agenda.task,
        user=users["police_facilitator"],
        expected_version=version,
        note="Called the family",
    )
    response = client_for("partner_staff").post(
        reverse("coordination:followup-update", args=[agenda.task.pk]),
        {"version": version, "status": "done"},
    )
    assert response.status_code == 400 and "changed by" in response.content.decode()
    agenda.task.refresh_from_db()
    assert agenda.task.status == "open"


def test_recording_the_notification_and_enrolment_from_the_follow_up(
    agenda, orgs, client_for, today
):
    client = client_for("partner_staff")
    client.post(
        reverse("coordination:followup-notification", args=[agenda.task.pk]),
        {
            "delivered_on": today.isoformat(),
            "delivered_by": "Pastor Jones",
            "outcome": "delivered",
            "help_accepted": "on",
        },
    )
    notification = CustomNotification.objects.get()
    assert notification.help_accepted and notification.task == agenda.task
    client.post(
        reverse("coordination:followup-enrol", args=[agenda.task.pk]),
        {
            "provider": orgs["cbo"].pk,
            "referral_source": "custom_notification",
            "started_on": today.isoformat(),
        },
    )
    assert Enrolment.objects.get().referral_source == "custom_notification"
    duplicate = client.post(
        reverse("coordination:followup-enrol", args=[agenda.task.pk]),
        {
            "provider": orgs["cbo"].pk,
            "referral_source": "outreach",
            "started_on": today.isoformat(),
        },
    )
    assert (
        duplicate.status_code == 400
        and "already enrolled with Youth Alive" in duplicate.content.decode()
    )
    assert Enrolment.objects.count() == 1


def test_partner_staff_may_only_enrol_with_their_own_organisation(agenda, orgs, client_for, today):
    response = client_for("partner_staff").post(
        reverse("coordination:followup-enrol", args=[agenda.task.pk]),
        {
            "provider": orgs["hsd"].pk,
            "referral_source": "outreach",
            "started_on": today.isoformat(),
        },
    )
    assert response.status_code == 400 and not Enrolment.objects.exists()


def test_enrolment_exit_before_start_is_refused_on_the_caseload_page(orgs, client_for, today):
    enrolment = f.EnrolmentFactory(provider=orgs["cbo"], started_on=today - dt.timedelta(days=3))
    client = client_for("partner_staff")
    response = client.post(
        reverse("coordination:enrolment-exit", args=[enrolment.pk]),
        {"ended_on": (today - dt.timedelta(days=4)).isoformat()},
        follow=True,
    )
    assert "cannot be before the start" in response.content.decode()
    enrolment.refresh_from_db()
    assert enrolment.ended_on is None


def test_a_recorded_contact_is_shown_back_on_the_follow_up_and_the_caseload(
    agenda, orgs, client_for, today
):
    client = client_for("partner_staff")
    f.EnrolmentFactory(
        provider=orgs["cbo"], person=agenda.shared, started_on=today - dt.timedelta(days=10)
    )
    caseload = client.get(reverse("coordination:caseload")).content.decode()
    assert "none yet" in caseload

    client.post(
        reverse("coordination:followup-contact", args=[agenda.task.pk]),
        {"contacted_on": today.isoformat(), "kind": "life_coach", "notes": "Met at the gym"},
    )

    detail = client.get(reverse("coordination:followup-detail", args=[agenda.task.pk]))
    assert "Met at the gym" in detail.content.decode()
    caseload = client.get(reverse("coordination:caseload")).content.decode()
    assert "1 since enrolment" in caseload and today.strftime("%-d %b %Y") in caseload
    assert "none yet" not in caseload


def test_call_in_attendees_are_found_by_name_with_what_tells_namesakes_apart(agenda, client_for):
    client = client_for("partner_lead")
    page = client.get(reverse("coordination:call-ins")).content.decode()
    assert "Darnell Shared" not in page, "no wall of every candidate: a type-ahead instead"
    found = client.get(
        reverse("coordination:call-in-search"), {"q": "darn"}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "Darnell Shared" in found and "born 17 May 2000" in found and "East Oakland" in found
    hidden = client.get(reverse("coordination:call-in-search"), {"q": "Marcus"}).content.decode()
    assert "Marcus Hidden" not in hidden
    assert AuditEvent.objects.filter(action="view", detail__search="darn").exists()


def test_a_refused_call_in_keeps_the_attendees_already_chosen(agenda, client_for):
    response = client_for("partner_lead").post(
        reverse("coordination:call-ins"), {"held_on": "", "attendees": [agenda.shared.pk]}
    )
    assert response.status_code == 400
    assert f'value="{agenda.shared.pk}" checked' in response.content.decode()


@pytest.mark.parametrize("extra", [2, 30])
def test_the_call_in_search_costs_the_same_however_many_match(
    orgs, client_for, extra, django_assert_max_num_queries
):
    for _ in range(extra):
        f.EnrolmentFactory(provider=orgs["hsd"], person=f.PersonFactory(first_name="Andre"))
    client = client_for("partner_lead")
    with django_assert_max_num_queries(8):
        response = client.get(reverse("coordination:call-in-search"), {"q": "Andre"})
    assert response.content.decode().count('name="attendees"') == min(extra, 20)


# --- Query counts --------------------------------------------------------------------------------


def _make_shared(n, police, review, orgs, today):
    for _ in range(n):
        person = f.PersonFactory()
        core_services.share_create(
            person=person,
            user=police,
            reason="At risk after a shooting",
            risk_assessment="At risk",
            source_meeting=review,
        )
        f.TaskFactory(
            assigned_organisation=orgs["cbo"],
            subject_person=person,
            source_meeting=review,
            due_date=today,
        )


@pytest.mark.parametrize("extra", [2, 20])
def test_meeting_page_query_count_does_not_grow_with_rows(
    agenda, orgs, client_for, today, extra, django_assert_max_num_queries
):
    _make_shared(extra, agenda.police, agenda.review, orgs, today)
    for _ in range(extra):
        f.TaskFactory(assigned_organisation=orgs["hsd"], source_meeting=agenda.last_week)
        f.PartnershipHealthItemFactory(raised_at=agenda.last_week, owner_organisation=orgs["hsd"])
        f.DesignationFactory(renewal_count=3)
    client = client_for("police_facilitator")
    with django_assert_max_num_queries(45):
        response = client.get(_meeting_url(agenda))
    assert response.status_code == 200


@pytest.mark.parametrize("extra", [2, 30])
def test_followups_list_query_count_does_not_grow_with_rows(
    agenda, orgs, client_for, today, extra, django_assert_max_num_queries
):
    _make_shared(extra, agenda.police, agenda.review, orgs, today)
    client = client_for("partner_staff")
    with django_assert_max_num_queries(14):
        response = client.get(reverse("coordination:followups"))
    assert response.status_code == 200


@pytest.mark.parametrize("extra", [2, 30])
def test_caseload_and_call_ins_query_counts_do_not_grow(
    orgs, client_for, today, extra, django_assert_max_num_queries
):
    for person in f.PersonFactory.create_batch(extra):
        f.EnrolmentFactory(provider=orgs["hsd"], person=person)
        f.CallInFactory().attendees.add(person)
    client = client_for("partner_lead")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("coordination:caseload")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("coordination:call-ins")).status_code == 200


@pytest.mark.parametrize("extra", [2, 30])
def test_meeting_list_query_count_does_not_grow(
    client_for, today, extra, django_assert_max_num_queries
):
    for i in range(extra):
        f.CoordinationMeetingFactory(date=today - dt.timedelta(days=i + 1))
    client = client_for("partner_lead")
    with django_assert_max_num_queries(10):
        assert client.get(reverse("coordination:index")).status_code == 200


def test_follow_up_update_with_htmx_answers_with_the_fragment(agenda, client_for):
    response = client_for("partner_staff").post(
        reverse("coordination:followup-update", args=[agenda.task.pk]),
        {"version": agenda.task.version, "status": "in_progress"},
        **HTMX,
    )
    body = response.content.decode()
    assert (
        response.status_code == 200
        and "<html" not in body
        and 'id="followup"' in body
        and "Saved." in body
    )
    assert "HX-Request" in response["Vary"]


def test_follow_ups_page_works_without_javascript_and_links_each_follow_up(agenda, client_for):
    body = client_for("partner_staff").get(reverse("coordination:followups")).content.decode()
    assert (
        "<html" in body and reverse("coordination:followup-detail", args=[agenda.task.pk]) in body
    )


def test_print_view_is_audited_with_the_people_shown(agenda, client_for, users):
    from ceasefire.core.models import AuditEvent

    client_for("partner_lead").get(_meeting_url(agenda, "meeting-print"))
    event = AuditEvent.objects.filter(actor=users["partner_lead"], action="view").latest("at")
    assert event.detail["view"] == "coordination minutes (print)" and event.detail["people"] == [
        agenda.shared.pk
    ]


def test_meeting_closed_elsewhere_shows_the_current_lists_and_says_so(agenda, client_for, users):
    core_services.meeting_close(
        meeting=agenda.meeting,
        user=users["police_facilitator"],
        expected_version=agenda.meeting.version,
    )
    page = client_for("partner_lead").get(_meeting_url(agenda)).content.decode()
    assert "closed outside the coordination page" in page and "Darnell Shared" in page
    assert "Close the meeting" not in page


def test_each_list_of_the_meeting_page_pages_on_its_own_parameter_and_keeps_the_others(
    agenda, client_for
):
    for _ in range(26):
        f.PartnershipHealthItemFactory(raised_at=agenda.meeting)
    client = client_for("police_facilitator")

    first = client.get(_meeting_url(agenda)).content.decode()
    second = client.get(_meeting_url(agenda) + "?people_page=1&health_page=2").content.decode()

    assert 'href="?health_page=2#health"' in first
    assert "Page 1 of 2 · 26 in all" in first
    assert 'href="?people_page=1&amp;health_page=1#health"' in second
    assert "Page 2 of 2 · 26 in all" in second


def test_the_plans_draw_each_persons_forms_only_when_opened(agenda, client_for):
    page = client_for("partner_lead").get(_meeting_url(agenda)).content.decode()
    plans = page.split('id="plans"')[1].split('id="chronic"')[0]
    url = reverse("coordination:plan-form", args=[agenda.meeting.pk, agenda.shared.pk])
    assert f'hx-get="{url}"' in plans and f'href="{url}"' in plans
    assert 'name="notes"' not in plans and 'name="kind"' not in plans


def test_opening_a_persons_plan_draws_its_forms_audited(agenda, client_for):
    client = client_for("partner_lead")
    client.post(
        reverse("coordination:person-plan-save", args=[agenda.meeting.pk, agenda.shared.pk]),
        {"notes": "Mother asked for help"},
    )
    url = reverse("coordination:plan-form", args=[agenda.meeting.pk, agenda.shared.pk])
    fragment = client.get(url, **HTMX).content.decode()
    assert "<html" not in fragment and fragment.count('hx-target="#plans"') == 2
    assert 'name="kind"' in fragment and 'value="Mother asked for help"' in fragment
    event = AuditEvent.objects.filter(action="view", object_type="core.meeting").latest("at")
    assert event.detail["people"] == [agenda.shared.pk] and event.detail["view"] == "plan form"
    page = client.get(url).content.decode()
    assert "<html" in page and "Back to the coordination meeting" in page
