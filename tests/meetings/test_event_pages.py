"""The public face: home page, events list, event page with its documentation, and the
staff pages for registrations (list, door check-in, CSV) per persona."""

import datetime

import html5lib
import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from bodies.access import Visibility
from bodies.services import record_decision
from meetings import services
from meetings.models import (
    EventDocument,
    MeetingKind,
    MinuteSection,
    RecommendationLevel,
    RegistrationStatus,
)
from tests.factories import XSS, BodyFactory, OrganisationFactory, PersonFactory
from tests.html import assert_valid_html
from tests.meetings.factories import MeetingFactory, publish
from tests.meetings.factories_events import EventFactory, RegistrationFactory, SpeakerFactory
from tests.personas import PERSONAS, SEES

pytestmark = pytest.mark.django_db

# Who sees registrants' names and addresses: the AKS staff (and the superuser).
STAFF = {"v_extern", "v_intern", "superuser"}


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    # The registration rate limit counts in the process-wide cache.
    cache.clear()
    yield
    cache.clear()


def _login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _past(**kwargs):
    start = timezone.now() - datetime.timedelta(days=3)
    return EventFactory(
        start=start,
        end=start + datetime.timedelta(hours=2),
        registration_closes_at=start - datetime.timedelta(hours=1),
        **kwargs,
    )


# --- who sees what -----------------------------------------------------------------------


@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("level", Visibility.values)
def test_event_pages_follow_the_kernel(client, persona, name, level):
    body = BodyFactory()
    meeting = EventFactory(body=body, visibility=level, title="Dialog Matrix")
    user = persona(name, body=body)
    _login(client, user)
    expected = level in SEES[name]

    detail = client.get(reverse("meetings:event_detail", args=[meeting.pk]))
    assert detail.status_code == (200 if expected else 404)
    listed = client.get(reverse("meetings:event_list"))
    assert (reverse("meetings:event_detail", args=[meeting.pk]) in listed.content.decode()) is (
        expected
    )
    register = client.post(reverse("meetings:event_register", args=[meeting.pk]), {})
    assert register.status_code == (400 if expected else 404)
    if expected:
        assert_valid_html(detail)


@pytest.mark.parametrize("name", PERSONAS)
def test_registrant_data_is_seen_by_staff_only(client, persona, name):
    body = BodyFactory()
    meeting = EventFactory(body=body)
    guest = RegistrationFactory(meeting=meeting, email="geheim@example.org")
    user = persona(name, body=body)
    _login(client, user)
    pages = [
        reverse("meetings:event_registrations", args=[meeting.pk]),
        reverse("meetings:event_check_in", args=[meeting.pk]),
        reverse("meetings:event_registrations_csv", args=[meeting.pk]),
    ]
    for url in pages:
        response = client.get(url)
        if name in STAFF:
            assert response.status_code == 200
            assert "geheim@example.org" in response.content.decode() or url.endswith("einlass/")
        elif name == "anonymous":
            assert response.status_code == 302 and "anmelden" in response["Location"]
        else:
            assert response.status_code == 403
    check_in = client.post(pages[1], {"registration": guest.pk})
    guest.refresh_from_db()
    assert (guest.checked_in_at is not None) is (name in STAFF)
    assert check_in.status_code in ((302,) if name in STAFF else (302, 403))
    public = client.get(reverse("meetings:event_detail", args=[meeting.pk])).content.decode()
    assert "geheim@example.org" not in public
    assert (reverse("meetings:event_registrations", args=[meeting.pk]) in public) is (name in STAFF)


def test_staff_pages_of_a_hidden_event_answer_404(client, make_user):
    from aks.accounts import roles

    meeting = EventFactory(visibility=Visibility.ADMIN_INTERNAL)
    client.force_login(make_user(roles.V_EXTERN))
    for name in ("event_registrations", "event_check_in", "event_registrations_csv"):
        assert client.get(reverse(f"meetings:{name}", args=[meeting.pk])).status_code == 404


def test_a_meeting_that_is_no_event_has_no_event_page(client):
    meeting = MeetingFactory(kind=MeetingKind.JOUR_FIXE)
    assert client.get(reverse("meetings:event_detail", args=[meeting.pk])).status_code == 404


# --- event page ----------------------------------------------------------------------------


