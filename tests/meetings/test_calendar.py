"""Calendar documents: invitations and feeds, parsed back with icalendar."""

import datetime

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aks.accounts import roles
from bodies.access import Visibility
from bodies.models import Person
from meetings import calendar
from meetings.models import (
    Attendance,
    CalendarToken,
    MeetingStatus,
)
from tests.factories import BodyFactory, PersonFactory
from tests.meetings.factories import MeetingFactory, MeetingSeriesFactory
from tests.personas import PERSONAS, SEES

pytestmark = pytest.mark.django_db


def _parse(data: bytes) -> icalendar.Calendar:
    assert isinstance(data, bytes)
    return icalendar.Calendar.from_ical(data)


def _only_event(parsed: icalendar.Calendar) -> icalendar.Event:
    events = parsed.walk("VEVENT")
    assert len(events) == 1
    return events[0]


def _berlin_meeting(**kwargs):
    start = datetime.datetime(2031, 7, 3, 18, 30, tzinfo=calendar.local_zone())
    return MeetingFactory(start=start, end=start + datetime.timedelta(hours=2), **kwargs)


# --- Invitations ---------------------------------------------------------------------


def test_it_invites_with_method_request_and_one_event():
    meeting = _berlin_meeting(title="Jour-Fixe Juli", place="Rathaus, Raum 3")
    parsed = _parse(calendar.invitation_ics(meeting=meeting))
    assert parsed["METHOD"] == "REQUEST"
    event = _only_event(parsed)
    assert str(event["UID"]) == f"meeting-{meeting.pk}@{calendar.uid_host()}"
    assert str(event["SUMMARY"]) == "Jour-Fixe Juli"
    assert str(event["LOCATION"]) == "Rathaus, Raum 3"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert "DTSTAMP" in event
    assert int(event["SEQUENCE"]) >= 0
    assert str(event["URL"]) == calendar.site_url() + meeting.get_absolute_url()


def test_it_gives_times_in_berlin_with_a_vtimezone():
    meeting = _berlin_meeting()
    data = calendar.invitation_ics(meeting=meeting)
    parsed = _parse(data)
    zones = parsed.walk("VTIMEZONE")
    assert [str(zone["TZID"]) for zone in zones] == ["Europe/Berlin"]
    event = _only_event(parsed)
    assert event["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert event.start == meeting.start
    assert event.start.utcoffset() == datetime.timedelta(hours=2)  # summer time
    assert event.end == meeting.end
    assert b"DTSTART;TZID=Europe/Berlin:20310703T183000" in data
    # The zone comes before the event that uses it.
    assert data.index(b"BEGIN:VTIMEZONE") < data.index(b"BEGIN:VEVENT")


def test_it_keeps_the_uid_stable_and_raises_the_sequence_later():
    meeting = _berlin_meeting()
    first = _only_event(_parse(calendar.invitation_ics(meeting=meeting)))
    later = calendar.invitation_sequence(timezone.now() + datetime.timedelta(hours=1))
    second = _only_event(_parse(calendar.invitation_ics(meeting=meeting, sequence=later)))
    assert first["UID"] == second["UID"]
    assert int(second["SEQUENCE"]) > int(first["SEQUENCE"])


def test_it_takes_uid_host_and_absolute_url_from_the_site_setting(settings):
    settings.SITE_URL = "https://aks.example.org/"
    meeting = _berlin_meeting()
    event = _only_event(_parse(calendar.invitation_ics(meeting=meeting)))
    assert str(event["UID"]) == f"meeting-{meeting.pk}@aks.example.org"
    assert str(event["URL"]) == f"https://aks.example.org/sitzungen/{meeting.pk}/"


def test_it_marks_a_cancelled_meeting_cancelled_in_the_invitation():
    meeting = _berlin_meeting(status=MeetingStatus.CANCELLED)
    event = _only_event(_parse(calendar.invitation_ics(meeting=meeting)))
    assert str(event["STATUS"]) == "CANCELLED"


def test_it_cancels_with_method_cancel():
    meeting = _berlin_meeting()
    parsed = _parse(calendar.cancellation_ics(meeting=meeting))
    assert parsed["METHOD"] == "CANCEL"
    event = _only_event(parsed)
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["UID"]) == f"meeting-{meeting.pk}@{calendar.uid_host()}"


