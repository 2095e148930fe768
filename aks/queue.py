"""Handing work to Celery after the database has it.

Every task here is backed by a committed row (an outbox message, a pending PDF),
so publishing is best effort: if the broker is down, the row waits for the beat
scan or the next request, and the user's request must not fail with a 500."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def try_send(task, *args) -> bool:
    """Publish ``task(*args)``; False (and a warning) when the broker is unreachable."""
    try:
        task.delay(*args)
    except Exception:  # noqa: BLE001 - any broker failure; the committed row is the record
        logger.warning("Broker unreachable; %s%r waits for its row", task.name, args)
        return False
    return True


def send_on_commit(task, *args) -> None:
    """Publish ``task(*args)`` once the current transaction has committed."""
    transaction.on_commit(lambda: try_send(task, *args))
