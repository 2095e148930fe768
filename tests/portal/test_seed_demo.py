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
    assert assembly.adopted and assembly.result["invalid"] == 1
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


def _later(monkeypatch, days):
    """Move the platform's clock (``timezone.now`` and all that reads it) ``days`` ahead."""
    import datetime

    from django.utils import timezone

    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + datetime.timedelta(days=days))


@pytest.mark.django_db
@pytest.mark.parametrize("days_ahead", [0, 100, 365])
def test_the_demo_is_alive_on_any_day_it_is_seeded(monkeypatch, days_ahead):
    from django.utils import timezone

    from bodies.demo import DEMO_DELEGATE
    from bodies.models import MembershipRole
    from meetings import selectors
    from meetings.models import CommitmentStatus, Meeting, MeetingKind

    _later(monkeypatch, days_ahead)
    call_command("seed_demo")
    now = timezone.now()

    assembly = Meeting.objects.get(
        body__slug="traegerverein", kind=MeetingKind.ASSEMBLY, start__gt=now
    )
    assert assembly.agenda_items.exists()
    next_jour_fixe = (
        Meeting.objects.filter(kind=MeetingKind.JOUR_FIXE, start__gt=now).order_by("start").first()
    )
    assert next_jour_fixe is not None and next_jour_fixe.agenda_items.count() > 1
    councillor = User.objects.get(groups__name=roles.COUNCILLOR).person
    assert councillor in next_jour_fixe.participants.all()
    assert next_jour_fixe.attendances.filter(person=councillor).exists()
    assert Meeting.objects.filter(kind=MeetingKind.JOUR_FIXE, start__lt=now).exists()
    upcoming_events = Meeting.objects.filter(kind=MeetingKind.PUBLIC_EVENT, start__gt=now)
    assert upcoming_events.count() == 2

    tracked = {c.status for c in selectors.public_commitments()}
    assert {CommitmentStatus.KEPT, CommitmentStatus.BROKEN, CommitmentStatus.IN_PROGRESS} <= tracked

    delegate = User.objects.get(email=DEMO_DELEGATE[0])
    assert delegate.check_password("gemeinwohl-demo")
    membership = delegate.person.memberships.active().get(body__slug="kernkreis")
    assert membership.role == MembershipRole.DELEGATE and membership.organisation is not None

    past_events = Meeting.objects.filter(kind=MeetingKind.PUBLIC_EVENT, start__lt=now)
    slides = [d for m in past_events for d in m.event_documents.all()]
    assert slides and all(d.file.read(5) == b"%PDF-" for d in slides)

    # The members of the bodies are in their term on that day, so the polls have voters.
    team = Body.objects.get(slug="aks-team")
    assert team.memberships.active().count() == 5


@pytest.mark.django_db
def test_decision_numbers_rise_with_their_dates():
    from bodies.models import Decision

    call_command("seed_demo")
    decisions = list(Decision.objects.order_by("body_id", "year", "sequence"))
    assert decisions
    for body_id in {d.body_id for d in decisions}:
        for year in {d.year for d in decisions if d.body_id == body_id}:
            numbered = [d for d in decisions if d.body_id == body_id and d.year == year]
            dates = [d.decided_on for d in numbered]
            assert dates == sorted(dates), f"{numbered[0].body}: {[str(d) for d in numbered]}"
            assert all(d.decided_on.year == year for d in numbered)


@pytest.mark.django_db
def test_running_the_demo_again_weeks_later_adds_nothing_twice(monkeypatch):
    from bodies.models import Decision, Poll
    from meetings.models import Commitment, EventDocument, Meeting, MeetingKind, Registration
    from spaces.models import Space, SpaceStatusChange

    call_command("seed_demo")
    kept = (User, Body, Membership, Poll, Commitment, Registration, EventDocument)
    kept += (Space, SpaceStatusChange)
    before = {model: model.objects.count() for model in kept}
    others = Meeting.objects.exclude(kind=MeetingKind.JOUR_FIXE).count()

    _later(monkeypatch, 40)
    call_command("seed_demo")

    assert {model: model.objects.count() for model in kept} == before
    assert Meeting.objects.exclude(kind=MeetingKind.JOUR_FIXE).count() == others
    # The Jour-Fixe moves on (the minutes of meetings now past are approved by the next),
    # and its series is only kept ahead: each month once, each approval once.
    titles = list(Decision.objects.values_list("body_id", "title"))
    assert len(titles) == len(set(titles))
    starts = list(
        Meeting.objects.filter(kind=MeetingKind.JOUR_FIXE).values_list("start", flat=True)
    )
    assert len(starts) == len(set(starts))
