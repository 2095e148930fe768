"""The space registry in a real browser: a member reports a vacancy, v-intern staff
verify it and take it into negotiation on a decision of the Steuerungsrunde, and the
marker appears on the map; list, page and map pass axe-core. After opening ``/`` (and
logging in) every step is a click: the navigation's "Räume" and the registry's sub-nav."""

import re

import pytest

from aks.accounts import roles
from bodies.demo import DEMO_USERS
from spaces.demo import seed_spaces
from spaces.models import Space, SpaceStatus

from .conftest import PHONE, assert_accessible, login, logout

pytestmark = pytest.mark.e2e

_EMAIL_BY_ROLE = {role: email for email, _name, role in DEMO_USERS}
V_INTERN = _EMAIL_BY_ROLE[roles.V_INTERN]
MEMBER = _EMAIL_BY_ROLE[roles.ASSOCIATION_MEMBER]

NAME = "Leerer Eckladen Samariterstraße"


@pytest.fixture
def spaces_demo(demo):
    seed_spaces()
    return demo


def _follow(page, locator):
    with page.expect_navigation():
        locator.click()


def _to_spaces(page, sub_nav: str | None = None):
    """ "Räume" in the main navigation, then, if given, a link of the registry's sub-nav."""
    _follow(page, page.locator("header nav").get_by_role("link", name="Räume", exact=True))
    if sub_nav:
        _follow(page, page.locator("nav.sub-nav").get_by_role("link", name=sub_nav, exact=True))


def _open_space(page, name):
    _follow(page, page.locator("main table a", has_text=name))
    assert page.locator("main h1").inner_text() == name


def marker(page, name):
    return page.locator(f'#space-map .leaflet-marker-icon[title="{name}"]')


def wait_for_markers(page):
    """The map script sets data-markers once the GeoJSON is on the map."""
    page.locator("#space-map[data-markers]").wait_for(state="attached")


def test_a_reported_vacancy_is_verified_negotiated_and_shown_on_the_map(spaces_demo, page):
    base = spaces_demo

    # An association member reports a vacancy.
    login(page, base, MEMBER)
    _to_spaces(page, "Leerstand melden")
    assert page.url == f"{base}/raeume/melden/"
    assert_accessible(page)
    form = page.locator("main form.stacked-form")
    form.locator("#id_name").fill(NAME)
    form.locator("#id_address").fill("Samariterstraße 201")
    form.locator("#id_postcode").fill("10247")
    form.locator("#id_district").select_option(label="Samariterkiez")
    form.locator("#id_kind").select_option("shopfront")
    form.locator("#id_size_m2").fill("95")
    form.locator("#id_latitude").fill("52.5163")
    form.locator("#id_longitude").fill("13.4641")
    form.locator("#id_description").fill("Seit dem Sommer leer, Schaufenster verklebt.")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    space = Space.objects.get(name=NAME)
    assert page.url == f"{base}/raeume/{space.pk}/"
    assert page.locator("main h1").inner_text() == NAME
    assert page.locator(".messages").count() == 1
    assert space.status == SpaceStatus.REPORTED
    assert page.locator("#status-heading").count() == 0, "members cannot change the status"

    # Before verification the public does not see the report, on the list or the map.
    logout(page)
    _to_spaces(page, "Karte")
    wait_for_markers(page)
    assert marker(page, NAME).count() == 0
    assert NAME not in page.locator("main").inner_text()

    # v-intern staff find the report, verify it and take it into negotiation.
    login(page, base, V_INTERN)
    _to_spaces(page)
    assert_accessible(page)
    _open_space(page, NAME)
    assert page.url == f"{base}/raeume/{space.pk}/"

    status_form = page.locator("form[action$='/status/']")
    status_form.locator("#id_to").select_option("verified")
    status_form.locator("#id_note").fill("Vor Ort geprüft, Hausverwaltung angeschrieben.")
    with page.expect_navigation():
        status_form.locator("button[type=submit]").click()
    space.refresh_from_db()
    assert space.status == SpaceStatus.VERIFIED

    status_form = page.locator("form[action$='/status/']")
    options = status_form.locator("#id_to option").evaluate_all(
        "options => options.map(o => o.value)"
    )
    assert options == ["in_negotiation", "lost"], "only the allowed next steps are offered"
    status_form.locator("#id_to").select_option("in_negotiation")
    decision_label = (
        status_form.locator("#id_decision option")
        .filter(has_text=re.compile(r"^SR-\d{4}-\d{3} "))
        .first.inner_text()
    )
    status_form.locator("#id_decision").select_option(label=decision_label)
    with page.expect_navigation():
        status_form.locator("button[type=submit]").click()
    space.refresh_from_db()
    assert space.status == SpaceStatus.IN_NEGOTIATION
    change = space.status_changes.order_by("changed_at", "pk").last()
    assert change.decision is not None and decision_label.startswith(change.decision.number)

    timeline = page.locator("ol.timeline > li")
    assert timeline.count() == 3
    assert change.decision.number in timeline.nth(2).inner_text()
    assert "Vor Ort geprüft" in timeline.nth(1).inner_text()
    assert_accessible(page)

    # The marker is on the map, and the list below the map names the space too.
    _to_spaces(page, "Karte")
    wait_for_markers(page)
    marker(page, NAME).wait_for(state="visible")
    assert NAME in page.locator("#space-map-list-heading + .table-scroll table").inner_text()
    assert_accessible(page)

    # Keyboard: the marker takes focus and Enter opens its popup with a link to the page.
    marker(page, NAME).focus()
    page.keyboard.press("Enter")
    popup_link = page.locator(".leaflet-popup a", has_text=NAME)
    popup_link.wait_for(state="visible")
    assert popup_link.get_attribute("href") == f"/raeume/{space.pk}/"


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("sub_nav", [None, "Karte", "Raumbedarfe"], ids=["list", "map", "needs"])
def test_space_pages_have_no_wcag21_aa_violations_for_the_public(
    spaces_demo, page, sub_nav, viewport
):
    if viewport:
        page.set_viewport_size(viewport)
    page.goto(f"{spaces_demo}/")
    _to_spaces(page, sub_nav)
    if sub_nav == "Karte":
        wait_for_markers(page)
        assert int(page.locator("#space-map").get_attribute("data-markers")) > 5
    assert_accessible(page)


def test_a_public_space_page_and_a_need_page_have_no_wcag21_aa_violations(spaces_demo, page):
    shop = Space.objects.get(name__icontains="Fahrradladen")
    page.goto(f"{spaces_demo}/")
    _to_spaces(page)
    _open_space(page, shop.name)
    assert_accessible(page)
    _follow(page, page.locator("main a[href^='/raeume/bedarfe/']").first)
    assert_accessible(page)


def test_the_contested_public_property_keeps_its_owner_from_the_public(spaces_demo, page):
    """The page only; the map's GeoJSON is checked in tests/spaces/test_access.py."""
    contested = Space.objects.get(name="Gewerbehof Ritterstraße")
    page.goto(f"{spaces_demo}/")
    _to_spaces(page)
    _open_space(page, contested.name)
    main = page.locator("main").inner_text()
    assert "Ritterstraße" in main
    assert "BIM Berliner Immobilienmanagement" not in main
    assert contested.owner_notes not in main

    login(page, spaces_demo, V_INTERN)
    _to_spaces(page)
    _open_space(page, contested.name)
    assert "BIM Berliner Immobilienmanagement" in page.locator("main").inner_text()
