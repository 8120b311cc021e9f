"""What a coordination meeting records; each answers with its section's fragment.

Interventions, plan notes, long-term plans, partnership-health items, and a share withdrawn.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.views.decorators.http import require_GET, require_POST

from ceasefire.core import permissions
from ceasefire.core import services as core_services
from ceasefire.core.audit import audit_view
from ceasefire.core.forms import form_refusal, form_saved
from ceasefire.core.htmx import render_page
from ceasefire.core.models import Organisation

from .. import forms, selectors, services
from .meetings import back_to_meeting, meeting_for, meeting_page


@login_required
@require_GET
def plan_form(request, pk: int, person_pk: int):
    """One person's plan forms (an intervention, the plan notes), loaded when the facilitator
    opens them on the per-person plans (its own page without htmx): drawn once, not once a row."""
    meeting = meeting_for(request, pk, write=True)
    person = permissions.get_person_for_user(request.user, person_pk)
    tasks = permissions.coordination_tasks_visible_to(request.user)
    plan = selectors.plans_for_page(meeting, [person.pk], tasks)[person.pk]
    row = SimpleNamespace(
        person=person,
        person_id=person.pk,
        plan_notes=plan["notes"],
        planned_tasks=plan["tasks"],
        intervention_form=forms.InterventionForm(),
    )
    audit_view(request, obj=meeting, people=[person.pk], view="plan form")
    ctx = {
        "meeting": meeting,
        "row": row,
        "organisations": list(Organisation.objects.filter(active=True).order_by("name")),
    }
    return render_page(request, "coordination/plan_form.html", ctx, partial="forms")


@login_required
@require_POST
def plan_intervention_add(request, pk: int, person_pk: int):
    meeting = meeting_for(request, pk, write=True)
    person = permissions.get_person_for_user(request.user, person_pk)
    form = forms.InterventionForm(request.POST)
    if form_saved(
        form,
        lambda data: services.plan_intervention_add(
            meeting=meeting, person=person, user=request.user, **data
        ),
    ):
        if not request.htmx:
            saved = f"Intervention planned for {person}."
            return back_to_meeting(request, meeting, saved, f"plan-{person.pk}")
        return meeting_page(request, meeting, "plans", open_person=person.pk)
    return meeting_page(
        request,
        meeting,
        "plans",
        status=200 if request.htmx else 400,
        intervention_errors={person.pk: form},
        plans_error=" ".join(form.non_field_errors()),
        open_person=person.pk,
    )


@login_required
@require_POST
def person_plan_save(request, pk: int, person_pk: int):
    meeting = meeting_for(request, pk, write=True)
    person = permissions.get_person_for_user(request.user, person_pk)
    error = form_refusal(
        forms.PersonPlanForm(request.POST),
        lambda data: services.person_plan_save(
            meeting=meeting, person=person, user=request.user, notes=data["notes"]
        ),
        invalid="Plan notes are too long.",
    )
    if not request.htmx:
        anchor = "plans" if error else f"plan-{person.pk}"
        return back_to_meeting(request, meeting, f"Plan for {person} saved.", anchor, error=error)
    return meeting_page(request, meeting, "plans", plans_error=error or "", open_person=person.pk)


@login_required
@require_POST
def long_term_plan_save(request, pk: int, person_pk: int):
    meeting = meeting_for(request, pk, write=True)
    person = permissions.get_person_for_user(request.user, person_pk)
    error = form_refusal(
        forms.LongTermPlanForm(request.POST),
        lambda data: services.long_term_plan_save(
            person=person, user=request.user, plan=data["plan"], expected_version=data["version"]
        ),
        invalid="Write the long-term plan.",
    )
    if not request.htmx:
        saved = f"Long-term plan for {person} saved."
        return back_to_meeting(request, meeting, saved, "chronic", error=error)
    return meeting_page(
        request, meeting, "chronic", chronic_error={person.pk: error} if error else {}
    )


@login_required
@require_POST
def health_item_add(request, pk: int):
    meeting = meeting_for(request, pk, write=True)
    form = forms.HealthItemForm(request.POST)
    if form_saved(
        form,
        lambda data: services.health_item_create(meeting=meeting, user=request.user, **data),
    ):
        if not request.htmx:
            return back_to_meeting(request, meeting, "Partnership-health item added.", "health")
        return meeting_page(request, meeting, "health")
    return meeting_page(
        request, meeting, "health", status=200 if request.htmx else 400, health_form=form
    )


@login_required
@require_POST
def health_item_update(request, pk: int, item_pk: int):
    meeting = meeting_for(request, pk, write=True)
    item = selectors.health_items_on_agenda(meeting).filter(pk=item_pk).first()
    if item is None:
        raise Http404("No such item on this agenda.")
    error = form_refusal(
        forms.HealthItemUpdateForm(request.POST),
        lambda data: services.health_item_update(
            item=item,
            meeting=meeting,
            user=request.user,
            expected_version=data["version"],
            status=data["status"],
            notes=data["notes"],
        ),
        invalid="Choose a valid status.",
    )
    if not request.htmx:
        saved = "Partnership-health item saved."
        return back_to_meeting(request, meeting, saved, "health", error=error)
    return meeting_page(request, meeting, "health", health_error={item.pk: error} if error else {})


@login_required
@require_POST
def share_withdraw(request, pk: int, share_pk: int):
    """Police facilitators take a person off the partnership's list: access ends at once."""
    meeting = meeting_for(request, pk)
    share = permissions.get_share_for_user(request.user, share_pk)
    error = form_refusal(
        forms.ShareWithdrawForm(request.POST),
        lambda data: core_services.share_withdraw(
            share=share, user=request.user, reason=data["reason"]
        ),
        invalid="Say why the person is no longer shared.",
    )
    saved = f"{share.person} is no longer shared with the partnership."
    return back_to_meeting(request, meeting, saved, "risk-picture", error=error)
