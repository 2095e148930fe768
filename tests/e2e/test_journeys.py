"""Journeys through the platform in a real browser: who sees which body, accessibility,
keyboard use and the language switch."""

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
# A body each role must not be able to open by its address.
HIDDEN_BY_URL = {
    "anonymous": "aks-team",
    "v-intern": "vorstand-traegerverein",
    "v-extern": "verwaltungsinterne-steuerungsrunde",
    "councillor": "vorstand-traegerverein",
    "association-member": "kernkreis",
}

SKIP_LINK_TEXT = "Zum Inhalt springen"
NOT_FOUND_TEXT = "Seite nicht gefunden"


def body_names_on_list(page):
    return set(page.locator("table.data-table tbody th[scope=row] > a").all_inner_texts())


def names_of(slugs):
    return set(Body.objects.filter(slug__in=slugs).values_list("name", flat=True))


def test_visibility_table_covers_every_demo_body(demo):
    """The expectations below name every body the demo seeds, no more, no fewer."""
    assert set(Body.objects.values_list("slug", flat=True)) == ALL_BODIES
    assert {role for _email, _name, role in DEMO_USERS} - {None} <= set(VISIBLE)


@pytest.mark.parametrize("role", list(VISIBLE))
def test_each_role_sees_its_bodies_after_login(demo, page, role):
    if EMAIL[role]:
        login(page, demo, EMAIL[role])
    page.goto(f"{demo}/gremien/")

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
    if EMAIL[role]:
        login(page, demo, EMAIL[role])
    page.goto(f"{demo}/gremien/")
    shown = body_names_on_list(page)
    assert sees in shown
    assert does_not_see not in shown
    if role == "anonymous":
        assert "Vorstand des Trägervereins" not in shown
        assert "Verwaltungsinterne Steuerungsrunde" not in shown


@pytest.mark.parametrize("role", list(HIDDEN_BY_URL))
def test_hidden_body_by_direct_address_answers_not_found(demo, page, console_errors, role):
    if EMAIL[role]:
        login(page, demo, EMAIL[role])
    slug = HIDDEN_BY_URL[role]
    hidden = Body.objects.get(slug=slug)

    response = page.goto(f"{demo}/gremien/{slug}/")

    assert response.status == 404
    assert NOT_FOUND_TEXT in page.locator("main h1").inner_text()
    assert hidden.name not in page.content()
    # Chromium logs the 404 of the document itself as a console error; that one is expected.
    unexpected = [e for e in console_errors if "status of 404" not in e]
    console_errors[:] = unexpected


def test_superuser_opens_every_internal_body(demo, page):
    login(page, demo, ADMIN)
    for slug in sorted(ALL_BODIES - PUBLIC):
        response = page.goto(f"{demo}/gremien/{slug}/")
        assert response.status == 200, slug
        assert page.locator("main h1").inner_text() == Body.objects.get(slug=slug).name


A11Y_PAGES = [
    pytest.param(None, "/", id="home"),
    pytest.param(None, "/konto/anmelden/", id="login"),
    pytest.param(None, "/gremien/", id="body-list"),
    pytest.param(None, "/gremien/steuerungsrunde/", id="body-detail-public"),
    pytest.param(V_INTERN, "/gremien/", id="body-list-v-intern"),
    pytest.param(V_INTERN, "/gremien/aks-team/", id="body-detail-team-v-intern"),
]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize(("email", "path"), A11Y_PAGES)
def test_pages_have_no_wcag21_aa_violations(demo, page, email, path, viewport):
    page.set_viewport_size(viewport)
    if email:
        login(page, demo, email)
    response = page.goto(f"{demo}{path}")
    assert response.status == 200
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
    page.goto(f"{demo}/gremien/")
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

    page.goto(f"{demo}/")
    assert html.get_attribute("lang") == "en", "the choice persists across pages"

    switch.locator("select[name=language]").select_option("de")
    with page.expect_navigation():
        switch.locator("button[type=submit]").click()
    assert html.get_attribute("lang") == "de"
    assert page.locator("#language-select").input_value() == "de"
