"""Matrix cases for the documents addressed by their own URL: a body's annual report.

The report is read by whoever sees the body (404 otherwise). The world's public body
holds, last year, a held meeting, a decision and a commitment at every level; its
PDF is text-searched for them, so every reader finds exactly the levels they see,
in the lists and in the counts made of them.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from .cases_bodies import _body
from .cases_meetings_events import _pdf_text
from .matrix import LEVELS, Case, register

PUBLIC = "public"


def _last_year() -> int:
    return timezone.localdate().year - 1


def _at(month: int) -> datetime.datetime:
    return datetime.datetime(_last_year(), month, 15, 10, tzinfo=timezone.get_current_timezone())


def _report_year(world, level):
    return {"slug": _body(world, level).slug, "year": _last_year()}


def _report_contents(world, level):
    """The world's public body with last year's meetings, decisions and commitments at
    every level."""
    from bodies import services as body_services
    from meetings import services
    from meetings.models import MeetingStatus
    from tests.factories import OrganisationFactory
    from tests.meetings.factories import MeetingFactory

    def build(w, lv):
        public = MeetingFactory(
            body=w.body,
            title="Jahressitzung",
            start=_at(3),
            end=_at(3) + datetime.timedelta(hours=2),
            status=MeetingStatus.HELD,
            visibility=PUBLIC,
        )
        organisation = OrganisationFactory(name="Zusagende Organisation")
        for index, entry_level in enumerate(LEVELS):
            start = _at(4 + index)
            MeetingFactory(
                body=w.body,
                title=f"Sitzung {w.marker('armeeting', entry_level)}",
                start=start,
                end=start + datetime.timedelta(hours=2),
                status=MeetingStatus.HELD,
                visibility=entry_level,
            )
            body_services.record_decision(
                body=w.body,
                title=f"Beschluss {w.marker('ardecision', entry_level)}",
                decided_on=start.date(),
                visibility=entry_level,
            )
            services.add_commitment(
                meeting=public,
                organisation=organisation,
                what=f"Zusage {w.marker('arpromise', entry_level)}",
                visibility=entry_level,
            )

    world.get("annualreport", None, build)
    return {"slug": world.body.slug, "year": _last_year()}


def _report_markers(world):
    _report_contents(world, None)
    return {
        level: [world.marker(kind, level) for kind in ("armeeting", "ardecision", "arpromise")]
        for level in LEVELS
    }


register(
    Case(
        "documents:annual_report",
        build=_report_year,
        levels=tuple(lv for lv in LEVELS if lv != PUBLIC),
        text=_pdf_text,
    ),
    Case(
        "documents:annual_report",
        build=_report_contents,
        levels=(PUBLIC,),
        markers=_report_markers,
        text=_pdf_text,
    ),
)
