"""Poll services: roll, casting, secrecy, analog counts, closing, decisions, elections."""

import datetime
import os
import threading
from collections import Counter

import pytest
from django.db import connection

from bodies.models import (
    Decision,
    Entitlement,
    Majority,
    Membership,
    Participation,
    PollKind,
    PollStatus,
    Vote,
    VotingUnit,
)
from bodies.services import (
    VotingError,
    cancel_poll,
    cast_vote,
    close_poll,
    create_poll,
    enter_analog_counts,
    open_poll,
    record_decision,
)
from tests.factories import BodyFactory, MembershipFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def option(poll, meaning):
    return poll.options.get(meaning=meaning).pk


@pytest.fixture
def steering(db):
    body = BodyFactory(short_name="SR")
    admin = [MembershipFactory(body=body, side="administration_internal") for _ in range(4)]
    civil = [MembershipFactory(body=body, side="civil_society") for _ in range(5)]
    return body, admin, civil


@pytest.fixture
def kernkreis(db):
    body = BodyFactory(short_name="KK", voting_unit=VotingUnit.ORGANISATION)
    groups = []
    for _ in range(5):
        group = OrganisationFactory()
        delegates = [
            MembershipFactory(body=body, role="delegate", organisation=group).person
            for _ in range(2)
        ]
        groups.append((group, delegates))
    return body, groups


def test_opening_freezes_the_roll_from_running_terms_with_a_voting_right(steering):
    body, admin, civil = steering
    MembershipFactory(body=body, voting_right=False)
    MembershipFactory(body=body, start=datetime.date(2020, 1, 1), end=datetime.date(2021, 1, 1))
    MembershipFactory(body=body, start=datetime.date.today() + datetime.timedelta(days=1))
    poll = open_poll(poll=create_poll(body=body, title="Antrag"))
    assert poll.entitlements.count() == 9
    latecomer = MembershipFactory(body=body).person
    with pytest.raises(VotingError, match="nicht stimmberechtigt"):
        cast_vote(poll=poll, person=latecomer, choices=[option(poll, "yes")])


def test_a_group_voting_body_puts_each_member_group_once_on_the_roll(kernkreis):
    body, groups = kernkreis
    poll = open_poll(poll=create_poll(body=body, title="Kampagne Mieten"))
    assert poll.entitlements.count() == 5
    assert set(poll.entitlements.values_list("organisation", flat=True)) == {
        g.pk for g, _ in groups
    }


def test_a_second_delegate_is_told_their_group_has_voted(kernkreis):
    body, groups = kernkreis
    group, (first, second) = groups[0]
    poll = open_poll(poll=create_poll(body=body, title="Kampagne Mieten"))
    cast_vote(poll=poll, person=first, choices=[option(poll, "yes")])
    with pytest.raises(VotingError) as error:
        cast_vote(poll=poll, person=second, choices=[option(poll, "no")])
    assert f"{group.name} hat in dieser Abstimmung bereits abgestimmt" in str(error.value)
    assert Vote.objects.filter(poll=poll).count() == 1


def test_a_person_votes_once_unless_the_poll_allows_changes(steering):
    body, admin, civil = steering
    person = civil[0].person
    poll = open_poll(poll=create_poll(body=body, title="Antrag"))
    cast_vote(poll=poll, person=person, choices=[option(poll, "yes")])
    with pytest.raises(VotingError, match="bereits abgestimmt"):
        cast_vote(poll=poll, person=person, choices=[option(poll, "no")])

    changeable = open_poll(poll=create_poll(body=body, title="Antrag 2", allow_change=True))
    cast_vote(poll=changeable, person=person, choices=[option(changeable, "yes")])
    cast_vote(poll=changeable, person=person, choices=[option(changeable, "no")])
    assert list(changeable.votes.values_list("choices", flat=True)) == [[option(changeable, "no")]]


@pytest.mark.parametrize(
    ("choices", "message"),
    [([], "Bitte wählen Sie eine Option"), ([999999], "unter den Optionen"), (None, "höchstens 1")],
)
def test_it_refuses_bad_choices_and_stores_nothing(steering, choices, message):
    body, admin, civil = steering
    poll = open_poll(poll=create_poll(body=body, title="Antrag"))
    if choices is None:
        choices = [option(poll, "yes"), option(poll, "no")]
    with pytest.raises(VotingError, match=message):
        cast_vote(poll=poll, person=civil[0].person, choices=choices)
    assert not poll.votes.exists()


