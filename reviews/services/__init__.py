"""Writes of the shooting log and the weekly shooting review.

Every service is keyword-only and atomic, validates with ``full_clean()`` before it writes,
saves with ``update_fields`` (``save_versioned`` for records two people may edit) and records
its audit event inside the same transaction. Designations, tasks, shares and closing reuse
``ceasefire.core.services``. Import from here: ``reviews.services.review_close``.
"""

from .decisions import (
    review_designate,
    review_designation_confirm,
    review_designation_lapse,
    review_designation_reject,
    review_designation_renew,
    review_followup_choose,
    review_followup_remove,
    review_task_create,
    risk_decide,
)
from .groups import (
    CONFLICT_FIELDS,
    GROUP_FIELDS,
    conflict_create,
    conflict_revalidate,
    conflict_update,
    group_create,
    group_revalidate,
    group_update,
)
from .import_jobs import import_job_create, import_job_run, import_jobs_fail_stuck
from .imports import ImportRefused, ImportReport, incidents_import
from .incidents import (
    INCIDENT_FACT_FIELDS,
    incident_create,
    incident_update,
    involvement_add,
    involvement_identify,
    involvement_remove,
    person_create,
    weapon_victim_problem,
)
from .review import (
    ANSWER_FIELDS,
    SECTIONS,
    answer_repr,
    review_answer_save,
    review_close,
    review_create,
    review_refresh,
    reviews_prepare_open,
)

__all__ = [
    "ANSWER_FIELDS",
    "CONFLICT_FIELDS",
    "GROUP_FIELDS",
    "INCIDENT_FACT_FIELDS",
    "SECTIONS",
    "ImportRefused",
    "ImportReport",
    "answer_repr",
    "conflict_create",
    "conflict_revalidate",
    "conflict_update",
    "group_create",
    "group_revalidate",
    "group_update",
    "import_job_create",
    "import_job_run",
    "import_jobs_fail_stuck",
    "incident_create",
    "incident_update",
    "incidents_import",
    "involvement_add",
    "involvement_identify",
    "involvement_remove",
    "person_create",
    "review_answer_save",
    "review_close",
    "review_create",
    "review_designate",
    "review_designation_confirm",
    "review_designation_lapse",
    "review_designation_reject",
    "review_designation_renew",
    "review_followup_choose",
    "review_followup_remove",
    "review_refresh",
    "review_task_create",
    "reviews_prepare_open",
    "risk_decide",
    "weapon_victim_problem",
]
