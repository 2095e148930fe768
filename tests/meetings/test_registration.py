"""Registration for public events without an account: double opt-in, capacity and
waiting list, cancelling (also two at once), closing time, deletion after the event,
rate limit and bot checks."""

import datetime
import os
import threading

import icalendar
import pytest
from django.core import mail
from django.core.cache import cache
from django.db import IntegrityError, connection
from django.urls import reverse
from django.utils import timezone

from aks.mail.models import MailKind, OutboxMessage
from meetings import registration as services
from meetings.models import (
    MeetingStatus,
    Registration,
    RegistrationCount,
    RegistrationStatus,
)
from meetings.registration_tasks import purge_registrations
from tests.meetings.factories_events import EventFactory, RegistrationFactory, started_token

CONSENT = "Einverstanden."


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    # The rate limit counts in the process-wide cache; every test starts from zero.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def publish_at_once(monkeypatch, eager_tasks):
    # The test runs in one transaction that never commits; publish mails at once.
    monkeypatch.setattr("aks.mail.services.transaction.on_commit", lambda func, **kw: func())


def _register(meeting, email, name="Gast"):
    return services.register(meeting=meeting, name=name, email=email, consent_text=CONSENT)


def _registered(meeting, email):
    registration = _register(meeting, email)
    return services.confirm(token=registration.token)


def _mails_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def _form(meeting, **overrides):
    data = {
        "name": "Kim Gast",
        "email": "kim@example.org",
        "organisation": "Kiezladen",
        "consent": "on",
        "website": "",
        "started": started_token(meeting),
    }
    data.update(overrides)
    return data


# --- double opt-in ---------------------------------------------------------------------


@pytest.mark.django_db
def test_it_mails_a_confirmation_link_and_holds_no_seat_before_confirmation(publish_at_once):
    meeting = EventFactory(capacity=1)
    registration = _register(meeting, "Kim@Example.org ")

    assert registration.status == RegistrationStatus.PENDING
    assert registration.email == "kim@example.org"
    assert services.seats(meeting).free == 1
    (sent,) = _mails_to("kim@example.org")
    confirm_url = reverse("meetings:registration_confirm", args=[registration.token])
    assert confirm_url in sent.body
    assert not sent.attachments
    row = OutboxMessage.objects.get(recipient="kim@example.org")
    assert row.kind == MailKind.REGISTRATION and row.user is None


@pytest.mark.django_db
def test_it_confirms_with_a_seat_and_sends_the_event_as_ics(publish_at_once):
    meeting = EventFactory(capacity=1)
    registration = _registered(meeting, "kim@example.org")

    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.confirmed_at is not None
    confirmed = _mails_to("kim@example.org")[-1]
    (name, content, mimetype) = confirmed.attachments[0]
    assert name.endswith(".ics") and mimetype == "text/calendar"
    event = icalendar.Calendar.from_ical(content).walk("VEVENT")[0]
    assert str(event["summary"]) == meeting.title
    assert reverse("meetings:registration_cancel", args=[registration.token]) in confirmed.body


@pytest.mark.django_db
def test_confirming_twice_changes_nothing_and_mails_once(publish_at_once):
    meeting = EventFactory(capacity=5)
    registration = _registered(meeting, "kim@example.org")
    again = services.confirm(token=registration.token)

    assert again.status == RegistrationStatus.CONFIRMED
    assert len(_mails_to("kim@example.org")) == 2  # the link, then the confirmation


@pytest.mark.django_db
def test_the_mail_link_confirms_only_with_the_button(client, publish_at_once):
    meeting = EventFactory()
    registration = _register(meeting, "kim@example.org")
    url = reverse("meetings:registration_confirm", args=[registration.token])

    # Mail scanners open links: a GET must not confirm anything.
    assert client.get(url).status_code == 200
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.PENDING

    response = client.post(url)
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CONFIRMED


@pytest.mark.django_db
def test_an_unknown_token_answers_404(client):
    assert client.get(reverse("meetings:registration_confirm", args=["nope"])).status_code == 404
    assert client.post(reverse("meetings:registration_cancel", args=["nope"])).status_code == 404


