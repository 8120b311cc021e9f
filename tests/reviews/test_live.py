"""The open review in a live meeting: new shootings appended, two facilitators kept in step."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ceasefire.core.models import AuditEvent
from reviews.models import ReviewIncident
from tests import factories as f

pytestmark = pytest.mark.django_db


def _poll_params(html: str) -> dict[str, list[str]]:
    """What the page's poller sends: every hidden input tied to the live-updates form."""
    params: dict[str, list[str]] = {}
    for name, value in re.findall(
        r'<input type="hidden" form="live-updates" name="([^"]+)" value="([^"]*)"', html
    ):
        params.setdefault(name, []).append(value)
    return params


def _page(client, review) -> str:
    return client.get(reverse("reviews:review-detail", args=[review.pk])).content.decode()


def _poll(client, review, params):
    return client.get(
        reverse("reviews:review-changes", args=[review.pk]), params, HTTP_HX_REQUEST="true"
    )


def _answer(client, review, entry, name, value):
    entry.refresh_from_db()
    return client.post(
        reverse("reviews:review-answer", args=[review.pk, "entry", entry.pk, name]),
        {"value": value, "version": entry.version, "was": getattr(entry, name)},
        HTTP_HX_REQUEST="true",
    )


def test_the_page_polls_with_a_fingerprint_per_shooting_and_section(client_for, review, week):
    html = _page(client_for("police_facilitator"), review)
    assert 'id="live-updates"' in html and 'hx-trigger="every 4s"' in html
    params = _poll_params(html)
    entries = ReviewIncident.objects.filter(meeting=review)
    assert {f"e-{e.pk}" for e in entries} <= params.keys()
    assert {"s-deliverables", "s-risk", "s-response"} <= params.keys()


def test_nothing_changed_answers_only_a_new_poller(client_for, review, week):
    client = client_for("police_facilitator")
    response = _poll(client, review, _poll_params(_page(client, review)))
    text = response.content.decode()
    assert response.status_code == 200
    assert 'id="live-updates"' in text and "hx-swap-oob" not in text


def test_a_second_facilitator_sees_the_first_ones_answer_without_reloading(
    client_for, review, week, users
):
    one = client_for("police_facilitator")
    two = client_for("police_facilitator")
    entry = ReviewIncident.objects.get(meeting=review, incident=week["shooting"])
    html = _page(two, review)
    answered = int(re.search(rf'shooting-status-{entry.pk}".*?(\d) of 7 answered', html, re.S)[1])
    params = _poll_params(html)
    params["open"] = [str(entry.pk)]  # the second facilitator has this shooting open
    assert _answer(one, review, entry, "motive", "Retaliation for the 90th Ave shooting")
    text = _poll(two, review, params).content.decode()
    assert f'id="shooting-status-{entry.pk}" hx-swap-oob="true"' in text
    assert f"{answered + 1} of 7 answered" in text
    assert f'id="answer-entry-{entry.pk}-motive"' in text
    assert "Retaliation for the 90th Ave shooting" in text
    assert "1 shooting updated" in text
    # the new poller carries the new fingerprint: the next poll is quiet again
    again = _poll(two, review, {**params, **_poll_params(text)}).content.decode()
    assert "hx-swap-oob" not in again


def test_a_closed_shooting_card_gets_its_count_but_not_its_answers(client_for, review, week):
    one, two = client_for("police_facilitator"), client_for("police_facilitator")
    entry = ReviewIncident.objects.get(meeting=review, incident=week["shooting"])
    params = _poll_params(_page(two, review))
    _answer(one, review, entry, "retaliation", "high")
    text = _poll(two, review, params).content.decode()
    assert f'id="shooting-status-{entry.pk}"' in text
    assert f'id="answer-entry-{entry.pk}-retaliation"' not in text


def test_a_decision_taken_by_the_other_facilitator_redraws_the_risk_section(
    client_for, review, week
):
    one, two = client_for("police_facilitator"), client_for("police_facilitator")
    entry = ReviewIncident.objects.get(meeting=review, incident=week["shooting"])
    params = _poll_params(_page(two, review))
    one.post(
        reverse("reviews:review-risk-decide", args=[review.pk]),
        {
            "incident": week["shooting"].pk,
            "person": week["dante"].pk,
            "entry": entry.pk,
            "decision": "confirmed",
            "accepted": ["network_tie"],
        },
        HTTP_HX_REQUEST="true",
    )
    text = _poll(two, review, params).content.decode()
    assert 'id="s-risk"' in text and "risk assessment updated" in text
    assert "Dante Hill" in text  # now on the shooting's card: confirmed at imminent risk


