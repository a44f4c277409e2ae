"""Editions in the desk's admin: their stories in order, and the newsletter as mailed."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path

from newsdesk.site.desk.newsletter import render_html, render_text
from newsdesk.site.stories.models import Edition, EditionEntry


class EditionEntryInline(admin.TabularInline):
    model = EditionEntry
    extra = 0
    fields = ["order", "story"]
    raw_id_fields = ["story"]


@admin.register(Edition)
class EditionAdmin(admin.ModelAdmin):
    list_display = ["date", "period", "story_count"]
    list_filter = ["period"]
    date_hierarchy = "date"
    inlines = [EditionEntryInline]
    actions = ["prefill_selected"]
    change_form_template = "admin/stories/edition/desk_change_form.html"

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(n_entries=models.Count("entries"))

    @admin.display(description="stories in order", ordering="n_entries")
    def story_count(self, edition) -> int:
        return edition.n_entries

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:  # a new edition starts with its half-day's published stories
            form.instance.prefill()

    @admin.action(
        description="Fill empty editions with their half-day's published stories",
        permissions=["change"],
    )
    def prefill_selected(self, request, queryset):
        n = sum(edition.prefill() for edition in queryset)
        self.message_user(request, f"{n} stories placed.", messages.SUCCESS)

    def get_urls(self):
        return [
            path(
                "<int:pk>/newsletter.<str:fmt>",
                self.admin_site.admin_view(self.newsletter_view),
                name="stories_edition_newsletter",
            ),
        ] + super().get_urls()

    def newsletter_view(self, request, pk: int, fmt: str):
        """The newsletter exactly as mailed: ``html`` or ``txt``."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        edition = get_object_or_404(Edition, pk=pk)
        base = request.build_absolute_uri("/")
        if fmt == "txt":
            return HttpResponse(
                render_text(edition, base_url=base), content_type="text/plain; charset=utf-8"
            )
        if fmt != "html":
            raise Http404(f"no newsletter format {fmt!r}: use html or txt")
        response = HttpResponse(render_html(edition, base_url=base))
        # The email's styles are inline by necessity; this page has no script at all.
        response._csp_replace = {"style-src": ["'unsafe-inline'"], "script-src": ["'none'"]}
        return response
