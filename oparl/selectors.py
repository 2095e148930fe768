"""The reads behind the OParl endpoint: always as the public sees the platform.

Every queryset here is built for ``AnonymousUser()`` through the access kernel
(``visible_to``), whoever sends the request: OParl is an open-data interface, so a
logged-in admin gets exactly what an anonymous reader gets.

Each list queryset carries two annotations, ``oparl_created`` and
``oparl_modified``, so the ``created_since`` … ``modified_until`` filters and the
page counts run in SQL. Most models do not record when a row was created or
changed (meetings and agenda items record ``created_at``, but an OParl meeting
embeds its items and minutes, so its own ``updated_at`` is not its ``modified``);
where nothing is recorded:

- ``created`` is the moment the database was set up (the first applied migration
  of ``bodies``): a true lower bound for every row, the same on every request;
- ``modified`` is the moment of the request: a client that synchronises with
  ``modified_since`` then fetches such objects again every time, which is slow but
  never misses a change.
"""

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db import models
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Exists, F, OuterRef, Prefetch, Q, Value
from django.utils import timezone

from bodies.models import Body, Decision, Membership, Organisation, Person, Poll, Workstream
from meetings.models import AgendaItem, Commitment, Meeting, Minutes
from meetings.selectors import agenda_numbers
from spaces.models import Space

PUBLIC = AnonymousUser()


@dataclass(frozen=True)
class Clock:
    """The two fallback timestamps of one request (see the module docstring)."""

    epoch: datetime.datetime
    now: datetime.datetime

    def created(self) -> Value:
        return Value(self.epoch, output_field=models.DateTimeField())

    def modified(self) -> Value:
        return Value(self.now, output_field=models.DateTimeField())


def clock() -> Clock:
    now = timezone.now().replace(microsecond=0)
    applied = (
        MigrationRecorder.Migration.objects.filter(app="bodies")
        .order_by("applied")
        .values_list("applied", flat=True)
        .first()
    )
    epoch = (applied or now).replace(microsecond=0)
    return Clock(epoch=min(epoch, now), now=now)


def _stamped(queryset, created, modified):
    return queryset.annotate(oparl_created=created, oparl_modified=modified)


# --- the public sets -------------------------------------------------------------------


def public_bodies():
    return Body.objects.visible_to(PUBLIC)


def public_meetings():
    return Meeting.objects.visible_to(PUBLIC)


def public_memberships():
    """Memberships in public bodies: the public body pages list them with names."""
    return Membership.objects.filter(body__in=public_bodies())


def public_persons():
    """People whose names the public pages show: members of a public body, and the
    moderator or minute taker of a public meeting. Nobody else, not even by id."""
    meetings = public_meetings()
    return Person.objects.filter(
        Exists(public_memberships().filter(person=OuterRef("pk")))
        | Exists(meetings.filter(moderator=OuterRef("pk")))
        | Exists(meetings.filter(minute_taker=OuterRef("pk")))
    )


def public_organisations():
    """Organisations named on public pages: represented in a public body, taking part
    in a public workstream, or giving a commitment on the public tracker."""
    return Organisation.objects.filter(
        Exists(public_memberships().filter(organisation=OuterRef("pk")))
        | Exists(Workstream.objects.visible_to(PUBLIC).filter(organisations=OuterRef("pk")))
        | Exists(Commitment.objects.visible_to(PUBLIC).filter(organisation=OuterRef("pk")))
    )


def public_agenda_items():
    """Items of the public agenda view: a sub-item under a hidden item is not shown
    there (it has no number), so it is not shown here either."""
    visible = AgendaItem.objects.visible_to(PUBLIC)
    return visible.filter(Q(parent__isnull=True) | Q(parent__in=visible.values("pk")))


def public_minutes():
    return Minutes.objects.visible_to(PUBLIC)


def public_spaces():
    return Space.objects.visible_to(PUBLIC)


def public_papers():
    return Decision.objects.visible_to(PUBLIC)


def public_places():
    """Meetings whose place is a free text (no public space): each is its own Location."""
    return public_meetings().exclude(place="").exclude(space__in=public_spaces())


# --- list querysets, with their prefetches ---------------------------------------------


def _membership_queryset(clk: Clock):
    return _stamped(
        public_memberships().select_related("body", "organisation", "person"),
        F("created_at"),
        F("updated_at"),
    ).order_by("pk")


def bodies_as_organizations(clk: Clock):
    return _stamped(
        public_bodies()
        .select_related("parent")
        .annotate(parent_public=Exists(public_bodies().filter(pk=OuterRef("parent_id"))))
        .prefetch_related(
            Prefetch("memberships", Membership.objects.order_by("pk"), to_attr="oparl_memberships")
        ),
        F("created_at"),
        F("updated_at"),
    ).order_by("pk")


def organisations(clk: Clock):
    return _stamped(public_organisations(), F("created_at"), F("updated_at")).order_by("pk")


def persons(clk: Clock):
    return _stamped(
        public_persons().prefetch_related(
            Prefetch(
                "memberships",
                _membership_queryset(clk),
                to_attr="oparl_memberships",
            )
        ),
        F("created_at"),
        F("updated_at"),
    ).order_by("pk")


