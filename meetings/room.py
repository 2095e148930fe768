"""In the room: what the chair of a large assembly records on a phone while it happens,
and the staff check that makes a commitment public.

A commitment said aloud ("Bezirksstadträtin sagt zu: …, bis …") is typed in a hurry; it
is stored at once, so nothing is lost, but stays off the public tracker until someone
of the staff has read it, corrected it if needed, and confirmed it
(``Commitment.objects.visible_to`` leaves unchecked ones out for everyone else).
Counts of a show of hands go through ``bodies.services.enter_analog_counts``.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bodies.access import never_more_open
from bodies.models import Counting, Organisation, Person, Poll, PollStatus

from .models import AgendaItem, Commitment, Meeting


class RoomError(ValidationError):
    """A change the room or the check refuses, with a message for the person."""


def _ensure(condition: bool, message) -> None:
    if not condition:
        raise RoomError(message)


@transaction.atomic
def record_commitment(
    *,
    meeting: Meeting,
    by,
    organisation: Organisation,
    what: str,
    person: Person | None = None,
    promised_by_name: str = "",
    due: datetime.date | None = None,
) -> Commitment:
    """Store a commitment as it is made in the room, waiting for the staff check."""
    _ensure(bool(what and what.strip()), _("Please say what was promised."))
    commitment = Commitment(
        meeting=meeting,
        organisation=organisation,
        person=person,
        promised_by_name="" if person else promised_by_name.strip(),
        what=what.strip(),
        due=due,
        visibility=meeting.visibility,
        recorded_by=by,
        recorded_at=timezone.now(),
        checked_at=None,
    )
    commitment.full_clean()
    commitment.save()
    return commitment


def _locked(commitment: Commitment) -> Commitment:
    return (
        Commitment.objects.select_for_update(of=("self",))
        .select_related("meeting")
        .get(pk=commitment.pk)
    )


@transaction.atomic
def check_commitment(
    *,
    commitment: Commitment,
    by,
    organisation: Organisation,
    what: str,
    person: Person | None = None,
    promised_by_name: str = "",
    due: datetime.date | None = None,
    visibility: str | None = None,
) -> Commitment:
    """Correct what the room recorded and confirm it; from now on it is public (if its
    level is). The row lock makes two staff members confirming at once do it once: the
    second is told it has been checked already."""
    commitment = _locked(commitment)
    _ensure(commitment.checked_at is None, _("This commitment has already been checked."))
    _ensure(bool(what and what.strip()), _("Please say what was promised."))
    visibility = visibility or commitment.visibility
    _ensure(
        never_more_open(visibility, commitment.meeting.visibility),
        _("This cannot be more open than the meeting it belongs to."),
    )
    commitment.organisation = organisation
    commitment.person = person
    commitment.promised_by_name = "" if person else promised_by_name.strip()
    commitment.what = what.strip()
    commitment.due = due
    commitment.visibility = visibility
    commitment.checked_at = timezone.now()
    commitment.checked_by = by
    commitment.full_clean()
    commitment.save()
    return commitment


@transaction.atomic
def discard_commitment(*, commitment: Commitment) -> None:
    """Drop a commitment recorded by mistake (typed twice, never said). Only before the
    check: once public, a commitment is withdrawn, not deleted."""
    commitment = _locked(commitment)
    _ensure(
        commitment.checked_at is None,
        _("A checked commitment is not deleted; set its status to withdrawn."),
    )
    commitment.delete()


# --- reads -------------------------------------------------------------------------------


def pending_commitments(user):
    """Commitments recorded in the room that wait for the check, oldest first."""
    return (
        Commitment.objects.visible_to(user)
        .filter(checked_at__isnull=True)
        .select_related("meeting__body", "organisation", "person", "recorded_by")
        .order_by("recorded_at", "pk")
    )


def meeting_commitments(meeting: Meeting, user):
    """What was promised at this meeting, newest first (the room's running list)."""
    return (
        Commitment.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("organisation", "person")
        .order_by("-recorded_at", "-pk")
    )


def room_polls(meeting: Meeting, user) -> list[Poll]:
    """Polls counted by show of hands that hang on the meeting's agenda and are open."""
    linked = AgendaItem.polls.through.objects.filter(
        agendaitem__in=AgendaItem.objects.visible_to(user).filter(meeting=meeting)
    ).values("poll_id")
    return list(
        Poll.objects.visible_to(user)
        .filter(pk__in=linked, counting=Counting.ANALOG, status=PollStatus.OPEN)
        .select_related("body")
        .prefetch_related("options")
        .order_by("pk")
    )
