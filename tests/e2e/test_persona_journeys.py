"""One journey per persona, end to end through the real pages, by clicks only.

After opening ``/`` and logging in through the "Anmelden" link, a journey only clicks
links and buttons and types into forms: every step a user takes must be offered by the
page before it. (The one exception is the confirmation link of a registration mail.)
v-intern staff run the whole Jour-Fixe cycle from the overview to published minutes and
move a space on; v-extern staff run an open assembly (count a show of hands, record a
commitment) and report a vacancy; the councillor reviews the agenda and downloads it as
PDF; an association member registers for a public event and votes in the assembly's
poll; a visitor finds a public decision through the search and reads public minutes.
Each journey runs on a desktop and at 390 px width; each new page type on the way is
checked with axe-core; the page fixture fails on any console error.
"""

import datetime

import pypdf
import pytest
from django.core.cache import cache
from django.utils import timezone

from aks.accounts import roles
from bodies import services as poll_services
from bodies.access import Visibility
from bodies.demo import DEMO_USERS
from bodies.models import Body, Decision, Poll, PollStatus, Vote
from bodies.services import record_decision
from meetings import services
from meetings.demo import seed_meetings
from meetings.demo_events import seed_events
from meetings.models import (
    ActionItem,
    AgendaItem,
    AgendaReview,
    Commitment,
    GuidingQuestionStatus,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MeetingStatus,
    MinuteEntry,
    Minutes,
    MinutesStatus,
    Registration,
    RegistrationStatus,
)
from spaces.demo import seed_spaces
from spaces.models import Space, SpaceStatus
from tests.factories import MembershipFactory, PersonFactory

from .conftest import DESKTOP, PHONE_390, assert_accessible, login, logout
from .helpers import follow_the_link_in_the_mail, publish_ag1_minutes

pytestmark = pytest.mark.e2e

EMAIL = {role: email for email, _name, role in DEMO_USERS}
ASSEMBLY = "Offene Versammlung des Trägervereins"


def _submit(page, form):
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def _follow(page, locator):
    with page.expect_navigation():
        locator.click()


def _fill_registration(page, meeting, *, name, email):
    """Register on the event page the journey has reached (no account needed)."""
    form = page.locator("form.registration-form")
    form.locator("input[name=name]").fill(name)
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=organisation]").fill("Kiezladen")
    form.locator("input[name=consent]").check()
    # People take a moment to fill the form; the server refuses faster submissions.
    page.wait_for_timeout(1200)
    _submit(page, form)
    assert page.url.endswith(f"/sitzungen/veranstaltungen/{meeting.pk}/anmelden/danke/")


def _nav(page, name: str):
    """Follow a link of the main navigation in the header."""
    _follow(page, page.locator("header nav").get_by_role("link", name=name, exact=True))


@pytest.fixture(params=[DESKTOP, PHONE_390], ids=["desktop", "phone-390"], autouse=True)
def viewport(request, page):
    """Every persona journey runs on a desktop and on a 390 px wide phone."""
    page.set_viewport_size(request.param)
    return request.param


def _button(page, name: str):
    return page.get_by_role("button", name=name, exact=True)


def _main_link(page, name: str):
    return page.locator("main").get_by_role("link", name=name, exact=True)


def _agenda_titles(page):
    return [t.strip() for t in page.locator("#agenda .agenda-title").all_inner_texts()]


