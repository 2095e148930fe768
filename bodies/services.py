import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from . import voting
from .access import Visibility
from .models import (
    Body,
    Contribution,
    ContributionKind,
    Counting,
    Decision,
    Entitlement,
    Majority,
    Membership,
    MembershipRole,
    OptionMeaning,
    Organisation,
    Participation,
    Person,
    Poll,
    PollKind,
    PollOption,
    PollStatus,
    Side,
    Vote,
    VotingUnit,
    Workstream,
)


@transaction.atomic
def add_membership(
    *,
    body: Body,
    person: Person,
    side: Side | str,
    role: MembershipRole | str = MembershipRole.MEMBER,
    organisation: Organisation | None = None,
    voting_right: bool = True,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Membership:
    """Add a person to a body, enforcing the rules that span body and membership.

    Raises ``ValidationError`` (with German messages) and writes nothing when a
    rule is broken: a delegate or voting member of a body that votes per member
    group must represent an organisation, and a term may not end before it starts.
    """
    membership = Membership(
        body=body,
        person=person,
        side=side,
        role=role,
        organisation=organisation,
        voting_right=voting_right,
        end=end,
    )
    if start is not None:
        membership.start = start
    membership.full_clean()
    membership.save()
    return membership


# --- Votes and decisions ---------------------------------------------------------


class VotingError(ValidationError):
    """A vote or poll action that the rules do not allow; the message is for people."""


def _ensure(condition: bool, message) -> None:
    if not condition:
        raise VotingError(message)


MOTION_OPTIONS = {
    PollKind.YES_NO_ABSTAIN: [OptionMeaning.YES, OptionMeaning.NO, OptionMeaning.ABSTAIN],
    PollKind.YES_NO: [OptionMeaning.YES, OptionMeaning.NO],
}


@transaction.atomic
def create_poll(
    *,
    body: Body,
    title: str,
    kind: str = PollKind.YES_NO_ABSTAIN,
    motion: str = "",
    counting: str = Counting.ELECTRONIC,
    voting_unit: str = "",
    secret: bool = False,
    majority: str = Majority.SIMPLE,
    quorum_count: int | None = None,
    quorum_share: Decimal | None = None,
    seats: int = 1,
    allow_change: bool = False,
    visibility: str = Visibility.MEMBERS,
    options: list[str] | None = None,
    candidates: list[Person] | None = None,
    elects_into: Body | None = None,
    term_start: datetime.date | None = None,
    term_end: datetime.date | None = None,
) -> Poll:
    """A draft poll with its options; motions get yes / no (/ abstain) by themselves."""
    is_motion = kind in MOTION_OPTIONS
    _ensure(
        is_motion or majority in (Majority.SIMPLE, Majority.ABSOLUTE),
        _("Elections and approval polls are decided by simple or absolute majority."),
    )
    _ensure(
        not (secret and allow_change),
        _("In a secret poll a vote cannot be changed once it is cast."),
    )
    _ensure(
        not (counting == Counting.ANALOG and majority == Majority.DOUBLE_MAJORITY),
        _("A double majority needs electronic voting: counts in the room have no sides."),
    )
    poll = Poll(
        body=body,
        title=title,
        motion=motion,
        kind=kind,
        counting=counting,
        voting_unit=voting_unit,
        secret=secret,
        majority=majority,
        quorum_count=quorum_count,
        quorum_share=quorum_share,
        seats=seats,
        allow_change=allow_change,
        visibility=visibility,
        elects_into=elects_into,
        term_start=term_start,
        term_end=term_end,
    )
    poll.full_clean()
    poll.save()
    if is_motion:
        labels = [(meaning.value, meaning) for meaning in MOTION_OPTIONS[kind]]
        PollOption.objects.bulk_create(
            PollOption(poll=poll, label=label, meaning=meaning, position=i)
            for i, (label, meaning) in enumerate(labels)
        )
    elif kind == PollKind.ELECTION:
        candidates = candidates or []
        _ensure(len(candidates) >= 1, _("An election needs at least one candidate."))
        _ensure(
            seats <= len(candidates),
            _("There are fewer candidates than seats."),
        )
        PollOption.objects.bulk_create(
            PollOption(poll=poll, label=person.name, candidate=person, position=i)
            for i, person in enumerate(candidates)
        )
    else:
        cleaned = [label.strip() for label in options or [] if label.strip()]
        _ensure(len(cleaned) >= 2, _("An approval poll needs at least two options."))
        _ensure(len(set(cleaned)) == len(cleaned), _("Each option may appear only once."))
        PollOption.objects.bulk_create(
            PollOption(poll=poll, label=label, position=i) for i, label in enumerate(cleaned)
        )
    if elects_into is not None:
        _ensure(kind == PollKind.ELECTION, _("Only an election can fill a body."))
        _ensure(
            term_start is not None and term_end is not None and term_end >= term_start,
            _("An election into a body needs a term with a start and an end."),
        )
    return poll


def _freeze_roll(poll: Poll) -> int:
    """Write who may vote, from memberships with a voting right running today."""
    memberships = (
        Membership.objects.active()
        .filter(body_id=poll.body_id, voting_right=True)
        .order_by("start", "pk")
    )
    rows: dict = {}
    if poll.effective_voting_unit == VotingUnit.ORGANISATION:
        for m in memberships.exclude(organisation__isnull=True):
            rows.setdefault(
                m.organisation_id,
                Entitlement(poll=poll, organisation_id=m.organisation_id, side=m.side),
            )
    else:
        for m in memberships:
            rows.setdefault(m.person_id, Entitlement(poll=poll, person_id=m.person_id, side=m.side))
    Entitlement.objects.bulk_create(rows.values())
    return len(rows)


def _locked(poll: Poll) -> Poll:
    return Poll.objects.select_for_update().select_related("body").get(pk=poll.pk)


@transaction.atomic
def open_poll(*, poll: Poll) -> Poll:
    poll = _locked(poll)
    _ensure(poll.status == PollStatus.DRAFT, _("Only a draft poll can be opened."))
    _freeze_roll(poll)
    poll.status = PollStatus.OPEN
    poll.opened_at = timezone.now()
    poll.save(update_fields=["status", "opened_at"])
    return poll


@transaction.atomic
def cancel_poll(*, poll: Poll) -> Poll:
    poll = _locked(poll)
    _ensure(
        poll.status in (PollStatus.DRAFT, PollStatus.OPEN),
        _("A closed poll cannot be cancelled."),
    )
    poll.status = PollStatus.CANCELLED
    poll.closed_at = timezone.now()
    poll.save(update_fields=["status", "closed_at"])
    return poll


def entitlement_for(*, poll: Poll, person: Person, organisation: Organisation | None = None):
    """The roll entry under which ``person`` votes in ``poll``, or ``None``."""
    if poll.effective_voting_unit == VotingUnit.ORGANISATION:
        represented = (
            Membership.objects.active()
            .filter(body_id=poll.body_id, person=person, voting_right=True)
            .exclude(organisation__isnull=True)
            .values_list("organisation_id", flat=True)
        )
        if organisation is not None:
            represented = represented.filter(organisation=organisation)
        return (
            Entitlement.objects.filter(poll=poll, organisation_id__in=represented)
            .select_related("organisation")
            .order_by("pk")
            .first()
        )
    return Entitlement.objects.filter(poll=poll, person=person).first()


def _share_lock_open_poll(poll: Poll) -> None:
    """Hold the poll open while a vote is written: closing waits for this lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT status FROM bodies_poll WHERE id = %s FOR SHARE", [poll.pk])
            row = cursor.fetchone()
        status = row[0] if row else None
    else:  # SQLite serialises writers on the whole database.
        status = Poll.objects.filter(pk=poll.pk).values_list("status", flat=True).first()
    _ensure(status == PollStatus.OPEN, _("This poll is not open for voting."))


def _already_voted_message(entitlement: Entitlement):
    if entitlement.organisation_id:
        return _("%(group)s has already voted in this poll.") % {
            "group": entitlement.organisation.name
        }
    return _("You have already voted in this poll.")


def cast_vote(
    *,
    poll: Poll,
    person: Person,
    choices: list[int],
    organisation: Organisation | None = None,
) -> Vote:
    """Cast ``person``'s vote (or their group's). One per voter, enforced by the database."""
    _ensure(poll.counting == Counting.ELECTRONIC, _("Votes in this poll are counted in the room."))
    entitlement = entitlement_for(poll=poll, person=person, organisation=organisation)
    _ensure(entitlement is not None, _("You are not entitled to vote in this poll."))
    choices = sorted({int(choice) for choice in choices})
    valid = set(poll.options.values_list("pk", flat=True))
    _ensure(bool(choices), _("Please choose an option."))
    _ensure(set(choices) <= valid, _("Please choose among the options of this poll."))
    _ensure(
        len(choices) <= poll.max_choices,
        ngettext(
            "You may choose at most %(count)s option.",
            "You may choose at most %(count)s options.",
            poll.max_choices,
        )
        % {"count": poll.max_choices},
    )
    try:
        with transaction.atomic():
            _share_lock_open_poll(poll)
            if poll.secret:
                Participation.objects.create(poll=poll, entitlement=entitlement, cast_by=person)
                return Vote.objects.create(poll=poll, side=entitlement.side, choices=choices)
            if poll.allow_change:
                vote, _created = Vote.objects.update_or_create(
                    poll=poll,
                    entitlement=entitlement,
                    defaults={
                        "choices": choices,
                        "cast_by": person,
                        "side": entitlement.side,
                        "cast_at": timezone.now(),
                    },
                )
                return vote
            return Vote.objects.create(
                poll=poll,
                entitlement=entitlement,
                cast_by=person,
                side=entitlement.side,
                choices=choices,
                cast_at=timezone.now(),
            )
    except IntegrityError as exc:
        if poll.allow_change and not poll.secret:
            # Two first votes of one voter raced; the second one is a change.
            return cast_vote(poll=poll, person=person, choices=choices, organisation=organisation)
        raise VotingError(_already_voted_message(entitlement)) from exc


def has_voted(*, poll: Poll, entitlement: Entitlement) -> bool:
    if poll.secret:
        return Participation.objects.filter(poll=poll, entitlement=entitlement).exists()
    return Vote.objects.filter(poll=poll, entitlement=entitlement).exists()


@transaction.atomic
def enter_analog_counts(
    *, poll: Poll, counts: dict[int, int], valid: int, invalid: int = 0
) -> Poll:
    """The chair's counts from the room: per option, plus valid and invalid ballots.

    No more ballots than voters on the roll frozen when the poll opened (the result
    must never exceed those entitled to vote).
    """
    poll = _locked(poll)
    _ensure(poll.counting == Counting.ANALOG, _("This poll is counted electronically."))
    _ensure(poll.status == PollStatus.OPEN, _("Counts can be entered while the poll is open."))
    options = {option.pk: option for option in poll.options.all()}
    _ensure(set(counts) <= set(options), _("Please enter counts for the options of this poll."))
    _ensure(
        all(n >= 0 for n in counts.values()) and valid >= 0 and invalid >= 0,
        _("Counts cannot be negative."),
    )
    entitled = poll.entitlements.count()
    _ensure(
        valid + invalid <= entitled,
        _(
            "Valid and invalid ballots (%(total)s together) cannot be more than the "
            "%(entitled)s entitled to vote."
        )
        % {"total": valid + invalid, "entitled": entitled},
    )
    if poll.max_choices == 1:
        _ensure(
            sum(counts.values()) == valid,
            _("The counts per option (%(sum)s) must add up to the valid ballots (%(valid)s).")
            % {"sum": sum(counts.values()), "valid": valid},
        )
    else:
        _ensure(
            all(n <= valid for n in counts.values()),
            _("No option can have more votes than there are valid ballots."),
        )
    for pk, option in options.items():
        option.analog_count = counts.get(pk, 0)
    PollOption.objects.bulk_update(options.values(), ["analog_count"])
    poll.valid_ballots, poll.invalid_ballots = valid, invalid
    poll.save(update_fields=["valid_ballots", "invalid_ballots"])
    return poll


def _rules(poll: Poll) -> voting.Rules:
    return voting.Rules(
        kind=poll.kind,
        majority=poll.majority,
        seats=poll.seats,
        quorum_count=poll.quorum_count,
        quorum_share=poll.quorum_share,
    )


def poll_labels(poll: Poll) -> dict[int, str]:
    return {option.pk: option.display_label for option in poll.options.all()}


@transaction.atomic
def close_poll(*, poll: Poll, decided_on: datetime.date | None = None) -> Poll:
    """Lock, count once, store the result and record the decision it makes."""
    poll = _locked(poll)
    _ensure(poll.status == PollStatus.OPEN, _("Only an open poll can be closed."))
    options = [voting.Option(pk=o.pk, label=o.label, meaning=o.meaning) for o in poll.options.all()]
    entitled = poll.entitlements.count()
    if poll.counting == Counting.ANALOG:
        _ensure(
            poll.valid_ballots is not None,
            _("Please enter the counts from the room before closing."),
        )
        analog = dict(poll.options.values_list("pk", "analog_count"))
        result = voting.tally(
            rules=_rules(poll),
            options=options,
            entitled=entitled,
            analog_counts={pk: n or 0 for pk, n in analog.items()},
            valid=poll.valid_ballots,
            invalid=poll.invalid_ballots or 0,
        )
    else:
        ballots = [
            voting.Ballot(choices=tuple(choices), side=side)
            for choices, side in poll.votes.values_list("choices", "side")
        ]
        result = voting.tally(
            rules=_rules(poll), options=options, entitled=entitled, ballots=ballots
        )
    poll.result = result
    poll.adopted = result["adopted"]
    labels = poll_labels(poll)
    with translation.override(settings.LANGUAGE_CODE):
        poll.result_text = voting.explain(
            result, kind=poll.kind, majority=poll.majority, labels=labels
        )
    poll.status = PollStatus.CLOSED
    poll.closed_at = timezone.now()
    poll.save(update_fields=["result", "adopted", "result_text", "status", "closed_at"])

    decided_on = decided_on or timezone.localdate()
    if poll.adopted and poll.kind != PollKind.APPROVAL:
        # The decision keeps the motion, the body's own words; who was elected is read
        # from the poll's stored result and put in words in the reader's language.
        record_decision(
            body=poll.body,
            title=poll.title,
            text=poll.motion,
            decided_on=decided_on,
            visibility=poll.visibility,
            poll=poll,
        )
    if poll.kind == PollKind.ELECTION and poll.elects_into_id and result["elected"]:
        _seat_the_elected(poll, result["elected"])
    return poll


def _seat_the_elected(poll: Poll, elected_option_ids: list[int]) -> None:
    for option in poll.options.filter(pk__in=elected_option_ids).select_related("candidate"):
        previous = (
            Membership.objects.filter(person=option.candidate, body=poll.body)
            .exclude(organisation__isnull=True)
            .order_by("-start")
            .first()
        )
        add_membership(
            body=poll.elects_into,
            person=option.candidate,
            side=previous.side if previous else Side.CIVIL_SOCIETY,
            organisation=previous.organisation if previous else None,
            start=poll.term_start,
            end=poll.term_end,
        )


@transaction.atomic
def record_decision(
    *,
    body: Body,
    title: str,
    decided_on: datetime.date,
    text: str = "",
    visibility: str = Visibility.PUBLIC,
    poll: Poll | None = None,
) -> Decision:
    """A decision with the next number of its body and year (SR-2026-007)."""
    Body.objects.select_for_update().filter(pk=body.pk).first()
    last = (
        Decision.objects.filter(body=body, year=decided_on.year)
        .order_by("-sequence")
        .values_list("sequence", flat=True)
        .first()
    )
    decision = Decision(
        body=body,
        year=decided_on.year,
        sequence=(last or 0) + 1,
        title=title,
        text=text,
        decided_on=decided_on,
        visibility=visibility,
        poll=poll,
    )
    decision.full_clean(validate_unique=False)
    decision.save()
    return decision


def explain_result(poll: Poll, options: list[PollOption] | None = None) -> str:
    """The stored result in words, in the reader's language."""
    if not poll.result:
        return ""
    labels = {o.pk: o.display_label for o in options} if options is not None else poll_labels(poll)
    return voting.explain(poll.result, kind=poll.kind, majority=poll.majority, labels=labels)


