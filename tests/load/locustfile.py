"""The load benchmark (``make loadtest``): signed-in people using the app during a live meeting.

Run by ``tests/load/run.sh`` (locust headless, loopback only, bounded in time) against gunicorn on
the seeded demo city. Each simulated person is one of the sessions ``manage.py loadtest_prepare``
signed in (facilitators, police viewers, partner leads, case managers, executives) and, after a
think time (LOADTEST_THINK seconds, 1 by default; 0 for flat out), opens what their role opens in
the meeting: the open review, a shooting's details, the review's live poll, the coordination
meeting, follow-ups and caseload, the worksheet, the shooting log (first and deep pages), groups,
a person search, the incidents API with a token, the health check. At the end it prints
throughput and p50 / p95 / p99 per page, the figures the README's benchmark table quotes.

Not collected by pytest (no ``test_`` prefix); locust lives in its own virtual environment
(``requirements/loadtest.txt``), apart from the app's pinned dependencies.
"""

from __future__ import annotations

import itertools
import json
import os
import random

from locust import HttpUser, between, constant, events, task

with open(os.environ.get("LOADTEST_PLAN", ".loadtest/plan.json")) as plan_file:
    PLAN = json.load(plan_file)
URLS = PLAN["urls"]
THINK = float(os.environ.get("LOADTEST_THINK", "1"))
_sessions = itertools.cycle(PLAN["sessions"])

POLICE = {"police", "analyst"}  # what loadtest_prepare says each session uses


class Person(HttpUser):
    """One signed-in person; what they open depends on their role."""

    wait_time = between(THINK * 0.5, THINK * 1.5) if THINK else constant(0)

    def on_start(self):
        self.account = next(_sessions)
        self.client.cookies.set(PLAN["cookie"], self.account["key"])
        self.uses = self.account["uses"]

    def _get(self, url, name, **kwargs):
        with self.client.get(url, name=name, catch_response=True, **kwargs) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} at {url}")

    @task(3)
    def home(self):
        self._get(URLS["home"], "home")

    @task(6)
    def meeting(self):
        if self.uses in POLICE:
            choice = random.random()
            if choice < 0.3:
                self._get(URLS["review"], "review")
            elif choice < 0.6 and URLS["review_shootings"]:
                self._get(
                    random.choice(URLS["review_shootings"]),
                    "review shooting (htmx)",
                    headers={"HX-Request": "true"},
                )
            else:
                self._get(
                    URLS["review_changes"], "review poll (htmx)", headers={"HX-Request": "true"}
                )
        elif self.uses == "partner":
            self._get(
                *random.choice(
                    [(URLS["coordination"], "coordination"), (URLS["followups"], "follow-ups")]
                )
            )
        elif self.uses == "case":
            self._get(
                *random.choice([(URLS["followups"], "follow-ups"), (URLS["caseload"], "caseload")])
            )
        else:
            self._get(URLS["worksheet"], "worksheet")

    @task(2)
    def lists(self):
        if self.uses not in POLICE:
            return
        choice = random.random()
        if choice < 0.4:
            self._get(URLS["shooting_log"], "shooting log p1")
        elif choice < 0.6:
            page = random.randint(
                max(1, URLS["shooting_log_pages"] - 5), URLS["shooting_log_pages"]
            )
            self._get(f"{URLS['shooting_log']}?page={page}", "shooting log deep")
        elif choice < 0.8:
            self._get(URLS["groups"], "groups")
        elif self.uses == "police":  # the person picker is the facilitators' (viewers get 403)
            name = random.choice(URLS["surnames"] or ["Smith"])
            self._get(
                f"{URLS['person_search']}?q={name[:4]}&field=person",
                "person search (htmx)",
                headers={"HX-Request": "true"},
            )

    @task(1)
    def integrations(self):
        if self.uses != "analyst":
            return
        self._get(
            URLS["api_incidents"],
            "api incidents",
            headers={"Authorization": f"Token {PLAN['token']}"},
        )

    @task(1)
    def health(self):
        self._get(URLS["health"], "health")


@events.quitting.add_listener
def _summary(environment, **_kwargs):
    """Throughput and p50 / p95 / p99 per page (ms), then all pages together."""
    stats = environment.stats
    rows = sorted(stats.entries.values(), key=lambda s: s.name)
    total = stats.total
    seconds = max(1e-9, (total.last_request_timestamp or 0) - (total.start_time or 0))
    print(f"\n[loadtest] {environment.runner.user_count} sessions, think {THINK}s, {seconds:.0f}s")
    print(f"{'page':28} {'requests':>8} {'fails':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>7}")
    for s in [*rows, total]:
        p50, p95, p99 = (s.get_response_time_percentile(q) for q in (0.5, 0.95, 0.99))
        print(
            f"{s.name:28} {s.num_requests:8} {s.num_failures:6} "
            f"{p50:6.0f} {p95:6.0f} {p99:6.0f} {s.max_response_time:7.0f}"
        )
    print(
        f"throughput {total.num_requests / seconds:.1f} requests/s, failures {total.num_failures}"
    )
