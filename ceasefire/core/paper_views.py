"""Meeting papers: a meeting's papers panel (htmx polling while a job runs), preparing a brief or
memo, downloading one paper or all of them as a ZIP (through the export flow: reason asked,
audited). Every access decision is ``permissions``' (the reader's audience, the meeting)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import papers as services
from . import permissions
from .exports import export_flow
from .htmx import refusal_text, render_page
from .models import Meeting, MeetingPaper
from .pagination import paginate

PANEL = "core/papers/panel.html"
MEETING_PAGES = {
    Meeting.Kind.SHOOTING_REVIEW: "reviews:review-detail",
    Meeting.Kind.COORDINATION: "coordination:meeting-detail",
    Meeting.Kind.PERFORMANCE_REVIEW: "performance:review-detail",
}


def _meeting(user, pk) -> Meeting:
    meeting = permissions.get_meeting_for_user(user, pk)
    if not permissions.paper_audience(user):
        raise PermissionDenied
    return meeting


def _panel_context(request, meeting: Meeting, error: str = "") -> dict:
    user = request.user
    papers = permissions.papers_visible_to(user, meeting).select_related("created_by")
    page = paginate(request, papers.order_by("-requested_at", "-id"), per_page=10)
    rows = list(page.object_list)
    return {
        "meeting": meeting,
        "papers": page,
        "rows": rows,
        "pending": any(p.pending for p in rows),
        "any_ready": any(p.status == MeetingPaper.Status.READY for p in rows),
        "can_brief": permissions.can_prepare_paper(user, meeting, MeetingPaper.Kind.BRIEF),
        "can_memo": permissions.can_prepare_paper(user, meeting, MeetingPaper.Kind.MEMO),
        "has_memo": any(p.kind == MeetingPaper.Kind.MEMO for p in rows),
        "audience_label": permissions.paper_audience_label(permissions.paper_audience(user)),
        "meeting_url": reverse(MEETING_PAGES[meeting.kind], args=[meeting.pk]),
        "panel_url": reverse("papers:panel", args=[meeting.pk]),
        "error": error,
    }


@login_required
@require_GET
def panel(request, pk: int):
    """The meeting's papers: a page, or (htmx) the panel the meeting page loads and polls."""
    meeting = _meeting(request.user, pk)
    return render_page(request, PANEL, _panel_context(request, meeting), partial="panel")


@login_required
@require_POST
def prepare(request, pk: int, kind: str):
    """Queue a new version of the reader's brief (open meeting) or memo (closed meeting)."""
    meeting = _meeting(request.user, pk)
    if kind not in MeetingPaper.Kind.values:
        raise Http404("No such paper.")
    error = ""
    try:
        paper = services.paper_request(meeting=meeting, kind=kind, user=request.user)
    except ValidationError as exc:
        error = refusal_text(exc)
    status = 400 if error else 200
    if request.htmx:
        ctx = _panel_context(request, meeting, error=error)
        return render_page(request, PANEL, ctx, partial="panel", status=status)
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            f"{paper.get_kind_display()} v{paper.version} is {paper.get_status_display().lower()}.",
        )
    return redirect("papers:panel", pk=meeting.pk)


@login_required
@require_http_methods(["GET", "POST"])
def download(request, pk: int):
    """One ready paper's PDF, after saying why (audited with the reason)."""
    paper = permissions.get_paper_for_user(request.user, pk)
    if paper.status != MeetingPaper.Status.READY:
        raise Http404("This paper is not ready yet.")

    def build(fmt):
        return FileResponse(
            services.paper_open(paper),
            as_attachment=True,
            filename=paper.filename,
            content_type="application/pdf",
        )

    return export_flow(
        request,
        what="meeting_paper",
        title=f"{paper.get_kind_display().lower()} v{paper.version} of the {paper.meeting}",
        filters={"meeting": str(paper.meeting_id), "paper": str(paper.pk)},
        build=build,
        filename=paper.filename.removesuffix(".pdf"),
        formats=("pdf",),
        obj=paper,
        back=reverse("papers:panel", args=[paper.meeting_id]),
    )


@login_required
@require_http_methods(["GET", "POST"])
def archive(request, pk: int):
    """Every ready version of the reader's papers of the meeting, as one ZIP (audited)."""
    meeting = _meeting(request.user, pk)
    ready = list(
        permissions.papers_visible_to(request.user, meeting)
        .filter(status=MeetingPaper.Status.READY)
        .select_related("meeting")
        .order_by("kind", "version")
    )
    if not ready:
        raise Http404("No paper of this meeting is ready yet.")
    name = f"ceasefire-{meeting.kind.replace('_', '-')}-{meeting.date:%Y-%m-%d}-papers"

    def build(fmt):
        return FileResponse(
            services.papers_zip(ready),
            as_attachment=True,
            filename=f"{name}.zip",
            content_type="application/zip",
        )

    return export_flow(
        request,
        what="meeting_papers",
        title=f"all papers of the {meeting} ({len(ready)} PDFs)",
        filters={"meeting": str(meeting.pk)},
        build=build,
        filename=name,
        formats=("zip",),
        obj=meeting,
        back=reverse("papers:panel", args=[meeting.pk]),
    )