# --- Workstreams (Baustellen) and member management ------------------------------


@transaction.atomic
def add_contribution(
    *,
    workstream: Workstream,
    organisation: Organisation,
    kind: ContributionKind | str,
    amount: Decimal | int | str,
    description: str,
    on: datetime.date | None = None,
) -> Contribution:
    """Record what a partner puts "on the heap" of a workstream (seed 000).

    Hours, money in EUR, rooms in hours of use, or something else. The partner joins
    the workstream's participating organisations. Raises ``ValidationError`` (with
    German messages) and writes nothing when the amount is negative or not a number,
    the kind is unknown or the description is empty.
    """
    try:
        amount = Decimal(str(amount).strip())
    except InvalidOperation:
        raise ValidationError({"amount": _("Please enter the amount as a number.")}) from None
    if not amount.is_finite():
        raise ValidationError({"amount": _("Please enter the amount as a number.")})
    if amount < 0:
        raise ValidationError({"amount": _("The amount cannot be negative.")})
    contribution = Contribution(
        workstream=workstream,
        organisation=organisation,
        kind=kind,
        amount=amount,
        description=(description or "").strip(),
        on=on or timezone.localdate(),
    )
    contribution.full_clean()
    contribution.save()
    workstream.organisations.add(organisation)
    return contribution


