"""Registration for public events without an account: double opt-in, capacity with a
waiting list, cancellation through the personal link, check-in at the door, and the
deletion of personal data after the event.

Every write locks the event's ``Meeting`` row first (``select_for_update``): all seat
changes of one event queue behind that one lock, so two people cancelling at the same
moment promote two different people from the waiting list, never the same one twice,
and a seat is never given out twice. Mails go into the outbox inside the same
transaction (``aks.mail.services.queue_mail``), so a rolled-back change sends nothing.
"""

import datetime
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from aks.mail.models import MailKind, OutboxMessage
from aks.mail.services import Attachment, queue_mail
from bodies.models import Person

from .models import (
    ACTIVE_REGISTRATION_STATUSES,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Registration,
    RegistrationCount,
    RegistrationStatus,
)

# The meetings the public can register for (when they name a closing time).
EVENT_KINDS = (MeetingKind.ASSEMBLY, MeetingKind.PUBLIC_ASSEMBLY, MeetingKind.PUBLIC_EVENT)


class RegistrationError(ValidationError):
    """A registration change that is not allowed, with a message for the registrant."""


class RegistrationState:
    NONE = "none"  # this meeting takes no registrations
    OPEN = "open"
    CLOSED = "closed"


def registration_state(meeting: Meeting, *, now: datetime.datetime | None = None) -> str:
    now = now or timezone.now()
    if meeting.registration_closes_at is None or meeting.kind not in EVENT_KINDS:
        return RegistrationState.NONE
    if (
        meeting.status == MeetingStatus.CANCELLED
        or now >= meeting.registration_closes_at
        or now >= meeting.start
    ):
        return RegistrationState.CLOSED
    return RegistrationState.OPEN


@dataclass(frozen=True)
class Seats:
    capacity: int | None
    confirmed: int
    waiting: int
    pending: int
    checked_in: int

    @property
    def free(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.confirmed, 0)


def seats(meeting: Meeting) -> Seats:
    """The event's registrations by status, in one query."""
    counts = Registration.objects.filter(meeting=meeting).aggregate(
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
        pending=Count("pk", filter=Q(status=RegistrationStatus.PENDING)),
        checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
    )
    return Seats(capacity=meeting.capacity, **counts)


def registration_initial(user) -> dict[str, str]:
    """What a signed-in member would type into the registration form anyway: the name,
    address and organisation of her person record, else of her account. The fields stay
    editable; the public (anonymous) form starts empty."""
    if not user.is_authenticated:
        return {}
    person = Person.objects.filter(user=user).select_related("organisation").first()
    initial = {
        "name": (person.name if person else "") or user.display_name,
        "email": user.email or (person.email if person else ""),
    }
    if person and person.organisation:
        initial["organisation"] = person.organisation.name
    return {key: value for key, value in initial.items() if value}


def _locked_meeting(meeting: Meeting) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting.pk)


def _locked_registration(token: str) -> tuple[Meeting, Registration]:
    """Lock the event, then the registration: always in this order, so two writers of
    the same event never wait on each other the other way round."""
    meeting_id = (
        Registration.objects.filter(token=token).values_list("meeting_id", flat=True).first()
    )
    if meeting_id is None:
        raise Registration.DoesNotExist
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("body", "space")
        .get(pk=meeting_id)
    )
    registration = Registration.objects.select_for_update().get(token=token)
    return meeting, registration


def _new_token() -> str:
    return secrets.token_urlsafe(32)


# --- Writes ---------------------------------------------------------------------------


@transaction.atomic
def register(
    *,
    meeting: Meeting,
    name: str,
    email: str,
    organisation: str = "",
    consent_text: str,
    now: datetime.datetime | None = None,
) -> Registration:
    """Take a registration and mail the link that confirms it (double opt-in).

    No seat is given before the address is confirmed, so a typo or a stranger's address
    holds nobody's place. Registering an address again while its registration is
    active sends the confirmation link again instead of a second registration."""
    now = now or timezone.now()
    meeting = _locked_meeting(meeting)
    if registration_state(meeting, now=now) != RegistrationState.OPEN:
        raise RegistrationError(_("Registration for this event is closed."))
    email = email.strip().lower()
    existing = (
        Registration.objects.filter(
            meeting=meeting, email=email, status__in=ACTIVE_REGISTRATION_STATUSES
        )
        .order_by("pk")
        .first()
    )
    if existing is not None:
        if existing.status == RegistrationStatus.PENDING:
            # Sent again at most once an hour, so nobody can flood an address with it.
            _mail(existing, meeting, "confirm", key_suffix=f"confirm-{now:%Y%m%d%H}")
        return existing
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                meeting=meeting,
                name=name.strip(),
                email=email,
                organisation=organisation.strip(),
                consent_text=consent_text,
                token=_new_token(),
            )
    except IntegrityError as error:  # pragma: no cover - the lock above makes this rare
        raise RegistrationError(_("This address is already registered.")) from error
    _mail(registration, meeting, "confirm")
    return registration


