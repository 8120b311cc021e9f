"""The form-side helpers every view uses to hand a form to its service."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from ceasefire.core.forms import form_refusal, form_saved


class NoteForm(forms.Form):
    note = forms.CharField(max_length=10)


def _refuse(data):
    raise ValidationError({"note": "Not that note."})


def test_a_valid_form_is_saved_through_its_service():
    saved = []
    assert form_saved(NoteForm({"note": "hello"}), saved.append)
    assert saved == [{"note": "hello"}]


def test_an_invalid_form_never_reaches_the_service():
    saved = []
    assert not form_saved(NoteForm({"note": ""}), saved.append)
    assert saved == []


def test_a_refusal_lands_on_the_field_it_names():
    form = NoteForm({"note": "hello"})
    assert not form_saved(form, _refuse)
    assert form.errors["note"] == ["Not that note."]


def test_form_refusal_says_nothing_when_saved_and_what_went_wrong_otherwise():
    assert (
        form_refusal(NoteForm({"note": "hi"}), lambda data: None, invalid="Write a note.") is None
    )
    assert form_refusal(NoteForm({}), lambda data: None, invalid="Write a note.") == "Write a note."
    assert form_refusal(NoteForm({"note": "hi"}), _refuse, invalid="x") == "Not that note."