def test_it_names_organizer_and_attendees_with_an_address():
    meeting = _berlin_meeting()
    with_mail = PersonFactory(name="Ada", email="ada@example.org")
    without_mail = PersonFactory(name="Bert", email="")
    event = _only_event(
        _parse(calendar.invitation_ics(meeting=meeting, attendees=[with_mail, without_mail]))
    )
    assert str(event["ORGANIZER"]).startswith("mailto:")
    attendees = event["ATTENDEE"]
    attendees = attendees if isinstance(attendees, list) else [attendees]
    assert [str(a) for a in attendees] == ["mailto:ada@example.org"]
    assert attendees[0].params["CN"] == "Ada"


def test_it_puts_the_description_and_online_link_but_no_agenda_into_the_event():
    from meetings import services

    meeting = _berlin_meeting(description="Worum es geht", online_url="https://meet.example.org/x")
    services.add_agenda_item(
        meeting=meeting, title="Geheimer TOP", visibility=Visibility.ADMIN_INTERNAL
    )
    data = calendar.invitation_ics(meeting=meeting)
    event = _only_event(_parse(data))
    description = str(event["DESCRIPTION"])
    assert "Worum es geht" in description
    assert "https://meet.example.org/x" in description
    assert b"Geheimer TOP" not in data


def test_it_names_a_public_space_but_not_a_team_space_without_a_reader():
    from tests.spaces.factories import SpaceFactory

    public_space = SpaceFactory(name="Offener Ort", visibility=Visibility.PUBLIC)
    team_space = SpaceFactory(name="Verhandlungsort", visibility=Visibility.TEAM)
    shown = _only_event(
        _parse(calendar.invitation_ics(meeting=_berlin_meeting(space=public_space)))
    )
    assert "Offener Ort" in str(shown["LOCATION"])
    hidden = calendar.invitation_ics(meeting=_berlin_meeting(space=team_space))
    assert b"Verhandlungsort" not in hidden


# --- Feeds ---------------------------------------------------------------------------


def _login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _feed(client, url) -> icalendar.Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return _parse(response.content)


def _summaries(parsed: icalendar.Calendar) -> set[str]:
    return {str(event["SUMMARY"]) for event in parsed.walk("VEVENT")}


def _personal_url(user) -> str:
    token = calendar.ensure_calendar_token(user=user)
    return reverse("meetings:calendar_personal", kwargs={"token": token.token})


def _body_url(user, body) -> str:
    """The body's feed as ``user`` reaches it: their token's address, or the public one."""
    if user is None:
        return reverse("meetings:calendar_body", kwargs={"slug": body.slug})
    token = calendar.ensure_calendar_token(user=user).token
    return reverse("meetings:calendar_personal_body", kwargs={"token": token, "slug": body.slug})


def _series_url(user, series) -> str:
    if user is None:
        return reverse("meetings:calendar_series", kwargs={"pk": series.pk})
    token = calendar.ensure_calendar_token(user=user).token
    return reverse("meetings:calendar_personal_series", kwargs={"token": token, "pk": series.pk})


