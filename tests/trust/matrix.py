"""The permission matrix: every URL of the project × every persona × every visibility
level of the object behind it → the expected outcome, and for list-like outputs, that
no object of a level the persona may not see appears in the body.

One ``Case`` per URL name, registered by the ``cases_*.py`` modules of this package.
``test_matrix.py`` runs them and fails when a URL name of the resolver has no case.

Outcomes are compared as categories, not raw status codes, so that a form page (200)
and a redirect after an action (302) both count as "ok":

- ``OK``: 2xx, or 3xx that is not a redirect to a login page;
- ``LOGIN``: a redirect to the site's or the admin's login page (anonymous visitors of
  pages that need an account, and every anonymous write: the one convention);
- ``FORBIDDEN``: 403 — the object is visible, the action is not the persona's;
- ``HIDDEN``: 404 — the persona may not know the object exists;
- ``REFUSED``: 400 or 405 — a well-formed refusal (wrong method, bad token).
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from bodies.access import Visibility
from tests.factories import BodyFactory, MembershipFactory
from tests.personas import LEVELS, PERSONAS, SEES, make_persona, sees  # noqa: F401  (SEES for the cases)

STAFF = frozenset({"v_intern", "v_extern", "superuser"})

OK = "ok"
LOGIN = "login"
FORBIDDEN = "forbidden"
HIDDEN = "hidden"
REFUSED = "refused"


# --- expectations -------------------------------------------------------------------


def read(persona: str, level: str | None, world: World) -> str:
    """A page anyone who sees the object may read."""
    return OK if sees(persona, level) else HIDDEN


def read_with_account(persona: str, level: str | None, world: World) -> str:
    """A page for signed-in people only (anonymous visitors are sent to log in)."""
    if persona == "anonymous":
        return LOGIN
    return read(persona, level, world)


def act(allowed: Iterable[str]) -> Callable[[str, str | None, World], str]:
    """An action on an object: anonymous → log in; not seen → 404; seen but not the
    persona's to take → 403; otherwise it goes through (form page, or redirect)."""
    allowed = frozenset(allowed)

    def expect(persona: str, level: str | None, world: World) -> str:
        if persona == "anonymous":
            return LOGIN
        if not sees(persona, level):
            return HIDDEN
        return OK if persona in allowed else FORBIDDEN

    return expect


def act_refused(allowed):
    """An action whose form, sent empty, is refused (400) to those who may take it:
    the permission is checked before the form."""
    allowed = frozenset(allowed)

    def expect(persona, level, world):
        if persona == "anonymous":
            return LOGIN
        if not sees(persona, level):
            return HIDDEN
        return REFUSED if persona in allowed else FORBIDDEN

    return expect


def always(outcome: str) -> Callable[[str, str | None, World], str]:
    return lambda persona, level, world: outcome


def per_persona(table: dict[str, str]) -> Callable[[str, str | None, World], str]:
    """An explicit persona → outcome table, for pages whose rule is not a level."""
    missing = set(PERSONAS) - set(table)
    assert not missing, f"per_persona table lacks {sorted(missing)}"
    return lambda persona, level, world: table[persona]


# The two rules most pages follow beyond ``read``.
runs = act(STAFF)  # an action only staff (and superusers) take
signed_in = per_persona(dict.fromkeys(PERSONAS, OK) | {"anonymous": LOGIN})


# --- checks (``Case.extra["check"]``) shared by several case modules -----------------


# What a placeholder names, by the level of the item it stands for, for signed-in readers;
# readers who are not signed in are told "nicht öffentlich" whatever the level.
PLACEHOLDER_WORDS = {
    Visibility.MEMBERS: "nur für Mitglieder des Gremiums",
    Visibility.TEAM: "vertraulich",
    Visibility.ADMIN_INTERNAL: "verwaltungsintern",
    Visibility.CIVIL_INTERNAL: "zivilgesellschaftlich intern",
}


