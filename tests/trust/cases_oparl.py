"""Matrix cases for the OParl endpoint.

OParl is public by design (oparl/selectors.py): every read is made as the anonymous
public, whoever asks, so a signed-in persona — a superuser included — gets exactly
what an anonymous visitor gets. Lists hold the public objects only; an object of any
other level answers OParl's 404 error object, as one that never existed does.

Every kind is built at every level with a marker in the text OParl shows of it (a
name, a title, a place); where an object shows no text of its own (a membership),
the marker is its own id URL.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from bodies import services as body_services
from bodies.access import Visibility
from oparl.serializers import BODY_ID
from tests.factories import BodyFactory, MembershipFactory, OrganisationFactory, PersonFactory

from .matrix import HIDDEN, LEVELS, OK, Case, World, always, register

PUBLIC = Visibility.PUBLIC
public_view = {"viewer": lambda persona, level: "anonymous"}


def public_only(persona, level, world):
    return OK if level in (None, PUBLIC) else HIDDEN


def _body(world: World, level):
    return world.get(
        "body",
        level,
        lambda w, lv: w.join(BodyFactory(name=f"Gremium {w.marker('body', lv)}", visibility=lv)),
    )


def _organisation(world: World, level):
    """An organisation represented in the body at ``level``: public only through a
    public body."""
    return world.get(
        "organisation",
        level,
        lambda w, lv: OrganisationFactory(name=f"Verein {w.marker('organisation', lv)}"),
    )


def _membership(world: World, level):
    def make(w, lv):
        return MembershipFactory(
            body=_body(w, lv),
            person=PersonFactory(name=f"Mensch {w.marker('person', lv)}"),
            organisation=_organisation(w, lv),
        )

    return world.get("membership", level, make)


def _meeting(world: World, level):
    from tests.meetings.factories import MeetingFactory

    start = timezone.now() - datetime.timedelta(days=3)
    return world.get(
        "meeting",
        level,
        lambda w, lv: MeetingFactory(
            body=w.body,
            visibility=lv,
            title=f"Sitzung {w.marker('meeting', lv)}",
            place=f"Ort {w.marker('place', lv)}",
            start=start,
        ),
    )


def _host(world: World):
    return _meeting(world, PUBLIC)


def _agenda_item(world: World, level):
    """An item at ``level`` in the public meeting."""
    from meetings.models import AgendaItem

    return world.get(
        "agendaitem",
        level,
        lambda w, lv: AgendaItem.objects.create(
            meeting=_host(w),
            title=f"Punkt {w.marker('agendaitem', lv)}",
            visibility=lv,
            position=LEVELS.index(lv) + 1,
        ),
    )


def _minutes(world: World, level):
    """Published minutes at ``level`` of the meeting at ``level``."""
    from meetings import services
    from tests.meetings.factories import publish

    def make(w, lv):
        minutes = services.minutes_for(_meeting(w, lv))
        minutes.visibility = lv
        minutes.save(update_fields=["visibility"])
        return publish(minutes)

    return world.get("minutes", level, make)


def _draft_minutes(world: World, level):
    """Public draft minutes of a public meeting of their own: OParl has no word of them."""
    from meetings import services
    from tests.meetings.factories import MeetingFactory

    def make(w, lv):
        start = timezone.now() - datetime.timedelta(days=3)
        meeting = MeetingFactory(
            body=w.body,
            title=f"Sitzung {w.marker('draftminutes', lv)}",
            start=start,
            end=start + datetime.timedelta(hours=2),
        )
        return services.minutes_for(meeting)

    return world.get("draftminutes", level, make)


def _paper(world: World, level):
    return world.get(
        "paper",
        level,
        lambda w, lv: body_services.record_decision(
            body=w.body,
            title=f"Beschluss {w.marker('paper', lv)}",
            decided_on=datetime.date(2026, 2, 1),
            visibility=lv,
        ),
    )


def _space(world: World, level):
    from tests.spaces.factories import SpaceFactory

    return world.get(
        "space",
        level,
        lambda w, lv: SpaceFactory(name=f"Raum {w.marker('space', lv)}", visibility=lv),
    )


def _markers(kind: str, build, text=None):
    """Build ``kind`` at every level; its marker, or ``text(world, obj)``."""

    def markers(world):
        found = {}
        for level in LEVELS:
            obj = build(world, level)
            found[level] = [text(world, obj) if text else world.marker(kind, level)]
        return found

    return markers


def _membership_id(world, membership):
    # The id URL, closed by the JSON string's quote so that /12/ never matches /123/.
    return f'/oparl/v1/membership/{membership.pk}/"'


def _minutes_file_name(world, minutes):
    return f"protokoll-{minutes.meeting_id}.pdf"


def _object(build, key="pk", attr="pk"):
    return lambda world, level: {key: getattr(build(world, level), attr)}


def _list(name, markers, note=""):
    return Case(
        name,
        build=lambda w, lv: {"body_id": BODY_ID},
        levels=(None,),
        expect=always(OK),
        markers=markers,
        extra=public_view,
        note=note,
    )


def _one(name, build, attr="pk"):
    return Case(name, build=_object(build, attr=attr), expect=public_only, extra=public_view)


register(
    Case("oparl:system", build=lambda w, lv: None, levels=(None,), expect=always(OK)),
    Case(
        "oparl:body_list",
        build=lambda w, lv: None,
        levels=(None,),
        expect=always(OK),
        markers=_markers("body", _body),
        extra=public_view,
        must_list=False,
        note="the one OParl body: no platform body's name appears in it",
    ),
    Case(
        "oparl:body",
        build=lambda w, lv: {"body_id": BODY_ID},
        levels=(None,),
        expect=always(OK),
        markers=_markers("body", _body),
        extra=public_view,
        must_list=False,
    ),
    Case(
        "oparl:body",
        build=lambda w, lv: {"body_id": BODY_ID + 1},
        levels=(None,),
        expect=always(HIDDEN),
        note="there is one body",
    ),
    _list(
        "oparl:organization_list",
        lambda w: {
            level: [*_markers("body", _body)(w)[level], *_markers("organisation", _org)(w)[level]]
            for level in LEVELS
        },
    ),
    _list("oparl:person_list", _markers("person", _membership)),
    _list("oparl:membership_list", _markers("membership", _membership, _membership_id)),
    _list("oparl:meeting_list", _markers("meeting", _meeting)),
    _list(
        "oparl:agenda_item_list",
        _markers("agendaitem", _agenda_item),
        note="items at every level inside one public meeting",
    ),
    _list("oparl:paper_list", _markers("paper", _paper)),
    _list(
        "oparl:file_list",
        lambda w: {
            level: [w.marker("meeting", level), _minutes_file_name(w, _minutes(w, level))]
            for level in LEVELS
        },
    ),
    _list(
        "oparl:location_list",
        lambda w: {
            level: [
                *_markers("space", _space)(w)[level],
                *_markers("place", _meeting)(w)[level],
            ]
            for level in LEVELS
        },
    ),
    Case(
        "oparl:legislative_term_list",
        build=lambda w, lv: {"body_id": BODY_ID},
        levels=(None,),
        expect=always(OK),
    ),
    # One object of each kind at each level.
    _one("oparl:organization_body", _body),
    Case(
        "oparl:organization_organisation",
        build=lambda w, lv: {"pk": _org(w, lv).pk},
        expect=public_only,
        extra=public_view,
        note="an organisation is public when it is represented in a public body",
    ),
    Case(
        "oparl:person",
        build=lambda w, lv: {"pk": _membership(w, lv).person_id},
        expect=public_only,
        extra=public_view,
        note="a person is public when a member of a public body",
    ),
    _one("oparl:membership", _membership),
    _one("oparl:meeting", _meeting),
    Case(
        "oparl:meeting",
        build=lambda w, lv: {"pk": _host(w).pk},
        levels=(None,),
        expect=always(OK),
        markers=_markers("agendaitem", _agenda_item),
        extra=public_view,
        note="the public meeting embeds only its public agenda items",
    ),
    _one("oparl:agenda_item", _agenda_item),
    _one("oparl:paper", _paper),
    _one("oparl:file_agenda", _meeting),
    Case(
        "oparl:file_minutes",
        build=lambda w, lv: {"pk": _minutes(w, lv).meeting_id},
        expect=public_only,
        extra=public_view,
    ),
    Case(
        "oparl:file_minutes",
        build=lambda w, lv: {"pk": _draft_minutes(w, lv).meeting_id},
        levels=(PUBLIC,),
        expect=always(HIDDEN),
        extra=public_view,
    ),
    _one("oparl:location_space", _space),
    _one("oparl:location_meeting", _meeting),
    Case(
        "oparl:not_found",
        build=lambda w, lv: {"path": "gibt-es-nicht/"},
        levels=(None,),
        expect=always(HIDDEN),
    ),
)


def _org(world: World, level):
    """The organisation at ``level``, represented in the body at that level."""
    return _membership(world, level).organisation
