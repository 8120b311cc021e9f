"""The review's type-ahead pickers (designate, choose for follow-up, a new deliverable's subject).

The page draws no list of everyone the review offers (hundreds at city scale): it lists those
confirmed at imminent risk at this review, and ``reviews:review-candidates`` finds the others by
name — the victims of every shooting on the agenda (drawn or not), the people due for review and
pending. A posted choice must be one of the review's candidates.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from ceasefire.core.models import AuditEvent, RiskDesignation, Task
from reviews import forms, selectors
from reviews.models import FollowUpChoice, ReviewIncident
from reviews.services import risk_decide
from tests import factories as f


def _search(client, review, picker: str, q: str):
    return client.get(
        reverse("reviews:review-candidates", args=[review.pk]),
        {"for": picker, "q": q},
        HTTP_HX_REQUEST="true",
    )


def _radios(html: str, name: str) -> list[str]:
    return re.findall(rf'<input type="radio" name="{name}" value="([^"]*)"', html)


def _confirm(review, week, person):
    risk_decide(
        review=review,
        user=week["facilitator"],
        incident=week["shooting"],
        person=person,
        decision="confirmed",
        reason="co-victim in #OLD-1",
    )


def _due(person=None):
    return f.DesignationFactory(
        person=person or f.PersonFactory(),
        designated_on=timezone.localdate() - dt.timedelta(days=85),
    )


def test_the_page_lists_only_those_confirmed_at_this_review(client_for, review, week):
    for _ in range(5):
        _due()  # offered by the type-ahead, not drawn
    _confirm(review, week, week["dante"])
    html = client_for("police_facilitator").get(reverse("reviews:review-detail", args=[review.pk]))
    html = html.content.decode()
    dante = str(week["dante"].pk)
    assert _radios(html, "person") == [dante, dante]  # designate and follow-up
    assert _radios(html, "subject") == ["", f"person:{dante}"]  # no subject, then Dante
    assert "<option" not in "".join(
        re.findall(r'<fieldset class="field picker.*?</fieldset>', html, re.S)
    )


@pytest.mark.parametrize("per_batch", [1, 40])
def test_typing_finds_the_victims_of_every_shooting_drawn_or_not(
    client_for, review, week, monkeypatch, per_batch
):
    monkeypatch.setattr("reviews.selectors.review.SHOOTINGS_PER_BATCH", per_batch)
    client = client_for("police_facilitator")
    page = client.get(reverse("reviews:review-detail", args=[review.pk])).content.decode()
    shooting = ReviewIncident.objects.get(meeting=review, incident=week["shooting"])
    assert (f'id="shooting-{shooting.pk}"' in page) == (per_batch > 1)
    for picker in ("designate", "followup"):
        assert _radios(_search(client, review, picker, "reed").content.decode(), "person") == [
            str(week["marcus"].pk)
        ]
    subject = _search(client, review, "subject", "Marcus").content.decode()
    assert _radios(subject, "subject") == [f"person:{week['marcus'].pk}"]


def test_typing_finds_people_due_and_pending_but_no_one_else(client_for, review, week):
    due = _due(f.PersonFactory(first_name="Kareem", last_name="Dunmore"))
    pending = f.DesignationFactory(
        person=f.PersonFactory(first_name="Kareem", last_name="Pollard"),
        status=RiskDesignation.Status.PENDING,
    )
    f.PersonFactory(first_name="Kareem", last_name="Outsider")  # named nowhere in this review
    html = _search(client_for("police_facilitator"), review, "designate", "kareem")
    assert _radios(html.content.decode(), "person") == [
        str(due.person_id),
        str(pending.person_id),
    ]
    assert "Outsider" not in html.content.decode()
    # each with their open designation: in force until its review, or pending
    assert html.content.decode().count(" until ") == 1
    assert html.content.decode().count("proposed, pending") == 1


def test_every_word_typed_must_match_and_the_list_is_bounded(client_for, review, week):
    for n in range(selectors.CANDIDATES_SHOWN + 3):
        _due(f.PersonFactory(first_name=f"Andre{n:02}", last_name="Baxter"))
    client = client_for("police_facilitator")
    many = _search(client, review, "followup", "baxter").content.decode()
    assert len(_radios(many, "person")) == selectors.CANDIDATES_SHOWN
    assert "More match" in many
    one = _search(client, review, "followup", "andre07 baxter").content.decode()
    assert len(_radios(one, "person")) == 1 and "More match" not in one
    none = _search(client, review, "followup", "zebedee").content.decode()
    assert _radios(none, "person") == [] and "No one the review offers matches" in none


def test_the_subject_picker_also_finds_groups_and_conflicts(client_for, review, week):
    html = _search(client_for("police_facilitator"), review, "subject", "ghost").content.decode()
    assert f"group:{week['ghost'].pk}" in _radios(html, "subject")
    assert f"conflict:{week['conflict'].pk}" in _radios(html, "subject")


def test_a_search_is_audited_with_the_people_it_lists(client_for, review, week):
    client = client_for("police_facilitator")
    before = AuditEvent.objects.count()
    _search(client, review, "designate", "reed")
    event = AuditEvent.objects.order_by("-pk").first()
    assert AuditEvent.objects.count() == before + 1
    assert event.detail["people"] == [week["marcus"].pk] and event.detail["search"] == "reed"
    _search(client, review, "designate", "zebedee")  # lists no one: nothing to audit
    assert AuditEvent.objects.count() == before + 1


def test_the_search_costs_the_same_however_many_people_are_offered(
    client_for, review, week, django_assert_max_num_queries
):
    client = client_for("police_facilitator")
    with django_assert_max_num_queries(30) as few:
        _search(client, review, "subject", "a")
    for _ in range(40):
        _due()
    with django_assert_max_num_queries(len(few.captured_queries)):
        _search(client, review, "subject", "a")


def test_an_unknown_picker_is_not_found(client_for, review):
    assert _search(client_for("police_facilitator"), review, "anyone", "a").status_code == 404


def test_a_person_posted_must_be_one_the_review_offers(client_for, review, week):
    client = client_for("police_facilitator")
    url = reverse("reviews:review-followup", args=[review.pk])
    data = {"risk_assessment": "At high risk", "interventions": ["custom_notification"]}
    refused = client.post(url, {**data, "person": week["jamal"].pk}, HTTP_HX_REQUEST="true")
    assert "Pick a person the review offers" in refused.content.decode()
    assert not FollowUpChoice.objects.filter(meeting=review).exists()
    client.post(url, {**data, "person": week["marcus"].pk}, HTTP_HX_REQUEST="true")
    assert FollowUpChoice.objects.filter(meeting=review, person=week["marcus"]).exists()


def test_a_refused_form_keeps_its_choice_ticked(client_for, review, week):
    client = client_for("police_facilitator")
    url = reverse("reviews:review-designate", args=[review.pk])
    html = client.post(
        url, {"person": week["marcus"].pk, "level": "vhr", "basis": ""}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Tick at least one criterion" in html
    assert re.search(
        rf'<input type="radio" name="person" value="{week["marcus"].pk}" checked>', html
    )
    assert not RiskDesignation.objects.filter(person=week["marcus"]).exists()


def test_a_task_subject_must_be_offered(client_for, review, week, users):
    candidates = selectors.review_candidates(review)
    base = {
        "title": "Custom notification",
        "kind": Task.Kind.CUSTOM_NOTIFICATION,
        "assigned_organisation": users["police_facilitator"].organisation.pk,
        "due_date": (week["today"] + dt.timedelta(days=3)).isoformat(),
    }
    hidden_group = f.GroupFactory(name="Elsewhere")

    def form(subject):
        return forms.ReviewTaskForm(
            {**base, "subject": subject},
            candidates=candidates,
            groups=type(hidden_group).objects.filter(pk=week["ghost"].pk),
            conflicts=type(week["conflict"]).objects.all(),
        )

    for refused in (f"person:{week['jamal'].pk}", f"group:{hidden_group.pk}", "group:x", "x"):
        assert "subject" in form(refused).errors, refused
    accepted = form(f"person:{week['marcus'].pk}")
    assert accepted.is_valid(), accepted.errors
    assert accepted.task_fields()["subject_person"] == week["marcus"]
    assert accepted.picked() == (f"person:{week['marcus'].pk}", week["marcus"])
    none = form("")
    assert none.is_valid(), none.errors
    assert "subject_person" not in none.task_fields() and none.picked() is None
