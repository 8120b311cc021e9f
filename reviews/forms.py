"""Forms of the shooting log and the review. They parse and explain; services decide and write."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from ceasefire.core.forms import FirstFieldFocused
from ceasefire.core.models import (
    Conflict,
    Group,
    Incident,
    Involvement,
    Organisation,
    Person,
    RiskDesignation,
    Task,
)

from . import ranking

DATETIME_LOCAL = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _conflict_choices(incident: Incident | None = None):
    """Current conflicts (archived ones are no longer offered), and the incident's own."""
    keep = Q(archived_on__isnull=True)
    if incident is not None and incident.conflict_id:
        keep |= Q(pk=incident.conflict_id)
    return Conflict.objects.filter(keep).select_related("group_a", "group_b")


def _group_choices(incident: Incident | None = None):
    """Current groups (archived ones are no longer offered), and those the incident names."""
    keep = Q(archived_on__isnull=True)
    if incident is not None and incident.pk:
        keep |= Q(incidents=incident)
    return Group.objects.filter(keep).distinct()


# The facts the incident form edits (the narrative apart: police only), in the services' order.
FACT_FIELDS = (
    "case_number",
    "occurred_at",
    "address",
    "area",
    "beat",
    "weapon",
    "circumstance",
    "group_involved",
    "conflict",
    "counting_status",
    "counting_reason",
)


