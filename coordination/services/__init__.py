"""Writes of the coordination app: meetings, plans, partnership health, partners' records, digests.

Every service is keyword-only, atomic, validates before it writes (``full_clean``) and records
its audit event inside the same transaction. Shared writes (tasks, shares, closing) go through
``ceasefire.core.services``. Import from here: ``coordination.services.enrolment_start``.
"""

from .digest import followup_digests_send
from .meetings import (
    INTERVENTION_KINDS,
    coordination_meeting_close,
    coordination_meeting_create,
    health_item_create,
    health_item_update,
    long_term_plan_save,
    meeting_attendance_set,
    meeting_minutes_save,
    person_plan_save,
    plan_intervention_add,
)
from .records import (
    call_in_record,
    custom_notification_record,
    enrolment_exit,
    enrolment_start,
    service_contact_record,
)

__all__ = [
    "INTERVENTION_KINDS",
    "call_in_record",
    "coordination_meeting_close",
    "coordination_meeting_create",
    "custom_notification_record",
    "enrolment_exit",
    "enrolment_start",
    "followup_digests_send",
    "health_item_create",
    "health_item_update",
    "long_term_plan_save",
    "meeting_attendance_set",
    "meeting_minutes_save",
    "person_plan_save",
    "plan_intervention_add",
    "service_contact_record",
]
