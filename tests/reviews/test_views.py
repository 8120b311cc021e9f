"""The pages of the shooting log and the review, as a facilitator uses them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ceasefire.core.models import AuditEvent, Incident, Involvement
from reviews.models import DesignationDecision, ReviewIncident
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_shooting_log_lists_and_filters_by_kind(client_for, week):
    client = client_for("police_facilitator")
    page = client.get(reverse("reviews:incident-list"), {"kind": "homicide"})
    assert page.status_code == 200
    assert b"NEW-1" in page.content
    assert b"NEW-2" not in page.content


def test_shooting_log_searches_by_person_name(client_for, week):
    page = client_for("police_viewer").get(reverse("reviews:incident-list"), {"q": "Dante"})
    assert b"OLD-1" in page.content and b"NEW-1" not in page.content


def test_shooting_log_answers_htmx_with_the_results_fragment(client_for, week):
    page = client_for("police_facilitator").get(
        reverse("reviews:incident-list"), {"q": "NEW"}, HTTP_HX_REQUEST="true"
    )
    assert b'id="results"' in page.content and b"<html" not in page.content
    assert "HX-Request" in page["Vary"]


def test_shooting_log_query_count_does_not_grow_with_rows(
    client_for, week, django_assert_max_num_queries
):
    client = client_for("police_facilitator")
    url = reverse("reviews:incident-list")
    with django_assert_max_num_queries(8):
        client.get(url, {"area": "3"})
    for n in range(30):
        incident = f.IncidentFactory(case_number=f"BULK-{n}")
        f.InvolvementFactory(
            incident=incident, role=Involvement.Role.VICTIM, injury=Involvement.Injury.NONFATAL
        )
    with django_assert_max_num_queries(8):
        page = client.get(url, {"area": "3", "q": "BULK"})
    assert page.content.count(b"BULK-") == 30


def test_creating_an_incident_with_unidentified_victims(client_for, week):
    client = client_for("police_facilitator")
    occurred = timezone.localtime() - dt.timedelta(hours=3)
    response = client.post(
        reverse("reviews:incident-create"),
        {
            "case_number": "17-999",
            "occurred_at": occurred.strftime("%Y-%m-%dT%H:%M"),
            "address": "1 Broadway",
            "area": "1",
            "weapon": "firearm",
            "circumstance": "unknown",
            "group_involved": "unknown",
            "counting_status": "counted",
            "fatal_victims": "1",
            "nonfatal_victims": "2",
        },
    )
    incident = Incident.objects.get(case_number="17-999")
    assert response.status_code == 302
    assert incident.kind == "homicide"
    assert incident.involvements.filter(person__isnull=True).count() == 3


def test_duplicate_case_number_links_to_the_existing_incident(client_for, week):
    response = client_for("police_facilitator").post(
        reverse("reviews:incident-create"),
        {
            "case_number": "NEW-1",
            "occurred_at": "2017-03-14T21:30",
            "address": "x",
            "weapon": "firearm",
            "circumstance": "unknown",
            "group_involved": "unknown",
            "counting_status": "counted",
        },
    )
    assert response.status_code == 400
    existing = reverse("reviews:incident-detail", args=[week["shooting"].pk])
    assert f'href="{existing}"'.encode() in response.content
    assert b"already logged" in response.content


def test_a_time_in_the_future_is_refused_and_nothing_is_saved(client_for, week):
    future = (timezone.localtime() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = client_for("police_facilitator").post(
        reverse("reviews:incident-create"),
        {
            "case_number": "FUT-1",
            "occurred_at": future,
            "address": "x",
            "weapon": "firearm",
            "circumstance": "unknown",
            "group_involved": "unknown",
            "counting_status": "counted",
            "fatal_victims": "1",
        },
    )
    assert response.status_code == 400
    assert b"is in the future" in response.content
    assert not Incident.objects.filter(case_number="FUT-1").exists()


def test_held_without_reason_is_refused(client_for, week):
    response = client_for("police_facilitator").post(
        reverse("reviews:incident-create"),
        {
            "case_number": "H-1",
            "occurred_at": "2017-03-14T21:30",
            "address": "x",
            "weapon": "firearm",
            "circumstance": "unknown",
            "group_involved": "unknown",
            "counting_status": "held",
        },
    )
    assert response.status_code == 400
    assert b"held or unfounded" in response.content


def test_adding_a_victim_inline_with_a_new_person(client_for, week):
    incident = week["quiet"]
    response = client_for("police_facilitator").post(
        reverse("reviews:involvement-add", args=[incident.pk]),
        {
            "role": "victim",
            "injury": "nonfatal",
            "first_name": "Ana",
            "last_name": "Lopez",
            "date_of_birth": "1999-02-03",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b'id="people"' not in response.content or b"Ana Lopez" in response.content
    assert b"Ana Lopez" in response.content
    assert incident.involvements.get().person.last_name == "Lopez"


def test_a_wounded_victim_with_weapon_other_is_refused_with_an_explanation(client_for, week):
    incident = f.IncidentFactory(weapon=Incident.Weapon.OTHER)
    response = client_for("police_facilitator").post(
        reverse("reviews:involvement-add", args=[incident.pk]),
        {"role": "victim", "injury": "nonfatal"},
    )
    assert response.status_code == 400
    assert b"is not a shooting" in response.content
    assert not incident.involvements.exists()


def test_a_date_of_birth_after_the_incident_is_refused(client_for, week):
    incident = f.IncidentFactory(occurred_at=timezone.now() - dt.timedelta(days=400))
    born = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    response = client_for("police_facilitator").post(
        reverse("reviews:involvement-add", args=[incident.pk]),
        {
            "role": "victim",
            "injury": "fatal",
            "first_name": "Baby",
            "last_name": "Doe",
            "date_of_birth": born,
        },
    )
    assert response.status_code == 400
    assert b"is after the incident" in response.content
    assert not incident.involvements.exists()


def test_a_future_date_of_birth_is_refused(client_for, week):
    born = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    response = client_for("police_facilitator").post(
        reverse("reviews:involvement-add", args=[week["quiet"].pk]),
        {
            "role": "victim",
            "injury": "fatal",
            "first_name": "A",
            "last_name": "B",
            "date_of_birth": born,
        },
    )
    assert b"cannot be in the future" in response.content


def test_the_second_of_two_concurrent_edits_is_refused(client_for, week):
    incident = week["quiet"]
    url = reverse("reviews:incident-detail", args=[incident.pk])
    data = {
        "case_number": "NEW-2",
        "occurred_at": timezone.localtime(incident.occurred_at).strftime("%Y-%m-%dT%H:%M"),
        "address": "First address",
        "weapon": "firearm",
        "circumstance": "robbery",
        "group_involved": "no",
        "counting_status": "counted",
        "version": incident.version,
    }
    first = client_for("police_facilitator").post(url, data)
    assert first.status_code == 302
    second = client_for("police_facilitator").post(url, {**data, "address": "Second address"})
    assert second.status_code == 400
    assert b"changed by" in second.content and b"reload" in second.content
    incident.refresh_from_db()
    assert incident.address == "First address"


def test_incident_page_is_audited_with_the_people_shown(client_for, week):
    client_for("police_viewer").get(reverse("reviews:incident-detail", args=[week["shooting"].pk]))
    event = AuditEvent.objects.filter(action="view", object_type="core.incident").latest("at")
    assert week["marcus"].pk in event.detail["people"]


def _shooting(client, review, incident, **headers):
    """One shooting's details as the review page loads them when it is opened."""
    entry = ReviewIncident.objects.get(meeting=review, incident=incident)
    return client.get(reverse("reviews:review-shooting", args=[review.pk, entry.pk]), **headers)


