"""Data protection: what the platform stores about a person, and forgetting them.

It lives in the portal, the top app, because a person's data is spread over every
app below it (accounts, mail, bodies, meetings) and lower apps must not import
higher ones.

- ``export_person_data`` gathers everything stored about a user account and its
  ``Person``: the "Meine Daten" download on the profile page, and the admin action
  for requests made on paper.
- ``anonymise_person`` forgets who a person was while keeping the record of the
  bodies whole: memberships, attendances, votes and minutes stay, so every count,
  quorum and result stays what it was; only the name and the ways to reach the
  person go.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from guardian.models import UserObjectPermissionBase

from aks.accounts.roles import roles_of
from aks.mail.models import OutboxMessage
from bodies.access import visibility_q
from bodies.models import Decision, Membership, Participation, Person, Poll, PollOption, Vote
from meetings.models import (
    ActionItem,
    Attendance,
    CalendarToken,
    Commitment,
    CommitmentNote,
    MinuteEntry,
    Registration,
)

from .activity import TRACKED

logger = logging.getLogger(__name__)

FORMAT_VERSION = 1


def _date(value):
    return value.isoformat() if value else None


def _person_of(user) -> Person | None:
    return Person.objects.filter(user=user).select_related("organisation").first()


def export_person_data(*, user=None, person: Person | None = None, reader=None) -> dict:
    """Everything stored about ``user`` and their ``Person`` (pass either), as plain
    JSON-ready data.

    ``reader``: the download from the profile page passes the person themself, and
    records in meetings and polls they may not open (an administration-internal
    Jour-Fixe they were a guest at) stay out, as they do from every other output.
    The platform admin answers a formal request with the admin action, which passes
    no reader and gets everything.

    Left out on purpose: the password hash (it is not data about the person, and a
    leaked export must not help guess the password), the calendar token's value (a
    secret, only whether one exists), and the choices in secret ballots, which are
    not stored with anyone's name — only that the person took part."""
    if person is None and user is not None:
        person = _person_of(user)
    if user is None and person is not None:
        user = person.user
    data: dict = {
        "format_version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
        "account": _account(user) if user is not None else None,
        "person": None,
    }
    if user is not None:
        data["mail"] = _mail(user)
        data["calendar_feed"] = {
            "exists": CalendarToken.objects.filter(user=user).exists(),
        }
        data["changes_made"] = _changes_made(user)
    data["event_registrations"] = [
        {
            "event": r.meeting.title,
            "date": _date(r.meeting.start),
            "name": r.name,
            "email": r.email,
            "organisation": r.organisation,
            "status": r.get_status_display(),
            "registered_at": _date(r.created_at),
            "consent_text": r.consent_text,
        }
        for r in Registration.objects.filter(_registration_q(user, person))
        .select_related("meeting")
        .order_by("created_at", "pk")
    ]
    if person is None:
        return data

    def visible(queryset):
        return queryset if reader is None else queryset.filter(_visible_q(reader, queryset.model))

    data["person"] = {
        "id": person.pk,
        "name": person.name,
        "email": person.email,
        "organisation": person.organisation.name if person.organisation else None,
        "created_at": _date(person.created_at),
        "updated_at": _date(person.updated_at),
    }
    data["memberships"] = [
        {
            "body": m.body.name,
            "role": m.get_role_display(),
            "side": m.get_side_display(),
            "organisation_represented": m.organisation.name if m.organisation else None,
            "voting_right": m.voting_right,
            "start": _date(m.start),
            "end": _date(m.end),
        }
        for m in Membership.objects.filter(person=person)
        .select_related("body", "organisation")
        .order_by("start", "pk")
    ]
    data["attendances"] = [
        {
            "meeting": a.meeting.title,
            "body": a.meeting.body.name,
            "start": _date(a.meeting.start),
            "status": a.get_status_display(),
        }
        for a in visible(Attendance.objects.filter(person=person))
        .select_related("meeting__body")
        .order_by("meeting__start", "pk")
    ]
    data["votes"] = _open_votes(person, visible)
    data["secret_ballots_taken_part_in"] = [
        {"poll": p.poll.title, "body": p.poll.body.name}
        for p in visible(Participation.objects.filter(cast_by=person))
        .select_related("poll__body")
        .order_by("poll__created_at", "pk")
    ]
    data["action_items"] = [
        {
            "title": item.title,
            "meeting": item.meeting.title,
            "due": _date(item.due),
            "status": item.get_status_display(),
        }
        for item in visible(ActionItem.objects.filter(assignee_person=person))
        .select_related("meeting")
        .order_by("due", "pk")
    ]
    data["commitments"] = [
        {
            "what": c.what,
            "organisation": c.organisation.name,
            "meeting": c.meeting.title,
            "due": _date(c.due),
            "status": c.get_status_display(),
        }
        for c in visible(Commitment.objects.filter(person=person))
        .select_related("organisation", "meeting")
        .order_by("due", "pk")
    ]
    data["minute_entries_as_speaker"] = [
        {
            "meeting": e.minutes.meeting.title,
            "date": _date(e.minutes.meeting.start),
            "section": e.get_section_display(),
            "text": e.text,
            "created_at": _date(e.created_at),
        }
        for e in visible(MinuteEntry.objects.filter(speaker=person))
        .select_related("minutes__meeting")
        .order_by("minutes__meeting__start", "position", "pk")
    ]
    data["candidacies"] = [
        {"poll": o.poll.title, "label": o.label}
        for o in visible(PollOption.objects.filter(candidate=person)).select_related("poll")
    ]
    return data


