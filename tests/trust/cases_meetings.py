"""Matrix cases for meetings, agendas, attendance, minutes, action items, commitments,
the public commitments tracker and the planning pages (meetings and series).

Who does what (meetings/rules.py): whoever sees a meeting reads it; the AKS staff
(v-intern, v-extern) and the body's chair run it (agenda, attendance, status, action
items, commitments) and write and approve its minutes; the meeting's minute taker
starts and writes its minutes; an explicit guardian grant of ``meetings.change_minutes``
lets one person write one set of minutes. The world's personas chair nothing, so
"runs the meeting" is the staff here; the minute taker and the grant have cases of
their own. Councillors read, they do not run meetings.

Minutes carry their own level (copied from the meeting when they are started, and
never more open than it); each entry has its own level inside them, and an agenda
item named by an entry is named only to readers who see the item. Within their level
minutes are read by their state: drafts by the staff (and the body's chair and deputy,
and the minute takers), circulated and approved ones also by the body's members (and
the attendees), published ones by everyone. So an action on minutes the persona may
not read answers 404, as for a level it does not see.

Every write answers anonymous visitors with the login page, whatever the object.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from bodies.access import Visibility

from .matrix import (
    FORBIDDEN,
    HIDDEN,
    LEVELS,
    LOGIN,
    OK,
    PERSONAS,
    STAFF,
    Case,
    World,
    always,
    per_persona,
    placeholders_in_place,
    register,
    runs,
    sees,
)

PUBLIC = Visibility.PUBLIC


def _past() -> datetime.datetime:
    return timezone.now().replace(microsecond=0) - datetime.timedelta(days=7)


def _meeting(world: World, level, kind: str = "meeting", *, past: bool = False, **extra):
    """A meeting of the world's body at ``level``, its title carrying the marker. One
    per kind and level: a kind that gets minutes or items is not shared with another."""
    from tests.meetings.factories import MeetingFactory

    def build(w, lv):
        if past:
            extra.setdefault("start", _past())
            extra.setdefault("end", extra["start"] + datetime.timedelta(hours=2))
        return MeetingFactory(
            body=w.body, visibility=lv, title=f"Sitzung {w.marker(kind, lv)}", **extra
        )

    return world.get(kind, level, build)


def _pk(kind: str, **options):
    return lambda world, level: {"pk": _meeting(world, level, kind, **options).pk}


def _meeting_markers(kind: str):
    """``{level: [marker]}`` after building the meeting of ``kind`` at every level."""

    def markers(world):
        for level in LEVELS:
            _meeting(world, level, kind)
        return {level: [world.marker(kind, level)] for level in LEVELS}

    return markers


# --- meetings and agendas -------------------------------------------------------------


def _agenda_item(world, level, kind="agendaitem", meeting_level=None):
    """A public agenda item in the meeting at ``level``; with ``meeting_level``, an item
    at ``level`` in the meeting at ``meeting_level``."""
    from meetings.models import AgendaItem

    def build(w, lv):
        return AgendaItem.objects.create(
            meeting=_meeting(w, meeting_level or lv, f"{kind}meeting"),
            title=f"Punkt {w.marker(kind, lv)}",
            visibility=lv if meeting_level else PUBLIC,
            position=LEVELS.index(lv) + 1,
        )

    return world.get(kind, level, build)


def _item_kwargs(kind="agendaitem", meeting_level=None):
    def build(world, level):
        item = _agenda_item(world, level, kind, meeting_level)
        return {"pk": item.meeting_id, "item": item.pk}

    return build


def _guest(world):
    from tests.factories import PersonFactory

    return world.get("guest", None, lambda w, lv: PersonFactory(name="Gast"))


def _public_meeting_with_contents(world, level):
    """A public meeting holding agenda items and guiding questions at every level:
    none of them may be more visible inside it than its own level allows."""
    from meetings.models import GuidingQuestion

    for position, item_level in enumerate(LEVELS, start=1):
        item = _agenda_item(world, item_level, "fullitem", meeting_level=PUBLIC)
        world.get(
            "question",
            item_level,
            lambda w, lv, item=item, position=position: GuidingQuestion.objects.create(
                meeting=item.meeting,
                text=f"Leitfrage {w.marker('question', lv)}",
                visibility=lv,
                position=position,
            ),
        )
    return {"pk": item.meeting_id}


def _contents_markers(world):
    _public_meeting_with_contents(world, None)
    return {
        level: [world.marker("fullitem", level), world.marker("question", level)]
        for level in LEVELS
    }


def _agenda_markers(world):
    _public_meeting_with_contents(world, None)
    return {level: [world.marker("fullitem", level)] for level in LEVELS}


register(
    Case(
        "meetings:list",
        build=lambda w, lv: None,
        levels=(None,),
        markers=_meeting_markers("listmeeting"),
    ),
    Case("meetings:detail", build=_pk("meeting")),
    Case(
        "meetings:detail",
        build=_public_meeting_with_contents,
        levels=(None,),
        markers=_contents_markers,
        extra={"check": placeholders_in_place},
    ),
    Case("meetings:agenda_print", build=_pk("meeting")),
    Case(
        "meetings:agenda_print",
        build=_public_meeting_with_contents,
        levels=(None,),
        markers=_agenda_markers,
        extra={"check": placeholders_in_place},
    ),
    Case(
        "meetings:agenda_add",
        build=_pk("meeting"),
        expect=runs,
        method="POST",
        data=lambda w, lv: {"title": "Neuer Punkt", "visibility": lv},
    ),
    Case(
        "meetings:agenda_move",
        build=_item_kwargs(),
        expect=runs,
        method="POST",
        data={"offset": "1"},
    ),
    Case("meetings:agenda_edit", build=_item_kwargs(), expect=runs),
    Case(
        "meetings:agenda_edit",
        build=_item_kwargs(),
        expect=runs,
        method="POST",
        data=lambda w, lv: {"title": "Geänderter Punkt", "visibility": lv},
    ),
    # An item at every level inside a public meeting: the item's level decides.
    Case(
        "meetings:agenda_edit",
        build=_item_kwargs("inneritem", meeting_level=PUBLIC),
        expect=runs,
    ),
    Case("meetings:attendance", build=_pk("meeting"), expect=runs),
    Case(
        "meetings:attendance",
        build=_pk("meeting"),
        expect=runs,
        method="POST",
        data=lambda w, lv: {"add_person": _guest(w).pk, "add_status": "attended"},
    ),
    Case("meetings:carry_over", build=_pk("meeting"), expect=runs, method="POST"),
)


# --- planning: meetings and series ----------------------------------------------------


def _plans(persona, level, world):
    """Plan a new meeting or series: the staff (and chairs, of their bodies)."""
    if persona == "anonymous":
        return LOGIN
    return OK if persona in STAFF else FORBIDDEN


def _meeting_form_data(world, level):
    meeting = _meeting(world, level, "meeting")
    return {
        "title": "Geänderte Sitzung",
        "kind": meeting.kind,
        "start": timezone.localtime(meeting.start).strftime("%Y-%m-%dT%H:%M"),
        "end": timezone.localtime(meeting.end).strftime("%Y-%m-%dT%H:%M"),
        "visibility": level,
    }


def _new_meeting_data(world, level):
    start = timezone.localtime(timezone.now() + datetime.timedelta(days=14))
    return {
        "body": world.body.pk,
        "title": "Neue Sitzung",
        "kind": "working_group",
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "end": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "visibility": PUBLIC,
    }


def _new_series_data(world, level):
    today = timezone.localdate()
    return {
        "body": world.body.pk,
        "title": "Neue Reihe",
        "kind": "team",
        "recurrence": "weekly",
        "weekday": "2",
        "start_time": "09:30",
        "duration_minutes": "60",
        "starts_on": today.isoformat(),
        "until": (today + datetime.timedelta(days=21)).isoformat(),
        "visibility": PUBLIC,
    }


def _series(world, level):
    from meetings.models import MeetingKind, MeetingSeries, Recurrence, Weekday

    return world.get(
        "series",
        level,
        lambda w, lv: MeetingSeries.objects.create(
            body=w.body,
            title=f"Reihe {w.marker('series', lv)}",
            kind=MeetingKind.TEAM,
            recurrence=Recurrence.WEEKLY,
            weekday=Weekday.TUESDAY,
            start_time=datetime.time(18),
            starts_on=timezone.localdate(),
            visibility=lv,
        ),
    )


def _public_series_with_meetings(world, level):
    """The public series, with a meeting at every level in it (one per start time)."""
    series = _series(world, PUBLIC)
    soon = timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
    for hour, lv in enumerate(LEVELS):
        _meeting(
            world,
            lv,
            "seriesmeeting",
            series=series,
            start=soon + datetime.timedelta(hours=3 * hour),
        )
    return {"pk": series.pk}


def _series_markers(world):
    _public_series_with_meetings(world, None)
    return {level: [world.marker("seriesmeeting", level)] for level in LEVELS}


register(
    Case("meetings:meeting_create", build=lambda w, lv: None, levels=(None,), expect=_plans),
    Case(
        "meetings:meeting_create",
        build=lambda w, lv: None,
        levels=(None,),
        expect=_plans,
        method="POST",
        data=_new_meeting_data,
    ),
    Case("meetings:meeting_edit", build=_pk("meeting"), expect=runs),
    Case(
        "meetings:meeting_edit",
        build=_pk("meeting"),
        expect=runs,
        method="POST",
        data=_meeting_form_data,
    ),
    Case(
        "meetings:meeting_status",
        build=_pk("meeting"),
        expect=runs,
        method="POST",
        data={"status": "invited"},
    ),
    Case("meetings:series_create", build=lambda w, lv: None, levels=(None,), expect=_plans),
    Case(
        "meetings:series_create",
        build=lambda w, lv: None,
        levels=(None,),
        expect=_plans,
        method="POST",
        data=_new_series_data,
    ),
    Case("meetings:series_detail", build=lambda w, lv: {"pk": _series(w, lv).pk}),
    Case(
        "meetings:series_detail",
        build=_public_series_with_meetings,
        levels=(None,),
        markers=_series_markers,
    ),
    Case(
        "meetings:series_end",
        build=lambda w, lv: {"pk": _series(w, lv).pk},
        expect=runs,
        method="POST",
        data=lambda w, lv: {"on": (timezone.localdate() + datetime.timedelta(days=30)).isoformat()},
    ),
    Case(
        "meetings:series_participants",
        build=lambda w, lv: {"pk": _series(w, lv).pk},
        expect=runs,
        method="POST",
        data=lambda w, lv: {"participants": [w.users["body_member"].person.pk]},
    ),
)


# --- minutes ----------------------------------------------------------------------------

# Who of the world's personas reads minutes in each state, within the level: they
# chair nothing and attended nothing; the body member is an active member.
_SHARED = STAFF | {"body_member"}
MINUTES_READERS = {
    "draft": STAFF,
    "circulated": _SHARED,
    "approved": _SHARED,
    "published": frozenset(PERSONAS),
}


def reads_minutes(persona: str, level, status: str, also: frozenset = frozenset()) -> bool:
    return sees(persona, level) and (persona in MINUTES_READERS[status] or persona in also)


def minutes_act(allowed, status: str = "draft", also: frozenset = frozenset()):
    """An action on minutes: anonymous → log in; minutes the persona does not read
    (level or state) → 404; read but not theirs to take → 403; otherwise through."""
    allowed = frozenset(allowed)

    def expect(persona, level, world):
        if persona == "anonymous":
            return LOGIN
        if not reads_minutes(persona, level, status, also):
            return HIDDEN
        return OK if persona in allowed else FORBIDDEN

    return expect


def _shown_in_state(level, status: str, marker):
    """A per-reader check: ``marker`` is on the page exactly for the personas who read
    minutes at ``level`` in ``status`` (the level table alone cannot say it)."""

    def check(persona, world, text):
        shown = marker(world) in text
        expected = reads_minutes(persona, level, status)
        if shown and not expected:
            return [f"LEAK of {status} minutes at {level}"]
        if expected and not shown:
            return [f"{status} minutes at {level} missing"]
        return []

    return check


def _minutes(world, level, kind="minutes", *, status="draft", meeting_level=None):
    """Minutes at ``level`` of a past meeting (at ``meeting_level``, else ``level``),
    with one entry at their level; ``status`` as far as the workflow goes."""
    from meetings import services
    from meetings.models import MinuteSection

    def build(w, lv):
        # Minutes belong to one meeting: a meeting of their own for every level.
        meeting = _meeting(w, meeting_level or lv, f"{kind}meeting{lv}", past=True)
        minutes = services.minutes_for(meeting)
        minutes.visibility = lv
        minutes.save(update_fields=["visibility"])
        services.add_entry(
            minutes=minutes,
            section=MinuteSection.DISCUSSION,
            text=f"Beitrag {w.marker(kind, lv)}",
            visibility=lv,
        )
        if status in ("circulated", "approved", "published"):
            services.circulate_minutes(minutes=minutes)
        if status in ("approved", "published"):
            services.approve_minutes(minutes=minutes, chair=w.users["superuser"])
        if status == "published":
            services.publish_minutes(minutes=minutes)
        return minutes

    return world.get(kind, level, build)


def _minutes_kwargs(kind="minutes", **options):
    return lambda world, level: {"pk": _minutes(world, level, kind, **options).meeting_id}


def _entry_kwargs(kind="minutes", **options):
    return lambda world, level: {"pk": _minutes(world, level, kind, **options).entries.get().pk}


def _public_minutes_with_entries(world, level):
    """Public minutes holding an entry at every level, and a public entry filed under an
    agenda item at every level: the item's title is a field as restricted as the item."""
    from meetings import services
    from meetings.models import AgendaItem, MinuteSection

    def build(w, lv):
        meeting = _meeting(w, PUBLIC, "entriesmeeting", past=True)
        minutes = services.minutes_for(meeting)
        for position, entry_level in enumerate(LEVELS, start=1):
            services.add_entry(
                minutes=minutes,
                section=MinuteSection.DISCUSSION,
                text=f"Beitrag {w.marker('entry', entry_level)}",
                visibility=entry_level,
            )
            item = AgendaItem.objects.create(
                meeting=meeting,
                title=f"Punkt {w.marker('entryitem', entry_level)}",
                visibility=entry_level,
                position=position,
            )
            services.add_entry(
                minutes=minutes,
                section=MinuteSection.RESULT,
                text="Ergebnis",
                agenda_item=item,
                visibility=PUBLIC,
            )
        # Published: every reader the entries' levels allow reads them.
        services.circulate_minutes(minutes=minutes)
        services.approve_minutes(minutes=minutes, chair=w.users["superuser"])
        return services.publish_minutes(minutes=minutes)

    return {"pk": world.get("entries", None, build).meeting_id}


