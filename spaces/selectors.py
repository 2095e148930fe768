"""Reads of spaces and needs shared by the pages, the map, GeoJSON and CSV.

Owner details (organisation, kind, notes) have their own level,
``Space.owner_visibility``, which the reporter of a space passes too
(``rules.owner_visible_q``). Every space that leaves this module carries
``owner_visible`` and, where that is false, has its owner details blanked out in
memory, so no page, export or match can show them by mistake. Such a redacted
object refuses to be saved.
"""

from django.db.models import Exists, OuterRef
from django.db.models.query import ModelIterable
from django.http import Http404
from django.utils.translation import gettext as _

from bodies.access import visibility_q
from bodies.models import Decision

from .models import NeedStatus, OwnerKind, Space, SpaceNeed, SpaceStatusChange
from .rules import owner_visible_expression

OWNER_FIELDS = ("owner_organisation", "owner_kind", "owner_notes", "owner_visibility")


def redact_owner(space: Space) -> Space:
    """Blank out the owner details of ``space`` in memory (never saved)."""
    space.owner_organisation = None
    space.owner_kind = OwnerKind.UNKNOWN
    space.owner_notes = ""
    space._owner_redacted = True
    return space


class OwnerRedactingIterable(ModelIterable):
    def __iter__(self):
        for space in super().__iter__():
            if not space.owner_visible:
                redact_owner(space)
            yield space


def visible_spaces(user):
    """Spaces the user may see, with ``owner_visible`` and redacted owner details."""
    queryset = (
        Space.objects.visible_to(user)
        .select_related("district", "owner_organisation", "current_user_organisation")
        .annotate(owner_visible=owner_visible_expression(user))
        .order_by("name", "pk")
    )
    queryset._iterable_class = OwnerRedactingIterable
    return queryset


# What a map feature shows: plain rows, as model instances for the ~2,000 spaces of
# a district cost more than the rest of the GeoJSON response together.
MAP_FIELDS = (
    "pk",
    "name",
    "address",
    "postcode",
    "district__name",
    "kind",
    "status",
    "size_m2",
    "contested",
    "latitude",
    "longitude",
    "owner_visible",
    "owner_kind",
    "owner_organisation__name",
)


def map_rows(spaces):
    """The spaces of ``spaces`` (from :func:`visible_spaces`) that have coordinates, as
    dicts of ``MAP_FIELDS``, with the owner details blanked where they are hidden."""
    rows = spaces.filter(latitude__isnull=False, longitude__isnull=False).values(*MAP_FIELDS)
    for row in rows:
        if not row["owner_visible"]:
            row["owner_kind"] = OwnerKind.UNKNOWN
            row["owner_organisation__name"] = None
        yield row


def _get_or_404(queryset, **lookup):
    """Like ``get_visible_or_404`` for a queryset already limited to what the user sees."""
    try:
        return queryset.get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404(_("Not found.")) from exc


def space_for_page(user, pk: int) -> Space:
    """One space for its page (404 if the user may not see it)."""
    return _get_or_404(
        visible_spaces(user).select_related("body").prefetch_related("instruments"), pk=pk
    )


def space_for_change(user, pk: int) -> Space:
    """One space to edit, unredacted; the caller checks ``spaces.change_space``.

    The edit form leaves out the owner fields when ``owner_visible`` is false.
    """
    return _get_or_404(
        Space.objects.visible_to(user)
        .annotate(owner_visible=owner_visible_expression(user))
        .prefetch_related("instruments"),
        pk=pk,
    )


def status_history(space: Space, user) -> list[SpaceStatusChange]:
    """The space's timeline, oldest first; ``decision_visible`` per step."""
    return list(
        space.status_changes.select_related("changed_by", "decision__body")
        .annotate(
            decision_visible=Exists(
                Decision.objects.filter(pk=OuterRef("decision_id")).filter(
                    visibility_q(user, Decision)
                )
            )
        )
        .order_by("changed_at", "pk")
    )


def decisions_for_status_change(user):
    """Decisions a status change may rest on: those the user may see, newest first."""
    return (
        Decision.objects.visible_to(user)
        .select_related("body")
        .order_by("-decided_on", "-year", "-sequence")
    )


def visible_needs(user):
    return (
        SpaceNeed.objects.visible_to(user)
        .select_related("organisation")
        .prefetch_related("districts")
        .order_by("-created_at", "pk")
    )


def open_needs(user):
    return visible_needs(user).filter(status=NeedStatus.OPEN)


def need_for_page(user, pk: int) -> SpaceNeed:
    return _get_or_404(visible_needs(user).select_related("body"), pk=pk)
