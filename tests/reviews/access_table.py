"""Who gets what at the reviews URLs: the shooting log and the weekly shooting review.

Intelligence is police-only: partners, community partners, executives, admins and auditors get
403 on every page, fragment and API of the shooting log and the reviews; only the police
facilitator writes. Anonymous visitors are sent to sign in (the API refuses them with 403).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from reviews.models import FollowUpChoice, ImportJob, ReviewIncident
from reviews.services import review_create
from tests import factories as f
from tests.access import FACILITATOR, FORBIDDEN, POLICE, SIGN_IN, Row, contains, ok, only
from tests.conftest import make_orgs, make_users
from tests.reviews.conftest import build_week


def build_world() -> SimpleNamespace:
    """The reviews tests' week of shootings and today's review, with what its forms point at."""
    orgs = make_orgs()
    users = make_users(orgs)
    week = build_week(users)
    review = review_create(user=users["police_facilitator"], date=week["today"])
    earlier = f.ShootingReviewFactory(
        date=review.date - dt.timedelta(days=7), window_end=review.window_start
    )
    shooting = week["shooting"]
    return SimpleNamespace(
        users=users,
        review=review,
        incident=shooting,
        victim=shooting.involvements.get(person=week["marcus"]),
        unidentified=shooting.involvements.get(person__isnull=True),
        group=week["ghost"],
        conflict=week["conflict"],
        task=f.TaskFactory(source_meeting=earlier, assigned_organisation=orgs["police"]),
        designation=f.DesignationFactory(
            person=week["dante"], designated_on=timezone.localdate() - dt.timedelta(days=85)
        ),
        choice=FollowUpChoice.objects.create(meeting=review, person=week["marcus"]),
        entry=ReviewIncident.objects.get(meeting=review, incident=shooting),
        import_job=ImportJob.objects.create(filename="log.csv", status="done"),
    )


def police_page(url: str, **kwargs) -> Row:
    """A page (or API) every police role reads and no one else."""
    api = ":api-" in url
    return Row(url, expect=only(POLICE, anonymous=FORBIDDEN if api else SIGN_IN), **kwargs)


def facilitator_post(url: str, status: int, **kwargs) -> Row:
    """A write only the police facilitator makes (``status`` is theirs with the data given)."""
    return Row(url, "POST", expect=only(FACILITATOR, status), **kwargs)


TABLE = [
    police_page("reviews:index", htmx=True),
    police_page("reviews:incident-list", htmx=True),
    Row("reviews:incident-create", expect=only(FACILITATOR)),
    facilitator_post("reviews:incident-create", 400),
    Row("reviews:incident-import", expect=only(FACILITATOR)),
    facilitator_post("reviews:incident-import", 400),
    police_page("reviews:incident-export"),
    Row("reviews:import-job", args=lambda w: [w.import_job], expect=only(FACILITATOR), htmx=True),
    Row(
        "reviews:incident-export",
        "POST",
        data={"format": "csv", "reason": "Crime-analysis review"},
        expect=only(POLICE, ok(contains("case_number,occurred_at"))),
    ),
    police_page("reviews:incident-detail", args=lambda w: [w.incident]),
    facilitator_post("reviews:incident-detail", 400, args=lambda w: [w.incident]),
    facilitator_post("reviews:involvement-add", 400, args=lambda w: [w.incident]),
    facilitator_post(
        "reviews:involvement-remove", 302, args=lambda w: [w.incident, w.victim], htmx=200
    ),
    facilitator_post(
        "reviews:involvement-identify",
        302,
        args=lambda w: [w.incident, w.unidentified],
        data={"first_name": "Ana", "last_name": "Diaz"},
        htmx=200,
    ),
    Row(
        "reviews:person-search",
        data={"q": "Reed"},
        expect=only(FACILITATOR, ok(contains("Marcus Reed"))),
        htmx=True,
    ),
    police_page("reviews:group-list"),
    police_page("reviews:group-detail", args=lambda w: [w.group]),
    police_page("reviews:conflict-detail", args=lambda w: [w.conflict]),
    police_page("reviews:revalidation-list"),
    facilitator_post("reviews:group-revalidate", 302, args=lambda w: [w.group]),
    facilitator_post("reviews:conflict-revalidate", 302, args=lambda w: [w.conflict]),
    Row("reviews:group-create", expect=only(FACILITATOR)),
    facilitator_post("reviews:group-create", 400, label="refused: no name"),
    facilitator_post(
        "reviews:group-create", 302, data={"name": "Acorn Boys", "area": "Area 2", "active": "on"}
    ),
    Row("reviews:group-edit", args=lambda w: [w.group], expect=only(FACILITATOR)),
    facilitator_post("reviews:group-edit", 400, args=lambda w: [w.group], label="refused"),
    facilitator_post(
        "reviews:group-edit",
        302,
        args=lambda w: [w.group],
        data=lambda w: {"name": "Ghost Town 2", "version": w.group.version},
    ),
    Row("reviews:conflict-create", expect=only(FACILITATOR)),
    facilitator_post("reviews:conflict-create", 400, label="refused: no group"),
    facilitator_post(
        "reviews:conflict-create",
        302,
        data=lambda w: {"group_a": w.group.pk, "status": "dormant"},
    ),
    Row("reviews:conflict-edit", args=lambda w: [w.conflict], expect=only(FACILITATOR)),
    facilitator_post("reviews:conflict-edit", 400, args=lambda w: [w.conflict], label="refused"),
    facilitator_post(
        "reviews:conflict-edit",
        302,
        args=lambda w: [w.conflict],
        data=lambda w: {
            "status": "dormant",
            "started_on": "2024-01-05",
            "description": "Payback",
            "version": w.conflict.version,
        },
    ),
    facilitator_post(
        "reviews:conflict-edit",
        400,
        args=lambda w: [w.conflict],
        data=lambda w: {"status": "dormant", "version": w.conflict.version - 1},
        label="stale",
    ),
    Row("reviews:group-enforcement-record", args=lambda w: [w.group], expect=only(FACILITATOR)),
    facilitator_post(
        "reviews:group-enforcement-record", 400, args=lambda w: [w.group], label="refused"
    ),
    facilitator_post(
        "reviews:group-enforcement-record",
        302,
        args=lambda w: [w.group],
        data=lambda w: {"kind": "warrant", "taken_on": w.review.date.isoformat()},
    ),
    Row("reviews:review-create", expect=only(FACILITATOR)),
    facilitator_post("reviews:review-create", 400),
    police_page(
        "reviews:review-detail",
        args=lambda w: [w.review],
        data={"section": "section-shootings"},
        htmx=True,
    ),
    police_page("reviews:review-minutes", args=lambda w: [w.review]),
    facilitator_post(
        "reviews:review-answer",
        302,
        args=lambda w: [w.review, "entry", w.entry, "motive"],
        data={"value": "x", "version": 1, "was": ""},
        htmx=200,
    ),
    facilitator_post("reviews:review-refresh", 302, args=lambda w: [w.review], htmx=200),
    police_page("reviews:review-shooting", args=lambda w: [w.review, w.entry], htmx=True),
    police_page(
        "reviews:review-rows",
        args=lambda w: [w.review, "due"],
        data={"start": 0},
        htmx=True,
        label="designations due",
    ),
    police_page(
        "reviews:review-rows",
        args=lambda w: [w.review, "deliverables"],
        data={"start": 0},
        htmx=True,
        label="deliverables",
    ),
    Row(  # the next batch of cards: a fragment for htmx, else the batch's first shooting
        "reviews:review-shootings",
        args=lambda w: [w.review],
        data={"start": 0},
        expect=only(POLICE, 302),
        htmx=200,
    ),
    police_page(
        "reviews:review-changes", args=lambda w: [w.review], data={"s-risk": "old"}, htmx=True
    ),
    facilitator_post(
        "reviews:review-task-status",
        302,
        args=lambda w: [w.review, w.task],
        data={"status": "done", "version": 1},
    ),
    facilitator_post(
        "reviews:review-risk-decide",
        302,
        args=lambda w: [w.review],
        data={"decision": "confirmed"},
        htmx=200,
    ),
    *(
        Row(
            "reviews:review-candidates",
            args=lambda w: [w.review],
            data={"for": picker, "q": "Reed"},
            expect=only(FACILITATOR, ok(contains("Marcus Reed"))),
            htmx=True,
            label=picker,
        )
        for picker in ("designate", "followup", "subject")
    ),
    facilitator_post(
        "reviews:review-designate",
        302,
        args=lambda w: [w.review],
        data={"level": "vhr", "basis": "x"},
        htmx=200,
    ),
    Row(
        "reviews:review-designation",
        args=lambda w: [w.review, w.designation],
        expect=only(FACILITATOR),
        htmx=True,
    ),
    facilitator_post(
        "reviews:review-designation-action",
        302,
        args=lambda w: [w.review, w.designation, "lapse"],
        data={"basis": "Calm"},
        htmx=200,
    ),
    facilitator_post("reviews:review-followup", 302, args=lambda w: [w.review], htmx=200),
    facilitator_post(
        "reviews:review-followup-remove", 302, args=lambda w: [w.review, w.choice], htmx=200
    ),
    facilitator_post("reviews:review-task-create", 302, args=lambda w: [w.review], htmx=200),
    facilitator_post(
        "reviews:review-close", 302, args=lambda w: [w.review], data={"version": 1}, htmx=200
    ),
    police_page("reviews:api-incident-list"),
    police_page("reviews:api-incident-detail", args=lambda w: [w.incident]),
    police_page("reviews:api-review-list"),
    police_page("reviews:api-review-detail", args=lambda w: [w.review]),
]
