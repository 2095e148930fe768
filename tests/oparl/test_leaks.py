"""Nothing the public may not see leaves through OParl: not as an object, a count,
a link or a gap in the agenda numbers, whoever is logged in."""

import datetime
import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from aks.accounts import roles
from bodies.access import Visibility
from bodies.models import Decision
from meetings import selectors as meeting_selectors
from meetings.models import AgendaItem, Minutes
from oparl.selectors import number_items, public_agenda_items, sibling_items
from tests.factories import (
    BodyFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)
from tests.meetings.factories import MeetingFactory
from tests.spaces.factories import SpaceFactory

LISTS = [
    "organization",
    "person",
    "membership",
    "meeting",
    "agendaitem",
    "paper",
    "file",
    "location",
    "legislativeterm",
]
SECRET = "GEHEIM"


def _item(meeting, title, position, visibility=Visibility.PUBLIC, parent=None):
    return AgendaItem.objects.create(
        meeting=meeting, title=title, position=position, visibility=visibility, parent=parent
    )


@pytest.fixture
def platform(db):
    """A public body with a public meeting, and around it everything that is hidden."""
    public_body = BodyFactory(name="Offene AG")
    internal_body = BodyFactory(
        name=f"Interne Runde {SECRET}", visibility=Visibility.ADMIN_INTERNAL
    )
    members_body = BodyFactory(name=f"Mitgliederkreis {SECRET}", visibility=Visibility.MEMBERS)
    hidden_org = OrganisationFactory(name=f"Verdeckte Initiative {SECRET}")
    shown_org = OrganisationFactory(name="Sichtbare Initiative")
    member = PersonFactory(name="Mara Offen", email=f"mara-{SECRET.lower()}@example.org")
    member.user = UserFactory(email=f"konto-{SECRET.lower()}@example.org")
    member.save()
    MembershipFactory(person=member, body=public_body, organisation=shown_org)
    MembershipFactory(person=member, body=internal_body, organisation=hidden_org)
    MembershipFactory(person=PersonFactory(name=f"Nur Intern {SECRET}"), body=internal_body)
    MembershipFactory(person=PersonFactory(name=f"Nur Mitglied {SECRET}"), body=members_body)

    meeting = MeetingFactory(body=public_body, title="Öffentliche Sitzung", place="Kiezladen")
    _item(meeting, "Begrüßung", 1)
    hidden = _item(meeting, f"Personalsache {SECRET}", 2, Visibility.ADMIN_INTERNAL)
    _item(meeting, f"Unterpunkt der Personalsache {SECRET}", 1, parent=hidden)
    second = _item(meeting, "Raumfrage", 3)
    _item(meeting, "Raumfrage, Teil A", 1, parent=second)
    _item(meeting, f"Teampunkt {SECRET}", 2, Visibility.TEAM, parent=second)
    _item(meeting, "Verschiedenes", 4)
    Minutes.objects.create(meeting=meeting, visibility=Visibility.ADMIN_INTERNAL)

    MeetingFactory(body=public_body, title=f"Interne Sitzung {SECRET}", visibility="team")
    internal_meeting = MeetingFactory(body=internal_body, title=f"Sitzung {SECRET}")
    _item(internal_meeting, f"Punkt {SECRET}", 1)
    moderated = MeetingFactory(
        body=internal_body,
        title=f"Moderiert {SECRET}",
        moderator=PersonFactory(name=f"Moderatorin {SECRET}"),
    )
    assert moderated.visibility == Visibility.PUBLIC  # public, but in a hidden body

    for body, visibility, title in (
        (public_body, Visibility.PUBLIC, "Öffentlicher Beschluss"),
        (public_body, Visibility.CIVIL_INTERNAL, f"Interner Beschluss {SECRET}"),
        (internal_body, Visibility.PUBLIC, f"Beschluss im internen Gremium {SECRET}"),
    ):
        Decision.objects.create(
            body=body,
            year=2026,
            sequence=Decision.objects.filter(body=body).count() + 1,
            title=title,
            decided_on=datetime.date(2026, 5, 1),
            visibility=visibility,
        )
    SpaceFactory(name="Offener Laden", owner_notes=f"Eigentümer {SECRET}")
    SpaceFactory(name=f"Teamraum {SECRET}", visibility=Visibility.TEAM)
    return {"meeting": meeting, "hidden_item": hidden, "internal_meeting": internal_meeting}


def _everything(client) -> dict[str, list]:
    result = {}
    for name in LISTS:
        response = client.get(f"/oparl/v1/body/1/{name}/")
        assert response.status_code == 200
        result[name] = response.json()["data"]
    return result


def _strip_modified(value):
    if isinstance(value, dict):
        return {k: _strip_modified(v) for k, v in value.items() if k != "modified"}
    if isinstance(value, list):
        return [_strip_modified(v) for v in value]
    return value


