"""Counting a poll: pure functions over ballots, no database.

``tally`` turns the options, the ballots (or analog counts) and the roll of those
entitled into a result dictionary that is stored once, when the poll closes;
``explain`` says in words (German by default) what the result means.
"""

import math
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from .models import Majority, OptionMeaning, PollKind, Side

# The two camps of the double majority. Politics (district council, the
# councillor) counts in the overall majority only.
ADMINISTRATION = "administration"
CIVIL_SOCIETY = "civil_society"
CAMP_OF_SIDE = {
    Side.ADMINISTRATION_INTERNAL: ADMINISTRATION,
    Side.ADMINISTRATION_EXTERNAL: CIVIL_SOCIETY,
    Side.CIVIL_SOCIETY: CIVIL_SOCIETY,
}


@dataclass(frozen=True)
class Option:
    pk: int
    label: str
    meaning: str


@dataclass(frozen=True)
class Ballot:
    choices: tuple[int, ...]
    side: str = ""


@dataclass(frozen=True)
class Rules:
    kind: str
    majority: str
    seats: int = 1
    quorum_count: int | None = None
    quorum_share: Decimal | None = None


def required_quorum(rules: Rules, entitled: int) -> int:
    required = rules.quorum_count or 0
    if rules.quorum_share:
        required = max(required, math.ceil(Decimal(entitled) * rules.quorum_share))
    return required


def _motion_counts(options, counts: Counter) -> dict[str, int]:
    by_meaning = {"yes": 0, "no": 0, "abstain": 0}
    for option in options:
        if option.meaning in by_meaning:
            by_meaning[option.meaning] += counts.get(option.pk, 0)
    return by_meaning


def _simple(yes: int, no: int) -> bool:
    return yes > no


def tally(
    *,
    rules: Rules,
    options: list[Option],
    entitled: int,
    ballots: list[Ballot] | None = None,
    analog_counts: dict[int, int] | None = None,
    valid: int | None = None,
    invalid: int = 0,
) -> dict:
    """Count and decide. Electronic polls pass ``ballots``; analog ones their counts."""
    counts: Counter = Counter()
    sides: dict[str, Counter] = {ADMINISTRATION: Counter(), CIVIL_SOCIETY: Counter()}
    meaning_of = {option.pk: option.meaning for option in options}
    if analog_counts is not None:
        counts.update({pk: n for pk, n in analog_counts.items() if n})
        participants = (valid or 0) + invalid
        valid_count = valid or 0
    else:
        ballots = ballots or []
        for ballot in ballots:
            counts.update(ballot.choices)
            camp = CAMP_OF_SIDE.get(ballot.side)
            if camp:
                for choice in ballot.choices:
                    sides[camp][meaning_of.get(choice, "")] += 1
        participants = len(ballots)
        valid_count = len(ballots)

    result: dict = {
        "counts": {str(option.pk): counts.get(option.pk, 0) for option in options},
        "participants": participants,
        "valid": valid_count,
        "invalid": invalid,
        "entitled": entitled,
        "quorum_required": required_quorum(rules, entitled),
        "adopted": None,
        "reason": "",
        "elected": [],
        "tied": [],
    }
    result["quorum_met"] = participants >= result["quorum_required"]

    if rules.kind in (PollKind.YES_NO_ABSTAIN, PollKind.YES_NO):
        motion = _motion_counts(options, counts)
        result.update(motion)
        if rules.majority == Majority.DOUBLE_MAJORITY:
            result["sides"] = {
                camp: {"yes": c["yes"], "no": c["no"], "abstain": c["abstain"]}
                for camp, c in sides.items()
            }
        result["adopted"], result["reason"] = _decide_motion(rules, result)
    else:
        ranking = sorted(
            ((pk, counts.get(pk, 0)) for pk in (option.pk for option in options)),
            key=lambda item: -item[1],
        )
        result["ranking"] = [[pk, n] for pk, n in ranking]
        if rules.kind == PollKind.ELECTION:
            result["elected"], result["tied"], result["reason"] = _elect(rules, ranking, result)
            result["adopted"] = bool(result["elected"]) and not result["tied"]
        elif not result["quorum_met"]:
            result["reason"] = "quorum"
    return result


def _decide_motion(rules: Rules, result: dict) -> tuple[bool, str]:
    yes, no, abstain = result["yes"], result["no"], result["abstain"]
    if result["participants"] == 0:
        return False, "no_votes"
    if not result["quorum_met"]:
        return False, "quorum"
    if rules.majority == Majority.CONSENSUS:
        if no:
            return False, "objection"
        return (True, "consensus") if yes else (False, "no_yes")
    if yes == no:
        return False, "tie"
    if rules.majority == Majority.SIMPLE:
        return (True, "majority") if _simple(yes, no) else (False, "majority")
    if rules.majority == Majority.ABSOLUTE:
        # More than half of the valid votes, abstentions included.
        return (True, "majority") if 2 * yes > yes + no + abstain else (False, "majority")
    if rules.majority == Majority.TWO_THIRDS:
        return (True, "majority") if 3 * yes >= 2 * (yes + no) else (False, "majority")
    if rules.majority == Majority.DOUBLE_MAJORITY:
        if not _simple(yes, no):
            return False, "majority"
        for camp in (ADMINISTRATION, CIVIL_SOCIETY):
            side = result["sides"][camp]
            if not _simple(side["yes"], side["no"]):
                return False, f"side:{camp}"
        return True, "double_majority"
    raise ValueError(f"unknown majority rule {rules.majority!r}")


