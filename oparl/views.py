"""The OParl 1.1 endpoint: thin views over ``selectors`` and ``serializers``.

The endpoint answers as the public, whoever asks: ``request.user`` and the session
are never read, so a logged-in admin gets the same bytes as anyone else.
"""

import functools

from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve
from django.utils import translation

from . import selectors, tombstones
from . import serializers as s
from .errors import OParlError, error_response, json_response
from .lists import Part, render_list

ALLOWED_METHODS = ("GET", "HEAD", "OPTIONS")


def oparl_view(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Allow"] = "GET, HEAD, OPTIONS"
            return response
        try:
            if request.method not in ALLOWED_METHODS:
                raise OParlError(
                    405,
                    "Die Schnittstelle kann nur gelesen werden.",
                    debug=f"method {request.method} not allowed",
                )
            # Choice labels are data here, always German, whatever the reader's language.
            with translation.override("de"):
                ctx = s.Context(
                    request,
                    selectors.clock(),
                    omit_internal=request.GET.get("omit_internal") == "true",
                )
                data = view(request, ctx, *args, **kwargs)
        except OParlError as error:
            response = error_response(error)
        except Http404:
            gone = tombstones.at(request.path.removeprefix(tombstones.endpoint_root()))
            if gone is None:
                response = error_response(_not_found(request))
            else:
                # Deleted or depublished: still 200, with ``deleted: true`` (OParl 2.8).
                response = json_response(s.tombstone(ctx, gone))
        else:
            response = json_response(data)
        if response.status_code == 405:
            response["Allow"] = "GET, HEAD, OPTIONS"
        return response

    return wrapped


def _not_found(request) -> OParlError:
    return OParlError(404, "Dieses Objekt gibt es nicht.", debug=f"no object at {request.path}")


def _one(queryset, pk):
    obj = queryset.filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def _body_or_404(body_id):
    if body_id != s.BODY_ID:
        raise Http404


def not_found(request, path=""):
    """A non-canonical spelling (no trailing slash) is sent on with 301 (OParl 2.3);
    anything else is an error object, not the HTML 404 page."""
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.url_name != "not_found":
            query = request.META.get("QUERY_STRING", "")
            return HttpResponsePermanentRedirect(
                request.path + "/" + (f"?{query}" if query else "")
            )
    return _missing(request)


@oparl_view
def _missing(request, ctx):
    raise Http404


@oparl_view
def system(request, ctx):
    return s.system(ctx)


@oparl_view
def body_list(request, ctx):
    # One body; a list all the same, so that System.body is the list OParl asks for.
    return render_list(request, [Part("body", _BodyRows(ctx), lambda rows: [s.body(ctx)])])


@oparl_view
def body(request, ctx, body_id):
    _body_or_404(body_id)
    return s.body(ctx)


class _BodyRows:
    """The one Body as a list part: it has no table, only the fallback timestamps."""

    def __init__(self, ctx, rows=None):
        self.ctx = ctx
        self.rows = rows if rows is not None else [ctx.clock]

    def filter(self, **lookups):
        rows = self.rows
        for key, value in lookups.items():
            field, op = key.rsplit("__", 1)
            stamp = self.ctx.clock.epoch if field == "oparl_created" else self.ctx.clock.now
            keep = stamp >= value if op == "gte" else stamp <= value
            rows = rows if keep else []
        return _BodyRows(self.ctx, rows)

    def count(self):
        return len(self.rows)

    def __getitem__(self, key):
        return self.rows[key]


# --- organizations, persons, memberships -----------------------------------------------


def _organization_parts(ctx):
    return [
        Part(
            "body",
            selectors.bodies_as_organizations(ctx.clock),
            lambda rows: [s.body_organization(ctx, row) for row in rows],
        ),
        Part(
            "organisation",
            selectors.organisations(ctx.clock),
            lambda rows: [s.organisation_organization(ctx, row) for row in rows],
        ),
    ]


@oparl_view
def organization_list(request, ctx, body_id):
    _body_or_404(body_id)
    return render_list(
        request, _organization_parts(ctx), tombstones.part(ctx, "body", "organisation")
    )


@oparl_view
def organization_body(request, ctx, pk):
    return s.body_organization(ctx, _one(selectors.bodies_as_organizations(ctx.clock), pk))


@oparl_view
def organization_organisation(request, ctx, pk):
    return s.organisation_organization(ctx, _one(selectors.organisations(ctx.clock), pk))


@oparl_view
def person_list(request, ctx, body_id):
    _body_or_404(body_id)
    part = Part(
        "person",
        selectors.persons(ctx.clock),
        lambda rows: [s.person(ctx, row) for row in rows],
    )
    return render_list(request, [part], tombstones.part(ctx, "person"))


@oparl_view
def person(request, ctx, pk):
    return s.person(ctx, _one(selectors.persons(ctx.clock), pk))


@oparl_view
def membership_list(request, ctx, body_id):
    _body_or_404(body_id)
    part = Part(
        "membership",
        selectors.memberships(ctx.clock),
        lambda rows: [s.membership(ctx, row) for row in rows],
    )
    return render_list(request, [part], tombstones.part(ctx, "membership"))


@oparl_view
def membership(request, ctx, pk):
    return s.membership(ctx, _one(selectors.memberships(ctx.clock), pk))


@oparl_view
def legislative_term_list(request, ctx, body_id):
    # The structure has no legislative terms (see README, "OParl"): always empty.
    _body_or_404(body_id)
    return render_list(request, [Part("term", _BodyRows(ctx, []), lambda rows: [])])


# --- meetings, agenda items, papers ----------------------------------------------------


@oparl_view
def meeting_list(request, ctx, body_id):
    _body_or_404(body_id)
    part = Part(
        "meeting",
        selectors.meetings(ctx.clock),
        lambda rows: [s.meeting(ctx, row) for row in rows],
    )
    return render_list(request, [part], tombstones.part(ctx, "meeting"))


@oparl_view
def meeting(request, ctx, pk):
    return s.meeting(ctx, _one(selectors.meetings(ctx.clock), pk))


def _agenda_items_page(ctx, rows):
    numbers = selectors.numbers_by_meeting(
        selectors.sibling_items({row.meeting_id for row in rows})
    )
    return [s.agenda_item(ctx, row, numbers) for row in rows]


@oparl_view
def agenda_item_list(request, ctx, body_id):
    _body_or_404(body_id)
    part = Part(
        "agenda_item",
        selectors.agenda_items(ctx.clock),
        lambda rows: _agenda_items_page(ctx, rows),
    )
    return render_list(request, [part], tombstones.part(ctx, "agenda_item"))


@oparl_view
def agenda_item(request, ctx, pk):
    return _agenda_items_page(ctx, [_one(selectors.agenda_items(ctx.clock), pk)])[0]


@oparl_view
def paper_list(request, ctx, body_id):
    _body_or_404(body_id)
    part = Part(
        "paper", selectors.papers(ctx.clock), lambda rows: [s.paper(ctx, row) for row in rows]
    )
    return render_list(request, [part], tombstones.part(ctx, "paper"))


@oparl_view
def paper(request, ctx, pk):
    return s.paper(ctx, _one(selectors.papers(ctx.clock), pk))


# --- files and locations ---------------------------------------------------------------


def _file_parts(ctx):
    parts = []
    # Only while the PDF views exist: a File must have an accessUrl that answers.
    if ctx.document_url("agenda_pdf", 0):
        parts.append(
            Part(
                "agenda",
                selectors.agenda_files(ctx.clock),
                lambda rows: [s.agenda_file(ctx, row) for row in rows],
            )
        )
    if ctx.document_url("minutes_pdf", 0):
        parts.append(
            Part(
                "minutes",
                selectors.minutes_files(ctx.clock),
                lambda rows: [s.minutes_file(ctx, row) for row in rows],
            )
        )
    return parts or [Part("none", _BodyRows(ctx, []), lambda rows: [])]


@oparl_view
def file_list(request, ctx, body_id):
    _body_or_404(body_id)
    return render_list(request, _file_parts(ctx))


@oparl_view
def file_agenda(request, ctx, pk):
    data = s.agenda_file(ctx, _one(selectors.agenda_files(ctx.clock), pk))
    if data is None:
        raise Http404
    return data


@oparl_view
def file_minutes(request, ctx, pk):
    data = s.minutes_file(ctx, _one(selectors.minutes_files(ctx.clock), pk))
    if data is None:
        raise Http404
    return data


def _location_parts(ctx):
    return [
        Part(
            "meeting",
            selectors.meeting_places(ctx.clock),
            lambda rows: [s.place_location(ctx, row) for row in rows],
        ),
        Part(
            "space",
            selectors.spaces(ctx.clock),
            lambda rows: [s.space_location(ctx, row) for row in rows],
        ),
    ]


@oparl_view
def location_list(request, ctx, body_id):
    _body_or_404(body_id)
    return render_list(request, _location_parts(ctx), tombstones.part(ctx, "place", "space"))


@oparl_view
def location_space(request, ctx, pk):
    return s.space_location(ctx, _one(selectors.spaces(ctx.clock), pk))


@oparl_view
def location_meeting(request, ctx, pk):
    return s.place_location(ctx, _one(selectors.meeting_places(ctx.clock), pk))
