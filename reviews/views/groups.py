"""Groups and conflicts (police): the list, a group's page, a conflict's page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from ceasefire.core import permissions
from ceasefire.core.audit import audit_view
from ceasefire.core.htmx import render_page
from ceasefire.core.pagination import paginate

from .. import selectors


@login_required
@require_GET
def group_list(request):
    permissions.require_capability(request.user, "groups.view")
    groups = selectors.groups_listed(permissions.groups_visible_to(request.user))
    conflicts = selectors.conflicts_listed(permissions.conflicts_visible_to(request.user))
    ctx = {"groups": paginate(request, groups), "conflicts": conflicts[:100]}
    return render_page(request, "reviews/group_list.html", ctx)


@login_required
@require_GET
def group_detail(request, pk: int):
    user = request.user
    group = permissions.get_group_for_user(user, pk)
    ctx = {"group": group, **selectors.group_detail(group)}
    audit_view(request, obj=group, people=[a.person_id for a in ctx["members"]])
    return render_page(request, "reviews/group_detail.html", ctx)


@login_required
@require_GET
def conflict_detail(request, pk: int):
    user = request.user
    conflict = permissions.get_conflict_for_user(user, pk)
    ctx = {"conflict": conflict, **selectors.conflict_detail(conflict)}
    audit_view(request, obj=conflict)
    return render_page(request, "reviews/conflict_detail.html", ctx)
