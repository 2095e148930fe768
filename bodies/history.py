"""The audit trail as pages show it: who changed what, and when.

django-simple-history writes one historical row per save of the tracked models
(``Poll``, ``Decision``, ``Membership`` here; ``Space`` in spaces; ``Minutes``,
``MinuteEntry`` and ``Commitment`` in meetings). This module turns those rows into
what a page shows — the time, the person, created/changed/deleted and the *names*
of the changed fields. It never shows old or new values: a field the reader may
not see (an owner's notes, an internal entry's text) would otherwise leak through
its history.

It lives in ``bodies`` because that is the lowest app with tracked models; spaces,
meetings and the portal import it. Every function here costs a fixed number of
queries whatever the length of the history: one for a single object, two for a
list (the rows with their users, and the rows they are compared with).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import models
from django.db.models import OuterRef, Subquery

from .access import has_staff_rights

# Bookkeeping fields that change on every save and say nothing about the change.
IGNORED_FIELDS = frozenset({"created_at", "updated_at"})


@dataclass
class HistoryRow:
    """One change of one object, ready for the ``_history.html`` include."""

    record: models.Model
    when: datetime.datetime
    user: models.Model | None
    kind: str  # "+" created, "~" changed, "-" deleted
    changes: list[str] = field(default_factory=list)
    what: str = ""
    url: str = ""

    @property
    def created(self) -> bool:
        return self.kind == "+"

    @property
    def deleted(self) -> bool:
        return self.kind == "-"


def may_see_history(user) -> bool:
    """Only AKS staff (and superusers) read the audit trail; it names who did what."""
    return has_staff_rights(user)


def history_model(model: type[models.Model]) -> type[models.Model]:
    return model.history.model


def changed_fields(record, previous, *, hidden_fields: Iterable[str] = ()) -> list[str]:
    """Verbose names of the fields ``record`` changed against ``previous``, in the
    order of the model's fields."""
    if previous is None or record.history_type != "~":
        return []
    hidden = IGNORED_FIELDS | set(hidden_fields)
    tracked = [f for f in record.tracked_fields if f.name not in hidden and not f.primary_key]
    editable = [f.name for f in tracked if f.editable]
    changed = set(record.diff_against(previous, included_fields=editable).changed_fields)
    # diff_against compares through model_to_dict, which skips non-editable fields —
    # and a space's status or a poll's result are exactly those.
    changed.update(
        f.name
        for f in tracked
        if not f.editable and getattr(record, f.attname) != getattr(previous, f.attname)
    )
    return [str(f.verbose_name) for f in tracked if f.name in changed]


def _previous_id(history: type[models.Model], pk_name: str) -> Subquery:
    # history_id grows with every row of the table, so the previous row of the same
    # object is the one with the next smaller history_id.
    return Subquery(
        history.objects.filter(
            **{pk_name: OuterRef(pk_name)}, history_id__lt=OuterRef("history_id")
        )
        .order_by("-history_id")
        .values("history_id")[:1]
    )


def fetch_records(records, *, limit: int) -> tuple[list, dict]:
    """The newest ``limit`` rows of a history queryset with their users, and the rows
    they follow (by history_id): two queries."""
    history = records.model
    pk_name = history.instance_type._meta.pk.attname
    rows = list(
        records.select_related("history_user")
        .annotate(previous_history_id=_previous_id(history, pk_name))
        .order_by("-history_date", "-history_id")[:limit]
    )
    wanted = [r.previous_history_id for r in rows if r.history_type == "~"]
    wanted = [pk for pk in wanted if pk is not None]
    previous = history.objects.in_bulk(wanted) if wanted else {}
    return rows, previous


def rows_from_records(
    records, *, limit: int = 20, hidden_fields: Iterable[str] = (), what=None
) -> list[HistoryRow]:
    """``HistoryRow`` objects for the newest ``limit`` rows of ``records`` (a
    queryset of one history table); ``what`` names the object of a row, if the page
    shows the history of more than one object."""
    rows, previous = fetch_records(records, limit=limit)
    return [
        HistoryRow(
            record=record,
            when=record.history_date,
            user=record.history_user,
            kind=record.history_type,
            changes=changed_fields(
                record,
                previous.get(record.previous_history_id),
                hidden_fields=hidden_fields,
            ),
            what=what(record) if what else "",
        )
        for record in rows
    ]


def history_rows(
    obj: models.Model, *, limit: int = 20, hidden_fields: Iterable[str] = ()
) -> list[HistoryRow]:
    """The newest ``limit`` changes of one tracked object, newest first: one query, as
    the row each change is compared with is the next one in the list."""
    records = list(obj.history.select_related("history_user").order_by("-history_id")[: limit + 1])
    return [
        HistoryRow(
            record=record,
            when=record.history_date,
            user=record.history_user,
            kind=record.history_type,
            changes=changed_fields(
                record,
                records[index + 1] if index + 1 < len(records) else None,
                hidden_fields=hidden_fields,
            ),
        )
        for index, record in enumerate(records[:limit])
    ]


def history_rows_for(
    objects: Iterable[models.Model], *, limit: int = 5, hidden_fields: Iterable[str] = ()
) -> dict[int, list[HistoryRow]]:
    """The newest ``limit`` changes of each of several objects of one model (a page
    of a list), in two queries: a window function ranks each object's rows."""
    from django.db.models import F, Window
    from django.db.models.functions import RowNumber

    objects = list(objects)
    if not objects:
        return {}
    history = history_model(type(objects[0]))
    pk_name = history.instance_type._meta.pk.attname
    ranked = history.objects.filter(**{f"{pk_name}__in": [o.pk for o in objects]}).annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F(pk_name)],
            order_by=[F("history_date").desc(), F("history_id").desc()],
        )
    )
    records = history.objects.filter(
        history_id__in=Subquery(ranked.filter(rank__lte=limit).values("history_id"))
    )
    rows = rows_from_records(records, limit=limit * len(objects), hidden_fields=hidden_fields)
    grouped: dict[int, list[HistoryRow]] = {o.pk: [] for o in objects}
    for row in rows:
        grouped[getattr(row.record, pk_name)].append(row)
    return grouped


def membership_history(body, *, limit: int = 20) -> list[HistoryRow]:
    """Changes to the memberships of ``body`` (who joined, whose term ended), naming
    the member: the members page shows them to staff."""
    from .models import Membership

    records = Membership.history.filter(body_id=body.pk).select_related("person")
    return rows_from_records(
        records,
        limit=limit,
        what=lambda record: record.person.name if record.person_id and record.person else "",
    )
