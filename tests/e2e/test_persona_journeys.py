"""One journey per persona, end to end through the real pages (issue #9).

v-intern staff prepare a Jour-Fixe, write its minutes and move a space on; v-extern
staff run an open assembly (count a show of hands, record a commitment) and report a
vacancy; the councillor reviews the agenda and downloads it as PDF; an association
member registers for a public event and votes in the assembly's poll; a visitor finds a
public decision through the search and reads public minutes. Each new page type on the
way is checked with axe-core; the page fixture fails on any console error.
"""

import datetime
import re

import pypdf
import pytest
from django.core.cache import cache
from django.utils import timezone

from aks.accounts import roles
from bodies import services as poll_services
from bodies.access import Visibility
from bodies.demo import DEMO_USERS, seed_votes
from bodies.models import Body, Decision, Poll, PollStatus, Vote
from bodies.services import record_decision
from meetings import services
from meetings.demo import seed_meetings
from meetings.demo_events import seed_events
from meetings.models import (
    AgendaItem,
    AgendaReview,
    Commitment,
    Meeting,
    MeetingKind,
    MinuteEntry,
    Minutes,
    MinutesStatus,
    Registration,
    RegistrationStatus,
)
from spaces.demo import seed_spaces
from spaces.models import Space, SpaceStatus
from tests.factories import MembershipFactory, PersonFactory

from .conftest import assert_accessible, login, logout
from .test_registration_journey import _link, _local, _register

pytestmark = pytest.mark.e2e

EMAIL = {role: email for email, _name, role in DEMO_USERS}
ASSEMBLY = "Offene Versammlung des Trägervereins"


def _either(german: str, english: str):
    """An accessible name in German, or in English while the catalogue lags behind."""
    return re.compile(rf"^({re.escape(german)}|{re.escape(english)})$")


def _submit(page, form):
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def _follow(page, locator):
    with page.expect_navigation():
        locator.click()


def _jour_fixes():
    """The demo's last held Jour-Fixe (draft minutes) and the next one."""
    jour_fixes = Meeting.objects.filter(kind=MeetingKind.JOUR_FIXE).order_by("start")
    now = timezone.now()
    return jour_fixes.filter(start__lt=now).last(), jour_fixes.filter(start__gte=now).first()


def test_v_intern_staff_prepare_a_jour_fixe_write_minutes_and_move_a_space_on(demo, page):
    seed_spaces()
    seed_meetings()
    held, upcoming = _jour_fixes()
    space = Space.objects.get(name="Ladenlokal Wühlischstraße")
    assert space.status == SpaceStatus.REPORTED

    login(page, demo, EMAIL[roles.V_INTERN])
    page.goto(f"{demo}/sitzungen/")
    assert_accessible(page)

    # Prepare the next Jour-Fixe: add an item and describe it.
    _follow(page, page.locator(f"main a[href='{upcoming.get_absolute_url()}']").first)
    assert page.locator("main h1").inner_text() == upcoming.title
    assert_accessible(page)
    add = page.locator(f"form[action$='/sitzungen/{upcoming.pk}/tagesordnung/neu/']")
    add.locator("[name=title]").fill("Leerstand Wühlischstraße")
    _submit(page, add)
    titles = page.locator("#agenda .agenda-title").all_inner_texts()
    assert "Leerstand Wühlischstraße" in [t.strip() for t in titles]
    item = AgendaItem.objects.get(meeting=upcoming, title="Leerstand Wühlischstraße")
    _follow(page, page.locator(f"a[href$='/tagesordnung/{item.pk}/bearbeiten/']"))
    assert_accessible(page)
    edit = page.locator("form.stacked-form")
    edit.locator("[name=description]").fill("Meldung aus dem Kiez, Eigentümer unbekannt.")
    edit.locator("[name=duration_minutes]").fill("15")
    edit.locator(f"[name=spaces][value='{space.pk}']").check()
    _submit(page, edit)
    page.locator(f"#agenda a[href='{space.get_absolute_url()}']").wait_for()
    item.refresh_from_db()
    assert item.description.startswith("Meldung aus dem Kiez")

    # Write the minutes of the last Jour-Fixe and circulate them.
    page.goto(f"{demo}{held.get_absolute_url()}")
    _follow(page, page.locator("main .actions-list a[href$='/protokoll/']"))
    assert_accessible(page)
    entry = page.locator(f"form[action$='/sitzungen/{held.pk}/protokoll/eintrag/']")
    entry.locator("[name=section]").select_option("result")
    entry.locator("[name=text]").fill("Das Ladenlokal Wühlischstraße wird vor Ort geprüft.")
    _submit(page, entry)
    page.get_by_text("Das Ladenlokal Wühlischstraße wird vor Ort geprüft.").wait_for()
    _submit(page, page.locator(f"form[action$='/sitzungen/{held.pk}/protokoll/umlauf/']"))
    minutes = Minutes.objects.get(meeting=held)
    assert minutes.status == MinutesStatus.CIRCULATED
    assert minutes.entries.filter(text__startswith="Das Ladenlokal Wühlischstraße").exists()
    assert page.locator(".messages").count() == 1

    # Change the space's status: verified after the visit.
    page.goto(f"{demo}/raeume/")
    _follow(page, page.locator("main table a", has_text=space.name))
    assert page.locator("main h1").inner_text() == space.name
    assert_accessible(page)
    status = page.locator("form[action$='/status/']")
    status.locator("#id_to").select_option("verified")
    status.locator("#id_note").fill("Vor Ort geprüft, Schaufenster verklebt.")
    _submit(page, status)
    space.refresh_from_db()
    assert space.status == SpaceStatus.VERIFIED
    assert "Vor Ort geprüft" in page.locator("ol.timeline").inner_text()


