from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .models import (
    ActionItem,
    AgendaItem,
    AgendaReview,
    Attendance,
    Commitment,
    CommitmentNote,
    GuidingQuestion,
    Meeting,
    MeetingSeries,
    MinuteEntry,
    Minutes,
    TopicOption,
    TopicSurvey,
)


class ParticipantsThroughService:
    """Standing participants change through the service, not the form's plain m2m save:
    a series passes them on to its meetings ahead, a meeting lists them for attendance
    (and invites them if its invitations are out)."""

    autocomplete_fields = ["participants"]

    def save_related(self, request, form, formsets, change):
        wanted = list(form.cleaned_data.get("participants", []))
        # The form's own m2m save keeps what is stored; the service makes the change.
        form.cleaned_data["participants"] = list(form.instance.participants.all())
        super().save_related(request, form, formsets, change)
        self.set_participants(form.instance, wanted)


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(ParticipantsThroughService, admin.ModelAdmin):
    list_display = ["title", "body", "kind", "recurrence", "starts_on", "until", "visibility"]
    list_filter = ["kind", "recurrence", "visibility"]
    search_fields = ["title", "body__name"]

    @staticmethod
    def set_participants(series, participants):
        services.set_series_participants(series=series, participants=participants)


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    fields = ["position", "parent", "title", "visibility", "duration_minutes", "standing"]


@admin.register(Meeting)
class MeetingAdmin(ParticipantsThroughService, admin.ModelAdmin):
    list_display = ["title", "body", "kind", "start", "status", "visibility"]
    list_filter = ["kind", "status", "visibility", "body"]
    search_fields = ["title", "body__name", "place"]
    date_hierarchy = "start"
    inlines = [AgendaItemInline]

    @staticmethod
    def set_participants(meeting, participants):
        services.set_meeting_participants(meeting=meeting, participants=participants)


@admin.register(AgendaItem)
class AgendaItemAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "position", "visibility", "standing"]
    list_filter = ["visibility", "standing"]
    search_fields = ["title", "meeting__title"]


@admin.register(GuidingQuestion)
class GuidingQuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "meeting", "status"]
    list_filter = ["status"]
    search_fields = ["text"]


class LockedWhenApproved:
    """Approved minutes are read-only here as everywhere: corrections are new entries."""

    def _minutes_of(self, obj):
        return obj if isinstance(obj, Minutes) else getattr(obj, "minutes", None)

    def has_change_permission(self, request, obj=None):
        minutes = self._minutes_of(obj) if obj is not None else None
        if minutes is not None and minutes.is_locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        minutes = self._minutes_of(obj) if obj is not None else None
        if minutes is not None and minutes.is_locked:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Minutes)
class MinutesAdmin(LockedWhenApproved, SimpleHistoryAdmin):
    list_display = ["meeting", "status", "approved_at", "visibility"]
    list_filter = ["status", "visibility"]
    search_fields = ["meeting__title"]


@admin.register(MinuteEntry)
class MinuteEntryAdmin(LockedWhenApproved, SimpleHistoryAdmin):
    list_display = ["minutes", "section", "position", "visibility"]
    list_filter = ["section", "visibility", "level"]
    search_fields = ["text"]


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "assignee_person", "assignee_organisation", "due", "status"]
    list_filter = ["status", "visibility"]
    search_fields = ["title"]


class CommitmentNoteInline(admin.TabularInline):
    model = CommitmentNote
    extra = 0


@admin.register(Commitment)
class CommitmentAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "person", "meeting", "due", "status", "visibility"]
    list_filter = ["status", "visibility"]
    search_fields = ["what", "organisation__name", "person__name"]
    inlines = [CommitmentNoteInline]


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["meeting", "person", "status"]
    list_filter = ["status"]
    search_fields = ["person__name", "meeting__title"]


@admin.register(AgendaReview)
class AgendaReviewAdmin(admin.ModelAdmin):
    list_display = ["meeting", "reviewer", "reviewed", "at"]
    list_filter = ["reviewed"]
    search_fields = ["meeting__title", "reviewer__email", "comment"]


# --- Public events: speakers, files, registrations (issue #7) ---------------------------

