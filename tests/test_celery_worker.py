"""A task travels through Redis to a real worker process and back."""

import uuid

import pytest

from aks.portal.tasks import ping
from tests.workers import running_worker


@pytest.fixture
def worker():
    with running_worker() as process:
        yield process


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
