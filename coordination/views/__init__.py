"""HTML views of the coordination app. Thin: permissions decide, services write, selectors read.

One URL serves the page and, for htmx requests, the fragment (template partials); every form
also works as a plain POST that redirects back to the page.
"""

from .caseload import call_in_search, call_ins, caseload, enrolment_exit
from .exports import caseload_export, followups_export
from .followups import (
    followup_contact,
    followup_detail,
    followup_enrol,
    followup_notification,
    followup_update,
    followups,
)
from .meetings import (
    index,
    meeting_attendance,
    meeting_close,
    meeting_create,
    meeting_detail,
    meeting_minutes,
    meeting_print,
)
from .plans import (
    health_item_add,
    health_item_update,
    long_term_plan_save,
    person_plan_save,
    plan_form,
    plan_intervention_add,
    share_withdraw,
)
from .referrals import followup_answer, followup_reassign

__all__ = [
    "call_in_search",
    "call_ins",
    "caseload",
    "caseload_export",
    "enrolment_exit",
    "followup_answer",
    "followup_contact",
    "followup_detail",
    "followup_enrol",
    "followup_notification",
    "followup_reassign",
    "followup_update",
    "followups",
    "followups_export",
    "health_item_add",
    "health_item_update",
    "index",
    "long_term_plan_save",
    "meeting_attendance",
    "meeting_close",
    "meeting_create",
    "meeting_detail",
    "meeting_minutes",
    "meeting_print",
    "person_plan_save",
    "plan_form",
    "plan_intervention_add",
    "share_withdraw",
]
