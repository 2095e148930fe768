"""The vote-count extension of agenda items, in the style of Popolo's ``VoteEvent``.

OParl has only a result string for an agenda item; ``gemeinwohl:voteEvents`` adds
the counts (README.md, section "OParl"). Counts are the stored result of the poll,
computed once by ``bodies.voting.tally`` when it closed; the sentence is
``bodies.voting.explain``. A poll that is not closed carries no counts: interim
numbers would sway a running vote. No ballot is ever listed, so a secret poll
shows exactly what any other poll shows: numbers, never voters.
"""

from decimal import Decimal

from django.utils import translation

from bodies import voting
from bodies.models import OptionMeaning, PollKind, PollStatus

EXTENSION_KEY = "gemeinwohl:voteEvents"

# Popolo's vocabulary for the outcome of a vote event.
PASS, FAIL = "pass", "fail"


def _number(value: Decimal | None):
    return float(value) if value is not None else None


def _counts(poll, stored: dict) -> list[dict]:
    by_pk = stored.get("counts", {})
    return [
        {
            "option": option.display_label,
            "meaning": option.meaning,
            "value": int(by_pk.get(str(option.pk), 0)),
        }
        for option in poll.options.all()
    ]


def _group_results(stored: dict) -> list[dict]:
    """Double majority: yes/no/abstain per camp (administration, civil society)."""
    groups = []
    for camp in (voting.ADMINISTRATION, voting.CIVIL_SOCIETY):
        side = stored.get("sides", {}).get(camp)
        if side is None:
            continue
        groups.append(
            {
                "group": camp,
                "label": str(voting.CAMP_LABELS[camp]),
                "counts": [
                    {"option": meaning, "value": int(side.get(meaning, 0))}
                    for meaning in (OptionMeaning.YES, OptionMeaning.NO, OptionMeaning.ABSTAIN)
                ],
                "result": PASS if side.get("yes", 0) > side.get("no", 0) else FAIL,
            }
        )
    return groups


def vote_event(poll, ctx) -> dict:
    event = {
        "identifier": str(poll.pk),
        "name": poll.title,
        "web": ctx.absolute(poll.get_absolute_url()),
        "kind": poll.kind,
        "counting": poll.counting,
        "votingUnit": poll.effective_voting_unit,
        "secret": poll.secret,
        "majority": poll.majority,
        "status": poll.status,
        "quorum": {
            key: value
            for key, value in (
                ("count", poll.quorum_count),
                ("share", _number(poll.quorum_share)),
            )
            if value is not None
        },
    }
    if poll.motion:
        event["motion"] = {"text": poll.motion}
    if poll.opened_at:
        event["startDate"] = ctx.datetime(poll.opened_at)
    if poll.kind == PollKind.ELECTION:
        event["seats"] = poll.seats
    stored = poll.result if poll.status == PollStatus.CLOSED else None
    if not stored:
        return event
    if poll.closed_at:
        event["endDate"] = ctx.datetime(poll.closed_at)
    labels = {option.pk: option.display_label for option in poll.options.all()}
    event["quorum"].update(
        required=int(stored.get("quorum_required", 0)), met=bool(stored.get("quorum_met"))
    )
    event.update(
        {
            "entitled": int(stored.get("entitled", 0)),
            "participants": int(stored.get("participants", 0)),
            "valid": int(stored.get("valid", 0)),
            "invalid": int(stored.get("invalid", 0)),
            "counts": _counts(poll, stored),
            "result": PASS if stored.get("adopted") else FAIL,
            "reason": stored.get("reason", ""),
        }
    )
    if poll.kind == PollKind.ELECTION:
        event["elected"] = [labels.get(pk, str(pk)) for pk in stored.get("elected", [])]
        event["tied"] = [labels.get(pk, str(pk)) for pk in stored.get("tied", [])]
    groups = _group_results(stored)
    if groups:
        event["groupResults"] = groups
    with translation.override("de"):
        event["resultText"] = voting.explain(
            stored, kind=poll.kind, majority=poll.majority, labels=labels
        )
    return event


def result_label(polls, decisions) -> str | None:
    """OParl's categorical ``result`` of an agenda item, in German like the data."""
    closed = [poll for poll in polls if poll.status == PollStatus.CLOSED and poll.result]
    if closed:
        poll = closed[-1]
        if poll.kind == PollKind.ELECTION:
            return "gewählt" if poll.adopted else "keine Wahl"
        if poll.kind == PollKind.APPROVAL:
            return "abgestimmt"
        return "angenommen" if poll.adopted else "abgelehnt"
    if decisions:
        return "beschlossen"
    return None
