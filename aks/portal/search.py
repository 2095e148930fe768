"""One search over bodies, meetings, agenda items, minutes, questions, decisions,
commitments, spaces and workstreams.

Every type is searched through ``Model.objects.visible_to(user)``, so the access
kernel filters in the same SQL as the match: a hidden object is never ranked,
counted or quoted. Only fields at the object's own level are searched; fields more
restricted than their object (a space's owner notes) are left out entirely.

On PostgreSQL this is full-text search with the German configuration; each type's
document is ``setweight(to_tsvector(<title fields>), 'A') || setweight(to_tsvector(<text
fields>), 'B')``, stored by the database in a generated column with a GIN index
(:class:`StoredDocument`), so neither matching nor ranking parses text. On SQLite
(development) a plain ``icontains`` stands in.

A search costs two queries whatever the data: the candidates of every type with their
rank (at most :data:`CANDIDATES` per type, see :class:`SearchResults`), from which
counts, order and page are worked out; and the page's details with their highlighted
snippets. Snippets are made only for the rows on the page, because ``ts_headline`` is
expensive.
"""

import datetime
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import reduce
from operator import and_, or_

from django import forms
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVectorExact,
    SearchVectorField,
)
from django.db import connection, models
from django.db.models import Case, CharField, Expression, F, FloatField, Q, Value, When
from django.db.models.functions import Cast, Concat, Left, TruncDate
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from bodies.models import Body, Decision, Workstream
from meetings.models import AgendaItem, Commitment, GuidingQuestion, Meeting, MinuteEntry
from spaces.models import Space

CONFIG = "german"
# Private-use characters mark the start and end of a hit in a snippet. The snippet is
# escaped first; only then do these become <mark> tags, so user text never does.
START_SEL = "\ue000"
STOP_SEL = "\ue001"
SNIPPET_CHARS = 240
MAX_QUERY_LENGTH = 200
MAX_TERMS = 8
# Hits of one type that are counted and ranked at most: the newest ones (see SearchResults).
CANDIDATES = 200


@dataclass(frozen=True)
class SearchType:
    """How one model takes part in the search."""

    key: str
    label: str
    model: type[models.Model]
    # Weight A: what names the object. Weight B: its text.
    title_fields: tuple[str, ...]
    text_fields: tuple[str, ...]
    # What the result shows as its heading, and its parent's name for context. The
    # context must be a parent the kernel checks (``visibility_parent``), never a
    # relation the reader might not see.
    display: Callable[[], models.Expression]
    context: str | None
    # ORM paths: the date to filter and sort by, the body to filter by, and the key
    # the result's address is built from.
    date: str | None
    date_is_datetime: bool
    body: str
    link: str
    url: Callable[[int, str], str]


def _meeting_url(meeting_id, _key) -> str:
    return reverse("meetings:detail", kwargs={"pk": meeting_id})


