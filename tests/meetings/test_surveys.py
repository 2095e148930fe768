"""Topic surveys: registrants of a series approve of the topics they want next, once per
registration through the personal link in their mail; the result is public."""

import threading

import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from aks.mail.models import OutboxMessage
from bodies.access import Visibility
from meetings import surveys
from meetings.models import (
    MeetingSeries,
    RegistrationStatus,
    SurveyStatus,
    TopicSurvey,
    TopicVote,
)
from meetings.registration import purge_registrations
from tests.factories import BodyFactory
from tests.html import assert_valid_html
from tests.meetings.factories_events import EventFactory, RegistrationFactory
from tests.personas import PERSONAS

pytestmark = pytest.mark.django_db

STAFF = {"v_extern", "v_intern", "superuser"}
TOPICS = ["Boden ökologisch nutzen", "Sharing auf dem Land", "Leistbares Wohnen"]


@pytest.fixture(autouse=True)
def _publish_at_once(monkeypatch, eager_tasks):
    # The test runs in one transaction that never commits; send mails at once.
    monkeypatch.setattr("aks.mail.services.transaction.on_commit", lambda func, **kw: func())


def _series(body=None, **kwargs) -> MeetingSeries:
    import datetime

    return MeetingSeries.objects.create(
        body=body or BodyFactory(),
        title="Wandel. Machen. Vor Ort.",
        kind="public_event",
        recurrence="monthly",
        weekday=3,
        week_of_month=-1,
        start_time=datetime.time(18),
        starts_on=datetime.date(2026, 1, 1),
        visibility=kwargs.pop("visibility", Visibility.PUBLIC),
    )


@pytest.fixture
def series():
    return _series()


@pytest.fixture
def survey(series):
    return surveys.create_survey(series=series, title="Themen 2027", options=TOPICS)


_days = iter(range(1, 100_000))


def _registrant(series, **kwargs):
    import datetime

    from django.utils import timezone

    # One event per registration; a series has one meeting per start time.
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=next(_days))
    event = EventFactory(body=series.body, series=series, start=start)
    return RegistrationFactory(meeting=event, **kwargs)


def _option_ids(survey, *labels):
    return list(survey.options.filter(label__in=labels).values_list("pk", flat=True))


# --- the survey's life ----------------------------------------------------------------------


def test_it_needs_two_distinct_topics(series):
    with pytest.raises(surveys.SurveyError):
        surveys.create_survey(series=series, title="Eins", options=["Nur eins", " "])
    with pytest.raises(surveys.SurveyError):
        surveys.create_survey(series=series, title="Doppelt", options=["A", "a"])


def test_opening_invites_each_confirmed_address_once_through_the_outbox(series, survey):
    first = _registrant(series, email="lea@example.org")
    _registrant(series, email="lea@example.org")  # the same address, another event
    _registrant(series, email="tomasz@example.org")
    _registrant(series, email="offen@example.org", status=RegistrationStatus.PENDING)
    _registrant(series, email="weg@example.org", status=RegistrationStatus.CANCELLED)
    RegistrationFactory(email="fremd@example.org")  # another series

    survey, queued = surveys.open_survey(survey=survey)

    assert queued == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["lea@example.org", "tomasz@example.org"]
    body = next(m.body for m in mail.outbox if m.to == ["lea@example.org"])
    assert "/sitzungen/umfrage/" in body
    # Again (after more people confirmed): nobody gets it twice.
    _registrant(series, email="neu@example.org")
    assert surveys.invite_registrants(survey=survey) == 1
    assert len(mail.outbox) == 3
    # Deleted with the registrant's data after the event.
    assert OutboxMessage.objects.filter(key__contains=f"-survey-{survey.pk}").count() == 3
    assert first.pk  # the latest registration of an address carries the link


def test_it_counts_one_vote_per_registration(series, survey):
    registration = _registrant(series)
    surveys.open_survey(survey=survey)

    vote = surveys.cast_vote(
        survey=survey, token=registration.token, option_ids=_option_ids(survey, *TOPICS[:2])
    )
    assert vote.options.count() == 2
    with pytest.raises(surveys.SurveyError):
        surveys.cast_vote(
            survey=survey, token=registration.token, option_ids=_option_ids(survey, TOPICS[2])
        )
    assert TopicVote.objects.filter(survey=survey).count() == 1


def test_the_database_refuses_a_second_vote_of_a_registration(series, survey):
    from django.db import IntegrityError, transaction

    registration = _registrant(series)
    TopicVote.objects.create(survey=survey, registration=registration)
    with pytest.raises(IntegrityError), transaction.atomic():
        TopicVote.objects.create(survey=survey, registration=registration)


