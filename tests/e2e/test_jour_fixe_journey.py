"""The whole Jour-Fixe cycle in the browser.

Staff plan the monthly series and prepare the next agenda (add an item, edit it, link
a decision and a space); the councillor reviews the agenda on the overview and
comments; staff record that the meeting was held, write and circulate the minutes;
the following Jour-Fixe approves them by its decision.
"""

import datetime
import re

import pytest
from django.utils import timezone

from bodies.access import Visibility
from bodies.demo import DEMO_USERS
from bodies.models import Body
from bodies.services import record_decision
from meetings.models import AgendaReview, MeetingSeries, MeetingStatus, Minutes, MinutesStatus
from tests.spaces.factories import SpaceFactory

from .conftest import assert_accessible, login

pytestmark = pytest.mark.e2e

EMAIL = {role: email for email, _name, role in DEMO_USERS}


def _either(german: str, english: str):
    """An accessible name in German, or in English while the catalogue lags behind."""
    return re.compile(rf"^({re.escape(german)}|{re.escape(english)})$")


def _logout(page):
    with page.expect_navigation():
        page.locator("header form[action$='/konto/abmelden/'] button[type=submit]").click()


def _submit(page, form):
    with page.expect_navigation():
        form.locator("button[type=submit]").click()


def test_the_jour_fixe_cycle_from_agenda_to_approved_minutes(demo, page):
    team = Body.objects.get(slug="aks-team")
    today = timezone.localdate()
    # The first meeting falls a week from today: the n-th such weekday of its month.
    first = today + datetime.timedelta(days=7)
    week = (first.day - 1) // 7 + 1
    week = -1 if week == 5 else week
    earlier = record_decision(
        body=team,
        title="Raumvergabe nach Gemeinwohlkriterien",
        decided_on=today - datetime.timedelta(days=30),
        visibility=Visibility.TEAM,
    )
    space = SpaceFactory(name="Ehemaliger Fahrradladen Wrangelstraße")

    # --- Staff plan the series ------------------------------------------------------
    login(page, demo, EMAIL["v-intern"])
    page.goto(f"{demo}/sitzungen/")
    with page.expect_navigation():
        page.get_by_role("link", name=_either("Neue Sitzungsreihe", "New meeting series")).click()
    assert_accessible(page)
    form = page.locator("form[action$='/sitzungen/reihen/neu/']")
    form.locator("[name=body]").select_option(str(team.pk))
    form.locator("[name=title]").fill("Jour-Fixe mit der Bezirksstadträtin")
    form.locator("[name=kind]").select_option("jour_fixe")
    form.locator("[name=recurrence]").select_option("monthly")
    form.locator("[name=weekday]").select_option(str(first.weekday()))
    form.locator("[name=week_of_month]").select_option(str(week))
    form.locator("[name=start_time]").fill("10:00")
    form.locator("[name=duration_minutes]").fill("90")
    form.locator("[name=place]").fill("Bezirksamt, Yorckstraße, Raum 2.14")
    form.locator("[name=starts_on]").fill(today.isoformat())
    form.locator("[name=until]").fill((today + datetime.timedelta(days=75)).isoformat())
    form.locator("[name=visibility]").select_option(Visibility.TEAM)
    _submit(page, form)
    series = MeetingSeries.objects.get(title="Jour-Fixe mit der Bezirksstadträtin")
    meetings = list(series.meetings.order_by("start"))
    assert timezone.localdate(meetings[0].start) == first
    assert len(meetings) >= 2
    next_jf, following = meetings[0], meetings[1]
    assert_accessible(page)

    # --- … and prepare the next agenda ----------------------------------------------
    with page.expect_navigation():
        page.locator(f"a[href='{next_jf.get_absolute_url()}']").click()
    add = page.locator(f"form[action$='/sitzungen/{next_jf.pk}/tagesordnung/neu/']")
    add.locator("[name=title]").fill("Leerstand Wrangelstraße")
    _submit(page, add)
    # Item 1 is the standing item for open action items and commitments.
    with page.expect_navigation():
        page.get_by_role("link", name=_either("TOP 2 bearbeiten", "Edit item 2")).click()
    assert_accessible(page)
    edit = page.locator("form.stacked-form")
    edit.locator("[name=description]").fill("Nutzung als Vor-Ort-Laden, Stand der Gespräche.")
    edit.locator("[name=duration_minutes]").fill("20")
    edit.locator(f"[name=decisions][value='{earlier.pk}']").check()
    edit.locator(f"[name=spaces][value='{space.pk}']").check()
    _submit(page, edit)
    page.locator(f"#agenda a[href='{earlier.get_absolute_url()}']").wait_for()
    assert page.locator(f"#agenda a[href='{space.get_absolute_url()}']").count() == 1
    assert_accessible(page)
    _logout(page)

    # --- The councillor reviews it on the overview --------------------------------------
    login(page, demo, EMAIL["councillor"])
    page.goto(f"{demo}/uebersicht/")
    assert page.get_by_text("Leerstand Wrangelstraße").count() == 1
    assert_accessible(page)
    page.locator("#review-reviewed").check()
    page.locator("#review-comment").fill("Bitte die Mietkonditionen der BIM mitbringen.")
    with page.expect_navigation():
        page.locator("form[action*='/uebersicht/tagesordnung/'] button[type=submit]").click()
    review = AgendaReview.objects.get(meeting=next_jf)
    assert review.reviewed and review.comment.startswith("Bitte die Mietkonditionen")
    _logout(page)

    # --- Staff hold the meeting, write and circulate the minutes ------------------------
    login(page, demo, EMAIL["v-intern"])
    page.goto(f"{demo}/uebersicht/")
    page.get_by_text("Bitte die Mietkonditionen der BIM mitbringen.").wait_for()
    page.goto(f"{demo}/sitzungen/{next_jf.pk}/bearbeiten/")
    assert_accessible(page)
    status = page.locator(f"form[action$='/sitzungen/{next_jf.pk}/status/']")
    status.locator("[name=status]").select_option(MeetingStatus.HELD)
    _submit(page, status)
    next_jf.refresh_from_db()
    assert next_jf.status == MeetingStatus.HELD

    page.goto(f"{demo}/sitzungen/{next_jf.pk}/protokoll/")
    with page.expect_navigation():
        page.locator(f"form[action$='/sitzungen/{next_jf.pk}/protokoll/anlegen/'] button").click()
    entry = page.locator(f"form[action$='/sitzungen/{next_jf.pk}/protokoll/eintrag/']")
    entry.locator("[name=section]").select_option("result")
    entry.locator("[name=text]").fill("Die BIM legt bis Monatsende die Mietkonditionen vor.")
    _submit(page, entry)
    with page.expect_navigation():
        page.locator(f"form[action$='/sitzungen/{next_jf.pk}/protokoll/umlauf/'] button").click()
    assert Minutes.objects.get(meeting=next_jf).status == MinutesStatus.CIRCULATED

    # --- The following Jour-Fixe approves them by its decision -----------------------------
    approval = record_decision(
        body=team,
        title="Protokoll des letzten Jour-Fixe genehmigt",
        decided_on=timezone.localdate(following.start),
        visibility=Visibility.TEAM,
    )
    page.reload()
    approve = page.locator(f"form[action$='/sitzungen/{next_jf.pk}/protokoll/genehmigen/']")
    approve.locator("[name=decision]").select_option(str(approval.pk))
    _submit(page, approve)
    assert page.locator(f"a[href='{approval.get_absolute_url()}']").count() == 1
    assert_accessible(page)
    minutes = Minutes.objects.get(meeting=next_jf)
    assert (minutes.status, minutes.approval_id) == (MinutesStatus.APPROVED, approval.pk)
