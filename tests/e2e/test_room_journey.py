"""The chair of a large assembly records a commitment on a phone as it is made; the
staff check it at the desk; it appears on the public tracker. After opening ``/`` and
logging in, every step is a click: the chair reaches the room page from the meeting page."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from bodies.access import Visibility
from bodies.demo import DEMO_PASSWORD, DEMO_USERS
from bodies.models import Body, Membership, MembershipRole, Organisation, Person, Side
from meetings.models import Commitment, Meeting, MeetingKind

from .conftest import PHONE, assert_accessible, login

pytestmark = pytest.mark.e2e

V_EXTERN = next(email for email, _name, role in DEMO_USERS if role == "v-extern")
CHAIR = "versammlungsleitung@demo.gemeinwohl.example"
PROMISE = "Prüft bis Ende März alle bezirkseigenen Flächen für Zwischennutzungen."


@pytest.fixture
def assembly(demo):
    body = Body.objects.get(slug="traegerverein")
    user = get_user_model()(email=CHAIR, display_name="Aylin Versammlungsleitung")
    user.set_password(DEMO_PASSWORD)
    user.save()
    Membership.objects.create(
        person=Person.objects.create(name="Aylin Versammlungsleitung", user=user),
        body=body,
        role=MembershipRole.CHAIR,
        side=Side.CIVIL_SOCIETY,
        start=timezone.localdate() - datetime.timedelta(days=365),
    )
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=30)
    return Meeting.objects.create(
        body=body,
        kind=MeetingKind.PUBLIC_ASSEMBLY,
        title="Große Versammlung der Bürgerplattform",
        start=start,
        end=start + datetime.timedelta(hours=3),
        place="Aula der Gemeinschaftsschule am Park",
        visibility=Visibility.PUBLIC,
    )


def _follow(page, locator):
    with page.expect_navigation():
        locator.click()


def _nav(page, name):
    _follow(page, page.locator("header nav").get_by_role("link", name=name, exact=True))


def _open_room(page, meeting):
    """ "Sitzungen", the meeting, then "Im Saal" on the meeting page."""
    _nav(page, "Sitzungen")
    _follow(page, page.locator("main").get_by_role("link", name=meeting.title).first)
    _follow(page, page.locator("main").get_by_role("link", name="Im Saal", exact=True))
    assert page.url.endswith(f"/sitzungen/{meeting.pk}/saal/")


def test_the_chair_records_a_commitment_on_a_phone_and_staff_make_it_public(
    assembly, demo, page, browser
):
    district = Organisation.objects.get(short_name="BA FK")

    # In the room, on a phone.
    page.set_viewport_size(PHONE)
    login(page, demo, CHAIR)
    _open_room(page, assembly)
    assert_accessible(page)
    form = page.locator("form.room-form")
    form.get_by_label("Organisation").select_option(str(district.pk))
    form.get_by_label("Oder der Name, falls nicht in der Liste").fill("Bezirksstadträtin")
    form.locator("textarea[name=what]").fill(PROMISE)
    due = timezone.localdate() + datetime.timedelta(days=90)
    form.locator("input[name=due]").fill(due.isoformat())
    # Nothing on the page is wider than the phone.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the room page is {width}px wide on a phone"
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.locator("#room-list-heading ~ ul li", has_text=PROMISE).count() == 1
    assert_accessible(page)
    commitment = Commitment.objects.get(meeting=assembly)
    assert commitment.checked_at is None

    # Not public yet.
    visitor = browser.new_context(viewport=PHONE, locale="de-DE").new_page()
    visitor.goto(f"{demo}/")
    _nav(visitor, "Zusagen")
    assert visitor.url == f"{demo}/sitzungen/zusagen/oeffentlich/"
    assert PROMISE not in visitor.content()

    # The staff check it at the desk.
    staff = browser.new_context(locale="de-DE").new_page()
    login(staff, demo, V_EXTERN)
    _open_room(staff, assembly)
    _follow(
        staff, staff.locator("main").get_by_role("link", name="Zusagen, die auf die Prüfung warten")
    )
    assert_accessible(staff)
    item = staff.locator(f"#commitment-{commitment.pk}")
    item.locator("textarea").fill(PROMISE + " Zugesagt von Bezirksstadträtin Clara Müller.")
    with staff.expect_navigation():
        item.locator("form.stacked-form button[type=submit]").click()
    commitment.refresh_from_db()
    assert commitment.checked_at is not None

    # Now on the public tracker, also on a phone.
    visitor.reload()
    assert "Zugesagt von Bezirksstadträtin Clara Müller." in visitor.content()
    assert_accessible(visitor)
    staff.context.close()
    visitor.context.close()
