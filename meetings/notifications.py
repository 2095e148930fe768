"""Who gets which mail about meetings, and with what in it.

Every function here runs inside the caller's transaction and only writes outbox
rows (aks.mail); the rows' unique (kind, key, recipient) makes each of them safe to
call again — a scan that runs twice, or a retried task, queues nothing new."""

import datetime

from django.conf import settings
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from aks.mail.models import MailKind
from aks.mail.services import Attachment, queue_mail, wants_mail
from bodies.access import can_view
from bodies.models import Membership, Person

from .models import (
    OPEN_ACTION_STATUSES,
    OPEN_COMMITMENT_STATUSES,
    ActionItem,
    Attendance,
    AttendanceStatus,
    Commitment,
    Meeting,
    MeetingStatus,
    Minutes,
)

# Attendees who still expect the meeting: those who declined or were excused get no
# reminder, but do hear of a cancellation.
_EXPECTING = (AttendanceStatus.INVITED, AttendanceStatus.ACCEPTED)


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _render(template: str, context: dict) -> tuple[str, str]:
    # Mail is written in the platform's language, whatever the sender's browser said.
    with translation.override(settings.LANGUAGE_CODE):
        context = {"site_url": settings.SITE_URL, **context}
        text = render_to_string(f"meetings/mail/{template}.txt", context)
        html = render_to_string(f"meetings/mail/{template}.html", context)
    return text, html


def _subject(text: str) -> str:
    return " ".join(text.split())[:300]


def _invitees(meeting: Meeting, statuses=None) -> list[Person]:
    rows = Attendance.objects.filter(meeting=meeting, person__user__isnull=False)
    if statuses is not None:
        rows = rows.filter(status__in=statuses)
    return [row.person for row in rows.select_related("person__user")]


def _readers(subject, persons, kind: str):
    """Users among ``persons`` who want ``kind`` mail and may see ``subject`` (the
    meeting, or the minutes, which can be more restricted than their meeting)."""
    for person in persons:
        user = person.user
        if wants_mail(user, kind) and can_view(user, subject):
            yield user


def invite(*, meeting: Meeting) -> int:
    """Invite the body's current members, the meeting's standing participants (and
    whoever was invited by hand) and send each of them the invitation with the meeting
    as an .ics attachment; those who may not see the meeting get no mail about it."""
    from .calendar import invitation_ics

    members = Person.objects.filter(
        Q(
            pk__in=Membership.objects.active(timezone.localdate(meeting.start))
            .filter(body_id=meeting.body_id)
            .values("person_id")
        )
        | Q(pk__in=meeting.participants.values("pk"))
    ).exclude(attendances__meeting=meeting)
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, person=person) for person in members],
        ignore_conflicts=True,
    )
    with translation.override(settings.LANGUAGE_CODE):
        subject = _subject(
            _("Invitation: %(title)s on %(date)s")
            % {"title": meeting.title, "date": _date(meeting.start)}
        )
    sent = 0
    for user in _readers(meeting, _invitees(meeting), MailKind.INVITATION):
        sent += _meeting_mail(
            kind=MailKind.INVITATION,
            key=f"meeting-{meeting.pk}-{meeting.start.isoformat()}",
            user=user,
            meeting=meeting,
            template="invitation",
            subject=subject,
            calendar=("einladung.ics", invitation_ics),
        )
    return sent


def cancel(*, meeting: Meeting) -> int:
    """Tell everyone invited that the meeting will not take place."""
    from .calendar import cancellation_ics

    with translation.override(settings.LANGUAGE_CODE):
        subject = _subject(
            _("Cancelled: %(title)s on %(date)s")
            % {"title": meeting.title, "date": _date(meeting.start)}
        )
    sent = 0
    for user in _readers(meeting, _invitees(meeting), MailKind.INVITATION):
        sent += _meeting_mail(
            kind=MailKind.INVITATION,
            key=f"meeting-{meeting.pk}-cancelled",
            user=user,
            meeting=meeting,
            template="cancellation",
            subject=subject,
            calendar=("absage.ics", cancellation_ics),
        )
    return sent


def minutes_circulated(*, minutes: Minutes) -> int:
    """Send the circulated minutes round to those who took part (or, before the
    attendance is recorded, to everyone invited) for their corrections."""
    meeting = minutes.meeting
    attended = _invitees(meeting, (AttendanceStatus.ATTENDED,))
    persons = attended or _invitees(meeting, _EXPECTING)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _subject(_("Minutes for review: %(title)s") % {"title": meeting.title})
    sent = 0
    for user in _readers(minutes, persons, MailKind.MINUTES):
        sent += _meeting_mail(
            kind=MailKind.MINUTES,
            key=f"minutes-{minutes.pk}",
            user=user,
            meeting=meeting,
            template="minutes",
            subject=subject,
            url=_absolute(minutes_path(meeting)),
        )
    return sent


