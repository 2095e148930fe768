"""Serving a document: the stored PDF, or its progress page while it renders.

The views of each subject (a meeting's agenda, a body's annual report) first answer
404 for what the reader may not see, then hand over to :func:`serve`. The same URL
answers the progress page, its htmx polls (``?poll=1``) and, once the stored PDF is
ready, the file itself.
"""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from bodies.access import get_visible_or_404
from bodies.models import Body

from . import registry, services
from .models import RenderStatus
from .subjects import ANNUAL_REPORT, BodyYear

# htmx stops polling when a response has this status (and still swaps it in).
HTMX_STOP_POLLING = 286

# The platform started long after this; a year outside the range has no report.
FIRST_REPORT_YEAR = 2000


def serve(request, *, kind: str, subject):
    try:
        result = services.request_document(
            kind=kind, subject=subject, user=request.user, retry=request.method == "POST"
        )
    except (services.DocumentUnavailable, registry.UnknownKind) as exc:
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
    back_url, back_label = registry.get(kind).back(subject, request.user)
    return render(
        request,
        "documents/progress.html",
        _context(request, result) | {"back_url": back_url, "back_label": back_label},
        status=200 if document.status == RenderStatus.FAILED else 202,
    )


def _context(request, result) -> dict:
    return {"document": result.document, "title": result.source.title, "pdf_url": request.path}


def _status(request, result, *, status):
    return render(request, "documents/status.html", _context(request, result), status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def annual_report(request, slug, year):
    body = get_visible_or_404(Body, request.user, slug=slug)
    if not FIRST_REPORT_YEAR <= year <= timezone.localdate().year:
        raise Http404
    return serve(request, kind=ANNUAL_REPORT, subject=BodyYear(body=body, year=year))