@pytest.mark.django_db
def test_the_same_address_registers_once_per_event(publish_at_once):
    meeting = EventFactory()
    first = _register(meeting, "kim@example.org")
    second = _register(meeting, "KIM@example.org")

    assert second.pk == first.pk
    assert Registration.objects.filter(meeting=meeting).count() == 1
    with pytest.raises(IntegrityError):
        RegistrationFactory(meeting=meeting, email="kim@example.org")


@pytest.mark.django_db
def test_a_cancelled_address_may_register_again(publish_at_once):
    meeting = EventFactory()
    first = _registered(meeting, "kim@example.org")
    services.cancel(token=first.token)
    second = _register(meeting, "kim@example.org")

    assert second.pk != first.pk and second.status == RegistrationStatus.PENDING


# --- capacity and waiting list -----------------------------------------------------------


@pytest.mark.django_db
def test_confirmations_beyond_capacity_go_on_the_waiting_list_in_order(publish_at_once):
    meeting = EventFactory(capacity=2)
    a, b = _registered(meeting, "a@example.org"), _registered(meeting, "b@example.org")
    c, d = _registered(meeting, "c@example.org"), _registered(meeting, "d@example.org")

    assert [r.status for r in (a, b)] == [RegistrationStatus.CONFIRMED] * 2
    assert [(r.status, r.position) for r in (c, d)] == [
        (RegistrationStatus.WAITING, 1),
        (RegistrationStatus.WAITING, 2),
    ]
    waiting_mail = _mails_to("c@example.org")[-1]
    assert "Platz 1" in waiting_mail.body
    assert not waiting_mail.attachments
    seats = services.seats(meeting)
    assert (seats.confirmed, seats.waiting, seats.free) == (2, 2, 0)


@pytest.mark.django_db
def test_cancelling_promotes_the_first_on_the_waiting_list_and_mails_them(publish_at_once):
    meeting = EventFactory(capacity=1)
    first = _registered(meeting, "a@example.org")
    second = _registered(meeting, "b@example.org")
    third = _registered(meeting, "c@example.org")
    mail.outbox.clear()

    services.cancel(token=first.token)

    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == RegistrationStatus.CONFIRMED
    assert third.status == RegistrationStatus.WAITING
    (promoted,) = _mails_to("b@example.org")
    assert promoted.attachments and promoted.attachments[0][0].endswith(".ics")
    assert len(_mails_to("a@example.org")) == 1  # the cancellation
    assert _mails_to("c@example.org") == []


@pytest.mark.django_db
def test_cancelling_twice_promotes_only_once(publish_at_once):
    meeting = EventFactory(capacity=1)
    first = _registered(meeting, "a@example.org")
    _registered(meeting, "b@example.org")
    _registered(meeting, "c@example.org")
    services.cancel(token=first.token)
    services.cancel(token=first.token)

    assert services.seats(meeting).confirmed == 1
    assert services.seats(meeting).waiting == 1


@pytest.mark.django_db
def test_leaving_the_waiting_list_gives_nobody_a_seat(publish_at_once):
    meeting = EventFactory(capacity=1)
    _registered(meeting, "a@example.org")
    waiting = _registered(meeting, "b@example.org")
    _registered(meeting, "c@example.org")
    services.cancel(token=waiting.token)

    seats = services.seats(meeting)
    assert (seats.confirmed, seats.waiting) == (1, 1)


@pytest.mark.django_db
def test_cancelling_through_the_personal_page(client, publish_at_once):
    meeting = EventFactory(capacity=1)
    first = _registered(meeting, "a@example.org")
    second = _registered(meeting, "b@example.org")
    url = reverse("meetings:registration_cancel", args=[first.token])

    page = client.get(url)
    assert page.status_code == 200 and first.name in page.content.decode()
    assert client.post(url).status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == RegistrationStatus.CANCELLED
    assert second.status == RegistrationStatus.CONFIRMED


def _needs_postgresql():
    if connection.vendor != "postgresql":
        reason = "the concurrency test needs PostgreSQL (set DATABASE_URL)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.mark.django_db(transaction=True)