def minutes_path(meeting: Meeting) -> str:
    from django.urls import reverse

    return reverse("meetings:minutes", kwargs={"pk": meeting.pk})


def scan_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind the invited of meetings that start within MEETINGS_REMINDER_DAYS.

    The key holds the start time, so a meeting moved to another day reminds again;
    cancelled meetings (also those of an ended series) are never reminded of."""
    now = now or timezone.now()
    horizon = now + datetime.timedelta(days=settings.MEETINGS_REMINDER_DAYS)
    meetings = Meeting.objects.filter(
        status=MeetingStatus.INVITED, start__gt=now, start__lte=horizon
    ).select_related("body", "space")
    sent = 0
    for meeting in meetings:
        with translation.override(settings.LANGUAGE_CODE):
            subject = _subject(
                _("Reminder: %(title)s on %(date)s")
                % {"title": meeting.title, "date": _date(meeting.start)}
            )
        for user in _readers(meeting, _invitees(meeting, _EXPECTING), MailKind.REMINDER):
            sent += _meeting_mail(
                kind=MailKind.REMINDER,
                key=f"meeting-{meeting.pk}-{meeting.start.isoformat()}",
                user=user,
                meeting=meeting,
                template="reminder",
                subject=subject,
            )
    return sent


def scan_due(*, today: datetime.date | None = None) -> int:
    """One mail per open action item or commitment whose due date has come, to the
    person responsible; a new due date makes it due (and mailed) again."""
    today = today or timezone.localdate()
    sent = 0
    items = ActionItem.objects.filter(
        status__in=OPEN_ACTION_STATUSES, due__lte=today, assignee_person__user__isnull=False
    ).select_related("assignee_person__user", "meeting__body")
    for item in items:
        sent += _due_mail(
            user=item.assignee_person.user,
            key=f"action-item-{item.pk}-{item.due.isoformat()}",
            obj=item,
            what=item.title,
            meeting=item.meeting,
        )
    commitments = Commitment.objects.filter(
        status__in=OPEN_COMMITMENT_STATUSES, due__lte=today, person__user__isnull=False
    ).select_related("person__user", "meeting__body")
    for commitment in commitments:
        sent += _due_mail(
            user=commitment.person.user,
            key=f"commitment-{commitment.pk}-{commitment.due.isoformat()}",
            obj=commitment,
            what=commitment.what,
            meeting=commitment.meeting,
        )
    return sent


def _due_mail(*, user, key: str, obj, what: str, meeting: Meeting) -> bool:
    if not wants_mail(user, MailKind.DUE) or not can_view(user, obj):
        return False
    with translation.override(settings.LANGUAGE_CODE):
        subject = _subject(_("Due: %(what)s") % {"what": what[:120]})
    return _meeting_mail(
        kind=MailKind.DUE,
        key=key,
        user=user,
        meeting=meeting,
        template="due",
        subject=subject,
        extra={"what": what, "due": obj.due},
    )


def _meeting_mail(
    *,
    kind: str,
    key: str,
    user,
    meeting: Meeting,
    template: str,
    subject: str,
    url: str | None = None,
    calendar=None,
    extra: dict | None = None,
) -> bool:
    """Queue one mail about ``meeting``, written for ``user``: the meeting's space is
    named only if they may see it, in the text and in the calendar file alike."""
    space_visible = meeting.space_id is not None and can_view(user, meeting.space)
    text, html = _render(
        template,
        {
            "meeting": meeting,
            "space": meeting.space if space_visible else None,
            "url": url or _meeting_url(meeting),
            **(extra or {}),
        },
    )
    attachment = None
    if calendar is not None:
        filename, build = calendar
        attachment = Attachment(filename, "text/calendar", build(meeting=meeting, reader=user))
    return bool(
        queue_mail(
            kind=kind,
            key=key,
            user=user,
            subject=subject,
            body_text=text,
            body_html=html,
            attachment=attachment,
        )
    )


def _meeting_url(meeting: Meeting) -> str:
    return _absolute(meeting.get_absolute_url())


def _date(moment: datetime.datetime) -> str:
    from django.utils.formats import date_format

    return date_format(timezone.localtime(moment), "DATETIME_FORMAT")
