"""Every HTML page type of the platform through axe-core, at desktop and phone width.

One representative address per URL name, opened as the persona who sees the most of
it, with the full demo data. The sweep collects every violation and console error and
fails once at the end, so one run reports all of them. A URL name that is neither swept
nor excluded with a reason fails the coverage test: a new page cannot slip past.
"""

from dataclasses import dataclass
from types import SimpleNamespace

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from aks.accounts import roles
from bodies.demo import DEMO_USERS, seed_votes, seed_workstreams
from bodies.models import Body, Decision, Poll, Workstream
from meetings import services_questions
from meetings.demo import seed_meetings
from meetings.demo_events import seed_events
from meetings.models import (
    AgendaItem,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MinuteEntry,
    MinutesStatus,
    Registration,
    RegistrationStatus,
    TopicSurvey,
)
from spaces.demo import seed_spaces
from spaces.models import Space, SpaceNeed

from .conftest import DESKTOP, PHONE, axe_violations, login

pytestmark = pytest.mark.e2e

EMAIL = {role: email for email, _name, role in DEMO_USERS}
ANONYMOUS = "anonymous"
V_INTERN, V_EXTERN = roles.V_INTERN, roles.V_EXTERN
COUNCILLOR, MEMBER = roles.COUNCILLOR, roles.ASSOCIATION_MEMBER


@dataclass(frozen=True)
class Sweep:
    persona: str
    path: object  # a function of the demo objects, giving the path (with query string)


