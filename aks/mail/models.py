from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MailKind(models.TextChoices):
    """What a mail is about; each kind can be turned off by its recipient."""

    INVITATION = "invitation", _("Invitation")
    REMINDER = "reminder", _("Reminder")
    MINUTES = "minutes", _("Minutes circulated")
    DUE = "due", _("Action items and commitments due")
    # Mail to people without an account, which they asked for (event registrations);
    # there is no switch for it: they unsubscribe by cancelling the registration.
    REGISTRATION = "registration", _("Event registration")


class OutboxStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class OutboxMessage(models.Model):
    """One mail to one recipient, written in the same transaction as the change
    that causes it.

    The row is the record that a sending happened: (kind, key, recipient) is unique,
    so a scan that runs twice or a task that is delivered twice cannot send twice,
    and a mail created while the broker is down waits here until a worker flushes it."""

    kind = models.CharField(_("kind"), max_length=20, choices=MailKind.choices)
    key = models.CharField(_("key"), max_length=200)
    recipient = models.EmailField(_("recipient"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("text"))
    body_html = models.TextField(_("HTML"), blank=True)
    attachment_name = models.CharField(_("attachment name"), max_length=200, blank=True)
    attachment_type = models.CharField(_("attachment type"), max_length=100, blank=True)
    attachment = models.BinaryField(_("attachment"), blank=True, default=b"")
    status = models.CharField(
        _("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing mail")
        verbose_name_plural = _("outgoing mails")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key", "recipient"], name="outbox_message_sent_once"
            ),
        ]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}"
