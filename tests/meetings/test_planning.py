"""Planning: series generated through the form, single meetings, status transitions,
agenda items with their links and visibility (services and forms)."""

import datetime

import pytest
from django.utils import timezone

from aks.accounts import roles
from bodies.access import Visibility
from bodies.models import Poll, Workstream
from bodies.services import record_decision
from meetings import selectors, services
from meetings.forms_planning import (
    AgendaItemEditForm,
    MeetingForm,
    MeetingStatusForm,
    SeriesForm,
)
from meetings.models import (
    AgendaItem,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MeetingStatus,
    Recurrence,
)
from spaces.models import Space
from tests.factories import BodyFactory, PersonFactory
from tests.meetings.factories import MeetingFactory
from tests.spaces.factories import SpaceFactory

pytestmark = pytest.mark.django_db


def _series_data(body, **changes):
    data = {
        "body": body.pk,
        "title": "Jour-Fixe mit der Bezirksstadträtin",
        "kind": MeetingKind.JOUR_FIXE,
        "recurrence": Recurrence.MONTHLY,
        "weekday": "1",
        "week_of_month": "2",
        "start_time": "10:00",
        "duration_minutes": "90",
        "place": "Bezirksamt, Raum 2.14",
        "online_url": "",
        "starts_on": "2026-07-01",
        "until": "2026-12-31",
        "visibility": Visibility.TEAM,
    }
    data.update(changes)
    return data


def _series_form(body, **changes):
    from bodies.models import Body

    return SeriesForm(_series_data(body, **changes), bodies=Body.objects.all())


def _local(meeting):
    return timezone.localtime(meeting.start)


# --- Series --------------------------------------------------------------------------


def test_it_generates_a_monthly_series_on_the_second_tuesday_through_the_form():
    body = BodyFactory()
    form = _series_form(body)
    assert form.is_valid(), form.errors
    series, meetings = services.create_series(**form.service_arguments())
    assert [_local(m).date() for m in meetings] == [
        datetime.date(2026, 7, 14),
        datetime.date(2026, 8, 11),
        datetime.date(2026, 9, 8),
        datetime.date(2026, 10, 13),
        datetime.date(2026, 11, 10),
        datetime.date(2026, 12, 8),
    ]
    first = meetings[0]
    assert (_local(first).hour, _local(first).minute) == (10, 0)
    assert first.end - first.start == datetime.timedelta(minutes=90)
    assert first.visibility == Visibility.TEAM
    assert first.place == "Bezirksamt, Raum 2.14"
    # Every Jour-Fixe carries the standing item for open action items and commitments.
    assert all(m.agenda_items.filter(standing=True).count() == 1 for m in meetings)
    assert series.meetings.count() == 6


def test_it_generates_the_last_weekday_of_the_month():
    form = _series_form(BodyFactory(), weekday="4", week_of_month="-1", until="2026-09-30")
    assert form.is_valid(), form.errors
    _series, meetings = services.create_series(**form.service_arguments())
    assert [_local(m).date() for m in meetings] == [
        datetime.date(2026, 7, 31),
        datetime.date(2026, 8, 28),
        datetime.date(2026, 9, 25),
    ]


def test_it_generates_a_weekly_series_one_year_ahead_and_forgets_the_week_of_month():
    today = timezone.localdate()
    form = _series_form(
        BodyFactory(),
        kind=MeetingKind.TEAM,
        recurrence=Recurrence.WEEKLY,
        weekday=str(today.weekday()),
        week_of_month="3",
        starts_on=today.isoformat(),
        until="",
    )
    assert form.is_valid(), form.errors
    series, meetings = services.create_series(**form.service_arguments())
    assert series.week_of_month is None
    assert len(meetings) == 53  # today and 52 more weeks: 365 days ahead
    assert _local(meetings[0]).date() == today
    assert all(not m.agenda_items.exists() for m in meetings)


