"""Every list that reads its query string, asked with hostile parameters (issue #8,
robustness): HTML lists answer 200 (invalid filters shown in German or left out), feeds
and exports answer as usual, OParl answers 200 or a JSON error object; never a 5xx."""

import inspect
import json

import pytest
from hypothesis import example, given

from .fuzz_list_cases import HTML, JSON, LIST_CASES
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
    url_names,
)

# Views that read their query string but are not fuzzed here, and why.
NOT_FUZZED = {
    "meetings:agenda_pdf": "reads only the presence of a flag (anzeigen, poll); a PDF per "
    "example is beyond the budget; tests/meetings/test_pdf_pages.py covers it",
    "meetings:minutes_pdf": "as meetings:agenda_pdf",
    "meetings:series_recommendations_pdf": "as meetings:agenda_pdf",
}

# What in a view's source means it reads the query string.
QUERY_MARKERS = ("request.GET", "render_list(", "_space_filter(", "return _document(")


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
        name for name, view in url_names() if name.startswith(project) and _reads_query(view)
    }
    missing = sorted(readers - set(LIST_CASES) - set(NOT_FUZZED))
    assert not missing, f"views reading the query string without a fuzz case: {missing}"


def test_it_only_lists_url_names_that_exist():
    names = {name for name, _view in url_names()}
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
