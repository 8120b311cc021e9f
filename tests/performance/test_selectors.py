"""Each indicator's definition on hand-made data (SPEC §4), local-time window edges, query bound."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from ceasefire.core.models import Incident
from performance import selectors
from performance.indicators import Period, Window
from tests import factories as f

LA = ZoneInfo("America/Los_Angeles")
FEB_MAR_2017 = Period(2017, 2, 3)


def _victim(
    when: dt.datetime, injury: str, *, weapon: str = "firearm", status: str = "counted", person=True
) -> Incident:
    incident = f.IncidentFactory(
        occurred_at=when,
        weapon=weapon,
        counting_status=status,
        counting_reason="" if status == "counted" else "Review",
    )
    f.InvolvementFactory(
        incident=incident,
        role="victim",
        injury=injury,
        person=f.PersonFactory() if person else None,
    )
    return incident


def _year(y: int) -> Window:
    return Window(f"y{y}", dt.date(y, 1, 1), dt.date(y, 12, 31))


@pytest.mark.django_db
def test_a_shooting_at_2330_on_new_years_eve_local_time_belongs_to_the_old_year():
    _victim(dt.datetime(2016, 12, 31, 23, 30, tzinfo=LA), "fatal")  # 07:30 UTC on 1 January
    counts = selectors.outcome_counts([_year(2016), _year(2017)])
    assert counts["homicides"] == {"y2016": 1, "y2017": 0}
    by_year = {r["year"]: r["count"] for r in selectors.homicides_per_year()}
    assert by_year == {2016: 1}


@pytest.mark.django_db
def test_a_shooting_at_0010_on_new_years_day_local_time_belongs_to_the_new_year():
    _victim(dt.datetime(2017, 1, 1, 0, 10, tzinfo=LA), "nonfatal")
    old, new = (
        Window("old", dt.date(2016, 1, 1), dt.date(2016, 12, 31)),
        Window("new", dt.date(2017, 1, 1), dt.date(2017, 1, 31)),
    )
    counts = selectors.outcome_counts([old, new])["nonfatal_injury_shootings"]
    assert counts == {"old": 0, "new": 1}
    assert selectors.shootings_per_month(2017, 1)[0]["nonfatal_injury_shootings"] == 1


@pytest.mark.django_db
def test_windows_end_at_local_midnight_after_the_last_day():
    _victim(dt.datetime(2017, 3, 31, 23, 59, tzinfo=LA), "fatal")
    _victim(dt.datetime(2017, 4, 1, 0, 0, tzinfo=LA), "fatal")
    counts = selectors.outcome_counts([Window("p", dt.date(2017, 2, 1), dt.date(2017, 3, 31))])
    assert counts["homicides"]["p"] == 1


@pytest.mark.django_db
def test_homicides_count_every_fatal_victim_of_a_multi_victim_incident():
    incident = f.IncidentFactory(occurred_at=dt.datetime(2017, 2, 10, 21, 0, tzinfo=LA))
    f.InvolvementFactory(incident=incident, role="victim", injury="fatal")
    f.InvolvementFactory(incident=incident, role="victim", injury="fatal", person=None)
    f.InvolvementFactory(incident=incident, role="victim", injury="nonfatal")
    counts = selectors.outcome_counts([Window("p", dt.date(2017, 2, 1), dt.date(2017, 3, 31))])
    # two killed → two homicides; the same shooting's wounded victim: a non-fatal injury shooting
    assert counts["homicides"]["p"] == 2
    assert counts["nonfatal_injury_shootings"]["p"] == 1


@pytest.mark.django_db
def test_a_homicide_by_any_weapon_counts_but_a_non_firearm_wounding_does_not():
    _victim(dt.datetime(2017, 2, 3, 12, tzinfo=LA), "fatal", weapon="other")
    _victim(dt.datetime(2017, 2, 4, 12, tzinfo=LA), "nonfatal", weapon="other")
    counts = selectors.outcome_counts([Window("p", dt.date(2017, 2, 1), dt.date(2017, 3, 31))])
    assert counts["homicides"]["p"] == 1
    assert counts["nonfatal_injury_shootings"]["p"] == 0
    assert counts["non_injury_shootings"]["p"] == 0


@pytest.mark.django_db
def test_unidentified_victims_count():
    _victim(dt.datetime(2017, 2, 3, 12, tzinfo=LA), "fatal", person=False)
    assert (
        selectors.outcome_counts([Window("p", dt.date(2017, 2, 1), dt.date(2017, 3, 31))])[
            "homicides"
        ]["p"]
        == 1
    )


@pytest.mark.django_db
@pytest.mark.parametrize("status", ["held", "unfounded"])
def test_only_counted_incidents_count(status):
    _victim(dt.datetime(2017, 2, 3, 12, tzinfo=LA), "fatal", status=status)
    _victim(dt.datetime(2017, 2, 3, 13, tzinfo=LA), "nonfatal", status=status)
    counts = selectors.outcome_counts([Window("p", dt.date(2017, 2, 1), dt.date(2017, 3, 31))])
    assert counts["homicides"]["p"] == 0
    assert counts["nonfatal_injury_shootings"]["p"] == 0


@pytest.mark.django_db
def test_non_injury_shootings_are_firearm_incidents_with_nobody_hit():
    f.IncidentFactory(
        occurred_at=dt.datetime(2017, 2, 3, 12, tzinfo=LA)
    )  # shots fired, no victim recorded
    _victim(dt.datetime(2017, 2, 4, 12, tzinfo=LA), "none")  # a victim shot at but not hit
    f.IncidentFactory(
        occurred_at=dt.datetime(2017, 2, 5, 12, tzinfo=LA), weapon="other"
    )  # not a shooting
    _victim(dt.datetime(2017, 2, 6, 12, tzinfo=LA), "nonfatal")  # hit: not a non-injury shooting
    counts = selectors.outcome_counts([Window("p", dt.date(2017, 2, 1), dt.date(2017, 3, 31))])
    assert counts["non_injury_shootings"]["p"] == 2


@pytest.mark.django_db
def test_suspects_and_witnesses_are_not_victims():
    incident = _victim(dt.datetime(2017, 2, 3, 12, tzinfo=LA), "fatal")
    f.InvolvementFactory(incident=incident, role="suspect", injury="")
    f.InvolvementFactory(incident=incident, role="witness", injury="")
    assert (
        selectors.outcome_counts([Window("p", dt.date(2017, 2, 1), dt.date(2017, 3, 31))])[
            "homicides"
        ]["p"]
        == 1
    )


def test_reference_case_outcome_rows(reference_data):
    data = selectors.worksheet_compute(FEB_MAR_2017)
    rows = {r["indicator"]: r for r in data["outcomes"]}
    hom, nf = rows["homicides"], rows["nonfatal_injury_shootings"]
    assert (hom["annual_benchmark"], hom["ytd"]["benchmark"], hom["period"]["benchmark"]) == (
        72,
        18,
        12,
    )
    assert (hom["ytd"]["actual"], hom["period"]["actual"]) == (16, 14)
    assert (hom["ytd"]["prior_year"], hom["period"]["prior_year"]) == (12, 11)
    assert (hom["ytd"]["three_year_average"], hom["period"]["three_year_average"]) == (18, 12)
    assert (hom["ytd"]["meets"], hom["period"]["meets"]) == (True, False)
    assert hom["period"]["percent_vs_benchmark"] == 16.7
    assert (nf["ytd"]["benchmark"], nf["period"]["benchmark"]) == (77, 51)
    assert (nf["ytd"]["actual"], nf["period"]["actual"]) == (63, 45)
    assert (nf["ytd"]["prior_year"], nf["period"]["prior_year"]) == (72, 52)
    assert (nf["ytd"]["three_year_average"], nf["period"]["three_year_average"]) == (80, 50)
    assert (nf["ytd"]["meets"], nf["period"]["meets"]) == (True, True)


def test_communication_counts_distinct_people_reached(activity_data):
    comm = {r["indicator"]: r for r in selectors.worksheet_compute(FEB_MAR_2017)["activities"]}[
        "communication"
    ]
    # YTD: p1, p2, p3, p7 at call-ins; p4, p5 (refused: still reached), p1 notified; p6 not found
    assert (comm["ytd"]["actual"], comm["period"]["actual"]) == (6, 4)
    assert comm["ytd"]["subcategories"] == {"call_ins": 4, "custom_notifications": 3}
    assert comm["period"]["subcategories"] == {"call_ins": 2, "custom_notifications": 3}
    assert (comm["ytd"]["benchmark"], comm["period"]["benchmark"]) == (75, 50)
    assert comm["period"]["meets"] is False


def test_communication_focus_is_an_active_vhr_designation_on_the_day(activity_data):
    comm = {r["indicator"]: r for r in selectors.worksheet_compute(FEB_MAR_2017)["activities"]}[
        "communication"
    ]
    # period: p1, p2 held VHR on their call-in day; p4's ended before the notification; p5 had none
    assert (comm["period"]["focus_count"], comm["period"]["focus_percent"]) == (2, 50.0)
    # YTD: p3's is "high", not VHR; p7 has none
    assert (comm["ytd"]["focus_count"], comm["ytd"]["focus_percent"]) == (2, 33.3)
    focus_people = {
        p.first_name
        for p in selectors.people_reached(
            Window("p", FEB_MAR_2017.start, FEB_MAR_2017.end), "focus"
        )
    }
    assert focus_people == {"P1", "P2"}


def test_case_management_new_enrolees_caseload_and_focus(activity_data):
    cm = {r["indicator"]: r for r in selectors.worksheet_compute(FEB_MAR_2017)["activities"]}[
        "case_management"
    ]
    assert (cm["ytd"]["actual"], cm["period"]["actual"]) == (3, 2)
    assert cm["period"]["subcategories"]["call_in"] == 1
    assert cm["period"]["subcategories"]["custom_notification"] == 1
    assert cm["ytd"]["subcategories"]["outreach"] == 1
    # active on 31 March: p1, p5 (enrolled 2016), p2 (enrolled that day); p3's ended on 1 March
    assert cm["active_caseload"]["total"] == 3
    assert cm["active_caseload"]["by_referral_source"]["non_ceasefire_other"] == 1
    assert (cm["period"]["focus_percent"], cm["ytd"]["focus_percent"]) == (100.0, 66.7)
    assert (cm["ytd"]["benchmark"], cm["period"]["benchmark"]) == (50, 33)


def test_enforcement_staffing_plans_and_focus_by_unit_kind(activity_data):
    enf = {r["indicator"]: r for r in selectors.worksheet_compute(FEB_MAR_2017)["activities"]}[
        "enforcement"
    ]
    staffing = {u["unit"]: u for u in enf["staffing"]}
    # latest record on or before 31 March: Area 1 12/12 (the April record is ignored); Ceasefire 7/8
    assert staffing["Area 1 CRT"]["staffing_percent"] == 100.0
    assert staffing["Ceasefire unit"]["staffing_percent"] == 87.5
    assert enf["fully_staffed"] is False
    assert enf["plans"] == {"up_to_date": 2, "total": 2}
    area, special = (
        enf["period"]["subcategories"]["area"],
        enf["period"]["subcategories"]["specialised"],
    )
    assert (area["actions"], area["focused"], area["meets"]) == (2, 1, True)  # 50% ≥ 50%
    # the group action counts as focused: an active member (p2) held VHR that day
    assert (special["actions"], special["focused"], special["meets"]) == (1, 1, True)
    ytd_special = enf["ytd"]["subcategories"]["specialised"]
    assert (ytd_special["actions"], ytd_special["focused"], ytd_special["meets"]) == (2, 1, False)
    assert enf["period"]["meets"] is False  # not fully staffed


def test_partnership_meetings_leads_and_risk_alignment(activity_data):
    part = {r["indicator"]: r for r in selectors.worksheet_compute(FEB_MAR_2017)["activities"]}[
        "partnership"
    ]
    assert (part["ytd"]["actual"], part["period"]["actual"]) == (4, 3)
    assert (part["ytd"]["benchmark"], part["period"]["benchmark"]) == (6, 4)  # twice a month
    assert part["period"]["subcategories"] == {"attended_by_both_leads": 2, "risk_alignment": 1}
    assert part["ytd"]["subcategories"] == {"attended_by_both_leads": 3, "risk_alignment": 2}
    assert part["period"]["meets"] is False


def test_post_call_in_outcomes_are_exclusive_and_after_the_call_in(activity_data):
    outcomes = selectors.worksheet_compute(FEB_MAR_2017)["post_call_in_outcomes"]
    counts = {c["key"]: c["count"] for c in outcomes["categories"]}
    assert outcomes["participants"] == 4
    assert counts == {
        "homicide_victim": 1,  # p7
        "shooting_victim": 1,  # p2 (also in an arrest-free record)
        "arrested_violent_gun": 1,  # p1, arrested after the January call-in
        "suspect_not_arrested": 1,  # p3
        "no_violent_arrest": 0,
    }


def test_events_before_the_call_in_do_not_count(db):
    person = f.PersonFactory()
    call_in = f.CallInFactory(held_on=dt.date(2017, 2, 15))
    call_in.attendees.add(person)
    f.EnforcementActionFactory(
        person=person, taken_on=dt.date(2017, 2, 1), kind="arrest_violent_gun"
    )
    f.EnforcementActionFactory(
        person=person, taken_on=dt.date(2017, 2, 15), kind="arrest_violent_gun"
    )  # same day
    counts = {
        c["key"]: c["count"]
        for c in selectors.post_call_in_outcomes(dt.date(2017, 3, 31))["categories"]
    }
    assert counts["no_violent_arrest"] == 1


def test_the_whole_worksheet_costs_at_most_25_queries(
    reference_data, activity_data, django_assert_max_num_queries
):
    with django_assert_max_num_queries(25):
        selectors.worksheet_compute(FEB_MAR_2017)


def test_query_count_does_not_grow_with_rows(db, django_assert_max_num_queries):
    with django_assert_max_num_queries(25):
        selectors.worksheet_compute(FEB_MAR_2017)
    from tests.performance.conftest import build_reference_data

    build_reference_data()
    with django_assert_max_num_queries(25):
        selectors.worksheet_compute(FEB_MAR_2017)


def test_activity_rows_carry_prior_year_and_three_year_average(db):
    p = f.PersonFactory()
    for day in (dt.date(2016, 2, 10), dt.date(2015, 3, 1), dt.date(2014, 2, 2)):
        f.CustomNotificationFactory(person=p, delivered_on=day)
    comm = {r["indicator"]: r for r in selectors.worksheet_compute(FEB_MAR_2017)["activities"]}[
        "communication"
    ]
    assert (comm["period"]["prior_year"], comm["period"]["three_year_average"]) == (1, 1)


def test_trend_covers_six_periods_of_the_same_length(reference_data):
    trend = selectors.outcome_trend(FEB_MAR_2017)
    assert [t["period"] for t in trend][-2:] == ["2017-01..2017-01", "2017-02..2017-03"]
    assert trend[-1]["homicides"] == {"actual": 14, "benchmark": 12, "meets": False}
    assert len(trend) == 6


def test_benchmark_rows_suggest_ninety_percent_of_last_year(reference_data):
    rows = {r["indicator"]: r for r in selectors.benchmark_rows(2017)}
    # 2016: 12 homicides Jan–Mar + 5 later in the year = 17 → 15.3 → 15
    assert rows["homicides"]["previous_actual"] == 17
    assert rows["homicides"]["suggested"] == 15
    assert rows["homicides"]["target"] == 72


def test_group_enforcement_plans_count_their_latest_status(db):
    group = f.GroupFactory()
    other = f.GroupFactory()
    f.EnforcementPlanStatusFactory(
        unit=None, group=group, recorded_on=dt.date(2017, 1, 5), up_to_date=False
    )
    f.EnforcementPlanStatusFactory(
        unit=None, group=group, recorded_on=dt.date(2017, 3, 5), up_to_date=True
    )
    f.EnforcementPlanStatusFactory(
        unit=None, group=other, recorded_on=dt.date(2017, 2, 5), up_to_date=False
    )
    f.EnforcementPlanStatusFactory(
        unit=None, group=other, recorded_on=dt.date(2017, 4, 5), up_to_date=True
    )  # after the period
    assert selectors.group_plans_latest(dt.date(2017, 3, 31)) == {"total": 2, "up_to_date": 1}


def test_the_people_behind_each_post_call_in_count_are_that_many(activity_data):
    as_of = dt.date(2017, 3, 31)
    outcomes = selectors.post_call_in_outcomes(as_of)
    for category in outcomes["categories"]:
        people = selectors.participants_in_category(as_of, category["key"])
        assert people.count() == category["count"], category["key"]
    names = {
        key: {p.first_name for p in selectors.participants_in_category(as_of, key)}
        for key in selectors.POST_CALL_IN_RANKS
    }
    assert names == {
        "homicide_victim": {"P7"},
        "shooting_victim": {"P2"},
        "arrested_violent_gun": {"P1"},
        "suspect_not_arrested": {"P3"},
        "no_violent_arrest": set(),
    }


@pytest.mark.django_db
def test_a_participant_is_counted_once_in_the_highest_category_that_applies():
    call_in = f.CallInFactory(held_on=dt.date(2017, 1, 10))
    everything, wounded_and_arrested, suspect_twice, nothing = (f.PersonFactory() for _ in range(4))
    call_in.attendees.add(everything, wounded_and_arrested, suspect_twice, nothing)
    after = dt.datetime(2017, 2, 1, 20, tzinfo=LA)
    for person, role, injury in (
        (everything, "suspect", ""),
        (everything, "victim", "nonfatal"),
        (wounded_and_arrested, "victim", "nonfatal"),
        (suspect_twice, "suspect", ""),
        (suspect_twice, "suspect", ""),
    ):
        f.InvolvementFactory(
            incident=f.IncidentFactory(occurred_at=after), person=person, role=role, injury=injury
        )
    f.InvolvementFactory(
        incident=f.IncidentFactory(occurred_at=after),
        person=everything,
        role="victim",
        injury="fatal",
    )
    for person in (everything, wounded_and_arrested):
        f.EnforcementActionFactory(
            person=person, taken_on=dt.date(2017, 2, 2), kind="arrest_violent_gun"
        )
    outcomes = selectors.post_call_in_outcomes(dt.date(2017, 3, 31))
    counts = {c["key"]: c["count"] for c in outcomes["categories"]}
    assert outcomes["participants"] == 4
    assert counts == {
        "homicide_victim": 1,
        "shooting_victim": 1,
        "arrested_violent_gun": 0,
        "suspect_not_arrested": 1,
        "no_violent_arrest": 1,
    }


@pytest.mark.django_db
def test_a_held_incident_or_a_victim_not_hit_is_no_post_call_in_outcome():
    person = f.PersonFactory()
    f.CallInFactory(held_on=dt.date(2017, 1, 10)).attendees.add(person)
    held = f.IncidentFactory(
        occurred_at=dt.datetime(2017, 2, 1, 20, tzinfo=LA),
        counting_status="held",
        counting_reason="Review",
    )
    f.InvolvementFactory(incident=held, person=person, role="victim", injury="fatal")
    missed = f.IncidentFactory(occurred_at=dt.datetime(2017, 2, 2, 20, tzinfo=LA))
    f.InvolvementFactory(incident=missed, person=person, role="victim", injury="none")
    counts = {
        c["key"]: c["count"]
        for c in selectors.post_call_in_outcomes(dt.date(2017, 3, 31))["categories"]
    }
    assert counts["no_violent_arrest"] == 1


@pytest.mark.django_db
def test_group_action_focus_needs_an_active_member_with_a_designation_in_force_that_day():
    from ceasefire.core.models import GroupAffiliation

    unit = f.UnitFactory(kind="specialised")
    day = dt.date(2017, 3, 10)

    def group_with(member_designation: dict | None, *, active: bool = True):
        group = f.GroupFactory()
        member = f.PersonFactory()
        GroupAffiliation.objects.create(
            person=member,
            group=group,
            basis="Seen with members",
            since=dt.date(2016, 1, 1),
            active=active,
        )
        if member_designation is not None:
            f.DesignationFactory(person=member, **member_designation)
        return group

    in_force = {"designated_on": day, "review_due": day}
    groups = {
        "designated that day": group_with(in_force),
        "former member": group_with(in_force, active=False),
        "review overdue": group_with(
            {"designated_on": dt.date(2017, 1, 1), "review_due": dt.date(2017, 3, 9)}
        ),
        "ended the day before": group_with(
            {
                "designated_on": dt.date(2017, 1, 1),
                "review_due": dt.date(2017, 6, 1),
                "ended_on": day,
                "end_reason": "lapsed",
            }
        ),
        "high risk only": group_with({**in_force, "level": "high"}),
        "no designation": group_with(None),
    }
    for group in groups.values():
        f.EnforcementActionFactory(group=group, person=None, unit=unit, taken_on=day, kind="other")
    window = Window("p", FEB_MAR_2017.start, FEB_MAR_2017.end)
    focused = {a.group_id for a in selectors.enforcement_actions_in(window, "focus")}
    assert focused == {groups["designated that day"].pk}
    counts = selectors.enforcement_counts([window], [window])
    assert (counts["total_p"], counts["focus_p"], counts["specialised_focus_p"]) == (6, 1, 1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("indicator", "part"),
    sorted(
        (indicator, part) for indicator, parts in selectors.TRACE_PARTS.items() for part in parts
    ),
)
def test_every_figure_that_can_be_traced_lists_its_records(indicator, part):
    window = Window("period", FEB_MAR_2017.start, FEB_MAR_2017.end)
    kind, records = selectors.records_behind(indicator, part, window, as_of=window.end)
    assert kind in {"victims", "incidents", "people", "enrolments", "actions", "meetings"}
    assert list(records) == []


@pytest.mark.django_db
def test_a_past_periods_chart_counts_only_the_years_up_to_its_end_and_marks_its_year_partial():
    _victim(dt.datetime(2016, 7, 4, 12, tzinfo=LA), "fatal")
    _victim(dt.datetime(2017, 3, 31, 23, 30, tzinfo=LA), "fatal")  # the period's last evening
    _victim(dt.datetime(2017, 4, 1, 0, 10, tzinfo=LA), "fatal")  # after the period
    _victim(dt.datetime(2018, 1, 5, 12, tzinfo=LA), "fatal")

    rows = selectors.homicides_per_year(through=FEB_MAR_2017.end)

    assert rows == [
        {"year": 2016, "count": 1, "partial": False},
        {"year": 2017, "count": 1, "partial": True},
    ]
    whole_year = selectors.homicides_per_year(through=dt.date(2017, 12, 31))
    assert [(r["year"], r["count"], r["partial"]) for r in whole_year] == [
        (2016, 1, False),
        (2017, 2, False),
    ]
    snapshot = selectors.worksheet_compute(FEB_MAR_2017)
    assert snapshot["charts"]["homicides_per_year"] == rows