def test_it_counts_one_vote_per_address_across_the_series(series, survey):
    first = _registrant(series, email="lea@example.org")
    second = _registrant(series, email="lea@example.org")
    surveys.open_survey(survey=survey)
    surveys.cast_vote(survey=survey, token=first.token, option_ids=_option_ids(survey, TOPICS[0]))
    with pytest.raises(surveys.SurveyError):
        surveys.cast_vote(
            survey=survey, token=second.token, option_ids=_option_ids(survey, TOPICS[1])
        )


@pytest.mark.parametrize(
    "status", [RegistrationStatus.PENDING, RegistrationStatus.WAITING, RegistrationStatus.CANCELLED]
)
def test_only_confirmed_registrants_vote(series, survey, status):
    registration = _registrant(series, status=status, position=1)
    surveys.open_survey(survey=survey)
    with pytest.raises(surveys.SurveyError):
        surveys.cast_vote(
            survey=survey, token=registration.token, option_ids=_option_ids(survey, TOPICS[0])
        )


def test_registrants_of_another_series_and_foreign_topics_are_refused(series, survey):
    stranger = RegistrationFactory()
    other = surveys.create_survey(series=_series(), title="Andere", options=["X", "Y"])
    registration = _registrant(series)
    surveys.open_survey(survey=survey)
    with pytest.raises(surveys.SurveyError):
        surveys.cast_vote(
            survey=survey, token=stranger.token, option_ids=_option_ids(survey, TOPICS[0])
        )
    with pytest.raises(surveys.SurveyError):
        surveys.cast_vote(
            survey=survey,
            token=registration.token,
            option_ids=list(other.options.values_list("pk", flat=True)),
        )
    with pytest.raises(surveys.SurveyError):
        surveys.cast_vote(survey=survey, token=registration.token, option_ids=[])


def test_no_votes_before_opening_or_after_closing(series, survey):
    registration = _registrant(series)
    choice = _option_ids(survey, TOPICS[0])
    with pytest.raises(surveys.SurveyError):
        surveys.cast_vote(survey=survey, token=registration.token, option_ids=choice)
    surveys.open_survey(survey=survey)
    surveys.close_survey(survey=survey)
    with pytest.raises(surveys.SurveyError):
        surveys.cast_vote(survey=survey, token=registration.token, option_ids=choice)


def test_votes_stay_counted_when_the_registrants_data_is_deleted(series, survey):
    import datetime

    from django.utils import timezone

    registration = _registrant(series)
    surveys.open_survey(survey=survey)
    surveys.cast_vote(
        survey=survey, token=registration.token, option_ids=_option_ids(survey, TOPICS[0])
    )
    purge_registrations(now=registration.meeting.end + datetime.timedelta(days=400))
    assert timezone.now()
    tallies, ballots = surveys.results(survey)
    assert ballots == 1 and tallies[0].option.label == TOPICS[0] and tallies[0].votes == 1
    assert TopicVote.objects.get(survey=survey).registration is None


# --- pages ------------------------------------------------------------------------------------


def test_a_registrant_votes_through_the_personal_link(client, series, survey):
    registration = _registrant(series)
    surveys.open_survey(survey=survey)
    url = reverse("meetings:survey_vote", args=[survey.pk, registration.token])

    page = client.get(url)
    assert page.status_code == 200 and "Boden ökologisch nutzen" in page.content.decode()
    assert_valid_html(page)
    assert not TopicVote.objects.exists()  # a GET (a mail scanner) casts nothing
    empty = client.post(url, {})
    assert empty.status_code == 400 and 'id="id_options_error"' in empty.content.decode()
    assert_valid_html(empty)
    response = client.post(url, {"options": _option_ids(survey, *TOPICS[1:])})
    assert response.status_code == 302
    again = client.post(url, {"options": _option_ids(survey, TOPICS[0])})
    assert TopicVote.objects.filter(survey=survey).count() == 1
    assert "Sharing auf dem Land" in again.content.decode()


