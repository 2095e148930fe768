"""Celery tasks of the meetings app: take primary keys, are idempotent, are sent on commit."""

from celery import shared_task
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from . import notifications
from .registration_tasks import purge_registrations  # noqa: F401 - registers the purge task


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


@shared_task(acks_late=True)
def extend_series() -> int:
    """Beat: keep every running series generated a year ahead (generation is
    idempotent, so a doubled run adds nothing)."""
    from .models import MeetingSeries
    from .services import generate_meetings, series_horizon

    today = timezone.localdate()
    created = 0
    for series in MeetingSeries.objects.filter(Q(until__isnull=True) | Q(until__gte=today)):
        with transaction.atomic():
            created += len(
                generate_meetings(series=series, until=series_horizon(series=series, today=today))
            )
    return created
