"""Forms of the coordination app: they validate input shape; services validate the rules."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from ceasefire.core import permissions
from ceasefire.core.models import CustomNotification, Enrolment, Organisation, Task

from .models import PartnershipHealthItem
from .services import INTERVENTION_KINDS


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _active_organisations():
    return Organisation.objects.filter(active=True).order_by("name")


class VersionedForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class MeetingCreateForm(forms.Form):
    date = forms.DateField(widget=DateInput, initial=timezone.localdate)


class AttendanceForm(VersionedForm):
    organisations = forms.ModelMultipleChoiceField(
        queryset=_active_organisations(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Organisations attending",
    )
    risk_alignment = forms.BooleanField(required=False, label="The agenda covered risk alignment")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = _active_organisations()


class MinutesForm(VersionedForm):
    minutes = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), required=False)


class InterventionForm(forms.Form):
    kind = forms.ChoiceField(
        choices=[(k.value, k.label) for k in INTERVENTION_KINDS], label="Intervention"
    )
    assigned_organisation = forms.ModelChoiceField(
        queryset=_active_organisations(), label="Organisation"
    )
    due_date = forms.DateField(widget=DateInput, label="Due")
    description = forms.CharField(
        required=False,
        max_length=1000,
        label="Who is best placed, when",
        widget=forms.TextInput(attrs={"size": 30}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assigned_organisation"].queryset = _active_organisations()


class PersonPlanForm(forms.Form):
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label="Plan notes"
    )


class LongTermPlanForm(forms.Form):
    plan = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), label="Long-term plan")
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, required=False)


class HealthItemForm(forms.Form):
    category = forms.ChoiceField(choices=PartnershipHealthItem.Category.choices)
    title = forms.CharField(max_length=300, label="Item")
    owner_organisation = forms.ModelChoiceField(queryset=_active_organisations(), label="Owner")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_organisation"].queryset = _active_organisations()


class HealthItemUpdateForm(VersionedForm):
    status = forms.ChoiceField(choices=PartnershipHealthItem.Status.choices)
    notes = forms.CharField(required=False, max_length=2000, widget=forms.TextInput)


class TaskUpdateForm(VersionedForm):
    status = forms.ChoiceField(choices=Task.Status.choices, required=False)
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
        label="Note (optional)",
    )


class CustomNotificationForm(forms.Form):
    delivered_on = forms.DateField(widget=DateInput, initial=timezone.localdate, label="Date")
    delivered_by = forms.CharField(max_length=200, label="Delivered by")
    outcome = forms.ChoiceField(
        choices=CustomNotification.Outcome.choices, initial=CustomNotification.Outcome.DELIVERED
    )
    help_accepted = forms.BooleanField(required=False, label="Offer of help accepted")
    notes = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class EnrolmentForm(forms.Form):
    provider = forms.ModelChoiceField(queryset=Organisation.objects.none(), label="Provider")
    referral_source = forms.ChoiceField(
        choices=Enrolment.ReferralSource.choices, label="Referral source"
    )
    started_on = forms.DateField(widget=DateInput, initial=timezone.localdate, label="Start")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = permissions.enrolment_providers_for(user)
        if not permissions.can_choose_enrolment_provider(user):
            self.fields["provider"].initial = user.organisation_id


class EnrolmentExitForm(forms.Form):
    ended_on = forms.DateField(widget=DateInput, initial=timezone.localdate, label="Exit date")
    exit_reason = forms.CharField(required=False, max_length=200, label="Reason")


class ServiceContactForm(forms.Form):
    contacted_on = forms.DateField(widget=DateInput, initial=timezone.localdate, label="Date")
    kind = forms.ChoiceField(choices=Task.Kind.choices, label="Kind of contact")
    notes = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CallInForm(forms.Form):
    held_on = forms.DateField(widget=DateInput, initial=timezone.localdate, label="Date")
    location = forms.CharField(required=False, max_length=200)
    attendees = forms.ModelMultipleChoiceField(queryset=None, widget=forms.CheckboxSelectMultiple)
    notes = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = candidates


class ShareWithdrawForm(forms.Form):
    reason = forms.CharField(max_length=300, label="Reason for withdrawing")


class ReferralAnswerForm(VersionedForm):
    """The assigned organisation's answer to a referral: accept, or decline with a reason."""

    decision = forms.ChoiceField(choices=[("accept", "Accept"), ("decline", "Decline")])
    reason = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Why your organisation declines it",
    )


class ReassignForm(VersionedForm):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.filter(active=True).order_by("name"),
        label="Give it to",
        error_messages={"invalid_choice": "Choose an active organisation."},
    )
