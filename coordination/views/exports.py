"""My follow-ups and the caseload as CSV or XLSX, after saying why (audited).

The same selectors and scoping as the pages: a task's subject is named only where
``with_subject_visibility`` allows; the caseload is the reader's (the city's for the police).
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from ceasefire.core import permissions
from ceasefire.core.exports import Table, export_flow

from .. import selectors


def followups_table(user) -> Table:
    today = timezone.localdate()
    tasks = permissions.with_subject_visibility(
        user, selectors.followups_for(user, permissions.tasks_visible_to(user), today=today)
    )

    def rows():
        for task in tasks.iterator(chunk_size=2000):
            yield [
                task.pk,
                task.title,
                task.get_kind_display(),
                task.get_status_display(),
                task.due_date.isoformat() if task.due_date else "",
                "yes" if task.overdue else "no",
                task.assigned_organisation.name,
                str(task.assigned_user) if task.assigned_user_id else "",
                permissions.followup_subject_label(user, task),
            ]

    header = ["id", "title", "kind", "status", "due", "overdue", "organisation", "assigned_to"]
    return Table(header=[*header, "subject"], rows=rows(), title="Follow-ups")


def caseload_table(user) -> Table:
    enrolments = selectors.caseload_open(permissions.enrolments_visible_to(user))

    def rows():
        for e in enrolments.iterator(chunk_size=2000):
            yield [
                e.pk,
                str(e.person),
                e.provider.name,
                e.get_referral_source_display(),
                e.started_on.isoformat(),
            ]

    header = ["id", "person", "provider", "referral_source", "started_on"]
    return Table(header=header, rows=rows(), title="Caseload")


@login_required
@require_http_methods(["GET", "POST"])
def followups_export(request):
    permissions.require_export(request.user, "tasks")
    return export_flow(
        request,
        what="tasks",
        title="my follow-ups",
        filters={},
        build=lambda fmt: followups_table(request.user),
        filename=f"follow-ups-{timezone.localdate():%Y-%m-%d}",
        back=reverse("coordination:followups"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def caseload_export(request):
    permissions.require_export(request.user, "caseload")
    return export_flow(
        request,
        what="caseload",
        title="the caseload",
        filters={},
        build=lambda fmt: caseload_table(request.user),
        filename=f"caseload-{timezone.localdate():%Y-%m-%d}",
        back=reverse("coordination:caseload"),
    )
