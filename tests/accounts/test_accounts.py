import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from aks.accounts import roles
from aks.accounts.models import User
from tests.factories import XSS, BodyFactory
from tests.html import assert_valid_html


@pytest.mark.django_db
def test_the_roles_exist_as_groups_after_migrating():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ALL)


@pytest.mark.django_db
def test_it_logs_in_with_an_e_mail_address_in_any_case(client, make_user):
    make_user(email="jana@bezirk.example")
    response = client.post(
        reverse("accounts:login"),
        {"username": "Jana@Bezirk.example", "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


@pytest.mark.django_db
def test_it_rejects_a_wrong_password_in_german(client, make_user):
    make_user(email="jana@bezirk.example")
    response = client.post(
        reverse("accounts:login"), {"username": "jana@bezirk.example", "password": "falsch"}
    )
    assert response.status_code == 200
    assert "Bitte geben Sie eine gültige E-Mail-Adresse" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_page_is_valid_html(client):
    assert_valid_html(client.get(reverse("accounts:login")))


@pytest.mark.django_db
def test_logout_is_a_post_and_ends_the_session(client, make_user):
    client.force_login(make_user())
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_profile_sends_anonymous_visitors_to_the_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


@pytest.mark.django_db
@pytest.mark.parametrize("role", [*roles.ALL, None])
def test_profile_shows_own_roles_and_visible_memberships(client, make_user, member_of, role):
    user = make_user(*([role] if role else []))
    member_of(
        user,
        BodyFactory(name="Kernkreis"),
        role="delegate",
        organisation=__import__("tests.factories").factories.OrganisationFactory(),
    )
    client.force_login(user)
    response = client.get(reverse("accounts:profile"))
    content = response.content.decode()
    assert_valid_html(response)
    assert "Kernkreis" in content
    if role:
        assert role in content


@pytest.mark.django_db
def test_profile_saves_the_display_name_escaped(client, make_user):
    user = make_user()
    client.force_login(user)
    response = client.post(reverse("accounts:profile"), {"display_name": XSS}, follow=True)
    assert "Ihr Profil wurde gespeichert" in response.content.decode()
    user.refresh_from_db()
    assert user.display_name == XSS
    assert_valid_html(response)


@pytest.mark.django_db
def test_profile_query_count_does_not_grow_with_memberships(
    client, make_user, member_of, django_assert_max_num_queries
):
    user = make_user(roles.V_INTERN)
    for _ in range(30):
        member_of(user, BodyFactory())
    client.force_login(user)
    with django_assert_max_num_queries(6):
        client.get(reverse("accounts:profile"))


@pytest.mark.django_db
def test_german_is_the_default_and_english_can_be_chosen(client):
    assert 'lang="de"' in client.get(reverse("portal:home")).content.decode()
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    content = client.get(reverse("portal:home")).content.decode()
    assert 'lang="en"' in content
    assert "Skip to main content" in content


def test_the_user_model_has_no_username():
    assert User.USERNAME_FIELD == "email"
    assert not hasattr(User, "username") or User.username is None