@transaction.atomic
def confirm(*, token: str, now: datetime.datetime | None = None) -> Registration:
    """Confirm the address: a free seat if there is one (and nobody is waiting for it),
    otherwise the end of the waiting list. Confirming twice changes nothing."""
    now = now or timezone.now()
    meeting, registration = _locked_registration(token)
    if registration.status != RegistrationStatus.PENDING:
        if registration.status == RegistrationStatus.CANCELLED:
            raise RegistrationError(_("This registration was cancelled."))
        return registration
    if now >= meeting.start or meeting.status == MeetingStatus.CANCELLED:
        raise RegistrationError(_("Registration for this event is closed."))
    registration.confirmed_at = now
    current = seats(meeting)
    if current.capacity is None or (current.free and not current.waiting):
        registration.status = RegistrationStatus.CONFIRMED
        registration.save(update_fields=["status", "confirmed_at"])
        _mail(registration, meeting, "confirmed", calendar=True)
    else:
        _join_waiting_list(meeting, registration)
        _mail(registration, meeting, "waiting")
        # Seats may have been added while people wait: they go in the list's order.
        promote(meeting=meeting)
        registration.refresh_from_db()
    return registration


def _join_waiting_list(meeting: Meeting, registration: Registration) -> None:
    last = Registration.objects.filter(meeting=meeting, position__isnull=False).aggregate(
        last=Max("position")
    )["last"]
    registration.status = RegistrationStatus.WAITING
    registration.position = (last or 0) + 1
    registration.save(update_fields=["status", "position", "confirmed_at"])


@transaction.atomic
def cancel(*, token: str, now: datetime.datetime | None = None) -> Registration:
    """Cancel through the personal link; a freed seat goes to the first on the waiting
    list, who is told by mail. Cancelling twice changes nothing."""
    now = now or timezone.now()
    meeting, registration = _locked_registration(token)
    if registration.status == RegistrationStatus.CANCELLED:
        return registration
    if registration.checked_in_at is not None:
        raise RegistrationError(_("You have already been checked in at the door."))
    if now >= meeting.start:
        raise RegistrationError(_("This event has already begun."))
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["status", "cancelled_at"])
    _mail(registration, meeting, "cancelled")
    if meeting.status != MeetingStatus.CANCELLED:
        promote(meeting=meeting)
    return registration


def promote(*, meeting: Meeting) -> list[Registration]:
    """Give free seats to the waiting list in its order; the caller holds the lock on
    the meeting (``cancel``) or this takes it (raising the capacity in the admin)."""
    with transaction.atomic():
        meeting = _locked_meeting(meeting)
        current = seats(meeting)
        free = current.free if current.capacity is not None else current.waiting
        if not free:
            return []
        promoted = list(
            Registration.objects.select_for_update()
            .filter(meeting=meeting, status=RegistrationStatus.WAITING)
            .order_by("position", "pk")[:free]
        )
        for registration in promoted:
            registration.status = RegistrationStatus.CONFIRMED
            registration.save(update_fields=["status"])
            _mail(registration, meeting, "promoted", calendar=True)
        return promoted


@transaction.atomic
def check_in(*, registration: Registration, undo: bool = False) -> Registration:
    """Mark a confirmed registrant as arrived at the door (or take it back)."""
    meeting = _locked_meeting(registration.meeting)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status != RegistrationStatus.CONFIRMED:
        raise RegistrationError(_("Only confirmed registrations can be checked in."))
    registration.checked_in_at = None if undo else (registration.checked_in_at or timezone.now())
    registration.save(update_fields=["checked_in_at"])
    registration.meeting = meeting
    return registration