def test_the_horizon_never_passes_the_end_of_the_series():
    series = MeetingSeries(starts_on=datetime.date(2026, 1, 1), until=datetime.date(2026, 3, 1))
    assert services.series_horizon(series=series, today=datetime.date(2025, 6, 1)) == (
        datetime.date(2026, 3, 1)
    )
    series.until = None
    assert services.series_horizon(series=series, today=datetime.date(2026, 6, 1)) == (
        datetime.date(2027, 6, 1)
    )


def test_it_explains_bad_series_input_in_german():
    form = _series_form(
        BodyFactory(),
        week_of_month="",
        starts_on="2026-07-01",
        until="2026-06-01",
        start_time="zehn Uhr",
        duration_minutes="0",
        title="",
    )
    assert not form.is_valid()
    errors = {name: " ".join(messages) for name, messages in form.errors.items()}
    assert errors["week_of_month"] == "Eine monatliche Reihe braucht die Woche im Monat."
    assert errors["until"] == "Eine Reihe kann nicht vor ihrem ersten Termin enden."
    assert errors["start_time"] == "Bitte eine gültige Uhrzeit eingeben."
    assert "größer oder gleich 5" in errors["duration_minutes"]
    assert errors["title"] == "Dieses Feld ist zwingend erforderlich."
    assert not MeetingSeries.objects.exists()


def test_a_body_outside_the_offered_ones_is_refused():
    from bodies.models import Body

    offered, other = BodyFactory(), BodyFactory()
    form = SeriesForm(_series_data(other), bodies=Body.objects.filter(pk=offered.pk))
    assert not form.is_valid()
    assert "gültige Auswahl" in form.errors["body"][0]


def test_the_service_refuses_a_monthly_series_without_its_week():
    with pytest.raises(services.MeetingError) as error:
        services.create_series(
            body=BodyFactory(),
            title="Ohne Woche",
            kind=MeetingKind.TEAM,
            recurrence=Recurrence.MONTHLY,
            weekday=1,
            start_time=datetime.time(10),
            duration=datetime.timedelta(hours=1),
            starts_on=datetime.date(2026, 7, 1),
        )
    assert error.value.messages == ["Eine monatliche Reihe braucht die Woche im Monat."]
    assert not MeetingSeries.objects.exists()


def test_ending_a_series_cancels_only_later_meetings_not_yet_held():
    form = _series_form(BodyFactory())
    assert form.is_valid()
    series, meetings = services.create_series(**form.service_arguments())
    services.change_meeting_status(meeting=meetings[4], status=MeetingStatus.HELD)
    cancelled = services.end_series(series=series, on=datetime.date(2026, 9, 30))
    assert cancelled == 2  # October and December; November was held
    statuses = list(series.meetings.order_by("start").values_list("status", flat=True))
    assert statuses == ["planned", "planned", "planned", "cancelled", "held", "cancelled"]


# --- Single meetings -----------------------------------------------------------------


def _meeting_data(body, **changes):
    data = {
        "body": body.pk,
        "title": "Sondersitzung",
        "kind": MeetingKind.JOUR_FIXE,
        "start": "2026-12-01T18:00",
        "end": "2026-12-01T20:00",
        "place": "Rathaus",
        "space": "",
        "online_url": "",
        "visibility": Visibility.PUBLIC,
        "moderator": "",
        "minute_taker": "",
        "description": "",
    }
    data.update(changes)
    return data


def test_it_creates_a_single_jour_fixe_with_its_standing_item():
    from bodies.models import Body

    body = BodyFactory()
    taker = PersonFactory()
    form = MeetingForm(
        _meeting_data(body, minute_taker=taker.pk, start="01.12.2026 18:00"),
        bodies=Body.objects.all(),
        spaces=Space.objects.all(),
    )
    assert form.is_valid(), form.errors
    meeting = services.create_meeting(**form.service_arguments())
    assert meeting.series is None
    assert meeting.minute_taker == taker
    assert timezone.localtime(meeting.start).hour == 18
    assert meeting.agenda_items.get().standing