def memberships(clk: Clock):
    return _membership_queryset(clk)


def _agenda_item_prefetches():
    return (
        Prefetch(
            "polls",
            Poll.objects.visible_to(PUBLIC)
            .select_related("body")
            .prefetch_related("options")
            .order_by("pk"),
            to_attr="oparl_polls",
        ),
        Prefetch(
            "decisions",
            Decision.objects.visible_to(PUBLIC).select_related("body").order_by("pk"),
            to_attr="oparl_decisions",
        ),
    )


def meetings(clk: Clock):
    minutes = public_minutes().filter(meeting=OuterRef("pk"))
    return _stamped(
        public_meetings()
        .select_related("body", "space__district")
        .annotate(
            space_public=Exists(public_spaces().filter(pk=OuterRef("space_id"))),
            minutes_public=Exists(minutes),
            minutes_created=models.Subquery(_minutes_created(minutes)),
        )
        .prefetch_related(
            Prefetch(
                "agenda_items",
                _stamped(
                    public_agenda_items().prefetch_related(*_agenda_item_prefetches()),
                    F("created_at"),
                    clk.modified(),
                ).order_by("position", "pk"),
                to_attr="oparl_items",
            ),
            # Every item, for the numbers alone: the agenda is numbered alike for
            # every reader, hidden items included.
            Prefetch(
                "agenda_items",
                AgendaItem.objects.order_by("position", "pk").only("pk", "meeting", "parent"),
                to_attr="oparl_numbering",
            ),
        ),
        F("created_at"),
        clk.modified(),
    ).order_by("pk")


def _minutes_created(minutes_queryset):
    """When the minutes were started: their first history record."""
    history = Minutes.history.model.objects.filter(id=OuterRef("pk")).order_by("history_date")
    return minutes_queryset.annotate(
        first=models.Subquery(history.values("history_date")[:1])
    ).values("first")[:1]


def agenda_items(clk: Clock):
    return _stamped(
        public_agenda_items()
        .select_related("meeting")
        .prefetch_related(*_agenda_item_prefetches()),
        F("created_at"),
        clk.modified(),
    ).order_by("pk")


def sibling_items(meeting_ids):
    """Every item of these meetings, each with ``public`` (does it leave the platform),
    to number a page of items as the agenda numbers them for every reader (one query
    for the whole page). Only the numbers of public items are ever published."""
    return list(
        AgendaItem.objects.filter(meeting_id__in=meeting_ids)
        .annotate(public=Exists(public_agenda_items().filter(pk=OuterRef("pk"))))
        .order_by("position", "pk")
        .values("pk", "meeting_id", "parent_id", "public")
    )


def papers(clk: Clock):
    return _stamped(
        public_papers().select_related("body"),
        F("created_at"),
        F("updated_at"),
    ).order_by("pk")


def spaces(clk: Clock):
    return _stamped(
        public_spaces().select_related("district"), F("created_at"), F("updated_at")
    ).order_by("pk")


def meeting_places(clk: Clock):
    """Meetings whose place is a free text (no public space): each is its own Location."""
    return _stamped(
        public_places().select_related("body"),
        F("created_at"),
        clk.modified(),
    ).order_by("pk")


def agenda_files(clk: Clock):
    """Every public meeting has an agenda PDF (the reader's view of its agenda)."""
    return _stamped(public_meetings(), F("created_at"), clk.modified()).order_by("pk")


def minutes_files(clk: Clock):
    """Meetings whose minutes the public may read have a minutes PDF."""
    minutes = public_minutes().filter(meeting=OuterRef("pk"))
    return _stamped(
        public_meetings().filter(Exists(minutes)),
        models.functions.Coalesce(models.Subquery(_minutes_created(minutes)), clk.created()),
        clk.modified(),
    ).order_by("pk")


# --- numbering as the public agenda numbers ---------------------------------------------


def number_items(rows) -> dict[int, tuple[str, int]]:
    """``{item pk: (number, order)}`` of the public items of one meeting.

    ``rows`` (``pk``, ``parent_id``, ``public``) are every item of the meeting sorted
    by position: the number is the one every reader of the agenda sees
    (``meetings.selectors.agenda_numbers``), so a hidden item leaves a gap where the
    pages show its placeholder. Done in memory, so a whole page of meetings or items
    is numbered without a query per meeting. ``order`` counts the public items from 0
    in the order the agenda lists them.
    """
    numbers = agenda_numbers((row["pk"], row["parent_id"]) for row in rows)
    public = {row["pk"] for row in rows if row["public"]}
    listed = [pk for pk in numbers if pk in public]
    return {pk: (numbers[pk], order) for order, pk in enumerate(listed)}


def numbers_by_meeting(rows) -> dict[int, tuple[str, int]]:
    per_meeting: dict[int, list] = {}
    for row in rows:
        per_meeting.setdefault(row["meeting_id"], []).append(row)
    numbered: dict[int, tuple[str, int]] = {}
    for meeting_rows in per_meeting.values():
        numbered.update(number_items(meeting_rows))
    return numbered