def _entry_markers(world):
    _public_minutes_with_entries(world, None)
    return {
        level: [world.marker("entry", level), world.marker("entryitem", level)] for level in LEVELS
    }


def _decision(world):
    """A public decision of the body, after every minutes' meeting: it approves them."""
    from bodies.services import record_decision

    return world.get(
        "decision",
        None,
        lambda w, lv: record_decision(
            body=w.body, title="Protokoll genehmigt", decided_on=timezone.localdate()
        ),
    )


def _granted(world, level):
    """Two public sets of minutes; the association member holds a guardian grant of
    ``meetings.change_minutes`` on the "granted" one only."""
    from guardian.shortcuts import assign_perm

    def build(w, lv):
        minutes = _minutes(w, PUBLIC, f"grant{lv}")
        if lv == "granted":
            assign_perm("meetings.change_minutes", w.users["association_member"], minutes)
        return minutes

    return world.get("grant", level, build)


GRANT_LEVELS = ("granted", "not_granted")


def _grant_writes(persona, level, world):
    """The grant reads and writes these draft minutes, and no others; it approves
    nothing. Nobody else but the staff reads the drafts."""
    if persona == "anonymous":
        return LOGIN
    if persona in STAFF or (persona == "association_member" and level == "granted"):
        return OK
    return HIDDEN