class IncidentForm(forms.Form):
    """The facts of an incident. Duplicate case numbers link to the existing incident."""

    case_number = forms.CharField(label="Report (case) number", max_length=40)
    occurred_at = forms.DateTimeField(
        label="Occurred at (local time)", input_formats=DATETIME_LOCAL, widget=LocalDateTimeInput()
    )
    address = forms.CharField(max_length=200)
    area = forms.CharField(label="Police area", max_length=40, required=False)
    beat = forms.CharField(max_length=20, required=False)
    weapon = forms.ChoiceField(choices=Incident.Weapon.choices, initial=Incident.Weapon.FIREARM)
    circumstance = forms.ChoiceField(
        choices=Incident.Circumstance.choices, initial=Incident.Circumstance.UNKNOWN
    )
    group_involved = forms.ChoiceField(
        label="Group involved?",
        choices=Incident.GroupInvolved.choices,
        initial=Incident.GroupInvolved.UNKNOWN,
    )
    groups = forms.ModelMultipleChoiceField(
        label="Groups linked",
        queryset=Group.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    conflict = forms.ModelChoiceField(
        label="Linked conflict",
        queryset=Conflict.objects.none(),
        required=False,
        empty_label="— none —",
    )
    related_case_numbers = forms.CharField(
        label="Related incidents (retaliation chain)",
        required=False,
        help_text="Case numbers separated by commas.",
    )
    narrative = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, help_text="Police only."
    )
    counting_status = forms.ChoiceField(
        choices=Incident.CountingStatus.choices, initial=Incident.CountingStatus.COUNTED
    )
    counting_reason = forms.CharField(
        max_length=300,
        required=False,
        help_text="Required when held or unfounded: why it is not (yet) counted.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args, incident: Incident | None = None, show_narrative: bool = True, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.incident = incident
        self.fields["conflict"].queryset = _conflict_choices(incident)
        self.fields["groups"].queryset = _group_choices(incident)
        if not show_narrative:
            del self.fields["narrative"]

    def clean_case_number(self):
        number = self.cleaned_data["case_number"].strip()
        clash = Incident.objects.filter(case_number__iexact=number)
        if self.incident is not None:
            clash = clash.exclude(pk=self.incident.pk)
        existing = clash.first()
        if existing:
            raise forms.ValidationError(
                format_html(
                    'Case number {} is already logged: <a href="{}">open incident {}</a> '
                    "instead of entering it twice.",
                    number,
                    reverse("reviews:incident-detail", args=[existing.pk]),
                    existing,
                )
            )
        return number

    def clean_occurred_at(self):
        value = self.cleaned_data["occurred_at"]
        if value > timezone.now() + dt.timedelta(minutes=5):
            local = timezone.localtime(value)
            raise forms.ValidationError(
                f"{local:%d %b %Y %H:%M} is in the future — check the date and the time."
            )
        return value

    def clean_related_case_numbers(self):
        numbers = [
            n.strip()
            for n in self.cleaned_data["related_case_numbers"].replace(";", ",").split(",")
            if n.strip()
        ]
        found = {i.case_number: i for i in Incident.objects.filter(case_number__in=numbers)}
        unknown = [n for n in numbers if n not in found]
        if unknown:
            raise forms.ValidationError(f"No incident with case number {', '.join(unknown)}.")
        if self.incident is not None and self.incident.case_number in found:
            raise forms.ValidationError("An incident cannot be related to itself.")
        return [found[n] for n in numbers]

    def clean(self):
        data = super().clean()
        status = data.get("counting_status")
        if (
            status
            and status != Incident.CountingStatus.COUNTED
            and not (data.get("counting_reason") or "").strip()
        ):
            self.add_error(
                "counting_reason",
                "Say why this incident is held or unfounded: it leaves the counts.",
            )
        return data

    @staticmethod
    def initial_for(incident: Incident) -> dict:
        """The form's values for an incident as it is stored (its time in local time)."""
        return {
            **{name: getattr(incident, name) for name in FACT_FIELDS},
            "occurred_at": timezone.localtime(incident.occurred_at),
            "groups": [g.pk for g in incident.groups.all()],
            "related_case_numbers": ", ".join(
                i.case_number for i in incident.related_incidents.all()
            ),
            "narrative": incident.narrative,
            "version": incident.version,
        }

    def facts(self) -> dict:
        return self.facts_of(self.cleaned_data)

    @staticmethod
    def facts_of(data: dict) -> dict:
        """The incident's facts from the form's cleaned data (API v1 validates with this form)."""
        facts = {n: data[n] for n in FACT_FIELDS}
        facts["counting_reason"] = (
            (facts["counting_reason"] or "").strip()
            if facts["counting_status"] != "counted"
            else ""
        )
        if "narrative" in data:
            facts["narrative"] = data["narrative"]
        return facts


class IncidentCreateForm(IncidentForm):
    """A new incident: the cursor starts in the case number (keyboard logging, no mouse)."""

    fatal_victims = forms.IntegerField(
        label="Killed (not yet identified)", min_value=0, max_value=50, initial=0, required=False
    )
    nonfatal_victims = forms.IntegerField(
        label="Wounded (not yet identified)", min_value=0, max_value=50, initial=0, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_number"].widget.attrs["autofocus"] = True

    def clean(self):
        data = super().clean()
        data["fatal_victims"] = data.get("fatal_victims") or 0
        data["nonfatal_victims"] = data.get("nonfatal_victims") or 0
        return data


class InvolvementForm(forms.Form):
    """Add someone to an incident: pick a person found by the search, or create one, or (victims)
    leave them unidentified."""

    role = forms.ChoiceField(choices=Involvement.Role.choices, initial=Involvement.Role.VICTIM)
    injury = forms.ChoiceField(
        label="Injury (victims)",
        choices=[("", "— (not a victim)"), *Involvement.Injury.choices],
        required=False,
        initial=Involvement.Injury.NONFATAL,
    )
    person = forms.ModelChoiceField(
        queryset=Person.objects.all(), required=False, widget=forms.HiddenInput
    )
    first_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100, required=False)
    date_of_birth = forms.DateField(required=False, widget=DateInput())
    age_estimate = forms.IntegerField(
        label="or age (estimate)", min_value=0, max_value=110, required=False
    )
    notes = forms.CharField(max_length=300, required=False)

    def __init__(self, *args, focus: bool = False, **kwargs):
        """``focus``: the cursor lands on the role, ready for the next person (after the incident
        is logged, and after each person is added)."""
        super().__init__(*args, **kwargs)
        if focus:
            self.fields["role"].widget.attrs["autofocus"] = True

    def clean(self):
        data = super().clean()
        picked = data.get("person")
        if not picked and self.data.get("person_pick"):
            picked = (
                Person.objects.filter(pk=self.data["person_pick"]).first()
                if self.data["person_pick"].isdigit()
                else None
            )
            data["person"] = picked
        first, last = (data.get("first_name") or "").strip(), (data.get("last_name") or "").strip()
        if picked and (first or last):
            self.add_error(
                "first_name", "Either pick a person from the search or type a new name, not both."
            )
        if (first or last) and not (first and last):
            self.add_error(
                "last_name" if first else "first_name",
                "Give both a first and a last name for a new person.",
            )
        if problem := date_of_birth_problem(data.get("date_of_birth")):
            self.add_error("date_of_birth", problem)
        if data.get("role") == Involvement.Role.VICTIM and not data.get("injury"):
            self.add_error("injury", "Say whether the victim was killed, wounded or not injured.")
        return data

    def new_person(self) -> dict | None:
        return self.new_person_of(self.cleaned_data)

    @staticmethod
    def new_person_of(data: dict) -> dict | None:
        """The person to create from the cleaned data: none when one was picked (or no name)."""
        if data.get("person") or not data.get("first_name"):
            return None
        return {
            "first_name": data["first_name"],
            "last_name": data["last_name"],
            "date_of_birth": data.get("date_of_birth"),
            "age_estimate": data.get("age_estimate"),
        }


def date_of_birth_problem(dob: dt.date | None) -> str | None:
    """Why the search-or-create field refuses a new person's date of birth (None: it does not)."""
    if dob and dob > timezone.localdate():
        return "A date of birth cannot be in the future."
    if dob and dob.year < timezone.localdate().year - 110:
        return "That date of birth makes the person over 110 years old."
    return None


class PersonCreateForm(forms.Form):
    """The "create" half of the search-or-create field on its own (API v1's ``POST people``):
    the involvement form's new-person fields and checks, both names required."""

    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    date_of_birth = forms.DateField(required=False, widget=DateInput())
    age_estimate = forms.IntegerField(
        label="or age (estimate)", min_value=0, max_value=110, required=False
    )

    def clean_date_of_birth(self):
        dob = self.cleaned_data["date_of_birth"]
        if problem := date_of_birth_problem(dob):
            raise forms.ValidationError(problem)
        return dob


class IdentifyForm(forms.Form):
    person = forms.ModelChoiceField(
        queryset=Person.objects.all(), required=False, widget=forms.HiddenInput
    )
    first_name = forms.CharField(max_length=100, required=False)
    last_name = forms.CharField(max_length=100, required=False)
    date_of_birth = forms.DateField(required=False, widget=DateInput())


class ImportForm(forms.Form):
    file = forms.FileField(
        label="CSV file", help_text="One row per incident; see the format below."
    )
    kind = forms.ChoiceField(
        label="What the file holds",
        choices=[
            ("incidents", "Incidents (the shooting log's format)"),
            ("people", "People and involvements (a records-system extract)"),
        ],
        initial="incidents",
        required=False,
    )
    dry_run = forms.BooleanField(label="Check only (dry run): write nothing", required=False)

    def clean_kind(self):
        return self.cleaned_data.get("kind") or "incidents"

    def clean_file(self):
        """The upload itself (stored by the import job); only its first bytes are read here."""
        upload = self.cleaned_data["file"]
        if upload.size > 100 * 1024 * 1024:
            raise forms.ValidationError("The file is larger than 100 MB; split it.")
        head = upload.read(4096)
        upload.seek(0)
        try:
            head.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            if exc.start < len(head) - 4:  # not just a character cut at the 4 KB boundary
                raise forms.ValidationError(
                    "The file is not UTF-8 text; save it as CSV (UTF-8)."
                ) from None
        return upload


# --- Review --------------------------------------------------------------------------------


class ReviewCreateForm(forms.Form):
    date = forms.DateField(label="Meeting date", widget=DateInput())
    window_start = forms.DateTimeField(
        label="Window from", input_formats=DATETIME_LOCAL, widget=LocalDateTimeInput()
    )
    window_end = forms.DateTimeField(
        label="Window to (not included)", input_formats=DATETIME_LOCAL, widget=LocalDateTimeInput()
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("window_start")
            and data.get("window_end")
            and data["window_start"] >= data["window_end"]
        ):
            self.add_error("window_end", "The window must end after it starts.")
        return data


class TaskStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Task.Status.choices)
    note = forms.CharField(max_length=2000, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)


