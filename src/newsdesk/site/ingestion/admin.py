"""The editors' view of feed sources: what is polled, when, and what went wrong."""

from django.contrib import admin, messages
from django.db import models
from django.utils import timezone

from newsdesk.site.ingestion.models import CategoryRule, FeedSource, PageFetch


class CategoryRuleInline(admin.TabularInline):
    model = CategoryRule
    extra = 1
    fields = ("category", "section")


@admin.register(CategoryRule)
class CategoryRuleAdmin(admin.ModelAdmin):
    """Category -> section rules for every feed (a source's own rules are on its page)."""

    list_display = ("category", "section", "source")
    list_filter = ("section", "source")
    list_select_related = ("section", "source")
    search_fields = ("category",)


@admin.register(PageFetch)
class PageFetchAdmin(admin.ModelAdmin):
    """Teaser stories waiting for their full page (they stay drafts until it is fetched)."""

    list_display = ("story", "url", "done", "failures", "next_try", "short_error")
    list_filter = ("done",)
    list_select_related = ("story",)
    readonly_fields = ("story", "url", "etag", "last_modified", "failures", "last_error")
    fields = ("story", "url", "publish", "done", "next_try", *readonly_fields[2:])

    @admin.display(description="last error")
    def short_error(self, fetch: PageFetch) -> str:
        return fetch.last_error[:120]


@admin.register(FeedSource)
class FeedSourceAdmin(admin.ModelAdmin):
    inlines = [CategoryRuleInline]
    list_select_related = ("section",)
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