def test_a_meeting_cannot_end_before_it_starts():
    from bodies.models import Body

    form = MeetingForm(
        _meeting_data(BodyFactory(), end="2026-12-01T17:00", start="gestern"),
        bodies=Body.objects.all(),
        spaces=Space.objects.all(),
    )
    assert not form.is_valid()
    assert form.errors["start"] == ["Bitte ein gültiges Datum und Uhrzeit eingeben."]
    form = MeetingForm(
        _meeting_data(BodyFactory(), end="2026-12-01T17:00"),
        bodies=Body.objects.all(),
        spaces=Space.objects.all(),
    )
    assert not form.is_valid()
    assert form.errors["end"] == ["Eine Sitzung kann nicht enden, bevor sie beginnt."]
    assert not Meeting.objects.exists()


def test_editing_keeps_a_space_the_editor_may_not_see(make_user):
    hidden = SpaceFactory(visibility=Visibility.ADMIN_INTERNAL)
    meeting = MeetingFactory(space=hidden)
    editor = make_user(roles.V_EXTERN)
    form = MeetingForm(
        _meeting_data(meeting.body, title="Neuer Titel"),
        instance=meeting,
        spaces=Space.objects.visible_to(editor),
    )
    assert form.is_valid(), form.errors
    assert "body" not in form.fields
    services.update_meeting(meeting=meeting, **form.service_arguments())
    meeting.refresh_from_db()
    assert (meeting.title, meeting.space) == ("Neuer Titel", hidden)


def test_restricting_a_meeting_restricts_its_more_open_items():
    meeting = MeetingFactory(visibility=Visibility.PUBLIC)
    public = services.add_agenda_item(meeting=meeting, title="Offen")
    internal = services.add_agenda_item(
        meeting=meeting, title="Intern", visibility=Visibility.ADMIN_INTERNAL
    )
    fields = {name: getattr(meeting, name) for name in services.MEETING_EDIT_FIELDS}
    services.update_meeting(meeting=meeting, **(fields | {"visibility": Visibility.TEAM}))
    public.refresh_from_db()
    internal.refresh_from_db()
    assert public.visibility == Visibility.TEAM
    assert internal.visibility == Visibility.ADMIN_INTERNAL


def test_an_edit_leaves_a_status_changed_meanwhile_alone():
    meeting = MeetingFactory()
    stale = Meeting.objects.get(pk=meeting.pk)
    services.change_meeting_status(meeting=meeting, status=MeetingStatus.INVITED)
    fields = {name: getattr(stale, name) for name in services.MEETING_EDIT_FIELDS}
    services.update_meeting(meeting=stale, **(fields | {"title": "Umbenannt"}))
    meeting.refresh_from_db()
    assert (meeting.title, meeting.status) == ("Umbenannt", MeetingStatus.INVITED)


# --- Status ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "target", "allowed"),
    [
        (MeetingStatus.PLANNED, MeetingStatus.INVITED, True),
        (MeetingStatus.PLANNED, MeetingStatus.HELD, True),
        (MeetingStatus.PLANNED, MeetingStatus.CANCELLED, True),
        (MeetingStatus.INVITED, MeetingStatus.HELD, True),
        (MeetingStatus.INVITED, MeetingStatus.CANCELLED, True),
        (MeetingStatus.INVITED, MeetingStatus.PLANNED, False),
        (MeetingStatus.HELD, MeetingStatus.CANCELLED, False),
        (MeetingStatus.CANCELLED, MeetingStatus.PLANNED, False),
    ],
)
def test_the_status_moves_only_along_the_allowed_transitions(start, target, allowed):
    # Begun an hour ago: a meeting is marked held only once it has begun.
    began = timezone.now().replace(microsecond=0) - datetime.timedelta(hours=1)
    meeting = MeetingFactory(status=start, start=began, end=began + datetime.timedelta(hours=2))
    form = MeetingStatusForm({"status": target}, meeting=meeting)
    # The form lets every status through; the service decides and says why.
    assert form.is_valid()
    assert (target in dict(form.fields["status"].choices)) is allowed
    if allowed:
        services.change_meeting_status(meeting=meeting, status=target)
    else:
        with pytest.raises(services.MeetingError) as error:
            services.change_meeting_status(meeting=meeting, status=target)
        assert error.value.messages[0].startswith("Eine Sitzung kann nicht von „")
    meeting.refresh_from_db()
    assert meeting.status == (target if allowed else start)