def test_review_page_lists_the_shootings_and_loads_each_ones_details_on_demand(
    client_for, review, week
):
    client = client_for("police_facilitator")
    page = client.get(reverse("reviews:review-detail", args=[review.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "NEW-1" in text and "NEW-2" in text and "0 of 7 answered" in text
    entry = ReviewIncident.objects.get(meeting=review, incident=week["shooting"])
    url = reverse("reviews:review-shooting", args=[review.pk, entry.pk])
    assert f'hx-get="{url}"' in text and 'hx-trigger="toggle once"' in text
    assert "co-victim in #OLD-1" not in text and 'name="accepted"' not in text
    fragment = _shooting(client, review, week["shooting"], HTTP_HX_REQUEST="true").content.decode()
    assert "Dante Hill" in fragment and "co-victim in #OLD-1" in fragment and "(+3)" in fragment
    assert "Jamal Stone" not in fragment and "Tyrell Green" not in fragment  # group labels alone
    assert "<html" not in fragment
    # without JavaScript the link opens the shooting on its own page, answers and all
    full = _shooting(client, review, week["shooting"]).content.decode()
    assert "<html" in full and "Dante Hill" in full and "Back to the review" in full
    assert 'name="value"' in full


def test_opening_a_shootings_details_is_audited_with_the_people_shown(client_for, review, week):
    _shooting(client_for("police_facilitator"), review, week["shooting"], HTTP_HX_REQUEST="true")
    event = AuditEvent.objects.filter(action="view", object_type="core.meeting").latest("at")
    assert event.detail["shooting"] == week["shooting"].pk
    assert week["marcus"].pk in event.detail["people"]


def test_a_shooting_of_another_review_is_not_found(client_for, review, week, users):
    other = f.ShootingReviewFactory(date=review.date - dt.timedelta(days=7))
    entry = ReviewIncident.objects.get(meeting=review, incident=week["shooting"])
    url = reverse("reviews:review-shooting", args=[other.pk, entry.pk])
    assert client_for("police_facilitator").get(url).status_code == 404


def test_the_groups_question_is_a_searchable_select_with_the_chosen_groups_first(
    client_for, review, week
):
    week["shooting"].groups.add(week["acorn"])
    fragment = _shooting(
        client_for("police_facilitator"), review, week["shooting"], HTTP_HX_REQUEST="true"
    ).content.decode()
    select = fragment[fragment.index("<select", fragment.index("Which groups")) :]
    select = select[: select.index("</select>")]
    assert "multiple" in select and 'type="checkbox"' not in fragment.split("Which groups")[1][:400]
    assert select.index("Acorn") < select.index("Ghost Town")
    assert f'value="{week["acorn"].pk}" selected' in select
    assert "data-filter-for=" in fragment


def test_review_page_folds_weaker_suggestions_beyond_the_cap(client_for, review, week, settings):
    settings.SUGGESTION_CAP = 1
    page = _shooting(
        client_for("police_facilitator"), review, week["shooting"], HTTP_HX_REQUEST="true"
    )
    text = page.content.decode()
    assert "<details" in text and "1 more with weaker reasons" in text
    assert text.index("Marcus Reed</strong>") < text.index("1 more with weaker reasons")
    assert text.index("1 more with weaker reasons") < text.index("Dante Hill</strong>")


def test_review_page_query_count_is_bounded(
    client_for, review, week, django_assert_max_num_queries
):
    client = client_for("police_facilitator")
    url = reverse("reviews:review-detail", args=[review.pk])
    with django_assert_max_num_queries(60) as before:
        client.get(url)
    for n in range(6):
        # each new shooting brings suggestions of every kind: its victim and suspect, their
        # earlier co-victims, someone named in the conflict's recent incidents, a designation
        incident = f.IncidentFactory(case_number=f"MORE-{n}", conflict=week["conflict"])
        victim = f.InvolvementFactory(incident=incident).person
        f.InvolvementFactory(incident=incident, role=Involvement.Role.SUSPECT, injury="")
        f.InvolvementFactory(incident=week["old"], person=victim)
        earlier = f.IncidentFactory(
            conflict=week["conflict"], occurred_at=incident.occurred_at - dt.timedelta(days=9)
        )
        f.InvolvementFactory(incident=earlier)
        f.DesignationFactory(person=victim)
        ReviewIncident.objects.create(meeting=review, incident=incident, order=10 + n)
    with django_assert_max_num_queries(len(before.captured_queries)) as after:
        page = client.get(url)
    assert page.content.decode().count("of 7 answered") == 8
    assert len(after.captured_queries) == len(before.captured_queries)


def test_a_shootings_details_take_a_fixed_number_of_queries(
    client_for, review, week, django_assert_max_num_queries
):
    client = client_for("police_facilitator")
    with django_assert_max_num_queries(40) as before:
        _shooting(client, review, week["shooting"], HTTP_HX_REQUEST="true")
    for _ in range(6):  # more people around the shooting: more suggestions, not more queries
        person = f.InvolvementFactory(incident=week["old"]).person
        f.DesignationFactory(person=person)
    with django_assert_max_num_queries(len(before.captured_queries)):
        page = _shooting(client, review, week["shooting"], HTTP_HX_REQUEST="true")
    assert page.content.decode().count('name="accepted"') > 6


def test_answering_a_question_saves_it_live(client_for, review, week):
    entry = ReviewIncident.objects.get(meeting=review, incident=week["shooting"])
    url = reverse("reviews:review-answer", args=[review.pk, "entry", entry.pk, "retaliation"])
    response = client_for("police_facilitator").post(
        url, {"value": "high", "version": entry.version, "was": "unknown"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and b"Saved" in response.content
    entry.refresh_from_db()
    assert entry.retaliation == "high"


def test_answers_on_different_questions_of_one_shooting_do_not_clash(client_for, review, week):
    entry = ReviewIncident.objects.get(meeting=review, incident=week["shooting"])
    one, two = client_for("police_facilitator"), client_for("police_facilitator")
    base = {"version": entry.version}
    one.post(
        reverse("reviews:review-answer", args=[review.pk, "entry", entry.pk, "motive"]),
        {**base, "value": "Retaliation", "was": ""},
        HTTP_HX_REQUEST="true",
    )
    response = two.post(
        reverse("reviews:review-answer", args=[review.pk, "entry", entry.pk, "retaliation"]),
        {**base, "value": "high", "was": "unknown"},
        HTTP_HX_REQUEST="true",
    )
    assert b"Saved" in response.content
    entry.refresh_from_db()
    assert (entry.motive, entry.retaliation) == ("Retaliation", "high")


def test_two_facilitators_answering_the_same_question_the_second_is_refused(
    client_for, review, week
):
    entry = ReviewIncident.objects.get(meeting=review, incident=week["shooting"])
    url = reverse("reviews:review-answer", args=[review.pk, "entry", entry.pk, "motive"])
    client_for("police_facilitator").post(
        url, {"version": entry.version, "value": "Robbery gone wrong", "was": ""}
    )
    response = client_for("police_facilitator").post(
        url,
        {"version": entry.version, "value": "Gang retaliation", "was": ""},
        HTTP_HX_REQUEST="true",
    )
    assert b"changed by" in response.content
    entry.refresh_from_db()
    assert entry.motive == "Robbery gone wrong"


def test_confirming_a_suggestion_records_the_decision_and_offers_the_person(
    client_for, review, week
):
    response = client_for("police_facilitator").post(
        reverse("reviews:review-risk-decide", args=[review.pk]),
        {
            "incident": week["shooting"].pk,
            "person": week["dante"].pk,
            "decision": "confirmed",
            "accepted": ["network_tie"],
            "entry": ReviewIncident.objects.get(meeting=review, incident=week["shooting"]).pk,
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b'hx-swap-oob="true"' in response.content
    decision = review.risk_decisions.get()
    assert decision.decision == "confirmed" and decision.decided_by == week["facilitator"]
    assert decision.accepted_codes == ["network_tie"]
    assert decision.reason.startswith("co-victim in #OLD-1") and decision.score == 3
    assert not week["dante"].designations.exists()


def test_dismissing_a_suggestion_without_a_reason_is_refused(client_for, review, week):
    entry = ReviewIncident.objects.get(meeting=review, incident=week["shooting"])
    post = {
        "incident": week["shooting"].pk,
        "person": week["dante"].pk,
        "decision": "dismissed",
        "entry": entry.pk,
    }
    url = reverse("reviews:review-risk-decide", args=[review.pk])
    client = client_for("police_facilitator")
    refused = client.post(url, post, HTTP_HX_REQUEST="true")
    assert b"Say why you dismiss" in refused.content and not review.risk_decisions.exists()
    client.post(url, {**post, "dismissal_reason": "Moved out of state"}, HTTP_HX_REQUEST="true")
    decision = review.risk_decisions.get()
    assert decision.dismissal_reason == "Moved out of state" and decision.accepted_reasons == []
    assert decision.offered_reasons[0]["code"] == "network_tie"


def test_closed_review_shows_read_only_minutes(client_for, review, week):
    from reviews.services import review_close

    review_close(review=review, user=week["facilitator"], expected_version=review.version)
    page = client_for("police_facilitator").get(reverse("reviews:review-detail", args=[review.pk]))
    assert b"Closed" in page.content and b"hx-post" not in page.content
    answer = client_for("police_facilitator").post(
        reverse("reviews:review-refresh", args=[review.pk])
    )
    assert answer.status_code == 403


def test_import_page_refuses_a_bad_file_listing_every_line(
    client_for, week, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path

    csv = (
        "case_number,occurred_at,address,area,weapon,fatal_victims,nonfatal_victims\n"
        "A-1,2017-03-14T21:30,1 Main St,3,firearm,0,1\n"
        "A-2,not a date,2 Main St,3,firearm,0,1\n"
        "A-3,2017-03-15T10:00,3 Main St,3,knife,0,1\n"
    )
    client = client_for("police_facilitator")
    with django_capture_on_commit_callbacks(execute=True):
        upload = client.post(
            reverse("reviews:incident-import"), {"file": SimpleUploadedFile("x.csv", csv.encode())}
        )
    assert upload.status_code == 302
    response = client.get(upload["Location"])
    assert b"Line 3:" in response.content and b"Line 4:" in response.content
    assert not Incident.objects.filter(case_number="A-1").exists()


def test_person_page_shows_police_the_timeline_and_related_conflicts(client_for, week):
    page = client_for("police_viewer").get(reverse("core:person-detail", args=[week["marcus"].pk]))
    text = page.content.decode()
    assert "Timeline of involvements" in text and "#OLD-1" in text
    assert "Ghost Town vs Acorn" in text


def test_partner_sees_only_service_fields_and_the_shared_assessment(client_for, week):
    f.ShareFactory(person=week["marcus"], risk_assessment="At high risk of violence")
    page = client_for("partner_lead").get(reverse("core:person-detail", args=[week["marcus"].pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "At high risk of violence" in text
    assert "Ghost Town" not in text and "OLD-1" not in text and "Self-admitted" not in text


def test_linking_a_conflict_refreshes_that_shootings_suggestions(client_for, review, week):
    quiet = ReviewIncident.objects.get(meeting=review, incident=week["quiet"])
    f.InvolvementFactory(incident=week["quiet"], person=week["tyrell"])
    earlier = f.IncidentFactory(
        conflict=week["conflict"], occurred_at=week["quiet"].occurred_at - dt.timedelta(days=30)
    )
    f.InvolvementFactory(incident=earlier, person=week["jamal"], role="suspect", injury="")
    url = reverse(
        "reviews:review-answer", args=[review.pk, "incident", week["quiet"].pk, "conflict"]
    )
    response = client_for("police_facilitator").post(
        url,
        {"value": week["conflict"].pk, "version": week["quiet"].version, "was": ""},
        HTTP_HX_REQUEST="true",
    )
    text = response.content.decode()
    assert "Saved" in text and f'id="suggest-{quiet.pk}"' in text and 'hx-swap-oob="true"' in text
    assert "Jamal Stone" in text


def test_answering_which_groups_through_the_page(client_for, review, week):
    url = reverse(
        "reviews:review-answer", args=[review.pk, "incident", week["shooting"].pk, "groups"]
    )
    response = client_for("police_facilitator").post(
        url,
        {"value": [week["ghost"].pk], "version": week["shooting"].version, "was": ""},
        HTTP_HX_REQUEST="true",
    )
    assert b"Saved" in response.content
    assert list(week["shooting"].groups.all()) == [week["ghost"]]


def test_review_form_proposes_the_window_for_another_date(client_for, week):
    page = client_for("police_facilitator").get(
        reverse("reviews:review-create"), {"date": "2017-03-14"}
    )
    assert (
        b'value="2017-03-07T00:00"' in page.content and b'value="2017-03-14T00:00"' in page.content
    )


def test_landing_page_lists_shootings_since_the_latest_review_window(client_for, review, week):
    late = f.IncidentFactory(
        case_number="AFTER-1", occurred_at=review.window_end + dt.timedelta(hours=1)
    )
    late.occurred_at = min(late.occurred_at, timezone.now() - dt.timedelta(minutes=1))
    late.save(update_fields=["occurred_at"])
    page = client_for("police_viewer").get(reverse("reviews:index"))
    assert b"AFTER-1" in page.content and b"NEW-1" not in page.content


def test_facilitator_can_add_someone_not_suggested_at_imminent_risk(client_for, review, week):
    sister = f.PersonFactory(first_name="Keisha", last_name="Reed")
    entry = ReviewIncident.objects.get(meeting=review, incident=week["shooting"])
    response = client_for("police_facilitator").post(
        reverse("reviews:review-risk-decide", args=[review.pk]),
        {
            "incident": week["shooting"].pk,
            "entry": entry.pk,
            "decision": "confirmed",
            "person": sister.pk,
            "reason": "Sister of the victim; threatened online",
        },
        HTTP_HX_REQUEST="true",
    )
    assert b"Keisha Reed" in response.content and b"threatened online" in response.content
    assert review.risk_decisions.get(person=sister).decision == "confirmed"


def test_answers_work_without_javascript(client_for, review, week):
    entry = ReviewIncident.objects.get(meeting=review, incident=week["shooting"])
    url = reverse("reviews:review-answer", args=[review.pk, "entry", entry.pk, "motive"])
    response = client_for("police_facilitator").post(
        url, {"value": "Dispute over a car", "version": 1, "was": ""}
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "reviews:review-detail", args=[review.pk]
    )
    entry.refresh_from_db()
    assert entry.motive == "Dispute over a car"


def test_closed_minutes_keep_the_facts_as_they_were_at_closing(client_for, review, week):
    from reviews.services import review_close

    review_close(review=review, user=week["facilitator"], expected_version=review.version)
    week["shooting"].address = "Changed after the meeting"
    week["shooting"].save(update_fields=["address"])
    page = client_for("police_viewer").get(reverse("reviews:review-minutes", args=[review.pk]))
    assert b"Changed after the meeting" not in page.content and b"NEW-1" in page.content


def test_a_closed_review_refuses_answers(client_for, review, week):
    from reviews.services import review_close

    review_close(review=review, user=week["facilitator"], expected_version=review.version)
    entry = ReviewIncident.objects.get(meeting=review, incident=week["shooting"])
    url = reverse("reviews:review-answer", args=[review.pk, "entry", entry.pk, "motive"])
    assert (
        client_for("police_facilitator")
        .post(url, {"value": "late", "version": 1, "was": ""})
        .status_code
        == 403
    )
    entry.refresh_from_db()
    assert entry.motive == ""


def test_the_review_confirms_a_pending_designation_from_its_agenda(client_for, review, week):
    from ceasefire.core import services as core_services

    pending = core_services.designation_create(
        person=week["dante"],
        level="high",
        basis="Named by witnesses after #OLD-1.",
        criteria=["named_active_conflict_incidents"],
        basis_incidents=[week["old"]],
        user=week["facilitator"],
    )
    client = client_for("police_facilitator")
    page = client.get(reverse("reviews:review-detail", args=[review.pk])).content.decode()
    assert "Pending designations" in page and "Named by witnesses after #OLD-1." in page
    client.post(
        reverse("reviews:review-designation-action", args=[review.pk, pending.pk, "confirm"]),
        {"basis": ""},
        HTTP_HX_REQUEST="true",
    )
    pending.refresh_from_db()
    assert pending.status == "confirmed" and pending.confirmed_in == review


def test_designating_at_the_review_without_criteria_is_refused(client_for, review, week):
    response = client_for("police_facilitator").post(
        reverse("reviews:review-designate", args=[review.pk]),
        {"person": week["marcus"].pk, "level": "vhr", "basis": "Dangerous."},
        HTTP_HX_REQUEST="true",
    )
    assert b"free text alone is no basis" in response.content
    assert not week["marcus"].designations.exists()


# --- A designation's decision: drawn when the facilitator opens it, not once a row -----------


def _due(week):
    return f.DesignationFactory(
        person=week["dante"], designated_on=timezone.localdate() - dt.timedelta(days=85)
    )


def test_the_risk_section_lists_designations_due_without_drawing_a_form_for_each(
    client_for, review, week
):
    due = _due(week)
    page = client_for("police_facilitator").get(reverse("reviews:review-detail", args=[review.pk]))
    html = page.content.decode()
    decide = reverse("reviews:review-designation", args=[review.pk, due.pk])
    assert "Renew or let lapse" in html and f'hx-get="{decide}"' in html
    assert f'href="{decide}"' in html  # the fallback without htmx: its own page
    assert 'name="criteria"' not in html.split('id="s-risk"')[1].split("<h3>Designate")[0]


def test_opening_a_designation_due_draws_the_renew_or_lapse_form(client_for, review, week):
    due = _due(week)
    client = client_for("police_facilitator")
    url = reverse("reviews:review-designation", args=[review.pk, due.pk])
    fragment = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    renew = reverse("reviews:review-designation-action", args=[review.pk, due.pk, "renew"])
    lapse = reverse("reviews:review-designation-action", args=[review.pk, due.pk, "lapse"])
    assert f'hx-post="{renew}"' in fragment and f'hx-post="{lapse}"' in fragment
    assert 'hx-target="#s-risk"' in fragment and 'name="criteria"' in fragment
    page = client.get(url).content.decode()
    assert "<html" in page and "Back to the review" in page and due.basis in page
    event = AuditEvent.objects.filter(action="view", object_type="core.meeting").latest("at")
    assert event.detail["designation"] == due.pk and event.detail["people"] == [week["dante"].pk]


def test_renewing_from_the_opened_form_answers_with_the_risk_section(client_for, review, week):
    due = _due(week)
    response = client_for("police_facilitator").post(
        reverse("reviews:review-designation-action", args=[review.pk, due.pk, "renew"]),
        {"basis": "Shot at again last week.", "criteria": ["victim_recent_shooting"]},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and 'id="s-risk"' in response.content.decode()
    assert DesignationDecision.objects.get(designation__person=week["dante"]).action == "renew"


def test_opening_a_pending_designation_draws_confirm_or_reject(client_for, review, week):
    pending = f.DesignationFactory(person=week["dante"], status="pending")
    fragment = (
        client_for("police_facilitator")
        .get(
            reverse("reviews:review-designation", args=[review.pk, pending.pk]),
            HTTP_HX_REQUEST="true",
        )
        .content.decode()
    )
    confirm = reverse("reviews:review-designation-action", args=[review.pk, pending.pk, "confirm"])
    assert f'hx-post="{confirm}"' in fragment and "Reject" in fragment
    assert 'name="criteria"' not in fragment


def test_an_ended_designation_has_no_decision_to_open(client_for, review, week):
    ended = f.DesignationFactory(
        person=week["dante"], ended_on=timezone.localdate(), end_reason="lapsed"
    )
    url = reverse("reviews:review-designation", args=[review.pk, ended.pk])
    assert client_for("police_facilitator").get(url).status_code == 404