def test_v_intern_staff_run_the_jour_fixe_cycle_by_clicks_and_move_a_space_on(demo, page):
    """From the overview to published minutes, every step a link or a button: plan the
    series, build the agenda, prepare, reorder and remove guiding questions, invite, hold,
    start and write the minutes (answering a question), record an action item and a
    commitment, carry a question over, circulate, approve, publish."""
    seed_spaces()
    team = Body.objects.get(slug="aks-team")
    today = timezone.localdate()
    first = today + datetime.timedelta(days=7)
    week = (first.day - 1) // 7 + 1
    week = -1 if week == 5 else week
    earlier = record_decision(
        body=team,
        title="Raumvergabe nach Gemeinwohlkriterien",
        decided_on=today - datetime.timedelta(days=30),
        visibility=Visibility.TEAM,
    )
    poll = poll_services.create_poll(
        body=team,
        title="Zwischennutzung Wühlischstraße",
        motion="Das AKS-Team beantragt die Zwischennutzung des Ladenlokals.",
        visibility=Visibility.TEAM,
    )
    space = Space.objects.get(name="Ladenlokal Wühlischstraße")
    assert space.status == SpaceStatus.REPORTED

    login(page, demo, EMAIL[roles.V_INTERN])
    _nav(page, "Meine Übersicht")
    assert_accessible(page)

    # --- Plan the series ------------------------------------------------------------
    _nav(page, "Sitzungen")
    assert_accessible(page)
    _follow(page, _main_link(page, "Neue Sitzungsreihe"))
    assert_accessible(page)
    form = page.locator("form[action$='/sitzungen/reihen/neu/']")
    form.locator("[name=body]").select_option(str(team.pk))
    form.locator("[name=title]").fill("Jour-Fixe mit der Bezirksstadträtin")
    form.locator("[name=kind]").select_option("jour_fixe")
    form.locator("[name=recurrence]").select_option("monthly")
    form.locator("[name=weekday]").select_option(str(first.weekday()))
    form.locator("[name=week_of_month]").select_option(str(week))
    form.locator("[name=start_time]").fill("10:00")
    form.locator("[name=duration_minutes]").fill("90")
    form.locator("[name=starts_on]").fill(today.isoformat())
    form.locator("[name=until]").fill((today + datetime.timedelta(days=75)).isoformat())
    form.locator("[name=visibility]").select_option(Visibility.TEAM)
    _submit(page, form)
    series = MeetingSeries.objects.get(title="Jour-Fixe mit der Bezirksstadträtin")
    jour_fixe, following = list(series.meetings.order_by("start"))[:2]
    assert_accessible(page)
    _follow(page, page.locator(f"main a[href='{jour_fixe.get_absolute_url()}']").first)
    assert page.locator("main h1").inner_text() == jour_fixe.title
    assert_accessible(page)

    # --- Build the agenda: an item, a sub-item, a presenter, links to a poll, a decision
    # and a space --------------------------------------------------------------------
    add = page.locator(f"form[action$='/sitzungen/{jour_fixe.pk}/tagesordnung/neu/']")
    add.locator("[name=title]").fill("Leerstand Wühlischstraße")
    _submit(page, add)
    item = AgendaItem.objects.get(meeting=jour_fixe, title="Leerstand Wühlischstraße")
    add = page.locator(f"form[action$='/sitzungen/{jour_fixe.pk}/tagesordnung/neu/']")
    add.locator("[name=title]").fill("Schlüsselübergabe")
    add.locator("[name=parent]").select_option(str(item.pk))
    _submit(page, add)
    assert AgendaItem.objects.get(title="Schlüsselübergabe").parent_id == item.pk
    _follow(page, page.locator(f"#agenda a[href$='/tagesordnung/{item.pk}/bearbeiten/']"))
    assert_accessible(page)
    edit = page.locator("form.stacked-form")
    edit.locator("[name=description]").fill("Meldung aus dem Kiez, Eigentümer unbekannt.")
    edit.locator("[name=duration_minutes]").fill("15")
    edit.locator("[name=presenter]").select_option(label="Jana Okafor")
    edit.locator(f"[name=polls][value='{poll.pk}']").check()
    edit.locator(f"[name=decisions][value='{earlier.pk}']").check()
    edit.locator(f"[name=spaces][value='{space.pk}']").check()
    _submit(page, edit)
    page.locator(f"#agenda a[href='{space.get_absolute_url()}']").wait_for()
    assert page.locator(f"#agenda a[href='{earlier.get_absolute_url()}']").count() == 1
    assert page.locator(f"#agenda a[href='{poll.get_absolute_url()}']").count() == 1
    item.refresh_from_db()
    assert item.presenter.name == "Jana Okafor"
    assert list(item.polls.all()) == [poll]

    # --- Guiding questions: prepare three, reorder, edit, remove one --------------------
    for text, on_item in (
        ("Wer hat den Schlüssel?", True),
        ("Welche Miete ist tragbar?", False),
        ("Doppelt gestellt?", False),
    ):
        _follow(page, _main_link(page, "Leitfrage hinzufügen"))
        assert_accessible(page)
        form = page.locator("main form.stacked-form")
        form.locator("[name=text]").fill(text)
        if on_item:
            form.locator("[name=agenda_item]").select_option(str(item.pk))
        _submit(page, form)
    _submit(page, page.locator("form", has=_button(page, "Frage 2 nach oben")))
    _follow(page, _main_link(page, "Frage 3 entfernen"))
    assert_accessible(page)
    _submit(page, page.locator("main form"))
    _follow(page, _main_link(page, "Frage 1 bearbeiten"))
    assert_accessible(page)
    form = page.locator("main form.stacked-form")
    form.locator("[name=text]").fill("Welche Miete ist für Initiativen tragbar?")
    _submit(page, form)
    questions = list(jour_fixe.guiding_questions.order_by("position"))
    assert [q.text for q in questions] == [
        "Welche Miete ist für Initiativen tragbar?",
        "Wer hat den Schlüssel?",
    ]
    assert questions[1].agenda_item_id == item.pk

    # --- Invite, then hold the meeting ---------------------------------------------------
    for status in (MeetingStatus.INVITED, MeetingStatus.HELD):
        if status == MeetingStatus.HELD:
            # The day of the meeting comes: it began two hours ago (a meeting ahead cannot
            # be marked held).
            began = timezone.now() - datetime.timedelta(hours=2)
            Meeting.objects.filter(pk=jour_fixe.pk).update(
                start=began, end=began + datetime.timedelta(minutes=90)
            )
        _follow(page, _main_link(page, "Sitzung bearbeiten oder Status ändern"))
        assert_accessible(page)
        form = page.locator(f"form[action$='/sitzungen/{jour_fixe.pk}/status/']")
        form.locator("[name=status]").select_option(status)
        _submit(page, form)
        jour_fixe.refresh_from_db()
        assert jour_fixe.status == status

    # --- Start the minutes from the meeting page and answer a question -----------------
    _submit(page, page.locator("main form", has=_button(page, "Protokoll anlegen")))
    assert page.locator("main h1").inner_text().startswith("Protokoll")
    assert_accessible(page)
    entry = page.locator(f"form[action$='/sitzungen/{jour_fixe.pk}/protokoll/eintrag/']")
    entry.locator("[name=section]").select_option("guiding_question")
    entry.locator("[name=guiding_question]").select_option(str(questions[1].pk))
    entry.locator("[name=text]").fill("Die Hausverwaltung übergibt ihn dem AKS-Team.")
    _submit(page, entry)
    entry = page.locator(f"form[action$='/sitzungen/{jour_fixe.pk}/protokoll/eintrag/']")
    entry.locator("[name=section]").select_option("result")
    entry.locator("[name=text]").fill("Das Ladenlokal Wühlischstraße wird vor Ort geprüft.")
    _submit(page, entry)
    page.get_by_text("Das Ladenlokal Wühlischstraße wird vor Ort geprüft.").wait_for()
    questions[1].refresh_from_db()
    assert questions[1].status == GuidingQuestionStatus.ANSWERED

    # --- An action item and a commitment, from the minutes page --------------------------
    _follow(page, _main_link(page, "Aufgabe erfassen"))
    assert_accessible(page)
    form = page.locator("main form.stacked-form")
    form.locator("[name=title]").fill("Eigentümer des Ladenlokals ermitteln")
    form.locator("[name=due]").fill((today + datetime.timedelta(days=14)).isoformat())
    _submit(page, form)
    assert ActionItem.objects.filter(meeting=jour_fixe).count() == 1
    _follow(page, page.locator(f"main a[href='{jour_fixe.get_absolute_url()}']").first)
    _follow(page, _main_link(page, "Zusage erfassen"))
    assert_accessible(page)
    form = page.locator("main form.stacked-form")
    form.locator("[name=organisation]").select_option(index=1)
    form.locator("[name=what]").fill("Das Amt prüft die Zwischennutzung bis Monatsende.")
    _submit(page, form)
    assert Commitment.objects.filter(meeting=jour_fixe).count() == 1
    _follow(page, page.locator(f"main a[href='{jour_fixe.get_absolute_url()}']").first)

    # --- The open question goes on to the next Jour-Fixe of the series -----------------
    _submit(
        page,
        page.locator("form", has=_button(page, "Frage 1 auf die nächste Sitzung vertagen")),
    )
    assert following.guiding_questions.get().carried_from_id == questions[0].pk

    # --- Circulate, approve by the next meeting's decision, publish -------------------
    _follow(page, page.locator("main .actions-list a[href$='/protokoll/']"))
    _submit(page, page.locator(f"form[action$='/sitzungen/{jour_fixe.pk}/protokoll/umlauf/']"))
    minutes = Minutes.objects.get(meeting=jour_fixe)
    assert minutes.status == MinutesStatus.CIRCULATED
    approval = record_decision(
        body=team,
        title="Protokoll des letzten Jour-Fixe genehmigt",
        decided_on=timezone.localdate(following.start),
        visibility=Visibility.TEAM,
    )
    page.reload()
    approve = page.locator(f"form[action$='/sitzungen/{jour_fixe.pk}/protokoll/genehmigen/']")
    approve.locator("[name=decision]").select_option(str(approval.pk))
    _submit(page, approve)
    publish = f"form[action$='/sitzungen/{jour_fixe.pk}/protokoll/veroeffentlichen/']"
    _submit(page, page.locator(publish))
    minutes.refresh_from_db()
    assert (minutes.status, minutes.approval_id) == (MinutesStatus.PUBLISHED, approval.pk)
    assert_accessible(page)

    # --- The follow-up lists and the activity are in the navigation ----------------------
    _nav(page, "Aufgaben")
    assert "Eigentümer des Ladenlokals ermitteln" in page.locator("main").inner_text()
    assert_accessible(page)
    _nav(page, "Zusagen nachhalten")
    assert "Zwischennutzung bis Monatsende" in page.locator("main").inner_text()
    assert_accessible(page)
    _nav(page, "Letzte Änderungen")
    assert_accessible(page)

    # --- A single meeting beside the series: plan it, order its agenda, print it -----------
    _nav(page, "Sitzungen")
    _follow(page, _main_link(page, "Neue Sitzung"))
    assert_accessible(page)
    form = page.locator("main form.stacked-form")
    start = (timezone.localtime() + datetime.timedelta(days=10)).replace(hour=17, minute=0)
    form.locator("[name=body]").select_option(str(team.pk))
    form.locator("[name=title]").fill("Sondersitzung Leerstand")
    form.locator("[name=kind]").select_option("team")
    form.locator("[name=start]").fill(start.strftime("%Y-%m-%dT%H:%M"))
    form.locator("[name=end]").fill(
        (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    )
    form.locator("[name=place]").fill("Rathaus Kreuzberg")
    form.locator("[name=visibility]").select_option(Visibility.TEAM)
    _submit(page, form)
    single = Meeting.objects.get(title="Sondersitzung Leerstand")
    assert single.series_id is None
    assert page.locator("main h1").inner_text() == single.title
    for title in ("Begrüßung", "Raumbedarfe", "Leerstand Wrangelstraße"):
        add = page.locator(f"form[action$='/sitzungen/{single.pk}/tagesordnung/neu/']")
        add.locator("[name=title]").fill(title)
        _submit(page, add)
    # htmx swaps the agenda in place; the button names say which item moves where.
    page.get_by_role("button", name="TOP 3 nach oben", exact=True).click()
    page.locator("#agenda .agenda-item-moved").wait_for()
    order = ["Begrüßung", "Leerstand Wrangelstraße", "Raumbedarfe"]
    assert _agenda_titles(page) == order
    assert_accessible(page)
    _follow(page, _main_link(page, "Tagesordnung zum Drucken"))
    assert _agenda_titles(page) == order
    assert_accessible(page)

    # --- Change the space's status: verified after the visit ----------------------------
    _nav(page, "Räume")
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
    # The journeys need the assembly within the hour, whatever day the demo was seeded.
    start = timezone.now() + datetime.timedelta(hours=1)
    Meeting.objects.filter(pk=meeting.pk).update(
        start=start, end=start + datetime.timedelta(hours=2)
    )
    meeting.refresh_from_db()
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
    _nav(page, "Meine Übersicht")
    assert_accessible(page)
    _nav(page, "Start")
    _follow(page, page.locator("main a[href='/sitzungen/veranstaltungen/']"))
    assert_accessible(page)
    _follow(page, page.get_by_role("link", name=ASSEMBLY))
    assert_accessible(page)
    _follow(page, page.get_by_role("link", name="Im Saal", exact=True))
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
    _nav(page, "Zusagen")
    assert promise in page.locator("main").inner_text()
    assert_accessible(page)

    # Report a vacancy seen on the way home.
    _nav(page, "Räume")
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
    team = Body.objects.get(slug="aks-team")
    start = timezone.now() + datetime.timedelta(days=5)
    upcoming = Meeting.objects.create(
        body=team,
        kind=MeetingKind.JOUR_FIXE,
        title="Jour-Fixe mit der Bezirksstadträtin",
        start=start,
        end=start + datetime.timedelta(hours=2),
        visibility=Visibility.TEAM,
    )
    services.add_agenda_item(
        meeting=upcoming,
        title="Stellenbesetzung im Stadtentwicklungsamt",
        visibility=Visibility.ADMIN_INTERNAL,
    )
    shop = services.add_agenda_item(
        meeting=upcoming, title="Vor-Ort-Laden im ehemaligen Fahrradladen"
    )
    services.add_agenda_item(meeting=upcoming, title="Öffnungszeiten und Schlüssel", parent=shop)
    login(page, demo, EMAIL[roles.COUNCILLOR])
    _nav(page, "Meine Übersicht")
    assert page.get_by_text("Stellenbesetzung im Stadtentwicklungsamt").count() == 1
    assert_accessible(page)
    page.locator("#review-reviewed").check()
    page.locator("#review-comment").fill("Die Stellenbesetzung bitte als ersten Punkt.")
    _submit(page, page.locator("form[action*='/uebersicht/tagesordnung/']"))
    page.locator("main p", has_text="Die Stellenbesetzung bitte als ersten Punkt.").wait_for()
    review = AgendaReview.objects.get(meeting=upcoming)
    assert review.reviewed and review.comment.startswith("Die Stellenbesetzung")

    # The follow-up lists are in the navigation for the councillor too.
    _nav(page, "Aufgaben")
    assert_accessible(page)
    _nav(page, "Zusagen nachhalten")
    assert_accessible(page)
    _nav(page, "Meine Übersicht")

    _follow(page, page.locator(f"main a[href='{upcoming.get_absolute_url()}']").first)
    assert_accessible(page)
    with page.expect_download() as info:
        page.locator(f"main a[href='/sitzungen/{upcoming.pk}/tagesordnung.pdf']").click()
    download = info.value
    assert download.suggested_filename.startswith("tagesordnung-")
    assert download.suggested_filename.endswith(".pdf")
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(download.path()).pages)
    assert "Tagesordnung" in text
    assert "Vor-Ort-Laden im ehemaligen Fahrradladen" in text
    assert "Öffnungszeiten und Schlüssel" in text
    assert "Stellenbesetzung im Stadtentwicklungsamt" in text  # the councillor sees it
    assert "Seite 1 von" in text
    logout(page)

    # The civil-society staff read the comment, without the administration-internal item.
    login(page, demo, EMAIL[roles.V_EXTERN])
    _nav(page, "Meine Übersicht")
    page.get_by_text("Die Stellenbesetzung bitte als ersten Punkt.").wait_for()
    assert page.get_by_text("Stellenbesetzung im Stadtentwicklungsamt").count() == 0
    assert page.get_by_role("button", name="Sichtung speichern").count() == 0
    assert_accessible(page)