TYPES: tuple[SearchType, ...] = (
    SearchType(
        key="body",
        label=_("Bodies"),
        model=Body,
        title_fields=("name", "short_name"),
        text_fields=("description",),
        display=lambda: F("name"),
        context=None,
        date=None,
        date_is_datetime=False,
        body="pk",
        link="slug",
        url=lambda _id, slug: reverse("bodies:detail", kwargs={"slug": slug}),
    ),
    SearchType(
        key="meeting",
        label=_("Meetings"),
        model=Meeting,
        title_fields=("title",),
        text_fields=("description", "place"),
        display=lambda: F("title"),
        context="body__name",
        date="start",
        date_is_datetime=True,
        body="body_id",
        link="pk",
        url=lambda pk, _key: reverse("meetings:detail", kwargs={"pk": pk}),
    ),
    SearchType(
        key="agenda_item",
        label=_("Agenda items"),
        model=AgendaItem,
        title_fields=("title",),
        text_fields=("description",),
        display=lambda: F("title"),
        context="meeting__title",
        date="meeting__start",
        date_is_datetime=True,
        body="meeting__body_id",
        link="meeting_id",
        url=_meeting_url,
    ),
    SearchType(
        key="minute_entry",
        label=_("Minute entries"),
        model=MinuteEntry,
        # All text, no name: a title elsewhere outranks a mention in the minutes.
        title_fields=(),
        text_fields=("text",),
        display=lambda: F("minutes__meeting__title"),
        context="minutes__meeting__body__name",
        date="minutes__meeting__start",
        date_is_datetime=True,
        body="minutes__meeting__body_id",
        link="minutes__meeting_id",
        url=lambda meeting_id, pk: (
            reverse("meetings:minutes", kwargs={"pk": meeting_id}) + f"#entry-{pk}"
        ),
    ),
    SearchType(
        key="guiding_question",
        label=_("Guiding questions"),
        model=GuidingQuestion,
        title_fields=("text",),
        text_fields=("answer",),
        display=lambda: Left("text", 200),
        context="meeting__title",
        date="meeting__start",
        date_is_datetime=True,
        body="meeting__body_id",
        link="meeting_id",
        url=_meeting_url,
    ),
    SearchType(
        key="decision",
        label=_("Decisions"),
        model=Decision,
        title_fields=("title",),
        text_fields=("text",),
        display=lambda: F("title"),
        context="body__name",
        date="decided_on",
        date_is_datetime=False,
        body="body_id",
        link="pk",
        url=lambda pk, _key: reverse("bodies:decision", kwargs={"pk": pk}),
    ),
    SearchType(
        key="commitment",
        label=_("Commitments"),
        model=Commitment,
        title_fields=("what",),
        text_fields=(),
        display=lambda: Left("what", 200),
        context="meeting__title",
        date="meeting__start",
        date_is_datetime=True,
        body="meeting__body_id",
        link="meeting_id",
        url=_meeting_url,
    ),
    SearchType(
        key="space",
        label=_("Spaces"),
        model=Space,
        # Not the owner fields: they can be more restricted than the space.
        title_fields=("name",),
        text_fields=("address", "description", "contested_reason"),
        display=lambda: F("name"),
        # A space's body is no visibility parent: its name could be hidden.
        context="address",
        date="created_at",
        date_is_datetime=True,
        body="body_id",
        link="pk",
        url=lambda pk, _key: reverse("spaces:detail", kwargs={"pk": pk}),
    ),
    SearchType(
        key="workstream",
        label=_("Workstreams"),
        model=Workstream,
        title_fields=("title",),
        text_fields=("description",),
        display=lambda: F("title"),
        context="lead_body__name",
        date=None,
        date_is_datetime=False,
        body="lead_body_id",
        link="number",
        url=lambda _id, number: reverse("bodies:workstream", kwargs={"number": int(number)}),
    ),
)
TYPES_BY_KEY = {search_type.key: search_type for search_type in TYPES}


# --- the document and its index ----------------------------------------------------------

# Each searched table has, on PostgreSQL, a stored generated column with the weighted
# document ``setweight(to_tsvector(<title fields>), 'A') || setweight(to_tsvector(<text
# fields>), 'B')`` and a GIN index on it (migrations 0002_stored_search_documents): the
# database keeps it up to date, and matching and ranking read it instead of parsing the
# text again for every match. It is not a model field, so no other query selects it.
DOCUMENT_COLUMN = "search_document"


def index_name(search_type: SearchType) -> str:
    return f"{search_type.key}_search_gin"[:30]


class StoredDocument(Expression):
    """The stored search document of the row of the query's own table."""

    output_field = SearchVectorField()

    def __init__(self, alias: str | None = None):
        super().__init__()
        self.alias = alias

    def resolve_expression(self, query=None, *args, **kwargs):
        clone = self.copy()
        clone.alias = query.get_initial_alias()
        return clone

    def relabeled_clone(self, change_map):
        clone = self.copy()
        clone.alias = change_map.get(self.alias, self.alias)
        return clone

    def as_sql(self, compiler, connection):
        column = connection.ops.quote_name(DOCUMENT_COLUMN)
        return f"{compiler.quote_name_unless_alias(self.alias)}.{column}", []


# --- the request ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchParams:
    text: str
    types: tuple[str, ...] = ()
    body_id: int | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None

    @property
    def dated(self) -> bool:
        return self.date_from is not None or self.date_to is not None


