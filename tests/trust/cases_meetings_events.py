"""Matrix cases for calendars, public events and their registrations, the room, the
commitment check, event series, topic surveys and the PDF documents of meetings.

Who does what (meetings/rules.py): the AKS staff (v-intern, v-extern) and a body's chair
run its meetings (the room, live recommendations); registrants' names and addresses,
the door list, the commitment check and the topic surveys are the staff's alone. The
world's personas chair nothing, so "runs the meeting" is the staff here.

Token pages (a registration's confirm/cancel page, the survey vote, the personal
calendar feed) take the token as the credential: whoever holds the link sees what it
belongs to, and nothing else; a token that does not exist (or was renewed) answers 404.
"""

from __future__ import annotations

import datetime
import io
import secrets

from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from bodies.access import Visibility

from .matrix import (
    FORBIDDEN,
    HIDDEN,
    LEVELS,
    LOGIN,
    OK,
    PERSONAS,
    REFUSED,
    STAFF,
    Case,
    World,
    act,
    always,
    placeholders_in_place,
    read,
    register,
    sees,
)

PUBLIC = Visibility.PUBLIC
SIGNED_IN = tuple(p for p in PERSONAS if p != "anonymous")


# --- builders -------------------------------------------------------------------------


def _meeting(world: World, level, *, kind: str = "meeting", **extra):
    """A meeting of the world's (public) body at ``level``, its title carrying the marker."""
    from tests.meetings.factories import MeetingFactory

    return world.get(
        kind,
        level,
        lambda w, lv: MeetingFactory(
            body=w.body, visibility=lv, title=f"Sitzung {w.marker(kind, lv)}", **extra
        ),
    )


def _event(world: World, level):
    from tests.meetings.factories_events import EventFactory

    return world.get(
        "event",
        level,
        lambda w, lv: EventFactory(
            body=w.body,
            visibility=lv,
            title=f"Veranstaltung {w.marker('event', lv)}",
            capacity=50,
        ),
    )


def _series(world: World, level):
    from meetings.models import MeetingKind, MeetingSeries, Recurrence, Weekday

    return world.get(
        "series",
        level,
        lambda w, lv: MeetingSeries.objects.create(
            body=w.body,
            title=f"Reihe {w.marker('series', lv)}",
            kind=MeetingKind.PUBLIC_EVENT,
            recurrence=Recurrence.MONTHLY,
            weekday=Weekday.TUESDAY,
            start_time=datetime.time(18),
            starts_on=timezone.localdate(),
            visibility=lv,
        ),
    )


def _registration(world: World, meeting, *, status=None, email="mxregistrant@example.org"):
    from meetings.models import RegistrationStatus
    from tests.meetings.factories_events import RegistrationFactory

    return RegistrationFactory(
        meeting=meeting, email=email, status=status or RegistrationStatus.CONFIRMED
    )


def _items(world: World, meeting, kind: str) -> None:
    """Agenda items at every level inside ``meeting``: none may be more visible than
    its own level allows, whatever the meeting's level."""
    from meetings.models import AgendaItem

    for position, level in enumerate(LEVELS, start=1):
        AgendaItem.objects.create(
            meeting=meeting,
            title=f"Punkt {world.marker(kind, level)}",
            visibility=level,
            position=position,
        )


def _level_markers(kind: str, build):
    def markers(world):
        world.all_levels(kind, build)
        return {level: [world.marker(kind, level)] for level in LEVELS}

    return markers


def _ical_text(response) -> str:
    # iCal folds lines longer than 75 octets: unfold before searching.
    return response.content.decode("utf-8").replace("\r\n ", "")


def _pdf_text(response) -> str:
    from pypdf import PdfReader

    content = b"".join(response.streaming_content) if response.streaming else response.content
    if not content.startswith(b"%PDF"):
        # The progress page of a document rendered in the background.
        return content.decode("utf-8", "replace")
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# --- expectations ---------------------------------------------------------------------


def _staff_act(persona, level, world):
    """An action of the AKS staff (the world's personas chair nothing)."""
    return act(STAFF)(persona, level, world)


def _staff_only_page(persona, level, world):
    if persona == "anonymous":
        return LOGIN
    return OK if persona in STAFF else FORBIDDEN


def _pending_commitment(persona, level, world):
    """A commitment recorded in the room and not yet checked is seen only by the staff
    (and its body's chair): everyone else may not know it exists."""
    if persona == "anonymous":
        return LOGIN
    if persona not in STAFF or not sees(persona, level):
        return HIDDEN
    return OK


