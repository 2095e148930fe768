"""A long minutes PDF shows the progress page first and then downloads by itself. (The
councillor's download of the Jour-Fixe agenda is part of the persona journeys.) After
logging in every step is a click."""

import datetime

import pypdf
import pytest
from django.utils import timezone

from bodies.access import Visibility
from bodies.demo import DEMO_USERS
from bodies.models import Body
from documents.models import RenderedDocument, RenderStatus
from meetings import services
from meetings.models import (
    AgendaItem,
    Meeting,
    MeetingKind,
    MinuteEntry,
    MinuteSection,
)
from tests.meetings.factories import publish

from .conftest import assert_accessible, login

pytestmark = pytest.mark.e2e

COUNCILLOR = next(email for email, _name, role in DEMO_USERS if role == "councillor")


def _pdf_text(download) -> str:
    reader = pypdf.PdfReader(download.path())
    return "\n".join(page.extract_text() for page in reader.pages)


def _follow(page, locator):
    with page.expect_navigation():
        locator.click()


def test_a_long_minutes_pdf_shows_progress_and_then_downloads(demo, documents, page):
    documents.MEETINGS_PDF_SYNC_LIMIT = 5
    body = Body.objects.filter(visibility=Visibility.PUBLIC).order_by("pk").first()
    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=7)
    meeting = Meeting.objects.create(
        body=body,
        kind=MeetingKind.WORKING_GROUP,
        title="Lange AG-Sitzung",
        start=start,
        end=start + datetime.timedelta(hours=2),
        visibility=Visibility.PUBLIC,
    )
    items = [services.add_agenda_item(meeting=meeting, title=f"Punkt {i}") for i in range(1, 7)]
    minutes = services.minutes_for(meeting)
    MinuteEntry.objects.bulk_create(
        MinuteEntry(
            minutes=minutes,
            section=MinuteSection.DISCUSSION,
            agenda_item=item,
            text=f"Aussprache zu {item.title}",
            position=index,
        )
        for index, item in enumerate(items)
    )
    assert AgendaItem.objects.filter(meeting=meeting).count() == 6
    # Published, so that every reader of the public meeting reads its minutes.
    publish(minutes)

    login(page, demo, COUNCILLOR)
    _follow(page, page.locator("header nav").get_by_role("link", name="Sitzungen", exact=True))
    _follow(page, page.locator("main").get_by_role("link", name=meeting.title).first)
    _follow(
        page, page.locator("main .actions-list").get_by_role("link", name="Protokoll", exact=True)
    )
    assert page.url == f"{demo}/sitzungen/{meeting.pk}/protokoll/"
    with page.expect_download(timeout=30_000) as info:
        with page.expect_navigation():
            page.locator(f"a[href='/sitzungen/{meeting.pk}/protokoll.pdf']").first.click()
        status = page.locator("#document-status")
        status.wait_for()
        assert page.locator("h1").inner_text().endswith("Lange AG-Sitzung")
        assert_accessible(page)
    download = info.value
    assert download.suggested_filename.startswith("protokoll-")
    assert "Aussprache zu Punkt 6" in _pdf_text(download)
    row = RenderedDocument.objects.get(subject_id=str(meeting.pk))
    assert row.status == RenderStatus.DONE
    # The page said so, too: the fragment swapped in links the file.
    page.locator(f"#document-status a[href='/sitzungen/{meeting.pk}/protokoll.pdf']").wait_for()
