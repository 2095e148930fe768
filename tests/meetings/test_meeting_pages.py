"""Meeting pages: list, detail with the agenda, printable agenda, attendance."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aks.accounts import roles
from bodies.access import Visibility
from meetings import services
from meetings.models import (
    AgendaItem,
    Attendance,
    AttendanceStatus,
    GuidingQuestion,
    GuidingQuestionStatus,
    Meeting,
    MeetingKind,
)
from tests.factories import BodyFactory, PersonFactory
from tests.html import assert_valid_html
from tests.meetings.factories import MeetingFactory, publish
from tests.personas import PERSONAS, SEES

pytestmark = pytest.mark.django_db

# Who may change a meeting in a body they have nothing else to do with: the AKS staff.
CHANGES = {"v_extern", "v_intern", "superuser"}


def _login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _title(entry):
    """The item's title, or the placeholder's words in brackets."""
    return entry.item.title if entry.item is not None else f"[{entry.placeholder}]"


def _numbers(response):
    return [
        (entry.number, _title(entry), [(c.number, _title(c)) for c in entry.children])
        for entry in response.context["agenda"]
    ]


# --- Permission matrix ---------------------------------------------------------------


@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("level", Visibility.values)
def test_meeting_pages_follow_the_kernel(client, persona, name, level):
    body = BodyFactory()
    meeting = MeetingFactory(body=body, visibility=level, title="Sitzung Matrix")
    services.add_agenda_item(meeting=meeting, title="TOP Matrix")
    user = persona(name, body=body)
    _login(client, user)
    expected = level in SEES[name]
    status = 200 if expected else 404
    detail = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert detail.status_code == status
    printed = client.get(reverse("meetings:agenda_print", args=[meeting.pk]))
    assert printed.status_code == status
    listed = client.get(reverse("meetings:list"))
    assert listed.status_code == 200
    assert (reverse("meetings:detail", args=[meeting.pk]) in listed.content.decode()) is expected
    if expected:
        assert_valid_html(detail)
        assert_valid_html(printed)
        assert "TOP Matrix" in printed.content.decode()


@pytest.mark.parametrize("name", PERSONAS)
def test_changing_needs_staff_or_chair(client, persona, name):
    body = BodyFactory()
    meeting = MeetingFactory(body=body, visibility=Visibility.PUBLIC)
    first = services.add_agenda_item(meeting=meeting, title="Eins")
    services.add_agenda_item(meeting=meeting, title="Zwei")
    user = persona(name, body=body)
    _login(client, user)
    allowed = name in CHANGES
    add = client.post(
        reverse("meetings:agenda_add", args=[meeting.pk]),
        {"title": "Neu", "visibility": Visibility.PUBLIC},
    )
    move = client.post(reverse("meetings:agenda_move", args=[meeting.pk, first.pk]), {"offset": 1})
    attendance = client.get(reverse("meetings:attendance", args=[meeting.pk]))
    carry = client.post(reverse("meetings:carry_over", args=[meeting.pk]))
    for response in (add, move, attendance, carry):
        if allowed:
            assert response.status_code in (200, 302)
        elif name == "anonymous":
            assert response.status_code == 302 and "anmelden" in response["Location"]
        else:
            assert response.status_code == 403
    assert AgendaItem.objects.filter(meeting=meeting, title="Neu").exists() is allowed
    first.refresh_from_db()
    assert (first.position == 1) is allowed
    page = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert ("form" in page.context and page.context["form"] is not None) is allowed


@pytest.mark.parametrize("name", PERSONAS)
def test_changing_a_hidden_meeting_answers_404_not_403(client, persona, name):
    body = BodyFactory()
    meeting = MeetingFactory(body=body, visibility=Visibility.CIVIL_INTERNAL)
    item = services.add_agenda_item(meeting=meeting, title="Eins")
    user = persona(name, body=body)
    _login(client, user)
    if Visibility.CIVIL_INTERNAL in SEES[name]:
        return
    # Anonymous visitors are sent to log in before the meeting is looked up.
    hidden = 302 if user is None else 404
    assert client.post(reverse("meetings:agenda_add", args=[meeting.pk])).status_code == hidden
    assert (
        client.post(
            reverse("meetings:agenda_move", args=[meeting.pk, item.pk]), {"offset": 1}
        ).status_code
        == hidden
    )
    assert client.get(reverse("meetings:attendance", args=[meeting.pk])).status_code == hidden


def test_the_chair_of_the_body_changes_its_agenda(client, make_user, member_of):
    body = BodyFactory()
    chair = make_user()
    member_of(chair, body, role="chair")
    meeting = MeetingFactory(body=body)
    client.force_login(chair)
    response = client.post(
        reverse("meetings:agenda_add", args=[meeting.pk]),
        {"title": "Vom Vorsitz", "visibility": Visibility.PUBLIC},
    )
    assert response.status_code == 302
    assert meeting.agenda_items.filter(title="Vom Vorsitz").exists()


def test_the_minute_taker_records_attendance(client, make_user):
    taker = make_user()
    person = PersonFactory(user=taker)
    meeting = MeetingFactory(minute_taker=person)
    invited = Attendance.objects.create(meeting=meeting, person=PersonFactory())
    guest = PersonFactory()
    client.force_login(taker)
    page = client.get(reverse("meetings:attendance", args=[meeting.pk]))
    assert page.status_code == 200
    assert_valid_html(page)
    response = client.post(
        reverse("meetings:attendance", args=[meeting.pk]),
        {
            f"status_{invited.pk}": AttendanceStatus.EXCUSED,
            "add_person": guest.pk,
            "add_status": AttendanceStatus.ATTENDED,
        },
    )
    assert response.status_code == 302
    invited.refresh_from_db()
    assert invited.status == AttendanceStatus.EXCUSED
    assert Attendance.objects.get(meeting=meeting, person=guest).status == "attended"
    detail = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert [count for _label, count in detail.context["attendance"]] == [1, 1]


def test_bad_attendance_input_changes_nothing(client, make_user):
    meeting = MeetingFactory()
    invited = Attendance.objects.create(meeting=meeting, person=PersonFactory())
    client.force_login(make_user(roles.V_INTERN))
    response = client.post(
        reverse("meetings:attendance", args=[meeting.pk]),
        {f"status_{invited.pk}": "vielleicht", "add_person": "999999"},
    )
    assert response.status_code == 400
    assert_valid_html(response)
    content = response.content.decode()
    assert "Bitte eine gültige Auswahl treffen" in content
    invited.refresh_from_db()
    assert invited.status == AttendanceStatus.INVITED


# --- Hidden agenda items and numbering ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "placeholder"),
    [
        ("anonymous", "TOP 2 – nicht öffentlich"),
        ("association_member", "TOP 2 – verwaltungsintern"),
        ("v_extern", "TOP 2 – verwaltungsintern"),
        ("v_intern", None),
        ("councillor", None),
        ("superuser", None),
    ],
)
def test_an_internal_item_stays_hidden_inside_a_public_meeting_as_a_placeholder(
    client, persona, name, placeholder
):
    meeting = MeetingFactory(visibility=Visibility.PUBLIC)
    services.add_agenda_item(meeting=meeting, title="Begrüßung")
    services.add_agenda_item(
        meeting=meeting, title="Personalsache intern", visibility=Visibility.ADMIN_INTERNAL
    )
    services.add_agenda_item(meeting=meeting, title="Verschiedenes")
    _login(client, persona(name))
    for url_name in ("meetings:detail", "meetings:agenda_print"):
        response = client.get(reverse(url_name, args=[meeting.pk]))
        assert response.status_code == 200
        content = response.content.decode()
        assert ("Personalsache intern" in content) is (placeholder is None)
        numbers = [number for number, _title, _children in _numbers(response)]
        assert numbers == ["1", "2", "3"]
        if placeholder:
            assert placeholder in content
        assert_valid_html(response)


def test_agenda_is_numbered_with_sub_items_alike_for_every_reader(client, make_user):
    meeting = MeetingFactory(visibility=Visibility.PUBLIC)
    services.add_agenda_item(meeting=meeting, title="Eins")
    two = services.add_agenda_item(meeting=meeting, title="Zwei")
    services.add_agenda_item(
        meeting=meeting, title="Geheim", parent=two, visibility=Visibility.TEAM
    )
    services.add_agenda_item(meeting=meeting, title="Zwei Punkt", parent=two)
    services.add_agenda_item(meeting=meeting, title="Drei")

    anonymous = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert _numbers(anonymous) == [
        ("1", "Eins", []),
        ("2", "Zwei", [("2.1", "[nicht öffentlich]"), ("2.2", "Zwei Punkt")]),
        ("3", "Drei", []),
    ]
    client.force_login(make_user(roles.V_EXTERN))
    staff = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert _numbers(staff) == [
        ("1", "Eins", []),
        ("2", "Zwei", [("2.1", "Geheim"), ("2.2", "Zwei Punkt")]),
        ("3", "Drei", []),
    ]


def test_staff_add_a_sub_item_and_move_items_up_and_down(client, make_user):
    meeting = MeetingFactory()
    services.add_agenda_item(meeting=meeting, title="Eins")
    two = services.add_agenda_item(meeting=meeting, title="Zwei")
    client.force_login(make_user(roles.V_INTERN))
    response = client.post(
        reverse("meetings:agenda_add", args=[meeting.pk]),
        {"title": "Unterpunkt", "parent": two.pk, "visibility": Visibility.PUBLIC},
        follow=True,
    )
    assert _numbers(response)[1] == ("2", "Zwei", [("2.1", "Unterpunkt")])
    assert_valid_html(response)

    up = client.post(reverse("meetings:agenda_move", args=[meeting.pk, two.pk]), {"offset": -1})
    assert up.status_code == 302
    page = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert [title for _n, title, _c in _numbers(page)] == ["Zwei", "Eins"]

    down = client.post(
        reverse("meetings:agenda_move", args=[meeting.pk, two.pk]),
        {"offset": 1},
        headers={"HX-Request": "true"},
    )
    assert down.status_code == 200
    fragment = down.content.decode()
    assert fragment.lstrip().startswith('<div id="agenda"')
    assert "<html" not in fragment
    page = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert [title for _n, title, _c in _numbers(page)] == ["Eins", "Zwei"]


def test_a_bad_offset_moves_nothing(client, make_user):
    meeting = MeetingFactory()
    one = services.add_agenda_item(meeting=meeting, title="Eins")
    services.add_agenda_item(meeting=meeting, title="Zwei")
    client.force_login(make_user(roles.V_INTERN))
    for offset in ("5", "abc", ""):
        response = client.post(
            reverse("meetings:agenda_move", args=[meeting.pk, one.pk]), {"offset": offset}
        )
        assert response.status_code == 302
    one.refresh_from_db()
    assert one.position == 0


def test_an_item_of_another_meeting_cannot_be_moved_here(client, make_user):
    meeting = MeetingFactory()
    other = services.add_agenda_item(meeting=MeetingFactory(), title="Fremd")
    client.force_login(make_user(roles.V_INTERN))
    response = client.post(
        reverse("meetings:agenda_move", args=[meeting.pk, other.pk]), {"offset": 1}
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("meeting_level", "item_level", "allowed"),
    [
        (Visibility.TEAM, Visibility.PUBLIC, False),
        (Visibility.TEAM, Visibility.MEMBERS, False),
        (Visibility.ADMIN_INTERNAL, Visibility.CIVIL_INTERNAL, False),
        (Visibility.TEAM, Visibility.ADMIN_INTERNAL, True),
        (Visibility.PUBLIC, Visibility.MEMBERS, True),
    ],
)
def test_an_item_is_never_more_open_than_its_meeting(
    client, make_user, meeting_level, item_level, allowed
):
    meeting = MeetingFactory(visibility=meeting_level)
    client.force_login(make_user(is_superuser=True))
    response = client.post(
        reverse("meetings:agenda_add", args=[meeting.pk]),
        {"title": "Offen", "visibility": item_level},
    )
    assert meeting.agenda_items.filter(title="Offen").exists() is allowed
    if not allowed:
        assert response.status_code == 400
        assert_valid_html(response)
        assert response.context["form"].errors["visibility"]


def test_a_missing_title_is_answered_in_german(client, make_user):
    meeting = MeetingFactory()
    client.force_login(make_user(roles.V_INTERN))
    response = client.post(
        reverse("meetings:agenda_add", args=[meeting.pk]),
        {"title": "", "visibility": Visibility.PUBLIC, "duration_minutes": "lang"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Dieses Feld ist zwingend erforderlich" in content
    assert "Bitte eine ganze Zahl eingeben" in content
    assert not meeting.agenda_items.exists()


# --- Standing item, guiding questions, links, minutes ---------------------------------


def test_the_standing_item_lists_open_action_items_and_commitments_due(client, make_user):
    from bodies.models import Organisation
    from meetings.models import ActionItem, Commitment

    body = BodyFactory()
    earlier = MeetingFactory(body=body, start=timezone.now() - datetime.timedelta(days=30))
    meeting = MeetingFactory(body=body)
    services.add_standing_item(meeting=meeting)
    organisation = Organisation.objects.create(name="Bezirksamt", short_name="BA")
    ActionItem.objects.create(meeting=earlier, title="Raumliste schicken")
    ActionItem.objects.create(meeting=earlier, title="Erledigt", status="done")
    Commitment.objects.create(
        meeting=earlier,
        organisation=organisation,
        what="Schlüssel übergeben",
        due=timezone.localdate(),
    )
    Commitment.objects.create(
        meeting=earlier,
        organisation=organisation,
        what="Später fällig",
        due=timezone.localdate() + datetime.timedelta(days=60),
    )
    client.force_login(make_user(roles.COUNCILLOR))
    for url_name in ("meetings:detail", "meetings:agenda_print"):
        content = client.get(reverse(url_name, args=[meeting.pk])).content.decode()
        assert "Raumliste schicken" in content
        assert "Schlüssel übergeben" in content
        assert "Erledigt" not in content
        assert "Später fällig" not in content
    # Action items are "team" by default: the public does not see them.
    client.logout()
    content = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Raumliste schicken" not in content


def test_guiding_questions_show_where_they_were_carried_over_from(client, make_user):
    body = BodyFactory()
    first = MeetingFactory(body=body, start=timezone.now() - datetime.timedelta(days=14))
    second = MeetingFactory(body=body)
    GuidingQuestion.objects.create(meeting=first, text="Wer öffnet den Raum?")
    client.force_login(make_user(roles.V_EXTERN))
    response = client.post(reverse("meetings:carry_over", args=[first.pk]))
    assert response.status_code == 302
    old = GuidingQuestion.objects.get(meeting=first)
    assert old.status == GuidingQuestionStatus.CARRIED_OVER
    page = client.get(reverse("meetings:detail", args=[second.pk]))
    assert_valid_html(page)
    questions = page.context["questions"]
    assert [q.carried_from_id for q in questions] == [old.pk]
    assert timezone.localtime(first.start).strftime("%d.%m.%y") in page.content.decode() or (
        timezone.localtime(first.start).strftime("%d.%m.%Y") in page.content.decode()
    )


def test_carrying_over_without_a_later_meeting_is_explained(client, make_user):
    meeting = MeetingFactory()
    GuidingQuestion.objects.create(meeting=meeting, text="Offen?")
    client.force_login(make_user(roles.V_EXTERN))
    response = client.post(reverse("meetings:carry_over", args=[meeting.pk]), follow=True)
    assert response.status_code == 200
    assert GuidingQuestion.objects.get().status == GuidingQuestionStatus.OPEN
    assert len(list(response.context["messages"])) == 1


def test_linked_objects_appear_only_when_the_reader_may_see_them(client, make_user):
    from bodies.services import record_decision

    meeting = MeetingFactory()
    item = services.add_agenda_item(meeting=meeting, title="Beschlüsse")
    public = record_decision(
        body=meeting.body, title="Öffentlich beschlossen", decided_on=datetime.date(2026, 1, 5)
    )
    internal = record_decision(
        body=meeting.body,
        title="Intern beschlossen",
        decided_on=datetime.date(2026, 1, 6),
        visibility=Visibility.ADMIN_INTERNAL,
    )
    item.decisions.add(public, internal)
    content = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Öffentlich beschlossen" in content
    assert "Intern beschlossen" not in content
    client.force_login(make_user(roles.V_INTERN))
    content = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Intern beschlossen" in content


def test_the_minutes_link_appears_to_the_public_once_the_minutes_are_published(client):
    meeting = MeetingFactory()
    url = f"/sitzungen/{meeting.pk}/protokoll/"
    assert url not in client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    minutes = services.minutes_for(meeting)
    assert url not in client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    publish(minutes)
    assert url in client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()


# --- List and filters -----------------------------------------------------------------


def test_the_list_filters_by_body_kind_status_date_and_text(client):
    body = BodyFactory()
    other = BodyFactory()
    start = timezone.make_aware(datetime.datetime(2026, 3, 10, 18, 0))
    jour_fixe = MeetingFactory(
        body=body,
        kind=MeetingKind.JOUR_FIXE,
        title="Jour-Fixe März",
        start=start,
        end=start + datetime.timedelta(hours=2),
    )
    MeetingFactory(body=other, title="AG-Treffen April")
    url = reverse("meetings:list")
    cases = [
        {"body": body.pk},
        {"kind": MeetingKind.JOUR_FIXE},
        {"date_from": "2026-03-01", "date_to": "2026-03-31"},
        {"date_from": "01.03.2026", "date_to": "31.03.2026"},
        {"q": "März"},
        {"status": "planned", "q": "jour-fixe"},
    ]
    for params in cases:
        response = client.get(url, params)
        assert response.status_code == 200
        page = response.context["page"]
        assert [m.pk for m in page.object_list] == [jour_fixe.pk], params
    response = client.get(url, {"q": "März"})
    assert_valid_html(response)
    assert "10.03.2026 18:00" in response.content.decode()


def test_bad_filter_input_is_answered_in_german(client):
    hidden = BodyFactory(visibility=Visibility.ADMIN_INTERNAL)
    response = client.get(
        reverse("meetings:list"),
        {"body": hidden.pk, "kind": "party", "date_from": "gestern", "status": "x"},
    )
    assert response.status_code == 200
    assert_valid_html(response)
    content = response.content.decode()
    assert "Bitte eine gültige Auswahl treffen" in content
    assert "Bitte ein gültiges Datum eingeben" in content
    response = client.get(
        reverse("meetings:list"), {"date_from": "2026-05-01", "date_to": "2026-04-01"}
    )
    assert response.status_code == 200
    assert response.context["filter"].form.errors["date_to"]
    assert client.get(reverse("meetings:list"), {"page": "zwölf"}).status_code == 200


def test_the_navigation_marks_meetings(client):
    content = client.get(reverse("meetings:list")).content.decode()
    assert f'href="{reverse("meetings:list")}" aria-current="page"' in content


# --- Query counts ---------------------------------------------------------------------


@pytest.mark.parametrize("size", [10, 1000])
def test_list_queries_do_not_grow_with_meetings(
    client, make_user, django_assert_max_num_queries, size
):
    bodies = BodyFactory.create_batch(3)
    now = timezone.now().replace(microsecond=0)
    Meeting.objects.bulk_create(
        Meeting(
            body=bodies[i % 3],
            kind=MeetingKind.WORKING_GROUP,
            title=f"Sitzung {i}",
            start=now + datetime.timedelta(hours=i),
            end=now + datetime.timedelta(hours=i + 2),
            visibility=Visibility.values[i % 5],
        )
        for i in range(size)
    )
    client.force_login(make_user(roles.COUNCILLOR))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("meetings:list"), {"kind": MeetingKind.WORKING_GROUP})
    assert response.status_code == 200
    assert_valid_html(response)


@pytest.mark.parametrize("size", [10, 300])
def test_detail_and_print_queries_do_not_grow_with_agenda_items(
    client, make_user, django_assert_max_num_queries, size
):
    meeting = MeetingFactory()
    services.add_standing_item(meeting=meeting)
    parents = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            title=f"Punkt {i}",
            position=i + 1,
            visibility=Visibility.values[i % 5] if i % 2 else Visibility.PUBLIC,
        )
        for i in range(size // 2)
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, parent=parents[i % len(parents)], title=f"Unter {i}")
        for i in range(size - size // 2)
    )
    client.force_login(make_user(roles.V_INTERN))
    with django_assert_max_num_queries(22):
        response = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert response.status_code == 200
    assert_valid_html(response)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("meetings:agenda_print", args=[meeting.pk]))
    assert response.status_code == 200
    assert_valid_html(response)
