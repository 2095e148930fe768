"""A body's annual report (Jahresbericht) as a PDF source, for one reader.

For a body and a calendar year: the meetings held, the decisions taken, the polls
closed with their results, the commitments made at its meetings with how many were
kept, broken or are still open, and the spaces secured or lost that year that
belong to the body or were discussed at its meetings. Every list and every count is
made of what the reader may see (``visible_to``), so the public report and the
internal one differ and neither tells what the other holds.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from bodies.models import Body, Decision, Poll, PollOption, PollStatus
from bodies.services import explain_result
from documents.pdf import PDF_LANGUAGE, PdfSource, render_html
from spaces.models import Space, SpaceStatus, SpaceStatusChange

from .models import (
    OPEN_COMMITMENT_STATUSES,
    AgendaItem,
    Commitment,
    CommitmentStatus,
    Meeting,
    MeetingStatus,
)


@dataclass(frozen=True)
class CommitmentFigures:
    total: int
    kept: int
    broken: int
    open: int
    withdrawn: int


def year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    """The first moment of ``year`` and of the next, in the platform's time zone."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime(year, 1, 1, tzinfo=zone)
    return start, datetime.datetime(year + 1, 1, 1, tzinfo=zone)


def meetings_held(*, body: Body, year: int, user):
    start, end = year_bounds(year)
    return (
        Meeting.objects.visible_to(user)
        .filter(body=body, status=MeetingStatus.HELD, start__gte=start, start__lt=end)
        .order_by("start", "pk")
    )


def decisions(*, body: Body, year: int, user):
    return (
        Decision.objects.visible_to(user)
        .filter(body=body, year=year)
        .select_related("body")
        .order_by("sequence")
    )


def polls(*, body: Body, year: int, user):
    start, end = year_bounds(year)
    return (
        Poll.objects.visible_to(user)
        .filter(body=body, status=PollStatus.CLOSED, closed_at__gte=start, closed_at__lt=end)
        .select_related("body")
        .prefetch_related(Prefetch("options", PollOption.objects.order_by("position", "pk")))
        .order_by("closed_at", "pk")
    )


def commitments(*, body: Body, year: int, user):
    start, end = year_bounds(year)
    return (
        Commitment.objects.visible_to(user)
        .filter(meeting__body=body, meeting__start__gte=start, meeting__start__lt=end)
        .select_related("meeting", "organisation", "person")
        .order_by("meeting__start", "pk")
    )


def commitment_figures(rows) -> CommitmentFigures:
    statuses = [row.status for row in rows]
    return CommitmentFigures(
        total=len(statuses),
        kept=statuses.count(CommitmentStatus.KEPT),
        broken=statuses.count(CommitmentStatus.BROKEN),
        open=sum(statuses.count(status) for status in OPEN_COMMITMENT_STATUSES),
        withdrawn=statuses.count(CommitmentStatus.WITHDRAWN),
    )


def space_changes(*, body: Body, year: int, user):
    """The changes to secured or lost in ``year`` of the spaces the reader sees that
    belong to the body or were discussed at its meetings (on an agenda item the
    reader sees: a hidden item must not tell that a space was its subject)."""
    start, end = year_bounds(year)
    discussed = AgendaItem.objects.visible_to(user).filter(
        meeting__body=body, spaces=OuterRef("space_id")
    )
    return (
        SpaceStatusChange.objects.filter(
            to_status__in=[SpaceStatus.SECURED, SpaceStatus.LOST],
            changed_at__gte=start,
            changed_at__lt=end,
            space__in=Space.objects.visible_to(user),
        )
        .filter(Q(space__body=body) | Exists(discussed))
        .select_related("space")
        .order_by("changed_at", "pk")
    )


def annual_report_source(*, body: Body, year: int, user) -> PdfSource:
    with translation.override(PDF_LANGUAGE):
        held = list(meetings_held(body=body, year=year, user=user))
        decided = list(decisions(body=body, year=year, user=user))
        closed = list(polls(body=body, year=year, user=user))
        for poll in closed:
            poll.explained = explain_result(poll, list(poll.options.all()))
        promised = list(commitments(body=body, year=year, user=user))
        changes = list(space_changes(body=body, year=year, user=user))
        title = _("Annual report %(year)s: %(body)s") % {"year": year, "body": body.name}
        context = {
            "body": body,
            "year": year,
            "meetings": held,
            "decisions": decided,
            "polls": closed,
            "commitments": promised,
            "commitment_figures": commitment_figures(promised),
            "secured": [c for c in changes if c.to_status == SpaceStatus.SECURED],
            "lost": [c for c in changes if c.to_status == SpaceStatus.LOST],
            "document_title": title,
        }
        html = render_html("meetings/pdf/annual_report.html", context)
        return PdfSource(
            html=html,
            title=title,
            filename=f"jahresbericht-{year}-{slugify(body.name)[:60] or 'gremium'}.pdf",
            size=len(held) + len(decided) + len(closed) + len(promised) + len(changes),
        )