def test_a_held_meeting_offers_no_further_status():
    assert not MeetingStatusForm(meeting=MeetingFactory(status=MeetingStatus.HELD)).has_choices
    assert not MeetingStatusForm({"status": "vertagt"}, meeting=MeetingFactory()).is_valid()


# --- Agenda items ----------------------------------------------------------------------


@pytest.fixture
def linked_world():
    """A meeting of one body, and objects to link: of its body or not, visible or not."""
    body, other = BodyFactory(), BodyFactory()
    meeting = MeetingFactory(body=body, visibility=Visibility.PUBLIC)
    day = datetime.date(2026, 10, 1)
    world = {
        "meeting": meeting,
        "item": services.add_agenda_item(meeting=meeting, title="Fahrradladen"),
        "decision": record_decision(body=body, title="Beschluss offen", decided_on=day),
        "internal_decision": record_decision(
            body=body,
            title="Beschluss intern",
            decided_on=day,
            visibility=Visibility.ADMIN_INTERNAL,
        ),
        "foreign_decision": record_decision(body=other, title="Fremd", decided_on=day),
        "poll": Poll.objects.create(body=body, title="Abstimmung", visibility="public"),
        "foreign_poll": Poll.objects.create(body=other, title="Fremde Abstimmung"),
        "space": SpaceFactory(),
        "internal_space": SpaceFactory(visibility=Visibility.ADMIN_INTERNAL),
        "workstream": Workstream.objects.create(number=501, title="Geleitet", lead_body=body),
        "joined_workstream": Workstream.objects.create(
            number=502, title="Beteiligt", lead_body=other
        ),
        "foreign_workstream": Workstream.objects.create(number=503, title="Fremd", lead_body=other),
    }
    world["joined_workstream"].bodies.add(body)
    return world


def _pks(queryset):
    return set(queryset.values_list("pk", flat=True))


def test_link_choices_are_the_visible_objects_of_the_meetings_body(linked_world, make_user):
    w = linked_world
    civil = make_user(roles.V_EXTERN)
    choices = selectors.agenda_link_choices(meeting=w["meeting"], user=civil)
    assert _pks(choices["decisions"]) == {w["decision"].pk}
    assert _pks(choices["polls"]) == {w["poll"].pk}
    assert _pks(choices["spaces"]) == {w["space"].pk}
    assert _pks(choices["workstreams"]) == {w["workstream"].pk, w["joined_workstream"].pk}
    admin = make_user(roles.V_INTERN)
    choices = selectors.agenda_link_choices(meeting=w["meeting"], user=admin)
    assert _pks(choices["decisions"]) == {w["decision"].pk, w["internal_decision"].pk}
    assert _pks(choices["spaces"]) == {w["space"].pk, w["internal_space"].pk}


def _edit(item, user, **changes):
    choices = selectors.agenda_link_choices(meeting=item.meeting, user=user)
    data = {
        "title": item.title,
        "description": "",
        "presenter": "",
        "duration_minutes": "",
        "visibility": item.visibility,
    } | changes
    return AgendaItemEditForm(data, item=item, choices=choices, user=user)


