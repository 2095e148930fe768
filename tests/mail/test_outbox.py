"""The outbox: each mail once, nothing lost when the broker is down, preferences kept."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone

from aks.mail import services
from aks.mail.models import MailKind, OutboxMessage, OutboxStatus
from aks.mail.tasks import flush_outbox, send_message
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("eager_tasks")]


def queue(user, key="k-1", **kwargs):
    return services.queue_mail(
        kind=MailKind.REMINDER,
        key=key,
        user=user,
        subject="Erinnerung",
        body_text="Text",
        body_html="<p>Text</p>",
        **kwargs,
    )


def test_it_sends_a_queued_mail_once_the_transaction_commits():
    user = UserFactory()
    message = queue(user)
    assert message is not None
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [user.email]
    assert sent.alternatives[0][1] == "text/html"
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.sent_at is not None


def test_it_queues_the_same_mail_for_the_same_person_only_once():
    user = UserFactory()
    assert queue(user) is not None
    assert queue(user) is None
    assert OutboxMessage.objects.count() == 1
    assert len(mail.outbox) == 1


def test_it_sends_nothing_to_those_who_turned_the_kind_off():
    user = UserFactory(mail_reminder=False)
    assert queue(user) is None
    assert OutboxMessage.objects.count() == 0
    # other kinds still reach them
    other = services.queue_mail(
        kind=MailKind.MINUTES, key="m", user=user, subject="s", body_text="t"
    )
    assert other is not None


def test_it_sends_nothing_to_inactive_accounts():
    assert queue(UserFactory(is_active=False)) is None


def test_a_second_delivery_of_the_same_task_does_not_send_again():
    user = UserFactory()
    message = queue(user)
    assert send_message.delay(message.pk).get() is False
    assert services.deliver(pk=message.pk) is False
    assert len(mail.outbox) == 1


def test_it_keeps_the_mail_when_the_broker_is_down_and_the_flush_sends_it_later():
    user = UserFactory()
    with mock.patch.object(send_message, "delay", side_effect=ConnectionError("redis down")):
        message = queue(user)
    assert len(mail.outbox) == 0
    message.refresh_from_db()
    assert message.status == OutboxStatus.QUEUED
    # The flush leaves young rows to their own task ...
    assert flush_outbox.delay().get() == 0
    # ... and sends them once the grace period is over.
    OutboxMessage.objects.filter(pk=message.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    assert flush_outbox.delay().get() == 1
    assert flush_outbox.delay().get() == 0
    assert len(mail.outbox) == 1


def test_a_failed_send_is_recorded_and_retried_until_it_gives_up(settings):
    user = UserFactory()
    with mock.patch.object(send_message, "delay"):
        message = queue(user)
    with mock.patch("django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("smtp")):
        for attempt in range(1, services.MAX_ATTEMPTS + 1):
            with pytest.raises(OSError):
                services.deliver(pk=message.pk)
            message.refresh_from_db()
            assert message.attempts == attempt
    assert message.status == OutboxStatus.FAILED
    assert "smtp" in message.last_error
    assert services.deliver(pk=message.pk) is False
    assert len(mail.outbox) == 0


def test_it_attaches_a_calendar_file():
    user = UserFactory()
    queue(
        user,
        attachment=services.Attachment("einladung.ics", "text/calendar", b"BEGIN:VCALENDAR"),
    )
    name, content, mimetype = mail.outbox[0].attachments[0]
    assert (name, mimetype) == ("einladung.ics", "text/calendar")
    assert b"VCALENDAR" in (content if isinstance(content, bytes) else content.encode())


def test_the_profile_page_turns_each_kind_of_mail_off(client):
    from django.urls import reverse

    from tests.html import assert_valid_html

    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("accounts:profile"))
    assert_valid_html(page)
    assert "mail_reminder" in page.content.decode()
    response = client.post(
        reverse("accounts:profile"),
        {"display_name": "Kim", "mail_invitation": "on", "mail_minutes": "on"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.mail_invitation, user.mail_reminder, user.mail_minutes, user.mail_due) == (
        True,
        False,
        True,
        False,
    )


def test_it_mails_people_without_an_account_by_address():
    message = services.queue_mail(
        kind=MailKind.REGISTRATION,
        key="registration-1-confirm",
        recipient="gast@example.org",
        subject="Bitte bestätigen",
        body_text="Link",
    )
    assert message is not None and message.user is None
    assert mail.outbox[0].to == ["gast@example.org"]
