"""Putting mail into the outbox and getting it out again.

Writers call `queue_mail` inside their own transaction; the row commits with the
change that caused it, and only then is a task published. If the broker is down at
that moment, the row waits for `flush_outbox` (beat), so nothing is lost."""

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from aks.queue import try_send

from .models import MailKind, OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

# After this many failed attempts a mail is given up and shown as failed in the admin.
MAX_ATTEMPTS = 8

_PREFERENCE_FIELD = {
    MailKind.INVITATION: "mail_invitation",
    MailKind.REMINDER: "mail_reminder",
    MailKind.MINUTES: "mail_minutes",
    MailKind.DUE: "mail_due",
}


def wants_mail(user, kind: str) -> bool:
    """Whether the user gets this kind of mail at all (an active account, an address,
    and the kind not turned off on the profile page)."""
    if user is None or not user.is_active or not user.email:
        return False
    field = _PREFERENCE_FIELD.get(MailKind(kind))
    return field is None or bool(getattr(user, field))


@dataclass(frozen=True)
class Attachment:
    name: str
    content_type: str
    content: bytes


def queue_mail(
    *,
    kind: str,
    key: str,
    user=None,
    recipient: str = "",
    subject: str,
    body_text: str,
    body_html: str = "",
    attachment: Attachment | None = None,
) -> OutboxMessage | None:
    """Queue one mail to ``user`` — or, for people without an account (registrants of
    public events), to the address ``recipient`` — unless the same (kind, key) already
    went there.

    Returns the new row, or None when it existed already or the user does not want
    this kind of mail."""
    if user is not None:
        if not wants_mail(user, kind):
            return None
        recipient = user.email
    if not recipient:
        return None
    with transaction.atomic():
        message, created = OutboxMessage.objects.get_or_create(
            kind=kind,
            key=key,
            recipient=recipient,
            defaults={
                "user": user,
                "subject": subject,
                "body_text": body_text,
                "body_html": body_html,
                "attachment_name": attachment.name if attachment else "",
                "attachment_type": attachment.content_type if attachment else "",
                "attachment": attachment.content if attachment else b"",
            },
        )
    if not created:
        return None
    pk = message.pk
    transaction.on_commit(lambda: publish(pk))
    return message


def publish(pk: int) -> bool:
    """Hand one queued mail to a worker; a broker that is down leaves the row for
    flush_outbox."""
    from .tasks import send_message

    return try_send(send_message, pk)


def deliver(*, pk: int) -> bool:
    """Send one queued mail exactly once.

    The row is locked while sending, so a second task for the same row waits and then
    finds it sent. Returns True if this call sent it. A failed send is recorded and
    re-raised so the task can retry with backoff."""
    with transaction.atomic():
        message = OutboxMessage.objects.select_for_update().filter(pk=pk).first()
        if message is None or message.status != OutboxStatus.QUEUED:
            return False
        try:
            _build(message).send(fail_silently=False)
        except Exception as error:
            message.attempts += 1
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxStatus.FAILED
            message.save(update_fields=["attempts", "last_error", "status"])
            failure = error
        else:
            message.status = OutboxStatus.SENT
            message.sent_at = timezone.now()
            message.attempts += 1
            message.save(update_fields=["status", "sent_at", "attempts"])
            return True
    raise failure


def due_for_flush(*, now: datetime.datetime | None = None) -> list[int]:
    """Queued mails whose own task should have sent them by now."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.MAIL_OUTBOX_GRACE_SECONDS)
    return list(
        OutboxMessage.objects.filter(status=OutboxStatus.QUEUED, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:500]
    )


def _build(message: OutboxMessage) -> EmailMultiAlternatives:
    mail = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.recipient],
        headers={"Auto-Submitted": "auto-generated"},
    )
    if message.body_html:
        mail.attach_alternative(message.body_html, "text/html")
    if message.attachment_name:
        mail.attach(message.attachment_name, bytes(message.attachment), message.attachment_type)
    return mail
