"""Journeys through the platform in a real browser: who sees which body, accessibility,
keyboard use and the language switch. After opening ``/`` (and logging in) they only
click and type; that hidden bodies answer 404 by their address is a plain test in
tests/bodies/test_demo_bodies.py."""

import pytest

from aks.accounts import roles
from bodies.demo import DEMO_USERS
from bodies.models import Body

from .conftest import DESKTOP, PHONE, assert_accessible, login

pytestmark = pytest.mark.e2e

_EMAIL_BY_ROLE = {role: email for email, _name, role in DEMO_USERS}
ADMIN = _EMAIL_BY_ROLE[None]  # the superuser
V_INTERN = _EMAIL_BY_ROLE[roles.V_INTERN]
V_EXTERN = _EMAIL_BY_ROLE[roles.V_EXTERN]
COUNCILLOR = _EMAIL_BY_ROLE[roles.COUNCILLOR]
MEMBER = _EMAIL_BY_ROLE[roles.ASSOCIATION_MEMBER]

PUBLIC = {"steuerungsrunde", "traegerverein", "aktionsteam-wohnen", "ag1"}
MEMBERS_LEVEL = {"kernkreis", "strategie-und-finanzteam"}
TEAM = {"aks-team"}
ADMIN_INTERNAL = {"verwaltungsinterne-steuerungsrunde"}
CIVIL_INTERNAL = {"vorstand-traegerverein"}
ALL_BODIES = PUBLIC | MEMBERS_LEVEL | TEAM | ADMIN_INTERNAL | CIVIL_INTERNAL

# Who sees which body in the list (DESIGN.md, "Access"). The demo association member
# is an active member of the Trägerverein only, which is public anyway.
VISIBLE = {
    "anonymous": PUBLIC,
    "superuser": ALL_BODIES,
    "v-intern": PUBLIC | MEMBERS_LEVEL | TEAM | ADMIN_INTERNAL,
    "v-extern": PUBLIC | MEMBERS_LEVEL | TEAM | CIVIL_INTERNAL,
    "councillor": PUBLIC | MEMBERS_LEVEL | TEAM | ADMIN_INTERNAL,
    "association-member": PUBLIC,
}
EMAIL = {
    "anonymous": None,
    "superuser": ADMIN,
    "v-intern": V_INTERN,
    "v-extern": V_EXTERN,
    "councillor": COUNCILLOR,
    "association-member": MEMBER,
}
SKIP_LINK_TEXT = "Zum Inhalt springen"


def body_names_on_list(page):
    return set(page.locator("table.data-table tbody th[scope=row] > a").all_inner_texts())


def _follow(page, locator):
    with page.expect_navigation():
        locator.click()


def _nav(page, name: str):
    """Follow a link of the main navigation in the header."""
    _follow(page, page.locator("header nav").get_by_role("link", name=name, exact=True))


def _open_body_list(page, demo, email):
    """Log in (or open the home page) and follow "Gremien" in the navigation."""
    if email:
        login(page, demo, email)
    else:
        page.goto(f"{demo}/")
    _nav(page, "Gremien")


def names_of(slugs):
    return set(Body.objects.filter(slug__in=slugs).values_list("name", flat=True))


def test_visibility_table_covers_every_demo_body(demo):
    """The expectations below name every body the demo seeds, no more, no fewer."""
    assert set(Body.objects.values_list("slug", flat=True)) == ALL_BODIES
    assert {role for _email, _name, role in DEMO_USERS} - {None} <= set(VISIBLE)


@pytest.mark.parametrize("role", list(VISIBLE))
def test_each_role_sees_its_bodies_after_login(demo, page, role):
    _open_body_list(page, demo, EMAIL[role])

    visible = names_of(VISIBLE[role])
    hidden = names_of(ALL_BODIES - VISIBLE[role])
    shown = body_names_on_list(page)
    assert shown == visible, (
        f"{role} should see exactly {sorted(visible)}, the list shows {sorted(shown)}"
    )
    assert not shown & hidden
    # No link anywhere in the list ("Part of" included) leads to or names a hidden body.
    links = page.locator("main a")
    link_texts = set(links.all_inner_texts())
    hrefs = set(links.evaluate_all("links => links.map(a => a.getAttribute('href'))"))
    assert not link_texts & hidden, f"{role} is shown links to {sorted(link_texts & hidden)}"
    for slug in ALL_BODIES - VISIBLE[role]:
        assert f"/gremien/{slug}/" not in hrefs, f"{role} is shown a link to {slug}"


