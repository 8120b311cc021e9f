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

import html
import itertools
import json
import os
import random
import re
import time

from locust import HttpUser, between, constant, events, task

with open(os.environ.get("LOADTEST_PLAN", ".loadtest/plan.json")) as plan_file:
    PLAN = json.load(plan_file)
URLS = PLAN["urls"]
THINK = float(os.environ.get("LOADTEST_THINK", "1"))
# the room discusses one shooting at a time: most details opened are the current one's
SHOOTING_SECONDS = float(os.environ.get("LOADTEST_SHOOTING_SECONDS", "30"))
# how often the scribe saves an answer (each save is a new records version: every cached
# agenda, shooting and list is worked out again); 0 for a read-only run
WRITE_SECONDS = float(os.environ.get("LOADTEST_WRITE_SECONDS", "5"))
_readers = itertools.cycle([s for s in PLAN["sessions"] if s["uses"] != "scribe"])
_scribes = [s for s in PLAN["sessions"] if s["uses"] == "scribe"]
_started = time.monotonic()


def current_shooting() -> int:
    """The agenda entry the room is on (one every SHOOTING_SECONDS, in agenda order)."""
    count = max(1, len(URLS["review_shootings"]))
    return int((time.monotonic() - _started) / SHOOTING_SECONDS) % count


def _field(fragment: str, form_id: str, name: str) -> str | None:
    """A hidden input's value inside one answer form of a shooting's details."""
    form = re.search(rf'<form[^>]*id="{form_id}".*?</form>', fragment, re.S)
    found = form and re.search(rf'name="{name}" value="([^"]*)"', form.group(0))
    return html.unescape(found.group(1)) if found else None


POLICE = {"police", "analyst"}  # what loadtest_prepare says each session uses


class Person(HttpUser):
    """One signed-in person; what they open depends on their role."""

    wait_time = between(THINK * 0.5, THINK * 1.5) if THINK else constant(0)

    def on_start(self):
        self.account = next(_readers)
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
                shootings = URLS["review_shootings"]
                self._get(
                    shootings[current_shooting()]
                    if random.random() < 0.7
                    else random.choice(shootings),
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


class Scribe(HttpUser):
    """The facilitator taking the notes: every WRITE_SECONDS, the current shooting's "people at
    imminent risk" notes are saved (the answer form's own version and previous value), as the
    live page does while the room talks."""

    abstract = not (_scribes and WRITE_SECONDS)  # a read-only run has no scribe
    fixed_count = 1
    wait_time = constant(WRITE_SECONDS or 1)

    def on_start(self):
        self.account = _scribes[0]
        self.client.cookies.set(PLAN["cookie"], self.account["key"])
        self.saved = 0

    @task
    def save_an_answer(self):
        index = current_shooting()
        # a new connection each time: WRITE_SECONDS outlasts gunicorn's keep-alive (2 s), and a
        # reused connection the server has just closed fails with no status
        hx = {"HX-Request": "true", "Connection": "close"}
        with self.client.get(
            URLS["review_shootings"][index],
            name="review shooting (htmx)",
            headers=hx,
            catch_response=True,
        ) as details:
            if details.status_code != 200:
                details.failure(f"{details.status_code} at the shooting's details")
                return
        url = URLS["review_answers"][index]
        form_id = "answer-" + url.rstrip("/").split("/answer/")[1].replace("/", "-")
        version = _field(details.text, form_id, "version")
        was = _field(details.text, form_id, "was")
        token = re.search(r'"X-CSRFToken": "([^"]+)"', details.text) or re.search(
            r'name="csrfmiddlewaretoken" value="([^"]+)"', details.text
        )
        if version is None or was is None or token is None:
            return  # not an editable answer (a closed review): nothing to save
        self.saved += 1
        with self.client.post(
            url,
            data={"value": f"load test note {self.saved}", "version": version, "was": was},
            headers={**hx, "X-CSRFToken": token.group(1), "Referer": self.host + url},
            name="answer save (htmx)",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or "Saved" not in response.text:
                response.failure(f"{response.status_code}: the answer was not saved")


@events.quitting.add_listener
def _summary(environment, **_kwargs):
    """Throughput and p50 / p95 / p99 per page (ms), then all pages together."""
    stats = environment.stats
    rows = sorted(stats.entries.values(), key=lambda s: s.name)
    total = stats.total
    seconds = max(1e-9, (total.last_request_timestamp or 0) - (total.start_time or 0))
    sessions = getattr(environment.parsed_options, "num_users", None) or len(PLAN["sessions"])
    print(f"\n[loadtest] {sessions} sessions, think {THINK}s, {seconds:.0f}s")
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
