"""Matrix cases for the portal (home, search, dashboard, agenda review, activity, the
data export), the accounts pages, language switching and the health check.

Who sees what:
- home and search are public; each lists only what the reader sees (the home page's
  decisions are the public face: public ones only, whoever reads);
- the dashboard is for signed-in people; the Jour-Fixe agenda on it for the team;
- the agenda review is the councillor's (meetings/rules.py ``review_agenda``);
- the activity page is the audit trail: AKS staff and superusers only
  (``bodies.history.may_see_history``); to everyone else, anonymous visitors included,
  it does not exist (404). Its rows, and the authors its filter offers, are those of
  objects the reader sees;
- the data export holds the reader's own data, never another person's, and none of
  their records in meetings or polls they may not open.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from bodies import services as body_services
from bodies.access import Visibility
from tests.factories import BodyFactory, OrganisationFactory, PersonFactory, UserFactory

from .matrix import (
    HIDDEN,
    LEVELS,
    OK,
    PERSONAS,
    REFUSED,
    SEES,
    STAFF,
    Case,
    World,
    act,
    always,
    per_persona,
    register,
    signed_in,
)

PUBLIC = Visibility.PUBLIC
QUERY = "Matrixsuche"
history_readers = per_persona({persona: OK if persona in STAFF else HIDDEN for persona in PERSONAS})
_none = {"build": lambda w, lv: None, "levels": (None,)}


# --- builders ----------------------------------------------------------------------


def _meeting(world: World, key: str, level, **fields):
    from tests.meetings.factories import MeetingFactory

    return world.get(
        key,
        level,
        lambda w, lv: MeetingFactory(
            body=w.body, visibility=lv, title=f"Sitzung {w.marker(key, lv)}", **fields
        ),
    )


def _public_meeting(world: World):
    """A past public meeting of the world's body whose children carry the levels."""
    from tests.meetings.factories import MeetingFactory

    start = timezone.now() - datetime.timedelta(days=3)
    return world.get(
        "hostmeeting",
        None,
        lambda w, lv: MeetingFactory(
            body=w.body, title="Gastgebende Sitzung", start=start, visibility=PUBLIC
        ),
    )


def _body(world: World, level, kind="body"):
    return world.get(
        kind,
        level,
        lambda w, lv: w.join(
            BodyFactory(
                name=f"Gremium {w.marker(kind, lv)} {QUERY}",
                description=f"Beschreibung {QUERY}",
                visibility=lv,
            )
        ),
    )


def _decision(world: World, level, kind="decision", **fields):
    return world.get(
        kind,
        level,
        lambda w, lv: body_services.record_decision(
            body=w.body,
            title=f"Beschluss {w.marker(kind, lv)} {QUERY}",
            decided_on=fields.get("decided_on", timezone.localdate()),
            visibility=lv,
        ),
    )


def _markers(kind: str, build):
    def markers(world):
        for level in LEVELS:
            build(world, level)
        return {level: [world.marker(kind, level)] for level in LEVELS}

    return markers


# --- search: every searchable kind at every level -----------------------------------


