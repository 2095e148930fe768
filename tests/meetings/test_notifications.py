"""Mail about meetings: who gets what, once, and only what they may see."""

import datetime

import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from aks.accounts import roles
from aks.mail.models import MailKind, OutboxMessage
from bodies.access import Visibility
from meetings import notifications, services
from meetings.models import (
    ActionItem,
    Attendance,
    AttendanceStatus,
    Commitment,
    MeetingSeries,
    MeetingStatus,
    MinuteSection,
    Recurrence,
)
from tests.factories import (
    XSS,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _publish_at_once(monkeypatch, eager_tasks):
    # The test runs in one transaction that never commits; publish mails at once.
    monkeypatch.setattr("aks.mail.services.transaction.on_commit", lambda func, **kw: func())


def member(meeting, **user_kwargs):
    user = UserFactory(**user_kwargs)
    MembershipFactory(person=PersonFactory(user=user), body=meeting.body)
    return user


def mails_to(user, kind=None):
    rows = OutboxMessage.objects.filter(recipient=user.email)
    if kind:
        rows = rows.filter(kind=kind)
    return rows


def test_inviting_a_meeting_invites_the_members_with_a_calendar_file():
    meeting = MeetingFactory(place="Rathaus Kreuzberg")
    alice, bob = member(meeting), member(meeting)
    services.change_meeting_status(meeting=meeting, status=MeetingStatus.INVITED)

    assert Attendance.objects.filter(meeting=meeting, status=AttendanceStatus.INVITED).count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([alice.email, bob.email])
    invitation = mail.outbox[0]
    assert invitation.subject.startswith("Einladung: ")
    assert "Rathaus Kreuzberg" in invitation.body
    # the title is text in the plain part and escaped in the HTML part
    assert XSS in invitation.body
    html = invitation.alternatives[0][0]
    assert XSS not in html and "&lt;script&gt;" in html
    name, content, mimetype = invitation.attachments[0]
    assert (name, mimetype) == ("einladung.ics", "text/calendar")
    calendar = icalendar.Calendar.from_ical(content)
    assert calendar["METHOD"] == "REQUEST"
    assert len(calendar.walk("VEVENT")) == 1


def test_inviting_twice_does_not_mail_twice():
    meeting = MeetingFactory()
    member(meeting)
    services.change_meeting_status(meeting=meeting, status=MeetingStatus.INVITED)
    notifications.invite(meeting=meeting)
    assert len(mail.outbox) == 1


def test_nobody_is_mailed_about_a_meeting_they_may_not_see():
    meeting = MeetingFactory(visibility=Visibility.ADMIN_INTERNAL)
    outsider = UserFactory(roles=[roles.V_EXTERN])
    Attendance.objects.create(meeting=meeting, person=PersonFactory(user=outsider))
    insider = UserFactory(roles=[roles.V_INTERN])
    Attendance.objects.create(meeting=meeting, person=PersonFactory(user=insider))
    services.change_meeting_status(meeting=meeting, status=MeetingStatus.INVITED)
    assert [m.to[0] for m in mail.outbox] == [insider.email]


def test_cancelling_an_invited_meeting_tells_the_invited():
    meeting = MeetingFactory()
    alice = member(meeting)
    services.change_meeting_status(meeting=meeting, status=MeetingStatus.INVITED)
    services.change_meeting_status(meeting=meeting, status=MeetingStatus.CANCELLED)
    cancellation = mail.outbox[-1]
    assert cancellation.to == [alice.email]
    assert cancellation.subject.startswith("Abgesagt: ")
    calendar = icalendar.Calendar.from_ical(cancellation.attachments[0][1])
    assert calendar["METHOD"] == "CANCEL"


def test_reminders_go_out_once_although_the_scan_runs_twice(settings):
    settings.MEETINGS_REMINDER_DAYS = 2
    soon = MeetingFactory(start=timezone.now() + datetime.timedelta(days=1))
    later = MeetingFactory(start=timezone.now() + datetime.timedelta(days=10))
    alice, bob = member(soon), member(later)
    for meeting in (soon, later):
        services.change_meeting_status(meeting=meeting, status=MeetingStatus.INVITED)
    mail.outbox.clear()

    assert notifications.scan_reminders() == 1
    assert notifications.scan_reminders() == 0
    assert [m.to[0] for m in mail.outbox] == [alice.email]
    assert mail.outbox[0].subject.startswith("Erinnerung: ")
    assert not mails_to(bob, MailKind.REMINDER).exists()


def test_no_reminder_for_those_who_declined_or_turned_reminders_off():
    meeting = MeetingFactory(start=timezone.now() + datetime.timedelta(hours=20))
    declined, quiet = member(meeting), member(meeting, mail_reminder=False)
    services.change_meeting_status(meeting=meeting, status=MeetingStatus.INVITED)
    Attendance.objects.filter(person__user=declined).update(status=AttendanceStatus.DECLINED)
    assert notifications.scan_reminders() == 0
    assert not mails_to(quiet, MailKind.REMINDER).exists()


def test_ending_a_series_stops_its_reminders():
    start = timezone.localtime() + datetime.timedelta(days=1)
    series = MeetingSeries.objects.create(
        body=MeetingFactory().body,
        title="Team",
        kind="team",
        recurrence=Recurrence.WEEKLY,
        weekday=start.weekday(),
        start_time=datetime.time(10, 0),
        starts_on=timezone.localdate() - datetime.timedelta(days=7),
    )
    meetings = services.generate_meetings(
        series=series, until=timezone.localdate() + datetime.timedelta(days=20)
    )
    upcoming = [m for m in meetings if m.start > timezone.now()][0]
    alice = member(upcoming)
    services.change_meeting_status(meeting=upcoming, status=MeetingStatus.INVITED)
    services.end_series(series=series, on=timezone.localdate() - datetime.timedelta(days=1))
    assert mails_to(alice, MailKind.INVITATION).count() == 2  # invitation, then cancellation
    assert notifications.scan_reminders(now=upcoming.start - datetime.timedelta(hours=1)) == 0


def test_circulating_minutes_mails_those_who_attended():
    meeting = MeetingFactory(status=MeetingStatus.HELD)
    came, stayed_away = member(meeting), member(meeting)
    Attendance.objects.create(meeting=meeting, person=came.person, status=AttendanceStatus.ATTENDED)
    Attendance.objects.create(
        meeting=meeting, person=stayed_away.person, status=AttendanceStatus.EXCUSED
    )
    minutes = services.minutes_for(meeting)
    services.add_entry(minutes=minutes, section=MinuteSection.RESULT, text="Beschlossen.")
    services.circulate_minutes(minutes=minutes)
    assert [m.to[0] for m in mail.outbox] == [came.email]
    assert "/protokoll/" in mail.outbox[0].body


def test_due_action_items_and_commitments_are_mailed_once_per_due_date():
    meeting = MeetingFactory()
    owner = member(meeting)
    today = timezone.localdate()
    item = ActionItem.objects.create(
        meeting=meeting,
        title="Mietvertrag prüfen",
        assignee_person=owner.person,
        due=today,
        visibility=Visibility.MEMBERS,
    )
    Commitment.objects.create(
        meeting=meeting,
        person=owner.person,
        organisation=OrganisationFactory(),
        what="Fläche freigeben",
        due=today,
    )
    ActionItem.objects.create(
        meeting=meeting,
        title="Später",
        assignee_person=owner.person,
        visibility=Visibility.MEMBERS,
        due=today + datetime.timedelta(days=5),
    )
    assert notifications.scan_due() == 2
    assert notifications.scan_due() == 0
    # an item the assignee may not see (team level) is not mailed to them either
    ActionItem.objects.create(
        meeting=meeting, title="Intern", assignee_person=owner.person, due=today
    )
    assert notifications.scan_due() == 0
    item.due = today + datetime.timedelta(days=1)
    item.save()
    assert notifications.scan_due(today=today + datetime.timedelta(days=1)) == 1
    assert {m.subject for m in mail.outbox} >= {"Fällig: Mietvertrag prüfen"}


def test_the_daily_task_keeps_a_running_series_generated_a_year_ahead():
    from meetings.tasks import extend_series

    series = MeetingSeries.objects.create(
        body=MeetingFactory().body,
        title="Team",
        kind="team",
        recurrence=Recurrence.WEEKLY,
        weekday=0,
        start_time=datetime.time(10, 0),
        starts_on=timezone.localdate(),
    )
    created = extend_series.delay().get()
    assert created == series.meetings.count() >= 52
    assert extend_series.delay().get() == 0
    ended = MeetingSeries.objects.create(
        body=series.body,
        title="Vorbei",
        kind="team",
        recurrence=Recurrence.WEEKLY,
        weekday=0,
        start_time=datetime.time(10, 0),
        starts_on=timezone.localdate() - datetime.timedelta(days=400),
        until=timezone.localdate() - datetime.timedelta(days=300),
    )
    assert extend_series.delay().get() == 0
    assert not ended.meetings.exists()
