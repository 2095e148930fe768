"""Standing participants of series and meetings (the councillor at the AKS team's
Jour-Fixe): what they see, the mail they get, the lists and feeds they are on, and the
pages that edit them."""

import datetime

import icalendar
import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aks.accounts import roles
from aks.mail.models import MailKind, OutboxMessage
from bodies.access import Visibility
from meetings import calendar, services
from meetings.models import (
    AgendaItem,
    AgendaReview,
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MeetingStatus,
    Recurrence,
    Weekday,
)
from tests.factories import BodyFactory, MembershipFactory, PersonFactory, UserFactory
from tests.html import assert_valid_html
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _publish_at_once(monkeypatch, eager_tasks):
    # The test runs in one transaction that never commits; publish mails at once.
    monkeypatch.setattr("aks.mail.services.transaction.on_commit", lambda func, **kw: func())


def _person(user):
    return PersonFactory(user=user, name=str(user))


def _jour_fixe_series(*, visibility=Visibility.TEAM, participants=(), body=None):
    """A monthly Jour-Fixe of the AKS team that began two months ago."""
    series, _meetings = services.create_series(
        body=body or BodyFactory(name="AKS-Team", visibility=Visibility.PUBLIC),
        title="Jour-Fixe",
        kind=MeetingKind.JOUR_FIXE,
        recurrence=Recurrence.MONTHLY,
        week_of_month=1,
        weekday=Weekday.THURSDAY,
        start_time=datetime.time(10),
        duration=datetime.timedelta(hours=2),
        starts_on=timezone.localdate() - datetime.timedelta(days=70),
        visibility=visibility,
        participants=participants,
    )
    return series


def _ahead(series):
    return series.meetings.filter(start__gte=timezone.now()).order_by("start")


def _past(series):
    return series.meetings.filter(start__lt=timezone.now()).order_by("start")


def _mails(user, kind=MailKind.INVITATION):
    return OutboxMessage.objects.filter(recipient=user.email, kind=kind)


# --- The series passes its participants on --------------------------------------------


def test_it_gives_every_generated_meeting_the_series_participants_on_its_attendance_list():
    councillor = _person(UserFactory(roles=[roles.COUNCILLOR]))
    series = _jour_fixe_series(participants=[councillor])
    meetings = list(series.meetings.all())
    assert len(meetings) >= 12
    for meeting in meetings:
        assert list(meeting.participants.all()) == [councillor]
        attendance = Attendance.objects.get(meeting=meeting, person=councillor)
        assert attendance.status == AttendanceStatus.INVITED


def test_it_adds_a_new_series_participant_to_the_meetings_ahead_only():
    series = _jour_fixe_series()
    councillor = _person(UserFactory(roles=[roles.COUNCILLOR]))
    changed = services.set_series_participants(series=series, participants=[councillor])
    assert changed == _ahead(series).count() > 0
    assert all(councillor in m.participants.all() for m in _ahead(series))
    assert not any(councillor in m.participants.all() for m in _past(series))
    assert not Attendance.objects.filter(meeting__in=_past(series), person=councillor).exists()


def test_it_keeps_the_meetings_own_participants_when_the_series_changes():
    series = _jour_fixe_series()
    guest = PersonFactory(name="Gast einer Sitzung")
    first = _ahead(series).first()
    services.set_meeting_participants(meeting=first, participants=[guest])
    councillor = _person(UserFactory(roles=[roles.COUNCILLOR]))
    services.set_series_participants(series=series, participants=[councillor])
    assert set(first.participants.all()) == {guest, councillor}
    services.set_series_participants(series=series, participants=[])
    assert list(first.participants.all()) == [guest]


def test_it_takes_a_removed_participant_off_the_planned_meetings_attendance_list():
    councillor = _person(UserFactory(roles=[roles.COUNCILLOR]))
    series = _jour_fixe_series(participants=[councillor])
    services.set_series_participants(series=series, participants=[])
    assert not series.participants.exists()
    for meeting in _ahead(series):
        assert not meeting.participants.exists()
        assert not Attendance.objects.filter(meeting=meeting, person=councillor).exists()
    # Meetings already held keep who belonged to them.
    assert all(councillor in m.participants.all() for m in _past(series))