def test_it_refuses_votes_in_draft_closed_and_cancelled_polls(steering):
    body, admin, civil = steering
    person = civil[0].person
    draft = create_poll(body=body, title="Entwurf")
    with pytest.raises(VotingError):
        cast_vote(poll=draft, person=person, choices=[option(draft, "yes")])
    closed = close_poll(poll=open_poll(poll=create_poll(body=body, title="Zu")))
    with pytest.raises(VotingError, match="nicht für die Stimmabgabe geöffnet"):
        cast_vote(poll=closed, person=person, choices=[option(closed, "yes")])
    cancelled = cancel_poll(poll=open_poll(poll=create_poll(body=body, title="Abgesagt")))
    assert cancelled.status == PollStatus.CANCELLED
    with pytest.raises(VotingError):
        cast_vote(poll=cancelled, person=person, choices=[option(cancelled, "yes")])


def test_a_secret_ballot_stores_nothing_that_links_a_voter_to_a_choice(steering):
    body, admin, civil = steering
    poll = open_poll(poll=create_poll(body=body, title="Geheim", secret=True))
    voters = [m.person for m in admin + civil]
    for i, person in enumerate(voters):
        cast_vote(poll=poll, person=person, choices=[option(poll, "yes" if i % 2 else "no")])

    # Who took part is known ...
    assert Participation.objects.filter(poll=poll).count() == len(voters)
    # ... what was chosen is known, but no vote row names a voter, a time or a roll entry,
    for vote in Vote.objects.filter(poll=poll):
        assert vote.entitlement_id is None and vote.cast_by_id is None and vote.cast_at is None
    # no column of either table points at the other,
    vote_fields = {f.name for f in Vote._meta.get_fields()}
    participation_fields = {f.name for f in Participation._meta.get_fields()}
    assert "participation" not in vote_fields and "vote" not in participation_fields
    # and the ids do not follow the order in which the votes were cast.
    assert Vote._meta.pk.get_internal_type() == "UUIDField"
    by_id = [v.pk for v in Vote.objects.filter(poll=poll).order_by("pk")]
    assert by_id != sorted(by_id, key=lambda pk: pk.int) or len(set(by_id)) == len(by_id)
    assert not any(
        f.get_internal_type() in ("DateTimeField", "DateField") and f.name != "cast_at"
        for f in Vote._meta.concrete_fields
    )
    with pytest.raises(VotingError, match="bereits abgestimmt"):
        cast_vote(poll=poll, person=voters[0], choices=[option(poll, "yes")])


def test_a_secret_poll_cannot_allow_changing_votes(steering):
    body, *_ = steering
    with pytest.raises(VotingError, match="geheimen Abstimmung"):
        create_poll(body=body, title="Geheim", secret=True, allow_change=True)


def test_closing_counts_once_and_records_a_numbered_decision(steering):
    body, admin, civil = steering
    poll = open_poll(poll=create_poll(body=body, title="Leerstand melden", motion="Wir melden."))
    for m in civil:
        cast_vote(poll=poll, person=m.person, choices=[option(poll, "yes")])
    cast_vote(poll=poll, person=admin[0].person, choices=[option(poll, "no")])
    poll = close_poll(poll=poll, decided_on=datetime.date(2026, 5, 4))
    assert poll.status == PollStatus.CLOSED and poll.adopted is True
    assert poll.result_text == "angenommen: 5 Ja, 1 Nein, 0 Enthaltungen"
    decision = poll.decision
    assert decision.number == "SR-2026-001"
    assert decision.text == "Wir melden."
    with pytest.raises(VotingError, match="Nur eine offene Abstimmung"):
        close_poll(poll=poll)


def test_decision_numbers_count_per_body_and_restart_each_year(steering):
    body, *_ = steering
    other = BodyFactory(short_name="KK")
    numbers = [
        record_decision(body=body, title="a", decided_on=datetime.date(2026, 1, 5)).number,
        record_decision(body=body, title="b", decided_on=datetime.date(2026, 2, 5)).number,
        record_decision(body=other, title="c", decided_on=datetime.date(2026, 2, 5)).number,
        record_decision(body=body, title="d", decided_on=datetime.date(2027, 1, 5)).number,
    ]
    assert numbers == ["SR-2026-001", "SR-2026-002", "KK-2026-001", "SR-2027-001"]


def test_a_rejected_motion_makes_no_decision(steering):
    body, admin, civil = steering
    poll = open_poll(poll=create_poll(body=body, title="Antrag"))
    cast_vote(poll=poll, person=civil[0].person, choices=[option(poll, "no")])
    poll = close_poll(poll=poll)
    assert poll.adopted is False
    assert not Decision.objects.exists()


def test_double_majority_closes_with_the_sides_in_the_result(steering):
    body, admin, civil = steering
    poll = open_poll(
        poll=create_poll(body=body, title="Vereinbarung", majority=Majority.DOUBLE_MAJORITY)
    )
    for m in admin[:3] + civil[:4]:
        cast_vote(poll=poll, person=m.person, choices=[option(poll, "yes")])
    for m in admin[3:] + civil[4:]:
        cast_vote(poll=poll, person=m.person, choices=[option(poll, "no")])
    poll = close_poll(poll=poll)
    assert poll.result["sides"]["administration"]["yes"] == 3
    assert "doppelte Mehrheit erreicht: Verwaltung 3:1, Zivilgesellschaft 4:1" in poll.result_text


