"""Every list that reads its query string, asked with hostile parameters (issue #8,
robustness): HTML lists answer 200 (invalid filters shown in German or left out), feeds
and exports answer as usual, OParl answers 200 or a JSON error object; never a 5xx."""

import inspect
import json
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import example, given

from .fuzz_support import (
    HUGE,
    LIST_EXAMPLES,
    budget,
    demo_user,
    demo_world,  # noqa: F401 (a fixture)
    english_errors,
    error_texts,
    hostile_data,
    show,
    unescaped_markup,
)

HTML, JSON, ICS, CSV, GEOJSON = "html", "json", "ics", "csv", "geojson"


@dataclass
class ListCase:
    url: str
    # Parameter name -> a value the list accepts.
    params: dict = field(default_factory=dict)
    kind: str = HTML


def _filter_params(filterset_class) -> list[str]:
    return list(filterset_class.base_filters)


def _names(*groups, **valid) -> dict:
    params = {}
    for group in (*groups, valid):
        params.update(group if isinstance(group, dict) else dict.fromkeys(group))
    return params


def _first(model, **filters):
    return model.objects.filter(**filters).order_by("pk").first()


def _bodies(name, filterset, **valid):
    def make():
        return ListCase(reverse(name), _names(_filter_params(filterset), ["page"], valid))

    return make


def list_body_polls():
    return ListCase(reverse("bodies:polls", args=["steuerungsrunde"]), {"page": "1"})


def list_workstream():
    from bodies.models import Workstream

    number = Workstream.objects.order_by("number").first().number
    return ListCase(reverse("bodies:workstream", args=[number]), {"page": "1"})


def _spaces(name, kind=HTML):
    def make():
        from spaces.filters import SpaceFilter

        return ListCase(
            reverse(name),
            _names(_filter_params(SpaceFilter), ["page"], {"status": "reported"}),
            kind,
        )

    return make


def list_needs():
    from spaces.filters import NeedFilter

    return ListCase(reverse("spaces:need_list"), _names(_filter_params(NeedFilter), ["page"]))


def list_meetings():
    from meetings.filters import MeetingFilter

    return ListCase(
        reverse("meetings:list"),
        _names(_filter_params(MeetingFilter), ["page"], {"date_from": "2026-01-01"}),
    )


def list_action_items():
    from meetings.filters import ActionItemFilter

    return ListCase(
        reverse("meetings:action_items"), _names(_filter_params(ActionItemFilter), ["page"])
    )


def list_commitments():
    from meetings.filters import CommitmentFilter

    return ListCase(
        reverse("meetings:commitments"), _names(_filter_params(CommitmentFilter), ["page"])
    )


def list_events():
    from meetings.filters_events import EventFilter

    return ListCase(
        reverse("meetings:event_list"),
        _names(_filter_params(EventFilter), ["page"], {"when": "past"}),
    )


def list_check_in():
    from meetings.forms_events import CheckInSearchForm
    from meetings.models import Meeting

    meeting = _first(Meeting, kind="public_event", registrations__isnull=False)
    return ListCase(
        reverse("meetings:event_check_in", args=[meeting.pk]),
        _names(CheckInSearchForm.base_fields),
    )


def list_series():
    from meetings.models import MeetingSeries

    series = _first(MeetingSeries, kind="public_event")
    return ListCase(reverse("meetings:series_detail", args=[series.pk]), {"page": "1"})


def _plain(name, kind=HTML, args=None, **params):
    def make():
        return ListCase(reverse(name, args=args() if args else None), dict(params), kind)

    return make


def _body_slug():
    return ["steuerungsrunde"]


def _series_pk():
    from meetings.models import MeetingSeries

    return [_first(MeetingSeries, kind="public_event").pk]


def _personal_token():
    from meetings import calendar

    return [calendar.ensure_calendar_token(user=demo_user("v-intern")).token]


def list_search():
    from aks.portal.search import SearchForm

    return ListCase(reverse("portal:search"), _names(SearchForm.base_fields, ["page"], q="Raum"))


def list_activity():
    from aks.portal.views_activity import ActivityFilterForm

    return ListCase(reverse("portal:activity"), _names(ActivityFilterForm.base_fields))


OPARL_PARAMS = {
    "page": "1",
    "limit": "2",
    "omit_internal": "true",
    "created_since": "2020-01-01T00:00:00+01:00",
    "created_until": None,
    "modified_since": None,
    "modified_until": "2100-01-01T00:00:00+00:00",
}


def _oparl(name, per_body=True):
    def make():
        from oparl.serializers import BODY_ID

        return ListCase(
            reverse(f"oparl:{name}", args=[BODY_ID] if per_body else None), OPARL_PARAMS, JSON
        )

    return make


def _planning(name):
    def make():
        from bodies.models import Body

        return ListCase(reverse(name), {"body": str(Body.objects.get(slug="aks-team").pk)})

    return make


def _bodies_lists():
    from bodies.filters import BodyFilter, DecisionFilter, WorkstreamFilter

    return {
        "bodies:list": _bodies("bodies:list", BodyFilter, kind="team"),
        "bodies:decisions": _bodies("bodies:decisions", DecisionFilter, year="2026"),
        "bodies:workstreams": _bodies("bodies:workstreams", WorkstreamFilter, q="#1"),
    }


# URL name -> how to ask the list.
def list_question_add():
    from meetings.models import Meeting

    meeting = _first(Meeting, body__slug="aks-team", status="planned")
    return ListCase(reverse("meetings:question_add", args=[meeting.pk]), {"top": "1"})


