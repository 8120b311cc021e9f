"""The review's person pickers (designate, choose for follow-up) offer the people the page has
already read: drawing them costs no query, and a posted person must be one of them."""

from __future__ import annotations

from reviews import forms
from tests import factories as f


def test_the_pickers_draw_the_people_offered_without_a_query(db, django_assert_num_queries):
    offered = f.PersonFactory.create_batch(3)
    designate = forms.DesignateForm(candidates=offered)
    followup = forms.FollowUpForm(candidates=offered)
    with django_assert_num_queries(0):
        html = str(designate["person"]) + str(followup["person"])
    for person in offered:
        assert html.count(f'<option value="{person.pk}">{person}</option>') == 2
    assert html.count("— choose a person —") == 2


def test_a_person_posted_must_be_one_offered(db):
    offered, other = f.PersonFactory(), f.PersonFactory()
    data = {"person": other.pk, "risk_assessment": "At high risk", "interventions": []}
    refused = forms.FollowUpForm(data, candidates=[offered])
    assert not refused.is_valid() and "person" in refused.errors
    accepted = forms.FollowUpForm({**data, "person": offered.pk}, candidates=[offered])
    assert accepted.is_valid(), accepted.errors
    assert accepted.cleaned_data["person"] == offered