def test_a_shooting_added_by_the_other_facilitator_is_appended(client_for, review, week):
    two = client_for("police_facilitator")
    params = _poll_params(_page(two, review))
    late = f.IncidentFactory(case_number="LATE-1", occurred_at=week["shooting"].occurred_at)
    f.InvolvementFactory(incident=late)
    ReviewIncident.objects.create(meeting=review, incident=late, order=99)
    text = _poll(two, review, params).content.decode()
    assert 'hx-swap-oob="beforeend:#shooting-list"' in text and "LATE-1" in text
    assert "1 shooting added" in text


def test_the_poll_stops_when_the_review_is_closed(client_for, review, week):
    from reviews.services import review_close

    client = client_for("police_facilitator")
    params = _poll_params(_page(client, review))
    review_close(review=review, user=week["facilitator"], expected_version=review.version)
    response = _poll(client, review, params)
    assert response.status_code == 286  # htmx stops polling on 286
    assert b"closed" in response.content


def test_the_poll_costs_a_fixed_number_of_queries(
    client_for, review, week, django_assert_max_num_queries
):
    client = client_for("police_facilitator")
    params = _poll_params(_page(client, review))
    with CaptureQueriesContext(connection) as before:
        _poll(client, review, params)
    queries = len(before.captured_queries)  # read now: each request clears the query log
    for n in range(5):
        incident = f.IncidentFactory(case_number=f"MORE-{n}")
        ReviewIncident.objects.create(meeting=review, incident=incident, order=20 + n)
    params = _poll_params(_page(client, review))
    with django_assert_max_num_queries(queries):
        _poll(client, review, params)
    assert 0 < queries <= 16


def test_a_poll_with_changes_is_audited_with_the_people_it_shows(client_for, review, week):
    one, two = client_for("police_facilitator"), client_for("police_facilitator")
    entry = ReviewIncident.objects.get(meeting=review, incident=week["shooting"])
    params = {**_poll_params(_page(two, review)), "open": [str(entry.pk)]}
    _answer(one, review, entry, "motive", "Dispute")
    before = AuditEvent.objects.count()
    _poll(two, review, params)
    event = AuditEvent.objects.order_by("-pk").first()
    assert AuditEvent.objects.count() == before + 1 and event.detail.get("live") is True
    assert week["marcus"].pk in event.detail["people"]


