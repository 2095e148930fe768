"""Counting rules: pure functions, every majority and edge case."""

from decimal import Decimal

import pytest
from django.utils import translation

from bodies.models import Majority, PollKind, Side
from bodies.voting import Ballot, Option, Rules, explain, tally

YES, NO, ABSTAIN = 1, 2, 3
MOTION = [Option(YES, "yes", "yes"), Option(NO, "no", "no"), Option(ABSTAIN, "abstain", "abstain")]
ADMIN, CIVIL, EXTERN, POLITICS = (
    Side.ADMINISTRATION_INTERNAL,
    Side.CIVIL_SOCIETY,
    Side.ADMINISTRATION_EXTERNAL,
    Side.POLITICS,
)


def ballots(yes=0, no=0, abstain=0, side=CIVIL):
    return (
        [Ballot((YES,), side)] * yes
        + [Ballot((NO,), side)] * no
        + [Ballot((ABSTAIN,), side)] * abstain
    )


def motion(majority, votes, entitled=20, **quorum):
    rules = Rules(kind=PollKind.YES_NO_ABSTAIN, majority=majority, **quorum)
    return tally(rules=rules, options=MOTION, entitled=entitled, ballots=votes)


@pytest.mark.parametrize(
    ("majority", "yes", "no", "abstain", "adopted", "reason"),
    [
        (Majority.SIMPLE, 3, 2, 9, True, "majority"),
        (Majority.SIMPLE, 2, 3, 0, False, "majority"),
        (Majority.SIMPLE, 3, 3, 1, False, "tie"),
        (Majority.ABSOLUTE, 6, 2, 4, False, "majority"),  # 6 of 12 is not more than half
        (Majority.ABSOLUTE, 7, 2, 4, True, "majority"),
        (Majority.TWO_THIRDS, 4, 2, 5, True, "majority"),  # exactly two thirds of yes+no
        (Majority.TWO_THIRDS, 5, 3, 0, False, "majority"),
        (Majority.CONSENSUS, 9, 0, 3, True, "consensus"),
        (Majority.CONSENSUS, 9, 1, 0, False, "objection"),
        (Majority.CONSENSUS, 0, 0, 4, False, "no_yes"),
    ],
)
def test_motion_majorities(majority, yes, no, abstain, adopted, reason):
    result = motion(majority, ballots(yes, no, abstain))
    assert (result["adopted"], result["reason"]) == (adopted, reason)
    assert (result["yes"], result["no"], result["abstain"]) == (yes, no, abstain)


def test_an_empty_poll_is_rejected_because_no_one_voted():
    result = motion(Majority.SIMPLE, [])
    assert (result["adopted"], result["reason"]) == (False, "no_votes")


def test_an_unmet_quorum_count_rejects_even_a_unanimous_motion():
    result = motion(Majority.SIMPLE, ballots(4), quorum_count=5)
    assert (result["adopted"], result["reason"], result["quorum_required"]) == (False, "quorum", 5)


def test_a_quorum_share_rounds_up_and_counts_abstentions_as_present():
    result = motion(Majority.SIMPLE, ballots(3, 1, 3), entitled=13, quorum_share=Decimal("0.5"))
    assert result["quorum_required"] == 7
    assert result["adopted"] is True


def test_double_majority_needs_both_camps_and_the_whole():
    votes = (
        ballots(3, 1, side=ADMIN)
        + ballots(2, 1, side=CIVIL)
        + ballots(2, 0, side=EXTERN)
        + ballots(0, 1, 1, side=POLITICS)
    )
    result = motion(Majority.DOUBLE_MAJORITY, votes)
    assert result["adopted"] is True
    assert result["sides"]["administration"] == {"yes": 3, "no": 1, "abstain": 0}
    assert result["sides"]["civil_society"] == {"yes": 4, "no": 1, "abstain": 0}
    with translation.override("de"):
        text = explain(
            result, kind=PollKind.YES_NO_ABSTAIN, majority=Majority.DOUBLE_MAJORITY, labels={}
        )
    assert text == (
        "angenommen: 7 Ja, 3 Nein, 1 Enthaltung; "
        "doppelte Mehrheit erreicht: Verwaltung 3:1, Zivilgesellschaft 4:1"
    )


