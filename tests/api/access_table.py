"""Who gets what at every API v1 endpoint: each resource × role × method (list, retrieve, create,
update, delete), signed in with the browser's session. Anonymous callers get 401 everywhere but
the schema and its docs page, which describe the API and hold no data.

A method a resource does not offer is 405 for whoever passes its capability check (403 before
it for those who fail it). Visibility is the pages': a record the user may not see is 404.
"""

from __future__ import annotations

from types import SimpleNamespace

from django.core.files.base import ContentFile

from ceasefire.core.models import ServiceContact
from tests import factories as f
from tests.access import POLICE, ROLES, Row, contains, lacks, ok, only
from tests.conftest import make_orgs, make_users

FACILITATOR = "police_facilitator"
COORDINATION = {FACILITATOR, "partner_lead", "community_partner"}
WORKSHEET = {FACILITATOR, "partner_lead", "executive"}
RECORDERS = {FACILITATOR, "partner_lead", "partner_staff"}  # contacts.record
UNAUTHORISED = 401


def build_world() -> SimpleNamespace:
    orgs = make_orgs()
    users = make_users(orgs)
    shared = f.ShareFactory(person=f.PersonFactory(first_name="Darnell", last_name="Shared"))
    unshared = f.PersonFactory(first_name="Marcus", last_name="Unshared")
    conflict = f.ConflictFactory()
    meeting = f.CoordinationMeetingFactory(facilitator=users["police_facilitator"])
    meeting.attending_organisations.add(orgs["faith"])
    facilitator = users["police_facilitator"]
    worksheet = f.WorksheetFactory(snapshot={"outcomes": {}}, status="ready")
    worksheet.pdf.save("w.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return SimpleNamespace(
        orgs=orgs,
        users=users,
        shared=shared.person,
        unshared=unshared,
        incident=f.IncidentFactory(narrative="Payback for the 14th"),
        unidentified=f.VictimFactory(person=None),  # a victim of another incident, not yet named
        designation=f.DesignationFactory(person=unshared),
        group=conflict.group_a,
        conflict=conflict,
        meeting=meeting,
        review=f.ShootingReviewFactory(facilitator=facilitator),
        performance_review=f.PerformanceReviewFactory(facilitator=facilitator),
        task=f.TaskFactory(assigned_organisation=orgs["hsd"]),
        call_in=f.CallInFactory(),
        notification=f.CustomNotificationFactory(person=shared.person),
        enrolment=f.EnrolmentFactory(person=unshared, provider=orgs["cbo"]),
        service_contact=ServiceContact.objects.create(
            person=unshared, organisation=orgs["cbo"], contacted_on="2024-01-05"
        ),
        enforcement_action=f.EnforcementActionFactory(person=unshared),
        affiliation=f.AffiliationFactory(person=unshared),
        staffing=f.UnitStaffingFactory(),
        benchmark=f.BenchmarkFactory(),
        worksheet=worksheet,
    )


def api(roles, status=200, **exceptions):
    """``roles`` get ``status``; the others 404 (they cannot see it); anonymous 401."""
    return only(roles, status, others=404, anonymous=UNAUTHORISED, **exceptions)


def gated(roles, status=200, **exceptions):
    """A resource behind a capability: ``roles`` get ``status``, the others 403; anonymous 401."""
    return only(roles, status, anonymous=UNAUTHORISED, **exceptions)


EVERYONE = set(ROLES)


def resource(name, obj, *, see, listed=EVERYONE, gate=None, create=None, update=None, delete=None):
    """The five rows of one resource: list, retrieve, create, update, delete.

    ``see``: who retrieves the world's record; ``listed``: who may list (others 403 when
    ``gate``); ``gate``: roles passing the capability check (the rest 403 on every method);
    ``create``/``update``: (data, expect) for resources that accept them (else 405).
    """
    args = lambda w: [getattr(w, obj)]  # noqa: E731
    passes = gate if gate is not None else EVERYONE
    not_allowed = gated(passes, 405)
    rows = [
        Row(f"api:{name}-list", expect=gated(listed)),
        Row(f"api:{name}-detail", args=args, expect=api(see, **_gate_refusals(gate))),
    ]
    data, expect = create or ({}, not_allowed)
    rows.append(Row(f"api:{name}-list", "POST", data=data, expect=expect))
    data, expect = update or ({"version": 1}, not_allowed)
    rows.append(Row(f"api:{name}-detail", "PATCH", args=args, data=data, expect=expect))
    rows.append(Row(f"api:{name}-detail", "DELETE", args=args, expect=delete or not_allowed))
    return rows


def _gate_refusals(gate) -> dict:
    return {} if gate is None else dict.fromkeys(EVERYONE - set(gate), 403)


