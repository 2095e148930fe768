"""The ``gemeinwohl:voteEvents`` extension: counts of public polls on public items."""

import pytest

from bodies import services
from bodies.access import Visibility
from bodies.models import Majority, Side, VotingUnit
from meetings.models import AgendaItem
from tests.factories import BodyFactory, MembershipFactory, OrganisationFactory
from tests.meetings.factories import MeetingFactory

KEY = "gemeinwohl:voteEvents"


def _vote(poll, ballots):
    poll = services.open_poll(poll=poll)
    for membership, meaning in ballots:
        option = poll.options.get(meaning=meaning)
        services.cast_vote(
            poll=poll,
            person=membership.person,
            choices=[option.pk],
            organisation=membership.organisation,
        )
    return services.close_poll(poll=poll)


@pytest.fixture
def item(db):
    body = BodyFactory()
    meeting = MeetingFactory(body=body)
    return AgendaItem.objects.create(meeting=meeting, title="Abstimmung", position=1)


def _events(api, item):
    return api(f"/oparl/v1/agendaitem/{item.pk}/").get(KEY, [])


def test_it_gives_counts_per_option_and_per_side_for_a_double_majority(api, item):
    body = item.meeting.body
    admin = [MembershipFactory(body=body, side=Side.ADMINISTRATION_INTERNAL) for _ in range(2)]
    civil = [MembershipFactory(body=body, side=Side.CIVIL_SOCIETY) for _ in range(3)]
    poll = services.create_poll(
        body=body,
        title="Doppelte Mehrheit",
        majority=Majority.DOUBLE_MAJORITY,
        quorum_count=3,
        visibility=Visibility.PUBLIC,
    )
    poll = _vote(
        poll,
        [(admin[0], "yes"), (admin[1], "no"), (civil[0], "yes"), (civil[1], "yes")],
    )
    item.polls.add(poll)
    data = api(f"/oparl/v1/agendaitem/{item.pk}/")
    (event,) = data[KEY]
    assert event["majority"] == "double_majority"
    assert event["kind"] == "yes_no_abstain"
    assert event["quorum"] == {"count": 3, "required": 3, "met": True}
    assert {c["meaning"]: c["value"] for c in event["counts"]} == {"yes": 3, "no": 1, "abstain": 0}
    assert (event["entitled"], event["participants"]) == (5, 4)
    sides = {g["group"]: g for g in event["groupResults"]}
    assert {c["option"]: c["value"] for c in sides["administration"]["counts"]} == {
        "yes": 1,
        "no": 1,
        "abstain": 0,
    }
    assert sides["administration"]["result"] == "fail"
    assert sides["civil_society"]["result"] == "pass"
    # Yes outweighs no overall, but not on the administration side.
    assert event["result"] == "fail" and event["reason"] == "side:administration"
    assert data["result"] == "abgelehnt"
    assert event["resultText"].startswith("abgelehnt: 3 Ja"), event["resultText"]


def test_it_never_names_the_voters_of_a_secret_ballot(api, item):
    body = item.meeting.body
    voters = [MembershipFactory(body=body) for _ in range(3)]
    poll = services.create_poll(
        body=body, title="Geheime Wahl", secret=True, visibility=Visibility.PUBLIC
    )
    poll = _vote(poll, [(voters[0], "yes"), (voters[1], "yes"), (voters[2], "no")])
    item.polls.add(poll)
    text = api(f"/oparl/v1/agendaitem/{item.pk}/", raw=True)
    (event,) = _events(api, item)
    assert event["secret"] is True
    assert {c["meaning"]: c["value"] for c in event["counts"]}["yes"] == 2
    for membership in voters:
        assert membership.person.name not in text
        assert f"/person/{membership.person_id}/" not in text


def test_it_counts_member_groups_in_a_body_that_votes_per_group(api, item):
    body = item.meeting.body
    body.voting_unit = VotingUnit.ORGANISATION
    body.save()
    groups = [OrganisationFactory() for _ in range(2)]
    delegates = [
        MembershipFactory(body=body, role="delegate", organisation=group) for group in groups
    ]
    poll = services.create_poll(body=body, title="Kernkreis", visibility=Visibility.PUBLIC)
    poll = _vote(poll, [(delegates[0], "yes"), (delegates[1], "abstain")])
    item.polls.add(poll)
    (event,) = _events(api, item)
    assert event["votingUnit"] == "organisation"
    assert (event["entitled"], event["participants"]) == (2, 2)
    assert event["result"] == "pass"


def test_it_takes_analog_counts_from_the_room(api, item):
    body = item.meeting.body
    MembershipFactory.create_batch(46, body=body)  # the roll: enough hands for the counts
    poll = services.create_poll(
        body=body, title="Saal", counting="analog", visibility=Visibility.PUBLIC
    )
    poll = services.open_poll(poll=poll)
    counts = {o.pk: n for o, n in zip(poll.options.order_by("position"), (40, 3, 2), strict=True)}
    services.enter_analog_counts(poll=poll, counts=counts, valid=45, invalid=1)
    poll = services.close_poll(poll=poll)
    item.polls.add(poll)
    (event,) = _events(api, item)
    assert event["counting"] == "analog"
    assert (event["valid"], event["invalid"]) == (45, 1)
    assert sorted(c["value"] for c in event["counts"]) == [2, 3, 40]


def test_it_shows_no_counts_while_a_poll_is_open_and_nothing_of_a_members_poll(api, item):
    body = item.meeting.body
    voter = MembershipFactory(body=body)
    running = services.open_poll(
        poll=services.create_poll(body=body, title="Läuft", visibility=Visibility.PUBLIC)
    )
    services.cast_vote(
        poll=running, person=voter.person, choices=[running.options.get(meaning="yes").pk]
    )
    internal = services.create_poll(body=body, title="Nur Mitglieder GEHEIM")
    item.polls.add(running, internal)
    text = api(f"/oparl/v1/agendaitem/{item.pk}/", raw=True)
    assert "GEHEIM" not in text
    (event,) = _events(api, item)
    assert event["status"] == "open"
    assert "counts" not in event and "result" not in event
