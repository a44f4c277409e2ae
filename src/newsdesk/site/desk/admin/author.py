"""Authors in the desk's admin: the newsroom's people, their profiles and staff accounts."""

from django.contrib import admin
from django.db import models
from django.db.models import Count

from newsdesk.site.stories.models import Author


@admin.register(Author)
class AuthorAdmin(admin.ModelAdmin):
    """Editors keep the profiles; a byline naming an author links their stories to them."""

    list_display = ["name", "slug", "user", "story_count"]
    search_fields = ["name", "user__username"]
    list_select_related = ["user"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["user"]
    fields = ["name", "slug", "bio", "photo_url", "links", "user"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(story_total=Count("stories"))

    @admin.display(description="stories", ordering="story_total")
    def story_count(self, author: Author) -> int:
        return author.story_total
