"""Reads shared by the meetings pages, exports and dashboards."""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from .models import (
    OPEN_ACTION_STATUSES,
    OPEN_COMMITMENT_STATUSES,
    ActionItem,
    AgendaItem,
    Commitment,
    GuidingQuestion,
    Meeting,
    MeetingKind,
    MeetingStatus,
    MinuteEntry,
)


def visible_meetings(user):
    return Meeting.objects.visible_to(user).select_related("body", "series", "space")


@dataclass
class NumberedItem:
    number: str
    item: AgendaItem
    children: list["NumberedItem"] = field(default_factory=list)


def agenda(meeting: Meeting, user) -> list[NumberedItem]:
    """The agenda as the reader may see it, numbered 1, 2, 2.1 in that view.

    Items the reader may not see are left out before numbering, so a gap in the
    numbers never tells that something is hidden.
    """
    items = list(
        AgendaItem.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("presenter")
        .order_by("position", "pk")
    )
    by_parent: dict[int | None, list[AgendaItem]] = {}
    for item in items:
        by_parent.setdefault(item.parent_id, []).append(item)
    numbered = []
    for index, item in enumerate(by_parent.get(None, []), start=1):
        children = [
            NumberedItem(f"{index}.{sub}", child)
            for sub, child in enumerate(by_parent.get(item.pk, []), start=1)
        ]
        numbered.append(NumberedItem(str(index), item, children))
    return numbered


def guiding_questions(meeting: Meeting, user):
    return (
        GuidingQuestion.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("carried_from__meeting", "agenda_item")
        .order_by("position", "pk")
    )


def minute_entries(minutes, user):
    return (
        MinuteEntry.objects.visible_to(user)
        .filter(minutes=minutes)
        .select_related("speaker", "agenda_item", "corrects")
        .order_by("position", "pk")
    )


def open_action_items(body_id: int, user):
    """What the body still has to do, wherever it was handed out."""
    return (
        ActionItem.objects.visible_to(user)
        .filter(meeting__body_id=body_id, status__in=OPEN_ACTION_STATUSES)
        .select_related("assignee_person", "assignee_organisation", "meeting")
        .order_by("due", "pk")
    )


def commitments_due(body_id: int, user, by=None):
    """Open commitments made to the body, due by ``by`` (all open ones without it)."""
    commitments = (
        Commitment.objects.visible_to(user)
        .filter(meeting__body_id=body_id, status__in=OPEN_COMMITMENT_STATUSES)
        .select_related("person", "organisation", "meeting")
        .order_by("due", "pk")
    )
    if by is not None:
        commitments = commitments.filter(due__lte=by)
    return commitments


def next_jour_fixe(user, after):
    return (
        visible_meetings(user)
        .filter(kind=MeetingKind.JOUR_FIXE, start__gte=after)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("start")
        .first()
    )


def public_commitments():
    """The public tracker: public commitments of public meetings, by organisation."""
    from django.contrib.auth.models import AnonymousUser

    return (
        Commitment.objects.visible_to(AnonymousUser())
        .select_related("organisation", "person", "meeting")
        .prefetch_related(Prefetch("notes"))
        .order_by("organisation__name", "due", "pk")
    )
