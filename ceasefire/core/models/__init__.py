"""The shared data model of SPEC §3, used by all three meeting apps: one module per concept.

Models hold structure and invariants (constraints, ``clean``); writes happen in
``services.py``, reads in ``selectors.py``, access decisions in ``permissions.py``.
Records that a second person may edit at the same time carry a ``version``
(optimistic locking, see ``concurrency.py``). Everything is re-exported here, so
``from ceasefire.core.models import Person`` (and the migrations) never change.
"""

from .accounts import CeasefireUserManager, Organisation, PartnershipSettings, Role, User
from .audit import AuditEvent, AuditQuerySet
from .base import Versioned
from .contacts import CallIn, CustomNotification, Enrolment, ServiceContact
from .designations import DesignationQuerySet, PartnershipShare, RiskDesignation
from .enforcement import EnforcementAction, EnforcementPlanStatus, Unit, UnitStaffing
from .incidents import Incident, IncidentKind, IncidentQuerySet, Involvement, derive_kind
from .meetings import AgendaItem, Meeting
from .papers import MeetingPaper, paper_upload_to
from .people import (
    ADULT_AGE,
    JUVENILE_MIN_AGE,
    REVALIDATE_YEARS,
    Conflict,
    Group,
    GroupAffiliation,
    Person,
)
from .rights import REQUEST_RESPONSE_DAYS, Notice, RightsRequest, RightsRequestQuerySet
from .tasks import Task, TaskUpdate
from .tokens import ApiToken, token_digest, token_generate
from .worksheets import (
    DATA_VERSION_TABLES,
    RECORD_VERSION_TABLES,
    Benchmark,
    DataVersion,
    Indicator,
    TableVersion,
    Worksheet,
    worksheet_upload_to,
)

__all__ = [
    "ADULT_AGE",
    "DATA_VERSION_TABLES",
    "JUVENILE_MIN_AGE",
    "RECORD_VERSION_TABLES",
    "REQUEST_RESPONSE_DAYS",
    "REVALIDATE_YEARS",
    "AgendaItem",
    "ApiToken",
    "AuditEvent",
    "AuditQuerySet",
    "Benchmark",
    "CallIn",
    "CeasefireUserManager",
    "Conflict",
    "CustomNotification",
    "DataVersion",
    "DesignationQuerySet",
    "EnforcementAction",
    "EnforcementPlanStatus",
    "Enrolment",
    "Group",
    "GroupAffiliation",
    "Incident",
    "IncidentKind",
    "IncidentQuerySet",
    "Indicator",
    "Involvement",
    "Meeting",
    "MeetingPaper",
    "Notice",
    "Organisation",
    "PartnershipSettings",
    "PartnershipShare",
    "Person",
    "RightsRequest",
    "RightsRequestQuerySet",
    "RiskDesignation",
    "Role",
    "ServiceContact",
    "TableVersion",
    "Task",
    "TaskUpdate",
    "Unit",
    "UnitStaffing",
    "User",
    "Versioned",
    "Worksheet",
    "derive_kind",
    "paper_upload_to",
    "token_digest",
    "token_generate",
    "worksheet_upload_to",
]
