"""Reader votes ("How useful was this article?") and each story's running tally."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone

from newsdesk.site.stories.models import Story

STARS = range(1, 6)


class Vote(models.Model):
    """One reader's rating of one story; a second vote by the same reader replaces the first."""

    # No index of its own: the (story, voter) and (story, updated) indexes both start with it,
    # and each index is one more page a vote writes (bench/ratings.py).
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="votes", db_index=False)
    # "r:<random>" from the signed reader cookie, or "u:<id>" for a signed-in user.
    voter = models.CharField(max_length=64)
    stars = models.PositiveSmallIntegerField()
    feedback = models.TextField(blank=True, help_text="Only asked for ratings of 1 or 2 stars.")
    address = models.CharField(
        max_length=32,
        blank=True,
        help_text="Keyed hash of the voter's address (never the address).",
    )
    # The form that cast the vote: the same reader sending the same form twice is a replay.
    nonce = models.CharField(max_length=32, blank=True)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["story", "voter"], name="one_vote_per_reader_per_story"
            ),
            models.CheckConstraint(condition=Q(stars__gte=1, stars__lte=5), name="stars_1_to_5"),
        ]
        indexes = [models.Index(fields=["story", "updated"], name="vote_story_updated")]

    def __str__(self) -> str:
        return f"{self.stars}★ on {self.story_id} by {self.voter[:10]}…"


class RatingSummary(models.Model):
    """Running totals of a story's votes, updated in the vote's transaction: pages read one row."""

    story = models.OneToOneField(
        Story, on_delete=models.CASCADE, primary_key=True, related_name="rating_summary"
    )
    count = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    stars_1 = models.PositiveIntegerField(default=0)
    stars_2 = models.PositiveIntegerField(default=0)
    stars_3 = models.PositiveIntegerField(default=0)
    stars_4 = models.PositiveIntegerField(default=0)
    stars_5 = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "story rating"
        verbose_name_plural = "story ratings"

    def __str__(self) -> str:
        return f"{self.count} votes on story {self.story_id}"

    @property
    def distribution(self) -> tuple[int, ...]:
        return tuple(getattr(self, f"stars_{n}") for n in STARS)
