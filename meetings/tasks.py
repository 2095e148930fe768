"""Celery tasks of the meetings app: take primary keys, are idempotent, are sent on commit."""