def test_double_majority_fails_when_one_camp_says_no_although_the_whole_says_yes():
    votes = ballots(9, 1, side=CIVIL) + ballots(1, 2, side=ADMIN)
    result = motion(Majority.DOUBLE_MAJORITY, votes)
    assert (result["adopted"], result["reason"]) == (False, "side:administration")
    with translation.override("de"):
        text = explain(
            result, kind=PollKind.YES_NO_ABSTAIN, majority=Majority.DOUBLE_MAJORITY, labels={}
        )
    assert "doppelte Mehrheit nicht erreicht: Verwaltung 1:2, Zivilgesellschaft 9:1" in text


def test_double_majority_with_a_tied_camp_is_not_reached():
    votes = ballots(5, 0, side=CIVIL) + ballots(1, 1, side=ADMIN)
    assert motion(Majority.DOUBLE_MAJORITY, votes)["reason"] == "side:administration"


def test_analog_counts_decide_like_ballots_and_invalid_ballots_count_for_the_quorum():
    rules = Rules(kind=PollKind.YES_NO_ABSTAIN, majority=Majority.SIMPLE, quorum_count=100)
    result = tally(
        rules=rules,
        options=MOTION,
        entitled=300,
        analog_counts={YES: 61, NO: 30, ABSTAIN: 5},
        valid=96,
        invalid=4,
    )
    assert result["participants"] == 100
    assert result["adopted"] is True
    with translation.override("de"):
        text = explain(result, kind=PollKind.YES_NO_ABSTAIN, majority=Majority.SIMPLE, labels={})
    assert text == "angenommen: 61 Ja, 30 Nein, 5 Enthaltungen; 4 ungültige Stimmen"


CANDIDATES = [
    Option(10, "Amira", "choice"),
    Option(11, "Bernd", "choice"),
    Option(12, "Carla", "choice"),
    Option(13, "Dorothee", "choice"),
]


def election(votes, seats=2, majority=Majority.SIMPLE):
    rules = Rules(kind=PollKind.ELECTION, majority=majority, seats=seats)
    return tally(
        rules=rules, options=CANDIDATES, entitled=10, ballots=[Ballot(tuple(v)) for v in votes]
    )


def test_an_election_fills_the_seats_with_the_most_votes():
    result = election([(10, 11), (10, 12), (10, 11), (13,)])
    assert result["elected"] == [10, 11]
    assert result["adopted"] is True
    assert result["tied"] == []


def test_a_tie_for_the_last_seat_needs_a_run_off():
    result = election([(10, 11), (10, 12), (13,)])
    assert result["elected"] == [10]
    assert sorted(result["tied"]) == [11, 12, 13]
    assert result["adopted"] is False
    with translation.override("de"):
        labels = {o.pk: o.label for o in CANDIDATES}
        text = explain(result, kind=PollKind.ELECTION, majority=Majority.SIMPLE, labels=labels)
    assert text.startswith("gewählt: Amira")
    assert "Stichwahl" in text


def test_an_absolute_majority_election_elects_only_those_above_half():
    result = election([(10,), (10,), (11,), (12,)], seats=1, majority=Majority.ABSOLUTE)
    assert result["elected"] == []
    assert result["adopted"] is False


def test_an_approval_poll_ranks_the_options_and_adopts_nothing():
    rules = Rules(kind=PollKind.APPROVAL, majority=Majority.SIMPLE)
    result = tally(
        rules=rules,
        options=CANDIDATES,
        entitled=5,
        ballots=[Ballot((12, 13)), Ballot((12,)), Ballot((10, 12, 13))],
    )
    assert result["ranking"][:2] == [[12, 3], [13, 2]]
    assert result["adopted"] is None
