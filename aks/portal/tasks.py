from celery import shared_task


@shared_task
def ping(token: str) -> str:
    """Round trip for health checks and tests: the worker echoes the token."""
    return f"pong:{token}"


@shared_task(name="aks.portal.tasks.apply_retention", acks_late=True)
def apply_retention() -> dict[str, int]:
    """Daily (beat): delete what the rules in ``aks.portal.retention`` say is due.
    Idempotent, so a run delivered twice deletes nothing more."""
    from .retention import apply_retention as run

    return run()