def _grant_approves(persona, level, world):
    if persona == "anonymous":
        return LOGIN
    if persona in STAFF:
        return OK
    return FORBIDDEN if persona == "association_member" and level == "granted" else HIDDEN


def _taker_meeting(world, level):
    """A public meeting, held, whose minute taker is the body member (no minutes yet)."""
    from bodies.models import Person

    def build(w, lv):
        person = Person.objects.get(user=w.users["body_member"])
        return _meeting(w, PUBLIC, "takermeeting", past=True, minute_taker=person, status="held")

    return {"pk": world.get("taker", None, build).pk}


def _taker_minutes(world, level):
    """The minutes of the meeting whose minute taker is the body member."""
    from meetings import services

    meeting = _taker_meeting(world, level)
    world.get("takerminutes", None, lambda w, lv: services.minutes_for(w.get("taker", None, None)))
    return meeting


# The minute taker reads, starts and writes the minutes of their meeting, and runs
# nothing else.
_TAKER = per_persona(
    {
        "anonymous": LOGIN,
        "association_member": FORBIDDEN,
        "body_member": OK,
        "v_extern": OK,
        "v_intern": OK,
        "councillor": FORBIDDEN,
        "superuser": OK,
    }
)


# Their draft minutes: read and written by the minute taker, hidden from the others
# who do not run the meeting.
_TAKER_MINUTES = per_persona(
    {
        "anonymous": LOGIN,
        "association_member": HIDDEN,
        "body_member": OK,
        "v_extern": OK,
        "v_intern": OK,
        "councillor": HIDDEN,
        "superuser": OK,
    }
)


