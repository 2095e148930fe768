"""The councillor reviews the next Jour-Fixe agenda from the overview; staff see it."""

import pytest

from bodies.demo import DEMO_USERS
from meetings.demo import seed_meetings
from meetings.models import AgendaReview

from .conftest import PHONE, assert_accessible, login

pytestmark = pytest.mark.e2e

EMAIL = {role: email for email, _name, role in DEMO_USERS}


def _logout(page):
    with page.expect_navigation():
        page.locator("header form[action$='/konto/abmelden/'] button[type=submit]").click()


def test_the_councillor_reviews_the_agenda_and_staff_see_the_comment(demo, page):
    seed_meetings()
    login(page, demo, EMAIL["councillor"])
    page.goto(f"{demo}/uebersicht/")
    assert page.get_by_text("Stellenbesetzung im Stadtentwicklungsamt").count() == 1
    assert_accessible(page)
    page.get_by_label("Ich habe die Tagesordnung gesichtet").check()
    page.get_by_label("Kommentar").fill("Bitte den Fahrradladen zuerst besprechen.")
    with page.expect_navigation():
        page.get_by_role("button", name="Sichtung speichern").click()
    page.get_by_text("Ihre Sichtung der Tagesordnung wurde gespeichert.").wait_for()
    assert AgendaReview.objects.get().reviewed
    _logout(page)

    login(page, demo, EMAIL["v-extern"])
    page.set_viewport_size(PHONE)
    page.goto(f"{demo}/uebersicht/")
    page.get_by_text("Bitte den Fahrradladen zuerst besprechen.").wait_for()
    # The administration-internal item stays hidden from the civil-society side.
    assert page.get_by_text("Stellenbesetzung im Stadtentwicklungsamt").count() == 0
    assert page.get_by_role("button", name="Sichtung speichern").count() == 0
    assert_accessible(page)
