"""The calendar page and the cost of the feeds."""

import datetime

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aks.accounts import roles
from bodies.access import Visibility
from meetings import calendar
from meetings.models import Attendance, CalendarToken, Meeting, MeetingStatus
from tests.factories import BodyFactory, PersonFactory
from tests.html import assert_valid_html
from tests.meetings.factories import MeetingSeriesFactory
from tests.personas import PERSONAS

pytestmark = pytest.mark.django_db

PAGE = "meetings:calendar_page"


def _login(client, user):
    if user is not None:
        client.force_login(user)
    return client


# --- The page ------------------------------------------------------------------------


@pytest.mark.parametrize("name", PERSONAS)
def test_it_lists_the_feeds_the_reader_may_subscribe_to(client, persona, name):
    open_body = BodyFactory(name="Offenes Gremium")
    internal_body = BodyFactory(name="Internes Gremium", visibility=Visibility.ADMIN_INTERNAL)
    MeetingSeriesFactory(body=open_body, title="Offene Reihe")
    MeetingSeriesFactory(
        body=open_body, title="Interne Reihe", visibility=Visibility.CIVIL_INTERNAL
    )
    user = persona(name, body=open_body)
    _login(client, user)
    response = client.get(reverse(PAGE))
    assert response.status_code == 200
    assert_valid_html(response)
    content = response.content.decode()
    assert "http://testserver" + reverse("meetings:calendar") in content
    assert reverse("meetings:calendar_body", kwargs={"slug": open_body.slug}) in content
    sees_internal = name in {"v_intern", "councillor", "superuser"}
    assert ("Internes Gremium" in content) is sees_internal
    # Its public address would answer 404: without a personal address there is none.
    assert reverse("meetings:calendar_body", kwargs={"slug": internal_body.slug}) not in content
    assert "Offene Reihe" in content
    assert ("Interne Reihe" in content) is (name in {"v_extern", "superuser"})
    assert ('action="' + reverse("meetings:calendar_renew") in content) is (user is not None)


def test_it_gives_every_feed_the_personal_address_once_there_is_one(client, make_user):
    internal_body = BodyFactory(name="Internes Gremium", visibility=Visibility.ADMIN_INTERNAL)
    series = MeetingSeriesFactory(body=internal_body, title="Interne Reihe")
    user = make_user(roles.COUNCILLOR)
    token = calendar.ensure_calendar_token(user=user).token
    client.force_login(user)
    response = client.get(reverse(PAGE))
    assert_valid_html(response)
    content = response.content.decode()
    body_feed = reverse(
        "meetings:calendar_personal_body", kwargs={"token": token, "slug": internal_body.slug}
    )
    series_feed = reverse(
        "meetings:calendar_personal_series", kwargs={"token": token, "pk": series.pk}
    )
    assert "http://testserver" + body_feed in content
    assert "http://testserver" + series_feed in content
    assert reverse("meetings:calendar_series", kwargs={"pk": series.pk}) not in content


def test_it_is_linked_from_the_meeting_list(client):
    response = client.get(reverse("meetings:list"))
    assert reverse(PAGE) in response.content.decode()


def test_it_creates_then_renews_the_personal_address(client, make_user):
    user = make_user()
    _login(client, user)
    assert (
        ".ics"
        not in client.get(reverse(PAGE))
        .content.decode()
        .split('id="personal"')[1]
        .split("</section>")[0]
    )

    response = client.post(reverse("meetings:calendar_renew"), follow=True)
    assert response.status_code == 200
    assert_valid_html(response)
    first = CalendarToken.objects.get(user=user).token
    assert f"/kalender/persoenlich/{first}.ics" in response.content.decode()
    assert "webcal://testserver/sitzungen/kalender/persoenlich/" in response.content.decode()

    response = client.post(reverse("meetings:calendar_renew"), follow=True)
    second = CalendarToken.objects.get(user=user).token
    assert second != first
    content = response.content.decode()
    assert first not in content and second in content
    assert [str(m) for m in response.context["messages"]]
    anonymous = Client()
    old = reverse("meetings:calendar_personal", kwargs={"token": first})
    assert anonymous.get(old).status_code == 404


