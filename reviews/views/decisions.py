"""What the review's sections decide; each answers with its section's fragment.

Deliverables' status, people at imminent risk, designations, follow-up choices, new deliverables.
Each view parses its form, calls one service and answers with the section (``section_response``);
a refusal comes back as the section's error.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.html import format_html_join
from django.views.decorators.http import require_GET, require_POST

from ceasefire.core import permissions
from ceasefire.core import services as core_services
from ceasefire.core.audit import audit_view
from ceasefire.core.forms import form_refusal, form_saved
from ceasefire.core.htmx import form_errors_text, render_page
from ceasefire.core.models import Meeting, RiskDesignation

from .. import forms, selectors, services
from ..models import FollowUpChoice
from .review import (
    review_context,
    section_response,
    with_fingerprints,
)


def _form_section(
    request, review: Meeting, section: str, form, form_name: str, save: Callable[[dict], object]
) -> HttpResponse:
    """Save a valid form through ``save(cleaned_data)`` and answer with the section; a refusal
    puts the service's errors on the form, which the section shows again."""
    if form_saved(form, save):
        return section_response(request, review, section)
    return section_response(
        request, review, section, error=form_errors_text(form), **{form_name: form}
    )


PICKERS = {"designate": "designations.edit", "followup": "shares.edit", "subject": None}


@login_required
@require_GET
def review_candidates(request, pk: int):
    """The type-ahead of the risk and response sections (``for``: designate, follow-up or a new
    deliverable's subject; a fragment and an audited view of the people it lists): the review's
    candidates whose names hold what is typed, and for a subject also groups and conflicts."""
    user = request.user
    review = permissions.get_review_for_user(user, pk, write=True)
    picker = request.GET.get("for", "")
    if picker not in PICKERS:
        raise Http404("No such picker.")
    if PICKERS[picker]:
        permissions.require_capability(user, PICKERS[picker])
    query = request.GET.get("q", "")[:100]
    people, more = selectors.review_candidates_matching(review, query)
    ctx = {"review": review, "picker": picker, "people": people, "more": more, "q": query}
    if picker == "subject":
        ctx.update(
            selectors.task_subjects_matching(
                permissions.agenda_groups_visible_to(user),
                permissions.conflicts_visible_to(user).current(),
                query,
            )
        )
    if people:
        audit_view(request, obj=review, search=query, people=[p.pk for p in people])
    response = render(request, "reviews/partials/candidate_picker.html#results", ctx)
    patch_vary_headers(response, ["HX-Request"])
    return response


@login_required
@require_POST
def review_task_status(request, pk: int, task_pk: int):
    user = request.user
    review = permissions.get_review_for_user(user, pk, write=True)
    task = permissions.get_task_for_user(user, task_pk, write=True)
    error = form_refusal(
        forms.TaskStatusForm(request.POST),
        lambda data: core_services.task_update(
            task=task,
            user=user,
            expected_version=data["version"],
            status=data["status"],
            note=data["note"],
        ),
        invalid="Choose a status.",
    )
    return section_response(request, review, "deliverables", error=error)


@login_required
@require_POST
def review_risk_decide(request, pk: int):
    user = request.user
    review = permissions.get_review_for_user(user, pk, write=True)
    permissions.require_capability(user, "designations.edit")
    form = forms.RiskDecisionForm(request.POST)

    def decide(data: dict):
        offered = selectors.suggestion_reasons(
            review, incident=data["incident"], person=data["person"]
        )
        return services.risk_decide(review=review, user=user, offered=offered, **data)

    error = form_refusal(
        form,
        decide,
        invalid="Pick the person from the search results first."
        if "person" in form.errors
        else "That suggestion is no longer valid — reload.",
    )
    entry_pk = request.POST.get("entry", "")
    entry = selectors.review_entry(review, int(entry_pk)) if entry_pk.isdigit() else None
    if not request.htmx or entry is None:
        return section_response(request, review, "shootings", error=error)
    ctx = review_context(request, review, shootings_error=error)
    with_fingerprints(review, [entry])
    ctx.update(entry=entry, error_entry=entry.pk)
    return render_page(request, "reviews/partials/risk_decided.html", ctx)