def _draft_survey(persona, level, world):
    return OK if persona in STAFF and sees(persona, level) else HIDDEN


# --- calendars ------------------------------------------------------------------------


def _feed_meetings(world):
    return _level_markers("meeting", lambda w, lv: _meeting(w, lv))(world)


def _feed_with_spaces(world):
    """The meetings at every level, and public meetings held in a space at every level:
    a feed names the space only to readers who may see the space (a field more
    restricted than the meeting)."""
    from tests.meetings.factories import MeetingFactory
    from tests.spaces.factories import SpaceFactory

    markers = _feed_meetings(world)
    for level in LEVELS:
        world.get(
            "spacemeeting",
            level,
            lambda w, lv: MeetingFactory(
                body=w.body,
                space=SpaceFactory(body=w.body, visibility=lv, name=f"Ort {w.marker('space', lv)}"),
            ),
        )
        markers[level] = [*markers[level], world.marker("space", level)]
    return markers


def _public_series_with_events(world, level):
    """The public series, with an event at every level in it."""
    from tests.meetings.factories_events import EventFactory

    series = _series(world, PUBLIC)
    soon = timezone.now().replace(microsecond=0) + datetime.timedelta(days=7)
    for hour, lv in enumerate(LEVELS):
        # A series holds one meeting per start time.
        world.get(
            "seriesevent",
            lv,
            lambda w, v, hour=hour: EventFactory(
                body=w.body,
                series=series,
                visibility=v,
                title=f"Termin {w.marker('seriesevent', v)}",
                start=soon + datetime.timedelta(hours=3 * hour),
                end=soon + datetime.timedelta(hours=3 * hour + 2),
            ),
        )
    return series


def _series_event_markers(world):
    _public_series_with_events(world, None)
    return {level: [world.marker("seriesevent", level)] for level in LEVELS}


def _body_at(world, level):
    from tests.factories import BodyFactory

    return world.get(
        "calbody",
        level,
        lambda w, lv: w.join(BodyFactory(name=f"Gremium {w.marker('calbody', lv)}", visibility=lv)),
    )


# Owners of the tokens in the personal body and series feeds: one per kind of sight.
FEED_OWNERS = ("association_member", "body_member", "v_extern", "councillor")


def _as_anonymous(persona, level, world):
    return read("anonymous", level, world)


def _as_owner(owner):
    return lambda persona, level, world: read(owner, level, world)


def _owner_token(world, owner):
    from meetings import calendar

    return {"token": calendar.ensure_calendar_token(user=world.users[owner]).token}


def _personal_feed(world: World, owner: str):
    """The token of ``owner``'s feed; the owner is invited to a meeting at every level."""
    from bodies.models import Person
    from meetings import calendar
    from meetings.models import Attendance
    from tests.factories import PersonFactory

    user = world.users[owner]
    person = Person.objects.filter(user=user).first() or PersonFactory(user=user)
    for level in LEVELS:
        Attendance.objects.get_or_create(meeting=_meeting(world, level), person=person)
    return {"token": calendar.ensure_calendar_token(user=user).token}


def _renewed_token(world, level):
    from meetings import calendar

    user = world.users["v_intern"]
    old = calendar.ensure_calendar_token(user=user).token
    calendar.renew_calendar_token(user=user)
    return {"token": old}


