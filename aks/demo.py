"""The demo's calendar: its story is written for one week and replayed on the day it is seeded.

The demo modules write their dates as the story tells them (a Jour-Fixe in July, an open
assembly in early December). :func:`story_day` moves such a date by whole weeks, so
weekdays and the order of events stay as written, to the week in which the demo was first
seeded. That day is read back from the first demo login's creation date, so running
``seed_demo`` again later finds the same dates and adds nothing twice, while a fresh
database on any later day gets a demo whose upcoming meetings are still ahead.
"""

import datetime

from django.db.models import Min
from django.utils import timezone

DEMO_DOMAIN = "demo.gemeinwohl.example"

# The Monday of the week the story's dates were written for.
STORY_WEEK = datetime.date(2026, 11, 23)


def seeded_on() -> datetime.date:
    """The day the demo was first seeded in this database, or today if it has not been."""
    from aks.accounts.models import User

    first = User.objects.filter(email__endswith=f"@{DEMO_DOMAIN}").aggregate(
        first=Min("date_joined")
    )["first"]
    return timezone.localdate(first) if first else timezone.localdate()


def story_shift() -> datetime.timedelta:
    """How far the story is moved: whole weeks from its written week to the seeding week."""
    # Never backwards: a demo seeded before the story week keeps the dates as written.
    return datetime.timedelta(weeks=max(0, (seeded_on() - STORY_WEEK).days // 7))


def story_day(day: datetime.date) -> datetime.date:
    """A date of the story as it falls in this database's demo."""
    return day + story_shift()


def story_year(year: int) -> int:
    """A year named in the story's text ("Versammlungen 2027"), moved with its dates."""
    return story_day(datetime.date(year, 7, 1)).year
