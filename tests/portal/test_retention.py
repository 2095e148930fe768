"""Retention: what is deleted when, by the daily task."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from aks.mail.models import MailKind, OutboxMessage, OutboxStatus
from aks.portal import retention
from aks.portal.tasks import apply_retention
from documents.models import RenderedDocument, RenderStatus
from meetings.calendar import ensure_calendar_token
from meetings.documents import MINUTES
from meetings.models import CalendarToken
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()
DAY = datetime.timedelta(days=1)


def _mail(key, status, *, age_days):
    message = OutboxMessage.objects.create(
        kind=MailKind.REMINDER,
        key=key,
        recipient=f"{key}@example.org",
        subject="s",
        body_text="t",
        status=status,
        sent_at=NOW - age_days * DAY if status == OutboxStatus.SENT else None,
    )
    OutboxMessage.objects.filter(pk=message.pk).update(created_at=NOW - age_days * DAY)
    return message


def test_it_deletes_old_sent_and_failed_mail_and_keeps_the_rest():
    old_sent = _mail("old-sent", OutboxStatus.SENT, age_days=91)
    new_sent = _mail("new-sent", OutboxStatus.SENT, age_days=10)
    old_failed = _mail("old-failed", OutboxStatus.FAILED, age_days=181)
    new_failed = _mail("new-failed", OutboxStatus.FAILED, age_days=100)
    queued = _mail("queued", OutboxStatus.QUEUED, age_days=400)

    assert retention.purge_mail(now=NOW) == 2
    left = set(OutboxMessage.objects.values_list("pk", flat=True))
    assert left == {new_sent.pk, new_failed.pk, queued.pk}
    assert old_sent.pk not in left and old_failed.pk not in left


def test_it_reads_the_periods_from_settings(settings):
    settings.RETENTION_MAIL_SENT_DAYS = 5
    _mail("a", OutboxStatus.SENT, age_days=6)
    assert retention.purge_mail(now=NOW) == 1


def _document(meeting, fingerprint, *, age_days, status=RenderStatus.DONE, audience="public"):
    document = RenderedDocument.objects.create(
        kind=MINUTES,
        subject_id=str(meeting.pk),
        audience=audience,
        fingerprint=fingerprint,
        status=status,
    )
    if status == RenderStatus.DONE:
        document.file.save(f"{fingerprint}.pdf", ContentFile(b"%PDF-1.7"), save=True)
    RenderedDocument.objects.filter(pk=document.pk).update(created_at=NOW - age_days * DAY)
    return document


def test_it_deletes_superseded_renderings_with_their_files(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    meeting = MeetingFactory()
    superseded = _document(meeting, "a" * 64, age_days=40)
    recent_superseded = _document(meeting, "b" * 64, age_days=10)
    current = _document(meeting, "c" * 64, age_days=5)
    other_audience = _document(meeting, "a" * 64, age_days=40, audience="team")
    failed = _document(meeting, "d" * 64, age_days=40, status=RenderStatus.FAILED)
    pending = _document(meeting, "e" * 64, age_days=40, status=RenderStatus.PENDING)
    path = superseded.file.path

    assert retention.purge_documents(now=NOW) == 2
    left = set(RenderedDocument.objects.values_list("pk", flat=True))
    assert left == {recent_superseded.pk, current.pk, other_audience.pk, pending.pk}
    assert failed.pk not in left
    assert not (tmp_path / path).exists()


def test_it_deletes_calendar_tokens_of_deactivated_accounts(make_user):
    active, closed = make_user(), make_user(is_active=False)
    ensure_calendar_token(user=active)
    ensure_calendar_token(user=closed)
    assert retention.purge_calendar_tokens() == 1
    assert list(CalendarToken.objects.values_list("user", flat=True)) == [active.pk]


def test_the_daily_task_applies_every_rule_and_a_second_run_finds_nothing(eager_tasks):
    _mail("old", OutboxStatus.SENT, age_days=200)
    first = apply_retention.delay().get()
    assert first["mail"] == 1
    second = apply_retention.delay().get()
    assert all(count == 0 for count in second.values())