@login_required
@require_POST
def review_designate(request, pk: int):
    user = request.user
    review = permissions.get_review_for_user(user, pk, write=True)
    permissions.require_capability(user, "designations.edit")
    form = forms.DesignateForm(request.POST, candidates=selectors.review_candidates(review))

    def save(data: dict):
        incidents = selectors.review_incidents_involving(review, data["person"])
        return services.review_designate(review=review, user=user, incidents=incidents, **data)

    return _form_section(request, review, "risk", form, "designate_form", save)


DESIGNATION_ACTIONS = {
    "renew": services.review_designation_renew,
    "lapse": services.review_designation_lapse,
    "confirm": services.review_designation_confirm,
    "reject": services.review_designation_reject,
}


def renewal_criteria() -> str:
    """The renewal form's criteria: one checkbox per criterion of a designation."""
    return format_html_join(
        "",
        '<label><input type="checkbox" name="criteria" value="{}"> {}</label>',
        RiskDesignation.Criterion.choices,
    )


@login_required
@require_GET
def review_designation(request, pk: int, designation_pk: int):
    """The decision form of one designation on the review's risk section, loaded when the
    facilitator opens it (its own page without htmx): renew or let lapse one that is due,
    confirm or reject a pending one. The section lists the rows; one form at a time is drawn."""
    user = request.user
    review = permissions.get_review_for_user(user, pk, write=True)
    permissions.require_capability(user, "designations.edit")
    designation = get_object_or_404(
        RiskDesignation.objects.select_related("person", "designated_by").filter(
            ended_on__isnull=True
        ),
        pk=designation_pk,
        status__in=[RiskDesignation.Status.PENDING, RiskDesignation.Status.CONFIRMED],
    )
    audit_view(request, obj=review, designation=designation.pk, people=[designation.person_id])
    ctx = {
        "review": review,
        "d": designation,
        "renewal_criteria": renewal_criteria(),
        "today": timezone.localdate(),
    }
    return render_page(request, "reviews/review_designation.html", ctx, partial="decision")


@login_required
@require_POST
def review_designation_action(request, pk: int, designation_pk: int, action: str):
    """Renew or let lapse a designation due for review; confirm or reject a pending one."""
    user = request.user
    review = permissions.get_review_for_user(user, pk, write=True)
    permissions.require_capability(user, "designations.edit")
    if action not in DESIGNATION_ACTIONS:
        raise Http404("Unknown action.")
    designation = get_object_or_404(
        RiskDesignation.objects.select_related("person"), pk=designation_pk
    )
    decide = DESIGNATION_ACTIONS[action]

    def save(data: dict):
        extra = {}
        if action == "renew":
            extra = {
                "criteria": data["criteria"],
                "incidents": selectors.review_incidents_involving(review, designation.person),
            }
        return decide(
            review=review, user=user, designation=designation, basis=data["basis"], **extra
        )

    form = forms.BasisForm(request.POST)
    if action == "confirm":
        form.fields["basis"].required = False
    error = form_refusal(form, save, invalid="Give the basis for this decision.")
    return section_response(request, review, "risk", error=error)


@login_required
@require_POST
def review_followup(request, pk: int):
    user = request.user
    review = permissions.get_review_for_user(user, pk, write=True)
    permissions.require_capability(user, "shares.edit")
    form = forms.FollowUpForm(request.POST, candidates=selectors.review_candidates(review))
    return _form_section(
        request,
        review,
        "risk",
        form,
        "followup_form",
        lambda data: services.review_followup_choose(review=review, user=user, **data),
    )


@login_required
@require_POST
def review_followup_remove(request, pk: int, choice_pk: int):
    user = request.user
    review = permissions.get_review_for_user(user, pk, write=True)
    permissions.require_capability(user, "shares.edit")
    choice = get_object_or_404(FollowUpChoice, pk=choice_pk, meeting=review)
    services.review_followup_remove(review=review, user=user, choice=choice)
    return section_response(request, review, "risk")


@login_required
@require_POST
def review_task_create(request, pk: int):
    user = request.user
    review = permissions.get_review_for_user(user, pk, write=True)
    form = forms.ReviewTaskForm(
        request.POST,
        candidates=selectors.review_candidates(review),
        groups=permissions.agenda_groups_visible_to(user),
        conflicts=permissions.conflicts_visible_to(user).current(),
    )
    return _form_section(
        request,
        review,
        "response",
        form,
        "task_form",
        lambda _data: services.review_task_create(review=review, user=user, **form.task_fields()),
    )