def test_an_unknown_link_answers_404(client, survey):
    surveys.open_survey(survey=survey)
    url = reverse("meetings:survey_vote", args=[survey.pk, "nicht-gueltig"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("name", PERSONAS)
def test_the_result_is_public_once_closed_and_staff_run_the_survey(client, persona, series, name):
    user = persona(name, body=series.body)
    if user is not None:
        client.force_login(user)
    create = client.post(
        reverse("meetings:survey_create", args=[series.pk]),
        {"title": "Themen 2027", "question": "Was als Nächstes?", "options": "\n".join(TOPICS)},
    )
    if name in STAFF:
        assert create.status_code == 302
        survey = TopicSurvey.objects.get(series=series)
    else:
        assert create.status_code == (302 if name == "anonymous" else 403)
        assert not TopicSurvey.objects.exists()
        survey = surveys.create_survey(series=series, title="Themen 2027", options=TOPICS)
    detail = reverse("meetings:survey_detail", args=[survey.pk])
    # A draft is the staff's.
    assert client.get(detail).status_code == (200 if name in STAFF else 404)

    opened = client.post(reverse("meetings:survey_status", args=[survey.pk]), {"action": "open"})
    # A draft is hidden; anonymous writers are asked to log in, whatever the survey.
    assert opened.status_code == (302 if name in STAFF | {"anonymous"} else 404)
    survey.refresh_from_db()
    if name not in STAFF:
        assert survey.status == SurveyStatus.DRAFT
        surveys.open_survey(survey=survey)
    registration = _registrant(series)
    surveys.cast_vote(
        survey=survey, token=registration.token, option_ids=_option_ids(survey, TOPICS[2])
    )
    page = client.get(detail)
    assert page.status_code == 200
    # While open, the public sees the topics, not the count.
    assert (
        "Running count" in page.content.decode() or "Zwischenstand" in page.content.decode()
    ) is (name in STAFF)
    closing = client.post(reverse("meetings:survey_status", args=[survey.pk]), {"action": "close"})
    assert closing.status_code == (302 if name in STAFF or name == "anonymous" else 403)
    survey.refresh_from_db()
    if name not in STAFF:
        assert survey.status == SurveyStatus.OPEN
        surveys.close_survey(survey=survey)

    client.logout()
    result = client.get(detail)
    assert result.status_code == 200
    assert_valid_html(result)
    assert "Leistbares Wohnen" in result.content.decode() and "100 %" in result.content.decode()
    series_page = client.get(reverse("meetings:series_public", args=[series.pk]))
    assert detail in series_page.content.decode()


def test_a_survey_of_a_hidden_series_is_hidden(client):
    series = _series(visibility=Visibility.TEAM)
    survey = surveys.create_survey(series=series, title="Intern", options=TOPICS)
    surveys.open_survey(survey=survey)
    surveys.close_survey(survey=survey)
    assert client.get(reverse("meetings:survey_detail", args=[survey.pk])).status_code == 404


@pytest.mark.parametrize("size", [3, 30])
def test_the_result_page_takes_constant_queries(
    client, series, survey, django_assert_max_num_queries, size
):
    surveys.open_survey(survey=survey)
    for i in range(size):
        registration = _registrant(series)
        surveys.cast_vote(
            survey=survey,
            token=registration.token,
            option_ids=_option_ids(survey, *TOPICS[: 1 + i % 3]),
        )
    surveys.close_survey(survey=survey)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("meetings:survey_detail", args=[survey.pk])).status_code == 200


# --- two votes of one registration at the same moment -------------------------------------------


def _needs_postgresql():
    import os

    if connection.vendor != "postgresql":
        reason = "the concurrency test needs PostgreSQL (set DATABASE_URL)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_votes_of_one_registration_count_once(eager_tasks):
    _needs_postgresql()
    series = _series()
    survey = surveys.create_survey(series=series, title="Gleichzeitig", options=TOPICS)
    survey, _queued = surveys.open_survey(survey=survey)
    registrations = [_registrant(series) for _ in range(5)]
    # Every registration votes twice at the same moment: 10 casts, 5 may succeed.
    attempts = [(r, i) for r in registrations for i in range(2)]
    options = list(survey.options.values_list("pk", flat=True))
    barrier = threading.Barrier(len(attempts))
    accepted, refused, unexpected = [], [], []

    def cast(registration, index):
        try:
            barrier.wait()
            surveys.cast_vote(survey=survey, token=registration.token, option_ids=[options[index]])
            accepted.append(registration.pk)
        except surveys.SurveyError:
            refused.append(registration.pk)
        except Exception as exc:  # noqa: BLE001 - reported below
            unexpected.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=cast, args=a) for a in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert unexpected == []
    assert sorted(accepted) == sorted(r.pk for r in registrations)
    assert len(refused) == 5
    assert TopicVote.objects.filter(survey=survey).count() == 5
