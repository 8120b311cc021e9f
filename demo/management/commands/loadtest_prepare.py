"""Prepare a load test against the demo city: signed-in sessions and the pages they visit.

    python manage.py loadtest_prepare --sessions 20 --out .loadtest/plan.json

Writes one session per simulated person (the demo users in a realistic mix of roles, each
already past the second step, as after a real sign-in), a read-only API token for the analyst,
and the URLs of the live meeting pages on the seeded city (the open review and its shootings, the
coordination meeting, the worksheet, deep pages of the shooting log). ``tests/load/locustfile.py``
reads the file. Sessions end as usual (30 minutes idle); ``--revoke`` ends them and the token.
"""

from __future__ import annotations

import json
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from ceasefire.core.middleware import mark_signed_in
from ceasefire.core.models import ApiToken, Incident, Meeting, Person, User
from ceasefire.core.tokens import api_token_create
from demo.users import CASE_MANAGER, EXECUTIVE, FACILITATOR, PARTNER_LEAD, POLICE_VIEWER

# who is in the room, by how many sessions of 20 (a facilitator-heavy live meeting), and what
# the locustfile has them open: "police" the review and the lists, "analyst" the API as well,
# "partner" the coordination meeting, "case" follow-ups and caseload, "aggregates" the worksheet
MIX = [
    (FACILITATOR, 6, "police"),
    (POLICE_VIEWER, 4, "analyst"),
    (PARTNER_LEAD, 4, "partner"),
    (CASE_MANAGER, 4, "case"),
    (EXECUTIVE, 2, "aggregates"),
]
TOKEN_NAME = "load test (read-only)"


class Command(BaseCommand):
    help = "Sign in demo users for a load test and write the plan (sessions, token, URLs)."

    def add_arguments(self, parser):
        parser.add_argument("--sessions", type=int, default=20)
        parser.add_argument("--out", default=".loadtest/plan.json")
        parser.add_argument("--revoke", action="store_true", help="End the load test's sessions.")

    def handle(self, *args, sessions: int, out: str, revoke: bool, **options):
        path = Path(out)
        if revoke:
            return self._revoke(path)
        review = Meeting.objects.filter(kind=Meeting.Kind.SHOOTING_REVIEW).exclude(
            state=Meeting.State.CLOSED
        )
        coordination = Meeting.objects.filter(kind=Meeting.Kind.COORDINATION).exclude(
            state=Meeting.State.CLOSED
        )
        if not review.exists() or not coordination.exists():
            raise CommandError("No open meetings: seed the demo city first (seed_demo).")
        review, coordination = review.latest("date"), coordination.latest("date")
        entries = list(review.review_incidents.order_by("order", "id").values_list("pk", flat=True))
        pages = max(1, Incident.objects.count() // 50)
        plan = {
            "sessions": self._sessions(sessions),
            "token": self._token(),
            "cookie": settings.SESSION_COOKIE_NAME,
            "urls": {
                "home": reverse("core:home"),
                "review": reverse("reviews:review-detail", args=[review.pk]),
                "review_changes": reverse("reviews:review-changes", args=[review.pk]),
                "review_shootings": [
                    reverse("reviews:review-shooting", args=[review.pk, pk]) for pk in entries
                ],
                "review_answers": [
                    reverse("reviews:review-answer", args=[review.pk, "entry", pk, "risk_notes"])
                    for pk in entries
                ],
                "coordination": reverse("coordination:meeting-detail", args=[coordination.pk]),
                "followups": reverse("coordination:followups"),
                "caseload": reverse("coordination:caseload"),
                "worksheet": reverse("performance:index"),
                "shooting_log": reverse("reviews:incident-list"),
                "shooting_log_pages": pages,
                "groups": reverse("reviews:group-list"),
                "person_search": reverse("reviews:person-search"),
                "surnames": list(
                    Person.objects.order_by("?").values_list("last_name", flat=True)[:20]
                ),
                "api_incidents": reverse("api:incident-list"),
                "health": "/health/",  # liveness: the load test runs no Celery worker
            },
        }
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(plan, indent=1))
        path.chmod(0o600)  # live session keys
        self.stdout.write(f"{len(plan['sessions'])} sessions and a token written to {path}")

    def _sessions(self, count: int) -> list[dict]:
        engine = import_module(settings.SESSION_ENGINE)
        backend = settings.AUTHENTICATION_BACKENDS[-1]
        roles = [(username, uses) for username, n, uses in MIX for _ in range(n)]
        made = []
        for i in range(count):
            # the first facilitator is the scribe, saving answers while the others read
            username, uses = (FACILITATOR, "scribe") if i == 0 else roles[i % len(roles)]
            user = User.objects.get(username=username)
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is None:
                raise CommandError(f"{user} has no confirmed second factor (seed_demo makes one).")
            session = engine.SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = backend
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session[DEVICE_ID_SESSION_KEY] = device.persistent_id
            session["loadtest"] = True
            mark_signed_in(session)
            session.create()
            made.append({"username": user.username, "uses": uses, "key": session.session_key})
        return made

    def _token(self) -> str:
        analyst = User.objects.get(username=POLICE_VIEWER)
        ApiToken.objects.filter(user=analyst, name=TOKEN_NAME).delete()
        _token, raw = api_token_create(user=analyst, owner=analyst, name=TOKEN_NAME, days=1)
        return raw

    def _revoke(self, path: Path) -> None:
        if path.exists():
            engine = import_module(settings.SESSION_ENGINE)
            for made in json.loads(path.read_text())["sessions"]:
                engine.SessionStore(session_key=made["key"]).delete()
            path.unlink()
        ApiToken.objects.filter(name=TOKEN_NAME).delete()
        self.stdout.write("Load-test sessions and token removed.")