# Grouped by persona: each persona's pages run one after another in its own context.
PAGES = {
    # The public.
    "portal:home": Sweep(ANONYMOUS, lambda o: "/"),
    "portal:search": Sweep(ANONYMOUS, lambda o: "/suche/?q=Leerstand"),
    "accounts:login": Sweep(ANONYMOUS, lambda o: "/konto/anmelden/"),
    "bodies:list": Sweep(ANONYMOUS, lambda o: "/gremien/"),
    "bodies:detail": Sweep(ANONYMOUS, lambda o: "/gremien/steuerungsrunde/"),
    "bodies:decisions": Sweep(ANONYMOUS, lambda o: "/gremien/beschluesse/"),
    "bodies:decision": Sweep(ANONYMOUS, lambda o: o.decision.get_absolute_url()),
    "spaces:list": Sweep(ANONYMOUS, lambda o: "/raeume/"),
    "spaces:map": Sweep(ANONYMOUS, lambda o: "/raeume/karte/"),
    "spaces:detail": Sweep(ANONYMOUS, lambda o: o.space.get_absolute_url()),
    "spaces:need_list": Sweep(ANONYMOUS, lambda o: "/raeume/bedarfe/"),
    "spaces:need_detail": Sweep(ANONYMOUS, lambda o: o.need.get_absolute_url()),
    "meetings:tracker": Sweep(ANONYMOUS, lambda o: "/sitzungen/zusagen/oeffentlich/"),
    "meetings:calendar_page": Sweep(ANONYMOUS, lambda o: "/sitzungen/kalender/"),
    "meetings:event_list": Sweep(ANONYMOUS, lambda o: "/sitzungen/veranstaltungen/"),
    "meetings:event_detail": Sweep(
        ANONYMOUS, lambda o: f"/sitzungen/veranstaltungen/{o.event.pk}/"
    ),
    "meetings:event_registered": Sweep(
        ANONYMOUS, lambda o: f"/sitzungen/veranstaltungen/{o.event.pk}/anmelden/danke/"
    ),
    "meetings:registration_confirm": Sweep(
        ANONYMOUS, lambda o: f"/sitzungen/anmeldung/{o.pending.token}/bestaetigen/"
    ),
    "meetings:registration_cancel": Sweep(
        ANONYMOUS, lambda o: f"/sitzungen/anmeldung/{o.confirmed.token}/absagen/"
    ),
    "meetings:series_public": Sweep(
        ANONYMOUS, lambda o: f"/sitzungen/veranstaltungen/reihen/{o.event_series.pk}/"
    ),
    "meetings:survey_detail": Sweep(
        ANONYMOUS, lambda o: f"/sitzungen/veranstaltungen/umfragen/{o.survey.pk}/"
    ),
    "meetings:survey_vote": Sweep(
        ANONYMOUS, lambda o: f"/sitzungen/umfrage/{o.survey.pk}/{o.confirmed.token}/"
    ),
    # The association member.
    "accounts:profile": Sweep(MEMBER, lambda o: "/konto/profil/"),
    "spaces:report": Sweep(MEMBER, lambda o: "/raeume/melden/"),
    # The councillor.
    "portal:dashboard": Sweep(COUNCILLOR, lambda o: "/uebersicht/"),
    # v-intern staff.
    "portal:activity": Sweep(V_INTERN, lambda o: "/aktivitaet/"),
    "bodies:members": Sweep(
        V_INTERN, lambda o: "/gremien/verwaltungsinterne-steuerungsrunde/mitglieder/"
    ),
    "meetings:list": Sweep(V_INTERN, lambda o: "/sitzungen/"),
    "meetings:detail": Sweep(V_INTERN, lambda o: o.upcoming.get_absolute_url()),
    "meetings:agenda_print": Sweep(V_INTERN, lambda o: f"/sitzungen/{o.upcoming.pk}/tagesordnung/"),
    "meetings:agenda_edit": Sweep(
        V_INTERN, lambda o: f"/sitzungen/{o.upcoming.pk}/tagesordnung/{o.item.pk}/bearbeiten/"
    ),
    "meetings:meeting_edit": Sweep(V_INTERN, lambda o: f"/sitzungen/{o.upcoming.pk}/bearbeiten/"),
    "meetings:meeting_create": Sweep(V_INTERN, lambda o: "/sitzungen/neu/"),
    "meetings:series_create": Sweep(V_INTERN, lambda o: "/sitzungen/reihen/neu/"),
    "meetings:series_detail": Sweep(V_INTERN, lambda o: f"/sitzungen/reihen/{o.series.pk}/"),
    "meetings:attendance": Sweep(V_INTERN, lambda o: f"/sitzungen/{o.held.pk}/anwesenheit/"),
    "meetings:minutes": Sweep(V_INTERN, lambda o: f"/sitzungen/{o.held.pk}/protokoll/"),
    "meetings:entry_edit": Sweep(
        V_INTERN, lambda o: f"/sitzungen/eintraege/{o.draft_entry.pk}/bearbeiten/"
    ),
    "meetings:entry_correct": Sweep(
        V_INTERN, lambda o: f"/sitzungen/eintraege/{o.locked_entry.pk}/berichtigen/"
    ),
    "meetings:question_add": Sweep(
        V_INTERN, lambda o: f"/sitzungen/{o.upcoming.pk}/leitfragen/neu/"
    ),
    "meetings:question_edit": Sweep(
        V_INTERN, lambda o: f"/sitzungen/leitfragen/{o.question.pk}/bearbeiten/"
    ),
    "meetings:question_answer": Sweep(
        V_INTERN, lambda o: f"/sitzungen/leitfragen/{o.question.pk}/beantworten/"
    ),
    "meetings:question_remove": Sweep(
        V_INTERN, lambda o: f"/sitzungen/leitfragen/{o.question.pk}/entfernen/"
    ),
    "meetings:action_items": Sweep(V_INTERN, lambda o: "/sitzungen/aufgaben/"),
    "meetings:action_item_add": Sweep(V_INTERN, lambda o: f"/sitzungen/{o.held.pk}/aufgaben/neu/"),
    "spaces:create": Sweep(V_INTERN, lambda o: "/raeume/neu/"),
    "spaces:edit": Sweep(V_INTERN, lambda o: f"/raeume/{o.space.pk}/bearbeiten/"),
    "spaces:need_create": Sweep(V_INTERN, lambda o: "/raeume/bedarfe/neu/"),
    "spaces:need_edit": Sweep(V_INTERN, lambda o: f"/raeume/bedarfe/{o.need.pk}/bearbeiten/"),
    # v-extern staff.
    "bodies:workstreams": Sweep(V_EXTERN, lambda o: "/gremien/baustellen/"),
    "bodies:workstream": Sweep(V_EXTERN, lambda o: f"/gremien/baustellen/{o.workstream.number}/"),
    "bodies:polls": Sweep(V_EXTERN, lambda o: "/gremien/kernkreis/abstimmungen/"),
    "bodies:poll": Sweep(V_EXTERN, lambda o: o.open_poll.get_absolute_url()),
    "bodies:poll_create": Sweep(V_EXTERN, lambda o: "/gremien/traegerverein/abstimmungen/neu/"),
    "meetings:commitments": Sweep(V_EXTERN, lambda o: "/sitzungen/zusagen/"),
    "meetings:commitment_add": Sweep(
        V_EXTERN, lambda o: f"/sitzungen/{o.public_assembly.pk}/zusagen/neu/"
    ),
    "meetings:commitment_review": Sweep(V_EXTERN, lambda o: "/sitzungen/zusagen/pruefen/"),
    "meetings:room": Sweep(V_EXTERN, lambda o: f"/sitzungen/{o.assembly.pk}/saal/"),
    "meetings:event_registrations": Sweep(
        V_EXTERN, lambda o: f"/sitzungen/veranstaltungen/{o.event.pk}/anmeldungen/"
    ),
    "meetings:event_check_in": Sweep(
        V_EXTERN, lambda o: f"/sitzungen/veranstaltungen/{o.event.pk}/einlass/"
    ),
    "meetings:event_recommendations": Sweep(
        V_EXTERN, lambda o: f"/sitzungen/veranstaltungen/{o.past_event.pk}/empfehlungen/"
    ),
    "meetings:survey_create": Sweep(
        V_EXTERN, lambda o: f"/sitzungen/veranstaltungen/reihen/{o.event_series.pk}/umfrage/neu/"
    ),
}