PARTNERS_LACK_INTELLIGENCE = ok(contains("Darnell"), lacks("Marcus", "aliases"))
# Marcus is on the case manager's organisation's caseload (the world's enrolment)
CASELOAD_LACKS_INTELLIGENCE = ok(contains("Marcus"), lacks("Darnell", "aliases"))

TABLE = [
    Row(
        "api:person-list",
        expect=only(
            POLICE,
            ok(contains("Darnell", "Marcus", "aliases")),
            partner_lead=PARTNERS_LACK_INTELLIGENCE,
            partner_staff=CASELOAD_LACKS_INTELLIGENCE,
            others=ok(lacks("Darnell", "Marcus")),
            anonymous=UNAUTHORISED,
        ),
    ),
    Row(
        "api:person-detail",
        args=lambda w: [w.shared],
        expect=api(POLICE | {"partner_lead"}, partner_lead=PARTNERS_LACK_INTELLIGENCE),
        label="shared",
    ),
    Row(
        "api:person-detail",
        args=lambda w: [w.unshared],
        expect=api(POLICE | {"partner_staff"}, partner_staff=CASELOAD_LACKS_INTELLIGENCE),
        label="not shared",
    ),
    # the shooting log's search-or-create field's "create" half (here without names: 400)
    Row("api:person-list", "POST", expect=gated({FACILITATOR}, 400)),
    Row(
        "api:person-list",
        "POST",
        data={"first_name": "Ray", "last_name": "Cole"},
        expect=gated({FACILITATOR}, 201),
        label="recorded",
    ),
    Row("api:person-detail", "PATCH", args=lambda w: [w.shared], expect=gated(EVERYONE, 405)),
    Row("api:person-detail", "DELETE", args=lambda w: [w.shared], expect=gated(EVERYONE, 405)),
    *resource(
        "designation",
        "designation",
        see=POLICE,
        create=(lambda w: {"person": w.unshared.pk}, gated({FACILITATOR}, 400)),  # no basis
    ),
    # a shooting review's decisions on a designation: the review's editor (here without the
    # basis the page's form requires, or a confirmation of one not pending: 400)
    *(
        Row(
            f"api:designation-{decision}",
            "POST",
            args=lambda w: [w.designation],
            data=lambda w: {"review": w.review.pk},
            expect=gated({FACILITATOR}, 400),
        )
        for decision in ("renew", "lapse", "confirm", "reject")
    ),
    *resource(
        "group",
        "group",
        see=POLICE,
        listed=POLICE,
        gate=POLICE,
        create=({"name": ""}, gated({FACILITATOR}, 400)),
        update=({"area": "Area 9", "version": 1}, gated({FACILITATOR})),
    ),
    Row(
        "api:group-list",
        "POST",
        data={"name": "Acorn Boys", "area": "Area 2"},
        expect=gated({FACILITATOR}, 201),
        label="recorded",
    ),
    Row("api:group-revalidate", "POST", args=lambda w: [w.group], expect=gated({FACILITATOR})),
    *resource(
        "conflict",
        "conflict",
        see=POLICE | COORDINATION,
        create=({}, gated({FACILITATOR}, 400)),
        update=({"version": 1, "status": "dormant"}, gated({FACILITATOR})),
    ),
    Row(
        "api:conflict-list",
        "POST",
        data=lambda w: {"group_a": w.group.pk, "status": "active"},
        expect=gated({FACILITATOR}, 201),
        label="within one group",
    ),
    Row(
        "api:conflict-revalidate",
        "POST",
        args=lambda w: [w.conflict],
        expect=gated({FACILITATOR}),
    ),
    *resource(
        "meeting",
        "meeting",
        see=COORDINATION,
        update=(
            lambda w: {
                "version": w.meeting.version,
                "organisations": [w.orgs["faith"].pk],
                "risk_alignment": True,
            },
            gated({FACILITATOR, "partner_lead"}),  # the page's rule: coordination.edit
        ),
    ),
    Row(
        "api:meeting-detail",
        "PATCH",
        args=lambda w: [w.meeting],
        data=lambda w: {"version": w.meeting.version, "minutes": "Met; two referrals."},
        expect=gated({FACILITATOR, "partner_lead"}),
        label="minutes",
    ),
    Row(
        "api:meeting-detail",
        "PATCH",
        args=lambda w: [w.performance_review],
        data=lambda w: {"version": w.performance_review.version, "minutes": "Call-ins on track."},
        expect=gated({FACILITATOR, "executive"}),  # performance.edit
        label="performance review",
    ),
    Row(
        "api:meeting-detail",
        "PATCH",
        args=lambda w: [w.review],
        data=lambda w: {"version": w.review.version},
        expect=gated({FACILITATOR}, 405),  # written through the review page's sections
        label="shooting review",
    ),
    *resource(
        "task",
        "task",
        see=POLICE | {"partner_lead"},
        update=(
            {"version": 1, "status": "in_progress"},
            api({FACILITATOR, "partner_lead"}, police_viewer=403),
        ),
    ),
    *resource(
        "incident",
        "incident",
        see=POLICE,
        listed=POLICE,
        gate=POLICE,
        create=({"case_number": ""}, gated({FACILITATOR}, 400)),
        update=({"version": 1, "beat": "27Y"}, gated({FACILITATOR})),
    ),
    # the people involved, as the incident page adds, names and removes them (without a role: 400)
    Row(
        "api:incident-involvements",
        "POST",
        args=lambda w: [w.incident],
        expect=gated({FACILITATOR}, 400),
    ),
    Row(
        "api:incident-involvements",
        "POST",
        args=lambda w: [w.incident],
        data={"role": "victim", "injury": "fatal"},
        expect=gated({FACILITATOR}, 201),
        label="unidentified victim",
    ),
    Row(
        "api:incident-involvement-identify",
        "POST",
        args=lambda w: [w.unidentified.incident, w.unidentified],
        data={"first_name": "Ray", "last_name": "Cole"},
        expect=gated({FACILITATOR}),
    ),
    Row(
        "api:incident-involvement",
        "DELETE",
        args=lambda w: [w.unidentified.incident, w.unidentified],
        expect=gated({FACILITATOR}, 204),
    ),
    *resource(
        "call-in",
        "call_in",
        see={FACILITATOR, "partner_lead"},
        create=(
            lambda w: {"held_on": "2024-01-05", "attendees": [w.shared.pk]},
            gated({FACILITATOR, "partner_lead"}, 201),
        ),
    ),
    # recorded from a follow-up (the body's ``task``): without one, those who record get 400
    *resource(
        "notification",
        "notification",
        see=POLICE | {"partner_lead"},
        create=({"delivered_by": "Pastor Jim"}, gated(RECORDERS, 400)),
    ),
    *resource(
        "enrolment",
        "enrolment",
        see=POLICE | {"partner_staff"},
        create=({"started_on": "2024-01-05"}, gated(RECORDERS, 400)),
        update=(
            lambda w: {"ended_on": str(w.enrolment.started_on), "exit_reason": "Moved away"},
            gated({FACILITATOR, "partner_staff"}, partner_lead=404),  # contacts.record, then seen
        ),
    ),
    *resource(
        "service-contact",
        "service_contact",
        see=POLICE | {"partner_staff"},
        create=({"contacted_on": "2024-01-05"}, gated(RECORDERS, 400)),
    ),
    *resource(
        "enforcement-action",
        "enforcement_action",
        see=POLICE,
        create=({"kind": "warrant", "taken_on": "2024-01-05"}, gated({FACILITATOR}, 400)),
        update=({"kind": "warrant", "version": 1}, api({FACILITATOR}, police_viewer=403)),
    ),
    Row(
        "api:enforcement-action-list",
        "POST",
        data=lambda w: {"kind": "warrant", "taken_on": "2024-01-05", "group": w.group.pk},
        expect=gated({FACILITATOR}, 201),
        label="recorded",
    ),
    # a person's affiliations: those who see the person and have groups.edit
    Row(
        "api:person-affiliations",
        "POST",
        args=lambda w: [w.unshared],
        data={"since": "2024-01-05"},
        expect=api({FACILITATOR}, 400, police_viewer=403, partner_staff=403),
    ),
    Row(
        "api:person-affiliation-end",
        "POST",
        args=lambda w: [w.unshared, w.affiliation],
        expect=api({FACILITATOR}, police_viewer=403, partner_staff=403),
    ),
    *resource(
        "staffing",
        "staffing",
        see=POLICE | WORKSHEET,
        create=(
            lambda w: {
                "unit": w.staffing.unit.pk,
                "recorded_on": "2024-01-05",
                "authorised": 10,
                "filled": 8,
            },
            gated({FACILITATOR}, 201),
        ),
    ),
    *resource(
        "benchmark",
        "benchmark",
        see=WORKSHEET | {"admin"},
        create=(
            {"indicator": "homicides", "year": 2030, "annual_target": 70},
            gated({FACILITATOR, "admin"}, 201),
        ),
    ),
    *resource(
        "worksheet",
        "worksheet",
        see=WORKSHEET,
        listed=WORKSHEET,
        gate=WORKSHEET,
        create=({"period": "2017-04..2017-05"}, gated({FACILITATOR, "executive"}, 202)),
    ),
    Row(
        "api:worksheet-pdf",
        args=lambda w: [w.worksheet],
        data={"reason": "Council briefing"},
        expect=gated(WORKSHEET),
    ),
    Row(
        "api:worksheet-pdf",
        args=lambda w: [w.worksheet],
        expect=gated(WORKSHEET, 400),
        label="no reason",
    ),
    Row("api:schema", expect=only(EVERYONE, anonymous=200)),
    Row("api:docs", expect=only(EVERYONE, anonymous=200)),
]