def test_it_leaves_a_held_meeting_off_the_attendance_list_when_participants_change():
    meeting = MeetingFactory(status=MeetingStatus.HELD)
    guest = PersonFactory()
    services.set_meeting_participants(meeting=meeting, participants=[guest])
    assert list(meeting.participants.all()) == [guest]
    assert not Attendance.objects.filter(meeting=meeting).exists()


# --- What participants see (the access kernel) -----------------------------------------


def test_a_participant_sees_a_members_meeting_of_a_body_they_do_not_belong_to():
    user = UserFactory(roles=[roles.ASSOCIATION_MEMBER])
    person = _person(user)
    meeting = MeetingFactory(visibility=Visibility.MEMBERS, title="Nur Mitglieder")
    members_item = services.add_agenda_item(
        meeting=meeting, title="TOP Mitglieder", visibility=Visibility.MEMBERS
    )
    team_item = services.add_agenda_item(
        meeting=meeting, title="TOP Team", visibility=Visibility.TEAM
    )
    other = MeetingFactory(body=meeting.body, visibility=Visibility.MEMBERS)
    assert not user.has_perm("meetings.view_meeting", meeting)

    services.set_meeting_participants(meeting=meeting, participants=[person])

    assert list(Meeting.objects.visible_to(user).filter(body=meeting.body)) == [meeting]
    assert user.has_perm("meetings.view_meeting", meeting)
    assert not user.has_perm("meetings.view_meeting", other)
    assert not user.has_perm("meetings.change_meeting", meeting)
    assert list(AgendaItem.objects.visible_to(user).filter(meeting=meeting)) == [members_item]
    assert team_item not in AgendaItem.objects.visible_to(user)


def test_a_series_participant_sees_a_members_series():
    user = UserFactory()
    person = _person(user)
    series = _jour_fixe_series(visibility=Visibility.MEMBERS)
    assert not user.has_perm("meetings.view_meetingseries", series)
    services.set_series_participants(series=series, participants=[person])
    assert user.has_perm("meetings.view_meetingseries", series)
    assert _ahead(series).first() in Meeting.objects.visible_to(user)


def test_participation_is_no_grant_for_the_team_levels_or_a_hidden_body():
    user = UserFactory()
    person = _person(user)
    team = MeetingFactory(visibility=Visibility.TEAM)
    hidden_body = MeetingFactory(
        body=BodyFactory(visibility=Visibility.TEAM), visibility=Visibility.MEMBERS
    )
    for meeting in (team, hidden_body):
        services.set_meeting_participants(meeting=meeting, participants=[person])
        assert not user.has_perm("meetings.view_meeting", meeting)
    assert not Meeting.objects.visible_to(AnonymousUser()).filter(pk=team.pk).exists()


# --- Mail -----------------------------------------------------------------------------


def test_the_councillor_gets_the_invitation_when_the_jour_fixe_is_set_to_invited():
    body = BodyFactory(name="AKS-Team")
    staff = UserFactory(roles=[roles.V_INTERN])
    MembershipFactory(person=_person(staff), body=body)
    councillor = UserFactory(roles=[roles.COUNCILLOR])
    series = _jour_fixe_series(body=body, participants=[_person(councillor)])
    meeting = _ahead(series).first()

    services.change_meeting_status(meeting=meeting, status=MeetingStatus.INVITED)

    assert _mails(staff).count() == 1
    invitation = _mails(councillor).get()
    assert invitation.subject.startswith("Einladung: Jour-Fixe")
    services.change_meeting_status(meeting=meeting, status=MeetingStatus.CANCELLED)
    assert _mails(councillor).filter(subject__startswith="Abgesagt").count() == 1


