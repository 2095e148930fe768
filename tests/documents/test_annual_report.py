"""A body's annual report: its figures, what each reader sees, the URL and the link."""

import datetime
import io
import re

import pypdf
import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from aks.accounts import roles
from bodies import services as body_services
from bodies.access import Visibility
from bodies.models import Poll, PollStatus
from meetings import annual_report, services
from meetings.models import Commitment, CommitmentStatus, MeetingStatus
from spaces import services as space_services
from spaces.models import SpaceStatus
from tests.factories import BodyFactory, OrganisationFactory
from tests.html import assert_valid_html
from tests.meetings.factories import MeetingFactory
from tests.spaces.factories import SpaceFactory

pytestmark = pytest.mark.django_db

PUBLIC = Visibility.PUBLIC
INTERNAL = Visibility.ADMIN_INTERNAL


def _year() -> int:
    """Last year: wholly past whatever day the tests run."""
    return timezone.localdate().year - 1


def _at(year: int, month: int, day: int = 15) -> datetime.datetime:
    return datetime.datetime(year, month, day, 10, tzinfo=timezone.get_current_timezone())


def _meeting(body, year, month, *, visibility=PUBLIC, status=MeetingStatus.HELD, title=None):
    start = _at(year, month)
    return MeetingFactory(
        body=body,
        start=start,
        end=start + datetime.timedelta(hours=2),
        visibility=visibility,
        status=status,
        title=title or f"Sitzung {year}-{month}",
    )


def _commitment(meeting, what, status, visibility=None):
    commitment = services.add_commitment(
        meeting=meeting, organisation=OrganisationFactory(), what=what, visibility=visibility
    )
    Commitment.objects.filter(pk=commitment.pk).update(status=status)
    return commitment


def _space(name, *, body=None, visibility=PUBLIC, to, when):
    space = SpaceFactory(
        name=name,
        body=body,
        visibility=visibility,
        status=SpaceStatus.IN_NEGOTIATION if to == SpaceStatus.SECURED else SpaceStatus.VERIFIED,
    )
    space_services.change_status(space=space, to=to, user=None, when=when)
    return space


def _poll(body, title, *, visibility, closed_at):
    return Poll.objects.create(
        body=body, title=title, visibility=visibility, status=PollStatus.CLOSED, closed_at=closed_at
    )


@pytest.fixture
def report_world():
    """A public body's last year with internal parts, and things outside the year."""
    year = _year()
    body = BodyFactory(name="Jahresgremium", visibility=PUBLIC, run_by_aks_team=True)
    public = _meeting(body, year, 3, title="Frühjahrssitzung")
    internal = _meeting(body, year, 9, visibility=INTERNAL, title="Geheime Klausur")
    _meeting(body, year, 11, status=MeetingStatus.CANCELLED, title="Abgesagte Sitzung")
    earlier = _meeting(body, year - 1, 6, title="Vorjahressitzung")

    _commitment(public, "Schlüssel übergeben", CommitmentStatus.KEPT)
    _commitment(public, "Miete senken", CommitmentStatus.BROKEN)
    _commitment(public, "Konzept vorlegen", CommitmentStatus.PROMISED)
    _commitment(public, "Interne Prüfung", CommitmentStatus.IN_PROGRESS, visibility=INTERNAL)
    _commitment(internal, "Klausurzusage", CommitmentStatus.KEPT)
    _commitment(earlier, "Alte Zusage", CommitmentStatus.KEPT)

    body_services.record_decision(
        body=body, title="Öffentlicher Beschluss", decided_on=_at(year, 3).date()
    )
    body_services.record_decision(
        body=body, title="Interner Beschluss", decided_on=_at(year, 9).date(), visibility=INTERNAL
    )
    body_services.record_decision(
        body=body, title="Alter Beschluss", decided_on=_at(year - 1, 6).date()
    )

    _poll(body, "Öffentliche Abstimmung", visibility=PUBLIC, closed_at=_at(year, 3))
    _poll(body, "Interne Abstimmung", visibility=INTERNAL, closed_at=_at(year, 9))
    _poll(body, "Alte Abstimmung", visibility=PUBLIC, closed_at=_at(year - 1, 6))

    discussed = services.add_agenda_item(meeting=public, title="Räume")
    hidden_item = services.add_agenda_item(meeting=public, title="Vertraulich", visibility=INTERNAL)
    when = _at(year, 5)
    _space("Eckladen", body=body, to=SpaceStatus.SECURED, when=when)
    discussed.spaces.add(_space("Werkhalle", to=SpaceStatus.LOST, when=when))
    _space("Altbau", body=body, to=SpaceStatus.SECURED, when=_at(year - 1, 5))
    _space("Verwaltungsraum", body=body, visibility=INTERNAL, to=SpaceStatus.SECURED, when=when)
    hidden_item.spaces.add(_space("Stiller Verlust", to=SpaceStatus.LOST, when=when))
    _space("Fremder Raum", body=BodyFactory(), to=SpaceStatus.SECURED, when=when)
    return body, year


