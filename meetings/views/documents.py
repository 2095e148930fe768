"""Agenda, minutes and recommendations report as PDF, with a progress page for long ones.

404 for what the reader may not see (the agenda of a hidden meeting, minutes that do
not exist or are hidden, a hidden series). The same URL answers the progress page,
its htmx polls (``?poll=1``) and, once the stored PDF is ready, the file itself.
"""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from bodies.access import get_visible_or_404

from .. import documents
from ..models import DocumentKind, Meeting, MeetingSeries, Minutes, RenderStatus

# htmx stops polling when a response has this status (and still swaps it in).
HTMX_STOP_POLLING = 286


def _meeting(request, pk) -> Meeting:
    return get_visible_or_404(
        Meeting.objects.select_related("body", "series", "space", "moderator", "minute_taker"),
        request.user,
        pk=pk,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def agenda_pdf(request, pk):
    meeting = _meeting(request, pk)
    return _document(request, kind=DocumentKind.AGENDA, meeting=meeting)


@require_http_methods(["GET", "HEAD", "POST"])
def minutes_pdf(request, pk):
    meeting = _meeting(request, pk)
    if not Minutes.objects.visible_to(request.user).filter(meeting=meeting).exists():
        raise Http404  # none yet, or hidden from this reader: the same answer
    return _document(request, kind=DocumentKind.MINUTES, meeting=meeting)


@require_http_methods(["GET", "HEAD", "POST"])
def series_recommendations_pdf(request, pk):
    series = get_visible_or_404(MeetingSeries.objects.select_related("body"), request.user, pk=pk)
    return _document(request, kind=DocumentKind.RECOMMENDATIONS, series=series)


def _document(request, *, kind, meeting=None, series=None):
    try:
        result = documents.request_document(
            kind=kind,
            user=request.user,
            meeting=meeting,
            series=series,
            retry=request.method == "POST",
        )
    except documents.DocumentUnavailable as exc:
        raise Http404 from exc
    if request.method == "POST":
        return redirect(request.path)
    document = result.document
    polling = bool(request.htmx) and "poll" in request.GET
    if document.status == RenderStatus.DONE and not result.deferred:
        if polling:
            return _status(request, result, status=HTMX_STOP_POLLING)
        if request.htmx:
            # The "ready" fragment asks once; a full navigation then downloads.
            return HttpResponse(headers={"HX-Redirect": request.path})
        response = FileResponse(
            document.file.open("rb"),
            # "?anzeigen" opens it in the browser (OParl's accessUrl must not force
            # a download); the plain link downloads.
            as_attachment="anzeigen" not in request.GET,
            filename=result.source.filename,
            content_type="application/pdf",
        )
        response["Cache-Control"] = "private, no-cache"
        return response
    if polling:
        stop = document.status == RenderStatus.FAILED
        return _status(request, result, status=HTMX_STOP_POLLING if stop else 200)
    return render(
        request,
        "meetings/document_progress.html",
        _context(request, result, meeting=meeting, series=series),
        status=200 if document.status == RenderStatus.FAILED else 202,
    )


def _context(request, result, *, meeting=None, series=None) -> dict:
    back_url = meeting.get_absolute_url() if meeting is not None else ""
    if meeting is None and series is not None:
        first = series.meetings.visible_to(request.user).order_by("start").first()
        back_url = first.get_absolute_url() if first else reverse("meetings:list")
    return {
        "document": result.document,
        "title": result.source.title,
        "pdf_url": request.path,
        "back_url": back_url,
        "meeting": meeting,
        "series": series,
    }


def _status(request, result, *, status):
    return render(
        request,
        "meetings/document_status.html",
        _context(request, result),
        status=status,
    )