@pytest.mark.parametrize(
    ("role", "sees", "does_not_see"),
    [
        ("v-extern", "Vorstand des Trägervereins", "Verwaltungsinterne Steuerungsrunde"),
        ("councillor", "Verwaltungsinterne Steuerungsrunde", "Vorstand des Trägervereins"),
        ("v-intern", "Verwaltungsinterne Steuerungsrunde", "Vorstand des Trägervereins"),
        ("association-member", "Trägerverein GemeinwohlStadt e.V.", "AKS-Team"),
        ("anonymous", "Steuerungsrunde", "AKS-Team"),
    ],
    ids=["v-extern", "councillor", "v-intern", "association-member", "anonymous"],
)
def test_internal_bodies_are_separated_by_side(demo, page, role, sees, does_not_see):
    """Spelled-out spot checks, independent of the table above."""
    _open_body_list(page, demo, EMAIL[role])
    shown = body_names_on_list(page)
    assert sees in shown
    assert does_not_see not in shown
    if role == "anonymous":
        assert "Vorstand des Trägervereins" not in shown
        assert "Verwaltungsinterne Steuerungsrunde" not in shown


def test_superuser_opens_every_internal_body_from_the_list(demo, page):
    _open_body_list(page, demo, ADMIN)
    for slug in sorted(ALL_BODIES - PUBLIC):
        name = Body.objects.get(slug=slug).name
        _follow(page, page.locator("table.data-table tbody th[scope=row] > a", has_text=name))
        assert page.locator("main h1").inner_text() == name
        _nav(page, "Gremien")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize(
    ("email", "body"),
    [(None, "Steuerungsrunde"), (V_INTERN, "AKS-Team")],
    ids=["anonymous", "v-intern"],
)
def test_pages_have_no_wcag21_aa_violations(demo, page, email, body, viewport):
    """Home, login, the body list and a body page, as the public and as staff."""
    page.set_viewport_size(viewport)
    page.goto(f"{demo}/")
    assert_accessible(page)
    if email:
        login(page, demo, email)
    else:
        _follow(page, page.locator("header a[href^='/konto/anmelden/']"))
        assert_accessible(page)
    _nav(page, "Gremien")
    assert_accessible(page)
    _follow(page, page.locator("table.data-table tbody th[scope=row] > a", has_text=body).first)
    assert page.locator("main h1").inner_text() == body
    assert_accessible(page)


def test_first_tab_reaches_skip_link_which_moves_focus_to_main(demo, page):
    page.goto(f"{demo}/")

    page.keyboard.press("Tab")
    focused = page.evaluate(
        "() => ({cls: document.activeElement.className,"
        " href: document.activeElement.getAttribute('href'),"
        " text: document.activeElement.textContent.trim()})"
    )
    assert focused["cls"] == "skip-link", focused
    assert focused["href"] == "#main"
    assert focused["text"] == SKIP_LINK_TEXT, focused
    assert page.locator("a.skip-link").is_visible()

    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.matches('main#main')")


def test_language_switch_changes_to_english_and_back(demo, page):
    page.goto(f"{demo}/")
    _nav(page, "Gremien")
    html = page.locator("html")
    assert html.get_attribute("lang") == "de"

    switch = page.locator("header form.language-form")
    switch.locator("select[name=language]").select_option("en")
    with page.expect_navigation():
        switch.locator("button[type=submit]").click()
    assert html.get_attribute("lang") == "en"
    assert page.url == f"{demo}/gremien/", "the switch returns to the same page"
    assert page.locator("a.skip-link").inner_text() == "Skip to main content"
    assert page.locator("#language-select").input_value() == "en"

    _nav(page, "Home")
    assert page.url == f"{demo}/"
    assert html.get_attribute("lang") == "en", "the choice persists across pages"

    switch.locator("select[name=language]").select_option("de")
    with page.expect_navigation():
        switch.locator("button[type=submit]").click()
    assert html.get_attribute("lang") == "de"
    assert page.locator("#language-select").input_value() == "de"
