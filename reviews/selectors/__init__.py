"""Reads for the shooting log and the weekly shooting review. Selectors never write.

Every list here runs a fixed number of queries whatever the number of rows. Import from here:
``reviews.selectors.review_agenda``.
"""

from .groups import conflicts_listed, groups_listed
from .incidents import (
    conflict_detail,
    conflicts_hottest,
    group_detail,
    incident_detail,
    incident_search,
    incidents_annotated,
    people_matching,
)
from .live import SECTIONS, entry_fingerprints, section_fingerprints
from .revalidation import (
    REVALIDATION_NOTICE_DAYS,
    conflicts_revalidation_due,
    groups_revalidation_due,
)
from .review import (
    DEFAULT_FIRST_WINDOW_DAYS,
    ROW_PARTS,
    ROWS_PER_BATCH,
    SHOOTINGS_PER_BATCH,
    incidents_in_review_window,
    review_agenda,
    review_candidates,
    review_entries,
    review_entries_neighbours,
    review_entry,
    review_entry_people_ids,
    review_incidents,
    review_incidents_involving,
    review_people_ids,
    review_rows_batch,
    review_shootings_batch,
    review_suggestions_offered,
    review_window_proposed,
    reviews_list,
    since_last_review,
    suggestion_reasons,
)
from .suggestions import (
    SUGGESTION_LOOKBACK,
    RankedSuggestions,
    Suggestion,
    suggestions_for_review,
)

__all__ = [
    "DEFAULT_FIRST_WINDOW_DAYS",
    "REVALIDATION_NOTICE_DAYS",
    "ROWS_PER_BATCH",
    "ROW_PARTS",
    "SECTIONS",
    "SHOOTINGS_PER_BATCH",
    "SUGGESTION_LOOKBACK",
    "RankedSuggestions",
    "Suggestion",
    "conflict_detail",
    "conflicts_hottest",
    "conflicts_listed",
    "conflicts_revalidation_due",
    "entry_fingerprints",
    "group_detail",
    "groups_listed",
    "groups_revalidation_due",
    "incident_detail",
    "incident_search",
    "incidents_annotated",
    "incidents_in_review_window",
    "people_matching",
    "review_agenda",
    "review_candidates",
    "review_entries",
    "review_entries_neighbours",
    "review_entry",
    "review_entry_people_ids",
    "review_incidents",
    "review_incidents_involving",
    "review_people_ids",
    "review_rows_batch",
    "review_shootings_batch",
    "review_suggestions_offered",
    "review_window_proposed",
    "reviews_list",
    "section_fingerprints",
    "since_last_review",
    "suggestion_reasons",
    "suggestions_for_review",
]
