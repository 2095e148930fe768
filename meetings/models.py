import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from bodies.access import Visibility, VisibleQuerySet
from bodies.models import (
    Body,
    Decision,
    GroupGrant,
    Organisation,
    Person,
    Poll,
    UserGrant,
    Workstream,
)
from spaces.models import Space


def _visibility_field(default=Visibility.PUBLIC):
    return models.CharField(
        _("visibility"), max_length=20, choices=Visibility.choices, default=default
    )


class MeetingKind(models.TextChoices):
    JOUR_FIXE = "jour_fixe", _("Jour fixe")
    TEAM = "team", _("Team meeting")
    STEERING = "steering", _("Steering round")
    ASSEMBLY = "assembly", _("Open assembly")
    PUBLIC_ASSEMBLY = "public_assembly", _("Public assembly")
    WORKING_GROUP = "working_group", _("Working group")
    PUBLIC_EVENT = "public_event", _("Public dialogue event")


class Recurrence(models.TextChoices):
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly on the n-th weekday")


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class MeetingSeries(models.Model):
    """A recurring meeting (monthly Jour-Fixe, weekly team meeting, an event series)."""

    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="meeting_series"
    )
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    recurrence = models.CharField(_("recurrence"), max_length=10, choices=Recurrence.choices)
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    week_of_month = models.SmallIntegerField(
        _("week of the month"),
        null=True,
        blank=True,
        help_text=_("Monthly series: 1 to 4 for the first to fourth weekday, -1 for the last."),
    )
    start_time = models.TimeField(_("start time"))
    duration = models.DurationField(_("duration"), default=datetime.timedelta(hours=2))
    place = models.CharField(_("place"), max_length=300, blank=True)
    online_url = models.URLField(_("online link"), blank=True)
    starts_on = models.DateField(_("first date"))
    until = models.DateField(_("until"), null=True, blank=True)
    visibility = _visibility_field()
    # People who belong to every meeting of the series without being members of its
    # body (the councillor at the AKS team's Jour-Fixe); its meetings take them over.
    participants = models.ManyToManyField(
        Person,
        verbose_name=_("standing participants"),
        blank=True,
        related_name="participating_series",
        help_text=_("People beyond the body's members who are invited to every meeting."),
    )

    objects = VisibleQuerySet.as_manager()
    body_lookup = "body_id"
    participation_lookup = ("participating_series", "pk")
    visibility_parent = "body"

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(recurrence="monthly") | (Q(week_of_month__in=[1, 2, 3, 4, -1])),
                name="series_monthly_needs_week",
            ),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gte=models.F("starts_on")),
                name="series_until_after_start",
            ),
        ]

    def __str__(self):
        return self.title


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    INVITED = "invited", _("Invited")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    body = models.ForeignKey(
        Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="meetings"
    )
    series = models.ForeignKey(
        MeetingSeries,
        verbose_name=_("series"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    space = models.ForeignKey(
        Space,
        verbose_name=_("space"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    online_url = models.URLField(_("online link"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    visibility = _visibility_field()
    moderator = models.ForeignKey(
        Person,
        verbose_name=_("moderator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="moderated_meetings",
    )
    minute_taker = models.ForeignKey(
        Person,
        verbose_name=_("minute taker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="minuted_meetings",
    )
    description = models.TextField(_("description"), blank=True)
    # Public events and assemblies: registration without an account (issue #7).
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_("Leave empty for no limit; further registrations go on the waiting list."),
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes at"),
        null=True,
        blank=True,
        help_text=_("Leave empty if people do not register for this meeting."),
    )
    recording_url = models.URLField(_("recording"), blank=True)
    participants = models.ManyToManyField(
        Person,
        verbose_name=_("standing participants"),
        blank=True,
        related_name="participating_meetings",
        help_text=_("People beyond the body's members who are invited to the meeting."),
    )
    # OParl publishes when each object was created and last changed.
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = VisibleQuerySet.as_manager()
    body_lookup = "body_id"
    participation_lookup = ("participating_meetings", "pk")
    visibility_parent = "body"

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-start"]
        indexes = [
            models.Index(fields=["body", "start"]),
            models.Index(fields=["start"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gte=models.F("start")), name="meeting_ends_after_start"
            ),
            models.UniqueConstraint(
                fields=["series", "start"],
                condition=Q(series__isnull=False),
                name="meeting_once_per_series_date",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:detail", kwargs={"pk": self.pk})


class AgendaItem(models.Model):
    """A Tagesordnungspunkt. Sub-items hang under their parent (2.1 under 2)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="agenda_items"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent item"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    presenter = models.ForeignKey(
        Person,
        verbose_name=_("presenter"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), null=True, blank=True
    )
    visibility = _visibility_field()
    standing = models.BooleanField(
        _("standing item"),
        default=False,
        help_text=_("Open action items and commitments due, rolled forward automatically."),
    )
    polls = models.ManyToManyField(Poll, verbose_name=_("polls"), blank=True, related_name="+")
    decisions = models.ManyToManyField(
        Decision, verbose_name=_("decisions"), blank=True, related_name="agenda_items"
    )
    spaces = models.ManyToManyField(
        Space, verbose_name=_("spaces"), blank=True, related_name="agenda_items"
    )
    workstreams = models.ManyToManyField(
        Workstream, verbose_name=_("workstreams"), blank=True, related_name="agenda_items"
    )

    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = VisibleQuerySet.as_manager()
    body_lookup = "meeting__body_id"
    participation_lookup = ("participating_meetings", "meeting_id")
    visibility_parent = "meeting"

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "pk"]
        indexes = [models.Index(fields=["meeting", "parent", "position"])]

    def __str__(self):
        return self.title


class GuidingQuestionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CARRIED_OVER = "carried_over", _("Carried over")


class GuidingQuestion(models.Model):
    """A Leitfrage: answered in the minutes, or carried over to the next meeting."""

    meeting = models.ForeignKey(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="guiding_questions",
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="guiding_questions",
    )
    text = models.TextField(_("question"))
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=GuidingQuestionStatus.choices,
        default=GuidingQuestionStatus.OPEN,
    )
    answer = models.TextField(_("answer"), blank=True)
    carried_from = models.OneToOneField(
        "self",
        verbose_name=_("carried over from"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carried_to",
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    visibility = _visibility_field()

    objects = VisibleQuerySet.as_manager()
    body_lookup = "meeting__body_id"
    participation_lookup = ("participating_meetings", "meeting_id")
    visibility_parent = "meeting"

    class Meta:
        verbose_name = _("guiding question")
        verbose_name_plural = _("guiding questions")
        ordering = ["meeting", "position", "pk"]

    def __str__(self):
        return self.text


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CIRCULATED = "circulated", _("Circulated")
    APPROVED = "approved", _("Approved")
    PUBLISHED = "published", _("Published")


class Minutes(models.Model):
    meeting = models.OneToOneField(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="minutes"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    visibility = _visibility_field()
    circulated_at = models.DateTimeField(_("circulated at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approval = models.OneToOneField(
        Decision,
        verbose_name=_("approved by decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="approved_minutes",
    )
    approved_by_chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by the chair"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = VisibleQuerySet.as_manager()
    body_lookup = "meeting__body_id"
    participation_lookup = ("participating_meetings", "meeting_id")
    visibility_parent = "meeting"

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self):
        return str(_("Minutes: %(meeting)s") % {"meeting": self.meeting})

    @property
    def is_locked(self) -> bool:
        return self.status in (MinutesStatus.APPROVED, MinutesStatus.PUBLISHED)


class MinuteSection(models.TextChoices):
    INTRODUCTION = "introduction", _("Introductory words")
    GUIDING_QUESTION = "guiding_question", _("Guiding questions")
    DISCUSSION = "discussion", _("Discussion")
    RESULT = "result", _("Result")
    DECISION = "decision", _("Decision")
    NOTE = "note", _("Note")
    RECOMMENDATION = "recommendation", _("Recommendation")


class RecommendationLevel(models.TextChoices):
    MUNICIPAL = "municipal", _("Municipality")
    STATE = "state", _("State")
    FEDERAL = "federal", _("Federal")


class MinuteEntry(models.Model):
    minutes = models.ForeignKey(
        Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE, related_name="entries"
    )
    section = models.CharField(_("section"), max_length=20, choices=MinuteSection.choices)
    text = models.TextField(_("text"))
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="minute_entries",
    )
    speaker = models.ForeignKey(
        Person,
        verbose_name=_("speaker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    level = models.CharField(
        _("level"), max_length=10, choices=RecommendationLevel.choices, blank=True
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    visibility = _visibility_field()
    corrects = models.ForeignKey(
        "self",
        verbose_name=_("corrects"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
        help_text=_("Approved minutes are not changed; a correction is a new, dated entry."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = VisibleQuerySet.as_manager()
    body_lookup = "minutes__meeting__body_id"
    participation_lookup = ("participating_meetings", "minutes__meeting_id")
    visibility_parent = "minutes"

    class Meta:
        verbose_name = _("minute entry")
        verbose_name_plural = _("minute entries")
        ordering = ["minutes", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(section="recommendation") | Q(level=""),
                name="minute_entry_level_only_for_recommendations",
            ),
        ]

    def __str__(self):
        return f"{self.get_section_display()}: {self.text[:60]}"

    def save(self, *args, **kwargs):
        self._refuse_if_locked()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_locked()
        return super().delete(*args, **kwargs)

    def clean(self):
        if self.section == MinuteSection.RECOMMENDATION and not self.level:
            raise ValidationError({"level": _("A recommendation needs its level.")})

    def _refuse_if_locked(self):
        # The last line of defence behind the service, the forms and the admin.
        if (
            self.pk
            and Minutes.objects.filter(
                pk=self.minutes_id, status__in=[MinutesStatus.APPROVED, MinutesStatus.PUBLISHED]
            ).exists()
        ):
            raise ValidationError(
                _("These minutes are approved and can no longer be changed; add a correction.")
            )


class ActionItemStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


OPEN_ACTION_STATUSES = (ActionItemStatus.OPEN, ActionItemStatus.IN_PROGRESS)


class ActionItem(models.Model):
    """An Aufgabe handed out at a meeting."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="action_items"
    )
    agenda_item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("agenda item"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    title = models.CharField(_("title"), max_length=300)
    assignee_person = models.ForeignKey(
        Person,
        verbose_name=_("assigned to (person)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    assignee_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("assigned to (organisation)"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="action_items",
    )
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ActionItemStatus.choices,
        default=ActionItemStatus.OPEN,
    )
    visibility = _visibility_field(Visibility.TEAM)

    objects = VisibleQuerySet.as_manager()
    body_lookup = "meeting__body_id"
    participation_lookup = ("participating_meetings", "meeting_id")
    visibility_parent = "meeting"

    class Meta:
        verbose_name = _("action item")
        verbose_name_plural = _("action items")
        ordering = ["due", "pk"]
        indexes = [models.Index(fields=["status", "due"])]

    def __str__(self):
        return self.title


class CommitmentStatus(models.TextChoices):
    PROMISED = "promised", _("Promised")
    IN_PROGRESS = "in_progress", _("In progress")
    KEPT = "kept", _("Kept")
    BROKEN = "broken", _("Broken")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_COMMITMENT_STATUSES = (CommitmentStatus.PROMISED, CommitmentStatus.IN_PROGRESS)


class CommitmentQuerySet(VisibleQuerySet):
    def visible_to(self, user):
        """The kernel's rule, and: a commitment recorded in the room but not yet checked
        by the staff is seen only by the staff and by whoever runs its body (the chair
        who recorded it). Asked here, every list, page, count, export and the OParl
        organisations that go through ``visible_to`` leave it out until it is checked."""
        return super().visible_to(user).filter(_checked_or_runs_q(user))


def _checked_or_runs_q(user) -> Q:
    from bodies.access import has_staff_rights, is_active_user, leads_body_q

    if has_staff_rights(user):
        return Q()
    q = Q(checked_at__isnull=False)
    if is_active_user(user):
        q |= leads_body_q(user, "meeting__body_id")
    return q


class Commitment(models.Model):
    """A Zusage: who promised what, at which meeting, due when; kept or broken."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="commitments"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("promised by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="commitments",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="commitments",
    )
    what = models.TextField(_("what was promised"))
    due = models.DateField(_("due"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=CommitmentStatus.choices,
        default=CommitmentStatus.PROMISED,
    )
    visibility = _visibility_field()
    # Said aloud in the room and typed on a phone (issue #7): the name as the chair
    # heard it, when the person is not (yet) in the register.
    promised_by_name = models.CharField(_("promised by (name)"), max_length=200, blank=True)
    # Recorded in the room: public only after the staff checked it. Commitments
    # recorded at the desk, and all older ones, count as checked when they are made.
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True, default=timezone.now)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = CommitmentQuerySet.as_manager()
    body_lookup = "meeting__body_id"
    participation_lookup = ("participating_meetings", "meeting_id")
    visibility_parent = "meeting"

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["due", "pk"]
        indexes = [models.Index(fields=["status", "due"])]

    def __str__(self):
        return f"{self.organisation}: {self.what[:60]}"

    @property
    def is_checked(self) -> bool:
        return self.checked_at is not None

    @property
    def promised_by(self) -> str:
        return self.person.name if self.person_id else self.promised_by_name


class CommitmentNote(models.Model):
    """A dated note on a commitment's progress."""

    commitment = models.ForeignKey(
        Commitment, verbose_name=_("commitment"), on_delete=models.CASCADE, related_name="notes"
    )
    on = models.DateField(_("date"), default=datetime.date.today)
    text = models.TextField(_("note"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("progress note")
        verbose_name_plural = _("progress notes")
        ordering = ["on", "pk"]

    def __str__(self):
        return f"{self.on}: {self.text[:60]}"


class AttendanceStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    ATTENDED = "attended", _("Attended")
    EXCUSED = "excused", _("Excused")


class Attendance(models.Model):
    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="attendances"
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=AttendanceStatus.choices,
        default=AttendanceStatus.INVITED,
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["meeting", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once"),
        ]

    def __str__(self):
        return f"{self.person} – {self.get_status_display()}"


class AgendaReview(models.Model):
    """The councillor's sign-off or comment on a Jour-Fixe agenda."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    reviewed = models.BooleanField(_("agenda reviewed"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    at = models.DateTimeField(_("at"), auto_now=True)

    class Meta:
        verbose_name = _("agenda review")
        verbose_name_plural = _("agenda reviews")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "reviewer"], name="agenda_review_once"),
        ]

    def __str__(self):
        return f"{self.meeting}: {self.reviewer}"


# Explicit grants: a guest invited to one meeting, the minute taker of one set of minutes.
class MeetingUserObjectPermission(UserGrant):
    content_object = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE)

    class Meta(UserGrant.Meta):
        verbose_name = _("meeting permission of a user")
        verbose_name_plural = _("meeting permissions of users")


class MeetingGroupObjectPermission(GroupGrant):
    content_object = models.ForeignKey(Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE)

    class Meta(GroupGrant.Meta):
        verbose_name = _("meeting permission of a group")
        verbose_name_plural = _("meeting permissions of groups")


class MinutesUserObjectPermission(UserGrant):
    content_object = models.ForeignKey(Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE)

    class Meta(UserGrant.Meta):
        verbose_name = _("minutes permission of a user")
        verbose_name_plural = _("minutes permissions of users")


class MinutesGroupObjectPermission(GroupGrant):
    content_object = models.ForeignKey(Minutes, verbose_name=_("minutes"), on_delete=models.CASCADE)

    class Meta(GroupGrant.Meta):
        verbose_name = _("minutes permission of a group")
        verbose_name_plural = _("minutes permissions of groups")


class CalendarToken(models.Model):
    """The secret in a personal calendar feed URL; renewing it replaces the value,
    so an address that leaked stops working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_token",
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now=True)

    class Meta:
        verbose_name = _("calendar token")
        verbose_name_plural = _("calendar tokens")

    def __str__(self):
        return str(self.user)


# --- Public events: speakers, documentation, registration (issue #7) -------------------

# Slides of a public event: the formats speakers hand in, no larger than this.
EVENT_DOCUMENT_EXTENSIONS = ("pdf", "odp", "pptx")
EVENT_DOCUMENT_MAX_BYTES = 25 * 1024 * 1024


def validate_event_document_size(file) -> None:
    if file.size > EVENT_DOCUMENT_MAX_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)d MB.")
            % {"size": EVENT_DOCUMENT_MAX_BYTES // (1024 * 1024)}
        )


# How each allowed format begins: a PDF with "%PDF-", ODP and PPTX are ZIP archives.
# The extension alone is the uploader's claim; the first bytes are what the file is.
EVENT_DOCUMENT_SIGNATURES = {"pdf": b"%PDF-", "odp": b"PK\x03\x04", "pptx": b"PK\x03\x04"}


def validate_event_document_content(file) -> None:
    extension = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""
    signature = EVENT_DOCUMENT_SIGNATURES.get(extension)
    if signature is None:
        return  # the extension validator reports this file
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(len(signature))
    file.seek(position)
    if head != signature:
        raise ValidationError(
            _("The file's content is not a %(format)s file.") % {"format": extension.upper()}
        )


class Speaker(models.Model):
    """Someone on the podium of a public event; shown on its public page."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="speakers"
    )
    name = models.CharField(_("name"), max_length=200)
    affiliation = models.CharField(_("affiliation"), max_length=300, blank=True)
    bio = models.TextField(_("short biography"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        # Not "speaker", which the minutes use for whoever spoke (Redner*in).
        verbose_name = _("event speaker")
        verbose_name_plural = _("event speakers")
        ordering = ["meeting", "position", "pk"]

    def __str__(self):
        return self.name


class EventDocument(models.Model):
    """Slides and other files of an event, published with its documentation.

    As visible as the event itself; served through a view that asks the kernel, never
    straight from MEDIA_ROOT."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="event_documents"
    )
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(
        _("file"),
        upload_to="events/%Y/%m/",
        validators=[
            FileExtensionValidator(allowed_extensions=list(EVENT_DOCUMENT_EXTENSIONS)),
            validate_event_document_size,
            validate_event_document_content,
        ],
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("event document")
        verbose_name_plural = _("event documents")
        ordering = ["meeting", "position", "pk"]

    def __str__(self):
        return self.title


class RegistrationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


ACTIVE_REGISTRATION_STATUSES = (
    RegistrationStatus.PENDING,
    RegistrationStatus.CONFIRMED,
    RegistrationStatus.WAITING,
)


class Registration(models.Model):
    """Someone without an account who registered for a public event.

    Personal data: shown to AKS staff only, and deleted (keeping only the counts in
    ``RegistrationCount``) a configurable number of days after the event. The token is
    the registrant's only key: it is in the links of their mails."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.CASCADE, related_name="registrations"
    )
    name = models.CharField(_("name"), max_length=200)
    # Stored in lower case, so the same address cannot register twice.
    email = models.EmailField(_("e-mail address"))
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING,
    )
    # Order on the waiting list; set when someone joins it and kept for the record.
    position = models.PositiveIntegerField(_("place on the waiting list"), null=True, blank=True)
    token = models.CharField(_("token"), max_length=64, unique=True)
    consent_text = models.TextField(_("consent given"))
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["meeting", "created_at", "pk"]
        indexes = [models.Index(fields=["meeting", "status", "position"])]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "email"],
                condition=Q(status__in=["pending", "confirmed", "waiting"]),
                name="registration_once_per_address",
            ),
            models.UniqueConstraint(
                fields=["meeting", "position"],
                condition=Q(status="waiting"),
                name="registration_waiting_place_unique",
            ),
            models.CheckConstraint(
                condition=~Q(status="waiting") | Q(position__isnull=False),
                name="registration_waiting_has_place",
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="confirmed"),
                name="registration_check_in_only_confirmed",
            ),
        ]

    def __str__(self):
        return f"{self.name} – {self.get_status_display()}"


class RegistrationCount(models.Model):
    """What is kept of an event's registrations once the personal data is deleted."""

    meeting = models.OneToOneField(
        Meeting,
        verbose_name=_("meeting"),
        on_delete=models.CASCADE,
        related_name="registration_count",
    )
    confirmed = models.PositiveIntegerField(_("confirmed"), default=0)
    waiting = models.PositiveIntegerField(_("still on the waiting list"), default=0)
    cancelled = models.PositiveIntegerField(_("cancelled"), default=0)
    unconfirmed = models.PositiveIntegerField(_("never confirmed"), default=0)
    checked_in = models.PositiveIntegerField(_("checked in"), default=0)
    purged_at = models.DateTimeField(_("personal data deleted at"))

    class Meta:
        verbose_name = _("registration count")
        verbose_name_plural = _("registration counts")

    def __str__(self):
        return f"{self.meeting}: {self.confirmed}"


# --- Topic surveys of an event series (issue #7) ----------------------------------------


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class TopicSurvey(models.Model):
    """An approval poll among the registrants of an event series: which topics next?

    Not a ``bodies.Poll``: a poll's roll is a list of ``Entitlement`` rows, each a
    ``Person`` or a member ``Organisation`` of the body, frozen when it opens, and its
    ballots point at them. Registrants are neither: they have no account and no
    ``Person``, only a ``Registration`` with a token, which is deleted some days after
    its event. Making Persons of them would put strangers into the body's register and
    keep their names after the deletion. So the survey keeps its own small tables: the
    voter is the registration (its token is the personal link in their mail), one vote
    per registration is a database constraint, and a vote outlives the deletion of the
    registration (it is then anonymous), so the result never changes afterwards.

    As visible as its series; the result is published once the survey is closed."""

    series = models.ForeignKey(
        MeetingSeries,
        verbose_name=_("series"),
        on_delete=models.CASCADE,
        related_name="topic_surveys",
    )
    title = models.CharField(_("title"), max_length=200)
    question = models.TextField(_("question"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("topic survey")
        verbose_name_plural = _("topic surveys")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meetings:survey_detail", kwargs={"pk": self.pk})


class TopicOption(models.Model):
    survey = models.ForeignKey(
        TopicSurvey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="options"
    )
    label = models.CharField(_("topic"), max_length=300)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["survey", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "label"], name="topic_option_label_unique"),
        ]

    def __str__(self):
        return self.label


class TopicVote(models.Model):
    """One registrant's ballot: the topics they approve of.

    The registration is set to NULL when its personal data is deleted: the vote stays
    counted, and nobody can tell any more whose it was."""

    survey = models.ForeignKey(
        TopicSurvey, verbose_name=_("survey"), on_delete=models.CASCADE, related_name="votes"
    )
    registration = models.ForeignKey(
        Registration,
        verbose_name=_("registration"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="topic_votes",
    )
    options = models.ManyToManyField(TopicOption, verbose_name=_("topics"), related_name="votes")
    cast_at = models.DateTimeField(_("cast at"), auto_now_add=True)

    class Meta:
        verbose_name = _("topic vote")
        verbose_name_plural = _("topic votes")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "registration"],
                condition=Q(registration__isnull=False),
                name="topic_vote_one_per_registration",
            ),
        ]

    def __str__(self):
        return f"{self.survey}: {self.pk}"
