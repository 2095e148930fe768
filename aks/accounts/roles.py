"""The platform's roles. Each is a Django group created by a data migration.

Views never test these names themselves; the access kernel in ``bodies.access``
turns them into rules.
"""

V_INTERN = "v-intern"  # administration-internal AKS staff (Stadtentwicklungsamt)
V_EXTERN = "v-extern"  # administration-external AKS staff (Trägerverein)
COUNCILLOR = "councillor"  # Baustadtrat / Baustadträtin
ASSOCIATION_MEMBER = "association-member"  # members of GemeinwohlStadt e.V.

ALL = (V_INTERN, V_EXTERN, COUNCILLOR, ASSOCIATION_MEMBER)
STAFF = frozenset({V_INTERN, V_EXTERN})
TEAM = frozenset({V_INTERN, V_EXTERN, COUNCILLOR})


def roles_of(user) -> frozenset[str]:
    """The role names of ``user``, read once per user object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_aks_roles", None)
    if cached is None:
        cached = frozenset(user.groups.filter(name__in=ALL).values_list("name", flat=True))
        user._aks_roles = cached
    return cached
