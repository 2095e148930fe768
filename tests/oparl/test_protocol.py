"""The protocol side of OParl 1.1: pages and their links, filters, CORS, errors."""

import datetime
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from bodies.access import Visibility
from meetings.models import AgendaItem
from tests.factories import BodyFactory, MembershipFactory
from tests.meetings.factories import MeetingFactory

ERROR = "https://schema.oparl.org/1.1/Error"


@pytest.fixture
def meetings(db):
    body = BodyFactory()
    return [MeetingFactory(body=body) for _ in range(5)]


def test_it_starts_at_the_system_object_and_links_the_one_body(api):
    system = api("/oparl/v1/")
    assert system["oparlVersion"] == "https://schema.oparl.org/1.1/"
    bodies = api(system["body"])
    assert [b["id"] for b in bodies["data"]] == ["http://testserver/oparl/v1/body/1/"]
    assert bodies["data"][0] == {
        **api("/oparl/v1/body/1/"),
        "modified": bodies["data"][0]["modified"],
    }


def test_it_pages_a_list_with_stable_links_that_keep_the_filters(api, meetings):
    since = "2000-01-01T00:00:00+01:00"
    first = api("/oparl/v1/body/1/meeting/", limit=2, created_since=since)
    assert first["pagination"] == {
        "totalElements": 5,
        "elementsPerPage": 2,
        "currentPage": 1,
        "totalPages": 3,
    }
    assert "prev" not in first["links"]
    query = parse_qs(urlsplit(first["links"]["next"]).query)
    assert query == {"created_since": [since], "limit": ["2"], "page": ["2"]}
    second = api(first["links"]["next"])
    last = api(second["links"]["next"])
    assert "next" not in last["links"] and last["links"]["self"] == first["links"]["last"]
    ids = [m["id"] for page in (first, second, last) for m in page["data"]]
    assert ids == [f"http://testserver/oparl/v1/meeting/{m.pk}/" for m in meetings]


def test_it_filters_by_created_and_modified(api, meetings):
    future = (timezone.now() + datetime.timedelta(days=1)).isoformat(timespec="seconds")
    past = "2000-01-01T00:00:00+00:00"
    assert api("/oparl/v1/body/1/meeting/", created_since=future)["data"] == []
    assert api("/oparl/v1/body/1/meeting/", created_until=past)["data"] == []
    assert len(api("/oparl/v1/body/1/meeting/", modified_since=past)["data"]) == 5
    # Untracked objects report the request time as modified: never missed by a client.
    assert len(api("/oparl/v1/body/1/meeting/", modified_until=past)["data"]) == 0


def test_it_answers_a_bad_filter_with_an_error_object(api, meetings):
    error = api("/oparl/v1/body/1/meeting/", status=400, modified_since="gestern")
    assert error["type"] == ERROR and "modified_since" in error["message"]
    error = api("/oparl/v1/body/1/meeting/", status=400, created_since="2026-01-01T00:00:00")
    assert error["type"] == ERROR


@pytest.mark.parametrize(
    "path",
    [
        "/oparl/v1/gibt-es-nicht/",
        "/oparl/v1/meeting/999999/",
        "/oparl/v1/body/2/",
        "/oparl/v1/body/2/meeting/",
        "/oparl/v1/body/1/meeting/?page=9",
        "/oparl/v1/body/1/meeting/?page=0",
    ],
)
def test_it_answers_what_is_not_there_with_a_404_error_object(api, path):
    error = api(path, status=404)
    assert error["type"] == ERROR and error["message"] and error["debug"]


def test_it_sends_cors_and_json_on_every_answer_and_refuses_to_write(db):
    client = Client()
    response = client.post("/oparl/v1/")
    assert response.status_code == 405
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response.json()["type"] == ERROR
    assert "GET" in response["Allow"]
    preflight = client.options("/oparl/v1/body/1/meeting/")
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]


def test_it_redirects_an_address_without_its_trailing_slash_for_one_canonical_url(db):
    response = Client().get("/oparl/v1/body/1/meeting?limit=2")
    assert response.status_code == 301
    assert response["Location"] == "/oparl/v1/body/1/meeting/?limit=2"


def test_it_ignores_the_session_and_answers_as_the_public(db, make_user, member_of):
    from bodies.access import Visibility

    body = BodyFactory(visibility=Visibility.MEMBERS)
    MeetingFactory(body=body, visibility=Visibility.MEMBERS)
    user = make_user()
    member_of(user, body)
    client = Client()
    client.force_login(user)
    response = client.get("/oparl/v1/body/1/meeting/")
    assert response.json()["data"] == []
    assert "Cookie" not in response.get("Vary", "")


def test_it_omits_internal_lists_when_asked(api, meetings, document_urls):
    MembershipFactory(body=meetings[0].body)
    assert "auxiliaryFile" in api("/oparl/v1/body/1/meeting/")["data"][0]
    meeting = api("/oparl/v1/body/1/meeting/", omit_internal="true")["data"][0]
    assert "agendaItem" not in meeting and "auxiliaryFile" not in meeting
    person = api("/oparl/v1/body/1/person/", omit_internal="true")["data"][0]
    assert "membership" not in person


@pytest.mark.django_db
def test_it_publishes_when_a_meeting_and_its_items_were_created(api):
    meeting = MeetingFactory()
    item = AgendaItem.objects.create(
        meeting=meeting, title="Bericht", position=1, visibility=Visibility.PUBLIC
    )
    published = api(f"/oparl/v1/meeting/{meeting.pk}/")
    assert parse_datetime(published["created"]) == meeting.created_at.replace(microsecond=0)
    listed = api(f"/oparl/v1/agendaitem/{item.pk}/")
    assert parse_datetime(listed["created"]) == item.created_at.replace(microsecond=0)
