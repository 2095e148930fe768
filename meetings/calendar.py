"""iCalendar documents of meetings: mail invitations and subscribable feeds.

Everything here is built with the ``icalendar`` library, times in the platform's
time zone (Europe/Berlin) with a VTIMEZONE component, so that clients which do
not know the zone by name still place the meetings right.

Feeds hold only what their reader may see: the meetings come through
``Meeting.objects.visible_to(user)``; agenda items are never put into a feed (an
``admin_internal`` item inside a public meeting must stay hidden), and a meeting's
space is named only to readers who may see the space.

The personal feed is addressed by a secret token (``CalendarToken``); the writes
that create or renew it live at the end of this module. The same token also addresses
the feed of each body and series as its owner sees it; their addresses without a
token hold what the public may see, whoever asks: calendar programs send no session,
and a feed never reads one (a cookie sent along changes nothing).
"""

import datetime
import functools
import secrets
from collections.abc import Iterable
from email.utils import parseaddr
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import BooleanField, Exists, OuterRef, Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from bodies.access import is_active_user, is_public, sees_everything
from bodies.models import Body, Membership, Person
from spaces.models import Space

from . import selectors
from .models import CalendarToken, Meeting, MeetingSeries, MeetingStatus

PRODID = "-//Gemeinwohl-Plattform//Sitzungen//DE"
DEFAULT_HOST = "gemeinwohl-plattform"

# The window a feed covers. Clients poll feeds every few hours; a year ahead is what
# people plan with, 90 days back keeps recent meetings (and their minutes) findable.
WINDOW_PAST = datetime.timedelta(days=90)
WINDOW_AHEAD = datetime.timedelta(days=365)
# A hard cap on top of the window, so a feed stays one query and a bounded response
# even if a series were generated far too densely.
MAX_EVENTS = 2000

# Sequence numbers of invitations count minutes since this moment, so every later
# invitation or cancellation of a meeting supersedes the earlier ones without a
# counter in the database (fits a signed 32-bit integer for four thousand years).
_SEQUENCE_EPOCH = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)


def local_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def site_url() -> str:
    """The platform's public base URL (``SITE_URL``, e.g. https://aks.example.org)."""
    return (settings.SITE_URL or "").rstrip("/")


def uid_host() -> str:
    # UIDs must never change, so they come from the configured site, not the request.
    return urlsplit(site_url()).hostname or DEFAULT_HOST


def meeting_uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{uid_host()}"