@pytest.mark.parametrize("who", ["anonymous", "superuser", "v_intern", "v_extern"])
def test_it_shows_nothing_hidden_to_anyone_not_even_to_a_logged_in_admin(
    platform, persona, who, document_urls
):
    client = Client()
    user = persona(who)
    if user is not None:
        client.force_login(user)
    everything = _everything(client)
    text = json.dumps(everything, ensure_ascii=False)
    assert SECRET not in text
    assert SECRET.lower() not in text
    assert "Öffentliche Sitzung" in text and "Mara Offen" in text

    # The same bytes as for the public (apart from the request time).
    assert _strip_modified(everything) == _strip_modified(_everything(Client()))


def test_it_counts_and_links_only_what_is_public(platform, api, document_urls):
    meetings = api("/oparl/v1/body/1/meeting/")
    assert meetings["pagination"]["totalElements"] == 1
    persons = api("/oparl/v1/body/1/person/")["data"]
    assert [p["name"] for p in persons] == ["Mara Offen"]
    # Her membership in the internal body is neither embedded nor listed.
    assert len(persons[0]["membership"]) == 1
    assert api("/oparl/v1/body/1/membership/")["pagination"]["totalElements"] == 1
    organizations = api("/oparl/v1/body/1/organization/")["data"]
    assert sorted(o["name"] for o in organizations) == ["Offene AG", "Sichtbare Initiative"]
    papers = api("/oparl/v1/body/1/paper/")["data"]
    assert [p["name"] for p in papers] == ["Öffentlicher Beschluss"]
    # Minutes restricted to the administration: no results protocol, no file.
    meeting = meetings["data"][0]
    assert "resultsProtocol" not in meeting
    files = api("/oparl/v1/body/1/file/")["data"]
    assert [f["id"].rsplit("/", 2)[-2] for f in files] == [f"agenda-{platform['meeting'].pk}"]
    locations = api("/oparl/v1/body/1/location/")["data"]
    assert sorted(loc["description"].split(",")[0] for loc in locations) == [
        "Kiezladen",
        "Offener Laden",
    ]


def test_it_answers_404_at_the_address_of_a_hidden_object(platform, api):
    api(f"/oparl/v1/meeting/{platform['internal_meeting'].pk}/", status=404)
    api(f"/oparl/v1/agendaitem/{platform['hidden_item'].pk}/", status=404)
    child = platform["hidden_item"].children.get()
    api(f"/oparl/v1/agendaitem/{child.pk}/", status=404)
    hidden_body = platform["internal_meeting"].body
    api(f"/oparl/v1/organization/body-{hidden_body.pk}/", status=404)
    for membership in hidden_body.memberships.all():
        api(f"/oparl/v1/membership/{membership.pk}/", status=404)
        if membership.person.name.startswith("Nur"):
            api(f"/oparl/v1/person/{membership.person_id}/", status=404)


def test_it_gives_public_items_the_numbers_every_reader_of_the_agenda_sees(platform, api):
    meeting = api(f"/oparl/v1/meeting/{platform['meeting'].pk}/")
    items = [(i["number"], i["order"], i["name"]) for i in meeting["agendaItem"]]
    # 2 (a hidden item with its sub-item) and 3.2 (a hidden sub-item) are not published;
    # the pages show them as placeholders, so the numbers keep their gaps.
    assert items == [
        ("1", 0, "Begrüßung"),
        ("3", 1, "Raumfrage"),
        ("3.1", 2, "Raumfrage, Teil A"),
        ("4", 3, "Verschiedenes"),
    ]
    assert all(i["public"] is True for i in meeting["agendaItem"])
    # The item list numbers each item the same way.
    listed = api("/oparl/v1/body/1/agendaitem/")["data"]
    assert sorted((i["number"], i["order"]) for i in listed) == sorted(
        (n, o) for n, o, _name in items
    )


@pytest.mark.parametrize("role", [None, roles.V_INTERN, roles.V_EXTERN])
def test_its_numbering_matches_the_meetings_reader_view(platform, role):
    meeting = platform["meeting"]
    reader = UserFactory(roles=[role]) if role else AnonymousUser()
    expected = {}
    for entry in meeting_selectors.agenda(meeting, reader):
        if entry.item is not None:
            expected[entry.item.pk] = entry.number
        for child in entry.children:
            if child.item is not None:
                expected[child.item.pk] = child.number
    published = public_agenda_items().values("pk")
    rows = sibling_items([meeting.pk])
    numbers = {pk: number for pk, (number, _order) in number_items(rows).items()}
    assert numbers == {pk: n for pk, n in expected.items() if published.filter(pk=pk).exists()}