def test_it_serves_the_public_feed_with_timezone_and_cancelled_meetings(client):
    MeetingFactory(title="Offene Versammlung")
    MeetingFactory(title="Fällt aus", status=MeetingStatus.CANCELLED)
    parsed = _feed(client, reverse("meetings:calendar"))
    assert [str(zone["TZID"]) for zone in parsed.walk("VTIMEZONE")] == ["Europe/Berlin"]
    events = {str(event["SUMMARY"]): event for event in parsed.walk("VEVENT")}
    assert set(events) == {"Offene Versammlung", "Fällt aus"}
    assert str(events["Fällt aus"]["STATUS"]) == "CANCELLED"
    assert str(events["Offene Versammlung"]["STATUS"]) == "CONFIRMED"
    assert events["Offene Versammlung"]["DTSTART"].params["TZID"] == "Europe/Berlin"
    assert str(events["Offene Versammlung"]["URL"]).startswith("http://testserver/sitzungen/")


@pytest.mark.parametrize("name", PERSONAS)
def test_it_never_puts_more_than_public_into_the_public_feed(client, persona, name):
    for level in Visibility.values:
        MeetingFactory(title=f"Sitzung {level}", visibility=level)
    _login(client, persona(name))
    assert _summaries(_feed(client, reverse("meetings:calendar"))) == {"Sitzung public"}


def test_it_leaves_meetings_outside_the_window_out(client):
    now = timezone.now()
    MeetingFactory(title="Bald", start=now + datetime.timedelta(days=30))
    MeetingFactory(title="Neulich", start=now - datetime.timedelta(days=30))
    MeetingFactory(title="Lange her", start=now - datetime.timedelta(days=200))
    MeetingFactory(title="Ferne Zukunft", start=now + datetime.timedelta(days=800))
    assert _summaries(_feed(client, reverse("meetings:calendar"))) == {"Bald", "Neulich"}


@pytest.mark.parametrize("name", PERSONAS)
def test_it_gives_the_body_feed_what_the_reader_may_see(client, persona, name):
    body = BodyFactory()
    for level in Visibility.values:
        MeetingFactory(body=body, title=f"Sitzung {level}", visibility=level)
    MeetingFactory(title="Anderes Gremium")
    # Client without a session: the token in the address alone decides.
    parsed = _feed(client, _body_url(persona(name, body=body), body))
    assert _summaries(parsed) == {f"Sitzung {level}" for level in SEES[name]}


@pytest.mark.parametrize("name", PERSONAS)
def test_it_answers_404_for_a_body_the_reader_may_not_see(client, persona, name):
    body = BodyFactory(visibility=Visibility.ADMIN_INTERNAL)
    MeetingFactory(body=body, title="Intern")
    user = persona(name)
    response = client.get(_body_url(user, body))
    expected = Visibility.ADMIN_INTERNAL in SEES[name]
    assert response.status_code == (200 if expected else 404)
    missing = BodyFactory.build(slug="gibt-es-nicht")
    assert client.get(_body_url(user, missing)).status_code == 404


@pytest.mark.parametrize("name", PERSONAS)
def test_it_gives_only_the_public_meetings_at_a_body_feeds_public_address(client, persona, name):
    body = BodyFactory()
    for level in Visibility.values:
        MeetingFactory(body=body, title=f"Sitzung {level}", visibility=level)
    # A browser's session cookie does not make the public address show more.
    _login(client, persona(name, body=body))
    parsed = _feed(client, reverse("meetings:calendar_body", kwargs={"slug": body.slug}))
    assert _summaries(parsed) == {"Sitzung public"}


@pytest.mark.parametrize("level", [v for v in Visibility.values if v != Visibility.PUBLIC])
def test_it_answers_404_at_the_public_address_of_a_non_public_feed_even_with_a_cookie(
    client, make_user, level
):
    body = BodyFactory(visibility=level)
    series = MeetingSeriesFactory(body=BodyFactory(), visibility=level)
    user = make_user(is_superuser=True, is_staff=True)
    public_urls = [
        reverse("meetings:calendar_body", kwargs={"slug": body.slug}),
        reverse("meetings:calendar_series", kwargs={"pk": series.pk}),
    ]
    for url in public_urls:
        assert client.get(url).status_code == 404
    _login(client, user)
    for url in public_urls:
        assert client.get(url).status_code == 404
    # The owner's token reaches both.
    assert Client().get(_body_url(user, body)).status_code == 200
    assert Client().get(_series_url(user, series)).status_code == 200


