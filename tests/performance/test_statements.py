"""The worksheet's statements are built once per period and process, and never change a figure.

``performance.selectors.statements`` keeps the SQL text of each count (keyed by the period's
windows, the day, the time zone and the partnership leads): the rows are counted anew every time,
so a write shows in the next computation, and anything the SQL depends on is part of the key.
"""

from __future__ import annotations

import datetime as dt

import pytest

from ceasefire.core.models import Enrolment, PartnershipSettings
from performance import selectors
from performance.indicators import Period
from performance.selectors import statements
from tests import factories as f

FEB_MAR_2017 = Period(2017, 2, 3)
pytestmark = pytest.mark.django_db


def _activity(figures: dict, indicator: str) -> dict:
    return {r["indicator"]: r for r in figures["activities"]}[indicator]


def test_kept_statements_give_the_figures_built_afresh(reference_data, activity_data):
    statements.forget()
    fresh = selectors.worksheet_figures(FEB_MAR_2017)
    assert statements._STATEMENTS  # kept for the next computation
    assert selectors.worksheet_figures(FEB_MAR_2017) == fresh


def test_a_write_shows_with_the_statements_kept(orgs, activity_data):
    statements.forget()
    before = _activity(selectors.worksheet_figures(FEB_MAR_2017), "case_management")
    Enrolment.objects.create(
        person=f.PersonFactory(),
        provider=orgs["cbo"],
        referral_source="outreach",
        started_on=dt.date(2017, 3, 2),
    )
    after = _activity(selectors.worksheet_figures(FEB_MAR_2017), "case_management")
    assert after["period"]["actual"] == before["period"]["actual"] + 1
    assert after["ytd"]["actual"] == before["ytd"]["actual"] + 1


def test_new_partnership_leads_are_counted_with_the_statements_kept(orgs, activity_data):
    statements.forget()
    before = _activity(selectors.worksheet_figures(FEB_MAR_2017), "partnership")
    assert before["ytd"]["subcategories"]["attended_by_both_leads"] == 3
    settings = PartnershipSettings.load()
    settings.police_lead = None
    settings.save()
    after = _activity(selectors.worksheet_figures(FEB_MAR_2017), "partnership")
    assert after["ytd"]["subcategories"]["attended_by_both_leads"] == 0
    statements.forget()
    assert _activity(selectors.worksheet_figures(FEB_MAR_2017), "partnership") == after