register(
    Case(
        "meetings:calendar_page",
        build=lambda w, lv: None,
        levels=(None,),
        markers=_level_markers("series", _series),
    ),
    # The public feed is the same for everyone: what anonymous visitors may see.
    Case(
        "meetings:calendar",
        build=lambda w, lv: None,
        levels=(None,),
        expect=always(OK),
        markers=_feed_with_spaces,
        text=_ical_text,
        extra={"viewer": lambda persona, level: "anonymous"},
    ),
    # Feeds at their public address never read the session: every persona gets what
    # anonymous visitors may see, and 404 for a body or series that is not public.
    Case(
        "meetings:calendar_body",
        build=lambda w, lv: {"slug": _body_at(w, lv).slug},
        expect=_as_anonymous,
    ),
    Case(
        "meetings:calendar_body",
        build=lambda w, lv: {"slug": w.body.slug},
        levels=(None,),
        markers=_feed_with_spaces,
        text=_ical_text,
        extra={"viewer": lambda persona, level: "anonymous"},
    ),
    Case(
        "meetings:calendar_series",
        build=lambda w, lv: {"pk": _series(w, lv).pk},
        expect=_as_anonymous,
    ),
    Case(
        "meetings:calendar_series",
        build=lambda w, lv: {"pk": _public_series_with_events(w, lv).pk},
        levels=(None,),
        markers=_series_event_markers,
        text=_ical_text,
        extra={"viewer": lambda persona, level: "anonymous"},
    ),
    # Their personal addresses: the token's owner decides, whoever sends the request.
    *(
        case
        for owner in FEED_OWNERS
        for case in (
            Case(
                "meetings:calendar_personal_body",
                build=lambda w, lv, owner=owner: {
                    **_owner_token(w, owner),
                    "slug": _body_at(w, lv).slug,
                },
                expect=_as_owner(owner),
            ),
            Case(
                "meetings:calendar_personal_body",
                build=lambda w, lv, owner=owner: {**_owner_token(w, owner), "slug": w.body.slug},
                levels=(None,),
                markers=_feed_with_spaces,
                text=_ical_text,
                extra={"viewer": lambda persona, level, owner=owner: owner},
            ),
            Case(
                "meetings:calendar_personal_series",
                build=lambda w, lv, owner=owner: {
                    **_owner_token(w, owner),
                    "pk": _series(w, lv).pk,
                },
                expect=_as_owner(owner),
            ),
            Case(
                "meetings:calendar_personal_series",
                build=lambda w, lv, owner=owner: {
                    **_owner_token(w, owner),
                    "pk": _public_series_with_events(w, lv).pk,
                },
                levels=(None,),
                markers=_series_event_markers,
                text=_ical_text,
                extra={"viewer": lambda persona, level, owner=owner: owner},
            ),
        )
    ),
    Case(
        "meetings:calendar_personal_series",
        build=lambda w, lv: {**_renewed_token(w, lv), "pk": _series(w, PUBLIC).pk},
        levels=(None,),
        expect=always(HIDDEN),
    ),
    Case(
        "meetings:calendar_personal_body",
        build=lambda w, lv: {"token": secrets.token_urlsafe(32), "slug": w.body.slug},
        levels=(None,),
        expect=always(HIDDEN),
    ),
    # "Levels" here are the feed's owners: whoever requests it gets the owner's view.
    Case(
        "meetings:calendar_personal",
        build=_personal_feed,
        levels=SIGNED_IN,
        expect=always(OK),
        markers=_feed_meetings,
        text=_ical_text,
        extra={"viewer": lambda persona, owner: owner},
    ),
    Case(
        "meetings:calendar_personal",
        build=lambda w, lv: {"token": secrets.token_urlsafe(32)},
        levels=(None,),
        expect=always(HIDDEN),
    ),
    Case(
        "meetings:calendar_personal",
        build=_renewed_token,
        levels=(None,),
        expect=always(HIDDEN),
    ),
    Case(
        "meetings:calendar_renew",
        build=lambda w, lv: None,
        levels=(None,),
        method="POST",
        expect=lambda p, lv, w: LOGIN if p == "anonymous" else OK,
    ),
    Case(
        "meetings:calendar_renew",
        build=lambda w, lv: None,
        levels=(None,),
        expect=lambda p, lv, w: LOGIN if p == "anonymous" else REFUSED,
    ),
)


# --- public events and registrations --------------------------------------------------


def _event_with_items(world, level):
    meeting = _event(world, PUBLIC)
    world.get("eventitems", None, lambda w, lv: _items(w, meeting, "eventitem"))
    return {"pk": meeting.pk}


def _event_item_markers(world):
    _event_with_items(world, None)
    return {level: [world.marker("eventitem", level)] for level in LEVELS}


def _register_data(world, level):
    from tests.meetings.factories_events import started_token

    # The registration rate limit counts per address in the cache, which no savepoint
    # rolls back: start each level afresh (at most seven requests per level).
    cache.delete("meetings:registration-rate:127.0.0.1")
    return {
        "name": "Gast",
        "email": "mxgast@example.org",
        "organisation": "",
        "consent": "on",
        "website": "",
        "started": started_token(_event(world, level), seconds_ago=60),
    }


def _document(world, level):
    from meetings.models import EventDocument

    def build(w, lv):
        name = "matrix/folien.pdf"
        if not default_storage.exists(name):
            name = default_storage.save(name, ContentFile(b"%PDF-1.4 matrix"))
        past = timezone.now() - datetime.timedelta(days=3)
        meeting = _event(w, lv)
        meeting.start, meeting.end = past, past + datetime.timedelta(hours=2)
        meeting.save(update_fields=["start", "end"])
        return EventDocument.objects.create(meeting=meeting, title="Folien", file=name)

    document = world.get("eventdocument", level, build)
    return {"pk": document.meeting_id, "document": document.pk}


