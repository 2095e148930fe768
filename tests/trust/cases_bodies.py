"""Matrix cases for the bodies app (bodies, polls, decisions, workstreams, members).

Who does what (bodies/rules.py): whoever sees a body, poll, decision or workstream
reads it; the body's chair, deputy and organisers, and AKS staff (v-intern, v-extern)
on the bodies the AKS team runs, manage its members and prepare, open, count, close
and cancel its polls; AKS staff and the lead body's chair keep a workstream's ledger.
Councillors read, they do not run bodies. The world's personas chair nothing, so
"runs the body" is the staff on a body the team runs and nobody but the superuser on
one it does not run (superusers pass every rule): each managing URL is checked on
both. Only those on a poll's roll (frozen when it opens: the active members with a
voting right) vote; of the personas that is "body_member", the member of the bodies.

Polls, decisions and workstreams carry their own level inside a public body (the
world's, run by the AKS team, or the "independent" one, not run by it); bodies carry
theirs, and "body_member" is made a member of each of them.
"""

from __future__ import annotations

import datetime

from bodies import services
from bodies.models import Counting, Workstream
from tests.factories import BodyFactory, MembershipFactory, OrganisationFactory

from .matrix import (
    FORBIDDEN,
    HIDDEN,
    LEVELS,
    LOGIN,
    OK,
    STAFF,
    Case,
    World,
    act,
    act_refused,
    register,
    runs,
    sees,
)


def votes(persona, level, world):
    """Only those on the roll vote; others who see the poll are refused with 403."""
    if persona == "anonymous":
        return LOGIN
    if not sees(persona, level):
        return HIDDEN
    return OK if persona == "body_member" else FORBIDDEN


# --- builders ----------------------------------------------------------------------


# Managing a body the AKS team does not run: its chair's (none among the personas).
runs_independent = act({"superuser"})


def _independent_body(world: World):
    """A public body the AKS team does not run (a citizens' platform's circle)."""
    return world.get(
        "independent",
        None,
        lambda w, lv: w.join(
            BodyFactory(name="Unabhängiger Kreis", visibility="public", run_by_aks_team=False)
        ),
    )


def _body(world: World, level, *, team: bool = True):
    kind = "body" if team else "ibody"
    return world.get(
        kind,
        level,
        lambda w, lv: w.join(
            BodyFactory(name=f"Gremium {w.marker(kind, lv)}", visibility=lv, run_by_aks_team=team)
        ),
    )


def _slug(world, level):
    return {"slug": _body(world, level).slug}


def _independent_slug(world, level):
    return {"slug": _body(world, level, team=False).slug}


def _poll(kind: str, *, opened: bool = False, team: bool = True, **options):
    """A poll at ``level`` of a public body, the world's or (``team`` false) one the AKS
    team does not run; "open" ones have a roll."""
    key = kind if team else f"i{kind}"

    def build(world, level):
        def make(w, lv):
            poll = services.create_poll(
                body=w.body if team else _independent_body(w),
                title=f"Abstimmung {w.marker(key, lv)}",
                visibility=lv,
                **options,
            )
            return services.open_poll(poll=poll) if opened else poll

        return world.get(key, level, make)

    return build


def _poll_pk(kind: str, **options):
    build = _poll(kind, **options)
    return lambda world, level: {"pk": build(world, level).pk}


def _yes(kind: str):
    build = _poll(kind, opened=True)
    return lambda world, level: {"choices": build(world, level).options.get(meaning="yes").pk}


def _decision(world, level):
    return world.get(
        "decision",
        level,
        lambda w, lv: services.record_decision(
            body=w.body,
            title=f"Beschluss {w.marker('decision', lv)}",
            decided_on=datetime.date(2026, 3, 1),
            visibility=lv,
        ),
    )


def _workstream(world, level):
    def make(w, lv):
        number = 900 + LEVELS.index(lv)
        return Workstream.objects.create(
            number=number,
            title=f"Baustelle {w.marker('workstream', lv)}",
            lead_body=w.body,
            visibility=lv,
        )

    return world.get("workstream", level, make)


def _membership(world, level, *, team: bool = True):
    return world.get(
        "membership" if team else "imembership",
        level,
        lambda w, lv: MembershipFactory(
            body=_body(w, lv, team=team), start=datetime.date(2024, 1, 1)
        ),
    )


# --- markers -----------------------------------------------------------------------


def _markers_of(kind: str, build):
    def markers(world):
        for level in LEVELS:
            build(world, level)
        return {level: [world.marker(kind, level)] for level in LEVELS}

    return markers


