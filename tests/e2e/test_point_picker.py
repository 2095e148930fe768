"""The vacancy report form in a real browser: a click on the map sets latitude and
longitude and a marker; typed coordinates move the marker; without JavaScript the
map stays away and the two inputs are the way in."""

from decimal import Decimal

import pytest

from aks.accounts import roles
from bodies.demo import DEMO_USERS
from spaces.demo import seed_spaces
from spaces.models import Space

from .conftest import assert_accessible, login

pytestmark = pytest.mark.e2e

MEMBER = next(email for email, _name, role in DEMO_USERS if role == roles.ASSOCIATION_MEMBER)


def _to_the_report_form(page):
    """ "Räume" in the main navigation, then "Leerstand melden" in the registry's sub-nav."""
    for nav, name in (("header nav", "Räume"), ("nav.sub-nav", "Leerstand melden")):
        with page.expect_navigation():
            page.locator(nav).get_by_role("link", name=name, exact=True).click()
    assert page.url.endswith("/raeume/melden/")


@pytest.fixture
def report_page(demo, page):
    seed_spaces()
    login(page, demo, MEMBER)
    _to_the_report_form(page)
    return page


def test_a_click_on_the_map_sets_the_point_of_the_report(report_page):
    page = report_page
    picker = page.locator("#point-picker")
    assert picker.is_visible()
    assert page.locator("#point-picker-help").is_visible()
    latitude = page.get_by_label("Breitengrad")
    longitude = page.get_by_label("Längengrad")
    assert latitude.input_value() == longitude.input_value() == ""

    picker.click(position={"x": 120, "y": 90})
    assert page.locator("#point-picker .leaflet-marker-icon").count() == 1
    lat, lon = Decimal(latitude.input_value()), Decimal(longitude.input_value())
    assert Decimal("52.4") < lat < Decimal("52.6")
    assert Decimal("13.3") < lon < Decimal("13.5")
    assert picker.get_attribute("data-point") == f"{lat},{lon}"
    assert_accessible(page)

    page.locator("input[name=name]").fill("Leerer Kiosk am Park")
    page.locator("input[name=address]").fill("Parkweg 1")
    page.locator("input[name=postcode]").fill("10245")
    page.locator("select[name=district]").select_option(index=1)
    page.locator("select[name=kind]").select_option(index=1)
    with page.expect_navigation():
        page.get_by_role("button", name="Meldung absenden").click()
    space = Space.objects.get(name="Leerer Kiosk am Park")
    assert (space.latitude, space.longitude) == (lat, lon)


def test_typed_coordinates_move_the_marker(report_page):
    page = report_page
    page.get_by_label("Breitengrad").fill("52.5102")
    page.get_by_label("Längengrad").fill("13.4563")
    page.get_by_label("Längengrad").press("Tab")
    picker = page.locator("#point-picker")
    assert picker.get_attribute("data-point") == "52.510200,13.456300"
    assert page.locator("#point-picker .leaflet-marker-icon").count() == 1


def test_without_javascript_the_report_form_takes_typed_coordinates(demo, browser):
    seed_spaces()
    context = browser.new_context(java_script_enabled=False, locale="de-DE")
    try:
        page = context.new_page()
        login(page, demo, MEMBER)
        _to_the_report_form(page)
        assert not page.locator("#point-picker").is_visible()
        assert not page.locator("#point-picker-help").is_visible()
        assert page.get_by_label("Breitengrad").is_editable()
        assert page.get_by_label("Längengrad").is_editable()
    finally:
        context.close()
