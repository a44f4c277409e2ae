"""The audit log of every change to a story (who, what, by which road), read-only, for editors."""

from django.contrib import admin

from newsdesk.site.desk.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "user", "via", "action", "headline", "from_status", "to_status", "note"]
    list_filter = ["action", "via", "user"]
    list_select_related = ["user"]
    search_fields = ["headline"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