@pytest.fixture
def assembly(demo):
    """The open assembly of the Trägerverein with two polls on its agenda: one counted
    by show of hands in the room, one voted online by the members."""
    seed_meetings()
    seed_events()
    meeting = Meeting.objects.get(title=ASSEMBLY)
    body = meeting.body
    # The association's members on the roll: no more hands are counted than voters.
    for n in range(60):
        MembershipFactory(body=body, person=PersonFactory(name=f"Vereinsmitglied {n}"))
    hands = poll_services.create_poll(
        body=body,
        title="Positionspapier „Räume für alle“",
        motion="Die Versammlung beschließt das Positionspapier.",
        counting="analog",
        visibility=Visibility.PUBLIC,
    )
    online = poll_services.create_poll(
        body=body,
        title="Kiezfest zur Eröffnung des Ladens",
        motion="Der Verein richtet im Frühjahr ein Kiezfest aus.",
        visibility=Visibility.PUBLIC,
    )
    item = services.add_agenda_item(meeting=meeting, title="Abstimmungen")
    item.polls.add(poll_services.open_poll(poll=hands), poll_services.open_poll(poll=online))
    meeting.hands, meeting.online = hands, online
    return meeting


def test_v_extern_staff_run_an_open_assembly_and_report_a_vacancy(assembly, demo, page):
    seed_spaces()
    hands = assembly.hands
    options = {o.meaning: o for o in hands.options.all()}
    login(page, demo, EMAIL[roles.V_EXTERN])
    page.goto(f"{demo}/sitzungen/veranstaltungen/")
    assert_accessible(page)
    _follow(page, page.get_by_role("link", name=ASSEMBLY))
    assert_accessible(page)
    _follow(page, page.get_by_role("link", name=_either("Im Saal", "In the room")))
    assert page.url == f"{demo}/sitzungen/{assembly.pk}/saal/"
    assert_accessible(page)

    # The show of hands: enter the counts, then close the poll.
    counts = page.locator(f"form[action$='/saal/abstimmungen/{hands.pk}/']")
    counts.locator(f"[name=poll{hands.pk}-option_{options['yes'].pk}]").fill("52")
    counts.locator(f"[name=poll{hands.pk}-option_{options['no'].pk}]").fill("4")
    counts.locator(f"[name=poll{hands.pk}-option_{options['abstain'].pk}]").fill("3")
    counts.locator(f"[name=poll{hands.pk}-valid]").fill("59")
    counts.locator(f"[name=poll{hands.pk}-invalid]").fill("1")
    _submit(page, counts)
    assert page.locator(".messages").count() == 1
    _submit(page, page.locator(f"form[action$='/saal/abstimmungen/{hands.pk}/schliessen/']"))
    hands.refresh_from_db()
    assert (hands.status, hands.adopted) == (PollStatus.CLOSED, True)
    assert hands.title in page.locator(".messages").inner_text()
    assert Decision.objects.filter(poll=hands).exists()

    # A commitment, typed as it is said.
    promise = "Die WBM stellt für das Kiezfest ihren Hof zur Verfügung."
    form = page.locator("form.room-form")
    form.locator("[name=organisation]").select_option(label="WBM Wohnungsbaugesellschaft")
    form.locator("textarea[name=what]").fill(promise)
    _submit(page, form)
    assert page.locator("#room-list-heading ~ ul li", has_text=promise).count() == 1
    commitment = Commitment.objects.get(meeting=assembly, what=promise)
    assert commitment.checked_at is None

    # Checked at the desk, it is on the public tracker.
    _follow(page, page.locator("main a[href$='/sitzungen/zusagen/pruefen/']"))
    assert_accessible(page)
    row = page.locator(f"#commitment-{commitment.pk}")
    _submit(page, row.locator("form.stacked-form"))
    commitment.refresh_from_db()
    assert commitment.checked_at is not None
    page.goto(f"{demo}/sitzungen/zusagen/oeffentlich/")
    assert promise in page.locator("main").inner_text()
    assert_accessible(page)

    # Report a vacancy seen on the way home.
    page.goto(f"{demo}/raeume/")
    _follow(page, page.locator("main a[href='/raeume/melden/']"))
    assert_accessible(page)
    form = page.locator("main form.stacked-form")
    form.locator("#id_name").fill("Leerer Laden Boxhagener Straße")
    form.locator("#id_address").fill("Boxhagener Straße 12")
    form.locator("#id_postcode").fill("10245")
    form.locator("#id_district").select_option(label="Samariterkiez")
    form.locator("#id_kind").select_option("shopfront")
    form.locator("#id_description").fill("Seit Monaten leer, Aushang der Hausverwaltung.")
    _submit(page, form)
    space = Space.objects.get(name="Leerer Laden Boxhagener Straße")
    assert space.status == SpaceStatus.REPORTED
    assert page.url == f"{demo}/raeume/{space.pk}/"
    assert page.locator("main h1").inner_text() == space.name