def test_add_newly_logged_shootings_appends_only_the_new_ones(client_for, review, week):
    client = client_for("police_facilitator")
    late = f.IncidentFactory(case_number="LATE-2", occurred_at=week["shooting"].occurred_at)
    f.InvolvementFactory(incident=late)
    response = client.post(
        reverse("reviews:review-refresh", args=[review.pk]), HTTP_HX_REQUEST="true"
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert "LATE-2" in text and "NEW-1" not in text and "NEW-2" not in text
    assert text.count('<article class="shooting card"') == 1
    assert "1 shooting added to the agenda." in text
    again = client.post(
        reverse("reviews:review-refresh", args=[review.pk]), HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "<article" not in again and "No new shootings in the window." in again


def test_add_newly_logged_shootings_without_javascript_goes_back_to_the_page(
    client_for, review, week
):
    response = client_for("police_facilitator").post(
        reverse("reviews:review-refresh", args=[review.pk])
    )
    assert response.status_code == 302 and response.url.endswith("#s-shootings")


def test_saving_an_answer_updates_the_shootings_card(client_for, review, week):
    entry = ReviewIncident.objects.get(meeting=review, incident=week["shooting"])
    client = client_for("police_facilitator")
    html = _page(client, review)
    answered = int(re.search(rf'shooting-status-{entry.pk}".*?(\d) of 7 answered', html, re.S)[1])
    text = _answer(client, review, entry, "retaliation", "high").content.decode()
    assert f'id="shooting-status-{entry.pk}" hx-swap-oob="true"' in text
    assert f"{answered + 1} of 7 answered" in text
    assert f'id="suggest-{entry.pk}"' not in text  # only a conflict or groups change redraws them


def test_new_shootings_come_in_one_batch_whatever_their_number(client_for, review, week):
    client = client_for("police_facilitator")
    params = _poll_params(_page(client, review))

    def poll_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            _poll(client, review, params)
        return len(queries.captured_queries)

    ReviewIncident.objects.create(meeting=review, incident=f.IncidentFactory(), order=30)
    one = poll_queries()
    for n in range(6):
        ReviewIncident.objects.create(meeting=review, incident=f.IncidentFactory(), order=31 + n)
    assert poll_queries() == one


def test_a_request_without_the_pages_fingerprints_shows_nothing(client_for, review, week):
    response = _poll(client_for("police_facilitator"), review, {})
    assert response.status_code == 200 and b"hx-swap-oob" not in response.content


# --- A long agenda is drawn in batches (a week at city scale has hundreds of shootings) -------


@pytest.fixture
def batch_of_one(monkeypatch):
    monkeypatch.setattr("reviews.selectors.review.SHOOTINGS_PER_BATCH", 1)


def _cards(html: str) -> list[str]:
    return re.findall(r'<article class="shooting card" id="shooting-(\d+)"', html)


def _entries(review):
    return list(ReviewIncident.objects.filter(meeting=review).order_by("order", "id"))


def test_the_page_draws_the_first_batch_and_offers_the_rest(client_for, review, week, batch_of_one):
    first, _ = _entries(review)
    html = _page(client_for("police_facilitator"), review)
    assert _cards(html) == [str(first.pk)]
    more = reverse("reviews:review-shootings", args=[review.pk]) + "?start=1"
    assert f'hx-get="{more}"' in html and f'href="{more}"' in html
    assert '<span id="shooting-count">2</span>' in html and "1 of 2 shown" in html
    assert _poll_params(html)["more"] == ["1"]


def test_the_next_batch_appends_its_cards_and_ends_the_offer(
    client_for, review, week, batch_of_one
):
    _, second = _entries(review)
    url = reverse("reviews:review-shootings", args=[review.pk])
    response = client_for("police_facilitator").get(url, {"start": 1}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert _cards(html) == [str(second.pk)] and "<html" not in html
    assert f'name="e-{second.pk}"' in html  # the poll knows it from now on
    assert '<div id="shootings-more" class="no-print" hx-swap-oob="true"></div>' in html
    event = AuditEvent.objects.filter(action="view", object_type="core.meeting").latest("at")
    assert event.detail["shootings_from"] == 1
    assert week["dante"].pk in event.detail["people"] or week["marcus"].pk in event.detail["people"]


def test_the_next_batch_without_javascript_opens_its_first_shooting(
    client_for, review, week, batch_of_one
):
    _, second = _entries(review)
    url = reverse("reviews:review-shootings", args=[review.pk])
    response = client_for("police_facilitator").get(url, {"start": 1})
    assert response.url == reverse("reviews:review-shooting", args=[review.pk, second.pk])
    past_the_end = client_for("police_facilitator").get(url, {"start": 7})
    assert past_the_end.url.endswith("#s-shootings")
    assert client_for("police_facilitator").get(url, {"start": "x"}).status_code == 404


def test_a_page_still_to_draw_shootings_is_not_sent_the_undrawn_ones_by_the_poll(
    client_for, review, week, batch_of_one
):
    client = client_for("police_facilitator")
    params = _poll_params(_page(client, review))
    text = _poll(client, review, params).content.decode()
    assert "<article" not in text
    # once everything is drawn, a new shooting is appended by the poll as before
    params.pop("more")
    text = _poll(client, review, params).content.decode()
    assert len(_cards(text)) == 1 and "1 shooting added" in text


def test_minutes_show_every_shooting_whatever_the_batch(client_for, review, week, batch_of_one):
    url = reverse("reviews:review-minutes", args=[review.pk])
    html = client_for("police_facilitator").get(url).content.decode()
    assert "NEW-1" in html and "NEW-2" in html


def test_added_shootings_wait_for_the_batch_on_a_page_still_to_draw_some(
    client_for, review, week, batch_of_one
):
    late = f.IncidentFactory(case_number="LATE-3", occurred_at=week["shooting"].occurred_at)
    f.InvolvementFactory(incident=late)
    text = (
        client_for("police_facilitator")
        .post(
            reverse("reviews:review-refresh", args=[review.pk]),
            {"more": "1"},
            HTTP_HX_REQUEST="true",
        )
        .content.decode()
    )
    assert "<article" not in text and "after the shootings still to be shown" in text
    assert '<span id="shooting-count" hx-swap-oob="true">3</span>' in text
    assert "1 of 3 shown" in text


@pytest.fixture
def rows_of_one(monkeypatch):
    monkeypatch.setattr("reviews.selectors.review.ROWS_PER_BATCH", 1)


def _two_due(week):
    soon = timezone.localdate() - dt.timedelta(days=85)
    return [
        f.DesignationFactory(person=week["dante"], designated_on=soon),
        f.DesignationFactory(person=week["jamal"], designated_on=soon + dt.timedelta(days=1)),
    ]


def test_designations_due_are_drawn_in_batches(client_for, review, week, rows_of_one):
    _two_due(week)
    client = client_for("police_facilitator")
    html = _page(client, review)
    assert "Dante Hill" in html.split('id="rows-due"')[1].split("</tbody>")[0]
    assert "Jamal Stone" not in html.split('id="rows-due"')[1].split("</tbody>")[0]
    url = reverse("reviews:review-rows", args=[review.pk, "due"])
    assert f'hx-get="{url}?start=1"' in html and "1 of 2 shown" in html
    # the designate and follow-up pickers still find the person whose row is not drawn yet
    for picker in ("designate", "followup"):
        found = client.get(
            reverse("reviews:review-candidates", args=[review.pk]),
            {"for": picker, "q": "Stone"},
            HTTP_HX_REQUEST="true",
        ).content.decode()
        assert f'name="person" value="{week["jamal"].pk}"' in found
    rows = client.get(url, {"start": 1}, HTTP_HX_REQUEST="true").content.decode()
    assert "Jamal Stone" in rows and "Dante Hill" not in rows and "<html" not in rows
    assert '<div id="more-due" class="no-print" hx-swap-oob="true"></div>' in rows
    event = AuditEvent.objects.filter(action="view", object_type="core.meeting").latest("at")
    assert event.detail["rows"] == "due" and event.detail["people"] == [week["jamal"].pk]
    page = client.get(url, {"start": 1}).content.decode()
    assert "<html" in page and "2 to 2 of 2" in page and "Jamal Stone" in page


def test_deliverables_are_drawn_in_batches(client_for, review, week, rows_of_one):
    earlier = f.ShootingReviewFactory(
        date=review.date - dt.timedelta(days=7), window_end=review.window_start
    )
    for title in ("Call Marcus's mother", "Walk 90th Ave"):
        f.TaskFactory(title=title, source_meeting=earlier, due_date=review.date)
    client = client_for("police_facilitator")
    html = _page(client, review)
    assert "1 · Prior deliverables (2)" in html and html.count("Walk 90th Ave") == 0
    url = reverse("reviews:review-rows", args=[review.pk, "deliverables"])
    rows = client.get(url, {"start": 1}, HTTP_HX_REQUEST="true").content.decode()
    assert "Walk 90th Ave" in rows and 'name="status"' in rows


def test_the_minutes_list_every_designation_due(client_for, review, week, rows_of_one):
    _two_due(week)
    url = reverse("reviews:review-detail", args=[review.pk])
    html = client_for("police_facilitator").get(url, {"print": 1}).content.decode()
    assert "Dante Hill" in html and "Jamal Stone" in html


def test_rows_of_an_unknown_part_or_a_closed_review_are_not_found(client_for, review, week):
    client = client_for("police_facilitator")
    bad = reverse("reviews:review-rows", args=[review.pk, "people"])
    assert client.get(bad, {"start": 0}).status_code == 404
    review.state, review.closed_at = "closed", timezone.now()
    review.save(update_fields=["state", "closed_at"])
    due = reverse("reviews:review-rows", args=[review.pk, "due"])
    assert client.get(due, {"start": 0}).status_code == 404


def test_a_batch_costs_a_fixed_number_of_queries_and_cards(
    client_for, review, week, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr("reviews.selectors.review.SHOOTINGS_PER_BATCH", 2)
    client = client_for("police_facilitator")
    url = reverse("reviews:review-shootings", args=[review.pk])
    with django_assert_max_num_queries(40) as before:
        client.get(url, {"start": 0}, HTTP_HX_REQUEST="true")
    for n in range(6):
        incident = f.IncidentFactory(
            case_number=f"MORE-{n}", occurred_at=week["shooting"].occurred_at
        )
        f.InvolvementFactory(incident=incident)
        ReviewIncident.objects.create(meeting=review, incident=incident, order=10 + n)
    with django_assert_max_num_queries(len(before.captured_queries)):
        batch = client.get(url, {"start": 2}, HTTP_HX_REQUEST="true").content.decode()
    assert len(_cards(batch)) == 2
    assert len(_cards(_page(client, review))) == 2  # the page draws one batch, whatever the week


def test_a_batch_of_rows_costs_a_fixed_number_of_queries(
    client_for, review, week, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr("reviews.selectors.review.ROWS_PER_BATCH", 2)
    client = client_for("police_facilitator")
    url = reverse("reviews:review-rows", args=[review.pk, "due"])
    soon = timezone.localdate() - dt.timedelta(days=85)
    f.DesignationFactory.create_batch(2, designated_on=soon)  # a full batch
    with django_assert_max_num_queries(40) as before:
        client.get(url, {"start": 0}, HTTP_HX_REQUEST="true")
    for _ in range(6):
        f.DesignationFactory(designated_on=soon)
    with django_assert_max_num_queries(len(before.captured_queries)):
        rows = client.get(url, {"start": 2}, HTTP_HX_REQUEST="true").content.decode()
    assert rows.count("<tr>") == 2
