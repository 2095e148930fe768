"""Every list page costs the same number of queries, however much data there is."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bodies import services
from bodies.access import Visibility
from bodies.models import Decision
from meetings.models import AgendaItem, Minutes
from tests.factories import BodyFactory, MembershipFactory, OrganisationFactory, PersonFactory
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
# A generous ceiling; the real check is that the count does not grow with the data.
CEILING = 12


def _grow(scale: int):
    """``scale`` public bodies, each with members, a meeting with agenda, a closed
    public poll on an item, decisions, minutes and spaces."""
    for n in range(scale):
        body = BodyFactory()
        memberships = [
            MembershipFactory(body=body, organisation=OrganisationFactory()) for _ in range(3)
        ]
        meeting = MeetingFactory(body=body, moderator=PersonFactory(), space=SpaceFactory())
        MeetingFactory(body=body, place=f"Ort {n}")
        Minutes.objects.create(meeting=meeting, visibility=Visibility.PUBLIC)
        parent = AgendaItem.objects.create(meeting=meeting, title="TOP", position=1)
        AgendaItem.objects.create(meeting=meeting, title="Unter", position=1, parent=parent)
        AgendaItem.objects.create(
            meeting=meeting, title="Intern", position=2, visibility=Visibility.ADMIN_INTERNAL
        )
        poll = services.open_poll(
            poll=services.create_poll(body=body, title=f"Frage {n}", visibility=Visibility.PUBLIC)
        )
        for membership in memberships:
            services.cast_vote(
                poll=poll,
                person=membership.person,
                choices=[poll.options.get(meaning="yes").pk],
            )
        poll = services.close_poll(poll=poll, decided_on=datetime.date(2026, 3, 1))
        parent.polls.add(poll)
        parent.decisions.add(*Decision.objects.filter(body=body))


def _queries(path) -> int:
    client = Client()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.django_db
@pytest.mark.parametrize("name", LISTS)
def test_it_serves_each_list_page_in_a_constant_number_of_queries(
    name, document_urls, django_assert_max_num_queries
):
    path = f"/oparl/v1/body/1/{name}/"
    _grow(2)
    small = _queries(path)
    assert small <= CEILING
    _grow(6)
    with django_assert_max_num_queries(small):
        response = Client().get(path)
    assert response.status_code == 200
    assert response.json()["data"] or name == "legislativeterm"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path", ["/oparl/v1/", "/oparl/v1/body/", "/oparl/v1/body/1/", "/oparl/v1/meeting/{pk}/"]
)
def test_it_serves_single_objects_in_a_constant_number_of_queries(
    path, document_urls, django_assert_max_num_queries
):
    from meetings.models import Meeting

    _grow(1)
    small = _queries(path.format(pk=Meeting.objects.order_by("pk").first().pk))
    _grow(4)
    path = path.format(pk=Meeting.objects.order_by("pk").first().pk)
    with django_assert_max_num_queries(small):
        Client().get(path)