register(
    # Minutes at the meeting's level; then minutes of their own level in a public
    # meeting (the minutes' level decides); then a meeting without minutes.
    Case("meetings:minutes", build=_minutes_kwargs()),
    # Minutes at their own level in a public meeting: everyone gets the meeting's minutes
    # page, and it shows the minutes' entry only to those who read them (hidden minutes
    # look like none at all, so their existence is not told): by level once published,
    # by level and state before.
    *(
        Case(
            "meetings:minutes",
            build=_minutes_kwargs("ownlevel", meeting_level=PUBLIC, status="published"),
            levels=(level,),
            expect=always(OK),
            markers=lambda w, level=level: {level: [w.marker("ownlevel", level)]},
        )
        for level in LEVELS
    ),
    *(
        Case(
            "meetings:minutes",
            build=_minutes_kwargs(f"own{status}", meeting_level=PUBLIC, status=status),
            levels=(level,),
            expect=always(OK),
            extra={
                "check": _shown_in_state(
                    level, status, lambda w, s=status, lv=level: w.marker(f"own{s}", lv)
                )
            },
        )
        for level in LEVELS
        for status in ("draft", "circulated", "approved")
    ),
    *(
        Case(
            "meetings:minutes_pdf",
            build=_minutes_kwargs(f"own{status}", meeting_level=PUBLIC, status=status),
            levels=(level,),
            expect=lambda persona, lv, world, s=status: (
                OK if reads_minutes(persona, lv, s) else HIDDEN
            ),
        )
        for level in (PUBLIC, Visibility.MEMBERS)
        for status in ("draft", "circulated", "published")
    ),
    Case("meetings:minutes", build=_pk("nominutes")),
    Case(
        "meetings:minutes",
        build=_public_minutes_with_entries,
        levels=(None,),
        markers=_entry_markers,
    ),
    Case(
        "meetings:minutes_start",
        build=_pk("heldnominutes", past=True, status="held"),
        expect=runs,
        method="POST",
    ),
    Case(
        "meetings:minutes_start",
        build=_taker_meeting,
        levels=(None,),
        expect=_TAKER,
        method="POST",
    ),
    Case(
        "meetings:attendance",
        build=_taker_meeting,
        levels=(None,),
        expect=_TAKER,
    ),
    Case(
        "meetings:entry_add",
        build=_minutes_kwargs(),
        expect=minutes_act(STAFF),
        method="POST",
        data=lambda w, lv: {"section": "note", "text": "Nachtrag", "visibility": lv},
    ),
    Case(
        "meetings:entry_add",
        build=lambda w, lv: {"pk": _granted(w, lv).meeting_id},
        levels=GRANT_LEVELS,
        expect=_grant_writes,
        method="POST",
        data={"section": "note", "text": "Nachtrag", "visibility": PUBLIC},
    ),
    Case(
        "meetings:entry_add",
        build=_taker_minutes,
        levels=(None,),
        expect=_TAKER_MINUTES,
        method="POST",
        data={"section": "note", "text": "Nachtrag", "visibility": PUBLIC},
    ),
    Case(
        "meetings:minutes_circulate",
        build=_minutes_kwargs(),
        expect=minutes_act(STAFF),
        method="POST",
    ),
    Case(
        "meetings:minutes_circulate",
        build=lambda w, lv: {"pk": _granted(w, lv).meeting_id},
        levels=GRANT_LEVELS,
        expect=_grant_writes,
        method="POST",
    ),
    Case(
        "meetings:minutes_approve",
        build=_minutes_kwargs("circulated", status="circulated"),
        expect=minutes_act(STAFF, "circulated"),
        method="POST",
        data=lambda w, lv: {"decision": _decision(w).pk},
    ),
    Case(
        "meetings:minutes_publish",
        build=_minutes_kwargs("approved", status="approved"),
        expect=minutes_act(STAFF, "approved"),
        method="POST",
    ),
    # A writer's grant is not an approver's.
    Case(
        "meetings:minutes_publish",
        build=lambda w, lv: {"pk": _granted(w, lv).meeting_id},
        levels=GRANT_LEVELS,
        expect=_grant_approves,
        method="POST",
    ),
    Case("meetings:entry_edit", build=_entry_kwargs(), expect=minutes_act(STAFF)),
    Case(
        "meetings:entry_edit",
        build=_entry_kwargs(),
        expect=minutes_act(STAFF),
        method="POST",
        data={"text": "Geänderter Beitrag"},
    ),
    # An entry at every level inside public minutes: the entry's level decides.
    Case(
        "meetings:entry_edit",
        build=lambda w, lv: {"pk": _inner(w, lv)},
        expect=minutes_act(STAFF),
    ),
    Case(
        "meetings:entry_edit",
        build=lambda w, lv: {"pk": _granted(w, lv).entries.get().pk},
        levels=GRANT_LEVELS,
        expect=_grant_writes,
    ),
    Case(
        "meetings:entry_correct",
        build=_entry_kwargs("approved", status="approved"),
        expect=minutes_act(STAFF, "approved"),
    ),
    Case(
        "meetings:entry_correct",
        build=_entry_kwargs("approved", status="approved"),
        expect=minutes_act(STAFF, "approved"),
        method="POST",
        data={"text": "Berichtigung"},
    ),
)


