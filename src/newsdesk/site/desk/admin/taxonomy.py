"""Tags and sections in the desk's admin."""

from django.contrib import admin

from newsdesk.site.stories.models import Section, Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """Tags come from sources' categories; editors rename or merge them here."""

    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "in_menu"]
    list_editable = ["order", "in_menu"]
    prepopulated_fields = {"slug": ["name"]}
