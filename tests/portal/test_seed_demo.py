import pytest
from django.core.management import call_command

from aks.accounts import roles
from aks.accounts.models import User
from bodies.models import Body, BodyKind, Membership, Side, VotingUnit


@pytest.mark.django_db
def test_seed_demo_builds_the_structures_of_the_seeds_and_is_idempotent(capsys):
    call_command("seed_demo")
    counts = (User.objects.count(), Body.objects.count(), Membership.objects.count())
    call_command("seed_demo")
    assert (User.objects.count(), Body.objects.count(), Membership.objects.count()) == counts

    output = capsys.readouterr().out
    for role in roles.ALL:
        assert User.objects.filter(groups__name=role).exists()
        assert role in output

    team = Body.objects.get(kind=BodyKind.TEAM, slug="aks-team")
    sides = list(team.memberships.active().values_list("side", flat=True))
    assert sides.count(Side.ADMINISTRATION_INTERNAL) == 2
    assert sides.count(Side.ADMINISTRATION_EXTERNAL) == 3

    kernkreis = Body.objects.get(kind=BodyKind.CORE_CIRCLE)
    assert kernkreis.voting_unit == VotingUnit.ORGANISATION
    groups = set(
        kernkreis.memberships.active()
        .filter(voting_right=True)
        .values_list("organisation", flat=True)
    )
    assert len(groups) >= 5 and None not in groups

    strategy = Body.objects.get(kind=BodyKind.STRATEGY_TEAM)
    assert strategy.parent == kernkreis
    for membership in strategy.memberships.active():
        assert membership.end is not None
        assert (membership.end - membership.start).days in (364, 365)

    for kind in (BodyKind.STEERING, BodyKind.ASSOCIATION, BodyKind.WORKING_GROUP):
        assert Body.objects.filter(kind=kind).exists()


@pytest.mark.django_db
def test_seed_demo_holds_the_three_kinds_of_vote_of_the_seeds():
    from bodies.models import Counting, Majority, Poll, PollStatus

    call_command("seed_demo")
    call_command("seed_demo")
    kernkreis = Poll.objects.get(body__slug="kernkreis", status=PollStatus.CLOSED)
    assert kernkreis.entitlements.count() == 5
    groups = set(kernkreis.votes.values_list("entitlement__organisation", flat=True))
    assert len(groups) == 5
    steering = Poll.objects.get(majority=Majority.DOUBLE_MAJORITY)
    assert steering.adopted and "doppelte Mehrheit erreicht" in steering.result_text
    assembly = Poll.objects.get(counting=Counting.ANALOG)
    assert assembly.adopted and assembly.result["invalid"] == 2
    assert Poll.objects.filter(status=PollStatus.OPEN).exists()
    assert Poll.objects.count() == 4


@pytest.mark.django_db
def test_seed_demo_holds_the_meetings_of_the_seeds():
    from meetings.models import (
        AgendaItem,
        Commitment,
        GuidingQuestion,
        Meeting,
        MeetingKind,
        MinutesStatus,
    )

    call_command("seed_demo")
    call_command("seed_demo")
    jour_fixe = Meeting.objects.filter(kind=MeetingKind.JOUR_FIXE)
    assert jour_fixe.filter(minutes__status=MinutesStatus.APPROVED).count() >= 2
    assert jour_fixe.filter(agenda_items__title="Bericht aus der Steuerungsrunde").exists()
    ag1 = Meeting.objects.get(body__slug="ag1")
    assert GuidingQuestion.objects.filter(meeting=ag1).count() == 3
    assert AgendaItem.objects.filter(meeting=ag1, visibility="admin_internal").exists()
    assert ag1.visibility == "public"
    assert set(Commitment.objects.values_list("status", flat=True)) >= {"kept", "broken"}
    assert Meeting.objects.filter(kind=MeetingKind.ASSEMBLY, body__slug="traegerverein").exists()