def placeholders_in_place(persona, world, text) -> list[str]:
    """An agenda of one item per level (in the order of the levels) is numbered 1 to 5
    for every reader: an item the reader may not see is its placeholder, "TOP n – "
    and the words for its level, in its place (the markers prove it names no title)."""
    text = re.sub(r"\s+", " ", text)
    problems = []
    for number, level in enumerate(LEVELS, start=1):
        words = "nicht öffentlich" if persona == "anonymous" else PLACEHOLDER_WORDS.get(level)
        placeholder = f"TOP {number} – {words}"
        if sees(persona, level) and f"TOP {number} –" in text:
            problems.append(f"a placeholder for item {number}, which the reader sees")
        elif not sees(persona, level) and placeholder not in text:
            problems.append(f"no placeholder {placeholder!r} for the {level} item")
    return problems


# --- the world ----------------------------------------------------------------------


class World:
    """One public body with a member, the seven personas, and objects built on demand,
    one per (kind, level), cached for the test. Each object's text carries a marker
    (``world.marker(kind, level)``) that list-like outputs are searched for."""

    def __init__(self):
        # Run by the AKS team, so that the staff manage it (``runs``); the bodies cases
        # add a body the team does not run.
        self.body = BodyFactory(
            name="Matrixgremium",
            slug="matrixgremium",
            visibility=Visibility.PUBLIC,
            run_by_aks_team=True,
        )
        self.users = {}
        for persona in PERSONAS:
            self.users[persona] = self._make_user(persona)
        self._objects: dict[tuple[str, str | None], object] = {}
        self.clients: dict[str, Client] = {}

    def _make_user(self, persona: str):
        return make_persona(persona, body=self.body)

    def join(self, body):
        """Make the "body_member" persona an active member of ``body`` too, for objects
        that belong to a body of their own (the persona must be a member of the
        object's body for "members" objects)."""
        person = self.users["body_member"].person
        MembershipFactory(person=person, body=body)
        return body

    @staticmethod
    def marker(kind: str, level: str | None) -> str:
        return f"mx{kind}{(level or 'none').replace('_', '')}"

    def get(self, kind: str, level: str | None, build: Callable[[World, str | None], object]):
        """The object of this kind at this level, built once by ``build(world, level)``."""
        key = (kind, level)
        if key not in self._objects:
            self._objects[key] = build(self, level)
        return self._objects[key]

    def all_levels(self, kind: str, build: Callable[[World, str | None], object]) -> dict:
        return {level: self.get(kind, level, build) for level in LEVELS}

    def client(self, persona: str) -> Client:
        if persona not in self.clients:
            client = Client()
            user = self.users[persona]
            if user is not None:
                _sign_in(client, user)
            self.clients[persona] = client
        return self.clients[persona]


def _sign_in(client: Client, user) -> None:
    """``force_login`` without its side effects: a session row holding the user, and
    no login signal (axes' access log, last_login) nor key rotation. The matrix signs in
    seven personas for every URL name, and those side effects were a third of its time."""
    from importlib import import_module

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key