def _search_world(world: World) -> dict[str, list[str]]:
    from meetings import services as meeting_services
    from meetings.models import AgendaItem, GuidingQuestion, MinuteEntry, MinuteSection
    from tests.meetings.factories import publish
    from tests.spaces.factories import SpaceFactory

    host = _public_meeting(world)
    # Published minutes (drafts have fewer readers: cases_meetings.py); their entries
    # are written straight, as published minutes take no new entries through the service.
    minutes = world.get("minutes", None, lambda w, lv: publish(meeting_services.minutes_for(host)))
    organisation = world.get("organisation", None, lambda w, lv: OrganisationFactory())
    builders = {
        "body": lambda w, lv: _body(w, lv),
        "meeting": lambda w, lv: _meeting(w, "meeting", lv, description=QUERY),
        "agendaitem": lambda w, lv: AgendaItem.objects.create(
            meeting=host,
            title=f"Punkt {w.marker('agendaitem', lv)} {QUERY}",
            visibility=lv,
            position=LEVELS.index(lv) + 1,
        ),
        "entry": lambda w, lv: MinuteEntry.objects.create(
            minutes=minutes,
            section=MinuteSection.DISCUSSION,
            text=f"Beitrag {w.marker('entry', lv)} {QUERY}",
            visibility=lv,
            position=LEVELS.index(lv),
        ),
        "question": lambda w, lv: GuidingQuestion.objects.create(
            meeting=host,
            text=f"Leitfrage {w.marker('question', lv)} {QUERY}",
            visibility=lv,
            position=LEVELS.index(lv) + 1,
        ),
        "decision": lambda w, lv: _decision(w, lv),
        "commitment": lambda w, lv: meeting_services.add_commitment(
            meeting=host,
            organisation=organisation,
            what=f"Zusage {w.marker('commitment', lv)} {QUERY}",
            visibility=lv,
        ),
        "space": lambda w, lv: SpaceFactory(
            name=f"Raum {w.marker('space', lv)} {QUERY}", visibility=lv, body=w.body
        ),
        "workstream": lambda w, lv: _workstream(w, lv),
    }
    markers: dict[str, list[str]] = {level: [] for level in LEVELS}
    for kind, build in builders.items():
        for level in LEVELS:
            world.get(f"search{kind}", level, lambda w, lv, build=build: build(w, lv))
            markers[level].append(world.marker(kind, level))
    return markers


def _workstream(world: World, level):
    from bodies.models import Workstream

    return Workstream.objects.create(
        number=700 + LEVELS.index(level),
        title=f"Baustelle {world.marker('workstream', level)} {QUERY}",
        lead_body=world.body,
        visibility=level,
    )


# --- dashboard -----------------------------------------------------------------------


def _dashboard_markers(world: World):
    upcoming = timezone.now() + datetime.timedelta(days=5)
    for level in LEVELS:
        _decision(world, level)
        _meeting(world, "upcoming", level, start=upcoming)
    return {
        level: [world.marker("decision", level), world.marker("upcoming", level)]
        for level in LEVELS
    }


def _jour_fixe_markers(world: World):
    """The next Jour-Fixe (public) with agenda items at every level: the team reads
    its agenda on the dashboard, each only the items of levels they see."""
    from meetings.models import AgendaItem, MeetingKind

    meeting = world.get(
        "jourfixe",
        None,
        lambda w, lv: _meeting(
            w,
            "jourfixemeeting",
            PUBLIC,
            kind=MeetingKind.JOUR_FIXE,
            start=timezone.now() + datetime.timedelta(days=2),
        ),
    )
    for level in LEVELS:
        world.get(
            "jfitem",
            level,
            lambda w, lv: AgendaItem.objects.create(
                meeting=meeting,
                title=f"Punkt {w.marker('jfitem', lv)}",
                visibility=lv,
                position=LEVELS.index(lv) + 1,
            ),
        )
    return {level: [world.marker("jfitem", level)] for level in LEVELS}


def _jour_fixe(world: World, level):
    from meetings.models import MeetingKind

    meeting = _meeting(
        world,
        "review",
        level,
        kind=MeetingKind.JOUR_FIXE,
        start=timezone.now() + datetime.timedelta(days=2),
    )
    return {"pk": meeting.pk}


# --- activity: changes at every level by an author of that level ------------------


def _activity_markers(world: World):
    for level in LEVELS:

        def change(w, lv):
            author = UserFactory(display_name=f"Autor {w.marker('author', lv)}")
            decision = _decision(w, lv)
            decision.text = "geändert"
            decision._history_user = author
            decision.save()
            return decision

        world.get("change", level, change)
    return {
        level: [world.marker("decision", level), world.marker("author", level)] for level in LEVELS
    }


# --- profile and the data export ------------------------------------------------------


def _own_marker(persona: str) -> str:
    return f"mxself{persona.replace('_', '')}"


