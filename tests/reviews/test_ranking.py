"""The imminent-risk score's terms, as pure functions: no database."""

from __future__ import annotations

import datetime as dt

from reviews import ranking
from reviews.ranking import Appearance, Reason, Tie

AT = dt.datetime(2017, 3, 14, 21, 0, tzinfo=dt.UTC)


def _tie(incident="#A-1", their_role="victim", anchor_role="victim") -> Tie:
    return Tie(incident, "2 March", their_role, "Marcus Reed", anchor_role)


def test_victim_or_suspect_of_this_shooting_scores_five():
    assert ranking.this_shooting({"victim"}) == Reason(
        "this_shooting", "victim of this shooting", 5
    )
    assert ranking.this_shooting({"suspect"}).text == "suspect of this shooting"
    assert ranking.this_shooting({"victim", "suspect"}).points == 5


def test_a_witness_of_this_shooting_is_not_a_reason():
    assert ranking.this_shooting({"witness"}) is None
    assert ranking.this_shooting(set()) is None


def test_a_network_tie_scores_three_and_one_more_per_further_incident_up_to_five():
    assert ranking.network_tie([_tie()]).points == 3
    assert ranking.network_tie([_tie("#A-1"), _tie("#A-2")]).points == 4
    assert ranking.network_tie([_tie(f"#A-{n}") for n in range(6)]).points == 5
    assert ranking.network_tie([]) is None


def test_a_network_tie_names_the_relation_and_the_anchor():
    assert ranking.network_tie([_tie()]).text == "co-victim in #A-1, 2 March — with Marcus Reed"
    text = ranking.network_tie([_tie(their_role="associate", anchor_role="suspect")]).text
    assert text == "associate at risk in #A-1, 2 March — with Marcus Reed (suspect there)"
    many = ranking.network_tie([_tie(f"#A-{n}") for n in range(5)]).text
    assert many.endswith("(+2 more)")


def test_a_victim_in_the_last_90_days_scores_two():
    inside = Appearance("#B-1", "15 December", AT - dt.timedelta(days=90))
    outside = Appearance("#B-0", "14 December", AT - dt.timedelta(days=90, seconds=1))
    assert ranking.recent_victim([inside], AT).points == 2
    assert "#B-1" in ranking.recent_victim([outside, inside], AT).text
    assert ranking.recent_victim([outside], AT) is None


def test_a_later_wound_is_not_a_recent_one():
    assert ranking.recent_victim([Appearance("#C-1", "15 March", AT)], AT) is None


def test_a_designation_in_force_scores_by_level():
    assert ranking.designation("vhr", "VHR").points == 2
    assert ranking.designation("high").points == 1
    assert ranking.designation(None) is None


def test_named_in_the_conflicts_recent_incidents_scores_more_when_hot():
    seen = [
        Appearance("#D-1", "1 March", AT - dt.timedelta(days=13)),
        Appearance("#D-2", "10 March", AT - dt.timedelta(days=4)),
    ]
    hot = ranking.conflict_incident(seen, "Ghost Town vs Acorn", hot=True)
    assert hot.points == 3
    assert hot.text == "named in #D-2, 10 March and 1 more of the hot conflict Ghost Town vs Acorn"
    assert ranking.conflict_incident(seen, "X vs Y", hot=False).points == 2
    assert ranking.conflict_incident([], "X vs Y", hot=True) is None


def test_score_is_the_sum_of_the_points_shown():
    reasons = [ranking.this_shooting({"victim"}), ranking.designation("vhr")]
    assert ranking.score(reasons) == 7


def test_only_a_generating_term_brings_a_person_in():
    assert ranking.is_suggested([ranking.network_tie([_tie()])])
    assert not ranking.is_suggested([ranking.designation("vhr")])
    wound = Appearance("#E-1", "1 March", AT - dt.timedelta(days=3))
    assert not ranking.is_suggested([ranking.recent_victim([wound], AT)])


def test_the_cap_splits_the_ranked_list():
    assert ranking.split_at_cap(list(range(10)), 8) == (list(range(8)), [8, 9])
    assert ranking.split_at_cap([1, 2], 8) == ([1, 2], [])
    assert ranking.split_at_cap([1, 2], 0) == ([], [1, 2])


def test_no_term_reads_group_membership_or_neighbourhood():
    # the terms' inputs are incidents, roles, days and designation levels, never a label
    import inspect

    source = inspect.getsource(ranking)
    for forbidden in ("affiliation", "neighbourhood", "religion", "social"):
        assert forbidden not in source.lower().split('"""', 2)[2]
