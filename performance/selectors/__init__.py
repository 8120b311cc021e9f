"""The performance app's reads (SPEC §4). Selectors never write.

One module per concept, each importing the others explicitly:

- ``filters``: the definitions the figures share (which rows each figure counts);
- ``outcomes``: homicides and shootings per window, per year, per month;
- ``activities``: communication, case management, enforcement and partnership counts;
- ``post_call_in``: what happened to call-in participants after their call-in;
- ``records``: the "records behind this number" lists, on the same definitions;
- ``benchmarks``: annual targets, the benchmark page, the landing page's trend;
- ``versions``: worksheet versions, the version a page shows, performance reviews;
- ``worksheet``: the worksheet assembly (figures from here, rules from ``indicators``).

Every figure is counted in the database -- conditional counts over all the windows at once,
counts grouped by window "atom" and summed here, or ``COUNT(DISTINCT)`` over a union of contact
or event rows (the README's design section says why each); the arithmetic on the numbers
(prorating, averages, meets, focus) is in ``performance.indicators``. A whole worksheet costs
14 queries whatever the data size (the bound asserted in the tests is 25).

The public names are re-exported here: ``from performance import selectors`` then
``selectors.worksheet_compute(period)``.
"""

from .activities import (
    case_management_counts,
    caseload_active_on,
    caseload_counts,
    communication_counts,
    enforcement_counts,
    group_plans_latest,
    partnership_counts,
    reach_rows,
    units_with_latest_inputs,
)
from .benchmarks import (
    BENCHMARKED_INDICATORS,
    INDICATOR_LABELS,
    benchmark_rows,
    benchmarks_for_years,
    outcome_trend,
)
from .outcomes import homicides_per_year, month_windows, outcome_counts, shootings_per_month
from .post_call_in import (
    POST_CALL_IN_CATEGORIES,
    POST_CALL_IN_RANKS,
    participants_in_category,
    post_call_in_events,
    post_call_in_outcomes,
)
from .records import (
    TRACE_LABELS,
    TRACE_PARTS,
    caseload_records,
    coordination_meetings_in,
    enforcement_actions_in,
    enrolments_in,
    non_injury_shootings_in,
    part_label,
    people_reached,
    records_behind,
    victims_in,
)
from .versions import (
    WorksheetShown,
    WorksheetVersions,
    commitments_made_at,
    commitments_open,
    meetings_due_for_worksheet,
    performance_reviews,
    period_current,
    worksheet_for_display,
    worksheet_latest_ready,
    worksheet_live,
    worksheet_period_for_meeting,
    worksheet_ready,
    worksheet_version,
    worksheet_versions,
    worksheets_for_period,
)
from .worksheet import data_version, worksheet_cache_key, worksheet_compute, worksheet_figures

__all__ = [
    "BENCHMARKED_INDICATORS",
    "INDICATOR_LABELS",
    "POST_CALL_IN_CATEGORIES",
    "POST_CALL_IN_RANKS",
    "TRACE_LABELS",
    "TRACE_PARTS",
    "WorksheetShown",
    "WorksheetVersions",
    "benchmark_rows",
    "benchmarks_for_years",
    "case_management_counts",
    "caseload_active_on",
    "caseload_counts",
    "caseload_records",
    "commitments_made_at",
    "commitments_open",
    "communication_counts",
    "coordination_meetings_in",
    "data_version",
    "enforcement_actions_in",
    "enforcement_counts",
    "enrolments_in",
    "group_plans_latest",
    "homicides_per_year",
    "meetings_due_for_worksheet",
    "month_windows",
    "non_injury_shootings_in",
    "outcome_counts",
    "outcome_trend",
    "part_label",
    "participants_in_category",
    "partnership_counts",
    "people_reached",
    "performance_reviews",
    "period_current",
    "post_call_in_events",
    "post_call_in_outcomes",
    "reach_rows",
    "records_behind",
    "shootings_per_month",
    "units_with_latest_inputs",
    "victims_in",
    "worksheet_cache_key",
    "worksheet_compute",
    "worksheet_figures",
    "worksheet_for_display",
    "worksheet_latest_ready",
    "worksheet_live",
    "worksheet_period_for_meeting",
    "worksheet_ready",
    "worksheet_version",
    "worksheet_versions",
    "worksheets_for_period",
]
