"""Beat task for event registrations: delete registrants' personal data after the event.

Import this module in ``meetings/tasks.py`` so the worker registers the task under the
name the beat schedule uses."""

from celery import shared_task

from . import registration


@shared_task(name="meetings.tasks.purge_registrations", acks_late=True)
def purge_registrations() -> int:
    """Beat (daily): keep only the counts of registrations of events long past.

    Idempotent: a second run finds nothing left to delete."""
    return registration.purge_registrations()
