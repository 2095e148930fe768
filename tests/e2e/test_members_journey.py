"""A chair manages the members of their body in a real browser; staff keep a workstream's
ledger. Every page on the way is checked with axe-core."""

import datetime

import pytest
from django.utils import timezone

from aks.accounts import roles
from bodies.demo import DEMO_USERS, seed_workstreams
from bodies.models import Contribution, Membership, Person

from .conftest import PHONE, assert_accessible, login

pytestmark = pytest.mark.e2e

_EMAIL_BY_ROLE = {role: email for email, _name, role in DEMO_USERS}
V_INTERN = _EMAIL_BY_ROLE[roles.V_INTERN]  # Jana Okafor, chair of the internal steering round
V_EXTERN = _EMAIL_BY_ROLE[roles.V_EXTERN]

BODY = "verwaltungsinterne-steuerungsrunde"
# German once the catalogue holds this messages, English until then.
MANAGE = "Mitglieder verwalten"
ADD = "Mitglied hinzufügen"
END = "Amtszeit beenden"
RECORD = "Beitrag eintragen"


def test_the_chair_adds_a_member_and_ends_a_term(demo, page):
    login(page, demo, V_INTERN)
    page.goto(f"{demo}/gremien/{BODY}/")
    with page.expect_navigation():
        page.get_by_role("link", name=MANAGE).click()
    assert page.url == f"{demo}/gremien/{BODY}/mitglieder/"
    assert_accessible(page)

    # A delegate without an organisation is refused, with the message at the form.
    form = page.locator("form.stacked-form")
    form.locator("#id_new_person_name").fill("Greta Sommer")
    form.locator("#id_role").select_option("delegate")
    form.locator("#id_side").select_option("administration_internal")
    with page.expect_navigation():
        form.get_by_role("button", name=ADD).click()
    assert page.locator(".error-summary").is_visible()
    assert not Person.objects.filter(name="Greta Sommer").exists()
    assert_accessible(page)

    # Now as an ordinary member of the Bezirksamt, for one year.
    form = page.locator("form.stacked-form")
    form.locator("#id_new_person_name").fill("Greta Sommer")
    form.locator("#id_role").select_option("member")
    form.locator("#id_side").select_option("administration_internal")
    form.locator("#id_organisation").select_option(
        label="Bezirksamt Friedrichshain-Kreuzberg, Stadtentwicklungsamt"
    )
    # A term that runs today, whatever day the test runs on.
    start = timezone.localdate() - datetime.timedelta(days=30)
    end = start + datetime.timedelta(days=364)
    form.locator("#id_start").fill(start.isoformat())
    form.locator("#id_end").fill(end.isoformat())
    with page.expect_navigation():
        form.get_by_role("button", name=ADD).click()
    assert page.locator(".message-success").is_visible()
    current = page.locator("section[aria-labelledby=current-heading]")
    assert current.get_by_role("rowheader", name="Greta Sommer").is_visible()
    greta = Membership.objects.get(person__name="Greta Sommer", body__slug=BODY)
    assert (greta.start, greta.end) == (start, end)

    # End Piotr Wendland's term today.
    today = timezone.localdate()
    row = current.locator("tr", has=page.get_by_role("rowheader", name="Piotr Wendland"))
    row.locator("input[type=date]").fill(today.isoformat())
    with page.expect_navigation():
        row.get_by_role("button", name=END).click()
    assert page.locator(".message-success").is_visible()
    piotr = Membership.objects.get(person__name="Piotr Wendland", body__slug=BODY)
    assert piotr.end == today
    assert_accessible(page)

    page.set_viewport_size(PHONE)
    assert_accessible(page)


def test_a_member_without_the_chair_gets_no_link_and_403(demo, page, console_errors):
    login(page, demo, _EMAIL_BY_ROLE[roles.COUNCILLOR])
    page.goto(f"{demo}/gremien/{BODY}/")
    assert page.get_by_role("link", name=MANAGE).count() == 0
    response = page.goto(f"{demo}/gremien/{BODY}/mitglieder/")
    assert response.status == 403
    console_errors[:] = [e for e in console_errors if "status of 403" not in e]


def test_staff_record_a_contribution_on_a_workstream(demo, page):
    seed_workstreams()
    login(page, demo, V_EXTERN)
    page.goto(f"{demo}/gremien/baustellen/")
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("link", name="Vor-Ort-Laden im ehemaligen Fahrradladen").click()
    assert_accessible(page)

    form = page.locator("form.stacked-form")
    form.locator("#id_organisation").select_option(label="WBM Wohnungsbaugesellschaft")
    form.locator("#id_kind").select_option("rooms")
    form.locator("#id_amount").fill("12,5")
    form.locator("#id_description").fill("Gemeinschaftsraum für die Eröffnungsfeier")
    with page.expect_navigation():
        form.get_by_role("button", name=RECORD).click()
    assert page.locator(".message-success").is_visible()
    added = Contribution.objects.get(description="Gemeinschaftsraum für die Eröffnungsfeier")
    assert str(added.amount) == "12.50"
    summary = page.locator("section[aria-labelledby=summary-heading]")
    wbm = summary.locator(
        "tr", has=page.get_by_role("rowheader", name="WBM Wohnungsbaugesellschaft")
    )
    assert "60,50" in wbm.inner_text()  # 48 seeded hours of use + 12.5
    assert_accessible(page)
