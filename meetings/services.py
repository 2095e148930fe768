"""Writes of the meetings app: series, agendas, guiding questions, minutes."""

import calendar
import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from bodies.access import never_more_open
from bodies.models import Decision, Person

from . import importer, notifications, selectors
from .models import (
    AgendaItem,
    GuidingQuestion,
    GuidingQuestionStatus,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MeetingStatus,
    MinuteEntry,
    Minutes,
    MinuteSection,
    MinutesStatus,
    Recurrence,
)
from .selectors import ApprovalPath


class MeetingError(ValidationError):
    """A change the rules of meetings and minutes do not allow; the message is for people."""


def _ensure(condition: bool, message) -> None:
    if not condition:
        raise MeetingError(message)


# --- Series ------------------------------------------------------------------------


def nth_weekday(year: int, month: int, weekday: int, n: int) -> datetime.date | None:
    """The n-th (1…4, or -1 for the last) ``weekday`` of a month."""
    days = [
        datetime.date(year, month, day)
        for day in range(1, calendar.monthrange(year, month)[1] + 1)
        if datetime.date(year, month, day).weekday() == weekday
    ]
    if n == -1:
        return days[-1]
    return days[n - 1] if 0 < n <= len(days) else None


def series_dates(series: MeetingSeries, first: datetime.date, last: datetime.date):
    """The dates of the series between ``first`` and ``last`` (both included)."""
    first = max(first, series.starts_on)
    if series.until:
        last = min(last, series.until)
    if series.recurrence == Recurrence.WEEKLY:
        day = first + datetime.timedelta(days=(series.weekday - first.weekday()) % 7)
        while day <= last:
            yield day
            day += datetime.timedelta(days=7)
        return
    year, month = first.year, first.month
    while datetime.date(year, month, 1) <= last:
        day = nth_weekday(year, month, series.weekday, series.week_of_month)
        if day and first <= day <= last:
            yield day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


STANDING_ITEM_TITLE = "Offene Aufgaben und fällige Zusagen"


@transaction.atomic
def generate_meetings(*, series: MeetingSeries, until: datetime.date) -> list[Meeting]:
    """Create the series' meetings up to ``until`` that do not exist yet (idempotent)."""
    tz = timezone.get_current_timezone()
    existing = set(series.meetings.values_list("start", flat=True))
    participants = list(series.participants.all())
    created = []
    for day in series_dates(series, series.starts_on, until):
        start = datetime.datetime.combine(day, series.start_time, tzinfo=tz)
        if start in existing:
            continue
        meeting = Meeting.objects.create(
            body=series.body,
            series=series,
            kind=series.kind,
            title=series.title,
            start=start,
            end=start + series.duration,
            place=series.place,
            online_url=series.online_url,
            visibility=series.visibility,
        )
        if meeting.kind == MeetingKind.JOUR_FIXE:
            add_standing_item(meeting=meeting)
        if participants:
            set_meeting_participants(meeting=meeting, participants=participants)
        created.append(meeting)
    return created


# --- Standing participants -------------------------------------------------------------

# Meetings whose participants still change with their series: the ones still ahead.
_OPEN_STATUSES = (MeetingStatus.PLANNED, MeetingStatus.INVITED)


@transaction.atomic
def set_meeting_participants(*, meeting: Meeting, participants: Iterable[Person]) -> Meeting:
    """Make ``participants`` the meeting's standing participants.

    A meeting still ahead puts the new ones on its attendance list (as invited, so they
    are listed there and reminded), and if the invitations are out already, they get
    theirs now. Those taken off lose their place on the list as long as nobody was
    invited yet; after that the list keeps what was sent."""
    from .models import Attendance, AttendanceStatus

    # Locked and read again: the status decides below, and the caller's copy may be old.
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    wanted = {person.pk for person in participants}
    before = set(meeting.participants.values_list("pk", flat=True))
    meeting.participants.set(wanted)
    if meeting.status not in _OPEN_STATUSES:
        return meeting
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, person_id=pk) for pk in sorted(wanted - before)],
        ignore_conflicts=True,
    )
    if meeting.status == MeetingStatus.PLANNED:
        Attendance.objects.filter(
            meeting=meeting, person_id__in=before - wanted, status=AttendanceStatus.INVITED
        ).delete()
    elif wanted - before:
        # Mail already queued for the others is not queued twice (see notifications).
        notifications.invite(meeting=meeting)
    return meeting


