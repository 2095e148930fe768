"""seed_bulk writes a synthetic district of the asked size, at every visibility level."""

import pytest
from django.core.management import CommandError, call_command

from aks.portal.bulk import Plan
from bodies.access import Visibility
from bodies.models import Body, Decision, Entitlement, Membership, Person, Poll, Vote
from meetings.models import AgendaItem, Meeting, MinuteEntry, Minutes, MinuteSection
from spaces.models import Space

pytestmark = pytest.mark.django_db(transaction=False)

SCALE = 0.002


@pytest.fixture
def district():
    call_command("seed_bulk", scale=SCALE, verbosity=0)
    return Plan.for_scale(SCALE)


def test_it_writes_the_counts_of_the_scale(district):
    assert Body.objects.count() == district["bodies"]
    assert Person.objects.count() == district["persons"]
    assert Membership.objects.count() == district["memberships"]
    assert Meeting.objects.count() == district["meetings"]
    assert AgendaItem.objects.count() == district["agenda_items"]
    assert MinuteEntry.objects.count() == district["minute_entries"]
    assert Space.objects.count() == district["spaces"]
    assert Poll.objects.count() == district["polls"]
    assert Vote.objects.count() == district["votes"]


def test_scale_one_is_the_district_of_the_issue():
    plan = Plan.for_scale(1)
    assert (plan["bodies"], plan["persons"], plan["memberships"]) == (200, 5_000, 20_000)
    assert (plan["meetings"], plan["agenda_items"], plan["minute_entries"]) == (
        10_000,
        100_000,
        300_000,
    )
    assert (plan["spaces"], plan["polls"], plan["votes"]) == (2_000, 1_000, 50_000)


@pytest.mark.parametrize(
    "model", [Body, Meeting, AgendaItem, Minutes, MinuteEntry, Space, Poll, Decision]
)
def test_it_uses_every_visibility_level(district, model):
    levels = set(model.objects.values_list("visibility", flat=True))
    if model is Decision:  # only adopted polls become decisions: a tiny run has few
        assert levels and levels <= set(Visibility.values)
    else:
        assert levels == set(Visibility.values)


def test_it_keeps_the_models_rules(district):
    # One roll entry and at most one ballot per voter; recommendations carry a level.
    assert Vote.objects.filter(entitlement__isnull=False).count() <= Entitlement.objects.count()
    assert not MinuteEntry.objects.filter(section=MinuteSection.RECOMMENDATION, level="").exists()
    assert (
        not MinuteEntry.objects.exclude(section=MinuteSection.RECOMMENDATION)
        .exclude(level="")
        .exists()
    )
    secret = Poll.objects.filter(secret=True).first()
    assert secret is not None
    assert not secret.votes.exclude(entitlement=None).exists()
    assert secret.participations.count() == secret.votes.count()


def test_it_refuses_a_second_run_unless_forced(district):
    with pytest.raises(CommandError):
        call_command("seed_bulk", scale=SCALE, verbosity=0)
    call_command("seed_bulk", scale=SCALE, force=True, verbosity=0)
    assert Meeting.objects.count() == 2 * district["meetings"]
    # New rows after a bulk run get fresh ids: the sequences moved past the bulk ones.
    assert Body.objects.create(name="Neu", short_name="NEU", slug="neu", kind="team").pk


def test_its_text_is_found_by_the_search(client, district):
    response = client.get("/suche/", {"q": "Kooperation"})
    assert response.status_code == 200