def _name_everyone(world: World):
    """Each persona's display name carries its own marker; a stranger's too."""

    def make(w, lv):
        for persona, user in w.users.items():
            if user is not None:
                user.display_name = f"Person {_own_marker(persona)}"
                user.save(update_fields=["display_name"])
        stranger = UserFactory(display_name=f"Fremd {_own_marker('stranger')}")
        PersonFactory(user=stranger, name=f"Fremd {_own_marker('strangerperson')}")
        return stranger

    world.get("names", None, make)


def _own_data_only(persona: str, world: World, text: str) -> list[str]:
    problems = []
    if _own_marker(persona) not in text:
        problems.append("own data missing")
    others = [p for p in (*PERSONAS, "stranger", "strangerperson") if p != persona]
    problems += [f"data of {other} shown" for other in others if _own_marker(other) in text]
    if persona == "body_member":
        problems += [
            f"own {level} commitment missing"
            for level in SEES[persona]
            if world.marker("owncommitment", level) not in text
        ]
    return problems


def _export_world(world: World):
    """The body member's commitments in the public meeting, one at every level: its
    own export shows those it may open and no other."""
    from meetings import services as meeting_services

    _name_everyone(world)
    host = _public_meeting(world)
    organisation = world.get("organisation", None, lambda w, lv: OrganisationFactory())
    person = world.users["body_member"].person
    for level in LEVELS:
        world.get(
            "owncommitment",
            level,
            lambda w, lv: meeting_services.add_commitment(
                meeting=host,
                organisation=organisation,
                person=person,
                what=f"Zusage {w.marker('owncommitment', lv)}",
                visibility=lv,
            ),
        )
    return None


def _export_markers(world: World):
    _export_world(world)
    return {level: [world.marker("owncommitment", level)] for level in LEVELS}


def _profile_markers(world: World):
    """The body member is a member of a body at every level: its profile names only
    those it may see."""
    for level in LEVELS:
        _body(world, level, "ownbody")
    return {level: [world.marker("ownbody", level)] for level in LEVELS}


register(
    Case("healthz", **_none, expect=always(OK)),
    Case(
        "set_language",
        **_none,
        method="POST",
        data={"language": "de", "next": "/"},
        expect=always(OK),
    ),
    # Accounts.
    Case("accounts:login", **_none, expect=always(OK), note="signed in: sent on, not to log in"),
    Case("accounts:login", **_none, method="POST", expect=always(OK)),
    Case("accounts:profile", **_none, expect=signed_in),
    Case(
        "accounts:profile",
        **_none,
        expect=signed_in,
        markers=_profile_markers,
        must_list=False,
        note="memberships in bodies the reader may not see are not named",
    ),
    Case("accounts:profile", **_none, method="POST", expect=signed_in),
    Case("accounts:logout", **_none, expect=always(REFUSED), note="GET does not log out"),
    # Last: logging out ends the personas' sessions for the rest of this world.
    Case("accounts:logout", **_none, method="POST", expect=always(OK)),
    # The portal.
    Case(
        "portal:home",
        **_none,
        markers=lambda w: {lv: [w.marker("body", _body(w, lv).visibility)] for lv in LEVELS},
        note="top-level bodies, as the reader sees them",
    ),
    Case(
        "portal:home",
        **_none,
        markers=_markers("decision", _decision),
        extra={"viewer": lambda persona, level: "anonymous"},
        note="decisions: the public ones, whoever reads",
    ),
    Case("portal:search", **_none, query=f"?q={QUERY}", markers=_search_world),
    Case("portal:dashboard", **_none, expect=signed_in, markers=_dashboard_markers),
    Case(
        "portal:dashboard",
        **_none,
        expect=signed_in,
        markers=_jour_fixe_markers,
        must_list=False,
        note="the next Jour-Fixe's agenda, for the team",
    ),
    Case(
        "portal:agenda_review",
        build=_jour_fixe,
        method="POST",
        data={"reviewed": "on", "comment": "Gesehen"},
        expect=act({"councillor", "superuser"}),
    ),
    Case("portal:activity", **_none, expect=history_readers, markers=_activity_markers),
    Case(
        "portal:data_export",
        **_none,
        expect=signed_in,
        markers=_export_markers,
        must_list=False,
        extra={"check": _own_data_only},
    ),
)
