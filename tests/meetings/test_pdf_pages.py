"""The PDF URLs: who gets which document, the progress page, stored files, queries."""

import datetime
import io
import time

import pypdf
import pytest
from django.urls import reverse
from django.utils import timezone

from aks.accounts import roles
from bodies.access import Visibility
from documents import pdf as renderer
from documents.models import RenderedDocument, RenderStatus
from meetings import services
from meetings.documents import MINUTES
from meetings.models import (
    AgendaItem,
    MeetingKind,
    MeetingSeries,
    MinuteEntry,
    MinuteSection,
    RecommendationLevel,
    Recurrence,
)
from tests.factories import BodyFactory
from tests.html import assert_valid_html
from tests.meetings.factories import MeetingFactory, publish
from tests.personas import PERSONAS, SEES
from tests.workers import require_broker, running_worker, shared_database_url

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _pdf_text(response) -> str:
    content = b"".join(response.streaming_content)
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _agenda_url(meeting):
    return reverse("meetings:agenda_pdf", kwargs={"pk": meeting.pk})


def _minutes_url(meeting):
    return reverse("meetings:minutes_pdf", kwargs={"pk": meeting.pk})


# --- Who sees what -----------------------------------------------------------------------


@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("level", Visibility.values)
def test_it_answers_the_agenda_pdf_as_the_kernel_says(client, persona, name, level):
    body = BodyFactory()
    meeting = MeetingFactory(body=body, visibility=level, title="Sitzung Matrix")
    services.add_agenda_item(meeting=meeting, title="TOP Matrix")
    _login(client, persona(name, body=body))
    response = client.get(_agenda_url(meeting))
    if level not in SEES[name]:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "TOP Matrix" in _pdf_text(response)


@pytest.mark.parametrize("name", PERSONAS)
def test_it_answers_404_for_minutes_that_are_missing_or_hidden(client, persona, name):
    body = BodyFactory()
    meeting = MeetingFactory(body=body, visibility=Visibility.PUBLIC)
    user = persona(name, body=body)
    _login(client, user)
    assert client.get(_minutes_url(meeting)).status_code == 404  # no minutes yet

    minutes = services.minutes_for(meeting)
    minutes.visibility = Visibility.ADMIN_INTERNAL
    minutes.save()
    services.add_entry(minutes=minutes, section=MinuteSection.NOTE, text="Interne Notiz")
    publish(minutes)  # drafts have fewer readers (test_minutes_readers); here: the level
    response = client.get(_minutes_url(meeting))
    if Visibility.ADMIN_INTERNAL in SEES[name]:
        assert response.status_code == 200
        assert "Interne Notiz" in _pdf_text(response)
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("name", ["anonymous", "v_extern", "councillor"])
def test_each_reader_gets_their_own_minutes(client, persona, name):
    meeting = MeetingFactory(visibility=Visibility.PUBLIC)
    minutes = services.minutes_for(meeting)
    services.add_entry(minutes=minutes, section=MinuteSection.RESULT, text="Öffentliches Ergebnis")
    services.add_entry(
        minutes=minutes,
        section=MinuteSection.NOTE,
        text="Verwaltungsinterne Notiz",
        visibility=Visibility.ADMIN_INTERNAL,
    )
    services.add_entry(
        minutes=minutes,
        section=MinuteSection.NOTE,
        text="Zivilgesellschaftliche Notiz",
        visibility=Visibility.CIVIL_INTERNAL,
    )
    publish(minutes)
    _login(client, persona(name))
    text = _pdf_text(client.get(_minutes_url(meeting)))
    assert "Öffentliches Ergebnis" in text
    assert ("Verwaltungsinterne Notiz" in text) is (name == "councillor")
    assert ("Zivilgesellschaftliche Notiz" in text) is (name == "v_extern")
    rows = RenderedDocument.objects.of(MINUTES, str(meeting.pk))
    assert rows.count() == 1
    assert (
        rows.get().audience
        == {
            "anonymous": "public",
            "v_extern": "public+members+team+civil_internal",
            "councillor": "public+members+team+admin_internal",
        }[name]
    )


def _series(visibility=Visibility.PUBLIC):
    body = BodyFactory()
    series = MeetingSeries.objects.create(
        body=body,
        title="Wandel. Machen. Vor Ort.",
        kind=MeetingKind.PUBLIC_EVENT,
        recurrence=Recurrence.MONTHLY,
        weekday=3,
        week_of_month=-1,
        start_time=datetime.time(18),
        starts_on=datetime.date(2023, 1, 1),
        visibility=visibility,
    )
    meeting = MeetingFactory(
        body=body, series=series, kind=MeetingKind.PUBLIC_EVENT, title="Dialog Januar"
    )
    minutes = services.minutes_for(meeting)
    services.add_entry(
        minutes=minutes,
        section=MinuteSection.RECOMMENDATION,
        level=RecommendationLevel.MUNICIPAL,
        text="Vorkaufsrecht-Satzung nutzen",
    )
    publish(minutes)
    return series, meeting


