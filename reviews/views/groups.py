"""Groups and conflicts (police): the list, a group's page, a conflict's page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
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
    groups = (
        permissions.groups_visible_to(request.user)
        .annotate(
            member_count=Count("affiliations", filter=Q(affiliations__active=True), distinct=True),
            incident_count=Count("incidents", distinct=True),
        )
        .order_by("name")
    )
    conflicts = (
        permissions.conflicts_visible_to(request.user)
        .select_related("group_a", "group_b")
        .annotate(incident_count=Count("incidents"))
    )
    ctx = {
        "groups": paginate(request, groups),
        "conflicts": conflicts.order_by("status", "group_a__name")[:100],
    }
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
