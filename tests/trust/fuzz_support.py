"""Shared pieces of the fuzz tests (issue #8, robustness): the demo world, the hostile
values, the cheap database snapshot and the check that errors are shown in German."""

import html
import re

import pytest
from django.apps import apps
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import URLPattern, URLResolver, get_resolver
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# One budget for both files: together about a minute of CPU on PostgreSQL (two minutes
# of wall time on a busy two-core machine).
FORM_EXAMPLES = 8
LIST_EXAMPLES = 4


def budget(max_examples: int):
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )


# --- the world -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    """The demo data, seeded once per module inside a transaction that is rolled back at
    its end; each test runs in a savepoint inside it (pytest-django's ``db``), so what a
    test writes is gone for the next one and nothing leaks into other modules."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            call_command("seed_demo", stdout=_Sink())
            yield
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


class _Sink:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass


def demo_user(role: str | None):
    """A demo account by role ("v-intern", …); ``None`` is the superuser."""
    from aks.accounts.models import User

    if role is None:
        return User.objects.get(is_superuser=True, email__startswith="admin@")
    return User.objects.get(groups__name=role, email__endswith="@demo.gemeinwohl.example")


# --- hostile values ------------------------------------------------------------------------

OMIT = object()

# SQLite holds 64-bit integers only, and Django lets sqlite3's OverflowError escape from a
# lookup (ModelChoiceField with a 20-digit key): a development-only 500, PostgreSQL (CI,
# production) answers such keys as unknown. Past 64 bits is fuzzed there only.
PAST_64_BITS = connection.vendor == "postgresql"
HUGE = "9" * 30 if PAST_64_BITS else "9" * 18

MARKUP = ("<script>alert('x')</script>", '"><img src=x onerror=alert(1)>')

_SPECIAL = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\x00" * 3,
    *MARKUP,
    "' OR 1=1 --",
    "%",
    "_",
    "\\",
    "😀🏳️‍🌈",
    "ÄÖÜß",
    "\u202e\u200b",
    "0",
    "-1",
    "-0",
    "1.5",
    "1,5",
    "-0.01",
    "1e309",
    "NaN",
    "inf",
    "2147483648",
    "-2147483649",
    *(["9223372036854775808", "9" * 29] if PAST_64_BITS else []),
    "0x10",
    "²",
    "٣",
    "2026-02-30",
    "31.02.2026",
    "0000-00-00",
    "0001-01-01",
    "9999-12-31",
    "10000-01-01",
    "2026-13-01",
    "2026-01-01T25:61",
    "2026-01-01T10:00",
    "9999-12-31T23:59",
    "25:99",
    "24:00",
    "true",
    "on",
    "yes",
    "null",
    "None",
    "https://",
    "javascript:alert(1)",
    "http://[::1",
    "a@b",
    "@",
]

_text = st.text(st.characters(codec="utf-8"), max_size=40)
_long = st.builds(
    lambda piece, count: piece * count,
    st.sampled_from(["a", "ä", "€", "𝄞", " ", "\x00", *(["9"] if PAST_64_BITS else [])]),
    st.integers(min_value=201, max_value=12000),
)
_bits = 80 if PAST_64_BITS else 62
_numbers = st.integers(min_value=-(2**_bits), max_value=2**_bits).map(str)

scalar = st.one_of(st.sampled_from(_SPECIAL), _text, _numbers, _long)
value = st.one_of(scalar, st.lists(scalar, min_size=2, max_size=3))


def field_value(valid=None):
    """A hostile value for one field; sometimes its valid value, sometimes nothing."""
    options = [value, st.just(OMIT)]
    if valid is not None:
        options.insert(0, st.just(valid))
    return st.one_of(options)


unknown_params = st.dictionaries(
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=12), value, max_size=2
)


@st.composite
def hostile_data(draw, names: list[str], valid: dict):
    """Either the valid data with one field broken, or every field drawn on its own; and
    sometimes a few names the form does not know."""
    if valid and draw(st.booleans()):
        data = dict(valid)
        name = draw(st.sampled_from(names))
        data[name] = draw(field_value())
    else:
        data = {name: draw(field_value(valid.get(name))) for name in names}
    data.update(draw(unknown_params))
    return {name: item for name, item in data.items() if item is not OMIT}


# --- the database snapshot -----------------------------------------------------------------

