"""Reads shared by the meetings pages, exports and dashboards."""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

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
    items = [entry.item for entry in numbered]
    items += [child.item for entry in numbered for child in entry.children]
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

    from aks.accounts import roles
    from bodies.models import Membership, Person

    members = Membership.objects.active().filter(body_id=meeting.body_id).values("person_id")
    condition = (
        Q(pk__in=members)
        | Q(attendances__meeting=meeting)
        | Q(user__groups__name__in=roles.STAFF, user__is_active=True)
    )
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
    from bodies.access import is_active_user, is_staff, led_body_ids
    from bodies.models import Body

    bodies = Body.objects.visible_to(user).order_by("name")
    if not is_active_user(user):
        return bodies.none()
    if user.is_superuser or is_staff(user):
        return bodies
    return bodies.filter(pk__in=led_body_ids(user))


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