def test_an_analog_poll_takes_counts_that_add_up(db):
    body = BodyFactory(short_name="TV")
    MembershipFactory.create_batch(103, body=body)
    poll = open_poll(poll=create_poll(body=body, title="Offene Versammlung", counting="analog"))
    yes, no, abstain = (option(poll, m) for m in ("yes", "no", "abstain"))
    with pytest.raises(VotingError, match="müssen zusammen die gültigen Stimmen"):
        enter_analog_counts(poll=poll, counts={yes: 80, no: 10, abstain: 5}, valid=100)
    with pytest.raises(VotingError, match="im Saal gezählt"):
        cast_vote(poll=poll, person=PersonFactory(), choices=[yes])
    with pytest.raises(VotingError, match="Zählung aus dem Saal"):
        close_poll(poll=poll)
    enter_analog_counts(poll=poll, counts={yes: 85, no: 10, abstain: 5}, valid=100, invalid=3)
    poll = close_poll(poll=poll)
    assert poll.adopted is True
    assert poll.result_text == "angenommen: 85 Ja, 10 Nein, 5 Enthaltungen; 3 ungültige Stimmen"


@pytest.mark.parametrize(("valid", "invalid"), [(10, 0), (9, 1), (0, 10)])
def test_it_refuses_analog_counts_beyond_the_roll_and_changes_nothing(steering, valid, invalid):
    body, admin, civil = steering  # nine on the roll
    poll = open_poll(poll=create_poll(body=body, title="Versammlung", counting="analog"))
    yes, no, abstain = (option(poll, m) for m in ("yes", "no", "abstain"))
    counts = {yes: valid, no: 0, abstain: 0}
    with pytest.raises(VotingError) as refused:
        enter_analog_counts(poll=poll, counts=counts, valid=valid, invalid=invalid)
    assert refused.value.messages == [
        "Gültige und ungültige Stimmen (zusammen 10) dürfen nicht mehr sein als die "
        "9 Stimmberechtigten."
    ]
    poll.refresh_from_db()
    assert (poll.valid_ballots, poll.invalid_ballots) == (None, None)
    assert set(poll.options.values_list("analog_count", flat=True)) == {None}


def test_it_takes_analog_counts_up_to_the_whole_roll(steering):
    body, admin, civil = steering
    poll = open_poll(poll=create_poll(body=body, title="Versammlung", counting="analog"))
    yes, no, abstain = (option(poll, m) for m in ("yes", "no", "abstain"))
    enter_analog_counts(poll=poll, counts={yes: 6, no: 1, abstain: 1}, valid=8, invalid=1)
    poll = close_poll(poll=poll)
    assert (poll.result["valid"], poll.result["invalid"]) == (8, 1)


def test_an_analog_poll_cannot_use_the_double_majority(db):
    with pytest.raises(VotingError, match="doppelte Mehrheit"):
        create_poll(
            body=BodyFactory(), title="x", counting="analog", majority=Majority.DOUBLE_MAJORITY
        )


def test_the_kernkreis_elects_its_strategy_team_for_one_year(kernkreis):
    body, groups = kernkreis
    team = BodyFactory(short_name="SFT", parent=body)
    candidates = [delegates[0] for _, delegates in groups[:3]]
    poll = open_poll(
        poll=create_poll(
            body=body,
            title="Wahl des Strategie- und Finanzteams",
            kind=PollKind.ELECTION,
            candidates=candidates,
            seats=2,
            elects_into=team,
            term_start=datetime.date(2026, 3, 1),
            term_end=datetime.date(2027, 2, 28),
        )
    )
    options = list(poll.options.order_by("position").values_list("pk", flat=True))
    ballots = [[options[0], options[1]], [options[0], options[1]], [options[0]], [options[2]]]
    for (_group, delegates), choices in zip(groups, ballots, strict=False):
        cast_vote(poll=poll, person=delegates[1], choices=choices)
    poll = close_poll(poll=poll, decided_on=datetime.date(2026, 2, 20))
    assert poll.adopted is True
    seated = Membership.objects.filter(body=team)
    assert {m.person for m in seated} == set(candidates[:2])
    assert all(m.end == datetime.date(2027, 2, 28) for m in seated)
    assert all(m.organisation is not None for m in seated)
    assert poll.decision.number == "KK-2026-001"


