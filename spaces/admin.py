from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdmin

from bodies.admin import AuditedAdmin, GroupObjectPermissionAdmin, UserObjectPermissionAdmin

from . import services
from .models import (
    District,
    Instrument,
    Space,
    SpaceGroupObjectPermission,
    SpaceNeed,
    SpaceNeedGroupObjectPermission,
    SpaceNeedUserObjectPermission,
    SpaceStatusChange,
    SpaceUserObjectPermission,
)


class InUseFilter(admin.SimpleListFilter):
    """Whether any space uses the row: the one thing worth filtering a short list of
    instruments or neighbourhoods by."""

    title = _("in use")
    parameter_name = "in_use"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in {"yes", "no"}:
            return queryset.filter(spaces__isnull=self.value() == "no").distinct()
        return queryset


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "position"]
    list_filter = [InUseFilter]
    search_fields = ["name", "description"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    list_filter = [InUseFilter]
    search_fields = ["name"]


class StatusChangeInline(admin.TabularInline):
    """The timeline, read-only: status changes go through ``services.change_status``."""

    model = SpaceStatusChange
    extra = 0
    can_delete = False
    fields = ["changed_at", "from_status", "to_status", "changed_by", "decision", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Space)
class SpaceAdmin(AuditedAdmin, GuardedModelAdmin):
    list_display = [
        "name",
        "district",
        "kind",
        "status",
        "owner_kind",
        "contested",
        "visibility",
        "owner_visibility",
    ]
    list_filter = ["status", "kind", "owner_kind", "contested", "visibility", "district"]
    search_fields = ["name", "address", "postcode", "description", "owner_organisation__name"]
    autocomplete_fields = ["owner_organisation", "current_user_organisation", "body"]
    filter_horizontal = ["instruments"]
    readonly_fields = ["status", "reported_by", "created_at", "updated_at"]
    inlines = [StatusChangeInline]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
        else:
            # A space added here starts its lifecycle like any other (instruments are
            # saved afterwards with the form's many-to-many data).
            services.create_space(space=obj, user=request.user)


@admin.register(SpaceStatusChange)
class SpaceStatusChangeAdmin(admin.ModelAdmin):
    list_display = ["space", "from_status", "to_status", "changed_at", "changed_by", "decision"]
    list_filter = ["to_status", "from_status"]
    search_fields = ["space__name", "note"]
    date_hierarchy = "changed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(SpaceNeed)
class SpaceNeedAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "min_size_m2", "max_size_m2", "status", "visibility"]
    list_filter = ["status", "visibility", "districts"]
    search_fields = ["title", "purpose", "organisation__name"]
    autocomplete_fields = ["organisation", "body"]
    filter_horizontal = ["districts"]


@admin.register(SpaceUserObjectPermission)
class SpaceUserObjectPermissionAdmin(UserObjectPermissionAdmin):
    search_fields = ["content_object__name", "user__email"]


@admin.register(SpaceGroupObjectPermission)
class SpaceGroupObjectPermissionAdmin(GroupObjectPermissionAdmin):
    search_fields = ["content_object__name", "group__name"]


@admin.register(SpaceNeedUserObjectPermission)
class SpaceNeedUserObjectPermissionAdmin(UserObjectPermissionAdmin):
    search_fields = ["content_object__title", "user__email"]


@admin.register(SpaceNeedGroupObjectPermission)
class SpaceNeedGroupObjectPermissionAdmin(GroupObjectPermissionAdmin):
    search_fields = ["content_object__title", "group__name"]
