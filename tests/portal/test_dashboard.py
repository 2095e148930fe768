"""Each role's overview shows what that role needs next; the councillor reviews the agenda."""

import datetime
import re

import html5lib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from aks.accounts import roles
from bodies.access import Visibility
from bodies.services import record_decision
from meetings.models import ActionItem, AgendaReview, Commitment, MeetingKind
from meetings.services import add_agenda_item
from tests.factories import BodyFactory, OrganisationFactory
from tests.html import assert_valid_html
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def jour_fixe():
    body = BodyFactory(visibility=Visibility.TEAM, name="AKS-Team")
    meeting = MeetingFactory(
        body=body,
        kind=MeetingKind.JOUR_FIXE,
        title="Jour-Fixe Dezember",
        visibility=Visibility.TEAM,
    )
    add_agenda_item(meeting=meeting, title="Bericht aus der Steuerungsrunde")
    add_agenda_item(meeting=meeting, title="Personalfragen", visibility=Visibility.ADMIN_INTERNAL)
    earlier = MeetingFactory(
        body=body,
        visibility=Visibility.TEAM,
        start=timezone.now() - datetime.timedelta(days=20),
        end=timezone.now() - datetime.timedelta(days=20, hours=-1),
    )
    ActionItem.objects.create(
        meeting=earlier, title="Nutzungsvereinbarung abstimmen", due=timezone.localdate()
    )
    Commitment.objects.create(
        meeting=earlier,
        organisation=OrganisationFactory(name="BIM"),
        what="Entwurf vorlegen",
        due=timezone.localdate(),
        visibility=Visibility.TEAM,
    )
    record_decision(
        body=body,
        title="Jüngster Beschluss",
        decided_on=timezone.localdate(),
        visibility=Visibility.TEAM,
    )
    return meeting


def test_the_councillor_sees_the_next_jour_fixe_with_open_items_and_reviews_it(
    client, make_user, jour_fixe
):
    councillor = make_user(roles.COUNCILLOR)
    client.force_login(councillor)
    response = client.get(reverse("portal:dashboard"))
    content = response.content.decode()
    assert_valid_html(response)
    for text in (
        "Jour-Fixe Dezember",
        "Bericht aus der Steuerungsrunde",
        "Personalfragen",
        "Nutzungsvereinbarung abstimmen",
        "Entwurf vorlegen",
        "Jüngster Beschluss",
    ):
        assert text in content
    response = client.post(
        reverse("portal:agenda_review", args=[jour_fixe.pk]),
        {"reviewed": "on", "comment": "Bitte TOP 2 zuerst."},
        follow=True,
    )
    assert "Ihre Sichtung der Tagesordnung wurde gespeichert" in response.content.decode()
    review = AgendaReview.objects.get(meeting=jour_fixe)
    assert review.reviewed and review.comment == "Bitte TOP 2 zuerst."


def test_staff_see_the_review_state_but_cannot_review(client, make_user, jour_fixe):
    AgendaReview.objects.create(
        meeting=jour_fixe, reviewer=make_user(roles.COUNCILLOR), reviewed=True, comment="Passt."
    )
    v_extern = make_user(roles.V_EXTERN)
    client.force_login(v_extern)
    content = client.get(reverse("portal:dashboard")).content.decode()
    assert "Passt." in content
    assert "Personalfragen" not in content  # admin-internal item, v-extern side
    response = client.post(reverse("portal:agenda_review", args=[jour_fixe.pk]), {"reviewed": "on"})
    assert response.status_code == 403


@pytest.mark.parametrize("role", [roles.ASSOCIATION_MEMBER, None])
def test_members_and_outsiders_see_no_internal_jour_fixe(client, make_user, jour_fixe, role):
    user = make_user(*([role] if role else []))
    client.force_login(user)
    content = client.get(reverse("portal:dashboard")).content.decode()
    assert "Jour-Fixe Dezember" not in content
    assert "Jüngster Beschluss" not in content
    response = client.post(reverse("portal:agenda_review", args=[jour_fixe.pk]), {"reviewed": "on"})
    assert response.status_code == 404


def test_an_empty_review_is_refused_in_german(client, make_user, jour_fixe):
    client.force_login(make_user(roles.COUNCILLOR))
    response = client.post(reverse("portal:agenda_review", args=[jour_fixe.pk]), {}, follow=True)
    assert "Bitte markieren Sie die Tagesordnung als gesichtet" in response.content.decode()
    assert not AgendaReview.objects.exists()


def test_the_overview_needs_a_login(client):
    response = client.get(reverse("portal:dashboard"))
    assert response.status_code == 302


@pytest.mark.parametrize("size", [5, 100])
def test_the_overview_query_count_does_not_grow(
    client, make_user, django_assert_max_num_queries, jour_fixe, size
):
    for i in range(size):
        add_agenda_item(meeting=jour_fixe, title=f"Punkt {i}")
    client.force_login(make_user(roles.COUNCILLOR))
    with django_assert_max_num_queries(20):
        assert client.get(reverse("portal:dashboard")).status_code == 200


def test_it_numbers_each_jour_fixe_agenda_item_once(client, make_user, jour_fixe):
    # The numbers are written out ("1", "2.1"), so the list must not add its own markers
    # too: "1. 1 Offene Aufgaben" was the result.
    add_agenda_item(meeting=jour_fixe, title="Offene Aufgaben")
    client.force_login(make_user(roles.COUNCILLOR))
    content = client.get(reverse("portal:dashboard")).content.decode()
    document = html5lib.parse(content, namespaceHTMLElements=False)
    section = document.find(".//section[@aria-labelledby='jf-heading']")
    lists = section.findall(".//ol")
    assert lists
    for ordered in lists:
        assert "agenda-list" in ordered.get("class", "").split()
    numbers = [span.text for span in section.iter("span") if span.get("class") == "agenda-number"]
    assert numbers == ["1", "2", "3"]
    stylesheet = (settings.BASE_DIR / "static" / "css" / "aks.css").read_text(encoding="utf-8")
    assert re.search(r"\.agenda-list\s*\{[^}]*list-style:\s*none", stylesheet)