def _figures(html: str) -> dict[str, str]:
    return dict(re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", html))


def _pdf_text(response) -> str:
    content = b"".join(response.streaming_content)
    return "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(content)).pages)


def test_its_figures_count_what_the_public_may_see(report_world):
    body, year = report_world
    source = annual_report.annual_report_source(body=body, year=year, user=AnonymousUser())
    assert _figures(source.html) == {
        "Durchgeführte Sitzungen": "1",
        "Beschlüsse": "1",
        "Abgeschlossene Abstimmungen": "1",
        "Gegebene Zusagen": "3",
        "Eingehaltene Zusagen": "1",
        "Gebrochene Zusagen": "1",
        "Offene Zusagen": "1",
        "Gesicherte Räume": "1",
        "Verlorene Räume": "1",
    }


def test_its_figures_count_the_internal_parts_for_the_administration(report_world, make_user):
    body, year = report_world
    user = make_user(roles.V_INTERN)
    source = annual_report.annual_report_source(body=body, year=year, user=user)
    assert _figures(source.html) == {
        "Durchgeführte Sitzungen": "2",
        "Beschlüsse": "2",
        "Abgeschlossene Abstimmungen": "2",
        "Gegebene Zusagen": "5",
        "Eingehaltene Zusagen": "2",
        "Gebrochene Zusagen": "1",
        "Offene Zusagen": "2",
        "Gesicherte Räume": "2",
        "Verlorene Räume": "2",
    }
    figures = annual_report.commitment_figures(
        list(annual_report.commitments(body=body, year=year, user=user))
    )
    assert (figures.kept, figures.broken, figures.open, figures.withdrawn) == (2, 1, 2, 0)


INTERNAL_TEXTS = ("Geheime Klausur", "Interner Beschluss", "Interne Abstimmung", "Interne Prüfung")
INTERNAL_TEXTS += ("Klausurzusage", "Verwaltungsraum", "Stiller Verlust")
OUTSIDE_TEXTS = ("Abgesagte Sitzung", "Vorjahressitzung", "Alter Beschluss", "Alte Abstimmung")
OUTSIDE_TEXTS += ("Alte Zusage", "Altbau", "Fremder Raum")


def _url(body, year):
    return reverse("documents:annual_report", args=[body.slug, year])


def test_the_public_pdf_leaves_out_the_internal_parts(client, report_world):
    body, year = report_world
    response = client.get(_url(body, year))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"jahresbericht-{year}-jahresgremium.pdf" in response["Content-Disposition"]
    text = _pdf_text(response)
    assert f"Jahresbericht {year}: Jahresgremium" in text
    for shown in ("Frühjahrssitzung", "Öffentlicher Beschluss", "Schlüssel übergeben"):
        assert shown in text
    assert "Eckladen" in text and "Werkhalle" in text
    assert "Seite 1 von" in text
    for hidden in INTERNAL_TEXTS + OUTSIDE_TEXTS:
        assert hidden not in text


def test_the_administrations_pdf_holds_the_internal_parts(client, report_world, make_user):
    body, year = report_world
    client.force_login(make_user(roles.V_INTERN))
    text = _pdf_text(client.get(_url(body, year)))
    for shown in INTERNAL_TEXTS:
        assert shown in text
    for hidden in OUTSIDE_TEXTS:
        assert hidden not in text


def test_it_answers_404_for_a_hidden_body_or_a_year_without_a_report(client, make_user):
    hidden = BodyFactory(visibility=Visibility.TEAM)
    assert client.get(_url(hidden, _year())).status_code == 404
    client.force_login(make_user(roles.V_INTERN))
    assert client.get(_url(hidden, _year())).status_code == 200
    public = BodyFactory(visibility=PUBLIC)
    assert client.get(_url(public, timezone.localdate().year + 1)).status_code == 404
    assert client.get(_url(public, 1999)).status_code == 404


def test_the_body_page_links_this_and_last_years_report(client):
    body = BodyFactory(visibility=PUBLIC)
    response = client.get(reverse("bodies:detail", args=[body.slug]))
    assert_valid_html(response)
    page = response.content.decode()
    this_year = timezone.localdate().year
    for year in (this_year, this_year - 1):
        assert f'href="{_url(body, year)}"' in page
        assert f"Jahresbericht {year} (PDF)" in page


def _grow(body, year, size):
    for month in range(1, 13):
        meeting = _meeting(body, year, month)
        for index in range(size):
            _commitment(meeting, f"Zusage {month}.{index}", CommitmentStatus.KEPT)
    for index in range(size):
        body_services.record_decision(
            body=body, title=f"Beschluss {index}", decided_on=_at(year, 4).date()
        )
        _poll(body, f"Abstimmung {index}", visibility=PUBLIC, closed_at=_at(year, 4))
        _space(f"Raum {index}", body=body, to=SpaceStatus.SECURED, when=_at(year, 4))


@pytest.mark.parametrize("size", [1, 8])
def test_the_report_queries_do_not_grow_with_the_year(
    client, make_user, settings, django_assert_max_num_queries, size
):
    settings.MEETINGS_PDF_SYNC_LIMIT = 1000
    body = BodyFactory(visibility=PUBLIC)
    _grow(body, _year(), size)
    client.force_login(make_user(roles.V_INTERN))
    with django_assert_max_num_queries(16):
        response = client.get(_url(body, _year()))
    assert response.status_code == 200
