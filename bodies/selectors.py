from django.db.models import Count, Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from .access import visibility_q
from .models import Body, Membership, MembershipQuerySet, Side


def _active_on(prefix: str, on) -> Q:
    return Q(**{f"{prefix}start__lte": on}) & (
        Q(**{f"{prefix}end__isnull": True}) | Q(**{f"{prefix}end__gte": on})
    )


def visible_bodies(user):
    """Bodies the user may see, with their visible parent and their current size."""
    today = timezone.localdate()
    return (
        Body.objects.visible_to(user)
        .select_related("parent")
        .annotate(
            parent_visible=Exists(
                Body.objects.filter(pk=OuterRef("parent_id")).filter(visibility_q(user, Body))
            ),
            member_count=Count(
                "memberships", filter=_active_on("memberships__", today), distinct=True
            ),
        )
        .order_by("name")
    )


def body_members(body: Body) -> tuple[list[tuple[str, list[Membership]]], list[Membership]]:
    """Current members grouped by side (in the order of ``Side``), and former members."""
    memberships = list(
        body.memberships.select_related("person", "organisation").order_by(
            "role", "person__name", "start"
        )
    )
    today = timezone.localdate()
    current = [m for m in memberships if m.start <= today and (m.end is None or m.end >= today)]
    former = [m for m in memberships if m.end is not None and m.end < today]
    groups = []
    for side in Side:
        in_side = [m for m in current if m.side == side]
        if in_side:
            groups.append((side.label, in_side))
    return groups, former


def sub_bodies(body: Body, user):
    return body.children.visible_to(user).order_by("name")


def memberships_of_user(user) -> MembershipQuerySet:
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return (
        Membership.objects.filter(person__user=user)
        .filter(body__in=Body.objects.visible_to(user))
        .select_related("body", "organisation")
        .order_by("-start")
    )


def bodies_with_members(user):
    """Used by the dashboard: the user's bodies with their current members prefetched."""
    return visible_bodies(user).prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.active().select_related("person"),
            to_attr="current_memberships",
        )
    )
