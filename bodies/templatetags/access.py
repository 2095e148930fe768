"""The access kernel's answers for templates, which must not compare levels themselves."""

from django import template

from bodies import access

register = template.Library()


@register.filter
def is_public(obj) -> bool:
    """``{% if space|is_public %}``: seen by everyone, anonymous included."""
    return access.is_public(obj)


@register.filter
def same_level(obj, other) -> bool:
    """``{% if not entry|same_level:minutes %}``: show a child's level only where it
    differs from its parent's."""
    return access.same_level(obj, other)
