"""Template tags of the planning pages: whether to offer a link the kernel would refuse."""

from django import template

from .. import selectors

register = template.Library()


@register.simple_tag
def may_plan_meetings(user) -> bool:
    """Does ``user`` lead or serve at least one body whose meetings they may plan?"""
    if not getattr(user, "is_authenticated", False):
        return False
    return selectors.planning_bodies(user=user).exists()


@register.simple_tag
def has_object_perm(user, perm: str, obj) -> bool:
    """``user.has_perm(perm, obj)`` for templates, which cannot pass arguments."""
    return bool(obj is not None and user.has_perm(perm, obj))
