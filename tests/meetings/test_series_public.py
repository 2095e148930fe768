"""The public page of an event series and the staff's live page for recommendations."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bodies.access import Visibility
from meetings.models import MeetingSeries, MinuteEntry, MinuteSection, RecommendationLevel
from meetings.services import add_entry, minutes_for
from tests.factories import BodyFactory
from tests.html import assert_valid_html, checked_values
from tests.meetings.factories_events import EventFactory
from tests.personas import PERSONAS, SEES

pytestmark = pytest.mark.django_db

STAFF = {"v_extern", "v_intern", "superuser"}


def _series(body=None, visibility=Visibility.PUBLIC) -> MeetingSeries:
    return MeetingSeries.objects.create(
        body=body or BodyFactory(),
        title="Wandel. Machen. Vor Ort.",
        kind="public_event",
        recurrence="monthly",
        weekday=3,
        week_of_month=-1,
        start_time=datetime.time(18),
        starts_on=datetime.date(2026, 1, 1),
        visibility=visibility,
    )


def _event(series, days, **kwargs):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=days)
    return EventFactory(body=series.body, series=series, start=start, **kwargs)


def _login(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("level", Visibility.values)
def test_the_series_page_follows_the_kernel(client, persona, name, level):
    series = _series(visibility=level)
    user = persona(name, body=series.body)
    _login(client, user)
    response = client.get(reverse("meetings:series_public", args=[series.pk]))
    assert response.status_code == (200 if level in SEES[name] else 404)
    if response.status_code == 200:
        assert_valid_html(response)


@pytest.mark.parametrize("name", PERSONAS)
def test_the_series_page_lists_the_events_the_reader_may_see(client, persona, name):
    series = _series()
    upcoming = _event(series, 10, title="Boden ökologisch nutzen")
    past = _event(series, -30, title="Bestand nutzen")
    hidden = _event(series, 40, title="Internes Vortreffen", visibility=Visibility.TEAM)
    add_entry(
        minutes=minutes_for(past),
        section=MinuteSection.RECOMMENDATION,
        level=RecommendationLevel.MUNICIPAL,
        text="Leerstandskataster führen.",
    )
    user = persona(name, body=series.body)
    _login(client, user)
    content = client.get(reverse("meetings:series_public", args=[series.pk])).content.decode()
    assert reverse("meetings:event_detail", args=[upcoming.pk]) in content
    assert reverse("meetings:event_detail", args=[past.pk]) in content
    assert (hidden.title in content) is (Visibility.TEAM in SEES[name])
    assert reverse("meetings:series_recommendations_pdf", args=[series.pk]) in content
    planning = 'href="{}"'.format(reverse("meetings:series_detail", args=[series.pk]))
    assert (planning in content) is (name in STAFF)
    live = reverse("meetings:event_recommendations", args=[past.pk])
    assert (live in content) is (name in STAFF)


def test_a_series_of_meetings_that_are_no_events_has_no_public_page(client):
    series = _series()
    series.kind = "jour_fixe"
    series.save()
    assert client.get(reverse("meetings:series_public", args=[series.pk])).status_code == 404


@pytest.mark.parametrize("name", PERSONAS)
def test_only_those_who_record_the_event_collect_recommendations(client, persona, name):
    series = _series()
    event = _event(series, 0)
    user = persona(name, body=series.body)
    _login(client, user)
    url = reverse("meetings:event_recommendations", args=[event.pk])
    page = client.get(url)
    response = client.post(url, {"level": "state", "text": "Förderung im Bestand."})
    added = MinuteEntry.objects.filter(minutes__meeting=event).first()
    if name in STAFF:
        assert page.status_code == 200
        assert_valid_html(page)
        assert response.status_code == 302
        assert added.section == "recommendation" and added.level == "state"
    else:
        assert added is None
        if name == "anonymous":
            assert page.status_code == 302 and "anmelden" in page["Location"]
        else:
            assert page.status_code == 403


def test_htmx_adds_a_recommendation_in_place(client, make_user):
    from aks.accounts import roles

    event = _event(_series(), 0)
    client.force_login(make_user(roles.V_EXTERN))
    url = reverse("meetings:event_recommendations", args=[event.pk])
    response = client.post(
        url, {"level": "federal", "text": "Gemeinnützigkeit anerkennen."}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert '<div id="live-recommendations"' in content and "<html" not in content
    assert "Gemeinnützigkeit anerkennen." in content
    # The next one keeps the level chosen last.
    assert checked_values(content, "level") == ["federal"]
    invalid = client.post(url, {"level": "federal", "text": ""}, HTTP_HX_REQUEST="true")
    assert invalid.status_code == 400 and 'id="id_text_error"' in invalid.content.decode()


def test_recommendations_on_approved_minutes_are_refused(client, make_user):
    from aks.accounts import roles
    from meetings.models import MinutesStatus

    event = _event(_series(), -3)
    minutes = minutes_for(event)
    minutes.status = MinutesStatus.APPROVED
    minutes.save()
    client.force_login(make_user(roles.V_EXTERN))
    response = client.post(
        reverse("meetings:event_recommendations", args=[event.pk]),
        {"level": "municipal", "text": "Zu spät."},
    )
    assert response.status_code == 400
    assert not MinuteEntry.objects.filter(minutes=minutes).exists()


@pytest.mark.parametrize("size", [2, 12])
def test_series_and_live_pages_take_constant_queries(
    client, make_user, django_assert_max_num_queries, size
):
    from aks.accounts import roles

    series = _series()
    events = [_event(series, day * 30 - 120) for day in range(size)]
    for event in events:
        for level in RecommendationLevel.values:
            add_entry(
                minutes=minutes_for(event),
                section=MinuteSection.RECOMMENDATION,
                level=level,
                text=f"Empfehlung {level}",
            )
    with django_assert_max_num_queries(8):
        assert client.get(reverse("meetings:series_public", args=[series.pk])).status_code == 200
    client.force_login(make_user(roles.V_EXTERN))
    with django_assert_max_num_queries(16):
        assert client.get(reverse("meetings:series_public", args=[series.pk])).status_code == 200
    with django_assert_max_num_queries(16):
        url = reverse("meetings:event_recommendations", args=[events[0].pk])
        assert client.get(url).status_code == 200


def test_the_demo_has_a_survey_with_votes_a_commitment_to_check_and_recommendations():
    from django.core.management import call_command

    from meetings import selectors
    from meetings.demo_events import ROOM_COMMITMENT, SERIES_TITLE
    from meetings.models import Commitment, TopicSurvey, TopicVote

    call_command("seed_demo")
    counts = (TopicSurvey.objects.count(), TopicVote.objects.count(), Commitment.objects.count())
    entries = MinuteEntry.objects.filter(section=MinuteSection.RECOMMENDATION).count()
    call_command("seed_demo")
    assert (
        TopicSurvey.objects.count(),
        TopicVote.objects.count(),
        Commitment.objects.count(),
    ) == counts
    assert MinuteEntry.objects.filter(section=MinuteSection.RECOMMENDATION).count() == entries

    survey = TopicSurvey.objects.get(series__title=SERIES_TITLE)
    assert survey.status == "open" and survey.votes.count() >= 3
    waiting = Commitment.objects.get(what=ROOM_COMMITMENT)
    assert waiting.checked_at is None
    assert not selectors.public_commitments().filter(pk=waiting.pk).exists()
    assert entries >= 7


def test_a_refused_recommendation_starts_no_minutes_and_a_valid_one_starts_them(client, make_user):
    from aks.accounts import roles
    from meetings.models import Minutes

    event = _event(_series(), 0)
    client.force_login(make_user(roles.V_EXTERN))
    url = reverse("meetings:event_recommendations", args=[event.pk])
    assert client.post(url, {"level": "federal", "text": ""}).status_code == 400
    assert not Minutes.objects.filter(meeting=event).exists()
    client.post(url, {"level": "state", "text": "Räume sichern."})
    entry = MinuteEntry.objects.get(minutes__meeting=event)
    assert (entry.section, entry.level, entry.text) == (
        MinuteSection.RECOMMENDATION,
        RecommendationLevel.STATE,
        "Räume sichern.",
    )
    assert entry.minutes.visibility == event.visibility