def _elect(rules: Rules, ranking, result) -> tuple[list[int], list[int], str]:
    if result["participants"] == 0:
        return [], [], "no_votes"
    if not result["quorum_met"]:
        return [], [], "quorum"
    threshold = 1
    if rules.majority == Majority.ABSOLUTE:
        threshold = result["valid"] // 2 + 1
    candidates = [(pk, n) for pk, n in ranking if n >= threshold]
    if len(candidates) <= rules.seats:
        return [pk for pk, _ in candidates], [], "elected" if candidates else "majority"
    last = candidates[rules.seats - 1][1]
    above = [pk for pk, n in candidates if n > last]
    at_boundary = [pk for pk, n in candidates if n == last]
    if len(above) + len(at_boundary) > rules.seats:
        return above, at_boundary, "tie"
    return above + at_boundary, [], "elected"


def _quorum_missed(result: dict) -> str:
    return _("quorum not reached (%(participants)s of %(quorum_required)s)") % result


CAMP_LABELS = {
    ADMINISTRATION: pgettext_lazy("co-governance side", "Administration"),
    CIVIL_SOCIETY: pgettext_lazy("co-governance side", "Civil society"),
}


def explain(result: dict, *, kind: str, majority: str, labels: dict[int, str]) -> str:
    """One sentence on what the result means, in the active language."""
    if kind in (PollKind.YES_NO_ABSTAIN, PollKind.YES_NO):
        counts = (
            ngettext(
                "%(yes)s yes, %(no)s no, %(abstain)s abstention",
                "%(yes)s yes, %(no)s no, %(abstain)s abstentions",
                result["abstain"],
            )
            % result
        )
        if kind == PollKind.YES_NO:
            counts = _("%(yes)s yes, %(no)s no") % result
        verdict = _("adopted") if result["adopted"] else _("rejected")
        text = f"{verdict}: {counts}"
        reason = result["reason"]
        if reason == "no_votes":
            text = _("rejected") + ": " + _("no votes were cast")
        elif reason == "quorum":
            text += (
                "; " + _("quorum not reached (%(participants)s of %(quorum_required)s)") % result
            )
        elif reason == "tie":
            text += "; " + _("tie")
        elif reason == "objection":
            text += "; " + _("no consensus: there were votes against")
        if (
            majority == Majority.DOUBLE_MAJORITY
            and "sides" in result
            and reason
            not in (
                "no_votes",
                "quorum",
            )
        ):
            parts = []
            for camp in (ADMINISTRATION, CIVIL_SOCIETY):
                side = result["sides"][camp]
                parts.append(f"{CAMP_LABELS[camp]} {side['yes']}:{side['no']}")
            if result["adopted"]:
                text += "; " + _("double majority reached: %(sides)s") % {"sides": ", ".join(parts)}
            else:
                text += "; " + _("double majority not reached: %(sides)s") % {
                    "sides": ", ".join(parts)
                }
        if result.get("invalid"):
            text += "; " + ngettext(
                "%(count)s invalid ballot", "%(count)s invalid ballots", result["invalid"]
            ) % {"count": result["invalid"]}
        return text
    ranking = ", ".join(f"{labels.get(int(pk), pk)} {n}" for pk, n in result.get("ranking", []))
    if kind == PollKind.ELECTION:
        if result["reason"] == "no_votes":
            return _("no one elected") + ": " + _("no votes were cast")
        if result["reason"] == "quorum":
            return _("no one elected") + ": " + _quorum_missed(result)
        elected = ", ".join(labels.get(pk, str(pk)) for pk in result["elected"]) or "–"
        text = _("elected: %(names)s (%(ranking)s)") % {"names": elected, "ranking": ranking}
        if result["tied"]:
            tied = ", ".join(labels.get(pk, str(pk)) for pk in result["tied"])
            text += "; " + _("tie between %(names)s: a run-off is needed") % {"names": tied}
        return text
    if result["reason"] == "quorum":
        return (
            _("quorum not reached (%(participants)s of %(quorum_required)s)") % result
            + f"; {ranking}"
        )
    return _("ranking: %(ranking)s") % {"ranking": ranking}


__all__ = ["Ballot", "Option", "Rules", "explain", "tally", "OptionMeaning"]
