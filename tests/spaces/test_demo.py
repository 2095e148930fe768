"""The demo spaces: a dozen in Friedrichshain-Kreuzberg across the whole lifecycle."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from aks.accounts import roles
from bodies.access import Visibility
from bodies.demo import seed_bodies
from bodies.models import Decision
from spaces.demo import seed_spaces
from spaces.matching import spaces_for_need
from spaces.models import (
    ALLOWED_TRANSITIONS,
    OwnerKind,
    Space,
    SpaceNeed,
    SpaceStatus,
    SpaceStatusChange,
)
from spaces.selectors import visible_spaces


@pytest.fixture
def demo(db):
    seed_bodies()
    seed_spaces()


def test_seeding_twice_changes_nothing(demo):
    counts = (
        Space.objects.count(),
        SpaceStatusChange.objects.count(),
        SpaceNeed.objects.count(),
        Decision.objects.count(),
    )
    assert seed_spaces()["spaces"] >= 12
    assert counts == (
        Space.objects.count(),
        SpaceStatusChange.objects.count(),
        SpaceNeed.objects.count(),
        Decision.objects.count(),
    )


def test_the_demo_covers_every_status_in_friedrichshain_kreuzberg(demo):
    spaces = list(Space.objects.all())
    assert len(spaces) >= 12
    assert {s.status for s in spaces} == set(SpaceStatus.values)
    for space in spaces:
        assert Decimal("52.48") <= space.latitude <= Decimal("52.53"), space
        assert Decimal("13.38") <= space.longitude <= Decimal("13.48"), space
        assert space.postcode.startswith("10")


def test_every_demo_history_walks_the_transition_table(demo):
    for space in Space.objects.prefetch_related("status_changes"):
        steps = list(space.status_changes.order_by("changed_at", "pk"))
        assert steps[0].from_status == "" and steps[0].to_status == SpaceStatus.REPORTED
        for before, after in zip(steps, steps[1:], strict=False):
            assert after.from_status == before.to_status
            assert after.to_status in ALLOWED_TRANSITIONS[after.from_status]
            assert after.changed_at > before.changed_at
        assert steps[-1].to_status == space.status


def test_the_bicycle_shop_is_a_joint_presence_in_interim_use(demo):
    shop = Space.objects.get(name__icontains="Fahrradladen")
    assert shop.status == SpaceStatus.INTERIM_USE
    assert shop.owner_kind == OwnerKind.BIM
    assert shop.instruments.filter(slug="zwischennutzung").exists()
    assert shop.current_user_organisation is not None
    assert shop.status_changes.filter(decision__isnull=False).exists()


def test_one_contested_public_property_hides_its_owner_from_civil_society(demo, make_user):
    contested = Space.objects.get(
        contested=True, owner_kind=OwnerKind.BIM, owner_visibility=Visibility.ADMIN_INTERNAL
    )
    assert contested.visibility == Visibility.PUBLIC
    (shown,) = [s for s in visible_spaces(make_user(roles.V_EXTERN)) if s.pk == contested.pk]
    assert shown.owner_organisation is None and not shown.owner_visible
    (shown,) = [s for s in visible_spaces(make_user(roles.V_INTERN)) if s.pk == contested.pk]
    assert shown.owner_organisation is not None and shown.owner_visible


def test_two_demo_needs_each_find_spaces(demo):
    needs = list(SpaceNeed.objects.all())
    assert len(needs) == 2
    for need in needs:
        matches = spaces_for_need(need, None)
        assert matches, need
        assert matches[0].score >= 3


def test_seed_demo_prints_the_space_counts(db, capsys):
    call_command("seed_demo")
    assert "spaces" in capsys.readouterr().out