# Error pages have no URL name of their own; the status they answer with is expected.
ERROR_PAGES = {
    "404 page": Sweep(ANONYMOUS, lambda o: "/gremien/gibt-es-nicht/"),
    "403 page": Sweep(
        COUNCILLOR, lambda o: "/gremien/verwaltungsinterne-steuerungsrunde/mitglieder/"
    ),
}
ERROR_STATUS = {"404 page": 404, "403 page": 403}

POST_ONLY = "POST-only action: redirects or answers a form, no page of its own"
EXCLUDED = {
    "healthz": "plain-text health check for the load balancer",
    "set_language": "Django's POST-only language switch",
    "accounts:logout": POST_ONLY,
    "bodies:poll_vote": POST_ONLY + " (htmx swaps the ballot into the poll page)",
    "bodies:poll_open": POST_ONLY,
    "bodies:poll_counts": POST_ONLY,
    "bodies:poll_close": POST_ONLY,
    "bodies:poll_cancel": POST_ONLY,
    "bodies:member_end": POST_ONLY,
    "spaces:change_status": POST_ONLY,
    "spaces:geojson": "GeoJSON for the map",
    "spaces:csv": "CSV export",
    "meetings:agenda_add": POST_ONLY,
    "meetings:question_move": POST_ONLY,
    "meetings:question_carry": POST_ONLY,
    "meetings:agenda_move": POST_ONLY,
    "meetings:carry_over": POST_ONLY,
    "meetings:minutes_start": POST_ONLY,
    "meetings:entry_add": POST_ONLY,
    "meetings:minutes_circulate": POST_ONLY,
    "meetings:minutes_approve": POST_ONLY,
    "meetings:minutes_publish": POST_ONLY,
    "meetings:action_item_status": POST_ONLY,
    "meetings:commitment_status": POST_ONLY,
    "meetings:commitment_note": POST_ONLY,
    "meetings:meeting_status": POST_ONLY,
    "meetings:series_end": POST_ONLY,
    "meetings:agenda_pdf": "PDF (its progress page is checked in test_pdf_journey)",
    "documents:annual_report": "PDF (the same progress page as the agenda and minutes PDFs)",
    "meetings:minutes_pdf": "PDF (its progress page is checked in test_pdf_journey)",
    "meetings:series_recommendations_pdf": "PDF",
    "meetings:calendar": "iCalendar feed",
    "meetings:calendar_body": "iCalendar feed",
    "meetings:calendar_series": "iCalendar feed",
    "meetings:calendar_personal": "iCalendar feed",
    "meetings:calendar_personal_body": "iCalendar feed",
    "meetings:calendar_personal_series": "iCalendar feed",
    "meetings:series_participants": POST_ONLY + " (the form is on the series page)",
    "meetings:calendar_renew": POST_ONLY,
    "meetings:event_register": POST_ONLY + " (the form is on the event page)",
    "meetings:event_document": "file download of an event's slides",
    "meetings:event_registrations_csv": "CSV export",
    "meetings:room_counts": POST_ONLY,
    "meetings:room_close_poll": POST_ONLY,
    "meetings:commitment_check": POST_ONLY,
    "meetings:commitment_discard": POST_ONLY,
    "meetings:survey_status": POST_ONLY,
    "portal:agenda_review": POST_ONLY + " (the form is on the overview)",
    "portal:data_export": "JSON download of one's own data",
}
# Whole namespaces that serve no HTML pages of the platform's own design.
EXCLUDED_NAMESPACES = {
    "admin": "Django's admin, styled and tested by Django",
    "oparl": "OParl JSON API",
}