def test_an_election_decision_stores_the_motion_and_not_the_result_in_words(kernkreis):
    body, groups = kernkreis
    candidates = [delegates[0] for _, delegates in groups[:2]]
    poll = open_poll(
        poll=create_poll(
            body=body,
            title="Wahl der Sprecherin",
            motion="Der Kernkreis wählt eine Sprecherin.",
            kind=PollKind.ELECTION,
            candidates=candidates,
        )
    )
    first = poll.options.order_by("position").first().pk
    cast_vote(poll=poll, person=groups[0][1][1], choices=[first])
    poll = close_poll(poll=poll)
    assert poll.decision.text == "Der Kernkreis wählt eine Sprecherin."
    assert poll.result["elected"] == [first]


def test_the_migration_drops_the_german_result_from_old_election_decisions(kernkreis):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("bodies.migrations.0008_election_decisions_keep_the_motion")
    body, groups = kernkreis
    poll = open_poll(
        poll=create_poll(
            body=body,
            title="Wahl",
            motion="Der Kernkreis wählt.",
            kind=PollKind.ELECTION,
            candidates=[groups[0][1][0]],
        )
    )
    cast_vote(poll=poll, person=groups[0][1][1], choices=[poll.options.get().pk])
    poll = close_poll(poll=poll)
    old = Decision.objects.get(poll=poll)
    old.text = f"Der Kernkreis wählt.\n\n{poll.result_text}"
    old.save()
    motion_only = record_decision(
        body=body, title="Ohne Wahl", text="Gewählt wird später.", decided_on=old.decided_on
    )
    migration.drop_the_stored_election_result(apps, None)
    old.refresh_from_db()
    motion_only.refresh_from_db()
    assert old.text == "Der Kernkreis wählt."
    assert motion_only.text == "Gewählt wird später."


def test_an_election_needs_candidates_for_its_seats(db):
    with pytest.raises(VotingError, match="weniger Kandidierende als Sitze"):
        create_poll(
            body=BodyFactory(),
            title="Wahl",
            kind=PollKind.ELECTION,
            candidates=[PersonFactory()],
            seats=2,
        )


def test_an_approval_poll_ranks_topics_and_decides_nothing(steering):
    body, admin, civil = steering
    poll = open_poll(
        poll=create_poll(
            body=body,
            title="Themen 2027",
            kind=PollKind.APPROVAL,
            options=["Leerstand", "Erbbaurecht", "Kooperation"],
        )
    )
    pks = list(poll.options.order_by("position").values_list("pk", flat=True))
    cast_vote(poll=poll, person=civil[0].person, choices=pks[:2])
    cast_vote(poll=poll, person=civil[1].person, choices=[pks[1]])
    poll = close_poll(poll=poll)
    assert poll.result["ranking"][0] == [pks[1], 2]
    assert poll.result_text.startswith("Rangfolge: Erbbaurecht 2")
    assert not Decision.objects.exists()


def _needs_postgresql():
    if connection.vendor != "postgresql":
        reason = "the concurrency test needs PostgreSQL (set DATABASE_URL)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("secret", [False, True])
def test_200_concurrent_casts_store_exactly_one_vote_per_group(secret):
    _needs_postgresql()
    body = BodyFactory(voting_unit=VotingUnit.ORGANISATION)
    groups = []
    for _ in range(80):
        group = OrganisationFactory()
        delegates = [
            MembershipFactory(body=body, role="delegate", organisation=group).person
            for _ in range(2)
        ]
        groups.append((group, delegates))
    poll = open_poll(poll=create_poll(body=body, title="Gleichzeitig", secret=secret))
    yes, no = option(poll, "yes"), option(poll, "no")
    # 160 delegates once, and 40 of them a second time: 200 casts at the same moment.
    attempts = [(d, yes if i % 3 else no) for i, (_, ds) in enumerate(groups) for d in ds]
    attempts += attempts[:40]
    barrier = threading.Barrier(len(attempts))
    accepted: list = []
    refused: list = []
    unexpected: list = []

    def cast(person, choice):
        try:
            barrier.wait()
            cast_vote(poll=poll, person=person, choices=[choice])
            accepted.append(choice)
        except VotingError:
            refused.append(person)
        except Exception as exc:  # noqa: BLE001 - reported below
            unexpected.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=cast, args=a) for a in attempts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert unexpected == []
    assert len(accepted) == 80 and len(refused) == 120
    assert Vote.objects.filter(poll=poll).count() == 80
    if secret:
        assert Participation.objects.filter(poll=poll).count() == 80
    else:
        assert Vote.objects.filter(poll=poll).values("entitlement").distinct().count() == 80
    assert Entitlement.objects.filter(poll=poll).count() == 80
    stored = Counter(c[0] for c in Vote.objects.filter(poll=poll).values_list("choices", flat=True))
    assert stored == Counter(accepted)
    poll = close_poll(poll=poll)
    assert (poll.result["yes"], poll.result["no"]) == (stored[yes], stored[no])
