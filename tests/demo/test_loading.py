"""``demo.loading.unsaved`` builds the same unsaved rows as the models' own constructor."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ceasefire.core.models import Incident, Involvement, Person, RiskDesignation
from demo.loading import unsaved
from reviews.models import ReviewIncident


def _columns(obj) -> dict:
    """Every column's value but the load-time stamps (defaults that call ``timezone.now``)."""
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.default is not timezone.now
    }


def test_unsaved_rows_equal_the_constructors_with_related_objects_cached():
    person = Person(first_name="Ann", last_name="Lee", date_of_birth=dt.date(2000, 1, 2))
    incident = Incident(case_number="26-000101", occurred_at=timezone.now())
    for model, values in [
        (Person, {"first_name": "Ann", "last_name": "Lee", "date_of_birth": dt.date(2000, 1, 2)}),
        (Incident, {"case_number": "26-000101", "weapon": "firearm", "conflict_id": 3}),
        (Involvement, {"incident": incident, "person": person, "role": "victim"}),
        (Involvement, {"incident": incident, "person": None, "role": "victim", "notes": "x"}),
        (ReviewIncident, {"meeting_id": 4, "incident_id": 5, "order": 2}),
        (RiskDesignation, {"person_id": 6, "criteria": ["victim_recent"]}),
    ]:
        built, expected = unsaved(model, **values), model(**values)
        assert type(built) is model and built._state.adding and built._state.db is None
        assert _columns(built) == _columns(expected)
        assert built._state.fields_cache == expected._state.fields_cache
        stamps = [f.attname for f in model._meta.concrete_fields if f.default is timezone.now]
        assert all(getattr(built, name) is not None for name in stamps)


def test_unsaved_mutable_defaults_are_not_shared_and_other_names_go_through_init():
    first, second = unsaved(ReviewIncident), unsaved(ReviewIncident)
    assert first.facts_at_close == {} and first.facts_at_close is not second.facts_at_close
    assert unsaved(Incident, pk=7).pk == 7  # a property: the constructor's own path
    previous = RiskDesignation(person_id=1)
    renewal = unsaved(RiskDesignation, person_id=1, renews=previous)  # one-to-one
    assert renewal.renews is previous and previous.renewed_by is renewal
    with pytest.raises(TypeError):
        unsaved(Incident, no_such_field=1)