class _DateInput(forms.DateInput):
    # The browser's date picker; ISO dates are what it sends and expects back.
    input_type = "date"

    def __init__(self):
        super().__init__(format="%Y-%m-%d")


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search term"),
        max_length=MAX_QUERY_LENGTH,
        required=False,
        widget=forms.SearchInput(attrs={"autocomplete": "off"}),
    )
    type = forms.ChoiceField(label=_("Type"), required=False)
    body = forms.ModelChoiceField(
        label=_("Body"),
        queryset=Body.objects.none(),
        required=False,
        empty_label=_("All bodies"),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=_DateInput())
    date_to = forms.DateField(label=_("To"), required=False, widget=_DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", _("All types"))] + [
            (search_type.key, search_type.label) for search_type in TYPES
        ]
        # Only bodies the reader sees can be chosen; any other id is invalid, not a probe.
        self.fields["body"].queryset = Body.objects.visible_to(user).only("pk", "name")

    def clean(self):
        cleaned = super().clean()
        date_from, date_to = cleaned.get("date_from"), cleaned.get("date_to")
        if date_from and date_to and date_from > date_to:
            raise forms.ValidationError(_("The start date must not be after the end date."))
        return cleaned

    def params(self) -> SearchParams | None:
        """The search to run, or ``None`` if there is nothing (valid) to search for."""
        if not self.is_valid() or not self.cleaned_data["q"].strip():
            return None
        data = self.cleaned_data
        return SearchParams(
            text=data["q"].strip(),
            types=(data["type"],) if data["type"] else (),
            body_id=data["body"].pk if data["body"] else None,
            date_from=data["date_from"],
            date_to=data["date_to"],
        )


# --- matching, ranking, snippets -----------------------------------------------------------


def uses_full_text() -> bool:
    return connection.vendor == "postgresql"


def _terms(text: str) -> list[str]:
    """Words of a query for the plain fallback, without websearch operators."""
    words = [word.strip("\"'+-()") for word in text.split()]
    return [word for word in words if word and word.upper() != "OR"][:MAX_TERMS]


class _Backend:
    """What differs between PostgreSQL full text and the plain fallback."""

    def __init__(self, text: str):
        self.text = text
        self.full_text = uses_full_text()
        self.query = SearchQuery(text, config=CONFIG, search_type="websearch")
        self.terms = _terms(text)

    def match(self, search_type: SearchType) -> Q | SearchVectorExact:
        if self.full_text:
            return SearchVectorExact(StoredDocument(), self.query)
        fields = search_type.title_fields + search_type.text_fields
        if not self.terms:
            return Q(pk__in=[])
        return reduce(
            and_,
            (
                reduce(or_, (Q(**{f"{name}__icontains": term}) for name in fields))
                for term in self.terms
            ),
        )

    def rank(self, search_type: SearchType) -> models.Expression:
        if self.full_text:
            return SearchRank(StoredDocument(), self.query)
        # Fallback: a hit in what names the object ranks above a hit in its text.
        if not search_type.title_fields or not self.terms:
            return Value(0.5, output_field=FloatField())
        in_title = reduce(
            or_,
            (
                Q(**{f"{name}__icontains": term})
                for name in search_type.title_fields
                for term in self.terms
            ),
        )
        return Case(When(in_title, then=Value(1.0)), default=Value(0.5), output_field=FloatField())

    def snippet_source(self, search_type: SearchType) -> models.Expression:
        fields = search_type.text_fields or search_type.title_fields
        text: models.Expression = F(fields[0])
        for name in fields[1:]:
            text = Concat(text, Value(" "), F(name), output_field=models.TextField())
        if self.full_text:
            return SearchHeadline(
                text,
                self.query,
                config=CONFIG,
                start_sel=START_SEL,
                stop_sel=STOP_SEL,
                max_words=30,
                min_words=12,
                max_fragments=2,
                fragment_delimiter=" … ",
            )
        return Cast(text, models.TextField())


def _filtered(search_type: SearchType, user, params: SearchParams, backend: _Backend):
    queryset = search_type.model.objects.visible_to(user).filter(backend.match(search_type))
    if params.body_id is not None:
        queryset = queryset.filter(**{search_type.body: params.body_id})
    if search_type.date:
        lookup = f"{search_type.date}__date" if search_type.date_is_datetime else search_type.date
        if params.date_from:
            queryset = queryset.filter(**{f"{lookup}__gte": params.date_from})
        if params.date_to:
            queryset = queryset.filter(**{f"{lookup}__lte": params.date_to})
    return queryset


