"""Planning pages: who may create series and meetings, edit them, change their status
and edit agenda items; what the forms offer; how many queries the pages need."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from aks.accounts import roles
from bodies.access import Visibility
from bodies.models import Decision
from bodies.services import record_decision
from meetings import services
from meetings.models import AgendaItem, Meeting, MeetingKind, MeetingSeries, MeetingStatus
from tests.factories import BodyFactory, PersonFactory
from tests.html import assert_valid_html
from tests.meetings.factories import MeetingFactory
from tests.personas import PERSONAS, SEES
from tests.spaces.factories import SpaceFactory, bulk_spaces

pytestmark = pytest.mark.django_db

# Who may plan and change the meetings of a body they have nothing else to do with.
CHANGES = {"v_extern", "v_intern", "superuser"}


def _login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def _refused(response, name):
    """Seen but not changeable: anonymous readers are sent to log in, others get 403."""
    if name == "anonymous":
        return response.status_code == 302 and "anmelden" in response["Location"]
    return response.status_code == 403


def _meeting_post(meeting, **changes):
    data = {
        "title": meeting.title,
        "kind": meeting.kind,
        "start": timezone.localtime(meeting.start).strftime("%Y-%m-%dT%H:%M"),
        "end": timezone.localtime(meeting.end).strftime("%Y-%m-%dT%H:%M"),
        "place": "",
        "online_url": "",
        "visibility": meeting.visibility,
        "description": "",
    }
    data.update(changes)
    return data


SERIES_POST = {
    "title": "Teamsitzung",
    "kind": MeetingKind.TEAM,
    "recurrence": "monthly",
    "weekday": "2",
    "week_of_month": "1",
    "start_time": "09:30",
    "duration_minutes": "60",
    "starts_on": "2026-07-01",
    "until": "2026-09-30",
    "visibility": Visibility.PUBLIC,
}


# --- Permission matrix ---------------------------------------------------------------


@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("level", Visibility.values)
def test_planning_pages_follow_the_kernel(client, persona, name, level):
    body = BodyFactory()
    meeting = MeetingFactory(body=body, visibility=level, title="Sitzung Matrix")
    item = services.add_agenda_item(meeting=meeting, title="TOP Matrix")
    user = persona(name, body=body)
    _login(client, user)
    sees = level in SEES[name]
    changes = sees and name in CHANGES
    edit = client.get(reverse("meetings:meeting_edit", args=[meeting.pk]))
    item_edit = client.get(reverse("meetings:agenda_edit", args=[meeting.pk, item.pk]))
    status = client.post(
        reverse("meetings:meeting_status", args=[meeting.pk]), {"status": "invited"}
    )
    item_post = client.post(
        reverse("meetings:agenda_edit", args=[meeting.pk, item.pk]),
        {"title": "Geändert", "visibility": level},
    )
    for response in (edit, item_edit, status, item_post):
        if name == "anonymous":
            # Sent to log in whatever the level: the answer reveals nothing.
            assert _refused(response, name)
        elif not sees:
            assert response.status_code == 404
        elif changes:
            assert response.status_code in (200, 302)
        else:
            assert _refused(response, name)
    if changes:
        assert_valid_html(edit)
        assert_valid_html(item_edit)
    meeting.refresh_from_db()
    item.refresh_from_db()
    assert (meeting.status == MeetingStatus.INVITED) is changes
    assert (item.title == "Geändert") is changes


@pytest.mark.parametrize("name", PERSONAS)
def test_only_staff_and_chairs_plan_new_meetings(client, persona, name):
    body = BodyFactory()
    user = persona(name, body=body)
    _login(client, user)
    allowed = name in CHANGES
    pages = [reverse("meetings:meeting_create"), reverse("meetings:series_create")]
    for url in pages:
        response = client.get(url)
        if allowed:
            assert response.status_code == 200
            assert_valid_html(response)
        else:
            assert _refused(response, name)
    response = client.post(reverse("meetings:series_create"), SERIES_POST | {"body": body.pk})
    assert MeetingSeries.objects.filter(body=body).exists() is allowed
    listed = client.get(reverse("meetings:list")).content.decode()
    assert (reverse("meetings:meeting_create") in listed) is allowed
    assert (reverse("meetings:series_create") in listed) is allowed
    if not allowed:
        assert _refused(response, name)


def test_a_chair_plans_only_for_the_bodies_they_lead(client, make_user, member_of):
    led, other = BodyFactory(), BodyFactory()
    chair = make_user()
    member_of(chair, led, role="chair")
    client.force_login(chair)
    page = client.get(reverse("meetings:meeting_create"))
    assert list(page.context["form"].fields["body"].queryset) == [led]
    start = "2026-12-01T18:00"
    data = {
        "title": "Vom Vorsitz",
        "kind": MeetingKind.WORKING_GROUP,
        "start": start,
        "end": "2026-12-01T19:00",
        "visibility": Visibility.PUBLIC,
    }
    refused = client.post(reverse("meetings:meeting_create"), data | {"body": other.pk})
    assert refused.status_code == 400
    assert "Bitte eine gültige Auswahl treffen" in refused.content.decode()
    created = client.post(reverse("meetings:meeting_create"), data | {"body": led.pk})
    meeting = Meeting.objects.get(title="Vom Vorsitz")
    assert created["Location"] == meeting.get_absolute_url()
    assert meeting.body == led
    detail = client.get(meeting.get_absolute_url())
    assert reverse("meetings:meeting_edit", args=[meeting.pk]) in detail.content.decode()


@pytest.mark.parametrize("name", PERSONAS)
def test_ending_a_series_needs_staff_or_chair(client, persona, name):
    body = BodyFactory()
    series, meetings = services.create_series(
        body=body,
        title="AG-Reihe",
        kind=MeetingKind.WORKING_GROUP,
        recurrence="weekly",
        weekday=0,
        start_time=datetime.time(17),
        duration=datetime.timedelta(hours=2),
        starts_on=datetime.date(2026, 7, 1),
        until=datetime.date(2026, 8, 31),
        visibility=Visibility.MEMBERS,
    )
    user = persona(name, body=body)
    _login(client, user)
    sees = Visibility.MEMBERS in SEES[name]
    detail = client.get(reverse("meetings:series_detail", args=[series.pk]))
    end = client.post(reverse("meetings:series_end", args=[series.pk]), {"on": "2026-07-31"})
    if name == "anonymous":
        assert detail.status_code == 404
        assert _refused(end, name)
        return
    if not sees:
        assert detail.status_code == end.status_code == 404
        return
    assert detail.status_code == 200
    assert_valid_html(detail)
    assert ("end_form" in detail.context) is (name in CHANGES)
    series.refresh_from_db()
    if name in CHANGES:
        assert end.status_code == 302
        assert series.until == datetime.date(2026, 7, 31)
        assert (
            series.meetings.filter(status=MeetingStatus.CANCELLED).count() == 5
        )  # Mondays in August
    else:
        assert _refused(end, name)
        assert series.until == datetime.date(2026, 8, 31)


# --- Series ------------------------------------------------------------------------------


def test_staff_create_a_series_and_land_on_its_meetings(client, make_user):
    body = BodyFactory()
    client.force_login(make_user(roles.V_INTERN))
    response = client.post(
        reverse("meetings:series_create"), SERIES_POST | {"body": body.pk}, follow=True
    )
    series = MeetingSeries.objects.get()
    assert response.redirect_chain[-1][0] == reverse("meetings:series_detail", args=[series.pk])
    assert_valid_html(response)
    dates = [timezone.localtime(m.start).date() for m in response.context["page"].object_list]
    assert dates == [
        datetime.date(2026, 7, 1),
        datetime.date(2026, 8, 5),
        datetime.date(2026, 9, 2),
    ]
    content = response.content.decode()
    assert "Die Reihe wurde mit 3 Sitzungen angelegt." in content
    assert "erste Woche im Monat" in content


def test_bad_series_input_is_answered_in_german_next_to_its_fields(client, make_user):
    body = BodyFactory()
    client.force_login(make_user(roles.V_EXTERN))
    response = client.post(
        reverse("meetings:series_create"),
        SERIES_POST | {"body": body.pk, "week_of_month": "", "until": "2026-06-01", "weekday": "9"},
    )
    assert response.status_code == 400
    assert_valid_html(response)
    content = response.content.decode()
    assert "Eine monatliche Reihe braucht die Woche im Monat." in content
    assert "Eine Reihe kann nicht vor ihrem ersten Termin enden." in content
    assert "Bitte eine gültige Auswahl treffen" in content
    # Each message is tied to its field for screen readers.
    assert 'aria-describedby="id_until_helptext id_until_error"' in content
    assert 'id="id_until_error"' in content
    assert not MeetingSeries.objects.exists()


def test_ending_a_series_before_it_starts_is_explained(client, make_user):
    series, _meetings = services.create_series(
        body=BodyFactory(),
        title="Reihe",
        kind=MeetingKind.TEAM,
        recurrence="weekly",
        weekday=1,
        start_time=datetime.time(9),
        duration=datetime.timedelta(hours=1),
        starts_on=datetime.date(2026, 7, 1),
        until=datetime.date(2026, 7, 31),
    )
    client.force_login(make_user(roles.V_INTERN))
    response = client.post(reverse("meetings:series_end", args=[series.pk]), {"on": "2026-06-01"})
    assert response.status_code == 400
    assert_valid_html(response)
    assert "Eine Reihe kann nicht vor ihrem ersten Termin enden." in response.content.decode()
    assert not series.meetings.filter(status=MeetingStatus.CANCELLED).exists()


# --- Meetings and their status --------------------------------------------------------


def test_staff_edit_a_meeting_and_change_its_status(client, make_user):
    meeting = MeetingFactory(visibility=Visibility.PUBLIC)
    space = SpaceFactory(name="Fahrradladen")
    moderator = PersonFactory(name="Mia Moderation")
    client.force_login(make_user(roles.V_EXTERN))
    url = reverse("meetings:meeting_edit", args=[meeting.pk])
    page = client.get(url)
    assert page.context["form"]["title"].value() == meeting.title
    assert [value for value, _label in page.context["status_form"].fields["status"].choices] == [
        "invited",
        "held",
        "cancelled",
    ]
    response = client.post(
        url,
        _meeting_post(
            meeting, title="Neu geplant", space=space.pk, moderator=moderator.pk, place="Laden"
        ),
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.title, meeting.space, meeting.moderator) == ("Neu geplant", space, moderator)
    detail = client.get(meeting.get_absolute_url())
    assert "Mia Moderation" in detail.content.decode()

    status_url = reverse("meetings:meeting_status", args=[meeting.pk])
    assert client.post(status_url, {"status": "invited"}).status_code == 302
    # A stale page may still offer "planned": the service refuses, next to the field.
    refused = client.post(status_url, {"status": "planned"})
    assert refused.status_code == 400
    assert_valid_html(refused)
    content = refused.content.decode()
    assert "Eine Sitzung kann nicht von „Eingeladen“ zu „Geplant“ wechseln." in content
    assert 'aria-describedby="id_status_error"' in content
    # Not held before it began: refused in German next to the field, nothing changed.
    refused = client.post(status_url, {"status": "held"})
    assert refused.status_code == 400
    assert "noch nicht begonnen" in refused.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.INVITED
    began = timezone.now() - datetime.timedelta(hours=1)
    Meeting.objects.filter(pk=meeting.pk).update(
        start=began, end=began + datetime.timedelta(hours=2)
    )
    assert client.post(status_url, {"status": "held"}).status_code == 302
    refused = client.post(status_url, {"status": "cancelled"})
    assert refused.status_code == 400
    assert_valid_html(refused)
    assert "von „Stattgefunden“ zu „Abgesagt“" in refused.content.decode()
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD


def test_bad_meeting_input_is_answered_in_german(client, make_user):
    meeting = MeetingFactory()
    client.force_login(make_user(roles.V_INTERN))
    response = client.post(
        reverse("meetings:meeting_edit", args=[meeting.pk]),
        _meeting_post(meeting, end="2000-01-01T10:00", online_url="kein link", title=""),
    )
    assert response.status_code == 400
    assert_valid_html(response)
    content = response.content.decode()
    assert "Eine Sitzung kann nicht enden, bevor sie beginnt." in content
    assert "Bitte eine gültige Adresse eingeben." in content
    assert "Dieses Feld ist zwingend erforderlich." in content
    # The page still shows the meeting as it is, not the rejected input.
    assert escape(meeting.title) in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).title == meeting.title


def test_the_space_choices_are_the_spaces_the_editor_sees(client, make_user):
    meeting = MeetingFactory()
    public = SpaceFactory(name="Offener Raum")
    SpaceFactory(name="Interner Raum", visibility=Visibility.ADMIN_INTERNAL)
    client.force_login(make_user(roles.V_EXTERN))
    page = client.get(reverse("meetings:meeting_edit", args=[meeting.pk]))
    assert list(page.context["form"].fields["space"].queryset) == [public]
    assert "Interner Raum" not in page.content.decode()


# --- Agenda items ----------------------------------------------------------------------


def test_the_item_form_offers_only_visible_links_of_the_meetings_body(client, make_user):
    meeting = MeetingFactory()
    item = services.add_agenda_item(meeting=meeting, title="Beschlüsse")
    day = datetime.date(2026, 10, 1)
    own = record_decision(body=meeting.body, title="Eigener Beschluss", decided_on=day)
    record_decision(
        body=meeting.body,
        title="Interner Beschluss",
        decided_on=day,
        visibility=Visibility.ADMIN_INTERNAL,
    )
    foreign = record_decision(body=BodyFactory(), title="Fremder Beschluss", decided_on=day)
    client.force_login(make_user(roles.V_EXTERN))
    url = reverse("meetings:agenda_edit", args=[meeting.pk, item.pk])
    page = client.get(url)
    assert_valid_html(page)
    content = page.content.decode()
    assert "Eigener Beschluss" in content
    assert "Interner Beschluss" not in content
    assert "Fremder Beschluss" not in content
    refused = client.post(
        url, {"title": "Beschlüsse", "visibility": "public", "decisions": [foreign.pk]}
    )
    assert refused.status_code == 400
    assert_valid_html(refused)
    assert "Bitte eine gültige Auswahl treffen" in refused.content.decode()
    linked = client.post(
        url,
        {
            "title": "Beschlüsse",
            "visibility": "public",
            "decisions": [own.pk],
            "duration_minutes": "15",
        },
    )
    assert linked["Location"].endswith(f"#agenda-item-{item.pk}")
    detail = client.get(meeting.get_absolute_url()).content.decode()
    assert own.get_absolute_url() in detail
    assert "Der Tagesordnungspunkt wurde geändert." in detail


def test_an_item_page_of_another_meeting_answers_404(client, make_user):
    meeting = MeetingFactory()
    other = services.add_agenda_item(meeting=MeetingFactory(), title="Fremd")
    client.force_login(make_user(roles.V_INTERN))
    assert (
        client.get(reverse("meetings:agenda_edit", args=[meeting.pk, other.pk])).status_code == 404
    )


def test_a_hidden_item_answers_404_even_to_staff_of_the_other_side(client, make_user):
    meeting = MeetingFactory(visibility=Visibility.PUBLIC)
    item = services.add_agenda_item(
        meeting=meeting, title="Personalsache", visibility=Visibility.ADMIN_INTERNAL
    )
    client.force_login(make_user(roles.V_EXTERN))
    url = reverse("meetings:agenda_edit", args=[meeting.pk, item.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"title": "x", "visibility": "public"}).status_code == 404


def test_a_too_open_item_is_refused_with_a_german_message(client, make_user):
    meeting = MeetingFactory(visibility=Visibility.TEAM)
    item = services.add_agenda_item(meeting=meeting, title="Team")
    client.force_login(make_user(roles.V_INTERN))
    response = client.post(
        reverse("meetings:agenda_edit", args=[meeting.pk, item.pk]),
        {"title": "Team", "visibility": Visibility.PUBLIC},
    )
    assert response.status_code == 400
    assert_valid_html(response)
    assert (
        "Ein Tagesordnungspunkt kann nicht offener sein als seine Sitzung."
        in response.content.decode()
    )
    item.refresh_from_db()
    assert item.visibility == Visibility.TEAM


@pytest.mark.parametrize("name", ["anonymous", "association_member", "councillor"])
def test_the_detail_page_offers_no_planning_links_to_readers(client, persona, name):
    meeting = MeetingFactory()
    item = services.add_agenda_item(meeting=meeting, title="TOP")
    _login(client, persona(name))
    content = client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("meetings:meeting_edit", args=[meeting.pk]) not in content
    assert reverse("meetings:agenda_edit", args=[meeting.pk, item.pk]) not in content


def test_the_detail_page_links_staff_to_the_planning_pages(client, make_user):
    series, meetings = services.create_series(
        body=BodyFactory(),
        title="Jour-Fixe",
        kind=MeetingKind.JOUR_FIXE,
        recurrence="monthly",
        weekday=1,
        week_of_month=2,
        start_time=datetime.time(10),
        duration=datetime.timedelta(hours=1),
        starts_on=datetime.date(2026, 7, 1),
        until=datetime.date(2026, 7, 31),
    )
    meeting = meetings[0]
    item = meeting.agenda_items.get()
    client.force_login(make_user(roles.V_INTERN))
    response = client.get(meeting.get_absolute_url())
    assert_valid_html(response)
    content = response.content.decode()
    assert reverse("meetings:meeting_edit", args=[meeting.pk]) in content
    assert reverse("meetings:agenda_edit", args=[meeting.pk, item.pk]) in content
    assert reverse("meetings:series_detail", args=[series.pk]) in content
    printed = client.get(reverse("meetings:agenda_print", args=[meeting.pk])).content.decode()
    assert reverse("meetings:agenda_edit", args=[meeting.pk, item.pk]) not in printed


# --- Query counts ---------------------------------------------------------------------


@pytest.mark.parametrize("size", [5, 200])
def test_item_and_meeting_forms_do_not_grow_in_queries(
    client, make_user, django_assert_max_num_queries, size
):
    meeting = MeetingFactory()
    item = services.add_agenda_item(meeting=meeting, title="TOP")
    Decision.objects.bulk_create(
        Decision(
            body=meeting.body,
            year=2026,
            sequence=i + 1,
            title=f"Beschluss {i}",
            decided_on=datetime.date(2026, 1, 1),
            visibility=Visibility.values[i % 5],
        )
        for i in range(size)
    )
    spaces = bulk_spaces(size)
    item.decisions.add(*Decision.objects.all()[: size // 2])
    item.spaces.add(*spaces[: size // 2])
    PersonFactory.create_batch(5)
    client.force_login(make_user(roles.V_INTERN))
    with django_assert_max_num_queries(22):
        response = client.get(reverse("meetings:agenda_edit", args=[meeting.pk, item.pk]))
    assert response.status_code == 200
    assert_valid_html(response)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("meetings:meeting_edit", args=[meeting.pk]))
    assert response.status_code == 200
    assert_valid_html(response)
    with django_assert_max_num_queries(40):
        response = client.post(
            reverse("meetings:agenda_edit", args=[meeting.pk, item.pk]),
            {
                "title": "TOP",
                "visibility": "public",
                "decisions": [d.pk for d in Decision.objects.visible_to(make_user(roles.V_INTERN))],
            },
        )
    assert response.status_code == 302


@pytest.mark.parametrize("size", [5, 300])
def test_series_page_queries_do_not_grow_with_meetings(
    client, make_user, django_assert_max_num_queries, size
):
    series = MeetingSeries.objects.create(
        body=BodyFactory(),
        title="Lange Reihe",
        kind=MeetingKind.TEAM,
        recurrence="weekly",
        weekday=0,
        start_time=datetime.time(9),
        starts_on=datetime.date(2026, 1, 5),
    )
    start = timezone.make_aware(datetime.datetime(2026, 1, 5, 9))
    Meeting.objects.bulk_create(
        Meeting(
            body=series.body,
            series=series,
            kind=MeetingKind.TEAM,
            title=f"Woche {i}",
            start=start + datetime.timedelta(weeks=i),
            end=start + datetime.timedelta(weeks=i, hours=1),
            visibility=Visibility.values[i % 5],
        )
        for i in range(size)
    )
    client.force_login(make_user(roles.V_EXTERN))
    with django_assert_max_num_queries(12):
        response = client.get(reverse("meetings:series_detail", args=[series.pk]))
    assert response.status_code == 200
    assert_valid_html(response)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("meetings:meeting_create"))
    assert response.status_code == 200


def test_the_list_links_to_planning_in_one_more_query_at_most(
    client, make_user, django_assert_max_num_queries
):
    MeetingFactory.create_batch(3)
    client.force_login(make_user(roles.V_INTERN))
    with django_assert_max_num_queries(9):
        response = client.get(reverse("meetings:list"))
    assert reverse("meetings:meeting_create") in response.content.decode()
    assert AgendaItem.objects.count() == 0
