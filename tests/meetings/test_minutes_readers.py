"""Minutes are read by their state: the kernel's one rule, in lists, has_perm, the page,
the PDF and search; approval paths and the refusals before a meeting took place."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from aks.accounts import roles
from bodies.access import Visibility
from bodies.models import MembershipRole, MinutesApproval
from bodies.services import record_decision
from meetings.models import (
    Attendance,
    AttendanceStatus,
    MeetingStatus,
    MinuteEntry,
    Minutes,
    MinuteSection,
    MinutesStatus,
)
from meetings.services import (
    MeetingError,
    add_entry,
    approve_minutes,
    change_meeting_status,
    circulate_minutes,
    minutes_for,
)
from tests.factories import BodyFactory, MembershipFactory, PersonFactory, UserFactory
from tests.html import assert_valid_html

from .factories import MeetingFactory, set_minutes_status

pytestmark = pytest.mark.django_db

SECRET = "Entwurfsgeheimnis"

READERS = [
    "minute_taker",
    "granted_taker",
    "chair",
    "deputy",
    "attendee",
    "excused",
    "body_member",
    "v_intern",
    "v_extern",
    "councillor",
    "association_member",
    "anonymous",
]
DRAFT_READERS = {"minute_taker", "granted_taker", "chair", "deputy", "v_intern", "v_extern"}
SHARED_READERS = DRAFT_READERS | {"attendee", "body_member"}
# Who reads public minutes in each state: approved ones stay with those who took part
# until they are published.
ORACLE = {
    MinutesStatus.DRAFT: DRAFT_READERS,
    MinutesStatus.CIRCULATED: SHARED_READERS,
    MinutesStatus.APPROVED: SHARED_READERS,
    MinutesStatus.PUBLISHED: set(READERS),
}


def _past():
    return timezone.now().replace(microsecond=0) - datetime.timedelta(days=14)


def _meeting(*, body=None, start=None, **fields):
    start = start or _past()
    return MeetingFactory(
        body=body or BodyFactory(),
        start=start,
        end=start + datetime.timedelta(hours=2),
        **fields,
    )


def _minutes(*, level=Visibility.PUBLIC, body=None, status=MinutesStatus.DRAFT, **fields):
    minutes = minutes_for(_meeting(body=body, **fields))
    minutes.visibility = level
    minutes.save()
    add_entry(minutes=minutes, section=MinuteSection.DISCUSSION, text=f"Beitrag {SECRET}")
    return set_minutes_status(minutes, status)


def _person_user(*role_names):
    user = UserFactory(roles=list(role_names))
    return user, PersonFactory(user=user)


def _reader(name, minutes):
    """The user for ``name``, in their relation to ``minutes`` (None: anonymous)."""
    meeting = minutes.meeting
    if name == "anonymous":
        return None
    if name in ("v_intern", "v_extern", "councillor", "association_member"):
        role = {
            "v_intern": roles.V_INTERN,
            "v_extern": roles.V_EXTERN,
            "councillor": roles.COUNCILLOR,
            "association_member": roles.ASSOCIATION_MEMBER,
        }[name]
        return UserFactory(roles=[role])
    user, person = _person_user(roles.ASSOCIATION_MEMBER)
    if name == "minute_taker":
        meeting.minute_taker = person
        meeting.save(update_fields=["minute_taker"])
    elif name == "granted_taker":
        assign_perm("meetings.change_minutes", user, minutes)
    elif name in ("chair", "deputy", "body_member"):
        role = {
            "chair": MembershipRole.CHAIR,
            "deputy": MembershipRole.DEPUTY,
            "body_member": MembershipRole.MEMBER,
        }[name]
        MembershipFactory(person=person, body=meeting.body, role=role)
    elif name in ("attendee", "excused"):
        status = AttendanceStatus.ATTENDED if name == "attendee" else AttendanceStatus.EXCUSED
        Attendance.objects.create(meeting=meeting, person=person, status=status)
    return user


@pytest.mark.parametrize("name", READERS)
@pytest.mark.parametrize("state", MinutesStatus.values)
def test_minutes_are_read_by_their_state(name, state):
    minutes = _minutes(status=state)
    user = _reader(name, minutes) or AnonymousUser()
    expected = name in ORACLE[state]
    assert Minutes.objects.visible_to(user).filter(pk=minutes.pk).exists() is expected
    assert MinuteEntry.objects.visible_to(user).filter(minutes=minutes).exists() is expected
    assert user.has_perm("meetings.view_minutes", minutes) is expected


@pytest.mark.parametrize("name", ["chair", "minute_taker", "v_extern", "v_intern"])
def test_draft_minutes_stay_within_their_level(name):
    """The state only narrows the level: an administration-internal draft is not read
    by a chair or v-extern the level leaves out."""
    minutes = _minutes(level=Visibility.ADMIN_INTERNAL)
    user = _reader(name, minutes)
    expected = name == "v_intern"
    assert Minutes.objects.visible_to(user).filter(pk=minutes.pk).exists() is expected


def test_an_explicit_view_grant_reads_a_draft():
    minutes = _minutes(level=Visibility.ADMIN_INTERNAL)
    guest = UserFactory(roles=[roles.ASSOCIATION_MEMBER])
    assign_perm("meetings.view_minutes", guest, minutes)
    assert Minutes.objects.visible_to(guest).filter(pk=minutes.pk).exists()


def test_a_former_chair_no_longer_reads_the_draft():
    minutes = _minutes()
    user, person = _person_user()
    MembershipFactory(
        person=person,
        body=minutes.meeting.body,
        role=MembershipRole.CHAIR,
        end=timezone.localdate() - datetime.timedelta(days=1),
    )
    assert not Minutes.objects.visible_to(user).filter(pk=minutes.pk).exists()


# --- no leak of a draft in pages, PDF and search ----------------------------------------------

OUTSIDERS = ["anonymous", "association_member", "councillor", "body_member", "attendee"]


def _login(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("name", OUTSIDERS)
def test_draft_minutes_look_like_none_to_outsiders(client, name):
    minutes = _minutes()
    _login(client, _reader(name, minutes))
    response = client.get(reverse("meetings:minutes", args=[minutes.meeting_id]))
    assert response.status_code == 200
    content = response.content.decode()
    assert SECRET not in content
    assert "kein Protokoll verfügbar" in content
    assert reverse("meetings:minutes_pdf", args=[minutes.meeting_id]) not in content
    assert client.get(reverse("meetings:minutes_pdf", args=[minutes.meeting_id])).status_code == 404
    detail = client.get(reverse("meetings:detail", args=[minutes.meeting_id])).content.decode()
    assert reverse("meetings:minutes", args=[minutes.meeting_id]) not in detail
    assert _hits(client) == 0


@pytest.mark.parametrize("name", ["minute_taker", "chair", "deputy", "v_extern"])
def test_the_draft_readers_get_the_page_and_the_pdf(client, name):
    minutes = _minutes()
    _login(client, _reader(name, minutes))
    response = client.get(reverse("meetings:minutes", args=[minutes.meeting_id]))
    assert SECRET in response.content.decode()
    assert_valid_html(response)
    pdf = client.get(reverse("meetings:minutes_pdf", args=[minutes.meeting_id]))
    assert pdf.status_code == 200


def _hits(client) -> int:
    """How many hits the search counts for the draft's secret word (the page repeats
    the query itself, so its text would tell nothing)."""
    response = client.get(reverse("portal:search"), {"q": SECRET})
    assert response.status_code == 200
    return response.context["page"].paginator.count


def test_search_finds_a_draft_only_for_its_readers(client):
    minutes = _minutes()
    chair = _reader("chair", minutes)
    member = _reader("body_member", minutes)
    assert _hits(_login(client, member)) == 0
    assert _hits(_login(client, chair)) == 1
    set_minutes_status(minutes, MinutesStatus.CIRCULATED)
    assert _hits(_login(client, member)) == 1
    client.logout()
    assert _hits(client) == 0
    set_minutes_status(minutes, MinutesStatus.PUBLISHED)
    assert _hits(client) == 1


@pytest.mark.parametrize("entries", [3, 60])
def test_the_draft_page_of_a_chair_costs_the_same_at_two_sizes(
    client, django_assert_max_num_queries, entries
):
    minutes = _minutes()
    for number in range(entries):
        add_entry(minutes=minutes, section=MinuteSection.NOTE, text=f"Notiz {number}")
    client.force_login(_reader("chair", minutes))
    with django_assert_max_num_queries(30):
        response = client.get(reverse("meetings:minutes", args=[minutes.meeting_id]))
    assert f"Notiz {entries - 1}" in response.content.decode()


# --- approval ------------------------------------------------------------------------------


def _circulated(body_approval=MinutesApproval.EITHER, start=None):
    minutes = _minutes(body=BodyFactory(minutes_approval=body_approval), start=start)
    return circulate_minutes(minutes=minutes)


def test_it_refuses_to_approve_minutes_before_their_meeting_took_place():
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    minutes = _circulated(start=start)
    with pytest.raises(MeetingError, match="erst genehmigt werden, wenn die Sitzung"):
        approve_minutes(minutes=minutes, chair=UserFactory())
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.CIRCULATED


def test_it_refuses_the_chairs_approval_where_the_body_approves_by_decision():
    minutes = _circulated(MinutesApproval.DECISION)
    with pytest.raises(MeetingError, match="nicht durch den Vorsitz"):
        approve_minutes(minutes=minutes, chair=UserFactory())
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.CIRCULATED


def test_it_refuses_a_decision_where_the_body_approves_by_the_chair():
    minutes = _circulated(MinutesApproval.CHAIR)
    decision = record_decision(
        body=minutes.meeting.body, title="Genehmigung", decided_on=timezone.localdate()
    )
    with pytest.raises(MeetingError, match="nicht durch Beschluss"):
        approve_minutes(minutes=minutes, decision=decision)
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.CIRCULATED


def test_a_v_intern_who_runs_the_meeting_approves_as_chair(client):
    minutes = _circulated(MinutesApproval.CHAIR)
    v_intern = UserFactory(roles=[roles.V_INTERN])
    client.force_login(v_intern)
    url = reverse("meetings:minutes", args=[minutes.meeting_id])
    page = client.get(url)
    assert_valid_html(page)
    content = page.content.decode()
    assert "Wege der Genehmigung" in content
    assert "nicht durch Beschluss" in content
    assert 'name="decision"' not in content
    response = client.post(
        reverse("meetings:minutes_approve", args=[minutes.meeting_id]), {"as_chair": "on"}
    )
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.APPROVED
    assert minutes.approved_by_chair == v_intern


def test_a_v_intern_approves_by_a_later_decision(client):
    minutes = _circulated(MinutesApproval.DECISION)
    later = record_decision(
        body=minutes.meeting.body, title="Genehmigung", decided_on=timezone.localdate()
    )
    client.force_login(UserFactory(roles=[roles.V_INTERN]))
    response = client.post(
        reverse("meetings:minutes_approve", args=[minutes.meeting_id]), {"decision": later.pk}
    )
    assert response.status_code == 302
    minutes.refresh_from_db()
    assert minutes.approval == later


def test_the_page_says_why_no_path_is_open_before_the_meeting(client):
    start = timezone.now().replace(microsecond=0) + datetime.timedelta(days=3)
    minutes = _circulated(start=start)
    client.force_login(UserFactory(roles=[roles.V_INTERN]))
    page = client.get(reverse("meetings:minutes", args=[minutes.meeting_id]))
    assert_valid_html(page)
    content = page.content.decode()
    assert "Die Sitzung hat noch nicht stattgefunden" in content
    assert reverse("meetings:minutes_approve", args=[minutes.meeting_id]) not in content
    response = client.post(
        reverse("meetings:minutes_approve", args=[minutes.meeting_id]), {"as_chair": "on"}
    )
    assert response.status_code == 400
    minutes.refresh_from_db()
    assert minutes.status == MinutesStatus.CIRCULATED


def test_the_page_says_no_later_decision_is_recorded_yet(client):
    minutes = _circulated(MinutesApproval.DECISION)
    client.force_login(UserFactory(roles=[roles.V_INTERN]))
    content = client.get(reverse("meetings:minutes", args=[minutes.meeting_id])).content.decode()
    assert "noch kein Beschluss einer späteren Sitzung" in content


# --- a meeting in the future is not held -------------------------------------------------------


def test_it_refuses_to_mark_a_future_meeting_as_held():
    meeting = MeetingFactory()
    with pytest.raises(MeetingError, match="noch nicht begonnen"):
        change_meeting_status(meeting=meeting, status=MeetingStatus.HELD)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED


def test_a_past_meeting_is_marked_as_held():
    meeting = _meeting()
    change_meeting_status(meeting=meeting, status=MeetingStatus.HELD)
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD


def test_the_meeting_page_refuses_held_for_a_future_meeting_in_german(client):
    meeting = MeetingFactory()
    client.force_login(UserFactory(roles=[roles.V_INTERN]))
    response = client.post(
        reverse("meetings:meeting_status", args=[meeting.pk]), {"status": MeetingStatus.HELD}
    )
    assert response.status_code == 400
    assert_valid_html(response)
    assert "noch nicht begonnen" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.PLANNED
