"""The minutes pages: who sees and writes what, the workflow, the lock after approval."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aks.accounts import roles
from bodies.access import Visibility
from bodies.models import MembershipRole, MinutesApproval
from bodies.services import record_decision
from meetings.models import MeetingStatus, MinuteEntry, Minutes, MinuteSection, MinutesStatus
from meetings.services import (
    MeetingError,
    add_entry,
    approve_minutes,
    circulate_minutes,
    minutes_for,
    start_minutes,
)
from tests.factories import XSS, BodyFactory, MembershipFactory, PersonFactory, UserFactory
from tests.html import assert_valid_html
from tests.personas import PERSONAS, SEES

from .factories import MeetingFactory, publish

pytestmark = pytest.mark.django_db


def _past():
    return timezone.now().replace(microsecond=0) - datetime.timedelta(days=60)


def _login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _minutes(level=Visibility.PUBLIC, body=None, entries=1):
    past = _past()
    meeting = MeetingFactory(
        body=body or BodyFactory(),
        visibility=Visibility.PUBLIC,
        start=past,
        end=past + datetime.timedelta(hours=2),
    )
    minutes = minutes_for(meeting)
    minutes.visibility = level
    minutes.save()
    for number in range(entries):
        add_entry(minutes=minutes, section=MinuteSection.DISCUSSION, text=f"Beitrag {number} {XSS}")
    return minutes


def _approved(minutes):
    circulate_minutes(minutes=minutes)
    return approve_minutes(minutes=minutes, chair=UserFactory())


WRITERS = {"v_extern", "v_intern", "superuser"}


@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("level", Visibility.values)
@pytest.mark.parametrize("state", [MinutesStatus.DRAFT, MinutesStatus.PUBLISHED])
def test_the_minutes_page_follows_the_kernel(client, persona, name, level, state):
    minutes = _minutes(level)
    if state == MinutesStatus.PUBLISHED:
        publish(minutes)
    meeting = minutes.meeting
    user = persona(name, body=meeting.body)
    _login(client, user)
    # Draft minutes: of these personas only the staff read them (the body member is
    # no chair and took no part); published ones: everyone the level allows.
    expected = level in SEES[name] and (state == MinutesStatus.PUBLISHED or name in WRITERS)
    url = reverse("meetings:minutes", args=[meeting.pk])
    response = client.get(url)
    # The meeting is public: minutes hidden from the reader look like none at all (the
    # same page, no entries), not like a 404 that would tell they exist.
    assert response.status_code == 200
    assert_valid_html(response)
    assert ("Beitrag 0" in response.content.decode()) == expected
    assert ("kein Protokoll verfügbar" in response.content.decode()) != expected
    entry = minutes.entries.get()
    posts = [
        (reverse("meetings:entry_add", args=[meeting.pk]), {"section": "note", "text": "x"}),
        (reverse("meetings:entry_edit", args=[entry.pk]), {"text": "geändert"}),
        (reverse("meetings:minutes_circulate", args=[meeting.pk]), {}),
        (reverse("meetings:minutes_approve", args=[meeting.pk]), {"as_chair": "on"}),
        (reverse("meetings:minutes_publish", args=[meeting.pk]), {}),
    ]
    for post_url, data in posts:
        if name in WRITERS and expected and state == MinutesStatus.PUBLISHED:
            break  # published minutes are locked; their corrections are tested below
        status = client.post(post_url, data).status_code
        if user is None:
            # Anonymous writes are sent to log in, whatever the minutes' level.
            assert status == 302, post_url
        elif not expected:
            assert status == 404, post_url
        elif name not in WRITERS:
            assert status == 403, post_url
        else:
            assert status in (200, 302, 400), post_url


@pytest.mark.parametrize("name", PERSONAS)
def test_minutes_of_a_hidden_meeting_are_hidden(client, persona, name):
    body = BodyFactory(visibility=Visibility.ADMIN_INTERNAL)
    minutes = _minutes(Visibility.PUBLIC, body=body)
    _login(client, persona(name, body=body))
    expected = Visibility.ADMIN_INTERNAL in SEES[name]
    response = client.get(reverse("meetings:minutes", args=[minutes.meeting_id]))
    assert response.status_code == (200 if expected else 404)


@pytest.mark.parametrize("name", ["anonymous", "v_extern", "association_member"])
def test_an_internal_entry_in_public_minutes_stays_hidden(client, persona, name):
    minutes = _minutes(Visibility.PUBLIC)
    add_entry(
        minutes=minutes,
        section=MinuteSection.NOTE,
        text="Nur verwaltungsintern",
        visibility=Visibility.ADMIN_INTERNAL,
    )
    publish(minutes)
    _login(client, persona(name))
    content = client.get(reverse("meetings:minutes", args=[minutes.meeting_id])).content.decode()
    assert "Beitrag 0" in content
    assert "Nur verwaltungsintern" not in content


@pytest.mark.parametrize("name", ["anonymous", "v_extern", "v_intern"])
def test_a_public_entry_under_a_hidden_agenda_item_does_not_name_the_item(client, persona, name):
    from meetings.models import AgendaItem

    minutes = _minutes(Visibility.PUBLIC)
    item = AgendaItem.objects.create(
        meeting=minutes.meeting, title="Personalsache Meyer", visibility=Visibility.ADMIN_INTERNAL
    )
    add_entry(minutes=minutes, section=MinuteSection.RESULT, text="Vertagt.", agenda_item=item)
    publish(minutes)
    _login(client, persona(name))
    content = client.get(reverse("meetings:minutes", args=[minutes.meeting_id])).content.decode()
    assert "Vertagt." in content
    assert ("Personalsache Meyer" in content) == (name == "v_intern")


def test_v_intern_sees_the_internal_entry(client, make_user):
    minutes = _minutes(Visibility.PUBLIC)
    add_entry(
        minutes=minutes,
        section=MinuteSection.NOTE,
        text="Nur verwaltungsintern",
        visibility=Visibility.ADMIN_INTERNAL,
    )
    client.force_login(make_user(roles.V_INTERN))
    content = client.get(reverse("meetings:minutes", args=[minutes.meeting_id])).content.decode()
    assert "Nur verwaltungsintern" in content


def test_the_history_is_shown_only_to_writers(client, make_user):
    minutes = _minutes(Visibility.PUBLIC)
    url = reverse("meetings:minutes", args=[minutes.meeting_id])
    assert 'id="history-heading"' not in client.get(url).content.decode()
    client.force_login(make_user(roles.ASSOCIATION_MEMBER))
    assert 'id="history-heading"' not in client.get(url).content.decode()
    client.force_login(make_user(roles.V_EXTERN))
    response = client.get(url)
    assert 'id="history-heading"' in response.content.decode()
    assert_valid_html(response)


def test_an_entry_more_open_than_the_minutes_is_refused(client, make_user):
    minutes = _minutes(Visibility.TEAM)
    client.force_login(make_user(roles.V_EXTERN))
    response = client.post(
        reverse("meetings:entry_add", args=[minutes.meeting_id]),
        {"section": "note", "text": "Offen", "visibility": Visibility.PUBLIC},
    )
    assert response.status_code == 400
    assert_valid_html(response)
    assert not minutes.entries.filter(text="Offen").exists()


def test_a_recommendation_without_level_is_refused(client, make_user):
    minutes = _minutes(Visibility.PUBLIC)
    client.force_login(make_user(roles.V_EXTERN))
    response = client.post(
        reverse("meetings:entry_add", args=[minutes.meeting_id]),
        {"section": "recommendation", "text": "Empfehlung", "visibility": "public"},
    )
    assert response.status_code == 400
    assert not minutes.entries.filter(text="Empfehlung").exists()
    response = client.post(
        reverse("meetings:entry_add", args=[minutes.meeting_id]),
        {
            "section": "recommendation",
            "text": "Empfehlung",
            "level": "state",
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    assert minutes.entries.get(text="Empfehlung").level == "state"


def test_bad_input_gives_a_form_error_not_a_500(client, make_user):
    minutes = _minutes(Visibility.PUBLIC)
    client.force_login(make_user(roles.V_EXTERN))
    url = reverse("meetings:entry_add", args=[minutes.meeting_id])
    for data in [{}, {"section": "nonsense", "text": "x"}, {"section": "note", "agenda_item": "x"}]:
        response = client.post(url, data)
        assert response.status_code == 400
        assert_valid_html(response)


def test_approved_minutes_refuse_edits_but_take_corrections(client, make_user):
    minutes = _approved(_minutes(Visibility.PUBLIC))
    entry = minutes.entries.get()
    original = entry.text
    client.force_login(make_user(roles.V_EXTERN))
    response = client.post(reverse("meetings:entry_edit", args=[entry.pk]), {"text": "neu"})
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.text == original
    # Adding a plain entry is refused too, with the reason on the page.
    response = client.post(
        reverse("meetings:entry_add", args=[minutes.meeting_id]),
        {"section": "note", "text": "Nachtrag", "visibility": "public"},
    )
    assert response.status_code == 400
    assert not minutes.entries.filter(text="Nachtrag").exists()
    # A correction is a new, dated entry pointing at the old one.
    response = client.get(reverse("meetings:entry_correct", args=[entry.pk]))
    assert response.status_code == 200
    assert_valid_html(response)
    response = client.post(
        reverse("meetings:entry_correct", args=[entry.pk]), {"text": "Richtig ist"}
    )
    assert response.status_code == 302
    correction = minutes.entries.get(corrects=entry)
    assert correction.text == "Richtig ist"
    page = client.get(reverse("meetings:minutes", args=[minutes.meeting_id]))
    content = page.content.decode()
    assert f'href="#entry-{entry.pk}"' in content
    assert reverse("meetings:entry_correct", args=[entry.pk]) in content
    assert reverse("meetings:entry_edit", args=[entry.pk]) not in content
    assert_valid_html(page)


def test_the_admin_does_not_change_an_entry_of_approved_minutes(client):
    minutes = _approved(_minutes(Visibility.PUBLIC))
    entry = minutes.entries.get()
    original = entry.text
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    url = reverse("admin:meetings_minuteentry_change", args=[entry.pk])
    response = client.post(
        url,
        {
            "minutes": minutes.pk,
            "section": entry.section,
            "text": "Im Admin geändert",
            "position": entry.position,
            "visibility": entry.visibility,
            "level": "",
        },
    )
    assert response.status_code in (200, 302, 403)
    entry.refresh_from_db()
    assert entry.text == original


def test_the_workflow_through_the_pages_with_a_later_decision(client, make_user):
    body = BodyFactory(minutes_approval=MinutesApproval.DECISION)
    minutes = _minutes(Visibility.PUBLIC, body=body, entries=0)
    meeting = minutes.meeting
    staff = make_user(roles.V_EXTERN)
    client.force_login(staff)
    url = reverse("meetings:minutes", args=[meeting.pk])
    response = client.post(
        reverse("meetings:entry_add", args=[meeting.pk]),
        {"section": "result", "text": "Ergebnis", "visibility": "public"},
    )
    assert response.status_code == 302
    entry = minutes.entries.get()
    response = client.post(reverse("meetings:entry_edit", args=[entry.pk]), {"text": "Ergebnis 2"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.text == "Ergebnis 2"
    assert client.post(reverse("meetings:minutes_circulate", args=[meeting.pk])).status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.CIRCULATED
    # A decision of another body, or one decided before the meeting, is not on offer.
    held_on = timezone.localdate(meeting.start)
    earlier = record_decision(
        body=body, title="Früher", decided_on=held_on - datetime.timedelta(days=2)
    )
    other = record_decision(
        body=BodyFactory(), title="Anderes", decided_on=held_on + datetime.timedelta(days=29)
    )
    later = record_decision(
        body=body, title="Genehmigung", decided_on=held_on + datetime.timedelta(days=35)
    )
    page = client.get(url)
    assert_valid_html(page)
    content = page.content.decode()
    assert later.number in content
    assert f'value="{earlier.pk}"' not in content
    assert f'value="{other.pk}"' not in content
    # This body approves by decision only: the page says so, and the chair's way is refused.
    assert "nicht durch den Vorsitz" in content
    response = client.post(
        reverse("meetings:minutes_approve", args=[meeting.pk]), {"as_chair": "on"}
    )
    assert response.status_code == 400
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.CIRCULATED
    response = client.post(
        reverse("meetings:minutes_approve", args=[meeting.pk]), {"decision": earlier.pk}
    )
    assert response.status_code == 400
    assert_valid_html(response)
    response = client.post(
        reverse("meetings:minutes_approve", args=[meeting.pk]), {"decision": later.pk}
    )
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.APPROVED and minutes.approval == later
    page = client.get(url).content.decode()
    assert later.get_absolute_url() in page
    assert client.post(reverse("meetings:minutes_publish", args=[meeting.pk])).status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.PUBLISHED


def test_the_chair_approves_as_chair(client, make_user):
    body = BodyFactory()
    minutes = _minutes(Visibility.PUBLIC, body=body)
    circulate_minutes(minutes=minutes)
    chair = make_user()
    MembershipFactory(person=PersonFactory(user=chair), body=body, role=MembershipRole.CHAIR)
    client.force_login(chair)
    response = client.post(
        reverse("meetings:minutes_approve", args=[minutes.meeting_id]), {"as_chair": "on"}
    )
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.APPROVED
    assert minutes.approved_by_chair == chair


def test_starting_minutes(client, make_user):
    meeting = MeetingFactory(visibility=Visibility.PUBLIC, status=MeetingStatus.HELD)
    url = reverse("meetings:minutes", args=[meeting.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert_valid_html(response)
    start = reverse("meetings:minutes_start", args=[meeting.pk])
    assert start not in response.content.decode()
    response = client.post(start)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    client.force_login(make_user(roles.V_EXTERN))
    assert start in client.get(url).content.decode()
    assert client.post(start).status_code == 302
    assert meeting.minutes.visibility == meeting.visibility


@pytest.mark.parametrize(
    "status", [MeetingStatus.PLANNED, MeetingStatus.INVITED, MeetingStatus.CANCELLED]
)
def test_it_refuses_to_start_minutes_of_a_meeting_not_held(client, make_user, status):
    meeting = MeetingFactory(visibility=Visibility.PUBLIC, status=status)
    client.force_login(make_user(roles.V_EXTERN))
    start = reverse("meetings:minutes_start", args=[meeting.pk])
    assert start not in client.get(reverse("meetings:minutes", args=[meeting.pk])).content.decode()

    response = client.post(start, follow=True)

    assert response.redirect_chain == [(meeting.get_absolute_url(), 302)]
    assert not Minutes.objects.filter(meeting=meeting).exists()
    assert "Ein Protokoll kann erst angelegt werden, wenn die Sitzung stattgefunden hat." in (
        response.content.decode()
    )
    assert_valid_html(response)


def test_the_service_refuses_minutes_for_a_meeting_not_held():
    meeting = MeetingFactory(status=MeetingStatus.INVITED)
    with pytest.raises(MeetingError):
        start_minutes(meeting=meeting)
    assert not Minutes.objects.filter(meeting=meeting).exists()
    meeting.status = MeetingStatus.HELD
    meeting.save()
    assert start_minutes(meeting=meeting).meeting == meeting


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["anonymous", "writer"])
def test_the_minutes_page_query_count_does_not_grow(client, make_user, who):
    small = publish(_minutes(Visibility.PUBLIC, entries=10))
    big = publish(_minutes(Visibility.PUBLIC, entries=300))
    if who == "writer":
        client.force_login(make_user(roles.V_EXTERN))
    first = _count(client, reverse("meetings:minutes", args=[small.meeting_id]))
    second = _count(client, reverse("meetings:minutes", args=[big.meeting_id]))
    assert first == second, (first, second)
    assert second <= 30


def test_entry_timestamps_show_on_corrections(client, make_user):
    minutes = _approved(_minutes(Visibility.PUBLIC))
    entry = minutes.entries.get()
    add_entry(minutes=minutes, section=entry.section, text="Korrektur", corrects=entry)
    publish(minutes)
    content = client.get(reverse("meetings:minutes", args=[minutes.meeting_id])).content.decode()
    correction = MinuteEntry.objects.get(corrects=entry)
    assert f'id="entry-{correction.pk}"' in content
    assert timezone.localdate(correction.created_at).strftime("%Y") in content
