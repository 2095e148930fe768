"""A real Celery worker in a subprocess, for tests that need the broker and a worker."""

import contextlib
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent


def require_broker() -> None:
    from aks.celery import app

    if not settings.REDIS_URL:
        reason = "REDIS_URL is not set: no broker for a real worker"
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI must run this test)")
        pytest.skip(reason)
    # A test that forced eager execution and did not restore it would make the
    # worker tests run in-process and prove nothing.
    assert not app.conf.task_always_eager, "an earlier test left Celery eager"


def shared_database_url() -> str:
    """The URL of the database the running test uses (pytest-django's test_… copy),
    so that a worker process reads and writes the same rows."""
    db = settings.DATABASES["default"]
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{db.get('USER') or 'postgres'}@{host}:{port}/{db['NAME']}"


@contextlib.contextmanager
def running_worker(*, queues: str = "celery", **env_overrides):
    require_broker()
    env = os.environ.copy()
    env.update(env_overrides)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "aks",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "--loglevel=warning",
            f"--queues={queues}",
            f"--hostname=test-{uuid.uuid4().hex[:8]}@%h",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