@pytest.mark.parametrize("name", PERSONAS)
def test_it_gives_the_series_feed_what_the_reader_may_see(client, persona, name):
    series = MeetingSeriesFactory()
    for days, level in enumerate(Visibility.values, start=1):
        MeetingFactory(
            body=series.body,
            series=series,
            title=f"Termin {level}",
            visibility=level,
            start=timezone.now() + datetime.timedelta(days=days),
        )
    MeetingFactory(body=series.body, title="Ohne Reihe")
    parsed = _feed(client, _series_url(persona(name, body=series.body), series))
    assert _summaries(parsed) == {f"Termin {level}" for level in SEES[name]}


def test_it_answers_404_for_a_series_the_tokens_owner_may_not_see(client, make_user):
    series = MeetingSeriesFactory(visibility=Visibility.ADMIN_INTERNAL)
    assert client.get(_series_url(None, series)).status_code == 404
    assert client.get(_series_url(make_user(roles.V_EXTERN), series)).status_code == 404
    assert client.get(_series_url(make_user(roles.V_INTERN), series)).status_code == 200


def test_it_answers_404_for_a_tokenised_feed_with_an_unknown_or_renewed_token(client, make_user):
    series = MeetingSeriesFactory()
    body = series.body
    user = make_user(roles.V_INTERN)
    old_series, old_body = _series_url(user, series), _body_url(user, body)
    assert client.get(old_series).status_code == 200
    calendar.renew_calendar_token(user=user)
    assert client.get(old_series).status_code == 404
    assert client.get(old_body).status_code == 404
    unknown = reverse(
        "meetings:calendar_personal_series", kwargs={"token": "x" * 43, "pk": series.pk}
    )
    assert client.get(unknown).status_code == 404


