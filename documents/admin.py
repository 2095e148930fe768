from django.contrib import admin

from bodies.admin import ReadOnlyAdmin

from .models import RenderedDocument


@admin.register(RenderedDocument)
class RenderedDocumentAdmin(ReadOnlyAdmin):
    list_display = ["kind", "subject_id", "audience", "status", "pages", "created_at"]
    list_filter = ["kind", "status", "audience"]
    search_fields = ["subject_id", "fingerprint"]
    date_hierarchy = "created_at"
