"""Who may see and change spaces and space needs, built from the access kernel.

The kernel's backend answers object permissions only (``has_perm(perm, obj)``);
permissions without an object (adding a space, reporting a vacancy) are the plain
predicates at the end of this module.
"""

from bodies.access import can_view, is_active_user, is_staff, rule, sees_level


@rule("spaces.view_space")
def view_space(user, space):
    return can_view(user, space)


@rule("spaces.change_space")
def change_space(user, space):
    """AKS staff on either side change the spaces they can see, status included."""
    return is_staff(user) and can_view(user, space)


@rule("spaces.view_space_owner")
def view_space_owner(user, space):
    """Owner organisation, kind and notes: their own level, on a space one can see."""
    return can_view(user, space) and sees_level(user, space, "owner_visibility")


@rule("spaces.view_spaceneed")
def view_spaceneed(user, need):
    return can_view(user, need)


@rule("spaces.change_spaceneed")
def change_spaceneed(user, need):
    return is_staff(user) and can_view(user, need)


def _staff_or_superuser(user) -> bool:
    # has_perm() answers True for active superusers anyway; these predicates agree.
    return is_staff(user) or (is_active_user(user) and user.is_superuser)


def may_add_space(user) -> bool:
    return _staff_or_superuser(user)


def may_report_vacancy(user) -> bool:
    """Any active account may report a vacancy (association members above all)."""
    return is_active_user(user)


def may_add_need(user) -> bool:
    return _staff_or_superuser(user)
