"""The editors' view of reader ratings: figures and distribution per story, feedback texts,
and the most and least useful stories over a period."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import admin
from django.db.models import Avg, Count
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from newsdesk.site.ratings.models import RatingSummary, Vote
from newsdesk.site.ratings.services import Rating

PERIODS = {"7": "last 7 days", "30": "last 30 days", "90": "last 90 days", "365": "last year"}
USEFUL_ROWS = 10


def distribution_chart(rating: Rating) -> str:
    """The 5★..1★ distribution as <meter> bars (plain HTML: no script, no inline style)."""
    return render_to_string("admin/ratings/distribution.html", {"rating": rating})


@admin.display(description="Reader rating")
def story_rating(story) -> str:
    """For the Story admin: average, count, distribution and a link to the feedback (1 query)."""
    if story is None or story.pk is None:
        return "—"
    summary = RatingSummary.objects.filter(story_id=story.pk).first()
    rating = Rating.from_summary(summary)
    link = reverse("admin:ratings_vote_changelist") + f"?story__id__exact={story.pk}"
    return format_html(
        '{}<p><a href="{}" id="story-rating-votes">Votes and feedback ({})</a></p>',
        distribution_chart(rating),
        link,
        rating.count,
    )


@admin.register(Vote)
class VoteAdmin(admin.ModelAdmin):
    list_display = ["story", "stars", "feedback_excerpt", "updated", "address"]
    list_filter = ["stars", "updated"]
    list_select_related = ["story"]
    search_fields = ["feedback", "story__headline"]
    date_hierarchy = "updated"
    readonly_fields = ["story", "voter", "stars", "feedback", "address", "created", "updated"]
    exclude = ["nonce"]

    @admin.display(description="Feedback")
    def feedback_excerpt(self, vote: Vote) -> str:
        return vote.feedback[:120] + ("…" if len(vote.feedback) > 120 else "")

    def has_add_permission(self, request) -> bool:
        return False  # votes come from readers; editors may read and delete them

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(RatingSummary)
class RatingSummaryAdmin(admin.ModelAdmin):
    list_display = ["story", "count", "average", "chart"]
    list_select_related = ["story"]
    search_fields = ["story__headline"]
    ordering = ["-count"]
    readonly_fields = ["story", "count", "average", "chart", "feedback"]
    fields = readonly_fields
    change_list_template = "admin/ratings/ratingsummary/change_list.html"

    @admin.display(description="Average", ordering="total")
    def average(self, summary: RatingSummary) -> str:
        return Rating.from_summary(summary).average_display

    @admin.display(description="Distribution")
    def chart(self, summary: RatingSummary) -> str:
        return distribution_chart(Rating.from_summary(summary))

    @admin.display(description="Feedback (ratings of 1–2 stars)")
    def feedback(self, summary: RatingSummary) -> str:
        votes = (
            Vote.objects.filter(story_id=summary.story_id)
            .exclude(feedback="")
            .order_by("-updated")
            .values_list("stars", "updated", "feedback")[:200]
        )
        return render_to_string("admin/ratings/feedback.html", {"votes": votes})

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # a summary is recounted from votes, never edited

    def get_urls(self):
        return [
            path("useful/", self.admin_site.admin_view(self.useful_view), name="ratings_useful")
        ] + super().get_urls()

    def useful_view(self, request):
        """The most and least useful stories by the votes cast or changed in a period."""
        if not self.has_view_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        days = request.GET.get("days", "30")
        days = days if days in PERIODS else "30"
        try:
            min_votes = max(1, min(int(request.GET.get("min_votes", "3")), 10_000))
        except ValueError:
            min_votes = 3
        since = timezone.now() - timedelta(days=int(days))
        # One grouped query per list, over the (story, updated) index.
        ranked = (
            Vote.objects.filter(updated__gte=since)
            .values("story_id", "story__headline")
            .annotate(votes=Count("id"), average=Avg("stars"))
            .filter(votes__gte=min_votes)
        )
        context = {
            **self.admin_site.each_context(request),
            "title": "Most and least useful stories",
            "opts": self.model._meta,
            "periods": PERIODS,
            "days": days,
            "min_votes": min_votes,
            "since": since,
            "most": list(ranked.order_by("-average", "-votes")[:USEFUL_ROWS]),
            "least": list(ranked.order_by("average", "-votes")[:USEFUL_ROWS]),
        }
        return TemplateResponse(request, "admin/ratings/useful.html", context)
