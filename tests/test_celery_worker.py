"""A task travels through Redis to a real worker process and back."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from aks.portal.tasks import ping

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def worker():
    if not settings.REDIS_URL:
        reason = "REDIS_URL is not set: no broker for a real worker"
        if os.environ.get("CI"):
            pytest.fail(f"{reason} (CI must run this test)")
        pytest.skip(reason)
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
            f"--hostname=test-{uuid.uuid4().hex[:8]}@%h",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.mark.worker
def test_a_task_round_trips_through_redis_and_a_real_worker(worker):
    token = uuid.uuid4().hex
    result = ping.delay(token)
    assert result.get(timeout=60) == f"pong:{token}"
    assert worker.poll() is None


def test_without_a_broker_tasks_run_eagerly_in_process(settings):
    if settings.REDIS_URL:
        pytest.skip("a broker is configured; the eager default is tested without REDIS_URL")
    assert ping.delay("demo").get(timeout=1) == "pong:demo"