@transaction.atomic
def set_series_participants(*, series: MeetingSeries, participants: Iterable[Person]) -> int:
    """Make ``participants`` the series' standing participants, and add (or take off)
    the change on its meetings still ahead; earlier meetings keep who took part.

    Returns how many meetings were changed."""
    series = MeetingSeries.objects.select_for_update().get(pk=series.pk)
    wanted = {person.pk for person in participants}
    before = set(series.participants.values_list("pk", flat=True))
    series.participants.set(wanted)
    added, removed = wanted - before, before - wanted
    if not added and not removed:
        return 0
    ahead = list(
        series.meetings.filter(start__gte=timezone.now(), status__in=_OPEN_STATUSES)
        .select_for_update()
        .prefetch_related("participants")
    )
    current = {meeting.pk: {p.pk for p in meeting.participants.all()} for meeting in ahead}
    needed = set().union(added, *current.values())
    people = Person.objects.in_bulk(needed)
    for meeting in ahead:
        keep = (current[meeting.pk] | added) - removed
        set_meeting_participants(meeting=meeting, participants=[people[pk] for pk in keep])
    return len(ahead)


@transaction.atomic
def end_series(*, series: MeetingSeries, on: datetime.date) -> int:
    """End the series after ``on``: later meetings that have not been held are cancelled
    (which also stops their reminders). Returns how many were cancelled."""
    _ensure(on >= series.starts_on, _("A series cannot end before its first date."))
    series.until = on
    series.save(update_fields=["until"])
    cutoff = datetime.datetime.combine(
        on + datetime.timedelta(days=1), datetime.time.min, tzinfo=timezone.get_current_timezone()
    )
    later = series.meetings.filter(
        start__gte=cutoff, status__in=[MeetingStatus.PLANNED, MeetingStatus.INVITED]
    )
    invited = list(later.filter(status=MeetingStatus.INVITED))
    cancelled = later.update(status=MeetingStatus.CANCELLED)
    for meeting in invited:
        meeting.status = MeetingStatus.CANCELLED
        notifications.cancel(meeting=meeting)
    return cancelled


# --- Meeting status ------------------------------------------------------------------

# From each status, where a meeting may go next. A held or cancelled meeting stays so:
# minutes, attendance and the calendar's CANCELLED entry rest on it.
MEETING_TRANSITIONS = {
    MeetingStatus.PLANNED: {MeetingStatus.INVITED, MeetingStatus.HELD, MeetingStatus.CANCELLED},
    MeetingStatus.INVITED: {MeetingStatus.HELD, MeetingStatus.CANCELLED},
    MeetingStatus.HELD: set(),
    MeetingStatus.CANCELLED: set(),
}