def _account(user) -> dict:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "is_active": user.is_active,
        "date_joined": _date(user.date_joined),
        "last_login": _date(user.last_login),
        "roles": sorted(roles_of(user)),
        "mail_preferences": {
            "invitation": user.mail_invitation,
            "reminder": user.mail_reminder,
            "minutes": user.mail_minutes,
            "due": user.mail_due,
        },
    }


def _visible_q(reader, model) -> Q:
    """The kernel's filter for ``model``, or for the meeting or poll a row hangs on."""
    if hasattr(model.objects, "visible_to") or hasattr(model, "visibility_parent"):
        return visibility_q(reader, model)
    parent = "meeting" if model is Attendance else "poll"
    return visibility_q(reader, model._meta.get_field(parent).related_model, prefix=f"{parent}__")


def _open_votes(person: Person, visible) -> list[dict]:
    # Only open ballots carry the voter: a secret ballot's Vote has no cast_by. The
    # filter on ``secret`` is belt and braces should a secret vote ever carry one.
    votes = list(
        visible(Vote.objects.filter(cast_by=person, poll__secret=False))
        .select_related("poll__body")
        .order_by("cast_at", "poll_id")
    )
    labels = {
        option.pk: str(option.display_label)
        for option in PollOption.objects.filter(poll__in={v.poll_id for v in votes})
    }
    return [
        {
            "poll": v.poll.title,
            "body": v.poll.body.name,
            "cast_at": _date(v.cast_at),
            "choices": [labels.get(int(choice), str(choice)) for choice in v.choices],
        }
        for v in votes
    ]


def _registration_q(user, person) -> Q:
    """Registrations for public events are kept by address, not by account."""
    addresses = {a.lower() for a in (getattr(user, "email", ""), getattr(person, "email", "")) if a}
    if not addresses:
        return Q(pk__in=[])
    query = Q()
    for address in addresses:
        query |= Q(email__iexact=address)
    return query


def _mail(user) -> list[dict]:
    return [
        {
            "kind": m.get_kind_display(),
            "recipient": m.recipient,
            "subject": m.subject,
            "text": m.body_text,
            "status": m.get_status_display(),
            "created_at": _date(m.created_at),
            "sent_at": _date(m.sent_at),
        }
        for m in OutboxMessage.objects.filter(_mail_q(user)).order_by("created_at", "pk")
    ]


def _mail_q(user) -> Q:
    q = Q(user=user)
    if user.email:
        q |= Q(recipient__iexact=user.email)
    return q


def _changes_made(user) -> list[dict]:
    """The audit-trail rows that name the user as author: which object, when."""
    changes = []
    for tracked in TRACKED:
        for record_id, when, kind in tracked.history.objects.filter(history_user=user).values_list(
            "id", "history_date", "history_type"
        ):
            changes.append({"type": tracked.name, "id": record_id, "at": _date(when), "kind": kind})
    changes.sort(key=lambda change: change["at"])
    return changes


# --- anonymising -----------------------------------------------------------------------