def _inner(world, level):
    """An entry at ``level`` added to the public minutes of the "inner" kind."""
    from meetings import services
    from meetings.models import MinuteSection

    minutes = _minutes(world, PUBLIC, "inner")
    entry = world.get(
        "innerentry",
        level,
        lambda w, lv: services.add_entry(
            minutes=minutes, section=MinuteSection.NOTE, text="Notiz", visibility=lv
        ),
    )
    return entry.pk


# --- action items and commitments -------------------------------------------------------


def _action_item(world, level, kind="action", meeting_level=None):
    from meetings import services

    def build(w, lv):
        return services.add_action_item(
            meeting=_meeting(w, meeting_level or lv, f"{kind}meeting"),
            title=f"Aufgabe {w.marker(kind, lv)}",
            visibility=lv if meeting_level else PUBLIC,
        )

    return world.get(kind, level, build)


def _action_markers(world):
    """Items at every level in a public meeting, and public items in meetings at every
    level: the more restricted of the two levels decides."""
    for level in LEVELS:
        _action_item(world, level, "action", meeting_level=PUBLIC)
        _action_item(world, level, "actionin")
    return {
        level: [world.marker("action", level), world.marker("actionin", level)] for level in LEVELS
    }


def _organisation(world):
    from tests.factories import OrganisationFactory

    return world.get("organisation", None, lambda w, lv: OrganisationFactory())


