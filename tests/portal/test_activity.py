"""The staff activity page: the latest changes across all tracked models."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from aks.portal import views_activity
from bodies.access import Visibility
from bodies.models import Poll
from bodies.services import create_poll, record_decision
from meetings.services import add_commitment
from tests.factories import BodyFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.html import assert_valid_html
from tests.meetings.factories import MeetingFactory
from tests.personas import PERSONAS
from tests.spaces.factories import SpaceFactory

pytestmark = pytest.mark.django_db

READERS = {"v_extern", "v_intern", "superuser"}
URL = reverse("portal:activity")


def _change(obj, author, **fields):
    for name, value in fields.items():
        setattr(obj, name, value)
    obj._history_user = author
    obj.save()
    return obj


@pytest.mark.parametrize("name", PERSONAS)
def test_it_answers_staff_only_and_404_to_everyone_else(client, persona, name):
    user = persona(name)
    if user is not None:
        client.force_login(user)
    response = client.get(URL)
    assert response.status_code == (200 if name in READERS else 404)
    if name in READERS:
        assert_valid_html(response)


def test_it_merges_changes_of_all_kinds_newest_first(client, make_user):
    author = UserFactory(display_name="Frau Aktiv")
    body = BodyFactory()
    poll = create_poll(body=body, title="Abstimmung Alpha", visibility=Visibility.PUBLIC)
    _change(poll, author, motion="neu")
    space = SpaceFactory(name="Raum Beta", visibility=Visibility.TEAM)
    _change(space, author, description="neu")
    commitment = add_commitment(
        meeting=MeetingFactory(), organisation=OrganisationFactory(), what="Zusage Gamma"
    )
    _change(commitment, author, due=datetime.date(2027, 1, 1))
    MembershipFactory(body=body)

    client.force_login(make_user("v-intern"))
    response = client.get(URL)
    assert_valid_html(response)
    content = response.content.decode()
    assert "Frau Aktiv" in content
    positions = [content.index(text) for text in ("Zusage Gamma", "Raum Beta", "Abstimmung Alpha")]
    assert positions == sorted(positions), "newest first"


def test_it_leaves_out_objects_the_reader_may_not_see(client, make_user):
    body = BodyFactory()
    decision = record_decision(
        body=body,
        title="Verwaltungsintern Delta",
        decided_on=datetime.date(2026, 1, 1),
        visibility=Visibility.ADMIN_INTERNAL,
    )
    _change(decision, None, text="geändert")
    client.force_login(make_user("v-extern"))
    assert "Delta" not in client.get(URL).content.decode()
    client.force_login(make_user("v-intern"))
    assert "Delta" in client.get(URL).content.decode()


def test_it_filters_by_kind_and_by_author(client, make_user):
    alice, bob = UserFactory(display_name="Alice"), UserFactory(display_name="Bob")
    poll = create_poll(body=BodyFactory(), title="Umfrage Eins", visibility=Visibility.PUBLIC)
    _change(poll, alice, motion="a")
    space = SpaceFactory(name="Raum Zwei", visibility=Visibility.TEAM)
    _change(space, bob, description="b")
    client.force_login(make_user("v-intern"))

    content = client.get(URL, {"type": "poll"}).content.decode()
    assert "Umfrage Eins" in content and "Raum Zwei" not in content
    content = client.get(URL, {"user": bob.pk}).content.decode()
    assert "Raum Zwei" in content and "Umfrage Eins" not in content


@pytest.mark.parametrize(
    "params", [{"type": "nonsense"}, {"user": "x"}, {"before": "gestern"}, {"user": "999999"}]
)
def test_it_shows_an_error_for_bad_filters_instead_of_failing(client, make_user, params):
    client.force_login(make_user("v-extern"))
    response = client.get(URL, params)
    assert response.status_code == 200
    assert_valid_html(response)


def test_it_pages_back_in_time_without_gaps_or_repeats(client, make_user, monkeypatch):
    monkeypatch.setattr(views_activity, "PAGE_SIZE", 3)
    poll = create_poll(body=BodyFactory(), title="Seiten", visibility=Visibility.PUBLIC)
    for n in range(6):
        _change(Poll.objects.get(pk=poll.pk), None, motion=f"Fassung {n}")
    client.force_login(make_user("v-intern"))

    seen = []
    response = client.get(URL, {"type": "poll"})
    while True:
        rows = response.context["rows"]
        seen.extend(row.record.history_id for row in rows)
        if not response.context["older"]:
            break
        response = client.get(URL, {"type": "poll", "before": response.context["older"]})
    assert len(seen) == len(set(seen)) == 7  # created + 6 changes


def test_it_costs_the_same_number_of_queries_at_two_sizes(
    client, make_user, django_assert_max_num_queries
):
    client.force_login(make_user("v-extern"))

    def grow(count):
        body = BodyFactory()
        for n in range(count):
            author = UserFactory()
            poll = create_poll(body=body, title=f"P{n}", visibility=Visibility.PUBLIC)
            _change(poll, author, motion="x")
            _change(MembershipFactory(body=body), author, voting_right=False)
            _change(SpaceFactory(visibility=Visibility.TEAM), author, description="x")
            commitment = add_commitment(
                meeting=MeetingFactory(), organisation=OrganisationFactory(), what=f"Z{n}"
            )
            _change(commitment, author, due=datetime.date(2027, 1, 1))

    grow(1)
    with CaptureQueriesContext(connection) as small:
        client.get(URL)
    grow(12)
    with django_assert_max_num_queries(len(small)):
        client.get(URL)


def test_it_offers_only_authors_of_changes_the_reader_may_see(client, make_user):
    body = BodyFactory()
    for level, name in ((Visibility.ADMIN_INTERNAL, "Frau Intern"), (Visibility.TEAM, "Herr Team")):
        decision = record_decision(
            body=body, title=name, decided_on=datetime.date(2026, 1, 1), visibility=level
        )
        _change(decision, UserFactory(display_name=name), text="geändert")
    client.force_login(make_user("v-extern"))
    content = client.get(URL).content.decode()
    assert "Herr Team" in content
    assert "Frau Intern" not in content, "the author filter names no hidden change's author"