def _sort_date(search_type: SearchType) -> models.Expression:
    if search_type.date is None:
        return Value(None, output_field=models.DateField())
    if search_type.date_is_datetime:
        return TruncDate(search_type.date)
    return F(search_type.date)


def _types_for(params: SearchParams, *, ignore_type_filter: bool = False) -> list[SearchType]:
    chosen = (
        TYPES
        if ignore_type_filter or not params.types
        else [TYPES_BY_KEY[key] for key in params.types if key in TYPES_BY_KEY]
    )
    # A date filter leaves out what has no date, rather than matching it regardless.
    return [search_type for search_type in chosen if search_type.date or not params.dated]


def _union(querysets: Sequence[models.QuerySet]):
    first, *rest = querysets
    return first.union(*rest, all=True) if rest else first


# --- results ---------------------------------------------------------------------------


def _order(row) -> tuple:
    """Best rank first, then the newest, then a stable order by type and id."""
    key, pk, score, date = row
    return (-score, date is None, -(date.toordinal() if date else 0), key, -pk)


@dataclass
class Hit:
    key: str
    label: str
    pk: int
    rank: float
    date: datetime.date | None
    title: str = ""
    context: str = ""
    snippet: SafeString = field(default_factory=lambda: mark_safe(""))  # noqa: S308
    url: str = ""


class SearchResults:
    """The hits of one search, sliced lazily for :class:`django.core.paginator.Paginator`.

    A common word matches tens of thousands of rows at the scale of a district; counting
    and ranking them all, through the access kernel, costs a second. So each type
    contributes at most its :data:`CANDIDATES` newest visible hits (by primary key, an
    index the planner can walk backwards), and only those are counted and ranked.
    A type with more is marked in ``capped``, and the page says how to narrow down.

    One query fetches (type, id, rank, date) of every candidate; counts, the order and
    the page are worked out from it. A page's details cost one more query.
    """

    def __init__(self, *, user, params: SearchParams):
        self.user = user
        self.params = params
        self.backend = _Backend(params.text)
        self._candidates: list[tuple[str, int, float, datetime.date | None]] | None = None
        self._counts: dict[str, int] | None = None
        self._capped: frozenset[str] = frozenset()

    def _load(self) -> None:
        if self._counts is not None:
            return
        self._counts = dict.fromkeys(TYPES_BY_KEY, 0)
        self._candidates = []
        if not (self.backend.full_text or self.backend.terms):
            return
        parts = [
            search_type.model.objects.filter(
                # One more than shown, to know whether the type has more.
                pk__in=_filtered(search_type, self.user, self.params, self.backend)
                .order_by("-pk")
                .values("pk")[: CANDIDATES + 1]
            )
            .annotate(
                hit_type=Value(search_type.key, output_field=CharField()),
                score=Cast(self.backend.rank(search_type), FloatField()),
                sort_date=_sort_date(search_type),
            )
            .values_list("hit_type", "pk", "score", "sort_date")
            .order_by()
            for search_type in _types_for(self.params, ignore_type_filter=True)
        ]
        if not parts:
            return
        per_type: dict[str, list] = {}
        for row in _union(parts):
            per_type.setdefault(row[0], []).append(row)
        capped = set()
        for key, rows in per_type.items():
            if len(rows) > CANDIDATES:
                capped.add(key)
                # The newest, as the subquery chose; the extra one only told us there is more.
                rows.sort(key=lambda row: row[1], reverse=True)
                del rows[CANDIDATES:]
            self._counts[key] = len(rows)
            self._candidates.extend(rows)
        self._capped = frozenset(capped)
        self._candidates.sort(key=_order)

    @property
    def counts(self) -> dict[str, int]:
        """Hits per type (at most ``CANDIDATES``) with the body and date filters,
        whatever the type filter."""
        self._load()
        return self._counts

    @property
    def capped(self) -> frozenset[str]:
        """The types that have more hits than are counted and shown."""
        self._load()
        return self._capped

    def count(self) -> int:
        chosen = {search_type.key for search_type in _types_for(self.params)}
        return sum(hits for key, hits in self.counts.items() if key in chosen)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("Search results are read in pages.")
        if not self.count():
            return []
        return self._page(index.start or 0, index.stop)

    def _page(self, start: int, stop: int | None) -> list[Hit]:
        chosen = {search_type.key for search_type in _types_for(self.params)}
        ranked = [row for row in self._candidates if row[0] in chosen]
        hits = [
            Hit(key=key, label=TYPES_BY_KEY[key].label, pk=pk, rank=score, date=date)
            for key, pk, score, date in ranked[start:stop]
        ]
        self._fill(hits)
        return hits

    def _fill(self, hits: list[Hit]) -> None:
        """Headings, contexts, addresses and snippets, for the page's hits only."""
        wanted: dict[str, list[int]] = {}
        for hit in hits:
            wanted.setdefault(hit.key, []).append(hit.pk)
        if not wanted:
            return
        details = _union(
            [
                # The kernel again, on a page of primary keys: what is shown never
                # depends on the first query alone (an object hidden in between stays
                # hidden), for a few milliseconds.
                TYPES_BY_KEY[key]
                .model.objects.visible_to(self.user)
                .filter(pk__in=pks)
                .annotate(
                    hit_type=Value(key, output_field=CharField()),
                    heading=Cast(TYPES_BY_KEY[key].display(), models.TextField()),
                    parent_name=_context(TYPES_BY_KEY[key]),
                    link_key=Cast(TYPES_BY_KEY[key].link, models.TextField()),
                    snippet_text=self.backend.snippet_source(TYPES_BY_KEY[key]),
                )
                .values_list("hit_type", "pk", "heading", "parent_name", "link_key", "snippet_text")
                .order_by()
                for key, pks in wanted.items()
            ]
        )
        rows = {(key, pk): rest for key, pk, *rest in details}
        for hit in hits:
            heading, parent_name, link_key, snippet_text = rows.get(
                (hit.key, hit.pk), ("", "", "", "")
            )
            search_type = TYPES_BY_KEY[hit.key]
            hit.title = heading or ""
            hit.context = parent_name or ""
            # Minute entries link to their anchor: the meeting id plus the entry's own.
            second = str(hit.pk) if search_type.key == "minute_entry" else link_key
            first = int(link_key) if link_key and link_key.isdigit() else hit.pk
            hit.url = search_type.url(first, second)
            if self.backend.full_text:
                hit.snippet = highlight(snippet_text or "")
            else:
                hit.snippet = highlight(plain_snippet(snippet_text or "", self.backend.terms))


