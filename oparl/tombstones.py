"""Deleted and depublished objects (OParl 2.8): recording them, and reading them back.

OParl does not let an object simply vanish: a client that synchronises with
``modified_since`` must learn which of its objects are gone. For the endpoint an
object is gone when the public can no longer see it, whether it was deleted or
only depublished (its visibility, or its parent's, is no longer ``public``).

Recording works on *kinds*, the OParl objects the endpoint publishes, each with
its public set from ``oparl.selectors``. A write to a platform object can change
the public set of several kinds (depublishing a body hides its meetings, agenda
items, decisions and memberships, and perhaps the names of its members), so each
watched model names its *scope*: the rows of each kind whose visibility may depend
on it. ``oparl.signals`` takes a snapshot of the scope before the write (which of
its rows are public) and after it; what was public and is no longer gets a
tombstone, what is public (again) loses it. A tombstone is only ever written for
an object that was public a moment before: an internal meeting leaves no trace.

Objects of kinds not listed here (Files), and changes through paths that send no
model signals (``QuerySet.update``, ``bulk_create``, many-to-many changes such as
a workstream's organisations) are not recorded; a tombstone whose object is public
again is never shown (the live object wins, in lists and at its URL).
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Value
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils import timezone

from bodies.models import Body, Decision, Membership, Organisation, Person, Workstream
from meetings.models import AgendaItem, Commitment, Meeting
from spaces.models import Space

from . import selectors
from .lists import Part
from .models import Tombstone


@dataclass(frozen=True)
class Kind:
    """One kind of OParl object the endpoint publishes, addressed by ``url_name``."""

    type: str
    url_name: str
    model: type[models.Model]
    public: Callable[[], models.QuerySet]
    # Where the endpoint takes ``created`` from; None: the set-up time (``Clock``).
    created_field: str | None

    def key(self, pk: int) -> str:
        return f"{key_prefix(self.url_name)}{pk}/"


KINDS: dict[str, Kind] = {
    "body": Kind("Organization", "organization_body", Body, selectors.public_bodies, "created_at"),
    "organisation": Kind(
        "Organization",
        "organization_organisation",
        Organisation,
        selectors.public_organisations,
        "created_at",
    ),
    "person": Kind("Person", "person", Person, selectors.public_persons, "created_at"),
    "membership": Kind(
        "Membership", "membership", Membership, selectors.public_memberships, "created_at"
    ),
    "meeting": Kind("Meeting", "meeting", Meeting, selectors.public_meetings, "created_at"),
    "agenda_item": Kind(
        "AgendaItem", "agenda_item", AgendaItem, selectors.public_agenda_items, "created_at"
    ),
    "paper": Kind("Paper", "paper", Decision, selectors.public_papers, "created_at"),
    "space": Kind("Location", "location_space", Space, selectors.public_spaces, "created_at"),
    "place": Kind("Location", "location_meeting", Meeting, selectors.public_places, "created_at"),
}


def endpoint_root() -> str:
    return reverse("oparl:system")


@functools.cache
def key_prefix(url_name: str) -> str:
    """``meeting/`` for ``meeting/<pk>/``, ``organization/body-`` for
    ``organization/body-<pk>/``: the keys of one kind start with it."""
    return reverse(f"oparl:{url_name}", args=[0]).removeprefix(endpoint_root()).removesuffix("0/")


# --- scopes: which objects a write to a watched model may show or hide ------------------


def _ids(*values) -> Q:
    return Q(pk__in=[value for value in values if value is not None])


def _body_scope(v) -> dict[str, Q]:
    meetings = Meeting.objects.filter(body_id=v.pk)
    return {
        "body": Q(pk=v.pk),
        "meeting": Q(body_id=v.pk),
        "place": Q(body_id=v.pk),
        "agenda_item": Q(meeting__body_id=v.pk),
        "paper": Q(body_id=v.pk),
        "membership": Q(body_id=v.pk),
        "person": Q(pk__in=Membership.objects.filter(body_id=v.pk).values("person_id"))
        | Q(pk__in=meetings.values("moderator_id"))
        | Q(pk__in=meetings.values("minute_taker_id")),
        "organisation": Q(pk__in=Membership.objects.filter(body_id=v.pk).values("organisation_id"))
        | Q(pk__in=Commitment.objects.filter(meeting__body_id=v.pk).values("organisation_id"))
        | Q(
            pk__in=Workstream.organisations.through.objects.filter(
                workstream__lead_body_id=v.pk
            ).values("organisation_id")
        ),
    }


def _meeting_scope(v) -> dict[str, Q]:
    return {
        "meeting": Q(pk=v.pk),
        "place": Q(pk=v.pk),
        "agenda_item": Q(meeting_id=v.pk),
        "person": _ids(v.moderator_id, v.minute_taker_id),
        "organisation": Q(
            pk__in=Commitment.objects.filter(meeting_id=v.pk).values("organisation_id")
        ),
    }


def _agenda_item_scope(v) -> dict[str, Q]:
    # Sub-items of a hidden item are hidden too.
    return {"agenda_item": Q(pk=v.pk) | Q(parent_id=v.pk)}


def _membership_scope(v) -> dict[str, Q]:
    return {
        "membership": Q(pk=v.pk),
        "person": _ids(v.person_id),
        "organisation": _ids(v.organisation_id),
    }


def _person_scope(v) -> dict[str, Q]:
    return {"person": Q(pk=v.pk), "membership": Q(person_id=v.pk)}


def _workstream_scope(v) -> dict[str, Q]:
    through = Workstream.organisations.through.objects.filter(workstream_id=v.pk)
    return {"organisation": Q(pk__in=through.values("organisation_id"))}


def _space_scope(v) -> dict[str, Q]:
    # A meeting in a hidden space shows its free-text place instead.
    return {"space": Q(pk=v.pk), "place": Q(space_id=v.pk)}


@dataclass(frozen=True)
class Watched:
    """A model whose writes may change what the endpoint publishes."""

    scope: Callable[[object], dict[str, Q]]
    # Saving changes nothing unless one of these fields changes (none: only deletes).
    fields: tuple[str, ...] = ()
    # The kinds a new row may make public again (rows that existed before it).
    added: tuple[str, ...] = ()
    # The watched models a delete of this model cascades to: the scope above covers
    # them, so their own signals in that cascade have nothing to add.
    cascades_to: tuple[type[models.Model], ...] = field(default=())


WATCHED: dict[type[models.Model], Watched] = {
    Body: Watched(_body_scope, ("visibility",), cascades_to=(Membership,)),
    Organisation: Watched(lambda v: {"organisation": Q(pk=v.pk)}),
    Person: Watched(_person_scope, cascades_to=(Membership,)),
    Membership: Watched(
        _membership_scope, ("body", "person", "organisation"), added=("person", "organisation")
    ),
    Meeting: Watched(
        _meeting_scope,
        ("visibility", "body", "moderator", "minute_taker", "place", "space"),
        added=("person",),
        cascades_to=(AgendaItem,),
    ),
    AgendaItem: Watched(
        _agenda_item_scope, ("visibility", "meeting", "parent"), cascades_to=(AgendaItem,)
    ),
    Decision: Watched(lambda v: {"paper": Q(pk=v.pk)}, ("visibility", "body")),
    Space: Watched(_space_scope, ("visibility",)),
    # Organisations are public through these as well (the commitment tracker, and
    # public workstreams; changes to a workstream's organisations are not watched).
    Commitment: Watched(
        lambda v: {"organisation": _ids(v.organisation_id)},
        ("visibility", "meeting", "organisation"),
        added=("organisation",),
    ),
    Workstream: Watched(_workstream_scope, ("visibility", "lead_body")),
}


# --- snapshots -------------------------------------------------------------------------


@dataclass
class Snapshot:
    """The rows of a scope, and which of them the public sees (with their ``created``)."""

    candidates: dict[str, set[int]] = field(default_factory=dict)
    public: dict[tuple[str, int], object] = field(default_factory=dict)
    # ``{"order": n}`` of public agenda items, as the endpoint numbered them.
    extra: dict[tuple[str, int], dict] = field(default_factory=dict)


def take(scopes: dict[str, Q], *, with_extra: bool = False) -> Snapshot:
    """One query (a ``UNION`` over the kinds), plus one to number agenda items."""
    parts = []
    for name, q in scopes.items():
        kind = KINDS[name]
        created = (
            F(kind.created_field)
            if kind.created_field
            else Cast(Value(None), models.DateTimeField())
        )
        parts.append(
            kind.model._default_manager.filter(q)
            .order_by()
            .annotate(
                t_kind=Value(name, output_field=models.CharField()),
                t_public=Exists(kind.public().filter(pk=OuterRef("pk"))),
                t_created=created,
            )
            .values_list("t_kind", "pk", "t_public", "t_created")
        )
    snapshot = Snapshot()
    if not parts:
        return snapshot
    query = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    for name, pk, public, created in query:
        snapshot.candidates.setdefault(name, set()).add(pk)
        if public:
            snapshot.public[(name, pk)] = created
    items = [pk for name, pk in snapshot.public if name == "agenda_item"]
    if with_extra and items:
        meeting_ids = AgendaItem.objects.filter(pk__in=items).values("meeting_id")
        numbers = selectors.numbers_by_meeting(selectors.sibling_items(meeting_ids))
        for pk in items:
            if pk in numbers:
                snapshot.extra[("agenda_item", pk)] = {"order": numbers[pk][1]}
    return snapshot


def rescope(snapshot: Snapshot, scopes: dict[str, Q] | None = None) -> dict[str, Q]:
    """The rows of an earlier snapshot (by primary key), plus ``scopes``."""
    merged = {name: Q(pk__in=sorted(pks)) for name, pks in snapshot.candidates.items()}
    for name, q in (scopes or {}).items():
        merged[name] = merged[name] | q if name in merged else q
    return merged


def record(before: Snapshot, after: Snapshot):
    """Tombstones for what was public and is no longer; none for what is public now."""
    lost = [key for key in before.public if key not in after.public]
    if lost:
        now = timezone.now()
        Tombstone.objects.bulk_create(
            [
                Tombstone(
                    type=KINDS[name].type,
                    key=KINDS[name].key(pk),
                    object_id=pk,
                    created=before.public[(name, pk)],
                    deleted_at=now,
                    extra=before.extra.get((name, pk), {}),
                )
                for name, pk in lost
            ],
            update_conflicts=True,
            unique_fields=["type", "key"],
            update_fields=["object_id", "created", "deleted_at", "extra"],
        )
    shown = [KINDS[name].key(pk) for name, pk in after.public]
    if shown:
        Tombstone.objects.filter(key__in=shown).delete()


# --- reading ---------------------------------------------------------------------------


def at(key: str) -> Tombstone | None:
    return Tombstone.objects.filter(key=key).first()


def part(ctx, *names: str) -> Part:
    """The tombstones of these kinds as the last part of a list, in the order they
    were written; never one whose object is public (again)."""
    from . import serializers

    q = Q(pk__in=[])
    for name in names:
        kind = KINDS[name]
        q |= Q(key__startswith=key_prefix(kind.url_name)) & ~Q(
            object_id__in=kind.public().values("pk")
        )
    queryset = (
        Tombstone.objects.filter(q)
        .annotate(
            oparl_created=Coalesce("created", ctx.clock.created()),
            oparl_modified=F("deleted_at"),
        )
        .order_by("pk")
    )
    return Part("deleted", queryset, lambda rows: [serializers.tombstone(ctx, t) for t in rows])
