"""Celery tasks of the meetings app: take primary keys, are idempotent, are sent on commit."""

from celery import shared_task
from django.db import transaction

from . import notifications


@shared_task(acks_late=True)
def scan_reminders() -> int:
    """Beat: queue the reminders that are due (each at most once per recipient)."""
    with transaction.atomic():
        return notifications.scan_reminders()


@shared_task(acks_late=True)
def scan_due() -> int:
    """Beat: queue the mails for action items and commitments whose day has come."""
    with transaction.atomic():
        return notifications.scan_due()
from .documents import render_document  # noqa: F401
