"""The open review's agenda and a shooting's details are computed once per RECORDS version and
shared by everyone watching the meeting; any write to what they show is seen at once."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ceasefire.core.models import RECORD_VERSION_TABLES, Person, Task
from reviews import selectors
from reviews.models import ReviewIncident

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]
VERSIONS = {"core_dataversion", "core_tableversion"}  # what a cached value is keyed by


def _tables(queries) -> set[str]:
    return {
        table
        for q in queries.captured_queries
        for table in re.findall(r'(?:FROM|JOIN)\s+"?(\w+)"?', q["sql"])
    }


def test_the_open_agenda_and_a_shootings_details_read_only_record_tables(review):
    entry = ReviewIncident.objects.filter(meeting=review).first()
    with CaptureQueriesContext(connection) as queries:
        selectors.open_review_agenda(review, tasks=Task.objects.all())
        selectors.open_review_entry(review, entry.pk)
    assert _tables(queries) - VERSIONS <= set(RECORD_VERSION_TABLES)


def test_the_open_agenda_is_computed_once_per_version(review, django_assert_max_num_queries):
    tasks = Task.objects.all()
    first = selectors.open_review_agenda(review, tasks=tasks)
    # each part's table versions: the rest is the cached agenda
    with django_assert_max_num_queries(len(selectors.AGENDA_PARTS)):
        again = selectors.open_review_agenda(review, tasks=tasks)
    assert [e.pk for e in again["entries"]] == [e.pk for e in first["entries"]]
    assert [e.fingerprint for e in again["entries"]] == [e.fingerprint for e in first["entries"]]
    assert again["fingerprints"] == first["fingerprints"]


def test_a_change_to_the_review_or_to_a_person_is_seen_at_once(review, week):
    tasks = Task.objects.all()
    before = selectors.open_review_agenda(review, tasks=tasks)
    entry = next(e for e in before["entries"] if e.incident_id == week["shooting"].pk)
    ReviewIncident.objects.filter(pk=entry.pk).update(motive="retaliation for OLD-1", version=9)
    Person.objects.filter(pk=week["marcus"].pk).update(first_name="Marc")
    after = selectors.open_review_agenda(review, tasks=tasks)
    changed = next(e for e in after["entries"] if e.pk == entry.pk)
    assert changed.answered == entry.answered + 1
    assert changed.fingerprint != entry.fingerprint
    assert "Marc Reed" in {str(v.person) for v in changed.victims if v.person}


def test_a_readers_tasks_are_part_of_the_key(review, week):
    from tests import factories as f

    mine = f.TaskFactory(source_meeting=review, title="Visit the family")
    everyone = selectors.open_review_agenda(review, tasks=Task.objects.all())
    nobody = selectors.open_review_agenda(review, tasks=Task.objects.exclude(pk=mine.pk))
    assert [t.pk for t in everyone["new_tasks"]] == [mine.pk]
    assert nobody["new_tasks"] == []


def test_a_shootings_details_are_shared_and_still_audited_per_reader(client_for, review, week):
    from ceasefire.core.models import AuditEvent

    entry = ReviewIncident.objects.get(meeting=review, incident=week["shooting"])
    url = reverse("reviews:review-shooting", args=[review.pk, entry.pk])
    tables_read = []
    # both signed in first: a sign-in writes the user's last login, a new records version
    readers = [client_for(role) for role in ("police_facilitator", "police_viewer")]
    for reader in readers:
        with CaptureQueriesContext(connection) as queries:
            response = reader.get(url, HTTP_HX_REQUEST="true")
        assert response.status_code == 200
        assert "Dante Hill" in response.content.decode()  # a suggestion: co-victim in OLD-1
        tables_read.append(_tables(queries))
    # the first reader worked the suggestions out (earlier incidents, involvements); the second
    # read them from the cache
    assert "core_involvement" in tables_read[0]
    assert "core_involvement" not in tables_read[1]
    events = AuditEvent.objects.filter(object_id=str(review.pk), detail__shooting=entry.incident_id)
    assert events.count() == 2
    assert all(week["dante"].pk in e.detail["people"] for e in events)


def test_the_open_review_page_is_audited_for_every_reader(client_for, review, week):
    from ceasefire.core.models import AuditEvent

    url = reverse("reviews:review-detail", args=[review.pk])
    before = AuditEvent.objects.count()
    for role in ("police_facilitator", "police_viewer", "police_facilitator"):
        assert client_for(role).get(url).status_code == 200
    viewed = AuditEvent.objects.order_by("seq")[before:]
    assert len(viewed) == 3
    assert all(week["marcus"].pk in e.detail["people"] for e in viewed)


def test_the_open_review_page_is_rendered_once_for_the_readers_of_one_scope(
    client_for, review, week, users
):
    from ceasefire.core.models import Role
    from tests import factories as f

    url = reverse("reviews:review-detail", args=[review.pk])
    colleague_user = f.UserFactory(
        role=Role.POLICE_FACILITATOR, organisation=users["police_facilitator"].organisation
    )
    first, viewer = client_for("police_facilitator"), client_for("police_viewer")
    colleague = client_for("police_facilitator")
    colleague.force_login(colleague_user)  # every reader signed in before the first reading
    page = first.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        shared = colleague.get(url).content.decode()
    # the colleague's page came whole from the cache: their session, the review, the version
    # and the audit event were all that was read (no shooting, person, group, decision)
    reader = {"django_session", "core_user", "core_organisation"}  # base.html's header
    assert _tables(queries) <= reader | VERSIONS | {"core_meeting", "core_auditevent"}
    assert shared.count("Marcus") == page.count("Marcus") > 0
    assert "Close the review" in shared
    viewers_page = viewer.get(url).content.decode()  # another scope: rendered for the viewer
    assert "Marcus" in viewers_page and "Close the review" not in viewers_page


def test_a_shootings_details_are_rendered_once_for_the_readers_of_one_scope(
    client_for, review, week, users
):
    from ceasefire.core.models import AuditEvent, Role
    from tests import factories as f

    entry = ReviewIncident.objects.get(meeting=review, incident=week["shooting"])
    url = reverse("reviews:review-shooting", args=[review.pk, entry.pk])
    first, colleague = client_for("police_facilitator"), client_for("police_facilitator")
    colleague.force_login(
        f.UserFactory(
            role=Role.POLICE_FACILITATOR, organisation=users["police_facilitator"].organisation
        )
    )  # both signed in before the first reading
    page = first.get(url, HTTP_HX_REQUEST="true").content.decode()
    with CaptureQueriesContext(connection) as queries:
        shared = colleague.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert shared.count("Dante Hill") == page.count("Dante Hill") > 0
    assert _tables(queries) <= {
        "django_session",
        "core_user",
        "core_meeting",
        "core_dataversion",
        "core_tableversion",
        "core_auditevent",
    }
    views = AuditEvent.objects.filter(object_id=str(review.pk), detail__shooting=entry.incident_id)
    assert views.count() == 2
    assert views.first().detail == views.last().detail  # the same people and suggestions offered


def test_an_answer_on_a_shooting_leaves_the_other_sections_cached(review, week):
    tasks = Task.objects.all()
    parts = {
        part: selectors.open_review_agenda_part(review, part, tasks=tasks)
        for part in selectors.AGENDA_PARTS
    }
    entry = next(e for e in parts["shootings"]["entries"] if e.incident_id == week["shooting"].pk)
    ReviewIncident.objects.filter(pk=entry.pk).update(motive="retaliation for OLD-1", version=9)
    for part in ("deliverables", "risk", "response"):
        with CaptureQueriesContext(connection) as queries:
            again = selectors.open_review_agenda_part(review, part, tasks=tasks)
        assert _tables(queries) <= VERSIONS, part  # kept: it reads no shooting answer
        assert again.keys() == parts[part].keys()
    with CaptureQueriesContext(connection) as queries:
        shootings = selectors.open_review_agenda_part(review, "shootings", tasks=tasks)
    assert "reviews_reviewincident" in _tables(queries)  # worked out again
    changed = next(e for e in shootings["entries"] if e.pk == entry.pk)
    assert changed.answered == entry.answered + 1
    assert changed.fingerprint != entry.fingerprint


def test_after_an_answer_the_page_renders_its_shootings_again_and_nothing_else(
    client_for, review, week
):
    url = reverse("reviews:review-detail", args=[review.pk])
    reader = client_for("police_facilitator")
    before = reader.get(url).content.decode()
    entry = ReviewIncident.objects.get(meeting=review, incident=week["shooting"])
    ReviewIncident.objects.filter(pk=entry.pk).update(motive="retaliation for OLD-1", version=9)
    with CaptureQueriesContext(connection) as queries:
        after = reader.get(url).content.decode()
    read = _tables(queries)
    assert "reviews_reviewincident" in read and "core_involvement" in read  # the shootings
    # the deliverables, the designations and the response plan came from the cache
    assert not read & {"core_task", "core_riskdesignation", "reviews_followupchoice"}
    status = rf'id="shooting-status-{entry.pk}".*?(\d) of 7 answered'
    assert int(re.search(status, after, re.S).group(1)) == (
        int(re.search(status, before, re.S).group(1)) + 1
    )
    for section in ("s-deliverables", "s-risk", "s-response"):
        assert _section(after, section) == _section(before, section)


def _section(page: str, section_id: str) -> str:
    """One section of the page, CSRF tokens left out (each response masks its own)."""
    text = re.search(rf'<section id="{section_id}".*?</section>', page, re.S).group(0)
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)


def test_a_section_fragment_is_the_sections_shared_text_with_the_readers_token(
    client_for, review, week
):
    from ceasefire.core.fragments import CSRF_PLACEHOLDER

    url = reverse("reviews:review-detail", args=[review.pk])
    reader = client_for("police_facilitator")
    page = reader.get(url).content.decode()
    with CaptureQueriesContext(connection) as queries:
        fragment = reader.get(f"{url}?section=section-risk", HTTP_HX_REQUEST="true")
    text = fragment.content.decode()
    # the risk section the page was put together from: nothing of it is read again
    assert not _tables(queries) & {"core_riskdesignation", "reviews_followupchoice"}
    assert text.strip().startswith('<section id="s-risk"')
    assert _section(text, "s-risk") == _section(page, "s-risk")
    assert CSRF_PLACEHOLDER not in page and CSRF_PLACEHOLDER not in text
    assert 'name="csrfmiddlewaretoken"' in text  # the designate and follow-up forms


def test_after_an_answer_a_shootings_suggestions_are_not_worked_out_again(client_for, review, week):
    entry = ReviewIncident.objects.get(meeting=review, incident=week["shooting"])
    url = reverse("reviews:review-shooting", args=[review.pk, entry.pk])
    reader = client_for("police_facilitator")
    before = reader.get(url, HTTP_HX_REQUEST="true").content.decode()
    ReviewIncident.objects.filter(pk=entry.pk).update(motive="retaliation for OLD-1", version=9)
    with CaptureQueriesContext(connection) as queries:
        after = reader.get(url, HTTP_HX_REQUEST="true").content.decode()
    read = _tables(queries)
    assert "reviews_reviewincident" in read  # the entry and its answers, read again
    assert "core_riskdesignation" not in read  # the suggestions' evidence: kept
    assert "retaliation for OLD-1" in after
    assert after.count("Dante Hill") == before.count("Dante Hill") > 0  # the same suggestions


def test_a_shootings_suggestions_follow_a_change_to_what_they_are_made_from(review, week):
    from tests import factories as f

    incident = week["shooting"]
    first = selectors.open_review_suggestions(review, incident.pk)
    shown = {s.person.pk for s in first.shown + first.more}
    newcomer = f.PersonFactory(first_name="Nate", last_name="Newcomer")
    f.InvolvementFactory(incident=week["old"], person=newcomer)  # a co-victim of Marcus in OLD-1
    again = selectors.open_review_suggestions(review, incident.pk)
    assert newcomer.pk in {s.person.pk for s in again.shown + again.more} - shown


def test_after_an_answer_a_shootings_suggestions_are_not_drawn_again(
    client_for, review, week, monkeypatch
):
    from reviews.models import RiskDecision

    drawn = []
    ranked = selectors.open_review_suggestions

    def counted(meeting, incident_id):
        drawn.append(incident_id)
        return ranked(meeting, incident_id)

    # what the shared suggestions' rendering calls (reviews.views.live.shared_suggestions)
    monkeypatch.setattr(selectors, "open_review_suggestions", counted)
    entry = ReviewIncident.objects.get(meeting=review, incident=week["shooting"])
    url = reverse("reviews:review-shooting", args=[review.pk, entry.pk])
    reader = client_for("police_facilitator")
    first = reader.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert drawn == [entry.incident_id]
    ReviewIncident.objects.filter(pk=entry.pk).update(motive="retaliation for OLD-1", version=9)
    answered = reader.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "retaliation for OLD-1" in answered
    assert drawn == [entry.incident_id]  # the details drawn again around the kept suggestions
    assert answered.count("Dante Hill") == first.count("Dante Hill") > 0
    RiskDecision.objects.create(
        meeting=review,
        incident=week["shooting"],
        person=week["dante"],
        decision=RiskDecision.Decision.DISMISSED,
        dismissal_reason="moved out of state",
        decided_by=week["facilitator"],
    )
    decided = reader.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert drawn == [entry.incident_id] * 2  # a decision: the suggestions drawn again
    assert "moved out of state" in decided