APP_LABELS = {"accounts", "bodies", "spaces", "meetings", "oparl", "portal", "mail"}


def _tables() -> list[str]:
    tables = {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if model._meta.app_label in APP_LABELS and model._meta.managed and not model._meta.proxy
    }
    return sorted(tables)


_COUNT_SQL = None


def row_counts() -> tuple:
    """Row counts of every table of the project's apps, in one query."""
    global _COUNT_SQL
    if _COUNT_SQL is None:
        quote = connection.ops.quote_name
        # Table names from the models' metadata, quoted: nothing from outside.
        _COUNT_SQL = "SELECT " + ", ".join(  # noqa: S608
            f"(SELECT COUNT(*) FROM {quote(table)})"  # noqa: S608
            for table in _tables()
        )
    with connection.cursor() as cursor:
        cursor.execute(_COUNT_SQL)
        return tuple(cursor.fetchone())


def changed_tables(before: tuple, after: tuple) -> list[str]:
    return [
        f"{table}: {a} -> {b}"
        for table, a, b in zip(_tables(), before, after, strict=True)
        if a != b
    ]


# --- German errors -------------------------------------------------------------------------

_ERROR_PATTERNS = [
    re.compile(r'<p class="error"[^>]*>(.*?)</p>', re.S),
    re.compile(r'<div class="error-summary"[^>]*>(.*?)</div>', re.S),
    re.compile(r'<p class="message message-error[^"]*">(.*?)</p>', re.S),
    re.compile(r'<ul class="errorlist[^"]*"[^>]*>(.*?)</ul>', re.S),
]
_TAGS = re.compile(r"<[^>]+>")
_WORDS = re.compile(r"[a-zäöüß]+")


def _words(text: str) -> frozenset:
    return frozenset(text.split())


ENGLISH = _words(
    "the this that is are please enter select must cannot can be not field value valid "
    "choose ensure has have at least most characters character required an of and or your "
    "you only before after than more less number whole date time null allowed invalid "
    "should no such does exist already needs need"
)
GERMAN = _words(
    "der die das den dem des bitte ist sind nicht ein eine einen einem einer wählen geben "
    "sie muss darf kann feld wert gültig gültige gültigen gültiges zeichen und oder vor nach "
    "mindestens höchstens ihr nur als zu keine kein datum zeit diese dieses dieser es gibt "
    "auswahl ungültig ungültige wird werden hat haben enthält liegt"
)


def looks_english(text: str) -> bool:
    words = _WORDS.findall(text.lower())
    english = sum(word in ENGLISH for word in words)
    german = sum(word in GERMAN for word in words)
    return english >= 2 and english > german


def error_texts(response) -> list[str]:
    """The error texts a page shows: field errors, summaries and error messages."""
    texts = []
    if response.get("Content-Type", "").startswith("text/html"):
        content = response.content.decode("utf-8", errors="replace")
        for pattern in _ERROR_PATTERNS:
            for match in pattern.findall(content):
                text = html.unescape(_TAGS.sub(" ", match)).strip()
                if text:
                    texts.append(" ".join(text.split()))
    texts.extend(message_texts(response, message_levels.ERROR))
    return texts


def message_texts(response, level: int) -> list[str]:
    request = getattr(response, "wsgi_request", None)
    if request is None:
        return []
    # Only what this request added: older messages may still wait in the cookie.
    queued = getattr(get_messages(request), "_queued_messages", [])
    return [str(m) for m in queued if m.level == level]


def unescaped_markup(response) -> list[str]:
    """Hostile markup that a page shows as markup instead of as text."""
    if not response.get("Content-Type", "").startswith("text/html"):
        return []
    content = response.content.decode("utf-8", errors="replace")
    return [markup for markup in MARKUP if markup in content]


def english_errors(texts: list[str]) -> list[str]:
    return [text for text in texts if looks_english(text)]


def show(data) -> str:
    """The data of a failing example, short enough to read."""

    def cut(item):
        if isinstance(item, list):
            return [cut(x) for x in item]
        return item if len(item) <= 60 else f"{item[:40]!r}…({len(item)} chars)"

    return repr({name: cut(item) for name, item in data.items()})


def url_names(resolver=None, namespace=""):
    """Every named URL of the project as ``(namespace:name, view)``."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", pattern.callback