# --- cases --------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """How to reach one URL name and what each persona must get there.

    ``build(world, level)`` prepares the object at ``level`` and returns the URL kwargs
    (``levels=(None,)`` for URLs without an object). ``markers(world)`` returns
    ``{level: [text, ...]}`` for list-like outputs: each text must appear in the body
    exactly for the personas who see that level (only "not appear" is checked when
    ``must_list`` is false, e.g. for paginated or filtered lists). ``text(response)``
    turns a non-HTML body (PDF, JSON) into searchable text. ``extra["check"]``, if
    given, is called as ``check(persona, world, text)`` for every answer that is OK and
    returns a list of problems (for what depends on the reader, not on a level).
    """

    name: str
    build: Callable[[World, str | None], dict]
    expect: Callable[[str, str | None, World], str] = read
    levels: tuple = LEVELS
    method: str = "GET"
    query: str = ""
    data: dict | Callable[[World, str | None], dict] | None = None
    markers: Callable[[World], dict[str, list[str]]] | None = None
    must_list: bool = True
    text: Callable[[object], str] | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)


CASES: dict[str, list[Case]] = {}

# URL names the matrix deliberately does not request, with the reason.
EXCLUDED: dict[str, str] = {}


def load_cases() -> dict[str, list[Case]]:
    """Import every ``cases_*.py`` module of this package (each registers its cases)
    and return the registry."""
    import importlib
    import pkgutil
    from pathlib import Path

    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module.name.startswith("cases_"):
            importlib.import_module(f"{__package__}.{module.name}")
    return CASES


def register(*cases: Case) -> None:
    for case in cases:
        CASES.setdefault(case.name, []).append(case)


def exclude(name: str, reason: str) -> None:
    EXCLUDED[name] = reason


# --- running ------------------------------------------------------------------------


def _login_paths() -> tuple[str, ...]:
    return (reverse(settings.LOGIN_URL), reverse("admin:login"))


def outcome_of(response) -> str:
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        location = response.headers.get("Location", "")
        path = location.split("://", 1)[-1]
        path = "/" + path.split("/", 1)[1] if location.startswith("http") else path
        if path.startswith(_login_paths()):
            return LOGIN
        return OK
    if 200 <= status < 300:
        return OK
    if status == 403:
        return FORBIDDEN
    if status == 404:
        return HIDDEN
    if status in (400, 405):
        return REFUSED
    return f"status {status}"


def body_text(case: Case, response) -> str:
    if case.text is not None:
        return case.text(response)
    if getattr(response, "streaming", False):
        content = b"".join(response.streaming_content)
    else:
        content = response.content
    text = content.decode("utf-8", "replace")
    if response.headers.get("Content-Type", "").startswith(("application/json", "application/geo")):
        # JSON escapes non-ASCII and slashes; compare against the decoded data.
        with contextlib.suppress(ValueError):
            text = json.dumps(json.loads(text), ensure_ascii=False)
    return text


def run_case(case: Case, world: World) -> list[str]:
    """Request the case's URL for every level and persona; return the mismatches."""
    problems: list[str] = []
    for level in case.levels:
        kwargs = case.build(world, level)
        # A tuple: positional arguments (regular-expression patterns with unnamed groups).
        if isinstance(kwargs, tuple):
            url = reverse(case.name, args=kwargs) + case.query
        else:
            url = reverse(case.name, kwargs=kwargs or None) + case.query
        markers = case.markers(world) if case.markers else {}
        data = case.data(world, level) if callable(case.data) else case.data
        for persona in PERSONAS:
            expected = case.expect(persona, level, world)
            client = world.client(persona)
            # Each request runs in a savepoint that is rolled back, so an action one
            # persona may take does not change the object for the next persona.
            with transaction.atomic():
                if case.method == "GET":
                    response = client.get(url)
                else:
                    response = client.generic(
                        case.method,
                        url,
                        data=_encode(data),
                        content_type="application/x-www-form-urlencoded",
                    )
                got = outcome_of(response)
                check = case.extra.get("check")
                text = body_text(case, response) if got == OK and (markers or check) else ""
                transaction.set_rollback(True)
            where = f"{case.method} {url} level={level} persona={persona}"
            if got != expected:
                problems.append(f"{where}: expected {expected}, got {got}")
                continue
            if got != OK:
                continue  # a refusal lists nothing: no body to search
            # Whose view the body shows: the reader's, or (feeds addressed by a token,
            # the public feed) someone else's, named by ``extra["viewer"]``.
            if check is not None:
                # Per-reader checks the level table cannot express (a person's own data).
                problems += [f"{where}: {problem}" for problem in check(persona, world, text)]
            viewer = case.extra.get("viewer")
            seer = viewer(persona, level) if viewer else persona
            for marker_level, texts in markers.items():
                for marker in texts:
                    shown = marker in text
                    if shown and not sees(seer, marker_level):
                        problems.append(f"{where}: LEAK of {marker_level} object {marker!r}")
                    elif case.must_list and not shown and sees(seer, marker_level):
                        problems.append(f"{where}: {marker_level} object {marker!r} missing")
    return problems


def _encode(data: dict | None) -> str:
    from urllib.parse import urlencode

    return urlencode(data or {}, doseq=True)