def _sub_body_markers(world):
    """Sub-bodies of the world's body at every level, named on its page."""

    def make(w, lv):
        return w.join(
            BodyFactory(name=f"Untergruppe {w.marker('child', lv)}", parent=w.body, visibility=lv)
        )

    for level in LEVELS:
        world.get("child", level, make)
    return {level: [world.marker("child", level)] for level in LEVELS}


def _participant_markers(world):
    """The public workstream's participating bodies at every level."""
    workstream = _workstream(world, "public")
    for level in LEVELS:
        workstream.bodies.add(_body(world, level))
    return {level: [world.marker("body", level)] for level in LEVELS}


def _public_workstream(world, level):
    return {"number": _workstream(world, "public").number}


def _contribution(world, level):
    return {
        "organisation": world.get("organisation", None, lambda w, lv: OrganisationFactory()).pk,
        "kind": "hours",
        "amount": "3",
        "description": "Matrixstunden",
    }


register(
    # Bodies.
    Case(
        "bodies:list", build=lambda w, lv: None, levels=(None,), markers=_markers_of("body", _body)
    ),
    Case("bodies:detail", build=_slug),
    Case(
        "bodies:detail",
        build=lambda w, lv: {"slug": w.body.slug},
        levels=(None,),
        markers=_sub_body_markers,
        note="sub-bodies are named to those who see them",
    ),
    # Decisions.
    Case(
        "bodies:decisions",
        build=lambda w, lv: None,
        levels=(None,),
        markers=_markers_of("decision", _decision),
    ),
    Case("bodies:decision", build=lambda w, lv: {"pk": _decision(w, lv).pk}),
    # Polls: the body's list, and a poll at each level inside the public body.
    Case("bodies:polls", build=_slug),
    Case(
        "bodies:polls",
        build=lambda w, lv: {"slug": w.body.slug},
        levels=(None,),
        markers=_markers_of("poll", _poll("poll")),
    ),
    Case("bodies:poll", build=_poll_pk("poll")),
    Case("bodies:poll", build=_poll_pk("open", opened=True), note="an open poll with a roll"),
    Case(
        "bodies:poll_vote",
        build=_poll_pk("open", opened=True),
        method="POST",
        data=_yes("open"),
        expect=votes,
    ),
    # Managing polls and members, on a body the AKS team runs and on one it does not.
    *(
        case
        for team, manage, managers in (
            (True, runs, STAFF),
            (False, runs_independent, {"superuser"}),
        )
        for case in (
            Case(
                "bodies:poll_open",
                build=_poll_pk("draft", team=team),
                method="POST",
                expect=manage,
            ),
            Case(
                "bodies:poll_counts",
                build=_poll_pk("analog", opened=True, team=team, counting=Counting.ANALOG),
                method="POST",
                expect=act_refused(managers),
                note="sent empty: refused by the form after the permission check",
            ),
            Case(
                "bodies:poll_close",
                build=_poll_pk("open", opened=True, team=team),
                method="POST",
                expect=manage,
            ),
            Case(
                "bodies:poll_cancel",
                build=_poll_pk("draft", team=team),
                method="POST",
                expect=manage,
            ),
            Case("bodies:poll_create", build=_slug if team else _independent_slug, expect=manage),
            Case(
                "bodies:poll_create",
                build=_slug if team else _independent_slug,
                method="POST",
                expect=manage,
            ),
            Case("bodies:members", build=_slug if team else _independent_slug, expect=manage),
            Case(
                "bodies:members",
                build=_slug if team else _independent_slug,
                method="POST",
                expect=manage,
            ),
            Case(
                "bodies:member_end",
                build=lambda w, lv, team=team: {
                    "slug": _body(w, lv, team=team).slug,
                    "pk": _membership(w, lv, team=team).pk,
                },
                method="POST",
                expect=manage,
            ),
        )
    ),
    # Workstreams.
    Case(
        "bodies:workstreams",
        build=lambda w, lv: None,
        levels=(None,),
        markers=_markers_of("workstream", _workstream),
    ),
    Case("bodies:workstream", build=lambda w, lv: {"number": _workstream(w, lv).number}),
    Case(
        "bodies:workstream",
        build=_public_workstream,
        levels=(None,),
        markers=_participant_markers,
        note="participating bodies are named to those who see them",
    ),
    Case(
        "bodies:workstream",
        build=lambda w, lv: {"number": _workstream(w, lv).number},
        method="POST",
        data=_contribution,
        expect=runs,
    ),
)
