"""The desk's view of clusters: watch them form, pin a main story, split a member out, merge."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count
from django.utils.html import format_html, format_html_join

from newsdesk.site.clusters import services
from newsdesk.site.clusters.models import Cluster, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ("story", "score", "by_editor", "joined_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Cluster)
class ClusterAdmin(admin.ModelAdmin):
    list_display = ("title", "size", "main_story", "pinned", "first_at", "last_at")
    list_select_related = ("main_story",)
    search_fields = ("title", "slug")
    readonly_fields = ("slug", "title", "first_at", "last_at", "quick_looks")
    fields = ("slug", "title", "main_story", "pinned", "first_at", "last_at", "quick_looks")
    inlines = [MembershipInline]
    actions = ["merge_clusters", "lock_bullets"]

    def get_queryset(self, request):
        # one query for the list, sizes counted in it
        return super().get_queryset(request).annotate(size=Count("memberships"))

    @admin.display(ordering="size")
    def size(self, cluster: Cluster) -> int:
        return cluster.size

    @admin.display(description="Quick Looks (locked ones marked)")
    def quick_looks(self, cluster: Cluster):
        return format_html(
            "<ol>{}</ol>",
            format_html_join(
                "",
                "<li>{}{} <small>({} source(s))</small></li>",
                (
                    ("🔒 " if b.locked else "", b.text, len(b.sources))
                    for b in services.bullets(cluster)
                ),
            ),
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "main_story":
            cluster_id = request.resolver_match.kwargs.get("object_id")
            from newsdesk.site.stories.models import Story

            kwargs["queryset"] = Story.objects.filter(cluster_membership__cluster_id=cluster_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if "main_story" in form.changed_data and obj.main_story_id:
            obj.pinned = True  # an editor's choice of main story stays as the cluster grows
        super().save_model(request, obj, form, change)

    @admin.action(description="Merge the selected clusters into the oldest", permissions=["change"])
    def merge_clusters(self, request, queryset):
        clusters = list(queryset.order_by("created_at", "id"))
        if len(clusters) < 2:
            self.message_user(request, "Select two clusters or more to merge.", messages.WARNING)
            return
        into = clusters[0]
        for other in clusters[1:]:
            services.merge(into, other)
        self.message_user(request, f"Merged {len(clusters) - 1} cluster(s) into “{into}”.")

    @admin.action(description="Lock the current bullets", permissions=["change"])
    def lock_bullets(self, request, queryset):
        for cluster in queryset:
            services.lock_bullets(cluster)
        self.message_user(request, f"Locked the bullets of {queryset.count()} cluster(s).")


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("story", "cluster", "score", "by_editor", "joined_at")
    list_select_related = ("story", "cluster")
    list_filter = ("by_editor",)
    search_fields = ("story__headline", "cluster__title")
    readonly_fields = ("story", "cluster", "score", "by_editor", "joined_at")
    actions = ["pin_main_story", "split_out"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Pin as its cluster's main story", permissions=["change"])
    def pin_main_story(self, request, queryset):
        for membership in queryset.select_related("story"):
            services.pin(membership.story)
        self.message_user(request, f"Pinned {queryset.count()} main story(ies).")

    @admin.action(description="Split out into a cluster of its own", permissions=["change"])
    def split_out(self, request, queryset):
        for membership in list(queryset.select_related("story")):
            services.split(membership.story)
        self.message_user(request, f"Split {queryset.count()} story(ies) out.")
