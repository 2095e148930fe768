"""One search box: German stemming, ranking, filters, and nothing hidden leaks out."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aks.portal import search as search_module
from aks.portal.search import START_SEL, STOP_SEL, SearchParams, highlight, plain_snippet
from bodies.access import Visibility
from bodies.models import Decision, Workstream
from meetings.models import (
    AgendaItem,
    Commitment,
    GuidingQuestion,
    MinuteEntry,
    Minutes,
    MinuteSection,
    MinutesStatus,
)
from tests.factories import XSS, BodyFactory, OrganisationFactory
from tests.html import assert_valid_html
from tests.meetings.factories import MeetingFactory
from tests.personas import PERSONAS
from tests.spaces.factories import SpaceFactory

pytestmark = pytest.mark.django_db

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="German full-text search needs PostgreSQL; the SQLite fallback is tested below.",
)

URL = reverse("portal:search")


def _search(client, user=None, **params):
    if user is not None:
        client.force_login(user)
    return client.get(URL, params)


def _titles(response) -> list[str]:
    return [hit.title for hit in response.context["page"].object_list]


def _keys(response) -> list[str]:
    return [hit.key for hit in response.context["page"].object_list]


def _meeting(body=None, **fields):
    fields.setdefault("title", "Sitzung")
    fields.setdefault("description", "")
    return MeetingFactory(body=body or BodyFactory(), **fields)


def _entry(meeting, text, *, visibility=Visibility.PUBLIC, minutes_visibility=None):
    # Published: these tests are about levels; drafts have fewer readers
    # (tests/meetings/test_minutes_readers.py).
    minutes, _ = Minutes.objects.get_or_create(
        meeting=meeting,
        defaults={
            "visibility": minutes_visibility or meeting.visibility,
            "status": MinutesStatus.PUBLISHED,
        },
    )
    return MinuteEntry.objects.create(
        minutes=minutes, section=MinuteSection.DISCUSSION, text=text, visibility=visibility
    )


@pytest.fixture
def fallback(monkeypatch):
    """The SQLite branch, run on whatever database the tests use."""
    monkeypatch.setattr(search_module, "uses_full_text", lambda: False)


# --- finding ------------------------------------------------------------------------------


@needs_postgres
def test_it_finds_the_singular_when_searching_the_plural(client):
    _meeting(title="Kooperation mit dem Bezirksamt")
    response = _search(client, q="Kooperationen")
    assert _titles(response) == ["Kooperation mit dem Bezirksamt"]


@needs_postgres
def test_it_finds_every_type_of_object(client):
    body = BodyFactory(name="Arbeitsgruppe Gemeinwesenarbeit", description="")
    meeting = _meeting(body, title="Treffen", description="Gemeinwesenarbeit im Kiez")
    AgendaItem.objects.create(meeting=meeting, title="Gemeinwesenarbeit stärken")
    _entry(meeting, "Die Gemeinwesenarbeit braucht Räume.")
    GuidingQuestion.objects.create(meeting=meeting, text="Was braucht die Gemeinwesenarbeit?")
    Decision.objects.create(
        body=body, year=2026, sequence=1, title="Gemeinwesenarbeit fördern", decided_on="2026-01-05"
    )
    Commitment.objects.create(
        meeting=meeting,
        organisation=OrganisationFactory(),
        what="Gemeinwesenarbeit finanzieren",
    )
    SpaceFactory(name="Laden für Gemeinwesenarbeit", body=body)
    Workstream.objects.create(number=7, title="Gemeinwesenarbeit", lead_body=body)

    response = _search(client, q="Gemeinwesenarbeit")

    assert sorted(_keys(response)) == sorted(search_module.TYPES_BY_KEY)
    urls = {hit.key: hit.url for hit in response.context["page"].object_list}
    assert urls["body"] == body.get_absolute_url()
    assert urls["minute_entry"].startswith(reverse("meetings:minutes", args=[meeting.pk]))
    assert urls["workstream"] == reverse("bodies:workstream", kwargs={"number": 7})
    assert_valid_html(response)


@needs_postgres
def test_it_highlights_the_hit_in_the_snippet(client):
    _meeting(title="Treffen", description="Wir sprechen über die Kooperationen im Kiez.")
    response = _search(client, q="Kooperation")
    assert "<mark>Kooperationen</mark>" in response.content.decode()


def test_it_ranks_a_title_match_above_a_match_in_the_text(client):
    body = BodyFactory()
    text_hit = _meeting(
        body,
        title="Monatliches Treffen",
        description="Am Rande ging es auch um die Zwischennutzung.",
    )
    Decision.objects.create(
        body=body, year=2026, sequence=1, title="Zwischennutzung", decided_on="2020-01-01"
    )
    response = _search(client, q="Zwischennutzung")
    assert _titles(response) == ["Zwischennutzung", text_hit.title]


def test_it_ranks_in_the_fallback_too(client, fallback):
    test_it_ranks_a_title_match_above_a_match_in_the_text(client)


# --- filters ------------------------------------------------------------------------------


def test_it_filters_by_type_and_still_counts_every_type(client):
    meeting = _meeting(title="Mietendeckel")
    AgendaItem.objects.create(meeting=meeting, title="Mietendeckel")
    response = _search(client, q="Mietendeckel", type="agenda_item")
    assert _keys(response) == ["agenda_item"]
    assert response.context["page"].paginator.count == 1
    facets = {search_type.key: hits for search_type, hits in response.context["facets"]}
    assert facets == {"meeting": 1, "agenda_item": 1}


def test_it_filters_by_body(client):
    mine, other = BodyFactory(), BodyFactory()
    _meeting(mine, title="Haushalt A")
    _meeting(other, title="Haushalt B")
    response = _search(client, q="Haushalt", body=mine.pk)
    assert _titles(response) == ["Haushalt A"]


def test_it_filters_by_date_and_leaves_out_what_has_no_date(client):
    body = BodyFactory(name="Haushaltsgruppe")
    now = timezone.now()
    _meeting(body, title="Haushalt alt", start=now - datetime.timedelta(days=400))
    _meeting(body, title="Haushalt neu", start=now)
    today = timezone.localdate()
    response = _search(
        client, q="Haushalt", date_from=today - datetime.timedelta(days=30), date_to=today
    )
    assert _titles(response) == ["Haushalt neu"]


def test_it_refuses_a_body_the_reader_may_not_see_as_a_filter(client):
    hidden = BodyFactory(visibility=Visibility.ADMIN_INTERNAL)
    _meeting(hidden, title="Personalplanung Kita", visibility=Visibility.PUBLIC)
    response = _search(client, q="Personalplanung", body=hidden.pk)
    assert response.status_code == 200
    assert "page" not in response.context
    assert response.context["form"].errors["body"]
    assert "Kita" not in response.content.decode()


def test_it_pages_through_many_hits(client, settings):
    settings.AKS_PAGE_SIZE = 2
    body = BodyFactory()
    for number in range(5):
        _meeting(body, title=f"Stadtteilkonferenz {number}")
    first = _search(client, q="Stadtteilkonferenz")
    last = _search(client, q="Stadtteilkonferenz", page=3)
    assert first.context["page"].paginator.count == 5
    assert len(_titles(first)) == 2
    assert len(_titles(last)) == 1
    assert not set(_titles(first)) & set(_titles(last))
    assert_valid_html(last)


# --- nothing hidden leaks -----------------------------------------------------------------


@pytest.fixture
def hidden_world():
    """A public meeting with entries and items at every level, and hidden parents."""
    body = BodyFactory(name="Steuerungsrunde", visibility=Visibility.PUBLIC)
    meeting = _meeting(body, title="Öffentliche Sitzung", visibility=Visibility.PUBLIC)
    _entry(meeting, "Geheimwort Personalakte", visibility=Visibility.ADMIN_INTERNAL)
    _entry(meeting, "Geheimwort Vereinskasse", visibility=Visibility.CIVIL_INTERNAL)
    AgendaItem.objects.create(
        meeting=meeting, title="Geheimwort Haushaltsplanung", visibility=Visibility.TEAM
    )
    # Public children of hidden parents stay hidden.
    internal = _meeting(body, title="Interne Runde", visibility=Visibility.ADMIN_INTERNAL)
    AgendaItem.objects.create(meeting=internal, title="Geheimwort Umzugsplanung")
    hidden_minutes_meeting = _meeting(body, title="Sitzung mit internem Protokoll")
    _entry(
        hidden_minutes_meeting,
        "Geheimwort Protokollnotiz",
        minutes_visibility=Visibility.CIVIL_INTERNAL,
    )
    # Owner details are more restricted than the space: never searched.
    SpaceFactory(
        name="Ladenlokal",
        owner_notes="Geheimwort Eigentümerin",
        owner_visibility=Visibility.ADMIN_INTERNAL,
        visibility=Visibility.PUBLIC,
    )
    return body


SEEN = {
    # persona: the hidden words they may find
    "anonymous": set(),
    "association_member": set(),
    "body_member": set(),
    "v_extern": {"Vereinskasse", "Haushaltsplanung", "Protokollnotiz"},
    "v_intern": {"Personalakte", "Haushaltsplanung", "Umzugsplanung"},
    "councillor": {"Personalakte", "Haushaltsplanung", "Umzugsplanung"},
    "superuser": {"Personalakte", "Vereinskasse", "Haushaltsplanung", "Umzugsplanung"}
    | {"Protokollnotiz"},
}
HIDDEN_WORDS = {"Personalakte", "Vereinskasse", "Haushaltsplanung", "Umzugsplanung"} | {
    "Protokollnotiz",
    "Eigentümerin",
}


@pytest.mark.parametrize("name", PERSONAS)
def test_it_shows_and_counts_only_what_the_reader_may_see(client, persona, hidden_world, name):
    user = persona(name, body=hidden_world)
    response = _search(client, user, q="Geheimwort")

    content = response.content.decode()
    found = {word for word in HIDDEN_WORDS if word in content}
    assert found == SEEN[name]
    assert response.context["page"].paginator.count == len(SEEN[name])
    assert sum(hits for _type, hits in response.context["facets"]) == len(SEEN[name])
    assert_valid_html(response)


@pytest.mark.parametrize("name", ["anonymous", "v_extern"])
def test_it_does_not_count_an_admin_internal_entry_in_a_public_meeting(client, persona, name):
    meeting = _meeting(title="Offene Versammlung", visibility=Visibility.PUBLIC)
    _entry(meeting, "Dienstgeheimnis der Verwaltung", visibility=Visibility.ADMIN_INTERNAL)
    response = _search(client, persona(name), q="Dienstgeheimnis")
    assert response.context["page"].paginator.count == 0
    assert response.context["facets"] == []
    assert "der Verwaltung" not in response.content.decode()


def test_it_does_not_leak_in_the_fallback_either(client, persona, hidden_world, fallback):
    response = _search(client, persona("v_extern"), q="Geheimwort")
    content = response.content.decode()
    assert {word for word in HIDDEN_WORDS if word in content} == SEEN["v_extern"]


def test_a_hidden_body_name_is_not_shown_as_context_of_a_space(client):
    hidden = BodyFactory(name="Geheimer Kreis", visibility=Visibility.ADMIN_INTERNAL)
    SpaceFactory(name="Ehemalige Post", body=hidden, visibility=Visibility.PUBLIC)
    response = _search(client, q="Post")
    assert _titles(response) == ["Ehemalige Post"]
    assert "Geheimer Kreis" not in response.content.decode()


# --- safe snippets ------------------------------------------------------------------------


def test_it_escapes_markup_in_titles_and_snippets(client):
    _meeting(title=f"Kiezversammlung {XSS}", description=f"Kiezversammlung im Hof {XSS}")
    response = _search(client, q="Kiezversammlung")
    content = response.content.decode()
    assert len(_titles(response)) == 1
    assert "<script>alert" not in content
    assert "&lt;script&gt;" in content
    assert_valid_html(response)


def test_it_keeps_only_its_own_mark_tags_balanced():
    raw = f"a <b>{START_SEL}x{START_SEL}y{STOP_SEL}{STOP_SEL} <mark>{START_SEL}z"
    assert highlight(raw) == ("a &lt;b&gt;<mark>xy</mark> &lt;mark&gt;<mark>z</mark>")


def test_the_fallback_snippet_marks_every_term_and_drops_smuggled_sentinels():
    snippet = plain_snippet(f"Vor {START_SEL}dem Haus <i>steht</i> ein Haus", ["haus"])
    assert highlight(snippet) == (
        "Vor dem <mark>Haus</mark> &lt;i&gt;steht&lt;/i&gt; ein <mark>Haus</mark>"
    )


# --- the page -----------------------------------------------------------------------------


def test_the_empty_page_shows_the_form_and_the_header_has_a_search_box(client):
    response = client.get(URL)
    content = response.content.decode()
    assert response.status_code == 200
    assert 'role="search"' in content
    assert 'for="site-search"' in content
    assert "page" not in response.context
    assert_valid_html(response)


def test_a_search_without_hits_says_so(client):
    response = _search(client, q="Unauffindbares")
    assert response.context["page"].paginator.count == 0
    assert_valid_html(response)


def _populate(size: int) -> None:
    body = BodyFactory()
    first_number = (
        Workstream.objects.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    organisation = OrganisationFactory()
    for number in range(size):
        meeting = _meeting(body, title=f"Quartiersrat {number}", description="Quartiersrat")
        AgendaItem.objects.create(meeting=meeting, title=f"Quartiersrat {number}")
        _entry(meeting, f"Der Quartiersrat {number} tagte.")
        GuidingQuestion.objects.create(meeting=meeting, text="Was macht der Quartiersrat?")
        Commitment.objects.create(meeting=meeting, organisation=organisation, what="Quartiersrat")
        Decision.objects.create(
            body=body, year=2026, sequence=number + 1, title="Quartiersrat", decided_on="2026-01-01"
        )
        SpaceFactory(name=f"Quartiersrat {number}")
        Workstream.objects.create(
            number=first_number + number, title="Quartiersrat", lead_body=body
        )


@pytest.mark.parametrize("name", ["anonymous", "v_intern"])
def test_it_needs_no_more_queries_for_many_hits_than_for_few(
    client, persona, django_assert_max_num_queries, settings, name
):
    settings.AKS_PAGE_SIZE = 5
    user = persona(name)
    if user is not None:
        client.force_login(user)
    _populate(2)
    client.get(URL, {"q": "Quartiersrat"})  # warm per-process caches (content types)
    with CaptureQueriesContext(connection) as few:
        response = client.get(URL, {"q": "Quartiersrat", "page": 2})
    assert response.context["page"].paginator.count == 16
    assert len(few) <= 10  # session, user, roles, content types, bodies, 2 for the search

    _populate(12)
    with django_assert_max_num_queries(len(few)):
        response = client.get(URL, {"q": "Quartiersrat", "page": 2})
    assert response.context["page"].paginator.count == 16 + 8 * 12
    assert len(response.context["page"].object_list) == 5


def test_search_params_know_when_a_date_filter_is_set():
    assert not SearchParams(text="x").dated
    assert SearchParams(text="x", date_to=datetime.date(2026, 1, 1)).dated


def test_the_stored_documents_cover_exactly_the_documents_the_search_builds():
    import importlib

    from aks.portal.search import TYPES

    migration = importlib.import_module("aks.portal.migrations.0002_stored_search_documents")
    frozen = {
        key: (model_name, title, text) for key, _app, model_name, title, text in migration.SEARCHED
    }
    assert frozen == {t.key: (t.model.__name__, t.title_fields, t.text_fields) for t in TYPES}


@needs_postgres
@pytest.mark.parametrize("key", sorted(search_module.TYPES_BY_KEY))
def test_the_planner_matches_through_the_index_on_the_stored_document(key):
    search_type = search_module.TYPES_BY_KEY[key]
    backend = search_module._Backend("Kooperation")
    query = search_type.model.objects.filter(backend.match(search_type)).values("pk")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
    try:
        plan = query.explain()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET enable_seqscan = on")
    assert search_module.index_name(search_type) in plan
    assert "search_document @@" in plan


@needs_postgres
def test_it_finds_an_object_by_its_new_text_after_an_edit(client):
    meeting = _meeting(title="Treffen", description="Es geht um den Mietvertrag.")
    assert _titles(_search(client, q="Mietvertrag")) == ["Treffen"]

    meeting.description = "Es geht um die Sanierung."
    meeting.save()

    assert _titles(_search(client, q="Mietvertrag")) == []
    assert _titles(_search(client, q="Sanierungen")) == ["Treffen"]


@needs_postgres
def test_ordinary_queries_do_not_load_the_stored_document():
    meeting = _meeting(title="Kooperation")
    with CaptureQueriesContext(connection) as queries:
        MinuteEntry.objects.filter(pk=-1).exists()
        type(meeting).objects.get(pk=meeting.pk)
    assert all("search_document" not in query["sql"] for query in queries)


def test_it_ranks_only_the_newest_hits_of_a_type_and_says_so(client, monkeypatch):
    monkeypatch.setattr(search_module, "CANDIDATES", 2)
    body = BodyFactory()
    oldest, middle, newest = (_meeting(body, title=f"Nachbarschaftsfest {n}") for n in range(3))
    Decision.objects.create(
        body=body, year=2026, sequence=1, title="Nachbarschaftsfest", decided_on="2026-01-05"
    )

    response = _search(client, q="Nachbarschaftsfest")

    assert sorted(_titles(response)) == sorted(["Nachbarschaftsfest", middle.title, newest.title])
    facets = {search_type.key: hits for search_type, hits in response.context["facets"]}
    assert facets == {"meeting": 2, "decision": 1}
    assert response.context["capped"] == {"meeting"}
    content = response.content.decode()
    assert "(2+)" in content
    assert "(1)" in content
    assert oldest.title not in content
    assert_valid_html(response)


def test_it_says_nothing_about_older_hits_when_it_shows_them_all(client):
    _meeting(title="Nachbarschaftsfest")
    response = _search(client, q="Nachbarschaftsfest")
    assert response.context["capped"] == frozenset()
    assert "(1+)" not in response.content.decode()


@pytest.mark.parametrize("name", ["anonymous", "v_extern"])
def test_the_candidates_of_a_type_are_only_those_the_reader_may_see(
    client, persona, monkeypatch, name
):
    # Hidden hits must not use up the places: the kernel filters before the limit.
    monkeypatch.setattr(search_module, "CANDIDATES", 2)
    body = BodyFactory()
    visible = [_meeting(body, title=f"Hoffest {n}") for n in range(2)]
    for n in range(3):
        _meeting(body, title=f"Hoffest intern {n}", visibility=Visibility.ADMIN_INTERNAL)
    response = _search(client, persona(name), q="Hoffest")
    assert sorted(_titles(response)) == sorted(meeting.title for meeting in visible)
    assert response.context["capped"] == frozenset()
    assert "intern" not in " ".join(_titles(response))


def test_the_body_filter_lists_visible_bodies_escaped_and_keeps_the_choice(client):
    chosen = BodyFactory(name=f"Runde {XSS}")
    BodyFactory(name="Geheimer Zirkel", visibility=Visibility.ADMIN_INTERNAL)
    response = _search(client, q="Haushalt", body=chosen.pk)
    content = response.content.decode()
    assert f'<option value="{chosen.pk}" selected>Runde &lt;script&gt;' in content
    assert "Geheimer Zirkel" not in content
    assert_valid_html(response)
