"""Groups and conflicts (police): the list, a group's page, a conflict's page, and their
three-yearly re-validation (the list of those due, and the facilitator's re-validate button)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ceasefire.core import permissions, record_services
from ceasefire.core.audit import audit_view
from ceasefire.core.forms import EnforcementActionForm, form_page
from ceasefire.core.htmx import go_to, refusal_text, render_page
from ceasefire.core.models import Group
from ceasefire.core.pagination import paginate

from .. import forms, selectors, services


@login_required
@require_GET
def group_list(request):
    permissions.require_capability(request.user, "groups.view")
    groups = selectors.groups_listed(permissions.groups_visible_to(request.user))
    conflicts = selectors.conflicts_listed(permissions.conflicts_visible_to(request.user))
    ctx = {
        "groups": paginate(request, groups),
        "conflicts": conflicts[:100],
        "can_edit": permissions.has_capability(request.user, "groups.edit"),
    }
    return render_page(request, "reviews/group_list.html", ctx)


@login_required
@require_GET
def group_detail(request, pk: int):
    user = request.user
    group = permissions.get_group_for_user(user, pk)
    ctx = {
        "group": group,
        "can_revalidate": permissions.has_capability(user, "groups.edit"),
        "can_record_enforcement": permissions.has_capability(user, "enforcement_actions.record"),
        **selectors.group_detail(group),
    }
    audit_view(request, obj=group, people=[a.person_id for a in ctx["members"]])
    return render_page(request, "reviews/group_detail.html", ctx)


@login_required
@require_GET
def conflict_detail(request, pk: int):
    user = request.user
    conflict = permissions.get_conflict_for_user(user, pk)
    ctx = {
        "conflict": conflict,
        "can_revalidate": permissions.has_capability(user, "groups.edit"),
        **selectors.conflict_detail(conflict),
    }
    audit_view(request, obj=conflict)
    return render_page(request, "reviews/conflict_detail.html", ctx)


@login_required
@require_GET
def revalidation_list(request):
    """Groups and conflicts whose re-validation is due, or falls due within 90 days."""
    user = request.user
    permissions.require_capability(user, "groups.view")
    today = timezone.localdate()
    groups = selectors.groups_revalidation_due(permissions.groups_visible_to(user), today)
    conflicts = selectors.conflicts_revalidation_due(permissions.conflicts_visible_to(user), today)
    ctx = {
        "groups": paginate(request, groups, param="groups"),
        "conflicts": paginate(request, conflicts, param="conflicts"),
        "today": today,
        "notice_days": selectors.REVALIDATION_NOTICE_DAYS,
        "can_revalidate": permissions.has_capability(user, "groups.edit"),
    }
    return render_page(request, "reviews/revalidation.html", ctx)


def _after_revalidation(request, record, revalidate, detail: str):
    try:
        revalidate(record, user=request.user)
    except ValidationError as exc:
        messages.error(request, refusal_text(exc))
    else:
        due = record.revalidation_due
        messages.success(request, f"{record} re-validated; next due {due:%d %b %Y}.")
    if request.POST.get("next") == "list":
        return go_to(request, "reviews:revalidation-list")
    return go_to(request, detail, record.pk)


@login_required
@require_POST
def group_revalidate(request, pk: int):
    group = permissions.get_group_for_user(request.user, pk, write=True)
    return _after_revalidation(
        request,
        group,
        lambda g, user: services.group_revalidate(group=g, user=user),
        "reviews:group-detail",
    )


@login_required
@require_POST
def conflict_revalidate(request, pk: int):
    conflict = permissions.get_conflict_for_user(request.user, pk, write=True)
    return _after_revalidation(
        request,
        conflict,
        lambda c, user: services.conflict_revalidate(conflict=c, user=user),
        "reviews:conflict-detail",
    )


# --- Recording groups, conflicts and their enforcement actions (the police facilitator) -------


def _group_url(group) -> str:
    return reverse("reviews:group-detail", args=[group.pk])


def _posted(request):
    """The form's data on a POST (even an empty one); None on a GET (an unbound form)."""
    return request.POST if request.method == "POST" else None


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request):
    user = request.user
    permissions.require_capability(user, "groups.view")
    permissions.require_capability(user, "groups.edit")
    form = forms.GroupForm(_posted(request))

    def save(data):
        group = services.group_create(user=user, **data)
        messages.success(request, f"{group} recorded.")
        return _group_url(group)

    return form_page(
        request,
        form,
        save,
        title="New group",
        submit="Record the group",
        back=reverse("reviews:group-list"),
        back_label="Groups",
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request, pk: int):
    user = request.user
    group = permissions.get_group_for_user(user, pk, write=True)
    form = forms.GroupEditForm(
        _posted(request),
        instance=Group.objects.get(pk=group.pk),
        initial={"version": group.version},
    )

    def save(data):
        changes = {name: data[name] for name in services.GROUP_FIELDS}
        services.group_update(
            group=group, user=user, expected_version=data["version"], changes=changes
        )
        messages.success(request, f"{data['name']} saved.")
        return _group_url(group)

    return form_page(
        request,
        form,
        save,
        title=f"Edit {group}",
        submit="Save",
        back=_group_url(group),
        back_label=str(group),
    )


@login_required
@require_http_methods(["GET", "POST"])
def conflict_create(request):
    user = request.user
    permissions.require_capability(user, "groups.view")
    permissions.require_capability(user, "groups.edit")
    initial = {"group_a": request.GET.get("group")} if request.GET.get("group") else None
    form = forms.ConflictForm(_posted(request), initial=initial)

    def save(data):
        conflict = services.conflict_create(user=user, **data)
        messages.success(request, f"{conflict} recorded.")
        return reverse("reviews:conflict-detail", args=[conflict.pk])

    return form_page(
        request,
        form,
        save,
        title="New conflict",
        submit="Record the conflict",
        back=reverse("reviews:group-list"),
        back_label="Groups & conflicts",
    )


@login_required
@require_http_methods(["GET", "POST"])
def conflict_edit(request, pk: int):
    """A conflict's status, start and description, saved only if nobody saved it since the form
    was loaded (its version, in a hidden field)."""
    user = request.user
    conflict = permissions.get_conflict_for_user(user, pk, write=True)
    initial = {name: getattr(conflict, name) for name in services.CONFLICT_FIELDS}
    form = forms.ConflictEditForm(
        _posted(request), initial={**initial, "version": conflict.version}
    )
    back = reverse("reviews:conflict-detail", args=[conflict.pk])

    def save(data):
        services.conflict_update(
            conflict=conflict,
            user=user,
            expected_version=data["version"],
            changes={name: data[name] for name in services.CONFLICT_FIELDS},
        )
        messages.success(request, f"{conflict} saved.")
        return back

    return form_page(
        request,
        form,
        save,
        title=f"Edit {conflict}",
        submit="Save",
        back=back,
        back_label=str(conflict),
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_enforcement_record(request, pk: int):
    user = request.user
    group = permissions.get_group_for_user(user, pk)
    permissions.require_capability(user, "enforcement_actions.record")
    form = EnforcementActionForm(_posted(request))

    def save(data):
        record_services.enforcement_action_record(user=user, group=group, **data)
        messages.success(request, "Enforcement action recorded.")
        return _group_url(group)

    return form_page(
        request,
        form,
        save,
        title=f"Record an enforcement action against {group}",
        submit="Record the action",
        back=_group_url(group),
        back_label=str(group),
    )