def test_two_people_cancelling_at_once_promote_two_different_people(eager_tasks):
    _needs_postgresql()
    meeting = EventFactory(capacity=4)
    confirmed = [RegistrationFactory(meeting=meeting, email=f"in{i}@example.org") for i in range(4)]
    waiting = [
        RegistrationFactory(
            meeting=meeting,
            email=f"wait{i}@example.org",
            status=RegistrationStatus.WAITING,
            position=i + 1,
        )
        for i in range(3)
    ]
    leaving = confirmed[:2]
    barrier = threading.Barrier(len(leaving))
    unexpected: list = []

    def leave(registration):
        try:
            barrier.wait()
            services.cancel(token=registration.token)
        except Exception as exc:  # noqa: BLE001 - reported below
            unexpected.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=leave, args=(r,)) for r in leaving]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert unexpected == []
    statuses = dict(Registration.objects.filter(meeting=meeting).values_list("email", "status"))
    assert [statuses[r.email] for r in waiting] == [
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.CONFIRMED,
        RegistrationStatus.WAITING,
    ]
    assert services.seats(meeting).confirmed == 4
    promoted = {w.email for w in waiting[:2]}
    promotions = [m for m in mail.outbox if m.to[0] in promoted]
    assert sorted(m.to[0] for m in promotions) == sorted(promoted)


# --- closing time ----------------------------------------------------------------------


@pytest.mark.django_db
def test_registration_closes_at_the_set_time(client, publish_at_once):
    meeting = EventFactory(
        registration_closes_at=timezone.now() - datetime.timedelta(minutes=1),
        start=timezone.now() + datetime.timedelta(days=1),
    )
    assert services.registration_state(meeting) == services.RegistrationState.CLOSED
    with pytest.raises(services.RegistrationError):
        _register(meeting, "late@example.org")

    page = client.get(reverse("meetings:event_detail", args=[meeting.pk]))
    assert "form" not in page.context
    response = client.post(reverse("meetings:event_register", args=[meeting.pk]), _form(meeting))
    assert response.status_code == 302
    assert not Registration.objects.filter(meeting=meeting).exists()


@pytest.mark.django_db
def test_it_is_open_until_the_closing_time(publish_at_once):
    now = timezone.now()
    meeting = EventFactory(
        start=now + datetime.timedelta(days=2),
        registration_closes_at=now + datetime.timedelta(days=1),
    )
    assert services.registration_state(meeting, now=now) == services.RegistrationState.OPEN
    later = now + datetime.timedelta(days=1)
    assert services.registration_state(meeting, now=later) == services.RegistrationState.CLOSED


@pytest.mark.django_db
def test_a_cancelled_event_takes_no_registrations(publish_at_once):
    meeting = EventFactory(status=MeetingStatus.CANCELLED)
    assert services.registration_state(meeting) == services.RegistrationState.CLOSED


@pytest.mark.django_db
def test_a_meeting_without_closing_time_takes_no_registrations(client):
    meeting = EventFactory(registration_closes_at=None)
    assert services.registration_state(meeting) == services.RegistrationState.NONE
    page = client.get(reverse("meetings:event_detail", args=[meeting.pk]))
    assert 'id="registration"' not in page.content.decode()


# --- deletion after the event ----------------------------------------------------------


def _past_event(days_ago: int):
    start = timezone.now() - datetime.timedelta(days=days_ago)
    return EventFactory(
        start=start,
        end=start + datetime.timedelta(hours=2),
        registration_closes_at=start - datetime.timedelta(hours=1),
    )


