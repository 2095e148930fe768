"""OParl serves minutes only once they are published: a draft, circulated or approved
set of public minutes is no results protocol, no file and no address."""

import datetime

import pytest
from django.utils import timezone

from bodies.access import Visibility
from meetings.models import MinuteSection, MinutesStatus
from meetings.services import add_entry, minutes_for
from oparl.serializers import BODY_ID
from tests.factories import BodyFactory
from tests.meetings.factories import MeetingFactory, set_minutes_status

pytestmark = pytest.mark.django_db


@pytest.fixture
def minutes():
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=10)
    meeting = MeetingFactory(
        body=BodyFactory(), start=start, end=start + datetime.timedelta(hours=2)
    )
    minutes = minutes_for(meeting)
    assert minutes.visibility == Visibility.PUBLIC
    add_entry(minutes=minutes, section=MinuteSection.RESULT, text="Ergebnis")
    return minutes


def _files(api):
    # OParl has one body, the platform; its files are those of every public meeting.
    url = f"/oparl/v1/body/{BODY_ID}/file/"
    return [f["id"].rsplit("/", 2)[-2] for f in api(url)["data"]]


@pytest.mark.parametrize(
    "state", [MinutesStatus.DRAFT, MinutesStatus.CIRCULATED, MinutesStatus.APPROVED]
)
def test_it_hides_public_minutes_until_they_are_published(api, document_urls, minutes, state):
    set_minutes_status(minutes, state)
    meeting = minutes.meeting
    data = api(f"/oparl/v1/meeting/{meeting.pk}/")
    assert "resultsProtocol" not in data
    assert all("minutes" not in f.get("id", "") for f in data.get("auxiliaryFile", []))
    assert f"minutes-{meeting.pk}" not in _files(api)
    api(f"/oparl/v1/file/minutes-{meeting.pk}/", status=404)


def test_it_serves_published_public_minutes(api, document_urls, minutes):
    set_minutes_status(minutes, MinutesStatus.PUBLISHED)
    meeting = minutes.meeting
    data = api(f"/oparl/v1/meeting/{meeting.pk}/")
    assert data["resultsProtocol"]["id"].endswith(f"/file/minutes-{meeting.pk}/")
    assert f"minutes-{meeting.pk}" in _files(api)
    api(f"/oparl/v1/file/minutes-{meeting.pk}/")