@transaction.atomic
def change_meeting_status(*, meeting: Meeting, status: str, by=None) -> Meeting:
    """Move a meeting to ``status``; inviting queues the invitations, cancelling tells
    the invited, both in the same transaction (see meetings.notifications)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _ensure(status in MeetingStatus.values, _("Unknown status."))
    _ensure(
        status in MEETING_TRANSITIONS[meeting.status],
        _("A meeting cannot go from “%(old)s” to “%(new)s”.")
        % {"old": meeting.get_status_display(), "new": MeetingStatus(status).label},
    )
    _ensure(
        status != MeetingStatus.HELD or meeting.start <= timezone.now(),
        _("A meeting that has not begun yet cannot be marked as held."),
    )
    was_invited = meeting.status == MeetingStatus.INVITED
    meeting.status = status
    meeting.save(update_fields=["status"])
    if status == MeetingStatus.INVITED:
        notifications.invite(meeting=meeting)
    elif status == MeetingStatus.CANCELLED and was_invited:
        notifications.cancel(meeting=meeting)
    return meeting


# --- Agenda ------------------------------------------------------------------------


def add_standing_item(*, meeting: Meeting) -> AgendaItem:
    """The item under which open action items and commitments due roll forward."""
    item, _created = AgendaItem.objects.get_or_create(
        meeting=meeting,
        standing=True,
        defaults={"title": STANDING_ITEM_TITLE, "position": 0, "visibility": meeting.visibility},
    )
    return item


@transaction.atomic
def add_agenda_item(
    *,
    meeting: Meeting,
    title: str,
    parent: AgendaItem | None = None,
    description: str = "",
    visibility: str | None = None,
    duration_minutes: int | None = None,
    presenter=None,
) -> AgendaItem:
    """Append an item (or a sub-item under ``parent``) at the end of its level."""
    _ensure(
        parent is None or parent.meeting_id == meeting.pk,
        _("The parent item belongs to another meeting."),
    )
    _ensure(
        parent is None or parent.parent_id is None,
        _("Agenda items can be nested one level deep (2.1, not 2.1.1)."),
    )
    last = AgendaItem.objects.filter(meeting=meeting, parent=parent).aggregate(Max("position"))[
        "position__max"
    ]
    item = AgendaItem(
        meeting=meeting,
        parent=parent,
        title=title,
        description=description,
        visibility=visibility or meeting.visibility,
        duration_minutes=duration_minutes,
        presenter=presenter,
        position=(last if last is not None else -1) + 1,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def move_agenda_item(*, item: AgendaItem, offset: int) -> None:
    """Move an item up (negative) or down (positive) among its siblings."""
    siblings = list(
        AgendaItem.objects.select_for_update()
        .filter(meeting_id=item.meeting_id, parent_id=item.parent_id)
        .order_by("position", "pk")
    )
    index = next(i for i, sibling in enumerate(siblings) if sibling.pk == item.pk)
    target = max(0, min(len(siblings) - 1, index + offset))
    siblings.insert(target, siblings.pop(index))
    for position, sibling in enumerate(siblings):
        sibling.position = position
    AgendaItem.objects.bulk_update(siblings, ["position"])


# --- Guiding questions ---------------------------------------------------------------


def next_meeting_of_body(meeting: Meeting) -> Meeting | None:
    return (
        Meeting.objects.filter(body_id=meeting.body_id, start__gt=meeting.start)
        .exclude(status=MeetingStatus.CANCELLED)
        .order_by("start")
        .first()
    )


@transaction.atomic
def carry_over_questions(*, meeting: Meeting) -> list[GuidingQuestion]:
    """Open guiding questions move to the body's next meeting, keeping their history."""
    target = next_meeting_of_body(meeting)
    _ensure(target is not None, _("There is no later meeting of this body to carry over to."))
    carried = []
    for question in meeting.guiding_questions.filter(status=GuidingQuestionStatus.OPEN):
        carried.append(
            GuidingQuestion.objects.create(
                meeting=target,
                text=question.text,
                carried_from=question,
                position=question.position,
                visibility=question.visibility,
            )
        )
        question.status = GuidingQuestionStatus.CARRIED_OVER
        question.save(update_fields=["status"])
    return carried


# --- Minutes ---------------------------------------------------------------------------


def minutes_for(meeting: Meeting) -> Minutes:
    minutes, _created = Minutes.objects.get_or_create(
        meeting=meeting, defaults={"visibility": meeting.visibility}
    )
    return minutes


@transaction.atomic
def start_minutes(*, meeting: Meeting) -> Minutes:
    """Start the minutes of a meeting that has been held; they take its visibility.

    Minutes record what happened, so a meeting still planned, invited or cancelled has
    none to start (recommendations collected while an event runs go through
    :func:`add_recommendation` instead)."""
    _ensure(
        meeting.status == MeetingStatus.HELD,
        _("Minutes can only be started once the meeting has been held."),
    )
    return minutes_for(meeting)


@transaction.atomic
def add_recommendation(*, meeting: Meeting, level: str, text: str) -> MinuteEntry:
    """A recommendation collected while an event runs, into its minutes (started now if
    there are none yet, in the same transaction)."""
    return add_entry(
        minutes=minutes_for(meeting),
        section=MinuteSection.RECOMMENDATION,
        level=level,
        text=text,
    )


def _locked_minutes(minutes: Minutes) -> Minutes:
    # Only the minutes' row is locked; the meeting and its body come along to be read.
    return (
        Minutes.objects.select_for_update(of=("self",))
        .select_related("meeting__body")
        .get(pk=minutes.pk)
    )