def _staff_event(world, level):
    meeting = _event(world, level)
    world.get("registrant", level, lambda w, lv: _registration(w, meeting))
    return {"pk": meeting.pk}


def _registrant_markers(world):
    # Every event's registrant has this address: it belongs in the staff's list and
    # CSV of any event they see, and nowhere else (the others get 403, 404 or login).
    return {Visibility.TEAM: ["mxregistrant@example.org"]}


def _token(world, level, *, status=None):
    from meetings.models import RegistrationStatus

    status = status or RegistrationStatus.CONFIRMED
    registration = world.get(
        f"registration-{status}",
        level,
        lambda w, lv: _registration(w, _event(w, lv), status=status, email="mxtoken@example.org"),
    )
    return {"token": registration.token}


def _unconfirmed(world, level):
    from meetings.models import RegistrationStatus

    return _token(world, level, status=RegistrationStatus.PENDING)


def _unknown_token(world, level):
    return {"token": secrets.token_urlsafe(32)}


register(
    Case(
        "meetings:event_list",
        build=lambda w, lv: None,
        levels=(None,),
        markers=_level_markers("event", _event),
    ),
    Case("meetings:event_detail", build=lambda w, lv: {"pk": _event(w, lv).pk}),
    # An agenda item is never more visible than its own level inside a public event.
    Case(
        "meetings:event_detail",
        build=_event_with_items,
        levels=(None,),
        markers=_event_item_markers,
        extra={"check": placeholders_in_place},
    ),
    # Registering needs no account: it is how the public signs up (issue #7).
    Case(
        "meetings:event_register",
        build=lambda w, lv: {"pk": _event(w, lv).pk},
        method="POST",
        data=_register_data,
    ),
    Case("meetings:event_registered", build=lambda w, lv: {"pk": _event(w, lv).pk}),
    Case("meetings:event_document", build=_document),
    Case(
        "meetings:event_registrations",
        build=_staff_event,
        expect=_staff_act,
        markers=_registrant_markers,
    ),
    Case(
        "meetings:event_registrations_csv",
        build=_staff_event,
        expect=_staff_act,
        markers=_registrant_markers,
    ),
    Case("meetings:event_check_in", build=_staff_event, expect=_staff_act),
    Case(
        "meetings:event_check_in",
        build=_staff_event,
        expect=_staff_act,
        method="POST",
        data=lambda w, lv: {"registration": w.get("registrant", lv, None).pk},
    ),
    Case(
        "meetings:registration_confirm",
        build=_unconfirmed,
        levels=(PUBLIC, Visibility.ADMIN_INTERNAL),
        expect=always(OK),
    ),
    Case(
        "meetings:registration_confirm",
        build=_unconfirmed,
        levels=(PUBLIC,),
        method="POST",
        expect=always(OK),
    ),
    Case(
        "meetings:registration_confirm",
        build=_unknown_token,
        levels=(None,),
        expect=always(HIDDEN),
    ),
    Case(
        "meetings:registration_cancel",
        build=_token,
        levels=(PUBLIC, Visibility.ADMIN_INTERNAL),
        expect=always(OK),
    ),
    Case(
        "meetings:registration_cancel",
        build=_token,
        levels=(PUBLIC,),
        method="POST",
        expect=always(OK),
    ),
    Case(
        "meetings:registration_cancel",
        build=_unknown_token,
        levels=(None,),
        method="POST",
        expect=always(HIDDEN),
    ),
)


# --- the room and the commitment check ------------------------------------------------


def _room_poll(world, level):
    """An open poll counted by show of hands, on the agenda of the meeting at ``level``."""
    from bodies.models import Counting
    from bodies.services import create_poll, open_poll
    from meetings.models import AgendaItem

    def build(w, lv):
        meeting = _meeting(w, lv, kind="roommeeting")
        poll = open_poll(
            poll=create_poll(
                body=w.body, title="Antrag", counting=Counting.ANALOG, visibility=PUBLIC
            )
        )
        item = AgendaItem.objects.create(meeting=meeting, title="Antrag", visibility=PUBLIC)
        item.polls.add(poll)
        return poll

    poll = world.get("roompoll", level, build)
    return {"pk": _meeting(world, level, kind="roommeeting").pk, "poll": poll.pk}


