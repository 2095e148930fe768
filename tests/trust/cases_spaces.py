"""Matrix cases for the space registry: spaces, their map, GeoJSON and CSV, space
needs and the matching between them.

Who does what (spaces/rules.py): whoever sees a space or need reads it; AKS staff
(v-intern, v-extern) record, edit and move spaces through their statuses and keep the
needs; any signed-in person reports a vacancy. Councillors read.

A space's owner details (organisation, kind, notes) carry their own level,
``owner_visibility``: on a public space they show exactly to those who see that
level, in the list, on the page, in the GeoJSON and in the CSV.

Spaces and needs belong to the world's body, so "body_member" sees its "members" ones.
"""

from __future__ import annotations

import datetime

from bodies.access import Visibility

from .matrix import (
    FORBIDDEN,
    LEVELS,
    LOGIN,
    OK,
    PERSONAS,
    STAFF,
    Case,
    World,
    act_refused,
    always,
    per_persona,
    register,
    runs,
    signed_in,
)

PUBLIC = Visibility.PUBLIC
# Pages without an object: staff (and superusers) only.
staff_only = per_persona(
    {persona: OK if persona in STAFF else FORBIDDEN for persona in PERSONAS} | {"anonymous": LOGIN}
)


def _space(world: World, level):
    """A space of the world's body at ``level``; its owner details are public."""
    from tests.spaces.factories import SpaceFactory

    return world.get(
        "space",
        level,
        lambda w, lv: SpaceFactory(
            name=f"Raum {w.marker('space', lv)}", visibility=lv, body=w.body
        ),
    )


def _owned(world: World, level):
    """A public space whose owner details are at ``level``: the organisation's name and
    the notes carry the markers."""
    from tests.factories import OrganisationFactory
    from tests.spaces.factories import SpaceFactory

    def make(w, lv):
        return SpaceFactory(
            name=f"Eigentum {lv}",
            visibility=PUBLIC,
            body=w.body,
            owner_visibility=lv,
            owner_organisation=OrganisationFactory(name=f"Eigner {w.marker('owner', lv)}"),
            owner_notes=f"Notiz {w.marker('notes', lv)}",
        )

    return world.get("owned", level, make)


def _need(world: World, level):
    from tests.spaces.factories import SpaceNeedFactory

    return world.get(
        "need",
        level,
        lambda w, lv: SpaceNeedFactory(
            title=f"Bedarf {w.marker('need', lv)}", visibility=lv, body=w.body
        ),
    )


def _public_space_with_history(world, level):
    """A public space whose status changes rest on decisions at every level: each
    decision is named on its page only to readers who see it."""
    from bodies import services
    from spaces.models import SpaceStatus, SpaceStatusChange

    space = _space(world, PUBLIC)
    for lv in LEVELS:

        def make(w, lv):
            decision = services.record_decision(
                body=w.body,
                title=f"Beschluss {w.marker('decision', lv)}",
                decided_on=datetime.date(2026, 1, 1),
                visibility=lv,
            )
            return SpaceStatusChange.objects.create(
                space=space,
                from_status=SpaceStatus.REPORTED,
                to_status=SpaceStatus.VERIFIED,
                decision=decision,
            )

        world.get("statuschange", lv, make)
    return {"pk": space.pk}


def _detail_markers(world):
    """The decisions of the public space's history, and the needs it matches."""
    _public_space_with_history(world, None)
    return {
        level: [
            world.marker("decision", level),
            world.marker("need", _need(world, level).visibility),
        ]
        for level in LEVELS
    }


def _space_markers(world):
    return {level: [world.marker("space", _space(world, level).visibility)] for level in LEVELS}


def _owner_markers(*kinds):
    def markers(world):
        for level in LEVELS:
            _owned(world, level)
        return {level: [world.marker(kind, level) for kind in kinds] for level in LEVELS}

    return markers


def _both(*functions):
    def markers(world):
        merged: dict[str, list[str]] = {}
        for function in functions:
            for level, texts in function(world).items():
                merged.setdefault(level, []).extend(texts)
        return merged

    return markers


def _need_markers(world):
    return {level: [world.marker("need", _need(world, level).visibility)] for level in LEVELS}


def _csv_text(response):
    return (
        b"".join(response.streaming_content).decode()
        if response.streaming
        else response.content.decode("utf-8-sig")
    )


_none = {"build": lambda w, lv: None, "levels": (None,)}

register(
    # Lists and exports: spaces at every level, and owner details at every level.
    Case(
        "spaces:list",
        **_none,
        markers=_both(_space_markers, _owner_markers("owner")),
    ),
    Case("spaces:map", **_none, markers=_space_markers),
    Case(
        "spaces:geojson",
        **_none,
        markers=_both(_space_markers, _owner_markers("owner")),
        note="the owner's name is a property only where the reader sees the owner level",
    ),
    Case(
        "spaces:csv",
        **_none,
        markers=_both(_space_markers, _owner_markers("owner", "notes")),
        text=_csv_text,
    ),
    # Recording and reporting.
    Case("spaces:create", **_none, expect=staff_only),
    Case("spaces:create", **_none, method="POST", expect=staff_only),
    Case("spaces:report", **_none, expect=signed_in),
    Case("spaces:report", **_none, method="POST", expect=signed_in),
    # One space.
    Case("spaces:detail", build=lambda w, lv: {"pk": _space(w, lv).pk}),
    Case(
        "spaces:detail",
        build=lambda w, lv: {"pk": _owned(w, lv).pk},
        expect=always(OK),
        markers=_owner_markers("owner", "notes"),
        must_list=False,
        note="a public space: its owner details at every level; each page shows its own",
    ),
    Case(
        "spaces:detail",
        build=_public_space_with_history,
        levels=(None,),
        markers=_detail_markers,
        note="decisions in its status history and matching needs, as the reader sees them",
    ),
    Case("spaces:edit", build=lambda w, lv: {"pk": _space(w, lv).pk}, expect=runs),
    Case("spaces:edit", build=lambda w, lv: {"pk": _space(w, lv).pk}, method="POST", expect=runs),
    Case(
        "spaces:edit",
        build=lambda w, lv: {"pk": _owned(w, lv).pk},
        expect=staff_only,
        # Notes only: the owner field's choices name every organisation, owners or not.
        markers=_owner_markers("notes"),
        must_list=False,
        note="the edit form leaves out owner details the editor may not see",
    ),
    Case(
        "spaces:change_status",
        build=lambda w, lv: {"pk": _space(w, lv).pk},
        method="POST",
        expect=act_refused(STAFF),
        note="sent empty: refused by the form after the permission check",
    ),
    # Space needs.
    Case("spaces:need_list", **_none, markers=_need_markers),
    Case("spaces:need_create", **_none, expect=staff_only),
    Case("spaces:need_create", **_none, method="POST", expect=staff_only),
    Case("spaces:need_detail", build=lambda w, lv: {"pk": _need(w, lv).pk}),
    Case(
        "spaces:need_detail",
        build=lambda w, lv: {"pk": _need(w, PUBLIC).pk},
        levels=(None,),
        markers=_space_markers,
        note="the matching spaces of a public need: only those the reader sees",
    ),
    Case("spaces:need_edit", build=lambda w, lv: {"pk": _need(w, lv).pk}, expect=runs),
    Case(
        "spaces:need_edit", build=lambda w, lv: {"pk": _need(w, lv).pk}, method="POST", expect=runs
    ),
)
