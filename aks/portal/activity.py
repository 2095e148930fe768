"""The staff activity page: the latest changes across every tracked model.

Each tracked model keeps its own history table (django-simple-history). The page
asks each table for its newest rows — limited, filtered to objects the reader may
see — and merges them by time in Python: a fixed number of queries per table
(rows with their users, the rows they are compared with, the current objects for
labels and links), whatever the size of the tables.

Pagination is by time ("older than"), not by page number, so a deep page costs no
more than the first.

What a row shows comes from the *current* object the reader may see, never from
the old copy in the history table: an entry that was internal last week and is
team-visible now must not show last week's text. Rows of deleted objects therefore
appear to superusers only (a deleted object has no current visibility to check).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from bodies.access import sees_everything, visibility_q
from bodies.history import HistoryRow, changed_fields, fetch_records
from bodies.models import Body, Decision, Membership, Poll
from meetings.models import Commitment, MinuteEntry, Minutes
from spaces.models import Space
from spaces.rules import owner_visible_expression
from spaces.selectors import OWNER_FIELDS


@dataclass(frozen=True)
class Tracked:
    key: str
    model: type
    # The current objects the reader may see, with what their labels need.
    visible: Callable[[object], QuerySet]
    label: Callable[[object], str]
    url: Callable[[object], str]

    @property
    def history(self):
        return self.model.history.model

    @property
    def name(self) -> str:
        return str(self.model._meta.verbose_name)


def _visible_spaces(user) -> QuerySet:
    return Space.objects.visible_to(user).annotate(owner_visible=owner_visible_expression(user))


TRACKED: tuple[Tracked, ...] = (
    Tracked(
        "minutes",
        Minutes,
        lambda user: Minutes.objects.visible_to(user).select_related("meeting"),
        lambda minutes: str(minutes),
        lambda minutes: reverse("meetings:minutes", args=[minutes.meeting_id]),
    ),
    Tracked(
        "minute_entry",
        MinuteEntry,
        lambda user: MinuteEntry.objects.visible_to(user).select_related("minutes__meeting"),
        lambda entry: (
            _("Entry %(number)s: %(meeting)s")
            % {"number": entry.position + 1, "meeting": entry.minutes.meeting.title}
        ),
        lambda entry: reverse("meetings:minutes", args=[entry.minutes.meeting_id]),
    ),
    Tracked(
        "commitment",
        Commitment,
        lambda user: Commitment.objects.visible_to(user).select_related("organisation"),
        lambda commitment: str(commitment),
        lambda commitment: reverse("meetings:commitments") + f"#commitment-{commitment.pk}",
    ),
    Tracked(
        "poll",
        Poll,
        lambda user: Poll.objects.visible_to(user),
        lambda poll: poll.title,
        lambda poll: poll.get_absolute_url(),
    ),
    Tracked(
        "decision",
        Decision,
        lambda user: Decision.objects.visible_to(user).select_related("body"),
        lambda decision: str(decision),
        lambda decision: decision.get_absolute_url(),
    ),
    Tracked(
        "membership",
        Membership,
        # Memberships have no level of their own: they are as visible as their body.
        lambda user: Membership.objects.filter(
            visibility_q(user, Body, prefix="body__")
        ).select_related("person", "body"),
        lambda membership: f"{membership.person.name} – {membership.body.name}",
        lambda membership: membership.body.get_absolute_url(),
    ),
    Tracked(
        "space",
        Space,
        _visible_spaces,
        lambda space: space.name,
        lambda space: space.get_absolute_url(),
    ),
)

BY_KEY = {tracked.key: tracked for tracked in TRACKED}


def type_choices() -> list[tuple[str, str]]:
    return [(tracked.key, str(tracked.model._meta.verbose_name_plural)) for tracked in TRACKED]


def acting_users(user) -> QuerySet:
    """The authors of the changes ``user`` may see (one query): the filter must not
    name the author of a change to an object the reader may not see, since the name
    alone tells that such changes exist and who made them."""
    everything = sees_everything(user)
    conditions = []
    for tracked in TRACKED:
        records = tracked.history.objects.all()
        if not everything:
            records = records.filter(id__in=tracked.visible(user).values("pk"))
        conditions.append(Q(pk__in=records.values("history_user_id")))
    return get_user_model().objects.filter(reduce(or_, conditions)).order_by("email")


@dataclass
class ActivityRow(HistoryRow):
    type_name: str = ""


def latest_changes(
    *,
    user,
    types: list[str] | None = None,
    author=None,
    before: datetime.datetime | None = None,
    limit: int = 50,
) -> tuple[list[ActivityRow], bool]:
    """The newest ``limit`` changes the reader may see, newest first, and whether
    there are older ones."""
    everything = sees_everything(user)
    rows: list[ActivityRow] = []
    for tracked in TRACKED:
        if types and tracked.key not in types:
            continue
        records = tracked.history.objects.all()
        if not everything:
            records = records.filter(id__in=tracked.visible(user).values("pk"))
        if author is not None:
            records = records.filter(history_user=author)
        if before is not None:
            records = records.filter(history_date__lt=before)
        found, previous = fetch_records(records, limit=limit + 1)
        current = tracked.visible(user).in_bulk({record.id for record in found})
        for record in found:
            obj = current.get(record.id)
            hidden = (
                OWNER_FIELDS if obj is not None and not getattr(obj, "owner_visible", True) else ()
            )
            rows.append(
                ActivityRow(
                    record=record,
                    when=record.history_date,
                    user=record.history_user,
                    kind=record.history_type,
                    changes=changed_fields(
                        record, previous.get(record.previous_history_id), hidden_fields=hidden
                    ),
                    what=tracked.label(obj) if obj is not None else f"#{record.id}",
                    url=tracked.url(obj) if obj is not None else "",
                    type_name=tracked.name,
                )
            )
    rows.sort(key=lambda row: (row.when, row.record.history_id), reverse=True)
    return rows[:limit], len(rows) > limit
