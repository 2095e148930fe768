import datetime

import factory
from django.utils import timezone

from bodies.access import Visibility
from meetings.models import Meeting, MeetingKind
from tests.factories import XSS, BodyFactory


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.SubFactory(BodyFactory)
    kind = MeetingKind.WORKING_GROUP
    title = factory.Sequence(lambda n: f"Sitzung {n} {XSS}")
    start = factory.LazyFunction(
        lambda: timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
    )
    end = factory.LazyAttribute(lambda o: o.start + datetime.timedelta(hours=2))
    visibility = Visibility.PUBLIC
