"""A Kernkreis vote in the browser: one vote per member group, whichever delegate casts it.

After logging in every step is a click: staff reach the poll through the body's page,
the delegates through their overview, where the polls they may vote in are listed."""

import re

import pytest

from aks.accounts.models import User
from bodies.demo import DEMO_PASSWORD, DEMO_USERS
from bodies.models import Decision, Person, Poll

from .conftest import assert_accessible, login, logout

pytestmark = pytest.mark.e2e

V_EXTERN = next(email for email, _name, role in DEMO_USERS if role == "v-extern")


def _account_for(person_name: str, email: str) -> str:
    user = User.objects.create_user(email=email, password=DEMO_PASSWORD, display_name=person_name)
    Person.objects.filter(name=person_name).update(user=user)
    return email


def _follow(page, locator):
    with page.expect_navigation():
        locator.click()


def _nav(page, name):
    _follow(page, page.locator("header nav").get_by_role("link", name=name, exact=True))


def _main_link(page, name):
    return page.locator("main").get_by_role("link", name=name, exact=True)


def _kernkreis_polls(page):
    """ "Gremien", the Kernkreis, then its polls."""
    _nav(page, "Gremien")
    rows = page.locator("main table.data-table tbody th[scope=row]")
    _follow(page, rows.get_by_role("link", name="Kernkreis der Bürgerplattform Südost"))
    _follow(page, _main_link(page, "Abstimmungen und Wahlen"))


def test_delegates_vote_for_their_group_and_the_organiser_records_the_decision(demo, page):
    first = _account_for("Amira Haddad", "amira@demo.gemeinwohl.example")
    second = _account_for("Jonas Peschke", "jonas@demo.gemeinwohl.example")
    # The Kernkreis belongs to the citizens' platform: its organiser runs its polls.
    organiser = _account_for("Carla Mendel", "carla@demo.gemeinwohl.example")

    # The organiser prepares and opens the poll.
    login(page, demo, organiser)
    _kernkreis_polls(page)
    _follow(page, _main_link(page, "Neue Abstimmung"))
    assert_accessible(page)
    page.get_by_label("Titel").fill("Kampagne gegen Leerstand starten")
    page.get_by_label("Antrag").fill("Der Kernkreis startet die Kampagne im Frühjahr.")
    page.get_by_label("Sichtbarkeit").select_option("public")
    with page.expect_navigation():
        page.get_by_role("button", name="Entwurf speichern").click()
    with page.expect_navigation():
        page.get_by_role("button", name="Abstimmung öffnen").click()
    assert "Die Abstimmung ist geöffnet." in page.content()
    title = "Kampagne gegen Leerstand starten"
    logout(page)

    # The AKS staff do not run the Kernkreis: no chair controls for them.
    login(page, demo, V_EXTERN)
    _kernkreis_polls(page)
    _follow(page, _main_link(page, title))
    assert page.get_by_role("heading", name="Vorsitz").count() == 0
    assert page.get_by_role("button", name="Abstimmung schließen und auszählen").count() == 0
    logout(page)

    # The first delegate votes for the Mieterinitiative (htmx swaps the ballot in place).
    login(page, demo, first)
    _nav(page, "Meine Übersicht")
    _follow(page, _main_link(page, title))
    assert_accessible(page)
    page.get_by_label("Ja", exact=True).check()
    turnout = page.locator("#poll-turnout")
    assert turnout.inner_text().startswith("0 von ")
    page.get_by_role("button", name="Stimme abgeben").click()
    page.get_by_text("Ihre Stimme wurde gezählt.").wait_for()
    # The turnout above the ballot follows without a reload.
    page.locator("#poll-turnout", has_text=re.compile(r"^1 von \d+ haben abgestimmt$")).wait_for()
    assert_accessible(page)
    logout(page)

    # The second delegate of the same group is told the group has voted.
    login(page, demo, second)
    _nav(page, "Meine Übersicht")
    _follow(page, _main_link(page, title))
    page.get_by_text("Ihre Gruppe hat abgestimmt: Mieterinitiative Hasenheide-Süd.").wait_for()
    assert page.get_by_role("button", name="Stimme abgeben").count() == 0
    logout(page)

    # The organiser closes the poll; the decision appears in the register.
    login(page, demo, organiser)
    _kernkreis_polls(page)
    _follow(page, _main_link(page, title))
    with page.expect_navigation():
        page.get_by_role("button", name="Abstimmung schließen und auszählen").click()
    page.get_by_text("angenommen: 1 Ja, 0 Nein, 0 Enthaltungen").wait_for()
    assert_accessible(page)
    decision = Decision.objects.get(poll=Poll.objects.get(title=title))
    _nav(page, "Beschlüsse")
    row = page.get_by_role("row", name=decision.number)
    assert "Kampagne gegen Leerstand starten" in row.inner_text()
    assert_accessible(page)
