import datetime

import factory
from django.utils import timezone

from bodies.access import Visibility
from meetings.models import Meeting, MeetingKind, MeetingSeries, Recurrence, Weekday
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


class MeetingSeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingSeries

    body = factory.SubFactory(BodyFactory)
    title = factory.Sequence(lambda n: f"Reihe {n} {XSS}")
    kind = MeetingKind.WORKING_GROUP
    recurrence = Recurrence.WEEKLY
    weekday = Weekday.TUESDAY
    start_time = datetime.time(18, 0)
    starts_on = datetime.date(2024, 1, 2)
    visibility = Visibility.PUBLIC


def set_minutes_status(minutes, status):
    """Put ``minutes`` in ``status`` with the dates that go with it, as the workflow
    would (its services check what is tested elsewhere: entries, approval, order)."""
    from meetings.models import Minutes, MinutesStatus

    now = timezone.now()
    order = list(MinutesStatus.values)
    reached = order[: order.index(status) + 1]
    fields = {
        "status": status,
        "circulated_at": now if MinutesStatus.CIRCULATED in reached else None,
        "approved_at": now if MinutesStatus.APPROVED in reached else None,
        "published_at": now if MinutesStatus.PUBLISHED in reached else None,
    }
    Minutes.objects.filter(pk=minutes.pk).update(**fields)
    for name, value in fields.items():
        setattr(minutes, name, value)
    return minutes


def publish(minutes):
    """Minutes everyone their level allows may read."""
    from meetings.models import MinutesStatus

    return set_minutes_status(minutes, MinutesStatus.PUBLISHED)