LIST_CASES = {
    **_bodies_lists(),
    "bodies:polls": list_body_polls,
    "bodies:workstream": list_workstream,
    "spaces:list": _spaces("spaces:list"),
    "spaces:map": _spaces("spaces:map"),
    "spaces:geojson": _spaces("spaces:geojson", GEOJSON),
    "spaces:csv": _spaces("spaces:csv", CSV),
    "spaces:need_list": list_needs,
    "meetings:list": list_meetings,
    "meetings:action_items": list_action_items,
    "meetings:commitments": list_commitments,
    "meetings:tracker": _plain("meetings:tracker"),
    "meetings:event_list": list_events,
    "meetings:event_check_in": list_check_in,
    "meetings:series_detail": list_series,
    "meetings:question_add": list_question_add,
    "meetings:meeting_create": _planning("meetings:meeting_create"),
    "meetings:series_create": _planning("meetings:series_create"),
    "meetings:calendar_page": _plain("meetings:calendar_page"),
    "meetings:calendar": _plain("meetings:calendar", ICS),
    "meetings:calendar_body": _plain("meetings:calendar_body", ICS, _body_slug),
    "meetings:calendar_series": _plain("meetings:calendar_series", ICS, _series_pk),
    "meetings:calendar_personal": _plain("meetings:calendar_personal", ICS, _personal_token),
    "portal:search": list_search,
    "portal:activity": list_activity,
    "portal:dashboard": _plain("portal:dashboard"),
    "oparl:system": _oparl("system", per_body=False),
    "oparl:body_list": _oparl("body_list", per_body=False),
    **{
        f"oparl:{name}": _oparl(name)
        for name in (
            "organization_list",
            "person_list",
            "membership_list",
            "meeting_list",
            "agenda_item_list",
            "paper_list",
            "file_list",
            "location_list",
            "legislative_term_list",
        )
    },
}

# Views that read their query string but are not fuzzed here, and why.
NOT_FUZZED = {
    "meetings:agenda_pdf": "reads only the presence of a flag (anzeigen, poll); a PDF per "
    "example is beyond the budget; tests/meetings/test_pdf_pages.py covers it",
    "meetings:minutes_pdf": "as meetings:agenda_pdf",
    "meetings:series_recommendations_pdf": "as meetings:agenda_pdf",
}

# What in a view's source means it reads the query string.
QUERY_MARKERS = ("request.GET", "render_list(", "_space_filter(", "return _document(")


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback


def _reads_query(view) -> bool:
    function = inspect.unwrap(getattr(view, "view_class", view))
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError):
        return False
    return any(marker in source for marker in QUERY_MARKERS)


def test_it_fuzzes_every_view_that_reads_the_query_string():
    project = ("bodies:", "spaces:", "meetings:", "portal:", "oparl:", "accounts:")
    readers = {
        name for name, view in _url_names() if name.startswith(project) and _reads_query(view)
    }
    missing = sorted(readers - set(LIST_CASES) - set(NOT_FUZZED))
    assert not missing, f"views reading the query string without a fuzz case: {missing}"


def test_it_only_lists_url_names_that_exist():
    names = {name for name, _view in _url_names()}
    assert not (set(LIST_CASES) | set(NOT_FUZZED)) - names


def hostile_params(params: dict):
    return hostile_data(list(params), {k: v for k, v in params.items() if v is not None})


def _check(kind: str, response, baseline: int, params):
    status = response.status_code
    assert status < 500, f"{status} for {show(params)}"
    if kind == JSON:
        body = json.loads(response.content)
        if status != 200:
            assert status in (400, 404), f"{status} for {show(params)}"
            assert body["type"].endswith("/Error") and body["message"], body
        return
    if baseline == 302 and status == 400:
        # The way to the login page carries the query; past Django's limit for a
        # redirect the answer is the (German) page for a bad request.
        assert "Ungültige Anfrage" in response.content.decode(), show(params)
        return
    assert status == baseline, f"{status} (not {baseline}) for {show(params)}"
    assert not unescaped_markup(response), f"markup shown unescaped for {show(params)}"
    if kind == HTML and status == 200:
        english = english_errors(error_texts(response))
        assert not english, f"English error text {english} for {show(params)}"


@pytest.mark.parametrize("as_staff", [False, True], ids=["anonymous", "v-intern"])
@pytest.mark.parametrize("name", sorted(LIST_CASES))
def test_it_answers_hostile_query_parameters_without_error(
    demo_world,  # noqa: F811
    db,
    client,
    name,
    as_staff,
):
    case = LIST_CASES[name]()
    if as_staff:
        client.force_login(demo_user("v-intern"))
    baseline = client.get(case.url).status_code
    assert baseline < 500
    if as_staff or case.kind != HTML:
        assert baseline == 200, f"{name} answers {baseline} without parameters"
    # The valid parameters are valid: the list answers as it does without them.
    response = client.get(case.url, {k: v for k, v in case.params.items() if v is not None})
    _check(case.kind, response, baseline, case.params)
    assert response.status_code == baseline

    @budget(LIST_EXAMPLES)
    @given(params=hostile_params(case.params))
    @example(params=dict.fromkeys(case.params, "\x00"))
    @example(params=dict.fromkeys(case.params, ["1", "\x00", "x"]))
    def ask(params):
        _check(case.kind, client.get(case.url, params), baseline, params)

    if "page" in case.params:
        # Not ASCII digits yet digits to str.isdigit(); past every offset a database takes.
        for page in ("²", HUGE):
            ask = example(params={"page": page})(ask)
    ask()
