"""Case management: the open caseload, recording an exit, and call-ins."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ceasefire.core import permissions
from ceasefire.core.audit import audit_view
from ceasefire.core.forms import form_refusal, form_saved
from ceasefire.core.htmx import render_page
from ceasefire.core.models import Task
from ceasefire.core.pagination import paginate

from .. import forms, selectors, services


@login_required
@require_GET
def caseload(request):
    user = request.user
    permissions.require_capability(user, "contacts.record")
    page = paginate(request, selectors.caseload_open(permissions.enrolments_visible_to(user)))
    kinds = dict(Task.Kind.choices)
    for enrolment in page:
        enrolment.can_exit = permissions.can_exit_enrolment(user, enrolment)
        enrolment.last_contact_kind_label = kinds.get(enrolment.last_contact_kind, "")
    audit_view(
        request,
        object_type="core.enrolment",
        people=sorted({e.person_id for e in page}),
        view="caseload",
    )
    return render_page(
        request,
        "coordination/caseload.html",
        {
            "enrolments": page,
            "exit_form": forms.EnrolmentExitForm(),
            "whole_caseload": permissions.sees_every_enrolment(user),
        },
        partial="caseload",
    )


@login_required
@require_POST
def enrolment_exit(request, pk: int):
    permissions.require_capability(request.user, "contacts.record")
    enrolment = permissions.get_enrolment_for_user(request.user, pk, write=True)
    error = form_refusal(
        forms.EnrolmentExitForm(request.POST),
        lambda data: services.enrolment_exit(enrolment=enrolment, user=request.user, **data),
        invalid="Give a valid exit date.",
    )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"Exit of {enrolment.person} recorded.")
    return redirect("coordination:caseload")


@login_required
@require_http_methods(["GET", "POST"])
def call_ins(request):
    user = request.user
    permissions.require_capability(user, "call_ins.record")
    candidates = selectors.call_in_candidates(permissions.people_visible_to(user))
    form = forms.CallInForm(request.POST or None, candidates=candidates)
    status = 200
    if request.method == "POST":
        if form_saved(form, lambda data: services.call_in_record(user=user, **data)):
            messages.success(request, "Call-in recorded.")
            return redirect("coordination:call-ins")
        status = 400
    page = paginate(request, selectors.call_ins_list(permissions.call_ins_visible_to(user)))
    chosen = (
        list(candidates.filter(pk__in=_ids(form["attendees"].value()))) if form.is_bound else []
    )
    ctx = {"call_ins": page, "form": form, "chosen": chosen}
    return render_page(request, "coordination/call_ins.html", ctx, status=status)


def _ids(values) -> list[int]:
    return [int(v) for v in values or [] if str(v).isdigit()]


@login_required
@require_GET
def call_in_search(request):
    """The call-in form's type-ahead: people who may attend, with date of birth and
    neighbourhood to tell namesakes apart (a fragment; an audited view of people)."""
    user = request.user
    permissions.require_capability(user, "call_ins.record")
    query = request.GET.get("q", "")[:100]
    candidates = selectors.call_in_candidates(permissions.people_visible_to(user))
    people = selectors.call_in_candidates_matching(candidates, query)
    if people:
        audit_view(request, object_type="core.person", search=query, people=[p.pk for p in people])
    ctx = {"people": people, "q": query}
    return render_page(request, "coordination/call_ins.html", ctx, partial="matches")