@transaction.atomic
def add_entry(
    *,
    minutes: Minutes,
    section: str,
    text: str,
    agenda_item: AgendaItem | None = None,
    speaker=None,
    level: str = "",
    visibility: str | None = None,
    corrects: MinuteEntry | None = None,
) -> MinuteEntry:
    """Add an entry. Approved minutes only take corrections: new, dated entries."""
    minutes = _locked_minutes(minutes)
    if minutes.is_locked:
        _ensure(
            corrects is not None,
            _("These minutes are approved and can no longer be changed; add a correction."),
        )
    last = minutes.entries.aggregate(Max("position"))["position__max"]
    entry = MinuteEntry(
        minutes=minutes,
        section=section,
        text=text,
        agenda_item=agenda_item,
        speaker=speaker,
        level=level,
        visibility=visibility or minutes.visibility,
        corrects=corrects,
        position=(last if last is not None else -1) + 1,
    )
    entry.full_clean()
    entry.save()
    return entry


@transaction.atomic
def change_entry(*, entry: MinuteEntry, text: str) -> MinuteEntry:
    minutes = _locked_minutes(entry.minutes)
    _ensure(
        not minutes.is_locked,
        _("These minutes are approved and can no longer be changed; add a correction."),
    )
    entry.text = text
    entry.full_clean()
    entry.save(update_fields=["text"])
    return entry


@transaction.atomic
def circulate_minutes(*, minutes: Minutes) -> Minutes:
    minutes = _locked_minutes(minutes)
    _ensure(minutes.status == MinutesStatus.DRAFT, _("Only draft minutes can be circulated."))
    _ensure(minutes.entries.exists(), _("Minutes without entries cannot be circulated."))
    minutes.status = MinutesStatus.CIRCULATED
    minutes.circulated_at = timezone.now()
    minutes.save(update_fields=["status", "circulated_at"])
    notifications.minutes_circulated(minutes=minutes)
    return minutes


@transaction.atomic
def approve_minutes(*, minutes: Minutes, decision: Decision | None = None, chair=None) -> Minutes:
    """Approval is a decision of a later meeting of the same body, or the chair's
    (given by whoever runs the meeting for the body), whichever the body allows."""
    minutes = _locked_minutes(minutes)
    _ensure(
        minutes.status == MinutesStatus.CIRCULATED,
        _("Only circulated minutes can be approved."),
    )
    _ensure(
        (decision is None) != (chair is None),
        _("Minutes are approved either by a decision or by the chair."),
    )
    _ensure(
        minutes.meeting.start <= timezone.now(),
        _("Minutes cannot be approved before their meeting has taken place."),
    )
    paths = selectors.approval_paths_of(minutes.meeting.body)
    if decision is not None:
        _ensure(
            ApprovalPath.DECISION in paths,
            _("This body approves its minutes by the chair, not by a decision."),
        )
    else:
        _ensure(
            ApprovalPath.CHAIR in paths,
            _("This body approves its minutes by a decision of a later meeting, not by the chair."),
        )
    if decision is not None:
        _ensure(
            decision.body_id == minutes.meeting.body_id,
            _("The approving decision must be one of the same body."),
        )
        _ensure(
            decision.decided_on > timezone.localdate(minutes.meeting.start),
            _("Minutes are approved at a later meeting."),
        )
        minutes.approval = decision
    else:
        minutes.approved_by_chair = chair
    minutes.status = MinutesStatus.APPROVED
    minutes.approved_at = timezone.now()
    minutes.save(update_fields=["status", "approval", "approved_by_chair", "approved_at"])
    return minutes


@transaction.atomic
def publish_minutes(*, minutes: Minutes) -> Minutes:
    minutes = _locked_minutes(minutes)
    _ensure(minutes.status == MinutesStatus.APPROVED, _("Only approved minutes can be published."))
    minutes.status = MinutesStatus.PUBLISHED
    minutes.published_at = timezone.now()
    minutes.save(update_fields=["status", "published_at"])
    return minutes


# --- Import of the legacy pipe format --------------------------------------------------


@dataclass
class ImportReport:
    entries: int = 0
    guiding_questions: int = 0
    duplicates: list[tuple[int, int]] = field(default_factory=list)
    unknown_sections: list[tuple[int, str]] = field(default_factory=list)
    continuations: list[int] = field(default_factory=list)


