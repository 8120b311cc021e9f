"""Form helpers shared by the meeting apps."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError

from .concurrency import ConcurrentEditError
from .htmx import go_to, refusal_text, render_page
from .models import (
    EnforcementAction,
    Group,
    Incident,
    Notice,
    Person,
    RightsRequest,
    RiskDesignation,
    Unit,
)


def apply_service_errors(form, exc: ValidationError | ConcurrentEditError) -> None:
    """Put a service's refusal on the form: field errors on their fields, the rest (and stale
    saves) on top."""
    if isinstance(exc, ConcurrentEditError):
        form.add_error(None, exc.message)
        return
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def form_saved(form, save: Callable[[dict], object]) -> bool:
    """Validate ``form`` and hand its cleaned data to ``save`` (a call of one service).

    False when the form is invalid or the service refuses; the refusal is then on the form.
    """
    if not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except (ValidationError, ConcurrentEditError) as exc:
        apply_service_errors(form, exc)
        return False
    return True


def form_page(request, form, save, *, title: str, submit: str, back: str, back_label: str):
    """A small record's form on a page of its own (``core/record_form.html``). GET: the form;
    POST: saved through ``save`` (a service call returning the URL to go to next), or the form
    again with its errors (400)."""
    if request.method == "POST":
        saved = {}
        if form_saved(form, lambda data: saved.setdefault("to", save(data))):
            return go_to(request, saved["to"])
    ctx = {"form": form, "title": title, "submit": submit, "back": back, "back_label": back_label}
    return render_page(request, "core/record_form.html", ctx, status=400 if form.is_bound else 200)


def form_refusal(form, save: Callable[[dict], object], *, invalid: str) -> str | None:
    """Save a small form (a status, a reason) through its service: None when it saved, else what
    to tell the user: ``invalid`` for a form that does not validate, or the service's refusal."""
    if not form.is_valid():
        return invalid
    try:
        save(form.cleaned_data)
    except (ValidationError, ConcurrentEditError) as exc:
        return refusal_text(exc)
    return None


class DesignationProposeForm(forms.Form):
    """A designation made outside a review: criteria from the fixed list and linked incidents."""

    level = forms.ChoiceField(choices=RiskDesignation.Level.choices)
    criteria = forms.MultipleChoiceField(
        choices=RiskDesignation.Criterion.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Tick at least one criterion from the list; free text alone is no basis."
        },
    )
    basis_incidents = forms.ModelMultipleChoiceField(
        label="Incidents that support it",
        queryset=Incident.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Link at least one of the person's incidents."},
    )
    basis = forms.CharField(
        label="Facts that support it",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Intelligence: police only.",
    )

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["basis_incidents"].queryset = Incident.objects.filter(
            pk__in=person.involvements.values("incident_id")
        ).order_by("-occurred_at")


class DateInput(forms.DateInput):
    input_type = "date"


class NoticeForm(forms.Form):
    given_on = forms.DateField(widget=DateInput())
    channel = forms.ChoiceField(choices=Notice.Channel.choices)
    guardian_name = forms.CharField(
        label="Parent or guardian notified (juveniles)", max_length=200, required=False
    )


class RightsRequestForm(forms.Form):
    kind = forms.ChoiceField(choices=RightsRequest.Kind.choices)
    requested_by = forms.CharField(max_length=200)
    received_on = forms.DateField(widget=DateInput())


class RightsResponseForm(forms.Form):
    outcome = forms.ChoiceField(choices=RightsRequest.Outcome.choices)
    response = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    withheld_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Why withheld"
    )


class FirstFieldFocused:
    """A form on a page of its own: its first visible field has the focus when the page opens."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        first = next((f for f in self.visible_fields()), None)
        if first is not None:
            first.field.widget.attrs["autofocus"] = True


class AffiliationForm(FirstFieldFocused, forms.Form):
    """A person's membership of a group, with its basis (intelligence: police only)."""

    group = forms.ModelChoiceField(
        queryset=Group.objects.current(), empty_label="— choose a group —"
    )
    since = forms.DateField(widget=DateInput(), help_text="Since when, as far as is known.")
    basis = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="The facts the label rests on. Intelligence: police only.",
    )


class EnforcementActionForm(FirstFieldFocused, forms.Form):
    """An enforcement action against the person or group whose page it is recorded on."""

    kind = forms.ChoiceField(choices=EnforcementAction.Kind.choices)
    taken_on = forms.DateField(label="Date", widget=DateInput())
    unit = forms.ModelChoiceField(queryset=Unit.objects.all(), required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class EnforcementActionEditForm(EnforcementActionForm):
    """Correcting an action on the person page: its fields and the version the form was loaded
    at (the subject stays; the API may change it)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class EnforcementActionSubjectForm(EnforcementActionForm):
    """The API's form: the subject (a person, a group or both) is named in the body."""

    person = forms.ModelChoiceField(queryset=Person.objects.all(), required=False)
    group = forms.ModelChoiceField(queryset=Group.objects.all(), required=False)


class EnforcementActionCorrectForm(EnforcementActionSubjectForm):
    """The API's correction: the subject form and the version the action was read at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
