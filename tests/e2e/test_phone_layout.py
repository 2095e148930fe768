"""Pages on a 390 px phone: the page itself never scrolls sideways (wide tables scroll in
their own keyboard-reachable box), the header leaves most of the screen to the content,
and a long title stays inside its card."""

import pytest

from meetings.models import MeetingKind
from spaces.demo import seed_spaces
from tests.factories import BodyFactory
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.e2e

PHONE_390 = {"width": 390, "height": 844}


def page_overflow(page):
    """How many pixels the document is wider than the viewport."""
    return page.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


@pytest.fixture
def phone(page):
    page.set_viewport_size(PHONE_390)
    return page


def test_the_spaces_table_scrolls_in_its_own_box_on_a_phone(demo, phone):
    seed_spaces()
    phone.goto(f"{demo}/raeume/")
    assert page_overflow(phone) == 0
    box = phone.locator("main .table-scroll").first
    assert box.get_attribute("role") == "region"
    assert box.get_attribute("tabindex") == "0"
    assert box.get_attribute("aria-label") == "Räume"
    assert box.evaluate("(el) => el.scrollWidth > el.clientWidth")
    box.focus()
    phone.keyboard.press("ArrowRight")
    phone.wait_for_function(
        "() => document.querySelector('main .table-scroll').scrollLeft > 0", timeout=2_000
    )
    assert page_overflow(phone) == 0


@pytest.mark.parametrize("path", ["/", "/gremien/", "/raeume/karte/", "/raeume/bedarfe/"])
def test_pages_do_not_scroll_sideways_on_a_phone(demo, phone, path):
    seed_spaces()
    phone.goto(f"{demo}{path}")
    assert page_overflow(phone) == 0


def test_the_phone_header_leaves_the_screen_to_the_content(demo, phone):
    phone.goto(f"{demo}/gremien/")
    height = phone.locator("header.site-header").evaluate("(el) => el.offsetHeight")
    assert height <= PHONE_390["height"] / 5
    # Still all there: the navigation, the search and the language switch.
    assert phone.locator("header nav a").count() >= 7
    assert phone.get_by_role("searchbox").is_visible()
    assert phone.get_by_label("Sprache").is_visible()


def test_a_long_title_stays_inside_its_card(demo, phone):
    title = "Stadtteilversammlung" + "Gemeinwohlorientierung" * 4
    MeetingFactory(body=BodyFactory(), kind=MeetingKind.PUBLIC_EVENT, title=title)
    phone.goto(f"{demo}/")
    card = phone.locator("li.card", has_text=title[:30])
    assert card.evaluate("(el) => el.scrollWidth <= el.clientWidth")
    link_right = card.locator("h3 a").evaluate("(el) => el.getBoundingClientRect().right")
    card_right = card.evaluate("(el) => el.getBoundingClientRect().right")
    assert link_right <= card_right
    assert page_overflow(phone) == 0
