"""The open review, live: one shooting's details on demand, and what others changed.

The page lists every shooting as a short card; a shooting's questions and ranked suggestions load
when it is opened (``review_shooting``: a fragment for htmx, its own page without JavaScript).
Two facilitators on one review see each other's work through ``review_changes``: the page polls
with the fingerprints it was drawn with, and gets back only the parts whose fingerprint moved, as
out-of-band swaps (static/js/live.js keeps a field someone is typing in).
"""

from __future__ import annotations

from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from ceasefire.core import permissions
from ceasefire.core.audit import audit_view
from ceasefire.core.fragments import reading_key, shared_render
from ceasefire.core.htmx import render_page, vary_on_htmx
from ceasefire.core.models import Task

from .. import selectors
from .review import review_context, task_subjects, with_fingerprints

# htmx stops polling when a poll answers 286
STOP_POLLING = 286


def entry_context(request, review, entry) -> dict:
    """What one shooting's details need besides the entry."""
    user = request.user
    if not hasattr(entry, "fingerprint"):  # the cached open entry comes with its own
        entry.fingerprint = selectors.entry_fingerprints(review).get(entry.pk, "")
    return {
        "review": review,
        "entry": entry,
        "can_edit": permissions.can_edit_meeting(user, review),
        "decision_choices": [("confirmed", "Confirm"), ("dismissed", "Dismiss")],
        **task_subjects(user),
    }


def shared_suggestions(request, review, entry) -> str:
    """An open review's shooting's ranked suggestions, rendered once for the readers of one scope
    and kept by the tables they are made from (``selectors.open_review_suggestions``), with the
    CSRF placeholder left in: drawn inside the shooting's details, which an answer on the
    shooting renders again around this text."""
    incident_id = entry.incident_id

    def build() -> tuple[dict, None]:
        ranked = selectors.open_review_suggestions(review, incident_id)
        shown = SimpleNamespace(
            pk=entry.pk,
            incident=SimpleNamespace(pk=incident_id),
            suggestions=ranked.shown if ranked else [],
            more_suggestions=ranked.more if ranked else [],
        )
        return {
            "review": review,
            "entry": shown,
            "can_edit": permissions.can_edit_meeting(request.user, review),
        }, None

    text, _ = shared_render(
        request,
        "reviews/review_detail.html#suggestions",
        build,
        key=reading_key(request, review, f"suggestions-{entry.pk}-{incident_id}", params=False),
        token=False,
    )
    return text


@login_required
@require_GET
def review_shooting(request, pk: int, entry_pk: int):
    user = request.user
    review = permissions.get_review_for_user(user, pk)

    def build() -> tuple[dict, dict]:
        entry = (
            selectors.review_entry(review, entry_pk)
            if review.is_closed
            else selectors.open_review_entry(review, entry_pk)
        )
        if entry is None:
            raise Http404("That shooting is not on this review's agenda.")
        offered = {} if review.is_closed else selectors.review_suggestions_offered([entry])
        seen = {
            "shooting": entry.incident_id,
            "people": selectors.review_entry_people_ids(entry),
            **({"suggestions_offered": offered} if offered else {}),
        }
        ctx = entry_context(request, review, entry)
        if not review.is_closed and request.htmx:  # shared: its suggestions kept on their own
            ctx["suggestions_html"] = shared_suggestions(request, review, entry)
        return ctx, seen

    if request.htmx:
        # an open review's shooting, opened by the whole room: one rendering per records
        # version for the readers of one scope (ceasefire.core.fragments)
        key = None if review.is_closed else reading_key(request, review, f"shooting-{entry_pk}")
        text, seen = shared_render(
            request, "reviews/review_detail.html#shooting-body", build, key=key
        )
        audit_view(request, obj=review, **seen)
        return vary_on_htmx(HttpResponse(text))
    ctx, seen = build()
    audit_view(request, obj=review, **seen)
    entry = ctx["entry"]
    previous, following = selectors.review_entries_neighbours(review, entry.pk)
    ctx.update(expanded=True, previous_pk=previous, next_pk=following)
    return render_page(request, "reviews/review_shooting.html", ctx)


@login_required
@require_GET
def review_shootings(request, pk: int):
    """The next batch of an open review's shooting cards (``?start=``), appended to the list as
    the facilitator reaches the end of what is drawn; without htmx, the first of them on its own
    page (whose next and previous links walk the rest)."""
    user = request.user
    review = permissions.get_review_for_user(user, pk)
    start = request.GET.get("start", "")
    if not start.isdigit():
        raise Http404("Say which shooting the batch starts from.")
    batch = selectors.review_shootings_batch(review, start=int(start))
    if not batch["entries"]:
        return redirect(reverse("reviews:review-detail", args=[review.pk]) + "#s-shootings")
    if not request.htmx:
        return redirect("reviews:review-shooting", review.pk, batch["entries"][0].pk)
    with_fingerprints(review, batch["entries"])
    people = {p for e in batch["entries"] for p in selectors.review_entry_people_ids(e)}
    audit_view(request, obj=review, shootings_from=int(start), people=sorted(people))
    ctx = {
        "review": review,
        **batch,
        "can_edit": permissions.can_edit_meeting(user, review),
        **task_subjects(user),
    }
    return render_page(request, "reviews/partials/shootings_batch.html", ctx)


ROW_TITLES = {"deliverables": "Prior deliverables", "due": "Designations due for review or lapsing"}


