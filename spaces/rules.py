"""Who may see and change spaces and space needs, built from the access kernel.

The kernel's backend answers object permissions (``has_perm(perm, obj)``) and, from
the plain rules at the end of this module, those without an object (adding a space,
reporting a vacancy), asked with ``bodies.access.may``.
"""

from bodies.access import (
    boolean_expression,
    can_view,
    is_active_user,
    is_staff,
    level_or_own_q,
    plain_rule,
    rule,
    sees_level_or_own,
)

# Owner details (organisation, kind, notes) have their own level; the person who
# reported the space also reads back what she typed in, even when staff later set the
# owner level above hers.
OWNER_LEVEL = {"field": "owner_visibility", "own_field": "reported_by"}


def owner_visible_q(user, prefix: str = ""):
    """Spaces (reached through ``prefix``) whose owner details ``user`` may see."""
    from .models import Space

    return level_or_own_q(user, Space, prefix=prefix, **OWNER_LEVEL)


def owner_visible_expression(user):
    """The ``owner_visible`` annotation of space querysets."""
    return boolean_expression(owner_visible_q(user))


@rule("spaces.view_space")
def view_space(user, space):
    return can_view(user, space)


@rule("spaces.change_space")
def change_space(user, space):
    """AKS staff on either side change the spaces they can see, status included."""
    return is_staff(user) and can_view(user, space)


@rule("spaces.view_space_owner")
def view_space_owner(user, space):
    """Owner organisation, kind and notes: their own level (or one's own report), on a
    space one can see."""
    return can_view(user, space) and sees_level_or_own(user, space, **OWNER_LEVEL)


@rule("spaces.view_spaceneed")
def view_spaceneed(user, need):
    return can_view(user, need)


@rule("spaces.change_spaceneed")
def change_spaceneed(user, need):
    return is_staff(user) and can_view(user, need)


# Active superusers pass every permission in Django's own ``has_perm``.


@plain_rule("spaces.add_space")
def add_space(user) -> bool:
    return is_staff(user)


@plain_rule("spaces.report_vacancy")
def report_vacancy(user) -> bool:
    """Any active account may report a vacancy (association members above all)."""
    return is_active_user(user)


@plain_rule("spaces.add_spaceneed")
def add_spaceneed(user) -> bool:
    return is_staff(user)
