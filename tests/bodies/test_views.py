import pytest
from django.urls import reverse

from aks.accounts import roles
from bodies.access import Visibility
from tests.factories import XSS, BodyFactory, MembershipFactory, OrganisationFactory
from tests.html import assert_valid_html


def _bodies(count):
    parents = BodyFactory.create_batch(3)
    levels = Visibility.values
    for i in range(count):
        body = BodyFactory(visibility=levels[i % len(levels)], parent=parents[i % 3])
        MembershipFactory.create_batch(2, body=body)
    return parents


@pytest.mark.django_db
@pytest.mark.parametrize("size", [10, 200])
@pytest.mark.parametrize("role", [None, roles.V_INTERN, roles.ASSOCIATION_MEMBER])
def test_body_list_needs_the_same_queries_for_10_and_200_bodies(
    client, make_user, django_assert_max_num_queries, size, role
):
    _bodies(size)
    if role:
        client.force_login(make_user(role))
    # session + user + roles, count, page
    with django_assert_max_num_queries(6):
        response = client.get(reverse("bodies:list"))
    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("size", [10, 200])
def test_body_detail_needs_the_same_queries_for_10_and_200_members(
    client, make_user, django_assert_max_num_queries, size
):
    parent = BodyFactory()
    body = BodyFactory(parent=parent, run_by_aks_team=True)
    MembershipFactory.create_batch(size, body=body, organisation=OrganisationFactory())
    BodyFactory.create_batch(5, parent=body)
    client.force_login(make_user(roles.V_EXTERN))
    with django_assert_max_num_queries(9):
        response = client.get(reverse("bodies:detail", args=[body.slug]))
    assert response.status_code == 200
    assert response.content.decode().count("<tr>") >= size


@pytest.mark.django_db
@pytest.mark.parametrize("size", [10, 200])
def test_home_needs_the_same_queries_for_10_and_200_bodies(
    client, django_assert_max_num_queries, size
):
    _bodies(size)
    with django_assert_max_num_queries(3):
        assert client.get(reverse("portal:home")).status_code == 200


@pytest.mark.django_db
def test_body_list_is_valid_html_and_escapes_names(client, make_user):
    _bodies(12)
    client.force_login(make_user(roles.V_INTERN))
    response = client.get(reverse("bodies:list"))
    assert_valid_html(response)
    assert "&lt;script&gt;" in response.content.decode()


@pytest.mark.django_db
def test_body_list_filters_by_kind_and_text(client):
    BodyFactory(name="Aktionsteam Mieten", kind="action_team")
    BodyFactory(name="AG Leerstand", kind="working_group")
    response = client.get(reverse("bodies:list"), {"kind": "action_team"})
    assert "Aktionsteam Mieten" in response.content.decode()
    assert "AG Leerstand" not in response.content.decode()
    response = client.get(reverse("bodies:list"), {"q": "leerstand"})
    assert "AG Leerstand" in response.content.decode()
    assert "Aktionsteam Mieten" not in response.content.decode()


@pytest.mark.django_db
def test_body_list_answers_bad_filter_input_in_german_without_error(client):
    response = client.get(reverse("bodies:list"), {"kind": "nonsense", "page": "x"})
    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen" in response.content.decode()


@pytest.mark.django_db
def test_body_detail_groups_members_by_side_and_shows_terms(client):
    import datetime

    body = BodyFactory(name="Strategie- und Finanzteam")
    org = OrganisationFactory(name="Mieterinitiative Süd")
    MembershipFactory(body=body, side="civil_society", organisation=org, role="delegate")
    MembershipFactory(body=body, side="administration_internal")
    MembershipFactory(body=body, start=datetime.date(2024, 3, 1), end=datetime.date(2025, 2, 28))
    response = client.get(reverse("bodies:detail", args=[body.slug]))
    content = response.content.decode()
    assert_valid_html(response)
    assert content.index("Verwaltung (intern)") < content.index("Zivilgesellschaft")
    assert "Mieterinitiative Süd" in content
    assert "Delegierte*r" in content
    assert "1 ehemaliges Mitglied" in content
    assert XSS not in content


@pytest.mark.django_db
def test_body_detail_hides_a_parent_the_reader_may_not_see(client):
    parent = BodyFactory(name="Geheime Runde", visibility=Visibility.ADMIN_INTERNAL)
    child = BodyFactory(parent=parent)
    content = client.get(reverse("bodies:detail", args=[child.slug])).content.decode()
    assert "Geheime Runde" not in content
    assert "Geheime Runde" not in client.get(reverse("bodies:list")).content.decode()


@pytest.mark.django_db
def test_body_detail_lists_only_visible_sub_bodies(client):
    body = BodyFactory()
    BodyFactory(parent=body, name="Offene AG")
    BodyFactory(parent=body, name="Interne AG", visibility=Visibility.TEAM)
    content = client.get(reverse("bodies:detail", args=[body.slug])).content.decode()
    assert "Offene AG" in content
    assert "Interne AG" not in content


@pytest.mark.django_db
def test_unknown_body_answers_404_in_german(client):
    response = client.get(reverse("bodies:detail", args=["gibt-es-nicht"]))
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()
