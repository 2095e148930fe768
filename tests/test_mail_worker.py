"""Mail through a real worker on Redis: reminders exactly once, nothing lost while
Redis is down."""

import datetime
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.utils import timezone

from aks.mail.models import MailKind, OutboxMessage, OutboxStatus
from aks.mail.tasks import flush_outbox
from meetings.models import Attendance, MeetingStatus
from meetings.tasks import scan_reminders
from tests.factories import PersonFactory, UserFactory
from tests.meetings.factories import MeetingFactory
from tests.workers import ROOT, require_broker, running_worker, shared_database_url

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def wait_until_sent(count: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() >= count:
            return
        time.sleep(0.2)
    raise AssertionError(
        f"expected {count} sent mails, have "
        f"{list(OutboxMessage.objects.values_list('kind', 'status', 'last_error'))}"
    )


def mails_in(folder: Path) -> list[str]:
    """The filebased backend writes each message with its headers; count subjects."""
    subjects = []
    for path in folder.iterdir():
        for line in path.read_text().splitlines():
            if line.startswith("Subject: "):
                subjects.append(line)
    return subjects


def invited_meeting(*, starts_in: datetime.timedelta, people: int):
    meeting = MeetingFactory(
        start=timezone.now() + starts_in, status=MeetingStatus.INVITED, title="Jour-Fixe"
    )
    for _ in range(people):
        Attendance.objects.create(meeting=meeting, person=PersonFactory(user=UserFactory()))
    return meeting


def test_reminders_due_are_sent_exactly_once_although_the_scan_runs_twice(tmp_path, settings):
    require_broker()
    invited_meeting(starts_in=datetime.timedelta(days=1), people=3)
    invited_meeting(starts_in=datetime.timedelta(days=20), people=2)  # not due yet
    with running_worker(
        DATABASE_URL=shared_database_url(), EMAIL_URL=f"filemail:///{tmp_path}"
    ) as worker:
        first, second = scan_reminders.delay(), scan_reminders.delay()
        assert sorted([first.get(timeout=60), second.get(timeout=60)]) == [0, 3]
        wait_until_sent(3)
        # a third scan, as beat would run it later, finds nothing new
        assert scan_reminders.delay().get(timeout=60) == 0
        assert worker.poll() is None
    assert OutboxMessage.objects.filter(kind=MailKind.REMINDER).count() == 3
    assert len(mails_in(tmp_path)) == 3


def test_a_mail_created_while_redis_is_down_goes_out_once_redis_is_back(tmp_path):
    require_broker()
    meeting = MeetingFactory(start=timezone.now() + datetime.timedelta(days=5))
    invitee = UserFactory()
    Attendance.objects.create(meeting=meeting, person=PersonFactory(user=invitee))

    # Another process invites while its broker (a port nobody listens on) is down.
    env = os.environ.copy()
    env.update(
        DATABASE_URL=shared_database_url(),
        REDIS_URL="redis://127.0.0.1:9/0",
        EMAIL_URL=f"filemail:///{tmp_path}",
    )
    script = (
        "from meetings.models import Meeting; from meetings.services import "
        "change_meeting_status; "
        f"change_meeting_status(meeting=Meeting.objects.get(pk={meeting.pk}), "
        "status='invited')"
    )
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert time.monotonic() - started < 20, "an unreachable broker must not hang the request"
    message = OutboxMessage.objects.get(kind=MailKind.INVITATION)
    assert message.status == OutboxStatus.QUEUED
    assert not any(tmp_path.iterdir())

    # Redis is back: the beat flush (run here as beat would) sends it, once.
    OutboxMessage.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    with running_worker(DATABASE_URL=shared_database_url(), EMAIL_URL=f"filemail:///{tmp_path}"):
        assert flush_outbox.delay().get(timeout=60) == 1
        assert flush_outbox.delay().get(timeout=60) == 0
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    subjects = mails_in(tmp_path)
    assert len(subjects) == 1 and subjects[0].startswith("Subject: Einladung: ")
