"""The one place that decides access (SPEC §2).

Three layers, all called by views, DRF views, exports, PDF tasks and commands:

* **capabilities** — role-level rights (``has_capability(user, "incidents.edit")``);
* **queryset scoping** — ``incidents_visible_to(user)``, ``people_visible_to(user)``…;
* **access helpers** — ``get_person_for_user(user, pk, write=False)``: 404 when the
  user may not see the object, 403 when they may see but not change it.

Intelligence fields (narratives, suspect roles, group labels and affiliation
basis, designation criteria) are police-only; probation staff see them only for
their own supervisees.  Partners see people shared with the partnership, and
only their service fields plus the shared risk assessment.

One package, one module per concept; everything is re-exported here, so callers write
``from ceasefire.core import permissions`` and ``permissions.people_visible_to(user)``.
"""

from .administration import (
    audit_events_visible_to,
    may_change_account_flags,
    users_to_alert,
    users_visible_to,
)
from .coordination import (
    agenda_groups_visible_to,
    call_ins_visible_to,
    can_choose_enrolment_provider,
    can_exit_enrolment,
    can_record_contact,
    coordination_tasks_visible_to,
    enrolment_providers_for,
    enrolments_visible_to,
    followup_subject_label,
    get_enrolment_for_user,
    get_share_for_user,
    sees_every_enrolment,
    with_subject_visibility,
)
from .disclosure import (
    disclosed_count,
    disclosed_counts,
    small_counts_suppressed_for,
    suppressed_label,
)
from .integrations import (
    api_tokens_visible_to,
    benchmarks_visible_to,
    can_export,
    can_issue_token_for,
    enforcement_actions_visible_to,
    get_api_token_for_user,
    notifications_visible_to,
    public_page_open,
    require_export,
    service_contacts_visible_to,
    staffing_visible_to,
)
from .meetings import (
    can_edit_meeting,
    can_search_people,
    can_view_narrative,
    get_meeting_for_user,
    get_review_for_user,
    meetings_visible_to,
)
from .papers import (
    can_prepare_paper,
    get_paper_for_user,
    memo_audiences,
    paper_audience,
    paper_audience_label,
    paper_reader,
    papers_visible_to,
)
from .people import (
    can_edit_incident,
    can_edit_person,
    can_propose_designation,
    can_view_group_intelligence,
    can_view_intelligence,
    can_view_person,
    conflicts_visible_to,
    designations_visible_to,
    get_conflict_for_user,
    get_group_for_user,
    get_incident_for_user,
    get_person_for_user,
    groups_visible_to,
    incidents_visible_to,
    people_visible_to,
)
from .performance import (
    can_edit_worksheet_notes,
    can_see_job_timings,
    can_see_trace_records,
    get_commitment_for_user,
    get_worksheet_for_user,
)
from .roles import (
    CAPABILITIES,
    PARTNER_ROLES,
    POLICE_ROLES,
    has_capability,
    is_partner,
    is_police,
    require_capability,
)
from .scope import reader_scope
from .tasks import (
    can_answer_referral,
    can_change_task,
    can_reassign_task,
    get_task_for_user,
    home_deliverables_own_organisation_only,
    home_deliverables_visible_to,
    home_escalations_visible_to,
    home_followups_visible_to,
    home_page_for,
    never_sees_task_subjects,
    task_subject_label,
    tasks_visible_to,
)

__all__ = [
    "CAPABILITIES",
    "PARTNER_ROLES",
    "POLICE_ROLES",
    "agenda_groups_visible_to",
    "api_tokens_visible_to",
    "audit_events_visible_to",
    "benchmarks_visible_to",
    "call_ins_visible_to",
    "can_answer_referral",
    "can_change_task",
    "can_choose_enrolment_provider",
    "can_edit_incident",
    "can_edit_meeting",
    "can_edit_person",
    "can_edit_worksheet_notes",
    "can_exit_enrolment",
    "can_export",
    "can_issue_token_for",
    "can_prepare_paper",
    "can_propose_designation",
    "can_reassign_task",
    "can_record_contact",
    "can_search_people",
    "can_see_job_timings",
    "can_see_trace_records",
    "can_view_group_intelligence",
    "can_view_intelligence",
    "can_view_narrative",
    "can_view_person",
    "conflicts_visible_to",
    "coordination_tasks_visible_to",
    "designations_visible_to",
    "disclosed_count",
    "disclosed_counts",
    "enforcement_actions_visible_to",
    "enrolment_providers_for",
    "enrolments_visible_to",
    "followup_subject_label",
    "get_api_token_for_user",
    "get_commitment_for_user",
    "get_conflict_for_user",
    "get_enrolment_for_user",
    "get_group_for_user",
    "get_incident_for_user",
    "get_meeting_for_user",
    "get_paper_for_user",
    "get_person_for_user",
    "get_review_for_user",
    "get_share_for_user",
    "get_task_for_user",
    "get_worksheet_for_user",
    "groups_visible_to",
    "has_capability",
    "home_deliverables_own_organisation_only",
    "home_deliverables_visible_to",
    "home_escalations_visible_to",
    "home_followups_visible_to",
    "home_page_for",
    "incidents_visible_to",
    "is_partner",
    "is_police",
    "may_change_account_flags",
    "meetings_visible_to",
    "memo_audiences",
    "never_sees_task_subjects",
    "notifications_visible_to",
    "paper_audience",
    "paper_audience_label",
    "paper_reader",
    "papers_visible_to",
    "people_visible_to",
    "public_page_open",
    "reader_scope",
    "require_capability",
    "require_export",
    "sees_every_enrolment",
    "service_contacts_visible_to",
    "small_counts_suppressed_for",
    "staffing_visible_to",
    "suppressed_label",
    "task_subject_label",
    "tasks_visible_to",
    "users_to_alert",
    "users_visible_to",
    "with_subject_visibility",
]
