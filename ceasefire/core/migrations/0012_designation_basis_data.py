"""Existing designations get a documented basis where their links allow it.

They were made under the old rules (in shooting reviews), so they stay confirmed and keep
counting; their criteria are derived from the person's role in the linked incidents (victim,
suspect, associate in a conflict's incident). A designation with no linked incident, or whose
links give no criterion, is marked ``needs_basis``: the next review documents one or lets it
lapse. The hard maximum (five years from the designation day) is set, and a review date past it
is brought back to it.
"""

from __future__ import annotations

import datetime as dt

from django.db import migrations

ROLE_CRITERIA = {
    "victim": "victim_recent_shooting",
    "suspect": "suspect_recent_shooting",
}


def _hard_maximum(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 5)
    except ValueError:
        return day.replace(year=day.year + 5, day=28)


def forwards(apps, schema_editor):
    Designation = apps.get_model("core", "RiskDesignation")
    Involvement = apps.get_model("core", "Involvement")
    Through = Designation.basis_incidents.through
    links: dict[int, set[int]] = {}
    for designation_id, incident_id in Through.objects.values_list(
        "riskdesignation_id", "incident_id"
    ).iterator():
        links.setdefault(designation_id, set()).add(incident_id)
    incident_ids = set().union(*links.values()) if links else set()
    roles: dict[tuple[int, int], set[str]] = {}
    conflict_incidents: set[int] = set()
    for incident_id, person_id, role, conflict_id in (
        Involvement.objects.filter(incident_id__in=incident_ids, person__isnull=False)
        .values_list("incident_id", "person_id", "role", "incident__conflict_id")
        .iterator()
    ):
        roles.setdefault((incident_id, person_id), set()).add(role)
        if conflict_id:
            conflict_incidents.add(incident_id)
    batch = []
    for row in Designation.objects.all().iterator(chunk_size=2000):
        criteria: list[str] = []
        for incident_id in sorted(links.get(row.pk, ())):
            for role in sorted(roles.get((incident_id, row.person_id), ())):
                criterion = ROLE_CRITERIA.get(role)
                if criterion is None and incident_id in conflict_incidents:
                    criterion = "associate_recent_victim_conflict"
                if criterion and criterion not in criteria:
                    criteria.append(criterion)
        row.criteria = criteria
        row.needs_basis = not criteria
        row.status = "confirmed"
        row.confirmed_in_id = row.basis_meeting_id
        row.confirmed_by_id = row.designated_by_id
        row.confirmed_on = row.designated_on
        row.expires_on = _hard_maximum(row.designated_on)
        row.review_due = min(row.review_due, row.expires_on)
        batch.append(row)
        if len(batch) >= 2000:
            _save(Designation, batch)
            batch = []
    _save(Designation, batch)


def _save(Designation, batch):
    Designation.objects.bulk_update(
        batch,
        [
            "criteria",
            "needs_basis",
            "status",
            "confirmed_in",
            "confirmed_by",
            "confirmed_on",
            "expires_on",
            "review_due",
        ],
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0011_designation_basis")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
