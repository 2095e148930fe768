"""Staff write the minutes in the browser, circulate them and approve them by a decision."""

import datetime

import pytest
from django.utils import timezone

from bodies.access import Visibility
from bodies.demo import DEMO_USERS
from bodies.models import Body
from bodies.services import record_decision
from meetings.models import Meeting, MeetingKind, Minutes, MinutesStatus

from .conftest import assert_accessible, login

pytestmark = pytest.mark.e2e

V_INTERN = next(email for email, _name, role in DEMO_USERS if role == "v-intern")


def test_staff_write_circulate_and_approve_minutes(demo, page):
    body = Body.objects.filter(visibility=Visibility.PUBLIC).order_by("pk").first()
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=14)
    meeting = Meeting.objects.create(
        body=body,
        kind=MeetingKind.WORKING_GROUP,
        title="AG-Sitzung im Browser",
        start=start,
        end=start + datetime.timedelta(hours=2),
        visibility=Visibility.PUBLIC,
    )
    decision = record_decision(
        body=body, title="Protokoll genehmigt", decided_on=timezone.localdate()
    )

    login(page, demo, V_INTERN)
    page.goto(f"{demo}/sitzungen/{meeting.pk}/protokoll/")
    assert_accessible(page)
    with page.expect_navigation():
        page.locator(f"form[action$='/sitzungen/{meeting.pk}/protokoll/anlegen/'] button").click()

    form = page.locator(f"form[action$='/sitzungen/{meeting.pk}/protokoll/eintrag/']")
    form.locator("[name=section]").select_option("result")
    form.locator("[name=text]").fill("Die AG sucht ein Modell für die Raumvergabe.")
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert page.get_by_text("Die AG sucht ein Modell für die Raumvergabe.").is_visible()
    assert_accessible(page)

    with page.expect_navigation():
        page.locator(f"form[action$='/sitzungen/{meeting.pk}/protokoll/umlauf/'] button").click()
    approve = page.locator(f"form[action$='/sitzungen/{meeting.pk}/protokoll/genehmigen/']")
    approve.locator("[name=decision]").select_option(str(decision.pk))
    with page.expect_navigation():
        approve.locator("button[type=submit]").click()
    assert page.locator(f"a[href='{decision.get_absolute_url()}']").count() == 1
    assert_accessible(page)

    minutes = Minutes.objects.get(meeting=meeting)
    assert minutes.status == MinutesStatus.APPROVED
    assert minutes.approval_id == decision.pk
