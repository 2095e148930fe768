"""External object lists: filters, stable order, pages and their links (OParl 2.5).

A list is made of one or more parts, each a queryset of one kind of row (the
organisation list holds bodies and organisations). Rows are ordered by part (the
parts are given in the order of their kinds), then primary key, which never
changes; several parts are paged together with one SQL ``UNION``, so every page
costs the same few queries however long the list is.

With ``modified_since`` a list also holds the deleted objects matching the filters
(OParl 2.5, 2.8): a last part of tombstones, in the order they were written.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import IntegerField, Value

from .errors import OParlError

DEFAULT_PAGE_SIZE = 100
FILTERS = {
    "created_since": ("oparl_created", "gte"),
    "created_until": ("oparl_created", "lte"),
    "modified_since": ("oparl_modified", "gte"),
    "modified_until": ("oparl_modified", "lte"),
}
# Kept on every link of the list, in this (sorted) order, so each page has one URL.
KEPT_PARAMS = sorted([*FILTERS, "limit", "omit_internal"])


@dataclass
class Part:
    kind: str
    queryset: object
    # Turns the loaded rows of this part on one page into OParl objects (in order).
    serialize: Callable[[list], list[dict]]


def page_size() -> int:
    return getattr(settings, "OPARL_PAGE_SIZE", DEFAULT_PAGE_SIZE)


def parse_datetime(name: str, raw: str) -> datetime.datetime:
    # An unencoded "+" in a query string arrives as a space.
    value = raw.strip().replace(" ", "+")
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        parsed = None
    if parsed is None or parsed.tzinfo is None:
        raise OParlError(
            400,
            f"Der Parameter {name} erwartet Datum und Uhrzeit mit Zeitzone, "
            "z. B. 2026-01-01T00:00:00+01:00.",
            debug=f"{name}={raw!r} is not an ISO 8601 date-time with offset",
        )
    return parsed


def filters_of(request) -> dict[str, datetime.datetime]:
    return {
        name: parse_datetime(name, request.GET[name]) for name in FILTERS if name in request.GET
    }


def apply_filters(queryset, filters: dict):
    for name, value in filters.items():
        field, lookup = FILTERS[name]
        queryset = queryset.filter(**{f"{field}__{lookup}": value})
    return queryset


def _limit(request) -> int:
    size = page_size()
    try:
        asked = int(request.GET.get("limit", ""))
    except ValueError:
        return size
    return max(1, min(asked, size))


def _page_number(request) -> int:
    raw = request.GET.get("page", "1")
    # isdigit() alone lets "²" and other non-ASCII digits through to int().
    if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
        raise OParlError(404, "Diese Listenseite gibt es nicht.", debug=f"page={raw!r}")
    return int(raw)


def _link(request, page: int) -> str:
    params = [(name, request.GET[name]) for name in KEPT_PARAMS if name in request.GET]
    if page > 1:
        params.append(("page", str(page)))
    query = urlencode(params)
    return request.build_absolute_uri(request.path + (f"?{query}" if query else ""))


def _ids_query(part: Part, rank: int):
    return (
        part.queryset.prefetch_related(None)
        .order_by()
        .annotate(oparl_rank=Value(rank, output_field=IntegerField()))
        .values_list("oparl_rank", "pk")
    )


def render_list(request, parts: list[Part], deleted: Part | None = None) -> dict:
    """One page of the list made of ``parts``; ``deleted``, the tombstones of these
    kinds, are added only when the client asks with ``modified_since`` (OParl 2.5)."""
    filters = filters_of(request)
    if deleted is not None and "modified_since" in filters:
        parts = [*parts, deleted]
    parts = [Part(p.kind, apply_filters(p.queryset, filters), p.serialize) for p in parts]
    limit = _limit(request)
    number = _page_number(request)
    offset = (number - 1) * limit

    if len(parts) == 1:
        combined = None
        total = parts[0].queryset.count()
    else:
        combined = _ids_query(parts[0], 0).union(
            *(_ids_query(p, rank) for rank, p in enumerate(parts[1:], start=1)), all=True
        )
        total = combined.count()

    pages = max(1, -(-total // limit))
    # Checked before the page is read: a huge page number must not reach the database
    # as an offset (it overflows there).
    if number > pages:
        raise OParlError(404, "Diese Listenseite gibt es nicht.", debug=f"page {number} > {pages}")
    if combined is None:
        rows = list(parts[0].queryset[offset : offset + limit])
        data = parts[0].serialize(rows) if rows else []
    else:
        keys = list(combined.order_by("oparl_rank", "pk")[offset : offset + limit])
        data = _load(parts, keys)
    links = {"first": _link(request, 1), "self": _link(request, number)}
    if number > 1:
        links["prev"] = _link(request, number - 1)
    if number < pages:
        links["next"] = _link(request, number + 1)
    links["last"] = _link(request, pages)
    return {
        "data": data,
        "pagination": {
            "totalElements": total,
            "elementsPerPage": limit,
            "currentPage": number,
            "totalPages": pages,
        },
        "links": links,
    }


def _load(parts: list[Part], keys: list[tuple[int, int]]) -> list[dict]:
    """The page's rows, one query (plus prefetches) per part, in the order of ``keys``."""
    serialized: dict[tuple[int, int], dict] = {}
    for rank, part in enumerate(parts):
        pks = [pk for key_rank, pk in keys if key_rank == rank]
        if not pks:
            continue
        rows = list(part.queryset.filter(pk__in=pks))
        rows.sort(key=lambda row: row.pk)
        for row, obj in zip(rows, part.serialize(rows), strict=True):
            serialized[(rank, row.pk)] = obj
    return [serialized[key] for key in keys if key in serialized]