def test_the_councillor_reviews_the_agenda_and_downloads_its_pdf(demo, documents, page):
    seed_meetings()
    _held, upcoming = _jour_fixes()
    login(page, demo, EMAIL[roles.COUNCILLOR])
    page.goto(f"{demo}/uebersicht/")
    assert page.get_by_text("Stellenbesetzung im Stadtentwicklungsamt").count() == 1
    assert_accessible(page)
    page.locator("#review-reviewed").check()
    page.locator("#review-comment").fill("Die Stellenbesetzung bitte als ersten Punkt.")
    _submit(page, page.locator("form[action*='/uebersicht/tagesordnung/']"))
    page.locator("main p", has_text="Die Stellenbesetzung bitte als ersten Punkt.").wait_for()
    review = AgendaReview.objects.get(meeting=upcoming)
    assert review.reviewed and review.comment.startswith("Die Stellenbesetzung")

    _follow(page, page.locator(f"main a[href='{upcoming.get_absolute_url()}']").first)
    assert_accessible(page)
    link = page.locator(f"main a[href='/sitzungen/{upcoming.pk}/tagesordnung.pdf']")
    response = page.request.get(demo + link.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    body = response.body()
    assert body.startswith(b"%PDF")
    path = documents.MEDIA_ROOT.parent / "agenda.pdf"
    path.write_bytes(body)
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(path).pages)
    assert "Tagesordnung" in text
    assert "Vor-Ort-Laden im ehemaligen Fahrradladen" in text
    assert "Öffnungszeiten und Schlüssel" in text