def test_an_editor_links_what_they_may_see_and_nothing_else(linked_world, make_user):
    w = linked_world
    civil = make_user(roles.V_EXTERN)
    form = _edit(
        w["item"],
        civil,
        decisions=[w["decision"].pk],
        spaces=[w["space"].pk],
        polls=[w["poll"].pk],
        workstreams=[w["joined_workstream"].pk],
        duration_minutes="20",
    )
    assert form.is_valid(), form.errors
    services.update_agenda_item(item=w["item"], by=civil, **form.service_arguments())
    item = AgendaItem.objects.get(pk=w["item"].pk)
    assert _pks(item.decisions) == {w["decision"].pk}
    assert _pks(item.spaces) == {w["space"].pk}
    assert _pks(item.polls) == {w["poll"].pk}
    assert _pks(item.workstreams) == {w["joined_workstream"].pk}
    assert item.duration_minutes == 20
    for name, hidden in [
        ("decisions", w["internal_decision"]),
        ("decisions", w["foreign_decision"]),
        ("spaces", w["internal_space"]),
        ("polls", w["foreign_poll"]),
        ("workstreams", w["foreign_workstream"]),
    ]:
        form = _edit(w["item"], civil, **{name: [hidden.pk]})
        assert not form.is_valid()
        assert "gültige Auswahl" in form.errors[name][0]


def test_the_service_refuses_links_the_editor_may_not_choose(linked_world, make_user):
    w = linked_world
    with pytest.raises(services.MeetingError):
        services.update_agenda_item(
            item=w["item"],
            by=make_user(roles.V_EXTERN),
            title="TOP",
            visibility=Visibility.PUBLIC,
            decisions=[w["internal_decision"]],
        )
    assert not w["item"].decisions.exists()


def test_links_the_editor_cannot_see_survive_the_edit(linked_world, make_user):
    w = linked_world
    w["item"].decisions.add(w["internal_decision"], w["decision"])
    civil = make_user(roles.V_EXTERN)
    # The editor unticks the visible decision; the hidden one was never offered.
    form = _edit(w["item"], civil, title="Neu")
    assert form.is_valid(), form.errors
    services.update_agenda_item(item=w["item"], by=civil, **form.service_arguments())
    assert _pks(w["item"].decisions) == {w["internal_decision"].pk}


def test_the_form_starts_with_the_links_the_editor_sees(linked_world, make_user):
    w = linked_world
    w["item"].decisions.add(w["internal_decision"], w["decision"])
    civil = make_user(roles.V_EXTERN)
    choices = selectors.agenda_link_choices(meeting=w["meeting"], user=civil)
    form = AgendaItemEditForm(item=w["item"], choices=choices, user=civil)
    assert form.initial["decisions"] == [w["decision"].pk]
    assert w["internal_decision"].title not in form.as_div()


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
def test_an_item_is_never_more_visible_than_its_meeting(
    make_user, meeting_level, item_level, allowed
):
    meeting = MeetingFactory(visibility=meeting_level)
    item = services.add_agenda_item(meeting=meeting, title="TOP")
    superuser = make_user(is_superuser=True)
    form = _edit(item, superuser, visibility=item_level)
    assert form.is_valid() is allowed
    if not allowed:
        assert form.errors["visibility"] == [
            "Ein Tagesordnungspunkt kann nicht offener sein als seine Sitzung."
        ]
        with pytest.raises(services.MeetingError):
            services.update_agenda_item(item=item, by=superuser, title="TOP", visibility=item_level)
    item.refresh_from_db()
    assert item.visibility == meeting_level


def test_a_sub_item_stays_within_its_parent_and_follows_it(make_user):
    meeting = MeetingFactory(visibility=Visibility.PUBLIC)
    parent = services.add_agenda_item(meeting=meeting, title="Haupt")
    child = services.add_agenda_item(meeting=meeting, title="Unter", parent=parent)
    superuser = make_user(is_superuser=True)
    services.update_agenda_item(
        item=parent, by=superuser, title="Haupt", visibility=Visibility.ADMIN_INTERNAL
    )
    child.refresh_from_db()
    assert child.visibility == Visibility.ADMIN_INTERNAL
    child.parent = AgendaItem.objects.get(pk=parent.pk)
    form = _edit(child, superuser, visibility=Visibility.PUBLIC)
    assert form.errors["visibility"] == [
        "Ein Unterpunkt kann nicht offener sein als sein Hauptpunkt."
    ]
