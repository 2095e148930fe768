"""Cached page fragments: shared only between readers for whom they are the same."""

import pytest
from django.urls import reverse
from django.utils import translation

from aks.accounts import roles
from aks.fragments import fingerprint
from bodies.access import Visibility
from tests.factories import BodyFactory, MembershipFactory

pytestmark = pytest.mark.django_db

HOME = reverse("portal:home")


def test_it_never_shows_a_visitor_the_bodies_cached_for_staff(client, make_user):
    BodyFactory(name="Steuerungsrunde")
    BodyFactory(name="Teamrunde intern", visibility=Visibility.TEAM)
    client.force_login(make_user(roles.V_INTERN))
    assert "Teamrunde intern" in client.get(HOME).content.decode()
    client.logout()
    content = client.get(HOME).content.decode()
    assert "Steuerungsrunde" in content
    assert "Teamrunde intern" not in content


def test_it_shows_a_renamed_body_and_a_new_member_at_once(client):
    body = BodyFactory(name="Steuerungsrunde")
    assert "0 Mitglieder" in client.get(HOME).content.decode()
    body.name = "Lenkungskreis"
    body.save()
    MembershipFactory(body=body)
    content = client.get(HOME).content.decode()
    assert "Lenkungskreis" in content
    assert "Steuerungsrunde" not in content
    assert "1 Mitglied" in content


def test_the_fingerprint_changes_with_any_shown_value_and_the_language():
    body = BodyFactory.build(pk=1, name="A", slug="a")
    key = fingerprint([body], "pk", "name", "slug")
    assert fingerprint([body], "pk", "name", "slug") == key
    body.name = "B"
    assert fingerprint([body], "pk", "name", "slug") != key
    body.name = "A"
    with translation.override("en"):
        assert fingerprint([body], "pk", "name", "slug") != key
    assert fingerprint([], "pk") != key


def test_it_shows_a_new_and_an_ended_membership_on_the_body_page_at_once(client):
    body = BodyFactory(name="Steuerungsrunde")
    first = MembershipFactory(body=body, person__name="Erste Person")
    url = reverse("bodies:detail", args=[body.slug])
    assert "Erste Person" in client.get(url).content.decode()
    MembershipFactory(body=body, person__name="Zweite Person")
    first.end = first.start
    first.save()
    content = client.get(url).content.decode()
    assert "Zweite Person" in content
    assert "1 ehemaliges Mitglied" in content