from .models import EventDocument, Registration, RegistrationCount, Speaker  # noqa: E402


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "affiliation", "meeting", "position"]
    list_filter = ["meeting__kind"]
    search_fields = ["name", "affiliation", "meeting__title"]
    autocomplete_fields = ["meeting"]


@admin.register(EventDocument)
class EventDocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "uploaded_at"]
    list_filter = ["meeting__kind", "uploaded_at"]
    search_fields = ["title", "meeting__title"]
    autocomplete_fields = ["meeting"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "meeting", "status", "position", "checked_in_at"]
    list_filter = ["status"]
    search_fields = ["name", "email", "organisation", "meeting__title"]
    # Status changes go through the services (waiting list, mails); the admin only reads.
    readonly_fields = [
        "meeting",
        "status",
        "position",
        "token",
        "consent_text",
        "created_at",
        "confirmed_at",
        "cancelled_at",
        "checked_in_at",
    ]


@admin.register(RegistrationCount)
class RegistrationCountAdmin(admin.ModelAdmin):
    list_display = ["meeting", "confirmed", "checked_in", "cancelled", "waiting", "purged_at"]
    list_filter = ["meeting__kind", "purged_at"]
    search_fields = ["meeting__title"]


class TopicOptionInline(admin.TabularInline):
    model = TopicOption
    extra = 0


@admin.register(TopicSurvey)
class TopicSurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "series", "status", "opened_at", "closed_at"]
    list_filter = ["status"]
    search_fields = ["title", "series__title"]
    inlines = [TopicOptionInline]
    # Votes are counted through the survey service; who voted stays out of the admin.
    readonly_fields = ["status", "opened_at", "closed_at", "created_by"]


# --- The rest: notes, grants, rendered files, calendar keys, survey rows ---------------

from bodies.admin import (  # noqa: E402
    GroupObjectPermissionAdmin,
    ReadOnlyAdmin,
    UserObjectPermissionAdmin,
)

from .models import (  # noqa: E402
    CalendarToken,
    MeetingGroupObjectPermission,
    MeetingUserObjectPermission,
    MinutesGroupObjectPermission,
    MinutesUserObjectPermission,
    TopicVote,
)


@admin.register(CommitmentNote)
class CommitmentNoteAdmin(admin.ModelAdmin):
    list_display = ["commitment", "on", "author"]
    list_filter = ["commitment__status"]
    search_fields = ["text", "commitment__what", "commitment__organisation__name"]
    date_hierarchy = "on"


@admin.register(MeetingUserObjectPermission)
class MeetingUserObjectPermissionAdmin(UserObjectPermissionAdmin):
    search_fields = ["content_object__title", "user__email"]


@admin.register(MeetingGroupObjectPermission)
class MeetingGroupObjectPermissionAdmin(GroupObjectPermissionAdmin):
    search_fields = ["content_object__title", "group__name"]


@admin.register(MinutesUserObjectPermission)
class MinutesUserObjectPermissionAdmin(UserObjectPermissionAdmin):
    search_fields = ["content_object__meeting__title", "user__email"]


@admin.register(MinutesGroupObjectPermission)
class MinutesGroupObjectPermissionAdmin(GroupObjectPermissionAdmin):
    search_fields = ["content_object__meeting__title", "group__name"]


@admin.register(CalendarToken)
class CalendarTokenAdmin(ReadOnlyAdmin):
    # The key itself stays out: it opens the owner's calendar feed to whoever holds it.
    list_display = ["user", "created_at"]
    list_filter = ["created_at"]
    search_fields = ["user__email"]
    exclude = ["token"]

    def has_delete_permission(self, request, obj=None):
        # Deleting a key is how an administrator revokes a leaked feed address.
        return super(ReadOnlyAdmin, self).has_delete_permission(request, obj)


@admin.register(TopicOption)
class TopicOptionAdmin(ReadOnlyAdmin):
    list_display = ["label", "survey", "position"]
    list_filter = ["survey__status"]
    search_fields = ["label", "survey__title"]


@admin.register(TopicVote)
class TopicVoteAdmin(ReadOnlyAdmin):
    # Who voted stays out of the admin, as on the survey: only which survey.
    list_display = ["survey", "cast_at"]
    list_filter = ["survey__status"]
    search_fields = ["survey__title"]
    exclude = ["registration"]