def test_the_event_page_shows_speakers_place_and_programme(client):
    meeting = EventFactory(online_url="https://meet.example.org/dialog")
    SpeakerFactory(meeting=meeting, name="Wolf-Christian Strauss", affiliation="Difu")
    services.add_agenda_item(meeting=meeting, title="Begrüßung")
    services.add_agenda_item(
        meeting=meeting, title="Interne Vorbesprechung", visibility=Visibility.TEAM
    )

    response = client.get(reverse("meetings:event_detail", args=[meeting.pk]))
    content = response.content.decode()
    assert_valid_html(response)
    assert "Wolf-Christian Strauss" in content and "Difu" in content
    assert "https://meet.example.org/dialog" in content
    assert "Begrüßung" in content
    assert "Interne Vorbesprechung" not in content
    assert 'name="website"' in content and 'name="started"' in content


def test_afterwards_it_shows_recording_slides_and_visible_recommendations(
    client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    meeting = _past(recording_url="https://video.example.org/dialog-1")
    document = EventDocument(meeting=meeting, title=f"Folien {XSS}")
    document.file.save("folien.pdf", ContentFile(b"%PDF-1.4 demo"), save=True)
    minutes = services.minutes_for(meeting)
    services.add_entry(
        minutes=minutes,
        section=MinuteSection.RECOMMENDATION,
        level=RecommendationLevel.MUNICIPAL,
        text="Leerstand aktiv vermitteln",
    )
    services.add_entry(
        minutes=minutes,
        section=MinuteSection.RECOMMENDATION,
        level=RecommendationLevel.STATE,
        text="Geheime Empfehlung",
        visibility=Visibility.TEAM,
    )
    services.add_entry(minutes=minutes, section=MinuteSection.DISCUSSION, text="Diskussion")
    # The public reads the recommendations once the minutes are published.
    response = client.get(reverse("meetings:event_detail", args=[meeting.pk]))
    assert "Leerstand aktiv vermitteln" not in response.content.decode()
    publish(minutes)

    response = client.get(reverse("meetings:event_detail", args=[meeting.pk]))
    content = response.content.decode()
    assert_valid_html(response)
    assert "https://video.example.org/dialog-1" in content
    assert "Leerstand aktiv vermitteln" in content
    assert "Geheime Empfehlung" not in content
    assert "Diskussion" not in content
    download = client.get(reverse("meetings:event_document", args=[meeting.pk, document.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_slides_of_a_hidden_event_answer_404(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting = _past(visibility=Visibility.TEAM)
    document = EventDocument(meeting=meeting, title="Folien")
    document.file.save("folien.pdf", ContentFile(b"%PDF-1.4"), save=True)
    url = reverse("meetings:event_document", args=[meeting.pk, document.pk])
    assert client.get(url).status_code == 404


def test_a_slide_file_must_be_a_presentation(settings, tmp_path):
    from django.core.exceptions import ValidationError

    settings.MEDIA_ROOT = tmp_path
    document = EventDocument(meeting=EventFactory(), title="Skript")
    document.file.save("skript.exe", ContentFile(b"MZ"), save=False)
    with pytest.raises(ValidationError):
        document.full_clean()


def test_a_full_event_says_so_and_still_takes_registrations(client):
    meeting = EventFactory(capacity=1)
    RegistrationFactory(meeting=meeting)
    response = client.get(reverse("meetings:event_detail", args=[meeting.pk]))
    assert response.context["seats"].free == 0
    assert "form" in response.context


def _registration_inputs(response) -> dict[str, str]:
    document = html5lib.parse(response.content.decode(), namespaceHTMLElements=False)
    return {
        field.get("name"): field.get("value", "")
        for field in document.iterfind(".//input")
        if field.get("name") in {"name", "email", "organisation"}
    }


def test_it_prefills_the_registration_form_for_a_signed_in_member(client, make_user):
    from aks.accounts import roles

    user = make_user(roles.ASSOCIATION_MEMBER, email="jana@example.org")
    PersonFactory(
        user=user, name="Jana Beispiel", organisation=OrganisationFactory(name="Kiezladen e.V.")
    )
    client.force_login(user)
    response = client.get(reverse("meetings:event_detail", args=[EventFactory().pk]))
    assert_valid_html(response)
    assert _registration_inputs(response) == {
        "name": "Jana Beispiel",
        "email": "jana@example.org",
        "organisation": "Kiezladen e.V.",
    }


def test_it_prefills_the_account_name_when_there_is_no_person(client, make_user):
    from aks.accounts import roles

    user = make_user(roles.ASSOCIATION_MEMBER, email="ole@example.org", display_name="Ole")
    client.force_login(user)
    response = client.get(reverse("meetings:event_detail", args=[EventFactory().pk]))
    assert _registration_inputs(response) == {
        "name": "Ole",
        "email": "ole@example.org",
        "organisation": "",
    }


def test_it_leaves_the_registration_form_empty_for_the_public(client):
    response = client.get(reverse("meetings:event_detail", args=[EventFactory().pk]))
    assert _registration_inputs(response) == {"name": "", "email": "", "organisation": ""}


# --- events list ---------------------------------------------------------------------------


def test_the_list_shows_upcoming_events_first_and_filters(client):
    soon = EventFactory(title="Bald", start=timezone.now() + datetime.timedelta(days=2))
    later = EventFactory(
        title="Später",
        kind=MeetingKind.PUBLIC_ASSEMBLY,
        start=timezone.now() + datetime.timedelta(days=20),
    )
    past = _past(title="Vorbei")
    MeetingFactory(title="Arbeitsgruppe", kind=MeetingKind.WORKING_GROUP)

    listed = client.get(reverse("meetings:event_list"))
    assert_valid_html(listed)
    assert list(listed.context["page"].object_list) == [soon, later]
    past_list = client.get(reverse("meetings:event_list"), {"when": "past"})
    assert list(past_list.context["page"].object_list) == [past]
    everything = client.get(reverse("meetings:event_list"), {"when": ""})
    assert set(everything.context["page"].object_list) == {soon, later, past}
    by_kind = client.get(reverse("meetings:event_list"), {"kind": MeetingKind.PUBLIC_ASSEMBLY})
    assert list(by_kind.context["page"].object_list) == [later]
    by_date = client.get(
        reverse("meetings:event_list"),
        {"when": "", "date_from": timezone.localdate(later.start).isoformat()},
    )
    assert list(by_date.context["page"].object_list) == [later]


def test_the_list_filters_by_series(client):
    from meetings.models import MeetingSeries, Recurrence

    body = BodyFactory()
    series = MeetingSeries.objects.create(
        body=body,
        title="Wandel. Machen. Vor Ort.",
        kind=MeetingKind.PUBLIC_EVENT,
        recurrence=Recurrence.MONTHLY,
        weekday=3,
        week_of_month=4,
        start_time=datetime.time(18),
        starts_on=timezone.localdate(),
    )
    in_series = EventFactory(body=body, series=series)
    EventFactory()
    response = client.get(reverse("meetings:event_list"), {"series": series.pk})
    assert list(response.context["page"].object_list) == [in_series]


# --- home page ---------------------------------------------------------------------------


def test_the_home_page_shows_public_events_decisions_tracker_and_map(client):
    body = BodyFactory()
    event = EventFactory(body=body, title="Offene Versammlung im Kiez")
    EventFactory(body=body, title="Interne Veranstaltung", visibility=Visibility.TEAM)
    record_decision(body=body, title="Öffentlicher Beschluss", decided_on=timezone.localdate())
    record_decision(
        body=body,
        title="Interner Beschluss",
        decided_on=timezone.localdate(),
        visibility=Visibility.ADMIN_INTERNAL,
    )

    response = client.get(reverse("portal:home"))
    content = response.content.decode()
    assert_valid_html(response)
    assert reverse("meetings:event_detail", args=[event.pk]) in content
    assert "Interne Veranstaltung" not in content
    assert "Öffentlicher Beschluss" in content and "Interner Beschluss" not in content
    assert reverse("meetings:tracker") in content
    assert reverse("spaces:map") in content
    assert reverse("meetings:event_list") in content


# --- staff pages ---------------------------------------------------------------------------


def test_the_registration_list_groups_by_status(client, make_user):
    from aks.accounts import roles

    meeting = EventFactory(capacity=1)
    RegistrationFactory(meeting=meeting, name="Anna Sitz")
    RegistrationFactory(
        meeting=meeting, name="Ben Warte", status=RegistrationStatus.WAITING, position=1
    )
    client.force_login(make_user(roles.V_INTERN))
    response = client.get(reverse("meetings:event_registrations", args=[meeting.pk]))
    assert_valid_html(response)
    content = response.content.decode()
    assert "Anna Sitz" in content and "Ben Warte" in content


def test_it_heads_the_waiting_list_column_platz_not_ort(client, make_user):
    # "Place" is both a location (Ort) and a position in a queue (Platz).
    from aks.accounts import roles

    meeting = EventFactory(capacity=0, place="Nachbarschaftshaus")
    RegistrationFactory(
        meeting=meeting, name="Ben Warte", status=RegistrationStatus.WAITING, position=1
    )
    client.force_login(make_user(roles.V_INTERN))
    response = client.get(reverse("meetings:event_registrations", args=[meeting.pk]))
    document = html5lib.parse(response.content.decode(), namespaceHTMLElements=False)
    (waiting,) = [
        section
        for section in document.iter("section")
        if section.get("aria-labelledby") == "status-waiting"
    ]
    headings = ["".join(th.itertext()) for th in waiting.iterfind(".//thead//th")]
    assert headings[0] == "Platz"
    assert "Ort" not in headings


def test_the_door_list_finds_and_checks_in_and_undoes(client, make_user):
    from aks.accounts import roles

    meeting = EventFactory(capacity=5)
    anna = RegistrationFactory(meeting=meeting, name="Anna Sitz")
    RegistrationFactory(meeting=meeting, name="Ben Platz")
    RegistrationFactory(
        meeting=meeting, name="Cem Warte", status=RegistrationStatus.WAITING, position=1
    )
    client.force_login(make_user(roles.V_EXTERN))
    url = reverse("meetings:event_check_in", args=[meeting.pk])

    found = client.get(url, {"q": "anna"})
    assert_valid_html(found)
    assert [r.name for r in found.context["rows"]] == ["Anna Sitz"]
    assert "Cem Warte" not in client.get(url).content.decode()
    response = client.post(url, {"registration": anna.pk, "q": "anna"})
    assert response.status_code == 302 and response["Location"].endswith("?q=anna")
    anna.refresh_from_db()
    assert anna.checked_in_at is not None
    client.post(url, {"registration": anna.pk, "undo": "1"})
    anna.refresh_from_db()
    assert anna.checked_in_at is None


def test_the_csv_lists_everyone_and_defuses_formulas(client, make_user):
    from aks.accounts import roles

    meeting = EventFactory()
    RegistrationFactory(meeting=meeting, name="=HYPERLINK(1)", organisation="@böse")
    client.force_login(make_user(roles.V_INTERN))
    response = client.get(reverse("meetings:event_registrations_csv", args=[meeting.pk]))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and "'@böse" in text


# --- queries do not grow ---------------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 20])
def test_list_and_detail_queries_do_not_grow(
    client, make_user, django_assert_max_num_queries, size
):
    from aks.accounts import roles

    meeting = EventFactory(capacity=size * 2)
    for i in range(size):
        EventFactory()
        SpeakerFactory(meeting=meeting)
        RegistrationFactory(meeting=meeting)
        services.add_agenda_item(meeting=meeting, title=f"Punkt {i}")
    with django_assert_max_num_queries(8):
        assert client.get(reverse("meetings:event_list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("meetings:event_detail", args=[meeting.pk])).status_code == 200
    member = make_user(roles.ASSOCIATION_MEMBER)
    PersonFactory(user=member, organisation=OrganisationFactory())
    client.force_login(member)
    with django_assert_max_num_queries(16):
        assert client.get(reverse("meetings:event_detail", args=[meeting.pk])).status_code == 200
    client.force_login(make_user(roles.V_INTERN))
    for name in ("event_registrations", "event_check_in", "event_registrations_csv"):
        with django_assert_max_num_queries(14):
            assert client.get(reverse(f"meetings:{name}", args=[meeting.pk])).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("portal:home")).status_code == 200


@pytest.mark.parametrize(
    ("name", "content", "valid"),
    [
        ("folien.pdf", b"%PDF-1.7\n...", True),
        ("folien.pptx", b"PK\x03\x04rest", True),
        ("folien.odp", b"PK\x03\x04rest", True),
        ("folien.pdf", b"MZ\x90\x00 an executable", False),
        ("folien.pptx", b"<html><script>alert(1)</script>", False),
        ("folien.pdf", b"", False),
    ],
)
def test_it_checks_a_slide_file_by_its_content_not_only_its_name(
    settings, tmp_path, name, content, valid
):
    from django.core.exceptions import ValidationError

    settings.MEDIA_ROOT = tmp_path
    document = EventDocument(meeting=EventFactory(), title="Folien")
    document.file.save(name, ContentFile(content), save=False)
    if valid:
        document.full_clean()
    else:
        with pytest.raises(ValidationError) as error:
            document.full_clean()
        assert "Inhalt" in str(error.value)
