"""Retention: what the platform deletes, and when — the one place that says so.

``apply_retention`` runs daily (beat → ``aks.portal.tasks.apply_retention``) and is
idempotent: a second run the same day finds nothing more to delete. Each rule reads
its period from settings, with the default below.

- Sent mails (``aks.mail.OutboxMessage``): when sent more than
  ``RETENTION_MAIL_SENT_DAYS`` (90) days ago.
- Failed mails: when created more than ``RETENTION_MAIL_FAILED_DAYS`` (180) days ago.
- Rendered PDFs (``documents.RenderedDocument``, row and file): when a newer rendering
  of the same document for the same audience exists (its content changed) and the
  old one is more than ``RETENTION_DOCUMENTS_DAYS`` (30) days old; failed renderings
  after the same period.
- Calendar tokens (``meetings.CalendarToken``): at once when the account is
  deactivated — a feed address outliving its account is only a leak.
- Expired sessions: when expired (Django's ``clear_expired``).
- Login attempt logs (django-axes, when installed): after
  ``RETENTION_LOGIN_LOG_DAYS`` (30) days.
- Event registrations (``meetings.Registration``): ``MEETINGS_REGISTRATION_RETENTION_DAYS``
  (30) days after the event, counts stay — by their own daily task
  ``meetings.tasks.purge_registrations`` (``meetings.registration``), not here.

Kept on purpose, without a deadline: minutes, entries, votes, decisions, memberships,
attendances, commitments and their audit trail (django-simple-history) — they are the
record of the bodies. A person who asks to be forgotten is anonymised instead
(``aks.portal.privacy.anonymise_person``): the rows stay, the name goes.

Why sent mails may go after 90 days: the outbox row is also the guard that a mail
goes out only once per (kind, key, recipient). Every scan that queues mail looks at
meetings and due dates at most a few weeks ahead or behind, so a row older than the
period can no longer be asked for again. Do not set the period below the longest
scan window (``MEETINGS_REMINDER_DAYS``, the due scan).
"""

from __future__ import annotations

import datetime
import logging
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from aks.mail.models import OutboxMessage, OutboxStatus
from documents.models import RenderedDocument, RenderStatus
from meetings.models import CalendarToken

logger = logging.getLogger(__name__)

DEFAULTS = {
    "RETENTION_MAIL_SENT_DAYS": 90,
    "RETENTION_MAIL_FAILED_DAYS": 180,
    "RETENTION_DOCUMENTS_DAYS": 30,
    "RETENTION_LOGIN_LOG_DAYS": 30,
}

# Rendered documents are deleted in batches so one run never holds a long lock.
BATCH = 500


def period(name: str) -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, name, DEFAULTS[name]))


def purge_mail(*, now: datetime.datetime) -> int:
    sent = OutboxMessage.objects.filter(
        status=OutboxStatus.SENT, sent_at__lt=now - period("RETENTION_MAIL_SENT_DAYS")
    )
    failed = OutboxMessage.objects.filter(
        status=OutboxStatus.FAILED, created_at__lt=now - period("RETENTION_MAIL_FAILED_DAYS")
    )
    return sent.delete()[0] + failed.delete()[0]


def _newer():
    """A later rendering of the same document (kind, subject, audience) made from
    other content."""
    return RenderedDocument.objects.filter(
        kind=OuterRef("kind"),
        subject_id=OuterRef("subject_id"),
        audience=OuterRef("audience"),
        created_at__gt=OuterRef("created_at"),
    ).exclude(fingerprint=OuterRef("fingerprint"))


def superseded_documents(*, now: datetime.datetime):
    """Renderings older than the period with a newer one of the same document for the
    same audience (its content changed since), and old failed renderings. Pending
    and running rows are left alone: a worker may be writing them."""
    cutoff = now - period("RETENTION_DOCUMENTS_DAYS")
    return (
        RenderedDocument.objects.filter(created_at__lt=cutoff)
        .annotate(newer=Exists(_newer()))
        .filter(Q(status=RenderStatus.DONE, newer=True) | Q(status=RenderStatus.FAILED))
    )


def purge_documents(*, now: datetime.datetime) -> int:
    deleted = 0
    while True:
        batch = list(superseded_documents(now=now).order_by("pk")[:BATCH])
        if not batch:
            return deleted
        for document in batch:
            if document.file:
                # The storage may have lost the file already; the row goes anyway.
                document.file.delete(save=False)
        deleted += RenderedDocument.objects.filter(pk__in=[d.pk for d in batch]).delete()[0]


def purge_calendar_tokens() -> int:
    # A feed address outlives a closed account only as a leak: nobody may use it.
    return CalendarToken.objects.filter(user__is_active=False).delete()[0]


def purge_sessions() -> int:
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()
    return 0


def purge_login_logs(*, now: datetime.datetime) -> int:
    if not apps.is_installed("axes"):
        return 0
    cutoff = now - period("RETENTION_LOGIN_LOG_DAYS")
    deleted = 0
    for name in ("AccessLog", "AccessFailureLog"):
        try:
            model = apps.get_model("axes", name)
        except LookupError:
            continue
        deleted += model.objects.filter(attempt_time__lt=cutoff).delete()[0]
    return deleted


def apply_retention(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Apply every rule above once; returns how many rows each rule deleted."""
    now = now or timezone.now()
    result = {
        "mail": purge_mail(now=now),
        "documents": purge_documents(now=now),
        "calendar_tokens": purge_calendar_tokens(),
        "sessions": purge_sessions(),
        "login_logs": purge_login_logs(now=now),
    }
    logger.info("Retention applied: %s", result)
    return result