def test_it_marks_tokenised_feeds_private_and_the_public_address_not(client, make_user):
    series = MeetingSeriesFactory()
    public = client.get(_series_url(None, series))
    assert "no-store" not in public.get("Cache-Control", "")
    personal = client.get(_series_url(make_user(roles.COUNCILLOR), series))
    assert personal["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("name", [p for p in PERSONAS if p != "anonymous"])
def test_it_fills_the_personal_feed_with_own_bodies_and_invitations_as_far_as_visible(
    client, persona, name
):
    own_body = BodyFactory()
    user = persona(name, body=own_body)
    person = Person.objects.filter(user=user).first() or PersonFactory(user=user)
    invited_elsewhere = []
    for level in Visibility.values:
        MeetingFactory(body=own_body, title=f"Gremium {level}", visibility=level)
        invited_elsewhere.append(MeetingFactory(title=f"Einladung {level}", visibility=level))
    for meeting in invited_elsewhere:
        Attendance.objects.create(meeting=meeting, person=person)
    MeetingFactory(title="Fremd")
    # Client without a session: the token alone decides.
    parsed = _feed(client, _personal_url(user))
    # "members" is per body: an invitation to another body's members-only meeting is
    # no grant to see it.
    elsewhere = SEES[name] - ({Visibility.MEMBERS} if name == "body_member" else set())
    expected_invited = {f"Einladung {level}" for level in elsewhere}
    expected_own = {f"Gremium {level}" for level in SEES[name]} if name == "body_member" else set()
    assert _summaries(parsed) == expected_invited | expected_own


def test_it_keeps_admin_internal_meetings_out_of_a_v_extern_personal_feed(
    client, make_user, member_of
):
    body = BodyFactory()
    user = make_user(roles.V_EXTERN)
    membership = member_of(user, body)
    MeetingFactory(body=body, title="Verwaltungsintern", visibility=Visibility.ADMIN_INTERNAL)
    meeting = MeetingFactory(title="Eingeladen intern", visibility=Visibility.ADMIN_INTERNAL)
    Attendance.objects.create(meeting=meeting, person=membership.person)
    MeetingFactory(body=body, title="Team", visibility=Visibility.TEAM)
    assert _summaries(_feed(client, _personal_url(user))) == {"Team"}


def test_it_leaves_ended_memberships_out_of_the_personal_feed(client, make_user, member_of):
    body = BodyFactory()
    user = make_user()
    member_of(user, body, start=datetime.date(2020, 1, 1), end=datetime.date(2021, 1, 1))
    MeetingFactory(body=body, title="Früheres Gremium")
    assert _summaries(_feed(client, _personal_url(user))) == set()


def test_it_names_the_space_only_to_readers_who_may_see_it(client, make_user):
    from tests.spaces.factories import SpaceFactory

    space = SpaceFactory(name="Verhandlungsort", visibility=Visibility.TEAM)
    body = BodyFactory()
    MeetingFactory(body=body, title="Vor Ort", space=space, place="Hinterhof")
    public = client.get(reverse("meetings:calendar")).content
    assert b"Verhandlungsort" not in public
    assert b"Hinterhof" in public
    staff = client.get(_body_url(make_user(roles.V_EXTERN), body)).content
    assert b"Verhandlungsort" in staff


def test_it_keeps_agenda_items_out_of_feeds(client, make_user):
    from meetings import services

    meeting = MeetingFactory(title="Öffentlich", description="Offene Beschreibung")
    services.add_agenda_item(
        meeting=meeting, title="Geheimer TOP", visibility=Visibility.ADMIN_INTERNAL
    )
    content = client.get(reverse("meetings:calendar")).content
    assert b"Offene Beschreibung" in content
    assert b"Geheimer TOP" not in content


# --- Tokens --------------------------------------------------------------------------


def test_it_answers_404_for_an_unknown_token(client):
    url = reverse("meetings:calendar_personal", kwargs={"token": "x" * 43})
    assert client.get(url).status_code == 404


def test_it_makes_the_old_address_useless_after_renewal(client, make_user):
    user = make_user()
    old_url = _personal_url(user)
    assert client.get(old_url).status_code == 200
    renewed = calendar.renew_calendar_token(user=user)
    assert client.get(old_url).status_code == 404
    new_url = reverse("meetings:calendar_personal", kwargs={"token": renewed.token})
    assert new_url != old_url
    assert client.get(new_url).status_code == 200


def test_it_keeps_one_token_per_user():
    from tests.factories import UserFactory

    user = UserFactory()
    first = calendar.ensure_calendar_token(user=user)
    assert calendar.ensure_calendar_token(user=user).token == first.token
    assert len(first.token) >= 43
    assert CalendarToken.objects.filter(user=user).count() == 1
    calendar.renew_calendar_token(user=user)
    assert CalendarToken.objects.filter(user=user).count() == 1


def test_it_refuses_the_token_of_a_deactivated_account(client, make_user):
    user = make_user()
    url = _personal_url(user)
    user.is_active = False
    user.save()
    assert client.get(url).status_code == 404


def test_it_leaves_control_characters_out_of_calendar_text():
    meeting = _berlin_meeting(
        title="Jour\x07-Fixe\x1b[31m",
        place="Raum 1\x0b2",
        description="Zeile eins\r\nZeile\x08 zwei",
    )
    data = calendar.feed_ics(meetings=[meeting], name="Gremium\x0c Kalender")
    assert not any(byte < 32 and byte not in (9, 10, 13) for byte in data)
    event = _only_event(_parse(data))
    assert str(event["summary"]) == "Jour-Fixe[31m"
    assert str(event["location"]) == "Raum 12"
    assert str(event["description"]) == "Zeile eins\nZeile zwei"
    assert str(_parse(data)["x-wr-calname"]) == "Gremium Kalender"