def test_a_participant_added_after_the_invitations_gets_theirs_once():
    meeting = MeetingFactory(visibility=Visibility.MEMBERS)
    services.change_meeting_status(meeting=meeting, status=MeetingStatus.INVITED)
    late = UserFactory()
    services.set_meeting_participants(meeting=meeting, participants=[_person(late)])
    again = list(meeting.participants.all())
    services.set_meeting_participants(meeting=meeting, participants=again)
    assert _mails(late).count() == 1


def test_a_participant_who_may_not_see_the_meeting_gets_no_mail_about_it():
    meeting = MeetingFactory(visibility=Visibility.ADMIN_INTERNAL)
    outsider = UserFactory(roles=[roles.V_EXTERN])
    services.set_meeting_participants(meeting=meeting, participants=[_person(outsider)])
    services.change_meeting_status(meeting=meeting, status=MeetingStatus.INVITED)
    assert not _mails(outsider).exists()


def test_the_minutes_round_reaches_a_participant_who_attended():
    meeting = MeetingFactory(visibility=Visibility.MEMBERS)
    user = UserFactory()
    person = _person(user)
    services.set_meeting_participants(meeting=meeting, participants=[person])
    services.change_meeting_status(meeting=meeting, status=MeetingStatus.INVITED)
    row = Attendance.objects.get(meeting=meeting, person=person)
    services.record_attendance(meeting=meeting, statuses={row.pk: AttendanceStatus.ATTENDED})
    minutes = services.minutes_for(meeting)
    minutes.visibility = Visibility.MEMBERS
    minutes.save()
    services.add_entry(minutes=minutes, section="discussion", text="Aussprache")
    services.circulate_minutes(minutes=minutes)
    assert _mails(user, MailKind.MINUTES).count() == 1


# --- Feeds ----------------------------------------------------------------------------


def _summaries(response) -> list[str]:
    assert response.status_code == 200
    parsed = icalendar.Calendar.from_ical(response.content)
    return [str(event["SUMMARY"]) for event in parsed.walk("VEVENT")]


def test_the_councillors_personal_feed_holds_the_jour_fixe_she_takes_part_in(client):
    councillor = UserFactory(roles=[roles.COUNCILLOR])
    series = _jour_fixe_series(participants=[_person(councillor)])
    MeetingFactory(title="Fremde Sitzung", visibility=Visibility.TEAM)
    token = calendar.ensure_calendar_token(user=councillor).token
    summaries = _summaries(client.get(reverse("meetings:calendar_personal", args=[token])))
    in_window = calendar.series_feed_meetings(series=series, user=councillor).count()
    assert summaries == ["Jour-Fixe"] * in_window
    assert in_window > 0


def test_the_series_feed_reaches_her_calendar_program_through_her_token_only(make_user):
    councillor = make_user(roles.COUNCILLOR)
    series = _jour_fixe_series(participants=[_person(councillor)])
    public = reverse("meetings:calendar_series", args=[series.pk])
    token = calendar.ensure_calendar_token(user=councillor).token
    personal = reverse("meetings:calendar_personal_series", args=[token, series.pk])
    anonymous, signed_in = Client(), Client()
    signed_in.force_login(councillor)
    assert anonymous.get(public).status_code == 404
    assert signed_in.get(public).status_code == 404
    assert "Jour-Fixe" in _summaries(anonymous.get(personal))
    # Someone else's session does not change whose view the token gives.
    other = Client()
    other.force_login(make_user())
    assert _summaries(other.get(personal)) == _summaries(anonymous.get(personal))


# --- Pages ----------------------------------------------------------------------------


def _series_url(series):
    return reverse("meetings:series_detail", args=[series.pk])


def test_staff_set_the_participants_of_a_series_on_its_page(client, make_user):
    series = _jour_fixe_series()
    councillor = _person(make_user(roles.COUNCILLOR))
    client.force_login(make_user(roles.V_INTERN))
    page = client.get(_series_url(series))
    assert_valid_html(page)
    assert "Ständige Teilnehmende" in page.content.decode()
    response = client.post(
        reverse("meetings:series_participants", args=[series.pk]),
        {"participants": [councillor.pk]},
        follow=True,
    )
    assert_valid_html(response)
    assert list(series.participants.all()) == [councillor]
    assert "kommende Sitzungen wurden angepasst" in response.content.decode()
    assert all(councillor in m.participants.all() for m in _ahead(series))