@transaction.atomic
def import_minutes(*, meeting: Meeting, content: str) -> ImportReport:
    """Import a pipe-format file into the meeting's minutes: all of it or nothing."""
    parsed = importer.parse(content)
    minutes = _locked_minutes(minutes_for(meeting))
    _ensure(
        not minutes.is_locked,
        _("These minutes are approved and can no longer be changed; add a correction."),
    )
    start = (minutes.entries.aggregate(Max("position"))["position__max"] or -1) + 1
    question_start = (
        meeting.guiding_questions.aggregate(Max("position"))["position__max"] or -1
    ) + 1
    entries, questions = [], []
    for offset, parsed_entry in enumerate(parsed.entries):
        entries.append(
            MinuteEntry(
                minutes=minutes,
                section=parsed_entry.section,
                text=parsed_entry.text,
                position=start + offset,
                visibility=minutes.visibility,
            )
        )
        if parsed_entry.section == MinuteSection.GUIDING_QUESTION:
            questions.append(
                GuidingQuestion(
                    meeting=meeting,
                    text=parsed_entry.text,
                    position=question_start + len(questions),
                    visibility=meeting.visibility,
                )
            )
    # One by one rather than bulk_create, so that the history records every entry.
    for entry in entries:
        entry.save()
    GuidingQuestion.objects.bulk_create(questions)
    return ImportReport(
        entries=len(entries),
        guiding_questions=len(questions),
        duplicates=parsed.duplicates,
        unknown_sections=parsed.unknown_sections,
        continuations=[line for e in parsed.entries for line in e.continued_on],
    )


# --- The councillor's review of the Jour-Fixe agenda -----------------------------------


@transaction.atomic
def review_agenda(*, meeting: Meeting, reviewer, reviewed: bool, comment: str = ""):
    """Record the councillor's sign-off or comment; one review per person and meeting."""
    from .models import AgendaReview

    _ensure(
        meeting.kind == MeetingKind.JOUR_FIXE,
        _("Only the agenda of a Jour-Fixe is reviewed by the councillor."),
    )
    _ensure(
        reviewed or comment.strip(),
        _("Please mark the agenda as reviewed or write a comment."),
    )
    # The comment comes straight from the request; PostgreSQL refuses NUL in text.
    _ensure("\x00" not in comment, _("Null characters are not allowed."))
    review, _created = AgendaReview.objects.update_or_create(
        meeting=meeting,
        reviewer=reviewer,
        defaults={"reviewed": reviewed, "comment": comment.strip()},
    )
    return review


# --- Action items and commitments ------------------------------------------------------


@transaction.atomic
def add_action_item(
    *,
    meeting: Meeting,
    title: str,
    agenda_item: AgendaItem | None = None,
    assignee_person=None,
    assignee_organisation=None,
    due: datetime.date | None = None,
    visibility: str | None = None,
):
    from .models import ActionItem

    _ensure(
        agenda_item is None or agenda_item.meeting_id == meeting.pk,
        _("The agenda item belongs to another meeting."),
    )
    item = ActionItem(
        meeting=meeting,
        agenda_item=agenda_item,
        title=title,
        assignee_person=assignee_person,
        assignee_organisation=assignee_organisation,
        due=due,
        visibility=visibility or meeting.visibility,
    )
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def set_action_item_status(*, item, status: str):
    from .models import ActionItemStatus

    _ensure(status in ActionItemStatus.values, _("Unknown status."))
    item.status = status
    item.save(update_fields=["status"])
    return item


@transaction.atomic
def add_commitment(
    *,
    meeting: Meeting,
    organisation,
    what: str,
    person=None,
    due: datetime.date | None = None,
    visibility: str | None = None,
):
    from .models import Commitment

    _ensure(bool(what and what.strip()), _("Please say what was promised."))
    commitment = Commitment(
        meeting=meeting,
        organisation=organisation,
        person=person,
        what=what.strip(),
        due=due,
        visibility=visibility or meeting.visibility,
    )
    commitment.full_clean()
    commitment.save()
    return commitment


@transaction.atomic
def add_commitment_note(*, commitment, text: str, author=None, on: datetime.date | None = None):
    from .models import CommitmentNote

    _ensure(bool(text and text.strip()), _("A progress note needs a text."))
    return CommitmentNote.objects.create(
        commitment=commitment,
        text=text.strip(),
        author=author,
        on=on or timezone.localdate(),
    )


@transaction.atomic
def set_commitment_status(*, commitment, status: str, note: str = "", author=None):
    """Change the status and, if given, record a dated note about it — both or neither."""
    from .models import Commitment, CommitmentStatus

    _ensure(status in CommitmentStatus.values, _("Unknown status."))
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    commitment.status = status
    commitment.save(update_fields=["status"])
    if note and note.strip():
        add_commitment_note(commitment=commitment, text=note, author=author)
    return commitment


