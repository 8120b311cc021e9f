"""Which worksheet a period's page shows: the version asked for, the latest ready, live figures."""

from __future__ import annotations

import pytest

from ceasefire.core.models import Worksheet
from performance import selectors
from performance.indicators import Period
from tests import factories as f

FEB_MAR = Period(2017, 2, 3)


def _snapshot(note: str = "") -> dict:
    """The part of a stored snapshot the choice reads: its rows and their notes."""
    return {
        "outcomes": [{"indicator": "homicides", "note": note}],
        "activities": [{"indicator": "partnership", "note": ""}],
    }


def _version(version: int, status: str = "ready", *, notes=None, snapshot=None) -> Worksheet:
    return f.WorksheetFactory(
        version=version,
        status=status,
        notes=notes or {},
        snapshot=snapshot if snapshot is not None else (_snapshot() if status == "ready" else {}),
    )


@pytest.mark.django_db
def test_without_any_version_the_page_shows_live_figures_without_notes():
    shown = selectors.worksheet_for_display(FEB_MAR)
    assert shown.selected is None and shown.history.latest is None
    assert shown.figures["period"]["label"] == "February–March 2017"
    assert shown.notes == {} and shown.note_worksheet is None
    assert not shown.notes_changed and not shown.history.pending


@pytest.mark.django_db
def test_while_the_first_job_runs_live_figures_carry_the_new_versions_notes():
    queued = _version(1, "queued", notes={"homicides": "Fewer in March"})
    shown = selectors.worksheet_for_display(FEB_MAR)
    assert shown.selected is None
    assert shown.history.pending and shown.history.latest == queued
    assert shown.note_worksheet == queued
    homicides = shown.figures["outcomes"][0]
    assert (homicides["indicator"], homicides["note"]) == ("homicides", "Fewer in March")


@pytest.mark.django_db
def test_the_page_shows_the_latest_ready_version_not_a_newer_failed_one():
    ready = _version(1, notes={"homicides": "kept"})
    _version(2, "failed")
    shown = selectors.worksheet_for_display(FEB_MAR)
    assert shown.selected == ready
    assert shown.figures == ready.snapshot
    assert shown.notes == {"homicides": "kept"}
    assert shown.history.latest.version == 2 and not shown.history.pending


@pytest.mark.django_db
def test_a_version_asked_for_is_shown_with_its_own_notes():
    first = _version(1, notes={"homicides": "first"})
    _version(2, notes={"homicides": "second"})
    shown = selectors.worksheet_for_display(FEB_MAR, version="1")
    assert shown.selected == first
    assert shown.note_worksheet == first and shown.notes == {"homicides": "first"}


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["9", "abc", "2"])
def test_a_version_that_does_not_exist_or_has_no_snapshot_is_refused(version):
    _version(1)
    _version(2, "failed")
    with pytest.raises(Worksheet.DoesNotExist):
        selectors.worksheet_for_display(FEB_MAR, version=version)


@pytest.mark.django_db
def test_notes_edited_after_the_snapshot_are_flagged():
    _version(1, notes={"homicides": "written later"}, snapshot=_snapshot(note="at generation"))
    assert selectors.worksheet_for_display(FEB_MAR).notes_changed
    _version(2, notes={"homicides": "same"}, snapshot=_snapshot(note="same"))
    assert not selectors.worksheet_for_display(FEB_MAR).notes_changed


@pytest.mark.django_db
def test_showing_a_stored_version_reads_no_figures(django_assert_num_queries):
    _version(1)
    with django_assert_num_queries(2):  # the newest version, the latest ready one
        shown = selectors.worksheet_for_display(FEB_MAR)
    assert shown.selected.version == 1


@pytest.mark.django_db
def test_the_api_and_the_command_compute_live_figures_with_the_latest_notes():
    _version(1, notes={"homicides": "old"})
    _version(2, "queued", notes={"homicides": "new"})
    live = selectors.worksheet_live(FEB_MAR)
    assert live["outcomes"][0]["note"] == "new"
    assert selectors.worksheet_version(FEB_MAR, "1").version == 1
