"""HTML views of the shooting log and the weekly shooting review. Thin: parse, call, render.

One URL serves the page and its fragment (``ceasefire.core.htmx.render_page``). Access is
decided by ``ceasefire.core.permissions``; writes go through ``reviews.services``.
"""

from .decisions import (
    review_candidates,
    review_designate,
    review_designation,
    review_designation_action,
    review_followup,
    review_followup_remove,
    review_risk_decide,
    review_task_create,
    review_task_status,
)
from .exports import incident_export
from .groups import (
    conflict_create,
    conflict_detail,
    conflict_edit,
    conflict_revalidate,
    group_create,
    group_detail,
    group_edit,
    group_enforcement_record,
    group_list,
    group_revalidate,
    revalidation_list,
)
from .incidents import (
    import_job,
    incident_create,
    incident_detail,
    incident_import,
    incident_list,
    involvement_add,
    involvement_identify,
    involvement_remove,
    person_search,
)
from .live import review_changes, review_rows, review_shooting, review_shootings
from .review import (
    index,
    review_answer,
    review_close,
    review_create,
    review_detail,
    review_minutes,
    review_refresh,
)

__all__ = [
    "conflict_create",
    "conflict_detail",
    "conflict_edit",
    "conflict_revalidate",
    "group_create",
    "group_detail",
    "group_edit",
    "group_enforcement_record",
    "group_list",
    "group_revalidate",
    "import_job",
    "incident_create",
    "incident_detail",
    "incident_export",
    "incident_import",
    "incident_list",
    "index",
    "involvement_add",
    "involvement_identify",
    "involvement_remove",
    "person_search",
    "revalidation_list",
    "review_answer",
    "review_candidates",
    "review_changes",
    "review_close",
    "review_create",
    "review_designate",
    "review_designation",
    "review_designation_action",
    "review_detail",
    "review_followup",
    "review_followup_remove",
    "review_minutes",
    "review_refresh",
    "review_risk_decide",
    "review_rows",
    "review_shooting",
    "review_shootings",
    "review_task_create",
    "review_task_status",
]
