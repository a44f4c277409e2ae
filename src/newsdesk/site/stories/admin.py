"""The editors' desk in the Django admin."""

from django.contrib import admin

from newsdesk.site.stories.models import Caption, Edition, QuickLookBullet, Section, Story, StorySection


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "in_menu"]
    list_editable = ["order", "in_menu"]
    prepopulated_fields = {"slug": ["name"]}


class StorySectionInline(admin.TabularInline):
    model = StorySection
    extra = 0


class CaptionInline(admin.TabularInline):
    model = Caption
    extra = 0


class BulletInline(admin.TabularInline):
    model = QuickLookBullet
    extra = 0
    fields = ["order", "text", "source_sentences", "locked"]


@admin.register(Story)
class StoryAdmin(admin.ModelAdmin):
    list_display = ["headline", "status", "published_at", "edition", "is_top_story"]
    list_filter = ["status", "sections", "edition__period"]
    list_select_related = ["edition"]
    search_fields = ["headline", "summary"]
    prepopulated_fields = {"slug": ["headline"]}
    date_hierarchy = "published_at"
    inlines = [StorySectionInline, BulletInline, CaptionInline]


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["date", "period"]
