"""A worksheet version's snapshot as a table: the rows of CSV and XLSX exports.

Built from the version's frozen snapshot (the same JSON the PDF was rendered from), so the CSV,
the XLSX, the PDF and the JSON download carry the same numbers.
"""

from __future__ import annotations

from ceasefire.core.exports import Table

WINDOW_FIELDS = (
    "benchmark",
    "actual",
    "prior_year",
    "three_year_average",
    "meets",
    "percent_vs_benchmark",
    "focus_percent",
)
HEADER = ["section", "indicator", "label", "annual_benchmark", "window", *WINDOW_FIELDS, "note"]


def worksheet_table(snapshot: dict, *, title: str = "Worksheet") -> Table:
    """One row per indicator and window (year to date, then the period), outcomes first."""

    def rows():
        for section in ("outcomes", "activities"):
            for row in snapshot.get(section, []):
                for window in ("ytd", "period"):
                    cell = row.get(window) or {}
                    yield [
                        section,
                        row.get("indicator", ""),
                        row.get("label", ""),
                        row.get("annual_benchmark"),
                        window,
                        *(cell.get(name) for name in WINDOW_FIELDS),
                        row.get("note", ""),
                    ]

    return Table(header=HEADER, rows=rows(), title=title)