def _counts(world, level):
    from bodies.models import Poll

    poll = Poll.objects.get(pk=world.get("roompoll", level, None).pk)
    prefix = f"poll{poll.pk}"
    # One hand: the roll of the world's body is its one member.
    data = {f"{prefix}-valid": "1", f"{prefix}-invalid": "0"}
    for index, option in enumerate(poll.options.order_by("pk")):
        data[f"{prefix}-option_{option.pk}"] = "1" if index == 0 else "0"
    return data


def _pending(world, level):
    from meetings.models import Commitment
    from tests.factories import OrganisationFactory

    def build(w, lv):
        meeting = _meeting(w, lv, kind="commitmeeting")
        return Commitment.objects.create(
            meeting=meeting,
            organisation=OrganisationFactory(),
            what=f"Zusage {w.marker('pending', lv)}",
            promised_by_name="Bezirksstadträtin",
            visibility=lv,
            recorded_by=w.users["v_intern"],
            recorded_at=timezone.now(),
            checked_at=None,
        )

    return world.get("pending", level, build)


def _pending_markers(world):
    for level in LEVELS:
        _pending(world, level)
    return {level: [world.marker("pending", level)] for level in LEVELS}


def _check_data(world, level):
    commitment = _pending(world, level)
    prefix = f"c{commitment.pk}"
    return {
        f"{prefix}-organisation": commitment.organisation_id,
        f"{prefix}-promised_by_name": commitment.promised_by_name,
        f"{prefix}-what": commitment.what,
        f"{prefix}-visibility": level,
    }


register(
    Case(
        "meetings:room",
        build=lambda w, lv: {"pk": _meeting(w, lv, kind="roommeeting").pk},
        expect=_staff_act,
    ),
    Case(
        "meetings:room_counts",
        build=_room_poll,
        expect=_staff_act,
        method="POST",
        data=_counts,
    ),
    Case("meetings:room_close_poll", build=_room_poll, expect=_staff_act, method="POST"),
    Case(
        "meetings:commitment_review",
        build=lambda w, lv: None,
        levels=(None,),
        expect=_staff_only_page,
        markers=_pending_markers,
    ),
    Case(
        "meetings:commitment_check",
        build=lambda w, lv: {"pk": _pending(w, lv).pk},
        expect=_pending_commitment,
        method="POST",
        data=_check_data,
    ),
    Case(
        "meetings:commitment_discard",
        build=lambda w, lv: {"pk": _pending(w, lv).pk},
        expect=_pending_commitment,
        method="POST",
    ),
)


# --- event series, live recommendations, topic surveys --------------------------------


def _survey(world, level, *, status=None):
    from meetings.models import SurveyStatus, TopicOption, TopicSurvey

    status = status or SurveyStatus.OPEN

    def build(w, lv):
        survey = TopicSurvey.objects.create(
            series=_series(w, lv),
            title=f"Umfrage {w.marker('survey', lv)}",
            status=status,
            created_by=w.users["v_intern"],
        )
        TopicOption.objects.create(survey=survey, label="Leerstand", position=1)
        TopicOption.objects.create(survey=survey, label="Mieten", position=2)
        return survey

    return world.get(f"survey-{status}", level, build)


def _draft(world, level):
    from meetings.models import SurveyStatus

    return {"pk": _survey(world, level, status=SurveyStatus.DRAFT).pk}


def _vote_link(world, level):
    from tests.meetings.factories_events import EventFactory

    survey = _survey(world, PUBLIC)
    event = world.get(
        "surveyevent", None, lambda w, lv: EventFactory(body=w.body, series=survey.series)
    )
    registration = world.get(
        "surveyvoter", None, lambda w, lv: _registration(w, event, email="mxvoter@example.org")
    )
    return {"pk": survey.pk, "token": registration.token}


register(
    Case("meetings:series_public", build=lambda w, lv: {"pk": _series(w, lv).pk}),
    Case(
        "meetings:series_public",
        build=lambda w, lv: {"pk": _public_series_with_events(w, lv).pk},
        levels=(None,),
        markers=_series_event_markers,
    ),
    Case(
        "meetings:survey_create",
        build=lambda w, lv: {"pk": _series(w, lv).pk},
        expect=_staff_act,
    ),
    Case(
        "meetings:event_recommendations",
        build=lambda w, lv: {"pk": _event(w, lv).pk},
        expect=_staff_act,
    ),
    Case("meetings:survey_detail", build=lambda w, lv: {"pk": _survey(w, lv).pk}),
    # A draft is the staff's until it opens.
    Case("meetings:survey_detail", build=_draft, expect=_draft_survey),
    Case(
        "meetings:survey_status",
        build=lambda w, lv: {"pk": _survey(w, lv).pk},
        expect=_staff_act,
        method="POST",
        data={"action": "close"},
    ),
    Case("meetings:survey_vote", build=_vote_link, levels=(None,), expect=always(OK)),
    Case(
        "meetings:survey_vote",
        build=lambda w, lv: {"pk": _vote_link(w, lv)["pk"], "token": "x" * 43},
        levels=(None,),
        expect=always(HIDDEN),
    ),
)


