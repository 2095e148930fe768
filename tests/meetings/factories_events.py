"""Factories for public events and their registrations (issue #7)."""

import datetime
import secrets
import time

import factory
from django.core import signing
from django.utils import timezone

from meetings.forms_events import _SALT
from meetings.models import (
    MeetingKind,
    Registration,
    RegistrationStatus,
    Speaker,
)
from tests.factories import XSS
from tests.meetings.factories import MeetingFactory


class EventFactory(MeetingFactory):
    kind = MeetingKind.PUBLIC_EVENT
    title = factory.Sequence(lambda n: f"Dialog {n} {XSS}")
    place = f"Nachbarschaftshaus {XSS}"
    description = f"Beschreibung {XSS}"
    capacity = 2
    registration_closes_at = factory.LazyAttribute(lambda o: o.start - datetime.timedelta(hours=1))


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    meeting = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Rednerin {n} {XSS}")
    affiliation = f"Institut {XSS}"
    bio = f"Kurzbiografie {XSS}"


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    meeting = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Gast {n} {XSS}")
    email = factory.Sequence(lambda n: f"gast{n}@example.org")
    organisation = f"Initiative {XSS}"
    status = RegistrationStatus.CONFIRMED
    token = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
    consent_text = "Einverstanden."
    confirmed_at = factory.LazyFunction(timezone.now)


def started_token(meeting, *, seconds_ago: float = 10) -> str:
    """The signed start time the registration form hands out, as if it were this old."""
    return signing.dumps({"m": meeting.pk, "t": time.time() - seconds_ago}, salt=_SALT)
