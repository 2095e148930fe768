"""Staff prepare an agenda in the browser: add an item, move it up, print the agenda."""

import datetime

import pytest
from django.utils import timezone

from bodies.access import Visibility
from bodies.demo import DEMO_USERS
from bodies.models import Body
from meetings import services
from meetings.models import Meeting, MeetingKind

from .conftest import assert_accessible, login

pytestmark = pytest.mark.e2e

V_INTERN = next(email for email, _name, role in DEMO_USERS if role == "v-intern")


def _titles(page):
    return [t.strip() for t in page.locator("#agenda .agenda-title").all_inner_texts()]


def test_staff_add_an_agenda_item_and_move_it_up(demo, page):
    body = Body.objects.order_by("pk").first()
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    meeting = Meeting.objects.create(
        body=body,
        kind=MeetingKind.JOUR_FIXE,
        title="Jour-Fixe im Browser",
        start=start,
        end=start + datetime.timedelta(hours=2),
        place="Rathaus Kreuzberg",
        visibility=Visibility.PUBLIC,
    )
    services.add_agenda_item(meeting=meeting, title="Begrüßung")
    services.add_agenda_item(meeting=meeting, title="Raumbedarfe")

    page.goto(f"{demo}/sitzungen/")
    assert_accessible(page)

    login(page, demo, V_INTERN)
    page.goto(f"{demo}/sitzungen/{meeting.pk}/")
    assert_accessible(page)
    form = page.locator(f"form[action$='/sitzungen/{meeting.pk}/tagesordnung/neu/']")
    form.get_by_label("Titel").fill("Leerstand Wrangelstraße")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert _titles(page) == ["Begrüßung", "Raumbedarfe", "Leerstand Wrangelstraße"]

    # htmx swaps the agenda in place; the button names say which item moves where.
    up = page.get_by_role("button", name="TOP 3 nach oben", exact=True)
    up.click()
    page.locator("#agenda .agenda-item-moved").wait_for()
    assert _titles(page) == ["Begrüßung", "Leerstand Wrangelstraße", "Raumbedarfe"]
    assert_accessible(page)

    page.goto(f"{demo}/sitzungen/{meeting.pk}/tagesordnung/")
    assert _titles(page) == ["Begrüßung", "Leerstand Wrangelstraße", "Raumbedarfe"]
    assert_accessible(page)