def _url_names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def test_every_page_type_is_swept_or_excluded_with_a_reason():
    names = {
        name
        for name in _url_names(get_resolver().url_patterns)
        if name.split(":")[0] not in EXCLUDED_NAMESPACES
    }
    unaccounted = names - PAGES.keys() - EXCLUDED.keys()
    assert not unaccounted, f"neither swept nor excluded with a reason: {sorted(unaccounted)}"
    assert not PAGES.keys() & EXCLUDED.keys()
    stale = (PAGES.keys() | EXCLUDED.keys()) - names
    assert not stale, f"no such URL names (any more): {sorted(stale)}"
    assert all(reason.strip() for reason in EXCLUDED.values())


def _demo_objects():
    """Seed the whole demo and pick one representative object per page."""
    seed_workstreams()
    seed_votes()
    seed_spaces()
    seed_meetings()
    seed_events()
    jour_fixes = Meeting.objects.filter(kind=MeetingKind.JOUR_FIXE).order_by("start")
    held = jour_fixes.filter(minutes__status=MinutesStatus.DRAFT).last()
    upcoming = jour_fixes.filter(minutes__isnull=True).first()
    events = Meeting.objects.filter(kind=MeetingKind.PUBLIC_EVENT).order_by("start")
    event = events.filter(status="planned").first()
    question = services_questions.add_question(
        meeting=upcoming, text="Wer übernimmt die Schlüssel des Ladens?"
    )
    return SimpleNamespace(
        question=question,
        decision=Decision.objects.filter(body__slug="steuerungsrunde").first(),
        space=Space.objects.get(name__icontains="Fahrradladen"),
        need=SpaceNeed.objects.order_by("pk").first(),
        held=held,
        upcoming=upcoming,
        item=AgendaItem.objects.filter(meeting=upcoming).order_by("position").last(),
        series=upcoming.series,
        draft_entry=MinuteEntry.objects.filter(minutes__meeting=held).first(),
        locked_entry=MinuteEntry.objects.filter(minutes__status=MinutesStatus.APPROVED).first(),
        event=event,
        past_event=events.filter(status="held").last(),
        event_series=MeetingSeries.objects.get(kind=MeetingKind.PUBLIC_EVENT),
        pending=Registration.objects.filter(
            meeting=event, status=RegistrationStatus.PENDING
        ).first(),
        confirmed=Registration.objects.filter(
            meeting=event, status=RegistrationStatus.CONFIRMED
        ).first(),
        survey=TopicSurvey.objects.get(),
        assembly=Meeting.objects.get(kind=MeetingKind.ASSEMBLY),
        public_assembly=Meeting.objects.get(kind=MeetingKind.PUBLIC_ASSEMBLY),
        workstream=Workstream.objects.order_by("number").first(),
        open_poll=Poll.objects.filter(status="open").get(),
        body=Body.objects.get(slug="steuerungsrunde"),
    )


def test_every_page_type_passes_axe_at_desktop_and_phone_width(demo, browser):
    objects = _demo_objects()
    failures = []
    by_persona = {}
    for name, sweep in (PAGES | ERROR_PAGES).items():
        by_persona.setdefault(sweep.persona, []).append((name, sweep.path(objects)))

    for persona, pages in by_persona.items():
        context = browser.new_context(viewport=DESKTOP, locale="de-DE")
        context.set_default_timeout(10_000)
        page = context.new_page()
        errors = []
        page.on("console", lambda m, e=errors: m.type == "error" and e.append(m.text))
        page.on("pageerror", lambda exc, e=errors: e.append(f"uncaught exception: {exc}"))
        if persona != ANONYMOUS:
            login(page, demo, EMAIL[persona])
        for name, path in pages:
            page.set_viewport_size(DESKTOP)
            response = page.goto(demo + path)
            where = f"{name} as {persona} ({path})"
            expected = ERROR_STATUS.get(name, 200)
            if response.status != expected:
                failures.append(f"{where}: HTTP {response.status}, expected {expected}")
                errors.clear()
                continue
            if expected != 200:
                # Chromium logs the status of the document itself as a console error.
                errors[:] = [e for e in errors if f"status of {expected}" not in e]
            if name == "spaces:map":
                page.locator("#space-map[data-markers]").wait_for(state="attached")
            for label, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                page.set_viewport_size(viewport)
                lines = axe_violations(page)
                if lines:
                    failures.append(f"{where} at {label} width:\n  " + "\n  ".join(lines))
            if errors:
                failures.append(f"{where}: console errors: {errors}")
                errors.clear()
        context.close()

    assert not failures, "\n\n".join(failures)