@pytest.mark.parametrize("name", PERSONAS)
def test_the_series_report_follows_the_kernel(client, persona, name):
    series, _meeting = _series(visibility=Visibility.TEAM)
    _login(client, persona(name, body=series.body))
    response = client.get(reverse("meetings:series_recommendations_pdf", args=[series.pk]))
    if Visibility.TEAM in SEES[name]:
        assert response.status_code == 200
        assert "Vorkaufsrecht-Satzung nutzen" in _pdf_text(response)
    else:
        assert response.status_code == 404


def test_the_meeting_and_minutes_pages_link_the_pdfs(client, make_user):
    meeting = MeetingFactory(visibility=Visibility.PUBLIC)
    services.minutes_for(meeting)
    client.force_login(make_user(roles.V_INTERN))
    detail = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert f'href="{_agenda_url(meeting)}"' in detail
    assert f'href="{_minutes_url(meeting)}"' in detail
    page = client.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()
    assert f'href="{_minutes_url(meeting)}"' in page


def test_the_meeting_page_of_an_event_links_the_series_report(client):
    series, meeting = _series()
    detail = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert reverse("meetings:series_recommendations_pdf", args=[series.pk]) in detail


# --- Stored files and background rendering ---------------------------------------------------


def test_unchanged_content_reuses_the_stored_file(client, monkeypatch):
    meeting = MeetingFactory(visibility=Visibility.PUBLIC)
    services.add_agenda_item(meeting=meeting, title="Eins")
    first = client.get(_agenda_url(meeting))
    assert first.status_code == 200
    b"".join(first.streaming_content)
    calls = []
    original = renderer.render_pdf
    monkeypatch.setattr(renderer, "render_pdf", lambda **kw: calls.append(1) or original(**kw))
    second = client.get(_agenda_url(meeting))
    assert second.status_code == 200 and calls == []
    assert RenderedDocument.objects.filter(subject_id=str(meeting.pk)).count() == 1

    services.add_agenda_item(meeting=meeting, title="Zwei")
    third = client.get(_agenda_url(meeting))
    assert "Zwei" in _pdf_text(third) and calls == [1]
    assert RenderedDocument.objects.filter(subject_id=str(meeting.pk)).count() == 2


def _long_minutes(size=12):
    meeting = MeetingFactory(visibility=Visibility.PUBLIC, title="Lange Sitzung")
    minutes = services.minutes_for(meeting)
    items = AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, title=f"Punkt {i}", position=i) for i in range(size)
    )
    MinuteEntry.objects.bulk_create(
        MinuteEntry(
            minutes=minutes,
            section=MinuteSection.DISCUSSION,
            agenda_item=item,
            text=f"Diskussion zu Punkt {i}",
            position=i,
        )
        for i, item in enumerate(items)
    )
    return meeting, publish(minutes)


def test_a_long_document_is_rendered_in_the_background(
    client, settings, django_capture_on_commit_callbacks, eager_tasks
):
    settings.MEETINGS_PDF_SYNC_LIMIT = 5
    meeting, minutes = _long_minutes()
    url = _minutes_url(meeting)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.get(url)
    assert response.status_code == 202
    assert len(callbacks) == 1
    assert_valid_html(response)
    page = response.content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert f'hx-get="{url}?poll=1"' in page
    assert '<noscript><meta http-equiv="refresh"' in page
    row = RenderedDocument.objects.of(MINUTES, str(meeting.pk)).get()
    assert row.status == RenderStatus.DONE and row.pages >= 1

    # htmx asks: done, polling stops, the fragment asks once for the download.
    poll = client.get(url, {"poll": "1"}, headers={"HX-Request": "true"})
    assert poll.status_code == 286
    assert 'hx-trigger="load"' in poll.content.decode()
    fetch = client.get(url, headers={"HX-Request": "true"})
    assert fetch["HX-Redirect"] == url

    download = client.get(url)
    assert download.status_code == 200
    assert "Diskussion zu Punkt 11" in _pdf_text(download)

    # Unchanged: the stored file again. Changed agenda: a new row, progress again.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert client.get(url).status_code == 200
    assert callbacks == []
    services.add_agenda_item(meeting=meeting, title="Nachtrag")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.get(url)
    assert response.status_code == 202 and len(callbacks) == 1
    assert RenderedDocument.objects.filter(subject_id=str(meeting.pk)).count() == 2


def test_a_pending_document_keeps_polling(client, settings, django_capture_on_commit_callbacks):
    settings.MEETINGS_PDF_SYNC_LIMIT = 5
    meeting, _minutes = _long_minutes()
    url = _minutes_url(meeting)
    with django_capture_on_commit_callbacks(execute=False):
        client.get(url)
    poll = client.get(url, {"poll": "1"}, headers={"HX-Request": "true"})
    assert poll.status_code == 200
    assert 'hx-trigger="every 2s"' in poll.content.decode()
    page = client.get(url)
    assert page.status_code == 202
    assert_valid_html(page)


