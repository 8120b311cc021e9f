"""Meeting papers: the job (queued → running → ready, frozen versions, failures), what each
audience's PDF holds (read back with pdftotext), the memos queued by closing, the panel and the
downloads (reason asked, audited; the ZIP with its manifest)."""

from __future__ import annotations

import hashlib
import io
import json
import subprocess
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage

from ceasefire.core import papers
from ceasefire.core import services as core_services
from ceasefire.core.models import AuditEvent, MeetingPaper
from coordination import services as coordination_services
from tests.queries import tables_written

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


def prepared(meeting, user, kind="brief", *, capture) -> MeetingPaper:
    with capture(execute=True):
        paper = papers.paper_request(meeting=meeting, kind=kind, user=user)
    paper.refresh_from_db()
    return paper


def text_of(paper: MeetingPaper) -> str:
    with paper.file.open("rb") as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF")
    out = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


# --- The job ------------------------------------------------------------------------------------


def test_a_brief_is_queued_then_made_ready_with_its_sha256(
    city, django_capture_on_commit_callbacks
):
    user = city.users["police_facilitator"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        paper = papers.paper_request(meeting=city.review, kind="brief", user=user)
    assert paper.status == MeetingPaper.Status.QUEUED and paper.version == 1
    assert paper.audience == "police"
    assert len(callbacks) == 1, "the job is dispatched after commit"
    callbacks[0]()
    paper.refresh_from_db()
    assert paper.status == MeetingPaper.Status.READY
    with paper.file.open("rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == paper.sha256
    assert paper.size > 1000 and paper.generated_at is not None


def test_asking_again_while_queued_returns_the_same_job(city, django_capture_on_commit_callbacks):
    user = city.users["police_facilitator"]
    with django_capture_on_commit_callbacks(execute=False):
        first = papers.paper_request(meeting=city.review, kind="brief", user=user)
        again = papers.paper_request(meeting=city.review, kind="brief", user=user)
    assert first.pk == again.pk
    assert MeetingPaper.objects.count() == 1


def test_a_ready_paper_never_changes_preparing_again_makes_a_new_version(
    city, django_capture_on_commit_callbacks
):
    user = city.users["police_facilitator"]
    first = prepared(city.review, user, capture=django_capture_on_commit_callbacks)
    with first.file.open("rb") as handle:
        before = handle.read()
    city.marcus.last_name = "Renamed"
    city.marcus.save()
    second = prepared(city.review, user, capture=django_capture_on_commit_callbacks)
    assert (first.version, second.version) == (1, 2)
    first.refresh_from_db()
    with first.file.open("rb") as handle:
        assert handle.read() == before, "version 1 is frozen"
    assert "Marcus Reed" in text_of(first) and "Marcus Renamed" in text_of(second)
    assert first.sha256 != second.sha256


def test_a_broken_template_fails_the_job_with_a_readable_error(
    city, settings, django_capture_on_commit_callbacks
):
    settings.MEETING_PAPER_BUILDERS = {
        **settings.MEETING_PAPER_BUILDERS,
        "shooting_review": "tests.papers.test_papers.broken_builder",
    }
    paper = prepared(
        city.review, city.users["police_facilitator"], capture=django_capture_on_commit_callbacks
    )
    assert paper.status == MeetingPaper.Status.FAILED
    assert "The paper could not be made" in paper.error and "no such template" in paper.error


def broken_builder(meeting, kind, reader):
    raise ValueError("no such template")


def test_a_storage_hiccup_is_retried_then_ready(
    city, monkeypatch, django_capture_on_commit_callbacks
):
    real_save = FileSystemStorage.save
    calls = []

    def flaky(self, name, content, max_length=None):
        calls.append(name)
        if len(calls) == 1:
            raise OSError("disk briefly unavailable")
        return real_save(self, name, content, max_length=max_length)

    monkeypatch.setattr(FileSystemStorage, "save", flaky)
    paper = prepared(
        city.review, city.users["police_facilitator"], capture=django_capture_on_commit_callbacks
    )
    assert paper.status == MeetingPaper.Status.READY and paper.attempts == 2


def test_a_job_whose_worker_died_is_marked_failed(city, django_capture_on_commit_callbacks):
    import datetime as dt

    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=False):
        paper = papers.paper_request(
            meeting=city.review, kind="brief", user=city.users["police_facilitator"]
        )
    later = timezone.now() + dt.timedelta(hours=1)
    assert papers.papers_fail_stuck(now=later) == 1
    paper.refresh_from_db()
    assert paper.status == MeetingPaper.Status.FAILED and "worker" in paper.error


def test_a_brief_of_a_closed_meeting_and_a_memo_of_an_open_one_are_refused(city):
    user = city.users["police_facilitator"]
    with pytest.raises(ValidationError, match="made when the meeting closes"):
        papers.paper_request(meeting=city.review, kind="memo", user=user)
    core_services.meeting_close(
        meeting=city.review, user=user, expected_version=city.review.version
    )
    with pytest.raises(ValidationError, match="memo replaces the brief"):
        papers.paper_request(meeting=city.review, kind="brief", user=user)
    assert not MeetingPaper.objects.exists()


# --- What each paper holds -----------------------------------------------------------------------


def test_the_review_brief_lists_the_windows_shootings_prior_deliverables_and_due_designations(
    city, django_capture_on_commit_callbacks
):
    paper = prepared(
        city.review, city.users["police_viewer"], capture=django_capture_on_commit_callbacks
    )
    text = text_of(paper)
    assert "#WIN-1" in text and "Marcus Reed" in text
    assert "OUT-1" not in text, "only the window's shootings"
    assert "Canvass the block of WIN-0" in text
    assert "Dante Hill" in text and "Designations due for review (1)" in text
    assert "For Police" in text


def test_a_partner_brief_shows_only_what_the_partners_page_shows(
    city, django_capture_on_commit_callbacks
):
    partner = prepared(
        city.coordination, city.users["partner_lead"], capture=django_capture_on_commit_callbacks
    )
    police = prepared(
        city.coordination,
        city.users["police_facilitator"],
        capture=django_capture_on_commit_callbacks,
    )
    assert partner.audience == f"partner_lead:{city.orgs['hsd'].pk}"
    text = text_of(partner)
    assert "Darnell Shared" in text, "the shared risk picture"
    assert "Visit the family" in text and "A person (not shared with you)" in text
    assert "Hidden Person" not in text and "Marcus Reed" not in text
    assert "Human Services Department (1)" in text and "Youth Alive (1)" in text
    assert "More outreach workers needed" in text
    assert "Hidden Person" in text_of(police), "the police page names them"


def test_the_partner_page_agrees_with_the_partner_brief(city, client_for):
    page = client_for("partner_lead").get(f"/coordination/meetings/{city.coordination.pk}/")
    assert "Hidden Person" not in page.content.decode()


def test_the_executive_brief_is_aggregates_and_commitments_without_people(
    city, django_capture_on_commit_callbacks
):
    paper = prepared(
        city.performance, city.users["executive"], capture=django_capture_on_commit_callbacks
    )
    text = text_of(paper)
    assert paper.audience == "executive"
    assert "Hire two analysts" in text
    assert "Check on the case" not in text and "Marcus Reed" not in text
    assert "OUTCOME INDICATORS" in text, "the worksheet"


@pytest.mark.papers
def test_closing_a_meeting_queues_every_audiences_memo_listing_owner_and_due(
    city, django_capture_on_commit_callbacks
):
    user = city.users["police_facilitator"]
    with django_capture_on_commit_callbacks(execute=True):
        core_services.task_create(
            user=user,
            title="Call-in invitation letters",
            assigned_organisation=city.orgs["hsd"],
            due_date=city.coordination.date,
            source_meeting=city.coordination,
        )
        coordination_services.coordination_meeting_close(
            meeting=city.coordination, user=user, expected_version=city.coordination.version
        )
    memos = MeetingPaper.objects.filter(meeting=city.coordination, kind="memo")
    hsd, faith = city.orgs["hsd"].pk, city.orgs["faith"].pk
    assert set(memos.values_list("audience", flat=True)) == {
        "police",
        f"partner_lead:{hsd}",
        f"community_partner:{faith}",
    }
    assert set(memos.values_list("status", flat=True)) == {"ready"}
    text = text_of(memos.get(audience=f"partner_lead:{hsd}"))
    assert "Call-in invitation letters" in text and "Human Services Department" in text
    assert "Visit the family" in text and "Hidden Person" not in text
    assert "Follow-ups agreed at this meeting (1)" in text


def test_the_performance_memo_lists_the_commitments_made_with_owner_and_due(
    city, django_capture_on_commit_callbacks
):
    user = city.users["police_facilitator"]
    core_services.task_create(
        user=user,
        title="Publish the quarterly numbers",
        assigned_organisation=city.orgs["mayor"],
        due_date=city.performance.date,
        source_meeting=city.performance,
    )
    core_services.meeting_close(
        meeting=city.performance, user=user, expected_version=city.performance.version
    )
    text = text_of(
        prepared(city.performance, user, "memo", capture=django_capture_on_commit_callbacks)
    )
    assert "Publish the quarterly numbers" in text and "Mayor's Office" in text
    assert "12 Apr 2017" in text, "its due date"


# --- The panel and the downloads -----------------------------------------------------------------


def test_the_panel_polls_while_the_job_runs_then_offers_the_download(
    city, client_for, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    client = client_for("police_facilitator")
    url = f"/papers/meetings/{city.review.pk}/"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(f"{url}prepare/brief/", headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "… Queued" in body
    assert 'hx-trigger="every 2s"' in body
    callbacks[0]()
    with django_assert_max_num_queries(12), tables_written() as written:
        panel = client.get(url, headers=HTMX)
    assert not [t for t in written if t != "core_auditevent"], "a GET writes nothing"
    body = panel.content.decode()
    assert "✓ Ready" in body and "every 2s" not in body
    paper = MeetingPaper.objects.get()
    assert f"/papers/{paper.pk}/download/" in body and "All papers (ZIP)" in body


def test_the_meeting_pages_load_the_papers_panel(city, client_for):
    pages = {
        "police_facilitator": f"/reviews/{city.review.pk}/",
        "partner_lead": f"/coordination/meetings/{city.coordination.pk}/",
        "executive": f"/performance/reviews/{city.performance.pk}/",
    }
    for role, page in pages.items():
        body = client_for(role).get(page).content.decode()
        assert 'hx-get="/papers/meetings/' in body, page


def test_a_download_asks_why_and_is_audited(city, client_for, django_capture_on_commit_callbacks):
    paper = prepared(
        city.review, city.users["police_facilitator"], capture=django_capture_on_commit_callbacks
    )
    client = client_for("police_viewer")
    url = f"/papers/{paper.pk}/download/"
    assert "reason" in client.get(url).content.decode()
    refused = client.post(url, {"format": "pdf"})
    assert refused.status_code == 400
    response = client.post(url, {"format": "pdf", "reason": "Read before the meeting"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    event = AuditEvent.objects.filter(action="export").latest("pk")
    assert event.detail["reason"] == "Read before the meeting"
    assert event.actor == city.users["police_viewer"]


def test_another_audience_cannot_download_the_paper(
    city, client_for, django_capture_on_commit_callbacks
):
    paper = prepared(
        city.coordination, city.users["partner_lead"], capture=django_capture_on_commit_callbacks
    )
    for role in ("police_facilitator", "community_partner", "partner_staff", "executive"):
        response = client_for(role).post(
            f"/papers/{paper.pk}/download/", {"format": "pdf", "reason": "Just curious"}
        )
        assert response.status_code == 404, role


def test_the_zip_holds_every_ready_paper_and_a_manifest_of_their_sums(
    city, client_for, django_capture_on_commit_callbacks
):
    user = city.users["police_facilitator"]
    first = prepared(city.review, user, capture=django_capture_on_commit_callbacks)
    second = prepared(city.review, user, capture=django_capture_on_commit_callbacks)
    response = client_for("police_facilitator").post(
        f"/papers/meetings/{city.review.pk}/all.zip", {"format": "zip", "reason": "The file"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    manifest = json.loads(archive.read("manifest.json"))
    assert [m["version"] for m in manifest] == [1, 2]
    for entry, paper in zip(manifest, (first, second), strict=True):
        assert hashlib.sha256(archive.read(entry["file"])).hexdigest() == paper.sha256


def test_each_reader_lists_only_their_audiences_papers(
    city, client_for, django_capture_on_commit_callbacks
):
    prepared(
        city.coordination, city.users["partner_lead"], capture=django_capture_on_commit_callbacks
    )
    url = f"/papers/meetings/{city.coordination.pk}/"
    assert "Pre-meeting brief v1" in client_for("partner_lead").get(url).content.decode()
    police = client_for("police_facilitator").get(url).content.decode()
    assert "Pre-meeting brief v1" not in police and "No paper yet" in police
    assert client_for("partner_staff").get(url).status_code == 404


def test_no_intelligence_reaches_a_partner_or_executive_paper(
    city, django_capture_on_commit_callbacks
):
    """The need-to-know sentinels (tests/test_sentinels.py) planted, then every non-police
    audience's brief read back: none of them, nor a group's intelligence label."""
    from tests.test_sentinels import _plant

    planted = _plant()
    readers = [
        (city.coordination, "partner_lead"),
        (city.coordination, "community_partner"),
        (city.performance, "partner_lead"),
        (city.performance, "executive"),
    ]
    for meeting, role in readers:
        text = text_of(
            prepared(meeting, city.users[role], capture=django_capture_on_commit_callbacks)
        )
        leaked = [s for s in planted if s in text]
        assert not leaked and "Sentinel Crew" not in text, (role, meeting.kind, leaked)