def _context(search_type: SearchType) -> models.Expression:
    if search_type.context is None:
        return Value("", output_field=models.TextField())
    return Cast(search_type.context, models.TextField())


def search(*, user, params: SearchParams) -> SearchResults:
    return SearchResults(user=user, params=params)


# --- safe snippets -----------------------------------------------------------------------


def highlight(raw: str) -> SafeString:
    """Escape a snippet and turn the sentinels, and only them, into balanced <mark> tags."""
    out: list[str] = []
    open_mark = False
    for part in re.split(f"([{START_SEL}{STOP_SEL}])", raw):
        if part == START_SEL:
            if not open_mark:
                out.append("<mark>")
                open_mark = True
        elif part == STOP_SEL:
            if open_mark:
                out.append("</mark>")
                open_mark = False
        else:
            out.append(escape(part))
    if open_mark:
        out.append("</mark>")
    return mark_safe("".join(out))  # noqa: S308 - every piece of text went through escape()


def plain_snippet(text: str, terms: Sequence[str]) -> str:
    """The fallback's snippet: text around the first hit, hits between sentinels."""
    text = text.replace(START_SEL, "").replace(STOP_SEL, "")
    lowered = text.lower()
    positions = [lowered.find(term.lower()) for term in terms if term]
    positions = [position for position in positions if position >= 0]
    first = min(positions, default=0)
    begin = max(0, first - SNIPPET_CHARS // 3)
    window = text[begin : begin + SNIPPET_CHARS]
    if terms:
        pattern = re.compile("|".join(re.escape(term) for term in terms if term), re.IGNORECASE)
        window = pattern.sub(lambda found: f"{START_SEL}{found.group(0)}{STOP_SEL}", window)
    prefix = "… " if begin else ""
    suffix = " …" if begin + SNIPPET_CHARS < len(text) else ""
    return f"{prefix}{window}{suffix}"
