import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


# ignore_result: the row records the outcome, and publishing must not wait on a
# result store that is as unreachable as the broker.
@shared_task(
    acks_late=True,
    ignore_result=True,
    autoretry_for=(Exception,),
    retry_backoff=30,
    retry_backoff_max=3600,
    retry_jitter=True,
    max_retries=services.MAX_ATTEMPTS,
)
def send_message(pk: int) -> bool:
    return services.deliver(pk=pk)


@shared_task(acks_late=True)
def flush_outbox() -> int:
    """Send what waited: mails queued while the broker was down, or whose task was lost."""
    sent = 0
    for pk in services.due_for_flush():
        try:
            sent += services.deliver(pk=pk)
        except Exception:  # noqa: BLE001 - recorded on the row; the next flush tries again
            logger.warning("Outbox message %s could not be sent; it stays queued", pk)
    return sent
