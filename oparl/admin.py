from django.contrib import admin

from .models import Tombstone


@admin.register(Tombstone)
class TombstoneAdmin(admin.ModelAdmin):
    """Read-only: tombstones are written by ``oparl.signals`` alone."""

    list_display = ["key", "type", "created", "deleted_at"]
    list_filter = ["type"]
    search_fields = ["key"]
    date_hierarchy = "deleted_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