class RiskDecisionForm(forms.Form):
    incident = forms.ModelChoiceField(queryset=Incident.objects.all(), widget=forms.HiddenInput)
    person = forms.ModelChoiceField(queryset=Person.objects.all(), widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("confirmed", "Confirm"), ("dismissed", "Dismiss")])
    reason = forms.CharField(max_length=500, required=False)
    accepted = forms.MultipleChoiceField(
        choices=[(code, label) for code, label in ranking.TERM_LABELS.items()], required=False
    )
    dismissal_reason = forms.CharField(max_length=300, required=False)


class ReviewCandidateField(forms.ModelChoiceField):
    """A person the review offers (``selectors.review_candidates``), picked with the page's
    type-ahead (``reviews:review-candidates``): the page draws no options, however many people
    the review offers; a posted choice is checked against the candidates the view hands over."""

    default_error_messages = {
        "required": "Find the person by name and pick them from the list.",
        "invalid_choice": "Pick a person the review offers: type a name and choose from the list.",
    }

    def __init__(self, **kwargs):
        super().__init__(queryset=Person.objects.none(), empty_label=None, **kwargs)


class PickedPerson:
    """A form with a ``ReviewCandidateField`` named person: the choice it comes back with."""

    def picked(self) -> tuple[str, Person] | None:
        """(value, person) of a valid choice, for the re-shown form's type-ahead to keep."""
        person = getattr(self, "cleaned_data", {}).get("person")
        return (str(person.pk), person) if person else None