def _commitment(world, level, kind="commitment", meeting_level=None, checked=True):
    from meetings import services

    def build(w, lv):
        commitment = services.add_commitment(
            meeting=_meeting(w, meeting_level or lv, f"{kind}meeting"),
            organisation=_organisation(w),
            what=f"Zusage {w.marker(kind, lv)}",
            visibility=lv if meeting_level else PUBLIC,
        )
        if not checked:
            commitment.checked_at = None
            commitment.save(update_fields=["checked_at"])
        return commitment

    return world.get(kind, level, build)


def _commitment_markers(world):
    for level in LEVELS:
        _commitment(world, level, "commitment", meeting_level=PUBLIC)
        _commitment(world, level, "commitmentin")
    return {
        level: [world.marker("commitment", level), world.marker("commitmentin", level)]
        for level in LEVELS
    }


def _unchecked_markers(world):
    """A public commitment of a public meeting that the staff have not checked yet: the
    staff see it (``viewer`` maps them to the superuser's levels), nobody else does
    (mapped to the anonymous reader, filed under a level that reader does not see)."""
    _commitment(world, PUBLIC, "unchecked", meeting_level=PUBLIC, checked=False)
    return {Visibility.CIVIL_INTERNAL: [world.marker("unchecked", PUBLIC)]}


def _tracker_markers(world):
    markers = _commitment_markers(world)
    unchecked = _unchecked_markers(world)
    markers[Visibility.CIVIL_INTERNAL] += unchecked[Visibility.CIVIL_INTERNAL]
    return markers