@pytest.mark.django_db
def test_personal_data_is_deleted_after_the_retention_period_keeping_counts(
    settings, publish_at_once
):
    settings.MEETINGS_REGISTRATION_RETENTION_DAYS = 14
    old, recent = _past_event(days_ago=20), _past_event(days_ago=5)
    RegistrationFactory.create_batch(3, meeting=old, checked_in_at=timezone.now())
    RegistrationFactory(meeting=old)
    RegistrationFactory(meeting=old, status=RegistrationStatus.CANCELLED)
    RegistrationFactory(meeting=old, status=RegistrationStatus.WAITING, position=1)
    RegistrationFactory(meeting=old, status=RegistrationStatus.PENDING, confirmed_at=None)
    kept = RegistrationFactory(meeting=recent)
    OutboxMessage.objects.create(
        kind=MailKind.REGISTRATION,
        key=f"registration-{old.pk}-1-confirmed",
        recipient="gast@example.org",
        subject="Anmeldung",
        body_text="Hallo Gast",
    )

    assert purge_registrations.delay().get() == 7

    assert not Registration.objects.filter(meeting=old).exists()
    assert Registration.objects.filter(pk=kept.pk).exists()
    count = RegistrationCount.objects.get(meeting=old)
    assert (count.confirmed, count.checked_in, count.cancelled, count.waiting) == (4, 3, 1, 1)
    assert count.unconfirmed == 1
    assert not OutboxMessage.objects.filter(key__startswith=f"registration-{old.pk}-").exists()
    # Running again deletes nothing and keeps the counts.
    assert services.purge_registrations() == 0
    count.refresh_from_db()
    assert count.confirmed == 4


@pytest.mark.django_db
def test_the_event_page_shows_the_kept_counts(client, settings):
    settings.MEETINGS_REGISTRATION_RETENTION_DAYS = 1
    meeting = _past_event(days_ago=3)
    RegistrationFactory.create_batch(2, meeting=meeting, checked_in_at=timezone.now())
    services.purge_registrations()

    page = client.get(reverse("meetings:event_detail", args=[meeting.pk]))
    assert page.context["archived_count"].confirmed == 2
    assert "Gast" not in page.content.decode()


# --- rate limit and bot checks ---------------------------------------------------------


@pytest.mark.django_db
def test_a_person_registers_through_the_form(client, publish_at_once):
    meeting = EventFactory()
    response = client.post(reverse("meetings:event_register", args=[meeting.pk]), _form(meeting))

    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:event_registered", args=[meeting.pk])
    registration = Registration.objects.get(meeting=meeting)
    assert registration.organisation == "Kiezladen"
    # What the person agreed to is kept with the registration, retention period included.
    assert "30" in registration.consent_text
    assert len(_mails_to("kim@example.org")) == 1


@pytest.mark.django_db
def test_the_consent_is_required(client, publish_at_once):
    meeting = EventFactory()
    data = _form(meeting)
    del data["consent"]
    response = client.post(reverse("meetings:event_register", args=[meeting.pk]), data)

    assert response.status_code == 400
    assert response.context["form"].errors["consent"]
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_a_form_sent_within_seconds_is_refused(client, publish_at_once):
    meeting = EventFactory()
    data = _form(meeting, started=started_token(meeting, seconds_ago=0.5))
    response = client.post(reverse("meetings:event_register", args=[meeting.pk]), data)

    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not Registration.objects.exists()
    # The form comes back with a fresh start time, so a person can simply send again.
    assert response.context["form"].started_value != data["started"]


@pytest.mark.parametrize("started", ["", "forged", "from-another-event"])
@pytest.mark.django_db
def test_a_missing_or_forged_start_time_is_refused(client, publish_at_once, started):
    meeting = EventFactory()
    if started == "from-another-event":
        started = started_token(EventFactory())
    data = _form(meeting, started=started)
    response = client.post(reverse("meetings:event_register", args=[meeting.pk]), data)

    assert response.status_code == 400
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_the_honeypot_answers_like_success_and_stores_nothing(client, publish_at_once):
    meeting = EventFactory()
    data = _form(meeting, website="http://spam.example")
    response = client.post(reverse("meetings:event_register", args=[meeting.pk]), data)

    assert response.status_code == 302
    assert not Registration.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_too_many_registrations_from_one_address_are_refused(client, settings, publish_at_once):
    settings.MEETINGS_REGISTRATION_RATE = (3, 600)
    meeting = EventFactory(capacity=None)
    url = reverse("meetings:event_register", args=[meeting.pk])
    answers = [
        client.post(url, _form(meeting, email=f"p{i}@example.org")).status_code for i in range(5)
    ]

    assert answers == [302, 302, 302, 429, 429]
    assert Registration.objects.count() == 3
    # Another address is not affected.
    other = client.post(url, _form(meeting, email="x@example.org"), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302
