from celery import shared_task


@shared_task
def ping(token: str) -> str:
    """Round trip for health checks and tests: the worker echoes the token."""
    return f"pong:{token}"