@login_required
@require_GET
def review_rows(request, pk: int, part: str):
    """The next batch of an open review's deliverables or designations due (``?start=``):
    rows appended to their table for htmx; without it, a page of that batch with a link on."""
    user = request.user
    review = permissions.get_review_for_user(user, pk)
    start = request.GET.get("start", "")
    if part not in selectors.ROW_PARTS or not start.isdigit() or review.is_closed:
        raise Http404("No such rows on this review.")
    tasks = permissions.tasks_visible_to(user)
    batch = selectors.review_rows_batch(review, part, tasks=tasks, start=int(start))
    if part == "due":
        people = [d.person_id for d in batch["rows"]]
    else:
        people = [t.subject_person_id for t in batch["rows"] if t.subject_person_id]
    audit_view(request, obj=review, rows=part, rows_from=int(start), people=sorted(set(people)))
    can_edit = permissions.can_edit_meeting(user, review)
    ctx = {
        "review": review,
        "part": part,
        "title": ROW_TITLES[part],
        "start": int(start),
        "end": int(start) + len(batch["rows"]),
        **batch,
        "can_edit": can_edit,
        "can_change_tasks": can_edit,
        "statuses": Task.Status.choices,
        "today": timezone.localdate(),
    }
    return render_page(request, "reviews/review_rows.html", ctx, partial="rows")


def _known(request) -> tuple[dict[int, str], dict[str, str], set[int]]:
    """The fingerprints the polling page was drawn with, and the shootings it has open."""
    entries, sections = {}, {}
    for key, value in request.GET.items():
        if key.startswith("e-") and key[2:].isdigit():
            entries[int(key[2:])] = value
        elif key.startswith("s-") and key[2:] in selectors.SECTIONS:
            sections[key[2:]] = value
    opened = {int(v) for v in request.GET.getlist("open") if v.isdigit()}
    return entries, sections, opened


def _page_drawn_in_full(request) -> bool:
    """The page carries ``more`` while shootings of its agenda are still to be drawn: the newly
    added ones lie beyond them, and come with the next batch rather than with the poll."""
    return not request.GET.get("more")


@login_required
@require_GET
def review_changes(request, pk: int):
    """The poll of an open review: the parts of the page others changed since it was drawn."""
    user = request.user
    review = permissions.get_review_for_user(user, pk)
    if review.is_closed:
        ctx = {
            "review": review,
            "live_changes": ["This review is closed — reload to see the minutes."],
        }
        return render_page(request, "reviews/partials/live_changes.html", ctx, status=STOP_POLLING)
    known_entries, known_sections, opened = _known(request)
    if not known_sections:  # not a page's poll (a page always carries its sections' prints)
        ctx = {
            "review": review,
            "live_poll_seconds": settings.REVIEW_LIVE_POLL_SECONDS,
            "live_changes": [],
        }
        return render_page(request, "reviews/partials/live_changes.html", ctx)
    entry_fps = selectors.entry_fingerprints(review)
    section_fps = selectors.section_fingerprints(review, tasks=permissions.tasks_visible_to(user))
    changed = [
        pk for pk, fp in entry_fps.items() if pk in known_entries and known_entries[pk] != fp
    ]
    added = (
        [pk for pk in entry_fps if pk not in known_entries] if _page_drawn_in_full(request) else []
    )
    sections = [
        s for s, fp in section_fps.items() if s in known_sections and known_sections[s] != fp
    ]
    ctx = {
        "review": review,
        "live_poll_seconds": settings.REVIEW_LIVE_POLL_SECONDS,
        "live_changes": [],
        "changed_entries": [],
        "added_entries": [],
        "changed_sections": sections,
    }
    people: set[int] = set()
    if sections:
        ctx = {**review_context(request, review), **ctx}
        people |= set(selectors.review_people_ids(ctx))
    else:
        ctx.update(can_edit=permissions.can_edit_meeting(user, review), **task_subjects(user))
    offered: dict[str, list[int]] = {}
    # one batch for every changed or added card; the ranked suggestions only for open ones
    listed = {e.pk: e for e in selectors.review_entries(review, pks=changed + added)}
    for entry_pk in changed + added:
        entry = listed.get(entry_pk)
        if entry is None:
            continue
        if entry_pk in opened:
            entry = selectors.review_entry(review, entry_pk)
            offered |= selectors.review_suggestions_offered([entry])
        people |= set(selectors.review_entry_people_ids(entry))
        entry.fingerprint = entry_fps[entry_pk]
        entry.is_open = entry_pk in opened
        ctx["added_entries" if entry_pk in added else "changed_entries"].append(entry)
    if changed or added or sections:
        stamp = timezone.localtime().strftime("%H:%M:%S")
        parts = []
        if changed:
            parts.append(f"{len(changed)} shooting{'s' if len(changed) > 1 else ''} updated")
        if added:
            parts.append(f"{len(added)} shooting{'s' if len(added) > 1 else ''} added")
        parts += [
            {"risk": "risk assessment", "response": "response plan"}.get(s, s) + " updated"
            for s in sections
        ]
        ctx["live_changes"] = [f"{stamp}: " + ", ".join(parts) + " by another facilitator"]
        audit_view(
            request,
            obj=review,
            live=True,
            people=sorted(people),
            **({"suggestions_offered": offered} if offered else {}),
        )
    ctx["entries_count"] = len(entry_fps)
    return render_page(request, "reviews/partials/live_changes.html", ctx)
