from django.contrib import admin
from guardian.admin import GuardedModelAdmin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Body,
    BodyGroupObjectPermission,
    BodyUserObjectPermission,
    Contribution,
    Decision,
    Entitlement,
    Membership,
    Organisation,
    Participation,
    Person,
    Poll,
    PollOption,
    Vote,
    Workstream,
)


class AuditedAdmin(SimpleHistoryAdmin):
    """Shows an object's change history; never reverts to an old version, because a
    revert is a plain save that skips the services (a poll's result, the space
    lifecycle, the lock on approved minutes)."""

    def revert_disabled(self, request, obj=None):
        return True


class ReadOnlyAdmin(admin.ModelAdmin):
    """For rows that only a service writes (a poll's roll and ballots, rendered files):
    the admin shows them, and a change here would bypass the service's invariants."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class UserObjectPermissionAdmin(admin.ModelAdmin):
    """A per-object grant to one account (django-guardian)."""

    list_display = ["content_object", "user", "permission"]
    list_filter = ["permission"]
    search_fields = ["user__email"]
    autocomplete_fields = ["user"]


class GroupObjectPermissionAdmin(admin.ModelAdmin):
    """A per-object grant to a role group (django-guardian)."""

    list_display = ["content_object", "group", "permission"]
    list_filter = ["permission", "group"]
    search_fields = ["group__name"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "short_name"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "user"]
    list_filter = ["organisation__kind"]
    search_fields = ["name", "email", "user__email"]
    autocomplete_fields = ["organisation", "user"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person", "organisation"]


@admin.register(Body)
class BodyAdmin(GuardedModelAdmin):
    list_display = [
        "name",
        "short_name",
        "kind",
        "voting_unit",
        "visibility",
        "run_by_aks_team",
        "parent",
    ]
    list_filter = ["kind", "voting_unit", "visibility", "run_by_aks_team", "minutes_approval"]
    search_fields = ["name", "short_name", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(AuditedAdmin):
    list_display = [
        "person",
        "body",
        "role",
        "side",
        "organisation",
        "voting_right",
        "start",
        "end",
    ]
    list_filter = ["role", "side", "voting_right", "body"]
    search_fields = ["person__name", "body__name", "organisation__name"]
    autocomplete_fields = ["person", "body", "organisation"]


@admin.register(BodyUserObjectPermission)
class BodyUserObjectPermissionAdmin(UserObjectPermissionAdmin):
    search_fields = ["content_object__name", "user__email"]


@admin.register(BodyGroupObjectPermission)
class BodyGroupObjectPermissionAdmin(GroupObjectPermissionAdmin):
    search_fields = ["content_object__name", "group__name"]


@admin.register(Poll)
class PollAdmin(AuditedAdmin):
    list_display = ["title", "body", "kind", "counting", "secret", "status", "visibility"]
    list_filter = ["status", "kind", "counting", "secret", "visibility", "body"]
    search_fields = ["title", "motion", "body__name"]
    autocomplete_fields = ["body", "elects_into"]
    # Opening, closing and counting go through bodies.services.
    readonly_fields = ["status", "opened_at", "closed_at", "adopted", "result_text", "created_at"]


@admin.register(Decision)
class DecisionAdmin(AuditedAdmin):
    list_display = ["__str__", "body", "decided_on", "status", "visibility"]
    list_filter = ["status", "visibility", "year", "body"]
    search_fields = ["title", "text", "body__name"]
    autocomplete_fields = ["body", "poll"]
    readonly_fields = ["created_at", "updated_at"]


@admin.register(PollOption)
class PollOptionAdmin(ReadOnlyAdmin):
    list_display = ["label", "poll", "position", "meaning", "candidate", "analog_count"]
    list_filter = ["meaning", "poll__status", "poll__body"]
    search_fields = ["label", "poll__title", "candidate__name"]


@admin.register(Entitlement)
class EntitlementAdmin(ReadOnlyAdmin):
    list_display = ["poll", "person", "organisation", "side"]
    list_filter = ["side", "poll__status", "poll__body"]
    search_fields = ["poll__title", "person__name", "organisation__name"]


@admin.register(Participation)
class ParticipationAdmin(ReadOnlyAdmin):
    list_display = ["poll", "entitlement", "cast_by"]
    list_filter = ["poll__status", "poll__body"]
    search_fields = ["poll__title", "cast_by__email"]


@admin.register(Vote)
class VoteAdmin(ReadOnlyAdmin):
    # No time column and no ordering by time: in a secret poll neither may hint at
    # who cast which ballot.
    list_display = ["poll", "side", "choices"]
    list_filter = ["side", "poll__secret", "poll__body"]
    search_fields = ["poll__title"]
    ordering = ["poll", "pk"]


class ContributionInline(admin.TabularInline):
    model = Contribution
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(Workstream)
class WorkstreamAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "status", "lead_body", "visibility"]
    list_filter = ["status", "visibility", "lead_body"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["lead_body", "bodies", "organisations"]
    inlines = [ContributionInline]


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ["workstream", "organisation", "kind", "amount", "description", "on"]
    list_filter = ["kind", "workstream"]
    search_fields = ["description", "organisation__name", "workstream__title"]
    autocomplete_fields = ["workstream", "organisation"]
