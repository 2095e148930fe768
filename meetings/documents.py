"""The meetings' document kinds: agenda, minutes, a series' recommendations report and
a body's annual report, registered with the pipeline in ``documents``."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bodies.access import can_view
from documents import registry
from documents.registry import DocumentUnavailable
from documents.subjects import ANNUAL_REPORT, BodyYear

from . import annual_report, pdf
from .models import Meeting, MeetingSeries, Minutes

AGENDA = "agenda"
MINUTES = "minutes"
RECOMMENDATIONS = "recommendations"

MEETING_RELATED = ("body", "series", "space", "moderator", "minute_taker")


def _meeting(key: str) -> Meeting | None:
    if not key.isdigit():
        return None
    return Meeting.objects.select_related(*MEETING_RELATED).filter(pk=int(key)).first()


def _series(key: str) -> MeetingSeries | None:
    if not key.isdigit():
        return None
    return MeetingSeries.objects.select_related("body").filter(pk=int(key)).first()


def _visible_minutes(meeting: Meeting, user) -> Minutes | None:
    return (
        Minutes.objects.visible_to(user).select_related("approval").filter(meeting=meeting).first()
    )


def _minutes_source(*, subject: Meeting, user) -> pdf.PdfSource:
    minutes = _visible_minutes(subject, user)
    if minutes is None:
        raise DocumentUnavailable
    minutes.meeting = subject
    return pdf.minutes_source(meeting=subject, minutes=minutes, user=user)


def _back_to_meeting(meeting: Meeting, user) -> tuple[str, str]:
    return meeting.get_absolute_url(), meeting.title


def _back_to_series(series: MeetingSeries, user) -> tuple[str, str]:
    first = series.meetings.visible_to(user).order_by("start").first()
    if first is None:
        return reverse("meetings:list"), str(_("Meetings"))
    return first.get_absolute_url(), series.title


def _pk(subject) -> str:
    return str(subject.pk)


def _body_id(subject) -> int:
    return subject.body_id


AGENDA_KIND = registry.DocumentKind(
    name=AGENDA,
    label=_("Agenda"),
    subject_key=_pk,
    find_subject=_meeting,
    may_read=lambda user, meeting: can_view(user, meeting),
    body_id=_body_id,
    build=lambda *, subject, user: pdf.agenda_source(meeting=subject, user=user),
    back=_back_to_meeting,
)

MINUTES_KIND = registry.DocumentKind(
    name=MINUTES,
    label=_("Minutes"),
    subject_key=_pk,
    find_subject=_meeting,
    may_read=lambda user, meeting: can_view(user, meeting),
    body_id=_body_id,
    build=_minutes_source,
    back=_back_to_meeting,
)

RECOMMENDATIONS_KIND = registry.DocumentKind(
    name=RECOMMENDATIONS,
    label=_("Recommendations report"),
    subject_key=_pk,
    find_subject=_series,
    may_read=lambda user, series: can_view(user, series),
    body_id=_body_id,
    build=lambda *, subject, user: pdf.recommendations_source(series=subject, user=user),
    back=_back_to_series,
)

ANNUAL_REPORT_KIND = registry.DocumentKind(
    name=ANNUAL_REPORT,
    label=_("Annual report"),
    subject_key=lambda subject: subject.key,
    find_subject=BodyYear.find,
    may_read=lambda user, subject: user.has_perm("bodies.view_body", subject.body),
    body_id=lambda subject: subject.body.pk,
    build=lambda *, subject, user: annual_report.annual_report_source(
        body=subject.body, year=subject.year, user=user
    ),
    back=lambda subject, user: (subject.body.get_absolute_url(), subject.body.name),
)


def register_kinds() -> None:
    for kind in (AGENDA_KIND, MINUTES_KIND, RECOMMENDATIONS_KIND, ANNUAL_REPORT_KIND):
        registry.register(kind)