# --- PDF documents --------------------------------------------------------------------
# One small meeting per level (rendered at once, in the request); the public one holds
# agenda items and minute entries at every level, which its PDF shows by reader.


def _pdf_meeting(world, level):
    return _meeting(world, level, kind="pdfmeeting")


def _with_minutes(world, level):
    from meetings import services
    from tests.meetings.factories import publish

    def build(w, lv):
        meeting = _pdf_meeting(w, lv)
        # Published: the level decides (drafts: cases_meetings.py, by state).
        return publish(services.minutes_for(meeting))

    world.get("pdfminutes", level, build)
    return {"pk": _pdf_meeting(world, level).pk}


def _pdf_contents(world, level):
    """The public meeting with items and minute entries at every level (published)."""
    from meetings import services
    from meetings.models import MinuteSection
    from tests.meetings.factories import publish

    meeting = _pdf_meeting(world, PUBLIC)

    def build(w, lv):
        _items(w, meeting, "pdfitem")
        minutes = services.minutes_for(meeting)
        for entry_level in LEVELS:
            services.add_entry(
                minutes=minutes,
                section=MinuteSection.DISCUSSION,
                text=f"Eintrag {w.marker('pdfentry', entry_level)}",
                visibility=entry_level,
            )
        return publish(minutes)

    world.get("pdfcontents", None, build)
    return {"pk": meeting.pk}


def _pdf_markers(kind):
    def markers(world):
        _pdf_contents(world, None)
        return {level: [world.marker(kind, level)] for level in LEVELS}

    return markers


def _recommendations_series(world, level):
    """A series at ``level``; the public one has recommendations at every level."""
    from meetings import services
    from meetings.models import MinuteSection, RecommendationLevel
    from tests.meetings.factories import publish
    from tests.meetings.factories_events import EventFactory

    series = _series(world, level)
    if level == PUBLIC:

        def build(w, lv):
            past = timezone.now() - datetime.timedelta(days=3)
            event = EventFactory(
                body=w.body, series=series, start=past, end=past + datetime.timedelta(hours=2)
            )
            minutes = services.minutes_for(event)
            for entry_level in LEVELS:
                services.add_entry(
                    minutes=minutes,
                    section=MinuteSection.RECOMMENDATION,
                    level=RecommendationLevel.MUNICIPAL,
                    text=f"Empfehlung {w.marker('recommendation', entry_level)}",
                    visibility=entry_level,
                )
            publish(minutes)

        world.get("recommendations", None, build)
    return {"pk": series.pk}


def _recommendation_markers(world):
    _recommendations_series(world, PUBLIC)
    return {level: [world.marker("recommendation", level)] for level in LEVELS}


register(
    Case(
        "meetings:agenda_pdf",
        build=lambda w, lv: {"pk": _pdf_meeting(w, lv).pk},
        levels=tuple(lv for lv in LEVELS if lv != PUBLIC),
        text=_pdf_text,
    ),
    Case(
        "meetings:agenda_pdf",
        build=_pdf_contents,
        levels=(PUBLIC,),
        markers=_pdf_markers("pdfitem"),
        text=_pdf_text,
        extra={"check": placeholders_in_place},
    ),
    Case(
        "meetings:minutes_pdf",
        build=_with_minutes,
        levels=tuple(lv for lv in LEVELS if lv != PUBLIC),
        text=_pdf_text,
    ),
    Case(
        "meetings:minutes_pdf",
        build=_pdf_contents,
        levels=(PUBLIC,),
        markers=_pdf_markers("pdfentry"),
        text=_pdf_text,
    ),
    Case(
        "meetings:series_recommendations_pdf",
        build=_recommendations_series,
        levels=tuple(lv for lv in LEVELS if lv != PUBLIC),
    ),
    Case(
        "meetings:series_recommendations_pdf",
        build=_recommendations_series,
        levels=(PUBLIC,),
        markers=_recommendation_markers,
        text=_pdf_text,
    ),
)