register(
    Case(
        "meetings:action_items",
        build=lambda w, lv: None,
        levels=(None,),
        markers=_action_markers,
    ),
    Case("meetings:action_item_add", build=_pk("meeting"), expect=runs),
    Case(
        "meetings:action_item_add",
        build=_pk("meeting"),
        expect=runs,
        method="POST",
        data=lambda w, lv: {"title": "Neue Aufgabe", "visibility": lv},
    ),
    Case(
        "meetings:action_item_status",
        build=lambda w, lv: {"pk": _action_item(w, lv, "action", meeting_level=PUBLIC).pk},
        expect=runs,
        method="POST",
        data=lambda w, lv: {f"ai{w.get('action', lv, None).pk}-status": "done"},
    ),
    Case(
        "meetings:commitments",
        build=lambda w, lv: None,
        levels=(None,),
        markers=_commitment_markers,
    ),
    Case(
        "meetings:commitments",
        build=lambda w, lv: None,
        levels=(None,),
        markers=_unchecked_markers,
        extra={"viewer": lambda persona, level: "superuser" if persona in STAFF else "anonymous"},
    ),
    # The public tracker is the same for everyone: checked public commitments of
    # public meetings, what an anonymous visitor may see.
    Case(
        "meetings:tracker",
        build=lambda w, lv: None,
        levels=(None,),
        expect=always(OK),
        markers=_tracker_markers,
        extra={"viewer": lambda persona, level: "anonymous"},
    ),
    Case("meetings:commitment_add", build=_pk("meeting"), expect=runs),
    Case(
        "meetings:commitment_add",
        build=_pk("meeting"),
        expect=runs,
        method="POST",
        data=lambda w, lv: {
            "organisation": _organisation(w).pk,
            "what": "Neue Zusage",
            "visibility": lv,
        },
    ),
    Case(
        "meetings:commitment_status",
        build=lambda w, lv: {"pk": _commitment(w, lv, "commitment", meeting_level=PUBLIC).pk},
        expect=runs,
        method="POST",
        data=lambda w, lv: {f"c{w.get('commitment', lv, None).pk}-status": "kept"},
    ),
    Case(
        "meetings:commitment_note",
        build=lambda w, lv: {"pk": _commitment(w, lv, "commitment", meeting_level=PUBLIC).pk},
        expect=runs,
        method="POST",
        data=lambda w, lv: {f"n{w.get('commitment', lv, None).pk}-text": "Fortschritt"},
    ),
)


# --- guiding questions ------------------------------------------------------------------


def _question(world, level):
    """An open guiding question at ``level`` in a meeting at the same level."""
    from meetings.models import GuidingQuestion

    return world.get(
        "guidingquestion",
        level,
        lambda w, lv: GuidingQuestion.objects.create(
            meeting=_meeting(w, lv, "questionmeeting"),
            text=f"Leitfrage {w.marker('guidingquestion', lv)}",
            visibility=lv,
        ),
    )


def _question_kwargs(world, level):
    return {"pk": _question(world, level).pk}


register(
    Case("meetings:question_add", build=_pk("questionmeeting"), expect=runs),
    Case(
        "meetings:question_add",
        build=_pk("questionmeeting"),
        expect=runs,
        method="POST",
        data=lambda w, lv: {"text": "Neue Leitfrage?", "visibility": lv},
    ),
    Case("meetings:question_edit", build=_question_kwargs, expect=runs),
    Case(
        "meetings:question_edit",
        build=_question_kwargs,
        expect=runs,
        method="POST",
        data=lambda w, lv: {"text": "Geänderte Leitfrage?", "visibility": lv},
    ),
    Case("meetings:question_answer", build=_question_kwargs, expect=runs),
    Case(
        "meetings:question_answer",
        build=_question_kwargs,
        expect=runs,
        method="POST",
        data={"answer": "Beantwortet."},
    ),
    Case("meetings:question_remove", build=_question_kwargs, expect=runs),
    Case("meetings:question_remove", build=_question_kwargs, expect=runs, method="POST"),
    Case(
        "meetings:question_move",
        build=_question_kwargs,
        expect=runs,
        method="POST",
        data={"offset": "1"},
    ),
    Case("meetings:question_carry", build=_question_kwargs, expect=runs, method="POST"),
)