def test_a_failed_rendering_shows_a_german_error_and_can_be_retried(client, monkeypatch):
    meeting = MeetingFactory(visibility=Visibility.PUBLIC)
    original = renderer.render_pdf

    def boom(**kwargs):
        raise RuntimeError("cairo exploded")

    monkeypatch.setattr(renderer, "render_pdf", boom)
    response = client.get(_agenda_url(meeting), headers={"Accept-Language": "de"})
    assert response.status_code == 200
    assert_valid_html(response)
    assert "Das PDF konnte nicht erstellt werden" in response.content.decode()
    poll = client.get(_agenda_url(meeting), {"poll": "1"}, headers={"HX-Request": "true"})
    assert poll.status_code == 286

    monkeypatch.setattr(renderer, "render_pdf", original)
    assert client.get(_agenda_url(meeting)).status_code == 200  # still the stored failure
    retry = client.post(_agenda_url(meeting))
    assert retry.status_code == 302
    response = client.get(_agenda_url(meeting))
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_on_the_render_queue_renders_a_long_document(client, settings, tmp_path):
    require_broker()
    settings.MEETINGS_PDF_SYNC_LIMIT = 5
    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    meeting, _minutes = _long_minutes()
    url = _minutes_url(meeting)
    with running_worker(
        queues="render", DATABASE_URL=shared_database_url(), DJANGO_MEDIA_ROOT=str(media)
    ) as worker:
        assert client.get(url).status_code == 202
        row = RenderedDocument.objects.get(subject_id=str(meeting.pk))
        deadline = time.monotonic() + 60
        while row.status != RenderStatus.DONE and time.monotonic() < deadline:
            time.sleep(0.3)
            row.refresh_from_db()
        assert row.status == RenderStatus.DONE, row.error
        assert worker.poll() is None
    download = client.get(url)
    assert download.status_code == 200
    assert "Diskussion zu Punkt 11" in _pdf_text(download)


# --- Queries --------------------------------------------------------------------------------


def _big_meeting(size):
    meeting = MeetingFactory(visibility=Visibility.PUBLIC)
    services.add_standing_item(meeting=meeting)
    parents = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            title=f"Punkt {i}",
            position=i + 1,
            visibility=Visibility.values[i % 5] if i % 2 else Visibility.PUBLIC,
        )
        for i in range(size // 2)
    )
    children = AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, parent=parents[i % len(parents)], title=f"Unter {i}")
        for i in range(size - size // 2)
    )
    minutes = services.minutes_for(meeting)
    MinuteEntry.objects.bulk_create(
        MinuteEntry(
            minutes=minutes,
            section=MinuteSection.values[i % 6],
            agenda_item=item,
            text=f"Eintrag {i}",
            position=i,
            visibility=Visibility.values[i % 5],
        )
        for i, item in enumerate(parents + children)
    )
    return meeting


@pytest.mark.parametrize("size", [4, 40])
def test_pdf_queries_do_not_grow_with_the_document(
    client, make_user, settings, django_assert_max_num_queries, size
):
    settings.MEETINGS_PDF_SYNC_LIMIT = 1000
    meeting = _big_meeting(size)
    client.force_login(make_user(roles.V_INTERN))
    for url, most in ((_agenda_url(meeting), 16), (_minutes_url(meeting), 20)):
        with django_assert_max_num_queries(most):
            response = client.get(url)
        assert response.status_code == 200
        with django_assert_max_num_queries(most):
            again = client.get(url)
        assert again.status_code == 200


@pytest.mark.parametrize("size", [4, 200])
def test_the_progress_page_queries_do_not_grow_either(
    client, make_user, settings, django_assert_max_num_queries, size
):
    settings.MEETINGS_PDF_SYNC_LIMIT = 1
    meeting = _big_meeting(size)
    client.force_login(make_user(roles.V_INTERN))
    with django_assert_max_num_queries(20):
        response = client.get(_minutes_url(meeting))
    assert response.status_code == 202
    with django_assert_max_num_queries(20):
        poll = client.get(_minutes_url(meeting), {"poll": "1"}, headers={"HX-Request": "true"})
    assert poll.status_code == 200


def test_the_pdf_is_german_whatever_the_interface_language(client):
    meeting = MeetingFactory(
        visibility=Visibility.PUBLIC,
        start=timezone.make_aware(datetime.datetime(2026, 12, 8, 10)),
        end=timezone.make_aware(datetime.datetime(2026, 12, 8, 12)),
    )
    services.add_agenda_item(meeting=meeting, title="Eins")
    client.cookies["django_language"] = "en"
    text = _pdf_text(client.get(_agenda_url(meeting)))
    assert "Tagesordnung" in text and "Dienstag, 8. Dezember 2026" in text


def test_a_long_document_waits_instead_of_failing_when_the_broker_is_down(
    client, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from documents.tasks import render_document

    settings.MEETINGS_PDF_SYNC_LIMIT = 5
    monkeypatch.setattr(
        render_document, "delay", lambda *args: (_ for _ in ()).throw(ConnectionError("down"))
    )
    meeting, _minutes = _long_minutes()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(_minutes_url(meeting))
    assert response.status_code == 202
    row = RenderedDocument.objects.of(MINUTES, str(meeting.pk)).get()
    assert row.status == RenderStatus.PENDING