@transaction.atomic
def add_member(
    *,
    body: Body,
    side: Side | str,
    person: Person | None = None,
    new_person_name: str = "",
    role: MembershipRole | str = MembershipRole.MEMBER,
    organisation: Organisation | None = None,
    voting_right: bool = True,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> Membership:
    """Add an existing person, or a new one by name, to a body: one transaction.

    The membership goes through :func:`add_membership` and its rules; a term that
    overlaps a term of the same person in the same role is refused. When a rule is
    broken, nothing is written, not even the new person.
    """
    new_person_name = (new_person_name or "").strip()
    if person is None and not new_person_name:
        raise ValidationError(
            {"person": _("Please choose a person or enter the name of a new person.")}
        )
    if person is not None and new_person_name:
        raise ValidationError(
            {"person": _("Please either choose a person or enter a new name, not both.")}
        )
    if person is not None:
        first_day = start or timezone.localdate()
        overlapping = Membership.objects.filter(body=body, person=person, role=role).filter(
            Q(end__isnull=True) | Q(end__gte=first_day)
        )
        if end is not None:
            overlapping = overlapping.filter(start__lte=end)
        if overlapping.exists():
            raise ValidationError(
                {
                    "person": _(
                        "%(name)s already has a term in this role that overlaps the new one."
                    )
                    % {"name": person.name}
                }
            )
    else:
        person = Person(name=new_person_name, organisation=organisation)
        person.full_clean()
        person.save()
    return add_membership(
        body=body,
        person=person,
        side=side,
        role=role,
        organisation=organisation,
        voting_right=voting_right,
        start=start,
        end=end,
    )


@transaction.atomic
def end_membership(*, membership: Membership, end: datetime.date) -> Membership:
    """End a running (or upcoming) term: ``end`` is its last day.

    Refuses, with a German message and without writing, an end before the start,
    a term that has already ended, and a later end than the one already set.
    """
    membership = (
        Membership.objects.select_for_update().select_related("person").get(pk=membership.pk)
    )
    if membership.end is not None and membership.end < timezone.localdate():
        raise ValidationError({"end": _("This term has already ended.")})
    if end < membership.start:
        raise ValidationError({"end": _("The end of the term must not be before its start.")})
    if membership.end is not None and end > membership.end:
        raise ValidationError(
            {
                "end": _("This term already ends on %(end)s; it can only be ended earlier.")
                % {"end": date_format(membership.end, "SHORT_DATE_FORMAT")}
            }
        )
    membership.end = end
    membership.save(update_fields=["end"])
    return membership
