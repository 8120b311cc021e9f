"""Forms of the performance app. Each refuses bad input with a message next to the field."""

from __future__ import annotations

import calendar

from django import forms
from django.utils import timezone

from ceasefire.core.models import Organisation, Task, Unit, User

from . import selectors
from .indicators import Period

MONTHS = [(m, calendar.month_name[m]) for m in range(1, 13)]


class PeriodForm(forms.Form):
    """A period of 1–12 months within one year (the worksheet's is usually two)."""

    year = forms.IntegerField(min_value=1990, max_value=2100)
    first_month = forms.TypedChoiceField(choices=MONTHS, coerce=int, label="From")
    last_month = forms.TypedChoiceField(choices=MONTHS, coerce=int, label="To")

    def clean(self):
        data = super().clean()
        if {"year", "first_month", "last_month"} <= data.keys():
            try:
                data["period"] = Period(data["year"], data["first_month"], data["last_month"])
            except ValueError as exc:
                raise forms.ValidationError(str(exc)) from None
        return data


class BenchmarkForm(forms.Form):
    indicator = forms.ChoiceField(
        choices=[(str(i), i.label) for i in selectors.BENCHMARKED_INDICATORS]
    )
    year = forms.IntegerField(min_value=1990, max_value=2100)
    annual_target = forms.IntegerField(min_value=0, max_value=1_000_000, label="Annual target")


class NoteForm(forms.Form):
    note = forms.CharField(required=False, max_length=1000, widget=forms.Textarea)


class StaffingForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.order_by("kind", "name"))
    recorded_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="As of")
    authorised = forms.IntegerField(min_value=1, max_value=10_000)
    filled = forms.IntegerField(min_value=0, max_value=10_000)

    def clean(self):
        data = super().clean()
        if (
            data.get("authorised") is not None
            and data.get("filled") is not None
            and data["filled"] > data["authorised"]
        ):
            self.add_error("filled", "Filled positions cannot exceed authorised positions.")
        if data.get("recorded_on") and data["recorded_on"] > timezone.localdate():
            self.add_error("recorded_on", "This date is in the future.")
        return data


class PlanStatusForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.order_by("kind", "name"))
    recorded_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="As of")
    up_to_date = forms.TypedChoiceField(
        choices=[("yes", "Up to date"), ("no", "Not up to date")],
        coerce=lambda v: v == "yes",
        label="Enforcement plan",
    )
    notes = forms.CharField(required=False, max_length=300)

    def clean_recorded_on(self):
        day = self.cleaned_data["recorded_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("This date is in the future.")
        return day


class ReviewForm(PeriodForm):
    date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Meeting date")
    field_order = ["date", "year", "first_month", "last_month"]


class ReviewUpdateForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    minutes = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        label="Running conversation (minutes)",
    )
    attending_organisations = forms.ModelMultipleChoiceField(
        queryset=Organisation.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attendees = forms.ModelMultipleChoiceField(
        queryset=User.objects.filter(is_active=True).select_related("organisation"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )


class CommitmentForm(forms.Form):
    title = forms.CharField(max_length=300, label="Next step")
    assigned_organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(active=True), label="Owner organisation"
    )
    due_date = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))


class CommitmentStatusForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=Task.Status.choices)
    note = forms.CharField(required=False, max_length=2000)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
