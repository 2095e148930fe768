"""Each language writes long dates its own way: "Dienstag, 15. Dezember 2026" in German,
"Tuesday, 15 December 2026" in English (not the German "15. December")."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone, translation

from aks.formats.de import formats as de_formats
from tests.meetings.factories_events import EventFactory

ROOT = Path(__file__).resolve().parent.parent
NAMES = [name for name in dir(de_formats) if name.endswith("_FORMAT")]
MOMENT = datetime.datetime(2026, 12, 15, 18, 30)  # a Tuesday; formatting only


def render(template: str, language: str) -> str:
    with translation.override(language):
        return Template(template).render(Context({"moment": MOMENT}))


@pytest.mark.parametrize(
    ("name", "german", "english"),
    [
        ("LONG_DATE_FORMAT", "15. Dezember 2026", "15 December 2026"),
        ("WEEKDAY_DATE_FORMAT", "Dienstag, 15. Dezember 2026", "Tuesday, 15 December 2026"),
        (
            "WEEKDAY_DATETIME_FORMAT",
            "Dienstag, 15. Dezember 2026, 18:30",
            "Tuesday, 15 December 2026, 18:30",
        ),
    ],
)
def test_it_writes_long_dates_in_each_languages_own_format(name, german, english):
    template = f'{{{{ moment|date:"{name}" }}}}'
    assert render(template, "de") == german
    assert render(template, "en") == english


def test_every_language_defines_every_named_format():
    # Django reads an unknown format name as a literal pattern ("W" a week number...).
    assert NAMES
    for code, _name in settings.LANGUAGES:
        module = __import__(f"aks.formats.{code}.formats", fromlist=["formats"])
        assert {name for name in dir(module) if name.endswith("_FORMAT")} == set(NAMES), code


def test_no_template_writes_a_german_date_pattern():
    pattern = re.compile(r"""date:["'][^"']*j\. F""")
    offenders = [
        path.relative_to(ROOT).as_posix()
        for app in ("aks", "bodies", "meetings", "spaces", "oparl", "templates")
        for path in (ROOT / app).rglob("*.html")
        if pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


@pytest.mark.django_db
def test_the_event_page_dates_read_naturally_in_english(client):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=10)
    meeting = EventFactory(start=start, end=start + datetime.timedelta(hours=2))
    local = timezone.localtime(start)
    url = reverse("meetings:event_detail", args=[meeting.pk])

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url, headers={"accept-language": "en"}).content.decode()
    assert f"{local:%A}, {local.day} {local:%B} {local.year}" in english
    assert f"{local.day}. {local:%B}" not in english
