"""Agenda, minutes and recommendations report as PDF, served by the pipeline in
``documents`` (with its progress page for long ones).

404 for what the reader may not see (the agenda of a hidden meeting, minutes that do
not exist or are hidden, a hidden series).
"""

from django.http import Http404
from django.views.decorators.http import require_http_methods

from bodies.access import get_visible_or_404
from documents.views import serve

from .. import documents
from ..models import Meeting, MeetingSeries, Minutes


def _meeting(request, pk) -> Meeting:
    return get_visible_or_404(
        Meeting.objects.select_related(*documents.MEETING_RELATED), request.user, pk=pk
    )


@require_http_methods(["GET", "HEAD", "POST"])
def agenda_pdf(request, pk):
    return serve(request, kind=documents.AGENDA, subject=_meeting(request, pk))


@require_http_methods(["GET", "HEAD", "POST"])
def minutes_pdf(request, pk):
    meeting = _meeting(request, pk)
    if not Minutes.objects.visible_to(request.user).filter(meeting=meeting).exists():
        raise Http404  # none yet, or hidden from this reader: the same answer
    return serve(request, kind=documents.MINUTES, subject=meeting)


@require_http_methods(["GET", "HEAD", "POST"])
def series_recommendations_pdf(request, pk):
    series = get_visible_or_404(MeetingSeries.objects.select_related("body"), request.user, pk=pk)
    return serve(request, kind=documents.RECOMMENDATIONS, subject=series)