# --- Attendance ------------------------------------------------------------------------


@transaction.atomic
def record_attendance(
    *, meeting: Meeting, statuses: dict[int, str], add_person=None, add_status: str = ""
) -> int:
    """Set the status of the listed attendances (by primary key) and, if given, add a person.

    Returns the number of rows changed or added.
    """
    from .models import Attendance, AttendanceStatus

    _ensure(
        all(status in AttendanceStatus.values for status in statuses.values()),
        _("Unknown status."),
    )
    changed = 0
    rows = list(
        Attendance.objects.select_for_update().filter(meeting=meeting, pk__in=list(statuses))
    )
    _ensure(len(rows) == len(statuses), _("The attendance list has changed; please reload."))
    for row in rows:
        if row.status != statuses[row.pk]:
            row.status = statuses[row.pk]
            changed += 1
    Attendance.objects.bulk_update(rows, ["status"])
    if add_person is not None:
        _ensure(
            not Attendance.objects.filter(meeting=meeting, person=add_person).exists(),
            _("This person is already on the attendance list."),
        )
        Attendance.objects.create(
            meeting=meeting, person=add_person, status=add_status or AttendanceStatus.ATTENDED
        )
        changed += 1
    return changed


# --- Planning --------------------------------------------------------------------------

# How far ahead a new series is generated. Later meetings follow when the series is
# generated again (``generate_meetings`` is idempotent).
SERIES_HORIZON = datetime.timedelta(days=365)


def series_horizon(*, series: MeetingSeries, today: datetime.date | None = None) -> datetime.date:
    """The last day up to which a new series is generated: a year past its first date
    or today, whichever is later, and never past its end."""
    base = max(series.starts_on, today or timezone.localdate())
    last = base + SERIES_HORIZON
    return min(last, series.until) if series.until else last


@transaction.atomic
def create_series(
    *,
    body,
    title: str,
    kind: str,
    recurrence: str,
    weekday: int,
    start_time: datetime.time,
    duration: datetime.timedelta,
    starts_on: datetime.date,
    week_of_month: int | None = None,
    until: datetime.date | None = None,
    place: str = "",
    online_url: str = "",
    visibility: str = "public",
    participants: Iterable[Person] = (),
) -> tuple[MeetingSeries, list[Meeting]]:
    """Create a series and generate its meetings ahead (see :func:`series_horizon`)."""
    # Checked here with messages for people; the model's constraints only say "violated".
    _ensure(
        recurrence != Recurrence.MONTHLY or week_of_month in (1, 2, 3, 4, -1),
        _("A monthly series needs the week of the month."),
    )
    _ensure(until is None or until >= starts_on, _("A series cannot end before its first date."))
    _ensure(duration > datetime.timedelta(0), _("A meeting needs a duration."))
    series = MeetingSeries(
        body=body,
        title=title,
        kind=kind,
        recurrence=recurrence,
        weekday=weekday,
        # A weekly series has no week of the month; keeping one would only mislead.
        week_of_month=week_of_month if recurrence == Recurrence.MONTHLY else None,
        start_time=start_time,
        duration=duration,
        place=place,
        online_url=online_url,
        starts_on=starts_on,
        until=until,
        visibility=visibility,
    )
    series.full_clean()
    series.save()
    series.participants.set(participants)
    return series, generate_meetings(series=series, until=series_horizon(series=series))


@transaction.atomic
def create_meeting(
    *,
    body,
    title: str,
    kind: str,
    start: datetime.datetime,
    end: datetime.datetime,
    place: str = "",
    space=None,
    online_url: str = "",
    visibility: str = "public",
    moderator=None,
    minute_taker=None,
    description: str = "",
    participants: Iterable[Person] = (),
) -> Meeting:
    """A single meeting outside any series; a Jour-Fixe gets its standing item."""
    _ensure(end >= start, _("A meeting cannot end before it starts."))
    meeting = Meeting(
        body=body,
        title=title,
        kind=kind,
        start=start,
        end=end,
        place=place,
        space=space,
        online_url=online_url,
        visibility=visibility,
        moderator=moderator,
        minute_taker=minute_taker,
        description=description,
    )
    meeting.full_clean()
    meeting.save()
    if meeting.kind == MeetingKind.JOUR_FIXE:
        add_standing_item(meeting=meeting)
    set_meeting_participants(meeting=meeting, participants=participants)
    return meeting


