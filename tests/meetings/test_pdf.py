"""Agenda, minutes and recommendations as PDF: content, order, tagging, safe rendering,
and the stored renderings (audience, fingerprint, the background task)."""

import datetime
import io
import re

import pypdf
import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from aks.accounts import roles
from bodies import services as body_services
from bodies.access import Visibility, audience_key
from bodies.models import Counting, PollKind
from documents import pdf as renderer
from documents import services as pipeline
from documents import tasks
from documents.models import RenderedDocument, RenderStatus
from meetings import pdf, services
from meetings.documents import AGENDA
from meetings.models import (
    AttendanceStatus,
    MeetingKind,
    MeetingSeries,
    MinuteSection,
    RecommendationLevel,
    Recurrence,
)
from tests.factories import BodyFactory, MembershipFactory, OrganisationFactory, PersonFactory
from tests.meetings.factories import MeetingFactory, publish

pytestmark = pytest.mark.django_db

HOSTILE = (
    '<img src="file:///etc/passwd"> <img src="https://tracker.example.org/pixel.png"> '
    '<link rel="attachment" href="file:///etc/passwd"> '
    '<link rel="attachment" href="https://tracker.example.org/x.bin">'
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _text(content: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def _squash(text: str) -> str:
    """Hyphenation breaks long words over lines; compare with the words joined again."""
    text = re.sub(r"(\w)[\u2010\u00ad]\n(\w)", r"\1\2", text)
    return re.sub(r"\s+", " ", text)


def _meeting(**kwargs):
    start = timezone.make_aware(datetime.datetime(2026, 12, 8, 10, 0))
    defaults = {
        "title": "Jour-Fixe Dezember",
        "kind": MeetingKind.JOUR_FIXE,
        "start": start,
        "end": start + datetime.timedelta(hours=2),
        "place": "Rathaus Kreuzberg, Raum 2.14",
        "body": BodyFactory(name="AKS-Team Gemeinwohl"),
    }
    return MeetingFactory(**(defaults | kwargs))


def _agenda(meeting):
    presenter = PersonFactory(name="Jana Okafor")
    services.add_agenda_item(meeting=meeting, title="Begrüßung", duration_minutes=5)
    shop = services.add_agenda_item(
        meeting=meeting,
        title="Vor-Ort-Laden",
        presenter=presenter,
        duration_minutes=30,
        description="Der ehemalige Fahrradladen in der Wrangelstraße.",
    )
    services.add_agenda_item(meeting=meeting, title="Stand der Herrichtung", parent=shop)
    services.add_agenda_item(
        meeting=meeting,
        title="Stellenbesetzung im Stadtentwicklungsamt",
        visibility=Visibility.ADMIN_INTERNAL,
    )
    services.add_agenda_item(meeting=meeting, title="Verschiedenes")
    from meetings.models import GuidingQuestion

    GuidingQuestion.objects.create(
        meeting=meeting, agenda_item=shop, text="Wer verwaltet die Schlüssel?", position=1
    )
    return shop


# --- Agenda ------------------------------------------------------------------------------


def test_it_renders_the_agenda_numbered_as_the_reader_sees_it(make_user):
    meeting = _meeting()
    _agenda(meeting)
    source = pdf.agenda_source(meeting=meeting, user=AnonymousUser())
    rendered = pdf.render_pdf(html=source.html)
    text = _squash(_text(rendered.content))

    titles = ["Begrüßung", "Vor-Ort-Laden", "Stand der Herrichtung", "Verschiedenes"]
    positions = [text.index(title) for title in titles]
    assert positions == sorted(positions)
    assert "Stellenbesetzung" not in text
    # A hidden item keeps its number as a placeholder: every reader numbers alike.
    assert "TOP 3 – nicht öffentlich" in text
    assert re.search(r"\b4\s+Verschiedenes", text)
    assert re.search(r"\b2\.1\s+Stand der Herrichtung", text)
    assert "Jana Okafor" in text
    assert "30 Minuten" in text
    assert "Wer verwaltet die Schlüssel?" in text
    assert "Dienstag, 8. Dezember 2026" in text
    assert "Rathaus Kreuzberg" in text
    assert "AKS-Team Gemeinwohl" in text
    assert f"Seite 1 von {rendered.pages}" in text

    internal = pdf.agenda_source(meeting=meeting, user=make_user(roles.V_INTERN))
    internal_text = _squash(_text(pdf.html_to_pdf(html=internal.html)))
    assert "Stellenbesetzung im Stadtentwicklungsamt" in internal_text
    assert re.search(r"\b4\s+Verschiedenes", internal_text)


def test_it_tags_the_pdf_and_sets_title_and_language():
    meeting = _meeting()
    _agenda(meeting)
    source = pdf.agenda_source(meeting=meeting, user=AnonymousUser())
    reader = pypdf.PdfReader(io.BytesIO(pdf.html_to_pdf(html=source.html)))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "de"
    assert reader.metadata.title == "Tagesordnung: Jour-Fixe Dezember"
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    # Only the bundled fonts, embedded (subsets of the files in static/fonts).
    assert fonts and all("DejaVu" in name for name in fonts)
    assert all(
        "/FontFile2" in font.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    )


def test_it_numbers_pages_on_long_agendas():
    meeting = _meeting()
    for index in range(80):
        services.add_agenda_item(meeting=meeting, title=f"Punkt {index}", duration_minutes=5)
    rendered = pdf.render_pdf(html=pdf.agenda_source(meeting=meeting, user=AnonymousUser()).html)
    assert rendered.pages > 1
    text = _text(rendered.content)
    assert f"Seite 1 von {rendered.pages}" in text
    assert f"Seite {rendered.pages} von {rendered.pages}" in text


# --- Minutes -----------------------------------------------------------------------------


def _minutes_with_everything():
    meeting = _meeting(title="Steuerungsrunde November")
    shop = _agenda(meeting)
    minutes = services.minutes_for(meeting)
    services.add_entry(
        minutes=minutes, section=MinuteSection.INTRODUCTION, text="Begrüßung durch die Moderation."
    )
    services.add_entry(
        minutes=minutes,
        section=MinuteSection.DISCUSSION,
        text="Die BIM signalisiert Gesprächsbereitschaft.",
        agenda_item=shop,
        speaker=PersonFactory(name="Timo Brandauer"),
    )
    services.add_entry(
        minutes=minutes,
        section=MinuteSection.NOTE,
        text="Haushaltssperre im Amt droht.",
        visibility=Visibility.ADMIN_INTERNAL,
    )
    services.add_entry(
        minutes=minutes,
        section=MinuteSection.RESULT,
        text="Die AG legt bis Januar ein Betriebsmodell vor.",
        agenda_item=shop,
    )
    body = meeting.body
    MembershipFactory.create_batch(17, body=body)  # the roll: enough hands for the counts
    poll = body_services.create_poll(
        body=body,
        title="Vor-Ort-Laden eröffnen",
        kind=PollKind.YES_NO_ABSTAIN,
        counting=Counting.ANALOG,
        visibility=Visibility.PUBLIC,
    )
    body_services.open_poll(poll=poll)
    options = {o.meaning: o.pk for o in poll.options.all()}
    body_services.enter_analog_counts(
        poll=poll, counts={options["yes"]: 12, options["no"]: 3, options["abstain"]: 2}, valid=17
    )
    poll = body_services.close_poll(poll=poll, decided_on=datetime.date(2026, 11, 10))
    shop.decisions.add(poll.decision)
    person = PersonFactory(name="Aylin Demir")
    services.record_attendance(
        meeting=meeting, statuses={}, add_person=person, add_status=AttendanceStatus.ATTENDED
    )
    services.add_action_item(
        meeting=meeting,
        title="Schlüsselübergabe organisieren",
        due=datetime.date(2026, 12, 1),
        visibility=Visibility.PUBLIC,
    )
    services.add_commitment(
        meeting=meeting,
        organisation=OrganisationFactory(name="BIM Berliner Immobilienmanagement"),
        what="Die BIM legt einen Entwurf der Nutzungsvereinbarung vor.",
        due=datetime.date(2026, 12, 15),
    )
    from meetings.models import GuidingQuestion

    GuidingQuestion.objects.filter(meeting=meeting).update(answer="Das Quartiersbüro.")
    publish(minutes)
    return meeting, minutes, poll


def test_the_public_and_the_internal_minutes_differ(make_user):
    meeting, minutes, _poll = _minutes_with_everything()
    public = pdf.minutes_source(meeting=meeting, minutes=minutes, user=AnonymousUser())
    internal = pdf.minutes_source(
        meeting=meeting, minutes=minutes, user=make_user(roles.COUNCILLOR)
    )
    public_text = _squash(_text(pdf.html_to_pdf(html=public.html)))
    internal_text = _squash(_text(pdf.html_to_pdf(html=internal.html)))
    for text in (public_text, internal_text):
        assert "Begrüßung durch die Moderation." in text
        assert "Die BIM signalisiert Gesprächsbereitschaft." in text
        assert "Seite 1 von" in text
    assert "Haushaltssperre" not in public_text
    assert "Stellenbesetzung" not in public_text
    assert "Haushaltssperre im Amt droht." in internal_text
    assert "Stellenbesetzung im Stadtentwicklungsamt" in internal_text
    assert public.html != internal.html


def test_the_minutes_hold_attendance_sections_decisions_tasks_and_answers():
    meeting, minutes, poll = _minutes_with_everything()
    source = pdf.minutes_source(meeting=meeting, minutes=minutes, user=AnonymousUser())
    text = _squash(_text(pdf.html_to_pdf(html=source.html)))
    assert "Aylin Demir" in text
    # Sections in the order of the minutes, entries under their agenda item.
    order = ["Einführende Worte", "Diskussion", "Ergebnis"]
    positions = [text.index(label) for label in order]
    assert positions == sorted(positions)
    assert "TOP 2: Vor-Ort-Laden" in text
    assert "Timo Brandauer" in text
    assert poll.decision.number in text
    assert "12 Ja, 3 Nein, 2 Enthaltungen" in text
    assert "Schlüsselübergabe organisieren" in text
    assert "1. Dezember 2026" in text
    assert "Die BIM legt einen Entwurf der Nutzungsvereinbarung vor." in text
    assert "Wer verwaltet die Schlüssel?" in text
    assert "Das Quartiersbüro." in text


def test_a_decision_shows_no_counts_to_a_reader_who_may_not_see_its_poll():
    meeting, minutes, poll = _minutes_with_everything()
    type(poll).objects.filter(pk=poll.pk).update(visibility=Visibility.TEAM)
    source = pdf.minutes_source(meeting=meeting, minutes=minutes, user=AnonymousUser())
    text = _squash(_text(pdf.html_to_pdf(html=source.html)))
    assert poll.decision.number in text
    assert "12 Ja" not in text


# --- Safe rendering ------------------------------------------------------------------------


def test_it_neither_fetches_nor_embeds_what_users_typed(monkeypatch):
    fetched = []
    original = pdf.StaticFilesFetcher.fetch

    def spy(self, url, headers=None):
        fetched.append(url)
        return original(self, url, headers)

    monkeypatch.setattr(pdf.StaticFilesFetcher, "fetch", spy)
    meeting = _meeting()
    services.add_agenda_item(meeting=meeting, title="Feindlich", description=HOSTILE)
    minutes = services.minutes_for(meeting)
    services.add_entry(minutes=minutes, section=MinuteSection.NOTE, text=HOSTILE)
    publish(minutes)

    for source in (
        pdf.agenda_source(meeting=meeting, user=AnonymousUser()),
        pdf.minutes_source(meeting=meeting, minutes=minutes, user=AnonymousUser()),
    ):
        assert "&lt;img src=&quot;file:///etc/passwd&quot;&gt;" in source.html
        content = pdf.html_to_pdf(html=source.html)
        assert b"root:x:0:0" not in content
        assert b"/EmbeddedFile" not in content
        assert b"/Subtype /Image" not in content
        assert '<img src="file:///etc/passwd">' in _text(content)
    assert fetched, "the stylesheet's fonts come through the fetcher"
    assert all(url.startswith(pdf.PDF_BASE_URL + "static/fonts/") for url in fetched)


def test_the_fetcher_refuses_files_and_the_network_and_serves_static_files():
    fetcher = pdf.StaticFilesFetcher()
    for url in (
        "file:///etc/passwd",
        "http://example.org/logo.png",
        "https://example.org/logo.png",
        f"{pdf.PDF_BASE_URL}etc/passwd",
        f"{pdf.PDF_BASE_URL}static/../../../etc/passwd",
        f"{pdf.PDF_BASE_URL}static/%2e%2e/%2e%2e/etc/passwd",
        "http://pdf.gemeinwohl.invalid/static/css/pdf.css",
        "ftp://example.org/x",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    response = fetcher.fetch(f"{pdf.PDF_BASE_URL}static/css/pdf.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"
    assert fetcher.fetch("data:text/plain,hallo").read() == b"hallo"


# --- Recommendations report -----------------------------------------------------------------


def _series_with_recommendations():
    body = BodyFactory(name="Netzwerk Zukunftsorte")
    series = MeetingSeries.objects.create(
        body=body,
        title="Wandel. Machen. Vor Ort.",
        kind=MeetingKind.PUBLIC_EVENT,
        recurrence=Recurrence.MONTHLY,
        weekday=3,
        week_of_month=-1,
        start_time=datetime.time(18),
        starts_on=datetime.date(2023, 1, 1),
    )
    first = _meeting(
        body=body,
        series=series,
        kind=MeetingKind.PUBLIC_EVENT,
        title="Wie können Kommunen Bestand nutzen?",
        start=timezone.make_aware(datetime.datetime(2023, 1, 26, 18)),
        end=timezone.make_aware(datetime.datetime(2023, 1, 26, 20)),
    )
    second = _meeting(
        body=body,
        series=series,
        kind=MeetingKind.PUBLIC_EVENT,
        title="Wie kann Engagement Wandel herbeiführen?",
        start=timezone.make_aware(datetime.datetime(2023, 2, 23, 18)),
        end=timezone.make_aware(datetime.datetime(2023, 2, 23, 20)),
    )
    hidden = _meeting(
        body=body,
        series=series,
        kind=MeetingKind.PUBLIC_EVENT,
        title="Internes Vorgespräch",
        visibility=Visibility.TEAM,
        start=timezone.make_aware(datetime.datetime(2023, 3, 1, 18)),
        end=timezone.make_aware(datetime.datetime(2023, 3, 1, 20)),
    )
    rows = [
        (first, RecommendationLevel.MUNICIPAL, "Vorkaufsrecht-Satzung nutzen"),
        (first, RecommendationLevel.STATE, "Liegenschaftsfonds nach Frankfurter Vorbild"),
        (second, RecommendationLevel.MUNICIPAL, "Anlaufstelle für kreative Initiativen"),
        (second, RecommendationLevel.FEDERAL, "Mutige Förderkultur mit Spielraum"),
        (hidden, RecommendationLevel.MUNICIPAL, "Geheime Empfehlung"),
    ]
    for meeting, level, text in rows:
        services.add_entry(
            minutes=services.minutes_for(meeting),
            section=MinuteSection.RECOMMENDATION,
            level=level,
            text=text,
        )
    for meeting in {meeting for meeting, _level, _text in rows}:
        publish(meeting.minutes)
    return series


def test_the_recommendations_report_groups_by_level_with_the_events(make_user):
    series = _series_with_recommendations()
    source = pdf.recommendations_source(series=series, user=AnonymousUser())
    text = _squash(_text(pdf.html_to_pdf(html=source.html)))
    municipal = text.index("Kommunale Ebene")
    higher = text.index("Land + Bund")
    assert municipal < text.index("Vorkaufsrecht-Satzung nutzen") < higher
    assert municipal < text.index("Anlaufstelle für kreative Initiativen") < higher
    assert higher < text.index("Liegenschaftsfonds nach Frankfurter Vorbild")
    assert higher < text.index("Mutige Förderkultur mit Spielraum")
    assert "Wie können Kommunen Bestand nutzen? (26. Januar 2023)" in text
    assert "Geheime Empfehlung" not in text
    team = pdf.recommendations_source(series=series, user=make_user(roles.V_EXTERN))
    assert "Geheime Empfehlung" in team.html


# --- Stored renderings -------------------------------------------------------------------------


def test_the_audience_names_the_levels_the_reader_sees(make_user, member_of):
    body = BodyFactory()
    assert audience_key(AnonymousUser(), body_id=body.pk) == "public"
    assert (
        audience_key(make_user(roles.V_INTERN), body_id=body.pk)
        == "public+members+team+admin_internal"
    )
    assert (
        audience_key(make_user(roles.V_EXTERN), body_id=body.pk)
        == "public+members+team+civil_internal"
    )
    member = make_user(roles.ASSOCIATION_MEMBER)
    assert audience_key(member, body_id=body.pk) == "public"
    member_of(member, body)
    assert audience_key(member, body_id=body.pk) == "public+members"
    assert audience_key(make_user(is_superuser=True), body_id=body.pk) == "all"


def test_the_fingerprint_changes_with_the_agenda_and_only_then():
    meeting = _meeting()
    _agenda(meeting)

    def fingerprint():
        source = pdf.agenda_source(meeting=meeting, user=AnonymousUser())
        return pipeline.fingerprint_for(kind=AGENDA, html=source.html)

    first = fingerprint()
    assert fingerprint() == first
    services.add_agenda_item(meeting=meeting, title="Neuer Punkt")
    assert fingerprint() != first


def test_the_task_renders_once_and_leaves_a_done_row_alone(make_user, monkeypatch):
    meeting = _meeting()
    _agenda(meeting)
    user = make_user(roles.V_INTERN)
    source = pdf.agenda_source(meeting=meeting, user=user)
    row = RenderedDocument.objects.create(
        kind=AGENDA,
        subject_id=str(meeting.pk),
        audience=audience_key(user, body_id=meeting.body_id),
        fingerprint=pipeline.fingerprint_for(kind=AGENDA, html=source.html),
        requested_by=user,
    )
    assert tasks.render_document(row.pk) == RenderStatus.DONE
    row.refresh_from_db()
    assert row.status == RenderStatus.DONE and row.pages >= 1 and row.finished_at
    assert "Stellenbesetzung" in _text(row.file.read())
    calls = []
    monkeypatch.setattr(renderer, "render_pdf", lambda **kw: calls.append(kw))
    assert tasks.render_document(row.pk) == "skipped"
    assert calls == []


def test_the_task_drops_a_row_whose_content_changed_meanwhile(make_user):
    meeting = _meeting()
    user = make_user(roles.V_INTERN)
    row = RenderedDocument.objects.create(
        kind=AGENDA,
        subject_id=str(meeting.pk),
        audience="public+members+team+admin_internal",
        fingerprint="0" * 64,
        requested_by=user,
    )
    assert tasks.render_document(row.pk) == "changed"
    assert not RenderedDocument.objects.filter(pk=row.pk).exists()


def test_a_failing_rendering_is_stored_not_raised(make_user, monkeypatch):
    meeting = _meeting()
    user = make_user(roles.V_INTERN)

    def boom(**kwargs):
        raise RuntimeError("cairo exploded")

    monkeypatch.setattr(renderer, "render_pdf", boom)
    result = pipeline.request_document(kind=AGENDA, subject=meeting, user=user)
    assert result.document.status == RenderStatus.FAILED
    assert result.document.error == "error"


def test_the_standing_item_lists_what_rolled_forward(make_user):
    meeting = _meeting()
    services.add_standing_item(meeting=meeting)
    services.add_agenda_item(meeting=meeting, title="Bericht")
    earlier = _meeting(
        body=meeting.body,
        title="Jour-Fixe November",
        start=meeting.start - datetime.timedelta(days=28),
        end=meeting.end - datetime.timedelta(days=28),
    )
    services.add_action_item(
        meeting=earlier,
        title="Nutzungsvereinbarung abstimmen",
        assignee_person=PersonFactory(name="Jana Okafor"),
        due=datetime.date(2026, 12, 1),
    )
    source = pdf.agenda_source(meeting=meeting, user=make_user(roles.COUNCILLOR))
    text = _squash(_text(pdf.html_to_pdf(html=source.html)))
    assert "Nutzungsvereinbarung abstimmen – Jana Okafor" in text
