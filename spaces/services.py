"""Every write to spaces that is more than one ``save()``: creating a space with its
first status, reporting a vacancy, and moving a space through its lifecycle."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm

from bodies.access import Visibility
from bodies.models import Decision

from .models import (
    ALLOWED_TRANSITIONS,
    Instrument,
    Space,
    SpaceStatus,
    SpaceStatusChange,
    is_allowed_transition,
    next_statuses,
)

# Reports from members start hidden from the public: the AKS team and the
# councillor see them, the reporter sees their own report through an explicit
# grant. Staff verify the report and then choose who may see it.
REPORT_VISIBILITY = Visibility.TEAM
REPORT_OWNER_VISIBILITY = Visibility.TEAM


def _status_label(status: str) -> str:
    return str(SpaceStatus(status).label) if status in SpaceStatus.values else status


def transition_error(from_status: str, to_status: str) -> ValidationError:
    """The message for a refused status change, in the reader's language."""
    if not ALLOWED_TRANSITIONS.get(from_status):
        return ValidationError(
            _("“%(status)s” is a final status: the space cannot move on from it."),
            code="final_status",
            params={"status": _status_label(from_status)},
        )
    allowed = ", ".join(_status_label(s) for s in next_statuses(from_status))
    return ValidationError(
        _(
            "A space cannot move from “%(from)s” to “%(to)s”. "
            "From “%(from)s” it can move to: %(allowed)s."
        ),
        code="forbidden_transition",
        params={
            "from": _status_label(from_status),
            "to": _status_label(to_status),
            "allowed": allowed,
        },
    )


@transaction.atomic
def change_status(
    *,
    space: Space,
    to: str,
    user,
    note: str = "",
    decision: Decision | None = None,
    when=None,
) -> SpaceStatusChange:
    """Move ``space`` to status ``to`` and record the step.

    The space row is locked for the check and the write, so two people moving the
    same space at once cannot both succeed from the same status. A transition not
    in ``ALLOWED_TRANSITIONS`` raises ``ValidationError`` and changes nothing.
    """
    locked = Space.objects.select_for_update().get(pk=space.pk)
    if not is_allowed_transition(locked.status, to):
        raise transition_error(locked.status, to)
    change = SpaceStatusChange.objects.create(
        space=locked,
        from_status=locked.status,
        to_status=to,
        changed_at=when or timezone.now(),
        changed_by=user if getattr(user, "is_authenticated", False) else None,
        note=note,
        decision=decision,
    )
    Space.objects.filter(pk=locked.pk).update(status=to, updated_at=timezone.now())
    space.status = to
    return change


@transaction.atomic
def create_space(
    *,
    space: Space,
    user,
    instruments: Iterable[Instrument] = (),
    note: str = "",
    when=None,
) -> Space:
    """Save a new space in status *reported* with its first status change (from none)."""
    if space.pk is not None:
        raise ValueError("create_space() takes an unsaved space.")
    space.status = SpaceStatus.REPORTED
    if getattr(user, "is_authenticated", False) and space.reported_by_id is None:
        space.reported_by = user
    space.full_clean()
    space.save()
    if instruments:
        space.instruments.set(instruments)
    SpaceStatusChange.objects.create(
        space=space,
        from_status="",
        to_status=SpaceStatus.REPORTED,
        changed_at=when or timezone.now(),
        changed_by=user if getattr(user, "is_authenticated", False) else None,
        note=note,
    )
    return space


@transaction.atomic
def report_vacancy(*, space: Space, user, note: str = "") -> Space:
    """A logged-in person reports a vacancy.

    The report is visible to the AKS team and, through an explicit grant, to the
    person who made it; staff verify it and then set who else may see it.
    """
    space.visibility = REPORT_VISIBILITY
    space.owner_visibility = REPORT_OWNER_VISIBILITY
    space.contested = False
    space.body = None
    create_space(space=space, user=user, note=note)
    assign_perm("spaces.view_space", user, space)
    return space