def test_an_association_member_registers_for_an_event_and_votes(
    assembly, demo, page, settings, eager_tasks
):
    settings.MEETINGS_REGISTRATION_MIN_SECONDS = 1
    cache.clear()
    event = Meeting.objects.get(title__startswith="Verwaltung trifft Initiative")
    online = assembly.online
    address = "selin.aydin@example.org"

    # Registration needs no account: the address is confirmed from the mail.
    page.goto(f"{demo}/")
    _follow(page, page.locator("main a[href='/sitzungen/veranstaltungen/']"))
    _follow(page, page.get_by_role("link", name=event.title))
    _fill_registration(page, event, name="Selin Aydın", email=address)
    assert_accessible(page)
    assert Registration.objects.get(email=address).status == RegistrationStatus.PENDING
    # The one address not reached by a click here: the confirmation link in the mail.
    follow_the_link_in_the_mail(page, demo, address, "bestaetigen")
    _submit(page, page.locator("main form"))
    assert Registration.objects.get(email=address).status == RegistrationStatus.CONFIRMED
    assert page.locator("main").get_by_text(event.title).count() >= 1

    # Logged in, the member votes in the assembly's online poll.
    login(page, demo, EMAIL[roles.ASSOCIATION_MEMBER])
    _nav(page, "Sitzungen")
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