def test_an_association_member_registers_for_an_event_and_votes(
    assembly, demo, page, settings, eager_tasks
):
    settings.MEETINGS_REGISTRATION_MIN_SECONDS = 1
    cache.clear()
    event = Meeting.objects.get(title__startswith="Verwaltung trifft Initiative")
    online = assembly.online
    address = "selin.aydin@example.org"

    # Registration needs no account: the address is confirmed from the mail.
    page.goto(f"{demo}/sitzungen/veranstaltungen/")
    _follow(page, page.get_by_role("link", name=event.title))
    _register(page, demo, event, name="Selin Aydın", email=address)
    assert_accessible(page)
    assert Registration.objects.get(email=address).status == RegistrationStatus.PENDING
    page.goto(_local(_link(address, "bestaetigen"), demo))
    _submit(page, page.locator("main form"))
    assert Registration.objects.get(email=address).status == RegistrationStatus.CONFIRMED
    assert page.locator("main").get_by_text(event.title).count() >= 1

    # Logged in, the member votes in the assembly's online poll.
    login(page, demo, EMAIL[roles.ASSOCIATION_MEMBER])
    page.goto(f"{demo}/sitzungen/")
    _follow(page, page.get_by_role("link", name=ASSEMBLY))
    _follow(page, page.locator(f"#agenda a[href='{online.get_absolute_url()}']"))
    assert page.locator("main h1").inner_text().endswith(online.title)
    assert_accessible(page)
    page.get_by_label("Ja", exact=True).check()
    page.get_by_role("button", name="Stimme abgeben").click()
    page.get_by_text("Ihre Stimme wurde gezählt.").wait_for()
    assert_accessible(page)
    assert Vote.objects.filter(poll=online).count() == 1
    assert Poll.objects.get(pk=online.pk).status == PollStatus.OPEN
    logout(page)


def publish_ag1_minutes() -> Decision:
    """The demo's AG1 minutes, approved by a public decision of the AG and published."""
    seed_meetings()
    seed_votes()
    meeting = Meeting.objects.get(title="AG1: Kooperationsmodell Vor-Ort-Laden")
    minutes = Minutes.objects.get(meeting=meeting)
    services.circulate_minutes(minutes=minutes)
    decision = record_decision(
        body=Body.objects.get(slug="ag1"),
        title="Nutzungsvereinbarung für den Vor-Ort-Laden empfohlen",
        text="Die AG empfiehlt der Steuerungsrunde eine Nutzungsvereinbarung für zwölf Monate.",
        decided_on=timezone.localdate(meeting.start) + datetime.timedelta(days=7),
        visibility=Visibility.PUBLIC,
    )
    services.approve_minutes(minutes=minutes, decision=decision)
    services.publish_minutes(minutes=minutes)
    return decision


@pytest.fixture
def public_minutes(demo):
    return publish_ag1_minutes()


def test_a_visitor_finds_a_public_decision_and_reads_public_minutes(public_minutes, demo, page):
    decision = public_minutes
    page.goto(f"{demo}/")
    assert_accessible(page)

    search = page.locator("header form[role=search]")
    search.locator("input[name=q]").fill("Nutzungsvereinbarung")
    _submit(page, search)
    assert page.url.startswith(f"{demo}/suche/?")
    assert_accessible(page)
    _follow(page, page.locator(f".search-results a[href='{decision.get_absolute_url()}']"))
    assert decision.number in page.locator("main h1").inner_text()
    assert "zwölf Monate" in page.locator("main").inner_text()
    assert_accessible(page)

    # The minutes the decision approved, found by what was said in the meeting.
    search = page.locator("header form[role=search]")
    search.locator("input[name=q]").fill("Nachbarschaftsfest")
    _submit(page, search)
    meeting = Minutes.objects.get(approval=decision).meeting
    _follow(page, page.locator(f".search-results a[href^='/sitzungen/{meeting.pk}/protokoll/']"))
    assert page.locator("main h1").inner_text().endswith(meeting.title)
    assert "Nachbarschaftsfest zur Eröffnung" in page.locator("main").inner_text()
    assert decision.number in page.locator("main").inner_text()
    assert_accessible(page)
    # Only the published record is shown: no workflow for the public.
    assert page.locator("form[action$='/protokoll/eintrag/']").count() == 0
    assert MinuteEntry.objects.filter(minutes__meeting=meeting).exists()
