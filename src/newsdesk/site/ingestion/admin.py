"""The editors' view of feed sources: what is polled, when, and what went wrong."""

from django.contrib import admin, messages
from django.db import models
from django.utils import timezone

from newsdesk.site.ingestion.models import FeedSource


@admin.register(FeedSource)
class FeedSourceAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "url",
        "section",
        "active",
        "last_polled",
        "next_poll",
        "failures",
        "short_error",
    )
    list_filter = ("active", "section")
    search_fields = ("name", "url")
    readonly_fields = ("etag", "last_modified", "last_polled", "failures", "last_error")
    fields = ("url", "name", "section", "interval", "active", "next_poll", *readonly_fields)
    actions = ["poll_now"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.display(description="last error")
    def short_error(self, source: FeedSource) -> str:
        return source.last_error[:120]

    @admin.action(description="Poll the selected sources now")
    def poll_now(self, request, queryset):
        from newsdesk.site.ingestion.tasks import poll_feed

        for source in queryset:
            poll_feed(source.pk)
        queryset.update(next_poll=timezone.now())
        messages.info(request, f"{queryset.count()} source(s) queued for polling.")