def invitation_sequence(now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    return max(0, int((now - _SEQUENCE_EPOCH).total_seconds() // 60))


@functools.lru_cache(maxsize=16)
def _vtimezone(first_year: int, last_year: int) -> icalendar.Timezone:
    # Computing the transitions is slow (the library says: cache the results); the
    # calendars only need the years their events fall in.
    return icalendar.Timezone.from_tzinfo(
        local_zone(),
        tzid=settings.TIME_ZONE,
        first_date=datetime.date(first_year, 1, 1),
        last_date=datetime.date(last_year + 1, 1, 1),
    )


def _add_timezone(calendar: icalendar.Calendar, events: list[icalendar.Event]) -> None:
    today = timezone.localdate()
    years = [event.start.year for event in events] or [today.year]
    # VTIMEZONE must precede the events that use it.
    calendar.subcomponents.insert(0, _vtimezone(min(years) - 1, max(years) + 1))


# RFC 5545 allows no control characters in TEXT values but the tab (a line break is
# written as "\n"); typed text can carry others (pasted from office programs), and
# calendar clients reject or cut the whole file at them.
_CONTROL = dict.fromkeys(c for c in range(32) if c not in (9, 10)) | {127: None}


def _text(value: str) -> str:
    return value.replace("\r\n", "\n").replace("\r", "\n").translate(_CONTROL)


def _new_calendar(*, method: str | None = None, name: str | None = None) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        # icalendar writes a plain str of these properties unescaped: a line break in a
        # body's name would end the line and start a property of its own.
        calendar.add("name", icalendar.vText(_text(name)))
        calendar.add("x-wr-calname", icalendar.vText(_text(name)))
        calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def _location(meeting: Meeting, *, space_visible: bool) -> str:
    parts = []
    if meeting.space_id and space_visible:
        space = meeting.space
        parts.append(f"{space.name}, {space.address}, {space.postcode} Berlin")
    if meeting.place:
        parts.append(meeting.place)
    return "; ".join(parts)


def _description(meeting: Meeting) -> str:
    # The meeting's own text only: agenda items carry their own visibility and are
    # left out of calendars altogether.
    lines = []
    if meeting.description:
        lines.append(meeting.description)
    if meeting.online_url:
        lines.append(_("Online link: %(url)s") % {"url": meeting.online_url})
    return "\n\n".join(lines)


def _absolute(path: str, base_url: str | None) -> str:
    base = (base_url if base_url is not None else site_url()).rstrip("/")
    return f"{base}{path}" if base else path


def meeting_event(
    meeting: Meeting,
    *,
    stamp: datetime.datetime,
    sequence: int = 0,
    space_visible: bool,
    base_url: str | None = None,
) -> icalendar.Event:
    """The VEVENT of one meeting. ``space_visible``: may the reader see its space?"""
    zone = local_zone()
    event = icalendar.Event()
    event.add("uid", meeting_uid(meeting))
    event.add("dtstamp", stamp.astimezone(datetime.UTC))
    event.add("sequence", sequence)
    event.add("dtstart", meeting.start.astimezone(zone))
    event.add("dtend", meeting.end.astimezone(zone))
    event.add("summary", _text(meeting.title))
    location = _location(meeting, space_visible=space_visible)
    if location:
        event.add("location", _text(location))
    description = _description(meeting)
    if description:
        event.add("description", _text(description))
    event.add("url", _absolute(meeting.get_absolute_url(), base_url))
    cancelled = meeting.status == MeetingStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    # Tells clients (and people who share their calendar) that this is not for everyone.
    event.add("class", "PUBLIC" if is_public(meeting) else "CONFIDENTIAL")
    return event


# --- Invitations --------------------------------------------------------------------


def _organizer() -> icalendar.vCalAddress:
    name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organizer = icalendar.vCalAddress(f"mailto:{address or 'noreply@localhost'}")
    organizer.params["CN"] = name or "Gemeinwohl-Plattform"
    return organizer


def _space_visible_to(meeting: Meeting, reader) -> bool:
    if not meeting.space_id:
        return False
    if reader is None:
        return is_public(meeting.space)
    return Space.objects.visible_to(reader).filter(pk=meeting.space_id).exists()


def _scheduling_ics(
    *,
    meeting: Meeting,
    method: str,
    attendees: Iterable[Person],
    reader,
    sequence: int | None,
) -> bytes:
    now = timezone.now()
    calendar = _new_calendar(method=method)
    event = meeting_event(
        meeting,
        stamp=now,
        sequence=invitation_sequence(now) if sequence is None else sequence,
        space_visible=_space_visible_to(meeting, reader),
    )
    if method == "CANCEL":
        event["status"] = icalendar.vText("CANCELLED")
    event.add("organizer", _organizer())
    for person in attendees:
        if not person.email:
            continue
        attendee = icalendar.vCalAddress(f"mailto:{person.email}")
        attendee.params["CN"] = person.name
        attendee.params["ROLE"] = "REQ-PARTICIPANT"
        attendee.params["PARTSTAT"] = "NEEDS-ACTION"
        # Replies would go to a no-reply address; attendance is recorded on the platform.
        attendee.params["RSVP"] = "FALSE"
        event.add("attendee", attendee)
    calendar.add_component(event)
    _add_timezone(calendar, [event])
    return calendar.to_ical()


def invitation_ics(
    *,
    meeting: Meeting,
    attendees: Iterable[Person] = (),
    reader=None,
    sequence: int | None = None,
) -> bytes:
    """A METHOD:REQUEST calendar with the meeting, to attach to an invitation mail.

    ``reader``: the recipient's account, if any; the meeting's space is named only if
    they may see it (without a reader: only a public space). ``sequence`` defaults to
    a number that grows with time, so a later invitation replaces an earlier one.
    """
    return _scheduling_ics(
        meeting=meeting, method="REQUEST", attendees=attendees, reader=reader, sequence=sequence
    )


def cancellation_ics(
    *,
    meeting: Meeting,
    attendees: Iterable[Person] = (),
    reader=None,
    sequence: int | None = None,
) -> bytes:
    """A METHOD:CANCEL calendar that removes the meeting from the recipient's calendar."""
    return _scheduling_ics(
        meeting=meeting, method="CANCEL", attendees=attendees, reader=reader, sequence=sequence
    )


# --- Feeds --------------------------------------------------------------------------


def _anonymous():
    return AnonymousUser()


def _in_window(queryset: QuerySet, *, now: datetime.datetime | None = None) -> QuerySet:
    now = now or timezone.now()
    return queryset.filter(end__gte=now - WINDOW_PAST, start__lte=now + WINDOW_AHEAD)


def _feed_queryset(queryset: QuerySet, user) -> QuerySet:
    """One query: the window, the space, and whether the reader may see that space."""
    if sees_everything(user):
        space_visible = Value(True, output_field=BooleanField())
    else:
        space_visible = Exists(Space.objects.visible_to(user).filter(pk=OuterRef("space_id")))
    return (
        _in_window(queryset)
        .select_related("space")
        .annotate(space_visible=space_visible)
        .order_by("start", "pk")[:MAX_EVENTS]
    )


def public_feed_meetings() -> QuerySet:
    """What the public may see, whoever asks: the feed anyone may pass on."""
    anonymous = _anonymous()
    return _feed_queryset(Meeting.objects.visible_to(anonymous), anonymous)


def body_feed_meetings(*, body: Body, user) -> QuerySet:
    user = user or _anonymous()
    return _feed_queryset(Meeting.objects.visible_to(user).filter(body=body), user)


def series_feed_meetings(*, series: MeetingSeries, user) -> QuerySet:
    user = user or _anonymous()
    return _feed_queryset(Meeting.objects.visible_to(user).filter(series=series), user)


def personal_feed_meetings(*, user) -> QuerySet:
    """The meetings of the user's bodies (running memberships), those they are invited
    to and those they are a standing participant of, limited to what they may see."""
    return _feed_queryset(selectors.personal_meetings(user), user)


def subscribable_bodies(*, user) -> QuerySet:
    """The bodies whose feed the reader may open; ``is_mine`` marks running memberships."""
    user = user or _anonymous()
    if is_active_user(user):
        is_mine = Exists(
            Membership.objects.active().filter(person__user=user, body_id=OuterRef("pk"))
        )
    else:
        is_mine = Value(False, output_field=BooleanField())
    return (
        Body.objects.visible_to(user)
        .annotate(is_mine=is_mine, is_public=_public_exists(Body))
        .order_by("-is_mine", "name")
    )


def series_has_public_feed(series: MeetingSeries) -> bool:
    """May the public see the series, so that its feed has an address without a token?"""
    return MeetingSeries.objects.visible_to(_anonymous()).filter(pk=series.pk).exists()


def _public_exists(model):
    """Whether the row's feed has a public address: anonymous visitors may see it."""
    return Exists(model._default_manager.visible_to(_anonymous()).filter(pk=OuterRef("pk")))


def subscribable_series(*, user) -> QuerySet:
    """Series the reader may see that still run (or ended within the feed window)."""
    user = user or _anonymous()
    since = timezone.localdate() - WINDOW_PAST
    return (
        MeetingSeries.objects.visible_to(user)
        .filter(Q(until__isnull=True) | Q(until__gte=since))
        .annotate(is_public=_public_exists(MeetingSeries))
        .select_related("body")
        .order_by("body__name", "title")
    )


def feed_ics(*, meetings: Iterable[Meeting], name: str, base_url: str | None = None) -> bytes:
    """A subscribable calendar (METHOD:PUBLISH). Each meeting needs the
    ``space_visible`` annotation of the selectors above."""
    stamp = timezone.now()
    calendar = _new_calendar(method="PUBLISH", name=name)
    # Clients that honour it poll hourly; the default of some is a week.
    calendar.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    events = [
        meeting_event(
            meeting,
            stamp=stamp,
            space_visible=bool(getattr(meeting, "space_visible", False)),
            base_url=base_url,
        )
        for meeting in meetings
    ]
    for event in events:
        calendar.add_component(event)
    _add_timezone(calendar, events)
    return calendar.to_ical()


# --- Personal feed tokens -------------------------------------------------------------


def _new_token() -> str:
    return secrets.token_urlsafe(32)


def user_for_token(token: str):
    """The active account the personal feed token belongs to, or None."""
    # token_urlsafe(32) gives 43 characters; anything else is not worth a query.
    if not token or len(token) > 64:
        return None
    found = CalendarToken.objects.select_related("user").filter(token=token).first()
    # The database found the row by equality; comparing again in constant time keeps
    # the answer from depending on how much of a guessed token was right.
    if found is None or not secrets.compare_digest(found.token, token):
        return None
    return found.user if is_active_user(found.user) else None


def calendar_token_for(*, user) -> CalendarToken | None:
    return CalendarToken.objects.filter(user=user).first()


def ensure_calendar_token(*, user) -> CalendarToken:
    """The user's token, created on first use."""
    existing = calendar_token_for(user=user)
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return CalendarToken.objects.create(user=user, token=_new_token())
    except IntegrityError:
        # A second request created it in the meantime.
        return CalendarToken.objects.get(user=user)


@transaction.atomic
def renew_calendar_token(*, user) -> CalendarToken:
    """Replace the user's token, so the old address stops working at once."""
    row = CalendarToken.objects.select_for_update().filter(user=user).first()
    if row is None:
        return ensure_calendar_token(user=user)
    row.token = _new_token()
    row.save(update_fields=["token", "created_at"])
    return row
