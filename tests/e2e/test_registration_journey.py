"""A visitor without an account registers for a public event, confirms from the mail,
cancels, and the first on the waiting list gets the place; staff check people in at
the door on a phone. After opening ``/`` every step is a click, except following the
links of the mails, as a person does."""

import datetime

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone

from bodies.access import Visibility
from bodies.demo import DEMO_USERS
from bodies.models import Body
from meetings import services
from meetings.models import Meeting, MeetingKind, Registration, RegistrationStatus, Speaker

from .conftest import DESKTOP, PHONE, assert_accessible, login
from .helpers import follow_the_link_in_the_mail

pytestmark = pytest.mark.e2e

V_EXTERN = next(email for email, _name, role in DEMO_USERS if role == "v-extern")


@pytest.fixture
def event(demo, settings, eager_tasks):
    # The live server runs in this process: its mail lands in django.core.mail.outbox,
    # and these settings reach it. One second keeps the time check without slowing the test.
    settings.MEETINGS_REGISTRATION_MIN_SECONDS = 1
    cache.clear()
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=5)
    meeting = Meeting.objects.create(
        body=Body.objects.get(slug="traegerverein"),
        kind=MeetingKind.PUBLIC_EVENT,
        title="Leerstand als Chance",
        start=start,
        end=start + datetime.timedelta(hours=2),
        place="Nachbarschaftshaus Urbanstraße",
        visibility=Visibility.PUBLIC,
        capacity=1,
        registration_closes_at=start - datetime.timedelta(hours=2),
    )
    Speaker.objects.create(
        meeting=meeting, name="Frederik Bewer", affiliation="Stadt Angermünde", bio="Bürgermeister"
    )
    services.add_agenda_item(meeting=meeting, title="Begrüßung")
    yield meeting
    cache.clear()


def _follow(page, locator):
    with page.expect_navigation():
        locator.click()


def open_event(page, meeting):
    """From any page: "Start", the home page's link to all events, then the event."""
    nav = page.locator("header nav")
    _follow(page, nav.get_by_role("link", name="Start", exact=True))
    _follow(page, page.locator("main a[href='/sitzungen/veranstaltungen/']"))
    _follow(page, page.get_by_role("link", name=meeting.title))


def _register(page, meeting, *, name, email):
    open_event(page, meeting)
    form = page.locator("form.registration-form")
    form.locator("input[name=name]").fill(name)
    form.locator("input[name=email]").fill(email)
    form.locator("input[name=organisation]").fill("Kiezladen")
    form.locator("input[name=consent]").check()
    # People take a moment to fill the form; the server refuses faster submissions.
    page.wait_for_timeout(1200)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.url.endswith(f"/sitzungen/veranstaltungen/{meeting.pk}/anmelden/danke/")


def test_a_visitor_registers_confirms_cancels_and_the_waiting_list_moves_up(event, demo, page):
    page.goto(f"{demo}/")
    assert_accessible(page)
    _follow(page, page.locator("main a[href='/sitzungen/veranstaltungen/']"))
    assert_accessible(page)
    _follow(page, page.get_by_role("link", name="Leerstand als Chance"))
    assert "Frederik Bewer" in page.content()
    assert_accessible(page)

    _register(page, event, name="Kim Gast", email="kim@example.org")
    assert_accessible(page)
    follow_the_link_in_the_mail(page, demo, "kim@example.org", "bestaetigen")
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    kim = Registration.objects.get(email="kim@example.org")
    assert kim.status == RegistrationStatus.CONFIRMED
    assert any(m.to == ["kim@example.org"] and m.attachments for m in mail.outbox)

    # The event is full now: the next person lands on the waiting list.
    _register(page, event, name="Lea Warte", email="lea@example.org")
    follow_the_link_in_the_mail(page, demo, "lea@example.org", "bestaetigen")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert Registration.objects.get(email="lea@example.org").status == RegistrationStatus.WAITING

    # Kim cancels through the link in the confirmation mail, on a phone.
    page.set_viewport_size(PHONE)
    follow_the_link_in_the_mail(page, demo, "kim@example.org", "absagen")
    assert_accessible(page)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert Registration.objects.get(pk=kim.pk).status == RegistrationStatus.CANCELLED
    lea = Registration.objects.get(email="lea@example.org")
    assert lea.status == RegistrationStatus.CONFIRMED
    promoted = [m for m in mail.outbox if m.to == ["lea@example.org"] and m.attachments]
    assert len(promoted) == 1
    open_event(page, event)
    assert_accessible(page)
    page.set_viewport_size(DESKTOP)


def test_staff_check_people_in_at_the_door_on_a_phone(event, demo, page):
    Registration.objects.create(
        meeting=event,
        name="Kim Gast",
        email="kim@example.org",
        status=RegistrationStatus.CONFIRMED,
        token="kim-token-" + "x" * 30,
        consent_text="Einverstanden.",
    )
    login(page, demo, V_EXTERN)
    page.set_viewport_size(PHONE)
    open_event(page, event)
    _follow(page, page.locator("main").get_by_role("link", name="Einlass", exact=True))
    assert_accessible(page)
    page.locator("main form.check-in-search input[name=q]").fill("kim")
    with page.expect_navigation():
        page.locator("main form.check-in-search button[type=submit]").click()
    with page.expect_navigation():
        page.locator(".check-in-row button[type=submit]").click()
    assert Registration.objects.get(email="kim@example.org").checked_in_at is not None
    assert page.locator(".check-in-row.is-checked-in").count() == 1
    # Nothing on the page is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page)
    _follow(page, page.locator("main .meta").get_by_role("link", name=event.title))
    assert page.url == f"{demo}/sitzungen/veranstaltungen/{event.pk}/anmeldungen/"
    assert_accessible(page)
