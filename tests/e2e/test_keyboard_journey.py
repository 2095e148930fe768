"""The visitor's journey with the keyboard alone: no mouse, no typed address after the
first page. Skip link, site search, the decision, then its minutes; every element that
takes focus on the way shows it."""

import pytest

from meetings.models import Minutes

from .conftest import assert_accessible
from .helpers import publish_ag1_minutes

pytestmark = pytest.mark.e2e

# The focused element, and whether a focus indicator is drawn for it: an outline that is
# not none and not zero wide, or a box shadow.
FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    cls: el.className,
    href: el.getAttribute('href'),
    text: (el.textContent || '').trim().slice(0, 80),
    visible: outline || style.boxShadow !== 'none',
  };
}"""


def _focused(page):
    return page.evaluate(FOCUSED)


def _press_until(page, matches, *, key="Tab", limit=60):
    """Press ``key`` until the focused element matches; each stop must show its focus."""
    for _ in range(limit):
        page.keyboard.press(key)
        focused = _focused(page)
        if focused["tag"] != "body":
            assert focused["visible"], f"no visible focus on {focused}"
        if matches(focused):
            return focused
    raise AssertionError(f"{limit}× {key} never reached the element; last focused: {focused}")


def _skip_to_main(page):
    """The first Tab reaches the visible skip link, Enter moves focus into main."""
    focused = _press_until(page, lambda f: True, limit=1)
    assert focused["cls"] == "skip-link", focused
    assert page.locator("a.skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.matches('main#main')")


@pytest.fixture
def decision(demo):
    return publish_ag1_minutes()


def test_a_visitor_finds_a_decision_and_its_minutes_with_the_keyboard_alone(decision, demo, page):
    meeting = Minutes.objects.get(approval=decision).meeting
    page.goto(f"{demo}/")

    # The skip link works; from main, Shift+Tab goes back up to the site search.
    _skip_to_main(page)
    _press_until(page, lambda f: f["id"] == "site-search", key="Shift+Tab")
    page.keyboard.type("Nutzungsvereinbarung")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/suche/?q=Nutzungsvereinbarung" in page.url
    assert_accessible(page)

    # To the decision among the results.
    _skip_to_main(page)
    _press_until(page, lambda f: f["href"] == decision.get_absolute_url())
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert decision.number in page.locator("main h1").inner_text()

    # Its minutes, found by what was said in the meeting.
    page.keyboard.press("Tab")
    assert _focused(page)["cls"] == "skip-link"
    _press_until(page, lambda f: f["id"] == "site-search")
    page.keyboard.type("Nachbarschaftsfest")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    _skip_to_main(page)
    minutes_url = f"/sitzungen/{meeting.pk}/protokoll/"
    _press_until(page, lambda f: (f["href"] or "").startswith(minutes_url))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.startswith(f"{demo}{minutes_url}")
    assert page.locator("main h1").inner_text().endswith(meeting.title)
    assert "Nachbarschaftsfest zur Eröffnung" in page.locator("main").inner_text()
    assert decision.number in page.locator("main").inner_text()
