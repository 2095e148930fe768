"""Data protection: the personal data export and anonymising a person."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from aks.mail.models import MailKind, OutboxMessage
from aks.mail.services import queue_mail
from aks.portal.privacy import anonymise_person, export_person_data
from bodies.access import Visibility
from bodies.models import Membership, Participation, PollKind, PollOption, Vote
from bodies.services import cast_vote, close_poll, create_poll, open_poll
from meetings.calendar import ensure_calendar_token
from meetings.models import (
    ActionItem,
    Attendance,
    AttendanceStatus,
    CalendarToken,
    Commitment,
    MinuteEntry,
    MinuteSection,
)
from meetings.services import (
    add_action_item,
    add_commitment,
    add_entry,
    approve_minutes,
    circulate_minutes,
    minutes_for,
)
from tests.factories import BodyFactory, MembershipFactory, OrganisationFactory, PersonFactory
from tests.meetings.factories import MeetingFactory

pytestmark = pytest.mark.django_db

NAME = "Erika Mustermann"


@pytest.fixture
def world(make_user):
    """A person with an account who took part in everything the platform records."""
    user = make_user(email="erika@example.org", display_name=NAME)
    person = PersonFactory(user=user, name=NAME, email="erika@example.org")
    body = BodyFactory(visibility=Visibility.PUBLIC)
    MembershipFactory(person=person, body=body)
    other = PersonFactory(name="Max Beispiel")
    MembershipFactory(person=other, body=body)
    # Held a week ago: its minutes are approved below, which needs the meeting behind us.
    held = timezone.now().replace(microsecond=0) - datetime.timedelta(days=7)
    meeting = MeetingFactory(
        body=body,
        visibility=Visibility.PUBLIC,
        start=held,
        end=held + datetime.timedelta(hours=2),
    )
    Attendance.objects.create(meeting=meeting, person=person, status=AttendanceStatus.ATTENDED)

    open_ballot = open_poll(
        poll=create_poll(body=body, title="Offene Abstimmung", visibility=Visibility.PUBLIC)
    )
    yes = open_ballot.options.get(meaning="yes")
    cast_vote(poll=open_ballot, person=person, choices=[yes.pk])
    secret = open_poll(
        poll=create_poll(body=body, title="Geheime Wahl", secret=True, visibility=Visibility.PUBLIC)
    )
    cast_vote(poll=secret, person=person, choices=[secret.options.get(meaning="no").pk])
    election = open_poll(
        poll=create_poll(
            body=body,
            title="Wahl",
            kind=PollKind.ELECTION,
            candidates=[person, other],
            visibility=Visibility.PUBLIC,
        )
    )
    cast_vote(poll=election, person=other, choices=[election.options.get(candidate=person).pk])
    close_poll(poll=election)

    add_action_item(meeting=meeting, title="Flyer drucken", assignee_person=person)
    add_commitment(
        meeting=meeting,
        organisation=OrganisationFactory(),
        person=person,
        what=f"{NAME} prüft die Fläche",
    )
    minutes = minutes_for(meeting)
    add_entry(
        minutes=minutes,
        section=MinuteSection.DISCUSSION,
        text=f"{NAME} berichtet vom Kiez.",
        speaker=person,
    )
    circulate_minutes(minutes=minutes)
    approve_minutes(minutes=minutes, chair=user)
    queue_mail(
        kind=MailKind.INVITATION, key="m1", user=user, subject="Einladung", body_text="Hallo"
    )
    ensure_calendar_token(user=user)
    return {"user": user, "person": person, "body": body, "secret": secret, "other": other}


def test_it_downloads_the_export_as_a_json_attachment(client, world):
    client.force_login(world["user"])
    response = client.get(reverse("portal:data_export"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == "erika@example.org"
    assert data["person"]["name"] == NAME
    assert len(data["memberships"]) == 1
    assert len(data["attendances"]) == 1
    assert [v["poll"] for v in data["votes"]] == ["Offene Abstimmung"]
    assert data["votes"][0]["choices"] in (["Ja"], ["Yes"])
    assert [p["poll"] for p in data["secret_ballots_taken_part_in"]] == ["Geheime Wahl"]
    assert [a["title"] for a in data["action_items"]] == ["Flyer drucken"]
    assert len(data["commitments"]) == 1
    assert len(data["minute_entries_as_speaker"]) == 1
    assert "Einladung" in [m["subject"] for m in data["mail"]]
    assert data["calendar_feed"] == {"exists": True}


def test_the_export_holds_no_password_hash_token_or_secret_choice(client, world):
    client.force_login(world["user"])
    content = client.get(reverse("portal:data_export")).content.decode()
    user = world["user"]
    user.refresh_from_db()
    assert user.password not in content
    assert "password" not in content
    assert CalendarToken.objects.get(user=user).token not in content
    assert "Geheime Wahl" not in json.dumps(json.loads(content)["votes"])


def test_the_export_needs_a_login(client):
    response = client.get(reverse("portal:data_export"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_the_profile_page_links_the_export(client, world):
    client.force_login(world["user"])
    content = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("portal:data_export") in content


def test_a_person_without_an_account_can_be_exported_by_the_admin():
    person = PersonFactory(name="Ohne Konto")
    data = export_person_data(person=person)
    assert data["account"] is None
    assert data["person"]["name"] == "Ohne Konto"


def _counts(person):
    return {
        "memberships": Membership.objects.filter(person=person).count(),
        "attendances": Attendance.objects.filter(person=person).count(),
        "votes": Vote.objects.count(),
        "participations": Participation.objects.filter(cast_by=person).count(),
        "entries": MinuteEntry.objects.filter(speaker=person).count(),
        "commitments": Commitment.objects.filter(person=person).count(),
        "action_items": ActionItem.objects.filter(assignee_person=person).count(),
    }


def test_anonymising_replaces_the_name_and_keeps_every_count(world, make_user):
    person, user = world["person"], world["user"]
    before = _counts(person)
    result_before = world["body"].polls.get(title="Wahl").result

    result = anonymise_person(person=person, by=make_user("v-intern"))

    person.refresh_from_db()
    user.refresh_from_db()
    assert _counts(person) == before
    assert world["body"].polls.get(title="Wahl").result == result_before
    assert person.name == result.new_name != NAME
    assert person.email == ""
    assert not user.is_active
    assert NAME not in user.email and "erika" not in user.email
    assert not user.has_usable_password()
    assert not CalendarToken.objects.filter(user=user).exists()
    assert not OutboxMessage.objects.filter(recipient__icontains="erika").exists()


def test_anonymising_scrubs_the_name_from_texts_and_their_history(world):
    anonymise_person(person=world["person"], by=None)
    # Approved minutes, too: the lock does not protect a name that must be forgotten.
    assert not MinuteEntry.objects.filter(text__contains=NAME).exists()
    assert not MinuteEntry.history.filter(text__contains=NAME).exists()
    assert not Commitment.history.filter(what__contains=NAME).exists()
    assert not PollOption.objects.filter(label=NAME).exists()
    assert PollOption.objects.filter(label=world["person"].name).count() == 0
    world["person"].refresh_from_db()
    assert PollOption.objects.filter(candidate=world["person"], label=world["person"].name)
    assert "Max Beispiel" in PollOption.objects.values_list("label", flat=True)


def test_anonymising_leaves_other_people_alone(world):
    anonymise_person(person=world["person"], by=None)
    world["other"].refresh_from_db()
    assert world["other"].name == "Max Beispiel"


def test_the_admin_asks_before_anonymising(client, world, make_user):
    admin_user = make_user(is_superuser=True, is_staff=True)
    client.force_login(admin_user)
    url = reverse("admin:bodies_person_changelist")
    data = {"action": "anonymise", "_selected_action": [world["person"].pk]}
    response = client.post(url, data)
    assert response.status_code == 200
    world["person"].refresh_from_db()
    assert world["person"].name == NAME

    response = client.post(url, {**data, "confirm": "yes"})
    assert response.status_code == 302
    world["person"].refresh_from_db()
    assert world["person"].name != NAME


def test_the_admin_exports_a_persons_data(client, world, make_user):
    client.force_login(make_user(is_superuser=True, is_staff=True))
    response = client.post(
        reverse("admin:bodies_person_changelist"),
        {"action": "export_data", "_selected_action": [world["person"].pk]},
    )
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content)["person"]["name"] == NAME


def test_the_own_download_leaves_out_records_the_person_may_not_open(client, world):
    hidden = MeetingFactory(body=world["body"], visibility=Visibility.ADMIN_INTERNAL)
    add_entry(
        minutes=minutes_for(hidden),
        section=MinuteSection.DISCUSSION,
        text="Interner Beitrag",
        speaker=world["person"],
    )
    client.force_login(world["user"])
    content = client.get(reverse("portal:data_export")).content.decode()
    assert "Interner Beitrag" not in content
    assert "Interner Beitrag" in json.dumps(export_person_data(person=world["person"]))


def test_event_registrations_under_the_persons_address_are_exported_and_anonymised():
    from meetings.models import Registration, RegistrationStatus
    from tests.factories import UserFactory

    user = UserFactory(email="gast@example.org")
    person = PersonFactory(user=user)
    registration = Registration.objects.create(
        meeting=MeetingFactory(),
        name="Gast Beispiel",
        email="Gast@Example.org",
        organisation="Kiezladen",
        status=RegistrationStatus.CONFIRMED,
        token="t-1",
        consent_text="Ja",
    )
    exported = export_person_data(user=user)
    assert [r["name"] for r in exported["event_registrations"]] == ["Gast Beispiel"]
    anonymise_person(person=person, by=None)
    registration.refresh_from_db()
    assert "Gast" not in registration.name and registration.organisation == ""
    assert registration.email.endswith("@example.invalid")
    assert registration.status == RegistrationStatus.CONFIRMED