def retention_days() -> int:
    return int(getattr(settings, "MEETINGS_REGISTRATION_RETENTION_DAYS", 30))


def purge_registrations(*, now: datetime.datetime | None = None) -> int:
    """Delete the personal data of registrants of events that ended more than the
    retention period ago, keeping the counts; also the mails that named them.

    One transaction per event, so a failure leaves the others done; running it again
    finds nothing left to delete. Returns the number of registrations deleted."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=retention_days())
    meeting_ids = list(
        Registration.objects.filter(meeting__end__lt=cutoff)
        .values_list("meeting_id", flat=True)
        .distinct()
    )
    deleted = 0
    for meeting_id in meeting_ids:
        with transaction.atomic():
            meeting = Meeting.objects.select_for_update().get(pk=meeting_id)
            rows = Registration.objects.filter(meeting=meeting)
            counts = rows.aggregate(
                confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
                waiting=Count("pk", filter=Q(status=RegistrationStatus.WAITING)),
                cancelled=Count("pk", filter=Q(status=RegistrationStatus.CANCELLED)),
                unconfirmed=Count("pk", filter=Q(status=RegistrationStatus.PENDING)),
                checked_in=Count("pk", filter=Q(checked_in_at__isnull=False)),
            )
            summary, _created = RegistrationCount.objects.select_for_update().get_or_create(
                meeting=meeting, defaults={"purged_at": now}
            )
            for field, value in counts.items():
                setattr(summary, field, getattr(summary, field) + value)
            summary.purged_at = now
            summary.save()
            # The outbox keeps each mail's text, which names the registrant.
            OutboxMessage.objects.filter(
                kind=MailKind.REGISTRATION, key__startswith=_key_prefix(meeting)
            ).delete()
            deleted += rows.delete()[1].get(Registration._meta.label, 0)
    return deleted


# --- Mail -----------------------------------------------------------------------------

_SUBJECTS = {
    "confirm": gettext_noop("Please confirm your registration: %(title)s"),
    "confirmed": gettext_noop("Registration confirmed: %(title)s on %(date)s"),
    "waiting": gettext_noop("On the waiting list: %(title)s on %(date)s"),
    "promoted": gettext_noop("A place has become free for you: %(title)s on %(date)s"),
    "cancelled": gettext_noop("Registration cancelled: %(title)s on %(date)s"),
}


def _key_prefix(meeting: Meeting) -> str:
    return f"registration-{meeting.pk}-"


def _absolute(path: str) -> str:
    return settings.SITE_URL + path


def _mail(
    registration: Registration,
    meeting: Meeting,
    template: str,
    *,
    calendar: bool = False,
    key_suffix: str | None = None,
) -> None:
    """Queue one mail about ``registration``; the key makes each kind go out once."""
    from .calendar import invitation_ics

    # Written in the platform's language, whatever the registrant's browser said.
    with translation.override(settings.LANGUAGE_CODE):
        start = date_format(timezone.localtime(meeting.start), "DATETIME_FORMAT")
        subject = _(_SUBJECTS[template]) % {"title": meeting.title, "date": start}
        context = {
            "site_url": settings.SITE_URL,
            "registration": registration,
            "meeting": meeting,
            "space": meeting.space if _space_public(meeting) else None,
            "event_url": _absolute(reverse("meetings:event_detail", args=[meeting.pk])),
            "confirm_url": _absolute(
                reverse("meetings:registration_confirm", args=[registration.token])
            ),
            "cancel_url": _absolute(
                reverse("meetings:registration_cancel", args=[registration.token])
            ),
        }
        text = render_to_string(f"meetings/mail/registration_{template}.txt", context)
        html = render_to_string(f"meetings/mail/registration_{template}.html", context)
    attachment = None
    if calendar:
        attachment = Attachment(
            "veranstaltung.ics", "text/calendar", invitation_ics(meeting=meeting, reader=None)
        )
    queue_mail(
        kind=MailKind.REGISTRATION,
        key=f"{_key_prefix(meeting)}{registration.pk}-{key_suffix or template}",
        recipient=registration.email,
        subject=" ".join(subject.split())[:300],
        body_text=text,
        body_html=html,
        attachment=attachment,
    )


def _space_public(meeting: Meeting) -> bool:
    from bodies.access import is_public

    return meeting.space_id is not None and is_public(meeting.space)
