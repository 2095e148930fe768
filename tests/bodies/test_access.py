"""The access kernel: every persona against every visibility level, in lists and by URL."""

import datetime

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm

from aks.accounts import roles
from bodies.access import Visibility, can_view
from bodies.models import Body
from tests.factories import BodyFactory, MembershipFactory, PersonFactory
from tests.personas import PERSONAS, SEES


def test_the_persona_oracle_names_every_level_and_every_role():
    # The oracle is written by hand; a level or role added to the platform must be
    # added there too, or every permission test would silently skip it.
    from tests.personas import LEVELS, ROLE_OF

    assert set(LEVELS) == set(Visibility.values)
    assert set(ROLE_OF.values()) == set(roles.ALL)


def _client_for(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("level", Visibility.values)
def test_it_shows_a_body_exactly_to_the_personas_its_level_allows(client, persona, name, level):
    body = BodyFactory(visibility=level)
    user = persona(name, body=body)
    expected = level in SEES[name]

    listed = Body.objects.visible_to(user).filter(pk=body.pk).exists()
    assert listed is expected

    response = _client_for(client, user).get(reverse("bodies:detail", args=[body.slug]))
    assert response.status_code == (200 if expected else 404)

    page = client.get(reverse("bodies:list"))
    assert (body.slug in page.content.decode()) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("name", PERSONAS)
def test_has_perm_view_body_agrees_with_the_list(persona, name):
    from django.contrib.auth.models import AnonymousUser

    bodies = [BodyFactory(visibility=level) for level in Visibility.values]
    user = persona(name, body=bodies[1]) or AnonymousUser()
    visible = set(Body.objects.visible_to(user).values_list("pk", flat=True))
    for body in bodies:
        assert user.has_perm("bodies.view_body", body) is (body.pk in visible)


@pytest.mark.django_db
def test_it_runs_the_list_as_one_query(django_assert_num_queries, make_user, member_of):
    user = make_user(roles.ASSOCIATION_MEMBER)
    member_of(user, BodyFactory(visibility=Visibility.MEMBERS))
    BodyFactory.create_batch(3, visibility=Visibility.TEAM)
    user._aks_roles = frozenset({roles.ASSOCIATION_MEMBER})
    with django_assert_num_queries(1) as captured:
        list(Body.objects.visible_to(user))
    assert "EXISTS" in captured.captured_queries[0]["sql"].upper()


@pytest.mark.django_db
def test_it_hides_members_level_bodies_after_the_term_ended(make_user):
    user = make_user()
    body = BodyFactory(visibility=Visibility.MEMBERS)
    MembershipFactory(
        person=PersonFactory(user=user),
        body=body,
        start=datetime.date(2020, 1, 1),
        end=datetime.date(2021, 1, 1),
    )
    assert not can_view(user, body)


@pytest.mark.django_db
def test_it_hides_members_level_bodies_before_the_term_starts(make_user):
    user = make_user()
    body = BodyFactory(visibility=Visibility.MEMBERS)
    MembershipFactory(
        person=PersonFactory(user=user),
        body=body,
        start=datetime.date.today() + datetime.timedelta(days=3),
    )
    assert not can_view(user, body)


@pytest.mark.django_db
def test_membership_in_one_body_does_not_open_another(make_user, member_of):
    user = make_user()
    member_of(user, BodyFactory(visibility=Visibility.MEMBERS))
    other = BodyFactory(visibility=Visibility.MEMBERS)
    assert not can_view(user, other)


@pytest.mark.django_db
def test_an_explicit_user_grant_opens_one_body(client, make_user):
    guest = make_user()
    invited = BodyFactory(visibility=Visibility.ADMIN_INTERNAL)
    not_invited = BodyFactory(visibility=Visibility.ADMIN_INTERNAL)
    assign_perm("bodies.view_body", guest, invited)

    assert list(Body.objects.visible_to(guest)) == [invited]
    assert guest.has_perm("bodies.view_body", invited)
    assert not guest.has_perm("bodies.view_body", not_invited)
    client.force_login(guest)
    assert client.get(reverse("bodies:detail", args=[invited.slug])).status_code == 200
    assert client.get(reverse("bodies:detail", args=[not_invited.slug])).status_code == 404


@pytest.mark.django_db
def test_an_explicit_group_grant_opens_one_body(make_user):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="Gäste AG1")
    guest = make_user()
    guest.groups.add(group)
    body = BodyFactory(visibility=Visibility.CIVIL_INTERNAL)
    assign_perm("bodies.view_body", group, body)
    assert Body.objects.visible_to(guest).filter(pk=body.pk).exists()