MEETING_EDIT_FIELDS = (
    "title",
    "kind",
    "start",
    "end",
    "place",
    "space",
    "online_url",
    "visibility",
    "moderator",
    "minute_taker",
    "description",
)


@transaction.atomic
def update_meeting(
    *,
    meeting: Meeting,
    title: str,
    kind: str,
    start: datetime.datetime,
    end: datetime.datetime,
    place: str = "",
    space=None,
    online_url: str = "",
    visibility: str = "public",
    moderator=None,
    minute_taker=None,
    description: str = "",
    participants: Iterable[Person] | None = None,
) -> Meeting:
    """Change what was planned. The status is left alone (see :func:`change_meeting_status`);
    agenda items more open than the meeting's new level are restricted to it;
    ``participants`` None leaves the standing participants as they are."""
    _ensure(end >= start, _("A meeting cannot end before it starts."))
    # Locked, and saved with ``update_fields``, so a status change at the same time survives.
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    values = {
        "title": title,
        "kind": kind,
        "start": start,
        "end": end,
        "place": place,
        "space": space,
        "online_url": online_url,
        "visibility": visibility,
        "moderator": moderator,
        "minute_taker": minute_taker,
        "description": description,
    }
    for name, value in values.items():
        setattr(meeting, name, value)
    meeting.full_clean()
    meeting.save(update_fields=list(MEETING_EDIT_FIELDS))
    too_open = [
        item
        for item in AgendaItem.objects.select_for_update().filter(meeting=meeting)
        if not never_more_open(item.visibility, visibility)
    ]
    for item in too_open:
        item.visibility = visibility
    AgendaItem.objects.bulk_update(too_open, ["visibility"])
    if meeting.kind == MeetingKind.JOUR_FIXE:
        add_standing_item(meeting=meeting)
    if participants is not None:
        set_meeting_participants(meeting=meeting, participants=participants)
    return meeting


AGENDA_LINKS = ("polls", "decisions", "spaces", "workstreams")


@transaction.atomic
def update_agenda_item(
    *,
    item: AgendaItem,
    by,
    title: str,
    description: str = "",
    presenter=None,
    duration_minutes: int | None = None,
    visibility: str,
    polls=(),
    decisions=(),
    spaces=(),
    workstreams=(),
) -> AgendaItem:
    """Change an item and its links in one go.

    Links are checked against what ``by`` may choose (:func:`selectors.agenda_link_choices`);
    existing links to objects ``by`` cannot see stay, since the editor could not
    have seen them to remove them. Sub-items more open than the item become as
    restricted as it is.
    """
    item = (
        AgendaItem.objects.select_for_update(of=("self",))
        .select_related("meeting", "parent")
        .get(pk=item.pk)
    )
    meeting = item.meeting
    _ensure(
        never_more_open(visibility, meeting.visibility),
        _("An agenda item cannot be more open than the meeting it belongs to."),
    )
    _ensure(
        item.parent is None or never_more_open(visibility, item.parent.visibility),
        _("A sub-item cannot be more open than the item it belongs to."),
    )
    chosen = {"polls": polls, "decisions": decisions, "spaces": spaces, "workstreams": workstreams}
    offered = selectors.agenda_link_choices(meeting=meeting, user=by)
    for name in AGENDA_LINKS:
        wanted = {obj.pk for obj in chosen[name]}
        _ensure(
            offered[name].filter(pk__in=wanted).count() == len(wanted),
            _("Only what you may see, and of the meeting's body, can be linked."),
        )
        relation = getattr(item, name)
        kept = set(relation.exclude(pk__in=offered[name].values("pk")).values_list("pk", flat=True))
        relation.set(wanted | kept)
    item.title = title
    item.description = description
    item.presenter = presenter
    item.duration_minutes = duration_minutes
    item.visibility = visibility
    item.full_clean()
    item.save()
    children = [
        child
        for child in AgendaItem.objects.select_for_update().filter(parent=item)
        if not never_more_open(child.visibility, visibility)
    ]
    for child in children:
        child.visibility = visibility
    AgendaItem.objects.bulk_update(children, ["visibility"])
    return item
