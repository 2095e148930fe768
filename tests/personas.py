"""The personas of the access tests and which visibility levels each of them sees.

This is the one oracle the permission tests compare the access kernel with. The table
is written down from the specification (who may read what), on purpose not derived
from ``bodies.access``: a test that asked the kernel what to expect could not catch a
mistake in it. The levels are spelled as their stored values for the same reason.

- ``anonymous``: nobody signed in.
- ``association_member``: a member of the association GemeinwohlStadt e.V., signed
  in, in no body.
- ``body_member``: a person without a role holding an active membership in the body
  under test; "members" objects are visible only through that membership.
- ``v_extern``: AKS staff outside the administration (the Trägerverein's office).
- ``v_intern``: AKS staff inside the administration (Stadtentwicklungsamt).
- ``councillor``: the Baustadtrat; reads what v_intern reads.
- ``superuser``: sees everything.
"""

from __future__ import annotations

from aks.accounts import roles

from .factories import BodyFactory, MembershipFactory, PersonFactory, UserFactory

PERSONAS: tuple[str, ...] = (
    "anonymous",
    "association_member",
    "body_member",
    "v_extern",
    "v_intern",
    "councillor",
    "superuser",
)

LEVELS: tuple[str, ...] = ("public", "members", "team", "admin_internal", "civil_internal")

# persona -> the levels it sees. For "body_member" this holds on objects of its own
# body; on another body's "members" objects it sees only "public".
SEES: dict[str, frozenset[str]] = {
    "anonymous": frozenset({"public"}),
    "association_member": frozenset({"public"}),
    "body_member": frozenset({"public", "members"}),
    "v_extern": frozenset({"public", "members", "team", "civil_internal"}),
    "v_intern": frozenset({"public", "members", "team", "admin_internal"}),
    "councillor": frozenset({"public", "members", "team", "admin_internal"}),
    "superuser": frozenset(LEVELS),
}

# The role group each role persona belongs to.
ROLE_OF: dict[str, str] = {
    "association_member": roles.ASSOCIATION_MEMBER,
    "v_extern": roles.V_EXTERN,
    "v_intern": roles.V_INTERN,
    "councillor": roles.COUNCILLOR,
}


def sees(persona: str, level: str | None) -> bool:
    """Whether ``persona`` sees an object of ``level`` (``None``: an object without a
    level, or no object at all, which everyone reaches)."""
    return level is None or level in SEES[persona]


def make_persona(name: str, body=None):
    """The user of persona ``name`` (``None`` for anonymous). ``body_member`` becomes
    an active member of ``body`` (a new body when none is given)."""
    if name == "anonymous":
        return None
    if name == "superuser":
        return UserFactory(is_superuser=True, is_staff=True)
    if name == "body_member":
        user = UserFactory()
        MembershipFactory(person=PersonFactory(user=user), body=body or BodyFactory())
        return user
    return UserFactory(roles=[ROLE_OF[name]])