def test_it_refuses_an_unknown_participant_in_german(client, make_user):
    series = _jour_fixe_series()
    client.force_login(make_user(roles.V_EXTERN))
    response = client.post(
        reverse("meetings:series_participants", args=[series.pk]), {"participants": ["999999"]}
    )
    assert response.status_code == 400
    assert_valid_html(response)
    assert "ist keine gültige Auswahl" in response.content.decode()
    assert not series.participants.exists()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("anonymous", "login"),
        ("association_member", 404),
        ("body_member", 403),
        ("councillor", 403),
        ("v_extern", 302),
    ],
)
def test_only_who_plans_the_body_edits_series_participants(client, persona, name, expected):
    body = BodyFactory()
    series = _jour_fixe_series(body=body, visibility=Visibility.MEMBERS)
    user = persona(name, body=body)
    if user is not None:
        client.force_login(user)
    response = client.post(
        reverse("meetings:series_participants", args=[series.pk]), {"participants": []}
    )
    if expected == "login":
        assert response.status_code == 302 and "anmelden" in response["Location"]
    else:
        assert response.status_code == expected


def test_staff_plan_a_meeting_with_participants_and_change_them(client, make_user):
    body = BodyFactory()
    guest, councillor = PersonFactory(name="Gast"), _person(make_user(roles.COUNCILLOR))
    client.force_login(make_user(roles.V_INTERN))
    start = timezone.localtime() + datetime.timedelta(days=10)
    response = client.post(
        reverse("meetings:meeting_create"),
        {
            "body": body.pk,
            "title": "Sondersitzung",
            "kind": MeetingKind.JOUR_FIXE,
            "start": start.strftime("%Y-%m-%dT%H:%M"),
            "end": (start + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "visibility": Visibility.MEMBERS,
            "participants": [guest.pk, councillor.pk],
        },
    )
    meeting = Meeting.objects.get(title="Sondersitzung")
    assert response.status_code == 302
    assert set(meeting.participants.all()) == {guest, councillor}
    assert Attendance.objects.filter(meeting=meeting).count() == 2
    edit = client.get(reverse("meetings:meeting_edit", args=[meeting.pk]))
    assert_valid_html(edit)
    assert f'<option value="{guest.pk}" selected>' in edit.content.decode()
    data = {
        "title": "Sondersitzung",
        "kind": MeetingKind.JOUR_FIXE,
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "end": (start + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "visibility": Visibility.MEMBERS,
        "participants": [councillor.pk],
    }
    assert client.post(reverse("meetings:meeting_edit", args=[meeting.pk]), data).status_code == 302
    assert list(meeting.participants.all()) == [councillor]
    attendance = client.get(reverse("meetings:attendance", args=[meeting.pk]))
    assert councillor.name in attendance.content.decode()


def test_staff_create_a_series_with_its_participants(client, make_user):
    councillor = _person(make_user(roles.COUNCILLOR))
    body = BodyFactory()
    client.force_login(make_user(roles.V_EXTERN))
    starts_on = timezone.localdate() + datetime.timedelta(days=3)
    response = client.post(
        reverse("meetings:series_create"),
        {
            "body": body.pk,
            "title": "Jour-Fixe neu",
            "kind": MeetingKind.JOUR_FIXE,
            "recurrence": "monthly",
            "weekday": "3",
            "week_of_month": "1",
            "start_time": "10:00",
            "duration_minutes": "90",
            "starts_on": starts_on.isoformat(),
            "until": (starts_on + datetime.timedelta(days=100)).isoformat(),
            "visibility": Visibility.TEAM,
            "participants": [councillor.pk],
        },
    )
    assert response.status_code == 302
    series = MeetingSeries.objects.get(title="Jour-Fixe neu")
    assert list(series.participants.all()) == [councillor]
    assert all(councillor in m.participants.all() for m in series.meetings.all())


def test_staff_read_the_councillors_review_on_the_meeting_page(client, make_user):
    councillor = make_user(roles.COUNCILLOR, display_name="Dr. Hanne Lindqvist")
    body = BodyFactory()
    member = make_user()
    MembershipFactory(person=_person(member), body=body)
    meeting = MeetingFactory(body=body, kind=MeetingKind.JOUR_FIXE)
    AgendaReview.objects.create(
        meeting=meeting, reviewer=councillor, reviewed=False, comment="Bitte TOP 2 zuerst."
    )
    url = reverse("meetings:detail", args=[meeting.pk])
    client.force_login(make_user(roles.V_INTERN))
    response = client.get(url)
    assert_valid_html(response)
    content = response.content.decode()
    assert "Kommentar von Dr. Hanne Lindqvist" in content
    assert "Bitte TOP 2 zuerst." in content
    # A member who does not prepare the meeting does not read it there.
    client.force_login(member)
    assert "Bitte TOP 2 zuerst." not in client.get(url).content.decode()


def test_the_councillor_finds_her_jour_fixe_on_her_dashboard(client, make_user):
    councillor = make_user(roles.COUNCILLOR)
    series = _jour_fixe_series(participants=[_person(councillor)])
    MeetingFactory(
        title="Andere Sitzung",
        visibility=Visibility.TEAM,
        start=timezone.now() + datetime.timedelta(hours=1),
    )
    client.force_login(councillor)
    response = client.get(reverse("portal:dashboard"))
    assert_valid_html(response)
    content = response.content.decode()
    mine = content.split('id="my-meetings-heading"')[1].split("</section>")[0]
    assert "Jour-Fixe" in mine
    assert "Andere Sitzung" not in mine
    assert response.context["jour_fixe"] == _ahead(series).first()


def test_the_series_page_offers_signed_in_readers_their_personal_feed(client, make_user):
    series = _jour_fixe_series()
    user = make_user(roles.COUNCILLOR)
    client.force_login(user)
    content = client.get(_series_url(series)).content.decode()
    # No personal address yet: the page leads to where it is created.
    assert reverse("meetings:calendar_page") + "#personal" in content
    assert reverse("meetings:calendar_series", args=[series.pk]) not in content
    token = calendar.ensure_calendar_token(user=user).token
    response = client.get(_series_url(series))
    assert_valid_html(response)
    content = response.content.decode()
    assert reverse("meetings:calendar_personal_series", args=[token, series.pk]) in content


def test_the_public_series_page_offers_anonymous_visitors_the_public_feed(client):
    series = _jour_fixe_series(visibility=Visibility.PUBLIC)
    response = client.get(_series_url(series))
    assert_valid_html(response)
    content = response.content.decode()
    assert reverse("meetings:calendar_series", args=[series.pk]) in content
    assert "#personal" not in content


# --- Query counts ---------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 60])
def test_the_participant_pages_do_not_grow_in_queries(
    client, make_user, django_assert_max_num_queries, size
):
    people = PersonFactory.create_batch(size)
    series = _jour_fixe_series(participants=people[: size // 3])
    meeting = _ahead(series).first()
    for index in range(size // 3):
        AgendaReview.objects.create(
            meeting=meeting, reviewer=UserFactory(), reviewed=bool(index % 2), comment="Gut."
        )
    staff = make_user(roles.V_INTERN)
    calendar.ensure_calendar_token(user=staff)
    client.force_login(staff)
    with django_assert_max_num_queries(16):
        response = client.get(_series_url(series))
    assert response.status_code == 200
    with django_assert_max_num_queries(30):
        response = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.status_code == 200
    with django_assert_max_num_queries(16):
        response = client.get(reverse("meetings:meeting_edit", args=[meeting.pk]))
    assert response.status_code == 200
