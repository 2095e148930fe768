"""Reads shared by the meetings pages, exports and dashboards."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bodies.access import Visibility, visible_expression
from bodies.models import MinutesApproval

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


# How a placeholder names the level of an item the reader may not see. Readers who
# are not signed in are told only that it is not public.
NOT_PUBLIC = _("not public")
HIDDEN_LEVEL_WORDS = {
    Visibility.MEMBERS: _("members of the body only"),
    Visibility.TEAM: _("confidential"),
    Visibility.ADMIN_INTERNAL: _("administration-internal"),
    Visibility.CIVIL_INTERNAL: _("civil-society-internal"),
}


@dataclass
class NumberedItem:
    """One line of the agenda: an item the reader sees, or (``item`` is None) the
    placeholder of one they may not see, which carries its number and the words for
    its level and nothing else (no title, no content, no sub-items, no primary key)."""

    number: str
    item: AgendaItem | None
    children: list["NumberedItem"] = field(default_factory=list)
    placeholder: str = ""

    @property
    def hidden(self) -> bool:
        return self.item is None


def agenda_numbers(rows) -> dict[int, str]:
    """``{pk: number}`` for the items of one meeting: 1, 2, 2.1, 2.2, 3.

    ``rows`` are ``(pk, parent_id)`` of every item of the meeting, whoever reads it,
    sorted by position: the numbers are the same for every reader, the one rule of
    the pages, the PDFs and OParl. Only items and their direct sub-items are numbered
    (the agenda nests one level deep).
    """
    by_parent: dict[int | None, list[int]] = {}
    for pk, parent_id in rows:
        by_parent.setdefault(parent_id, []).append(pk)
    numbers: dict[int, str] = {}
    for index, pk in enumerate(by_parent.get(None, []), start=1):
        numbers[pk] = str(index)
        for sub, child in enumerate(by_parent.get(pk, []), start=1):
            numbers[child] = f"{index}.{sub}"
    return numbers


def _placeholder_words(user, level: str) -> str:
    if not getattr(user, "is_authenticated", False):
        return str(NOT_PUBLIC)
    return str(HIDDEN_LEVEL_WORDS.get(level, NOT_PUBLIC))


def agenda(meeting: Meeting, user) -> list[NumberedItem]:
    """The agenda numbered over all its items, as every reader numbers it.

    An item the reader may not see stays in its place as a placeholder (its number and
    level); its sub-items are inside it and not listed. One query.
    """
    items = list(
        AgendaItem.objects.filter(meeting=meeting)
        .annotate(reader_sees=visible_expression(user, AgendaItem))
        .select_related("presenter")
        .order_by("position", "pk")
    )
    numbers = agenda_numbers((item.pk, item.parent_id) for item in items)

    def entry(item: AgendaItem, children=()) -> NumberedItem:
        number = numbers[item.pk]
        if not item.reader_sees:
            return NumberedItem(number, None, placeholder=_placeholder_words(user, item.visibility))
        return NumberedItem(number, item, list(children))

    by_parent: dict[int | None, list[AgendaItem]] = {}
    for item in items:
        by_parent.setdefault(item.parent_id, []).append(item)
    return [
        entry(item, [entry(child) for child in by_parent.get(item.pk, [])])
        for item in by_parent.get(None, [])
    ]


def shown_items(numbered: list[NumberedItem]) -> list[AgendaItem]:
    """The items the reader sees, in agenda order (placeholders left out)."""
    items = []
    for entry in numbered:
        if entry.item is not None:
            items.append(entry.item)
            items += [child.item for child in entry.children if child.item is not None]
    return items


def guiding_questions(meeting: Meeting, user):
    return (
        GuidingQuestion.objects.visible_to(user)
        .filter(meeting=meeting)
        .select_related("carried_from__meeting", "agenda_item")
        .order_by("position", "pk")
    )


def minute_entries(minutes, user) -> list[MinuteEntry]:
    """The entries the reader may see. An entry filed under an agenda item the reader
    may not see is shown without that item, so its title never leaks."""
    entries = list(
        MinuteEntry.objects.visible_to(user)
        .filter(minutes=minutes)
        .select_related("speaker", "agenda_item", "corrects")
        .annotate(
            agenda_item_visible=Exists(
                AgendaItem.objects.visible_to(user).filter(pk=OuterRef("agenda_item_id"))
            )
        )
        .order_by("position", "pk")
    )
    for entry in entries:
        if entry.agenda_item_id and not entry.agenda_item_visible:
            entry.agenda_item = None
    return entries


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


def belongs_to_meeting(user):
    """A filter on meetings: the user is a running member of the meeting's body, on its
    attendance list, or one of its standing participants (asked only for signed-in users)."""
    from bodies.models import Membership

    from .models import Attendance

    return (
        Exists(Membership.objects.active().filter(person__user=user, body_id=OuterRef("body_id")))
        | Exists(Attendance.objects.filter(person__user=user, meeting_id=OuterRef("pk")))
        | Exists(
            Meeting.participants.through.objects.filter(
                person__user=user, meeting_id=OuterRef("pk")
            )
        )
    )


def personal_meetings(user):
    """The meetings the user belongs to (see :func:`belongs_to_meeting`), as far as they
    may see them: the personal calendar feed and the dashboard's own meetings."""
    return Meeting.objects.visible_to(user).filter(belongs_to_meeting(user))


