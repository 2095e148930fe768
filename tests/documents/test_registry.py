"""The registry of document kinds and the stored renderings it keys."""

import dataclasses

import pytest
from django.contrib.auth.models import AnonymousUser

from bodies.access import Visibility
from documents import pdf, registry, services, tasks
from documents.models import RenderedDocument, RenderStatus
from documents.subjects import ANNUAL_REPORT, BodyYear
from meetings.documents import AGENDA, MINUTES, RECOMMENDATIONS
from tests.factories import BodyFactory
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_the_apps_register_their_kinds_at_start():
    names = {kind.name for kind in registry.kinds()}
    assert {AGENDA, MINUTES, RECOMMENDATIONS, ANNUAL_REPORT} <= names


def test_it_refuses_a_second_kind_under_a_known_name():
    agenda = registry.get(AGENDA)
    registry.register(agenda)  # the same kind again: a ready() that ran twice
    with pytest.raises(ValueError):
        registry.register(dataclasses.replace(agenda, label="Andere Tagesordnung"))
    assert registry.get(AGENDA) is agenda


def test_it_answers_an_unknown_kind_with_its_own_error():
    with pytest.raises(registry.UnknownKind):
        registry.get("no-such-kind")


def test_a_kind_finds_its_subject_again_by_its_key():
    meeting = MeetingFactory()
    agenda = registry.get(AGENDA)
    assert agenda.find_subject(agenda.subject_key(meeting)) == meeting
    assert agenda.find_subject("not-a-number") is None
    report = registry.get(ANNUAL_REPORT)
    subject = BodyYear(body=meeting.body, year=2025)
    assert report.find_subject(report.subject_key(subject)) == subject
    assert report.find_subject("x-2025") is None


def test_a_stored_rendering_is_reused_until_what_it_shows_changes(monkeypatch):
    body = BodyFactory(visibility=Visibility.PUBLIC)
    subject = BodyYear(body=body, year=2025)
    calls = []
    original = pdf.render_pdf
    monkeypatch.setattr(pdf, "render_pdf", lambda **kw: calls.append(1) or original(**kw))

    first = services.request_document(kind=ANNUAL_REPORT, subject=subject, user=AnonymousUser())
    again = services.request_document(kind=ANNUAL_REPORT, subject=subject, user=AnonymousUser())
    assert first.document.status == RenderStatus.DONE
    assert again.document.pk == first.document.pk and calls == [1]

    body.name = "Umbenanntes Gremium"
    body.save()
    changed = services.request_document(kind=ANNUAL_REPORT, subject=subject, user=AnonymousUser())
    assert changed.document.pk != first.document.pk and calls == [1, 1]
    rows = RenderedDocument.objects.of(ANNUAL_REPORT, subject.key)
    assert rows.count() == 2 and {row.audience for row in rows} == {"public"}


def test_the_task_renders_a_row_of_any_kind_by_its_subject_key(make_user):
    body = BodyFactory(visibility=Visibility.PUBLIC)
    subject = BodyYear(body=body, year=2025)
    source = services.build_source(kind=ANNUAL_REPORT, subject=subject, user=AnonymousUser())
    row = RenderedDocument.objects.create(
        kind=ANNUAL_REPORT,
        subject_id=subject.key,
        audience="public",
        fingerprint=services.fingerprint_for(kind=ANNUAL_REPORT, html=source.html),
    )
    assert tasks.render_document(row.pk) == RenderStatus.DONE
    assert tasks.render_document(row.pk) == "skipped"


def test_the_task_drops_a_row_the_reader_may_no_longer_see():
    body = BodyFactory(visibility=Visibility.TEAM)
    row = RenderedDocument.objects.create(
        kind=ANNUAL_REPORT, subject_id=f"{body.pk}-2025", audience="public", fingerprint="0" * 64
    )
    assert tasks.render_document(row.pk) == "unavailable"
    assert not RenderedDocument.objects.filter(pk=row.pk).exists()
