"""A worksheet snapshot (the JSON contract) as the template shows it: labels, status, charts.

Used for the HTML page and for the PDF alike, so both say exactly the same thing.
"""

from __future__ import annotations

import datetime as dt

from . import charts
from . import indicators as ind
from .indicators import Period

SUBCATEGORY_LABELS = {
    "call_ins": "Call-ins",
    "custom_notifications": "Custom notifications",
    "attended_by_both_leads": "Attended by the police and human-services leads",
    "risk_alignment": "With risk alignment on the agenda",
}

OBJECTIVES = {
    "homicides": "Homicides (victims killed, any weapon)",
    "nonfatal_injury_shootings": "Non-fatal injury shootings (victims wounded by gunfire)",
    "non_injury_shootings": "Non-injury shootings (shots fired, nobody hit) — for context",
    "communication": "Direct communication with the very highest-risk (VHR) individuals",
    "case_management": "Relationship-focused case management of VHR individuals",
    "enforcement": (
        "Targeted enforcement: fully staffed and focused on the highest-risk groups and individuals"
    ),
    "partnership": (
        "Partnership: city partners meet regularly to develop joint strategy focused on VHR"
    ),
}
SCALE_LABELS = {
    "communication": "Total participants (distinct people reached)",
    "case_management": "New enrolees (distinct people)",
    "enforcement": "Enforcement actions",
    "partnership": "Coordination meetings held",
}


UNIT_KINDS = {"area": "Area", "specialised": "Specialised"}


def _status_class(meets: bool | None) -> str:
    if meets is None:
        return "neutral"
    return "meets" if meets else "fails"


def _window(row: dict, name: str, label: str) -> dict:
    cell = dict(row[name])
    cell["name"] = name
    cell["label"] = label
    cell["status_text"] = ind.status_text(cell.get("meets"), cell.get("percent_vs_benchmark"))
    cell["status_class"] = _status_class(cell.get("meets"))
    cell["status_mark"] = {"meets": "✓", "fails": "✗", "neutral": "–"}[cell["status_class"]]
    return cell


def _enforcement_text(cell: dict) -> str:
    if cell["percent"] is None:
        return "no actions"
    verdict = "meets" if cell["meets"] else "does not meet"
    return f"{cell['percent']:.0f}% ({cell['focused']} of {cell['actions']}) — {verdict}"


def _subcategory_rows(row: dict) -> list[dict]:
    """One line per subcategory: its YTD and period values (and case management's caseload)."""
    ytd, period = row["ytd"].get("subcategories") or {}, row["period"].get("subcategories") or {}
    items = []
    if row["indicator"] == "enforcement":
        for kind, cell in ytd.items():
            items.append(
                {
                    "key": kind,
                    "label": f"{UNIT_KINDS[kind]} units on VHR subjects (target {cell['target']}%)",
                    "ytd": _enforcement_text(cell),
                    "period": _enforcement_text(period[kind]),
                    "text": True,
                }
            )
        return items
    labels = row.get("referral_source_labels", SUBCATEGORY_LABELS)
    caseload = (row.get("active_caseload") or {}).get("by_referral_source", {})
    for key, value in ytd.items():
        items.append(
            {
                "key": key,
                "label": labels.get(key, key),
                "ytd": value,
                "period": period.get(key),
                "caseload": caseload.get(key),
            }
        )
    return items


def _row_display(row: dict, short_label: str, notes: dict | None) -> dict:
    """One row as the template shows it: its two windows' cells, note, and the activities' parts."""
    out = {
        "indicator": row["indicator"],
        "label": row["label"],
        "objective": OBJECTIVES.get(row["indicator"], row["label"]),
        "annual_benchmark": row["annual_benchmark"],
        "windows": [_window(row, "ytd", "YTD"), _window(row, "period", short_label)],
        "note": notes.get(row["indicator"], "") if notes is not None else row.get("note", ""),
        "raw": row,
    }
    if "subcategories" in row["ytd"]:
        out["scale_label"] = SCALE_LABELS.get(row["indicator"], "Total")
        out["subcategory_rows"] = _subcategory_rows(row)
        for cell in out["windows"]:
            focus = cell.get("focus_percent")
            cell["focus_text"] = "—" if focus is None else f"{focus:.0f}%"
        out["focus_definition"] = row.get("focus_definition", "")
        out["focus_target"] = row.get("focus_target")
        out["focus_target_text"] = _focus_target_text(row)
        out["last_year_text"] = ", ".join(f"{c['label']} {c['prior_year']}" for c in out["windows"])
        out["average_text"] = ", ".join(
            f"{c['label']} {c['three_year_average']}" for c in out["windows"]
        )
    return out


def _focus_target_text(row: dict) -> str:
    """ "; target 75%" after the focus definition (communication's is a range; enforcement's
    targets are per kind of unit, shown with its subcategories)."""
    target = row.get("focus_target")
    if not target or row["indicator"] == "enforcement":
        return ""
    return "; target 90–100%" if row["indicator"] == "communication" else f"; target {target}%"


def worksheet_display(snapshot: dict, *, notes: dict | None = None) -> dict:
    """Everything the worksheet template needs, from a snapshot; ``notes`` replace its notes."""
    period = Period.from_dates(
        dt.date.fromisoformat(snapshot["period"]["start"]),
        dt.date.fromisoformat(snapshot["period"]["end"]),
    )
    short = period.short_label
    years = snapshot["three_year_average_years"]
    monthly = snapshot["charts"]["shootings_per_month"]
    return {
        "snapshot": snapshot,
        "period": period,
        "period_label": period.label,
        "short_label": short,
        "year": period.year,
        "prior_year": period.year - 1,
        "average_years": f"{years[0]}–{years[-1]}",
        "outcomes": [_row_display(r, short, notes) for r in snapshot["outcomes"]],
        "activities": [_row_display(r, short, notes) for r in snapshot["activities"]],
        "chart_homicides_per_year": charts.homicides_per_year(
            snapshot["charts"]["homicides_per_year"]
        ),
        "chart_shootings_per_month": charts.shootings_per_month(
            monthly["months"], monthly["monthly_benchmark"], monthly["year"]
        ),
        "post_call_in": snapshot["post_call_in_outcomes"],
        "chart_post_call_in": charts.post_call_in(snapshot["post_call_in_outcomes"]),
    }