def next_jour_fixe(user, after):
    """The next Jour-Fixe the user may see, their own (as member or participant) first."""
    return (
        visible_meetings(user)
        .filter(kind=MeetingKind.JOUR_FIXE, start__gte=after)
        .exclude(status=MeetingStatus.CANCELLED)
        .annotate(is_mine=belongs_to_meeting(user))
        .order_by("-is_mine", "start")
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


def visible_action_items(user):
    return (
        ActionItem.objects.visible_to(user)
        .select_related("assignee_person", "assignee_organisation", "meeting__body")
        .order_by("due", "pk")
    )


def visible_commitments(user):
    return (
        Commitment.objects.visible_to(user)
        .select_related("person", "organisation", "meeting__body")
        .order_by("due", "pk")
    )


# --- Meeting pages ---------------------------------------------------------------------


def agenda_with_links(meeting: Meeting, user) -> list[NumberedItem]:
    """:func:`agenda`, each item carrying only the polls, decisions, spaces and
    workstreams the reader may see (``visible_polls`` …), in four queries in all."""
    from django.db.models import prefetch_related_objects

    from bodies.models import Decision, Poll, Workstream
    from spaces.models import Space

    numbered = agenda(meeting, user)
    items = shown_items(numbered)
    prefetch_related_objects(
        items,
        Prefetch("polls", Poll.objects.visible_to(user).order_by("pk"), to_attr="visible_polls"),
        Prefetch(
            "decisions",
            Decision.objects.visible_to(user).select_related("body").order_by("pk"),
            to_attr="visible_decisions",
        ),
        Prefetch("spaces", Space.objects.visible_to(user).order_by("pk"), to_attr="visible_spaces"),
        Prefetch(
            "workstreams",
            Workstream.objects.visible_to(user).order_by("pk"),
            to_attr="visible_workstreams",
        ),
    )
    return numbered


def rolled_forward(meeting: Meeting, user):
    """What the standing item lists: open action items and commitments due by the meeting.

    Only those handed out at this meeting of the body or an earlier one.
    """
    from django.utils import timezone

    day = timezone.localtime(meeting.start).date()
    actions = open_action_items(meeting.body_id, user).filter(meeting__start__lte=meeting.start)
    commitments = commitments_due(meeting.body_id, user, by=day).filter(
        meeting__start__lte=meeting.start
    )
    return list(actions), list(commitments)


def attendance_summary(meeting: Meeting) -> list[tuple[str, int]]:
    """(status label, count) for every status that occurs, in the order of the choices."""
    from django.db.models import Count

    from .models import Attendance, AttendanceStatus

    counts = dict(
        Attendance.objects.filter(meeting=meeting)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [(label, counts[value]) for value, label in AttendanceStatus.choices if value in counts]


def presenter_choices(meeting, *, keep_id: int | None = None):
    """Who may present an item: the body's current members, whoever is on the
    meeting's attendance list, people with a staff account, and the present choice.
    Not every person of the district: that list grows into thousands of options."""
    from django.db.models import Q

    from bodies.access import staff_account_q
    from bodies.models import Membership, Person

    members = Membership.objects.active().filter(body_id=meeting.body_id).values("person_id")
    condition = Q(pk__in=members) | Q(attendances__meeting=meeting) | staff_account_q("user")
    if keep_id:
        condition |= Q(pk=keep_id)
    return Person.objects.filter(condition).distinct().order_by("name")


def agenda_link_choices(*, meeting: Meeting, user) -> dict:
    """What ``user`` may link to an item of ``meeting``: objects the user sees, and for
    polls, decisions and workstreams only those of the meeting's body."""
    from django.db.models import Q

    from bodies.models import Decision, Poll, Workstream
    from spaces.models import Space

    return {
        "polls": Poll.objects.visible_to(user).filter(body_id=meeting.body_id).order_by("title"),
        "decisions": Decision.objects.visible_to(user)
        .filter(body_id=meeting.body_id)
        .select_related("body")
        .order_by("-decided_on", "-pk"),
        "spaces": Space.objects.visible_to(user).order_by("name", "pk"),
        "workstreams": Workstream.objects.visible_to(user)
        .filter(
            Q(lead_body_id=meeting.body_id)
            | Q(
                pk__in=Workstream.bodies.through.objects.filter(body_id=meeting.body_id).values(
                    "workstream_id"
                )
            )
        )
        .order_by("number"),
    }


def planning_bodies(*, user):
    """The bodies whose meetings ``user`` may plan (the rule ``meetings.add_meeting``
    for a whole list), in one query."""
    from bodies.access import has_staff_rights, is_active_user, led_body_ids
    from bodies.models import Body

    bodies = Body.objects.visible_to(user).order_by("name")
    if not is_active_user(user):
        return bodies.none()
    if has_staff_rights(user):
        return bodies
    return bodies.filter(pk__in=led_body_ids(user))


def agenda_reviews(meeting: Meeting) -> list:
    """The reviews of the meeting's agenda (the councillor's sign-off or comment)."""
    from .models import AgendaReview

    return list(
        AgendaReview.objects.filter(meeting=meeting).select_related("reviewer").order_by("at", "pk")
    )


# --- Approval of minutes ------------------------------------------------------------------


class ApprovalPath:
    DECISION = "decision"
    CHAIR = "chair"


def approval_paths_of(body) -> frozenset[str]:
    """The ways ``body`` approves minutes: a decision of a later meeting, the chair, or both."""
    if body.minutes_approval == MinutesApproval.DECISION:
        return frozenset({ApprovalPath.DECISION})
    if body.minutes_approval == MinutesApproval.CHAIR:
        return frozenset({ApprovalPath.CHAIR})
    return frozenset({ApprovalPath.DECISION, ApprovalPath.CHAIR})


@dataclass(frozen=True)
class ApprovalOption:
    path: str
    label: str
    open: bool
    reason: str


def approval_options(*, minutes, has_decisions: bool) -> list[ApprovalOption]:
    """Each way to approve ``minutes``, whether it is open now and why (or why not): the
    minutes page explains what the service (``services.approve_minutes``) enforces."""
    meeting = minutes.meeting
    allowed = approval_paths_of(meeting.body)
    held = meeting.start <= timezone.now()
    not_held = _("The meeting has not taken place yet; its minutes can be approved afterwards.")
    if not held:
        decision = (False, not_held)
    elif ApprovalPath.DECISION not in allowed:
        decision = (False, _("This body approves its minutes by the chair, not by a decision."))
    elif not has_decisions:
        decision = (False, _("No decision of a later meeting of this body has been recorded yet."))
    else:
        decision = (True, _("A decision of a later meeting of this body approves the minutes."))
    if not held:
        chair = (False, not_held)
    elif ApprovalPath.CHAIR not in allowed:
        chair = (
            False,
            _("This body approves its minutes by a decision of a later meeting, not by the chair."),
        )
    else:
        chair = (
            True,
            _("Whoever runs the meeting for the body approves the minutes in the chair's name."),
        )
    return [
        ApprovalOption(ApprovalPath.DECISION, str(MinutesApproval.DECISION.label), *decision),
        ApprovalOption(ApprovalPath.CHAIR, str(MinutesApproval.CHAIR.label), *chair),
    ]