@pytest.mark.django_db
def test_an_inactive_account_sees_nothing_not_even_public(make_user):
    user = make_user(roles.V_INTERN, is_active=False)
    BodyFactory(visibility=Visibility.PUBLIC)
    assert not Body.objects.visible_to(user).exists()


# persona -> (manages a body the AKS team runs, manages one it does not run)
MANAGES = {
    "anonymous": (False, False),
    "association_member": (False, False),
    "body_member": (False, False),
    "v_extern": (True, False),
    "v_intern": (True, False),
    "councillor": (False, False),
    "superuser": (True, True),
}
MANAGE_PERMS = ["bodies.change_body", "bodies.add_poll", "bodies.manage_poll"]


def _target(perm, body):
    if perm == "bodies.manage_poll":
        from bodies.services import create_poll

        return create_poll(body=body, title="Antrag", visibility=Visibility.PUBLIC)
    return body


@pytest.mark.django_db
@pytest.mark.parametrize("perm", MANAGE_PERMS)
@pytest.mark.parametrize("run_by_aks_team", [True, False])
@pytest.mark.parametrize("name", PERSONAS)
def test_staff_manage_only_the_bodies_the_aks_team_runs(persona, name, run_by_aks_team, perm):
    from django.contrib.auth.models import AnonymousUser

    body = BodyFactory(visibility=Visibility.TEAM, run_by_aks_team=run_by_aks_team)
    user = persona(name, body=body) or AnonymousUser()
    expected = MANAGES[name][0 if run_by_aks_team else 1]
    assert user.has_perm(perm, _target(perm, body)) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("perm", MANAGE_PERMS)
@pytest.mark.parametrize("run_by_aks_team", [True, False])
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("chair", True),
        ("deputy", True),
        ("organizer", True),
        ("member", False),
        ("key_person", False),
        ("guest", False),
    ],
)
def test_the_chair_deputy_and_organisers_manage_their_body(
    make_user, member_of, role, expected, run_by_aks_team, perm
):
    user = make_user()
    body = BodyFactory(visibility=Visibility.PUBLIC, run_by_aks_team=run_by_aks_team)
    member_of(user, body, role=role)
    assert user.has_perm(perm, _target(perm, body)) is expected
    assert not user.has_perm(perm, _target(perm, BodyFactory(run_by_aks_team=run_by_aks_team)))


@pytest.mark.django_db
@pytest.mark.parametrize("role", [roles.V_EXTERN, roles.V_INTERN])
def test_staff_who_are_ordinary_members_of_a_body_the_team_does_not_run_manage_nothing(
    make_user, member_of, role
):
    user = make_user(role)
    body = BodyFactory(visibility=Visibility.PUBLIC, run_by_aks_team=False)
    member_of(user, body)
    for perm in MANAGE_PERMS:
        assert not user.has_perm(perm, _target(perm, body))


@pytest.mark.django_db
def test_a_former_organiser_manages_nothing(make_user, member_of):
    user = make_user()
    body = BodyFactory()
    member_of(user, body, role="organizer", end=datetime.date.today() - datetime.timedelta(days=1))
    assert not user.has_perm("bodies.change_body", body)


@pytest.mark.django_db
def test_the_chair_may_change_their_body(make_user, member_of):
    chair = make_user()
    body = BodyFactory(visibility=Visibility.PUBLIC)
    member_of(chair, body, role="chair")
    assert chair.has_perm("bodies.change_body", body)
    assert not chair.has_perm("bodies.change_body", BodyFactory())


@pytest.mark.django_db
def test_staff_cannot_change_a_body_they_may_not_see(make_user):
    v_extern = make_user(roles.V_EXTERN)
    body = BodyFactory(visibility=Visibility.ADMIN_INTERNAL, run_by_aks_team=True)
    assert not v_extern.has_perm("bodies.change_body", body)
