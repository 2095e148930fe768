"""The kernel's answers for callers that used to encode the rules themselves."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from aks.accounts import roles
from bodies.access import (
    Visibility,
    has_staff_rights,
    is_public,
    may,
    never_more_open,
    require_perm,
    sees_everything,
)
from bodies.models import MembershipRole
from tests.factories import BodyFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("level", "than", "expected"),
    [
        (Visibility.PUBLIC, Visibility.PUBLIC, True),
        (Visibility.MEMBERS, Visibility.PUBLIC, True),
        (Visibility.ADMIN_INTERNAL, Visibility.TEAM, True),
        (Visibility.PUBLIC, Visibility.MEMBERS, False),
        (Visibility.TEAM, Visibility.ADMIN_INTERNAL, False),
        (Visibility.CIVIL_INTERNAL, Visibility.ADMIN_INTERNAL, False),
        (Visibility.ADMIN_INTERNAL, Visibility.CIVIL_INTERNAL, False),
    ],
)
def test_a_level_is_never_more_open_than_its_parent_nor_on_the_other_side(level, than, expected):
    assert never_more_open(level, than) is expected


def test_it_calls_an_object_or_a_level_public_only_at_the_public_level():
    assert is_public(BodyFactory(visibility=Visibility.PUBLIC))
    assert not is_public(BodyFactory(visibility=Visibility.MEMBERS))
    assert is_public(Visibility.PUBLIC)
    assert not is_public(Visibility.TEAM)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda make_user: AnonymousUser(), False),
        (lambda make_user: make_user(roles.ASSOCIATION_MEMBER), False),
        (lambda make_user: make_user(roles.COUNCILLOR), False),
        (lambda make_user: make_user(roles.V_INTERN), True),
        (lambda make_user: make_user(roles.V_EXTERN), True),
        (lambda make_user: make_user(roles.V_INTERN, is_active=False), False),
        (lambda make_user: make_user(is_superuser=True), True),
        (lambda make_user: make_user(is_superuser=True, is_active=False), False),
    ],
    ids=[
        "anonymous",
        "association member",
        "councillor",
        "v-intern",
        "v-extern",
        "inactive staff",
        "superuser",
        "inactive superuser",
    ],
)
def test_staff_and_active_superusers_take_the_staff_actions_without_an_object(
    make_user, make, expected
):
    user = make(make_user)
    assert has_staff_rights(user) is expected
    assert may(user, "spaces.add_space") is expected
    assert may(user, "spaces.add_spaceneed") is expected
    assert may(user, "meetings.check_commitment") is expected


def test_any_active_account_may_report_a_vacancy(make_user):
    assert may(make_user(roles.ASSOCIATION_MEMBER), "spaces.report_vacancy")
    assert not may(make_user(roles.ASSOCIATION_MEMBER, is_active=False), "spaces.report_vacancy")
    assert not may(AnonymousUser(), "spaces.report_vacancy")


def test_it_grants_no_unknown_permission_without_an_object(make_user):
    assert not may(make_user(roles.V_INTERN), "spaces.demolish_space")


def test_only_an_active_superuser_sees_everything(make_user):
    assert sees_everything(make_user(is_superuser=True))
    assert not sees_everything(make_user(is_superuser=True, is_active=False))
    assert not sees_everything(make_user(roles.V_INTERN))
    assert not sees_everything(AnonymousUser())


def test_require_perm_refuses_with_403_what_the_user_may_not_do(make_user, member_of):
    body = BodyFactory(visibility=Visibility.PUBLIC)
    with pytest.raises(PermissionDenied):
        require_perm(make_user(roles.ASSOCIATION_MEMBER), "bodies.change_body", body)
    chair = make_user()
    member_of(chair, body, role=MembershipRole.CHAIR)
    require_perm(chair, "bodies.change_body", body)