class DesignateForm(PickedPerson, forms.Form):
    person = ReviewCandidateField()
    level = forms.ChoiceField(choices=RiskDesignation.Level.choices)
    criteria = forms.MultipleChoiceField(
        choices=RiskDesignation.Criterion.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Tick at least one criterion from the list; free text alone is no basis."
        },
    )
    basis = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="The incidents and facts that support it (intelligence: police only).",
    )

    def __init__(self, *args, candidates: QuerySet[Person] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["person"].queryset = candidates


class BasisForm(forms.Form):
    basis = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    criteria = forms.MultipleChoiceField(choices=RiskDesignation.Criterion.choices, required=False)


class ReviewTaskForm(forms.Form):
    title = forms.CharField(max_length=300)
    kind = forms.ChoiceField(choices=Task.Kind.choices, initial=Task.Kind.INFORMATION_GATHERING)
    assigned_organisation = forms.ModelChoiceField(
        label="Owner organisation",
        queryset=Organisation.objects.filter(active=True),
        empty_label="— owner —",
    )
    due_date = forms.DateField(widget=DateInput())
    subject = forms.CharField(
        required=False,
        error_messages={"invalid": "Pick the subject from the list: a person, group or conflict."},
    )

    def __init__(self, *args, candidates=None, groups=None, conflicts=None, **kwargs):
        """``candidates``, ``groups``, ``conflicts``: the querysets a posted subject may name."""
        super().__init__(*args, **kwargs)
        offered = {"person": (candidates, Person), "group": (groups, Group)}
        offered["conflict"] = (conflicts, Conflict)
        self.subjects = {
            kind: Model.objects.none() if rows is None else rows
            for kind, (rows, Model) in offered.items()
        }

    def clean_subject(self):
        """``person:<id>``, ``group:<id>`` or ``conflict:<id>`` among those offered, as the
        task's subject field and its object; nothing for no subject."""
        value = self.cleaned_data.get("subject") or ""
        if not value:
            return {}
        kind, _, pk = value.partition(":")
        found = (
            self.subjects[kind].filter(pk=pk).first()
            if kind in self.subjects and pk.isdigit()
            else None
        )
        if found is None:
            raise forms.ValidationError(self.fields["subject"].error_messages["invalid"], "invalid")
        return {f"subject_{kind}": found}

    def picked(self) -> tuple[str, object] | None:
        """(value, subject) of a valid subject, for the re-shown form's type-ahead to keep."""
        if not (subject := getattr(self, "cleaned_data", {}).get("subject")):
            return None
        ((field, found),) = subject.items()
        return f"{field.removeprefix('subject_')}:{found.pk}", found

    def task_fields(self) -> dict:
        """What ``review_task_create`` takes: the task's fields and its subject, if any."""
        fields = {k: v for k, v in self.cleaned_data.items() if k != "subject"}
        return {**fields, **self.cleaned_data["subject"]}


class FollowUpForm(PickedPerson, forms.Form):
    person = ReviewCandidateField()
    risk_assessment = forms.CharField(
        max_length=300,
        initial="At high risk of violence",
        help_text="What partners will read. No intelligence.",
    )
    interventions = forms.MultipleChoiceField(
        label="Recommended interventions",
        choices=[
            c
            for c in Task.Kind.choices
            if c[0] not in ("information_gathering", "enforcement", "other")
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, candidates: QuerySet[Person] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if candidates is not None:
            self.fields["person"].queryset = candidates


class CloseForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class GroupForm(FirstFieldFocused, forms.ModelForm):
    class Meta:
        model = Group
        fields = ["name", "area", "active", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def validate_unique(self):
        """The service decides (its message on the name field)."""


class GroupEditForm(GroupForm):
    """Editing a group: its fields and the version the form was loaded at."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ConflictForm(FirstFieldFocused, forms.Form):
    group_a = forms.ModelChoiceField(
        label="Group", queryset=Group.objects.current(), empty_label="— choose a group —"
    )
    group_b = forms.ModelChoiceField(
        label="Against group",
        queryset=Group.objects.current(),
        required=False,
        empty_label="— none: a conflict within the group —",
    )
    status = forms.ChoiceField(choices=Conflict.Status.choices, initial=Conflict.Status.ACTIVE)
    started_on = forms.DateField(required=False, widget=DateInput())
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Intelligence: police only.",
    )


class ConflictEditForm(FirstFieldFocused, forms.Form):
    """Editing a conflict (its page's **Edit**, and the API's partial update): the status, the
    start and the description, with the version the form was loaded at."""

    status = forms.ChoiceField(choices=Conflict.Status.choices)
    started_on = forms.DateField(required=False, widget=DateInput())
    description = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="Intelligence: police only.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