# Free text that may repeat a person's name: the name is replaced there too, in the
# live rows and in their historical copies (simple-history keeps old values).
# Candidates of elections carry the name as their option label.
_TEXT_FIELDS: tuple[tuple[type, tuple[str, ...]], ...] = (
    (PollOption, ("label",)),
    (Poll, ("motion", "result_text")),
    (Poll.history.model, ("motion", "result_text")),
    (Decision, ("text",)),
    (Decision.history.model, ("text",)),
    (MinuteEntry, ("text",)),
    (MinuteEntry.history.model, ("text",)),
    (Commitment, ("what",)),
    (Commitment.history.model, ("what",)),
    (CommitmentNote, ("text",)),
    (ActionItem, ("title",)),
)

# A shorter name would match inside ordinary words too often.
MIN_NAME_LENGTH = 4


@dataclass(frozen=True)
class AnonymisationResult:
    person_id: int
    new_name: str
    texts_changed: int
    mails_removed: int
    account_deactivated: bool


def anonymised_name(person: Person) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Anonymised person %(number)s") % {"number": person.pk}


@transaction.atomic
def anonymise_person(*, person: Person, by) -> AnonymisationResult:
    """Replace the person's name, scrub and close their account, remove their mail
    and calendar feed. Memberships, attendances, votes, participations, minute
    entries, commitments and action items keep pointing at the (now nameless)
    person, so counts, quorums and results stay as they were.

    What is not reached: a name written differently from ``Person.name`` in free
    text (a nickname in a minute entry) — the admin edits that by hand."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    old_name = person.name.strip()
    new_name = anonymised_name(person)
    texts_changed = _replace_name(old_name, new_name) if len(old_name) >= MIN_NAME_LENGTH else 0

    # Event registrations under the person's addresses keep their place and counts,
    # but no longer name anyone.
    registrations = list(Registration.objects.filter(_registration_q(person.user, person)))
    for registration in registrations:
        registration.name = new_name
        # one address per row: an event allows an address only once
        registration.email = f"anonymised-registration-{registration.pk}@example.invalid"
        registration.organisation = ""
    Registration.objects.bulk_update(registrations, ["name", "email", "organisation"])
    person.name = new_name
    person.email = ""
    person.save(update_fields=["name", "email", "updated_at"])

    mails_removed = 0
    user = person.user
    if user is not None:
        # Queued mail must not go out; sent and failed rows hold the address and text.
        mails_removed, _details = OutboxMessage.objects.filter(_mail_q(user)).delete()
        CalendarToken.objects.filter(user=user).delete()
        for model in apps.get_models():
            if issubclass(model, UserObjectPermissionBase):
                model.objects.filter(user=user).delete()
        user.groups.clear()
        # The address must stay unique; ".invalid" can never receive mail (RFC 2606).
        user.email = f"anonymised-{user.pk}@example.invalid"
        user.display_name = new_name
        user.is_active = False
        user.is_staff = False
        user.is_superuser = False
        user.mail_invitation = user.mail_reminder = user.mail_minutes = user.mail_due = False
        user.last_login = None
        # Also ends every session: the session hash derives from the password.
        user.set_unusable_password()
        user.save()
    logger.info("Person %s anonymised by user %s", person.pk, getattr(by, "pk", None) or "system")
    return AnonymisationResult(
        person_id=person.pk,
        new_name=new_name,
        texts_changed=texts_changed,
        mails_removed=mails_removed,
        account_deactivated=user is not None,
    )


def _replace_name(old: str, new: str) -> int:
    """Replace ``old`` as a whole word in every free-text field that may hold it.

    Rows are written with ``bulk_update``: no new history rows (the old name would be
    kept in them), and no lock check on approved minutes — forgetting a person is the
    one change approved minutes must still take."""
    pattern = re.compile(rf"(?<!\w){re.escape(old)}(?!\w)")
    changed = 0
    for model, fields in _TEXT_FIELDS:
        query = Q()
        for name in fields:
            query |= Q(**{f"{name}__contains": old})
        rows = list(model._default_manager.filter(query))
        for row in rows:
            for name in fields:
                setattr(row, name, pattern.sub(new, getattr(row, name) or ""))
        if rows:
            model._default_manager.bulk_update(rows, fields)
            changed += len(rows)
    return changed