def test_it_confirms_a_renewal_with_one_message(client, make_user):
    user = make_user()
    calendar.ensure_calendar_token(user=user)
    _login(client, user)
    response = client.post(
        reverse("meetings:calendar_renew"), follow=True, HTTP_ACCEPT_LANGUAGE="de"
    )
    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    assert "Ihre persönliche Kalenderadresse wurde erneuert." in messages[0]


def test_it_needs_a_login_and_a_post_to_renew(client, make_user):
    response = client.post(reverse("meetings:calendar_renew"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]
    assert not CalendarToken.objects.exists()
    _login(client, make_user())
    assert client.get(reverse("meetings:calendar_renew")).status_code == 405


def test_it_refuses_a_renewal_without_csrf_token(make_user):
    user = make_user()
    token = calendar.ensure_calendar_token(user=user).token
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.post(reverse("meetings:calendar_renew")).status_code == 403
    assert CalendarToken.objects.get(user=user).token == token


# --- Query counts at two sizes --------------------------------------------------------


def _data(size: int, make_user, member_of):
    """``size`` meetings in one body and series, a third cancelled, half at a space,
    every fifth with the reader invited; a v-extern member reads."""
    from tests.spaces.factories import SpaceFactory

    body = BodyFactory()
    series = MeetingSeriesFactory(body=body)
    space = SpaceFactory(visibility=Visibility.TEAM)
    user = make_user(roles.V_EXTERN)
    person = member_of(user, body).person
    now = timezone.now().replace(microsecond=0)
    levels = Visibility.values
    meetings = Meeting.objects.bulk_create(
        Meeting(
            body=body,
            series=series,
            kind="working_group",
            title=f"Sitzung {index}",
            start=now + datetime.timedelta(hours=index * 12 - 24 * 60),
            end=now + datetime.timedelta(hours=index * 12 - 24 * 60 + 2),
            space=space if index % 2 else None,
            status=MeetingStatus.CANCELLED if index % 3 == 0 else MeetingStatus.PLANNED,
            visibility=levels[index % len(levels)],
        )
        for index in range(size)
    )
    other = PersonFactory()
    Attendance.objects.bulk_create(
        [Attendance(meeting=m, person=person) for m in meetings[::5]]
        + [Attendance(meeting=m, person=other) for m in meetings[1::5]]
    )
    for meeting in meetings[2::5]:
        meeting.participants.add(person, other)
    token = calendar.ensure_calendar_token(user=user).token
    return body, series, user, token


def _urls(body, series, token):
    return {
        "public": reverse("meetings:calendar"),
        "body": reverse("meetings:calendar_body", kwargs={"slug": body.slug}),
        "series": reverse("meetings:calendar_series", kwargs={"pk": series.pk}),
        "personal": reverse("meetings:calendar_personal", kwargs={"token": token}),
        "personal_body": reverse(
            "meetings:calendar_personal_body", kwargs={"token": token, "slug": body.slug}
        ),
        "personal_series": reverse(
            "meetings:calendar_personal_series", kwargs={"token": token, "pk": series.pk}
        ),
        "page": reverse(PAGE),
    }


# Feeds at a public address read no session: the body or series, the meetings (the
# space's visibility is a subquery). The personal feeds: the token with its user,
# roles, (the body or series,) the meetings. The page: session, user, roles, bodies,
# series, the token.
MAX_QUERIES = {
    "public": 3,
    "body": 3,
    "series": 3,
    "personal": 3,
    "personal_body": 4,
    "personal_series": 4,
    "page": 6,
}


@pytest.mark.parametrize("size", [10, 500])
@pytest.mark.parametrize("feed", sorted(MAX_QUERIES))
def test_it_costs_a_constant_number_of_queries(
    client, make_user, member_of, django_assert_max_num_queries, size, feed
):
    body, series, user, token = _data(size, make_user, member_of)
    url = _urls(body, series, token)[feed]
    if not feed.startswith("personal"):
        _login(client, user)
    # Content types are looked up once per process (guardian's grant tables); warm
    # that cache so the count is what every later request costs.
    client.get(url)
    with django_assert_max_num_queries(MAX_QUERIES[feed]):
        response = client.get(url)
    assert response.status_code == 200
    if feed != "page":
        parsed = icalendar.Calendar.from_ical(response.content)
        assert parsed.walk("VEVENT")
    # Anonymous readers too.
    Client().get(url)


def test_it_answers_head_requests_of_calendar_clients(client):
    assert client.head(reverse("meetings:calendar")).status_code == 200
