"""Feed sources polled by the worker, and the body fingerprints that find near-duplicates."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils import timezone

from newsdesk.site.stories.models import Section, Story

MAX_BACKOFF = timedelta(days=1)


class FeedSource(models.Model):
    """An RSS, Atom or JSON feed that ``newsdesk worker`` polls and ingests."""

    url = models.URLField("feed URL", max_length=1000, unique=True)
    name = models.CharField(max_length=200, blank=True)
    section = models.ForeignKey(
        Section,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feed_sources",
        verbose_name="default section",
        help_text="Section of a story from this feed that no category rule places; "
        "none: the story waits in the Unsorted desk queue.",
    )
    interval = models.PositiveIntegerField(
        "poll interval (seconds)", default=900, help_text="Time between two polls when all is well."
    )
    active = models.BooleanField(default=True)
    etag = models.CharField(max_length=500, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_polled = models.DateTimeField(null=True, blank=True, editable=False)
    last_error = models.TextField(blank=True, editable=False)
    failures = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="Failed polls in a row (the backoff doubles with each).",
    )
    next_poll = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["name", "url"]

    def __str__(self) -> str:
        return self.name or self.url

    def backoff(self) -> timedelta:
        """How long to wait after ``failures`` failed polls: the interval doubled each time."""
        seconds = self.interval * 2 ** min(self.failures, 20)
        return min(timedelta(seconds=seconds), MAX_BACKOFF)


class CategoryRule(models.Model):
    """An editor's rule: a story whose feed category is ``category`` goes into ``section``.

    A rule with no source applies to every feed; a source's own rules win over those.
    """

    source = models.ForeignKey(
        FeedSource,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="rules",
        help_text="Empty: the rule applies to every feed.",
    )
    category = models.CharField(
        max_length=100, help_text="The feed's category or tag, matched ignoring case."
    )
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="category_rules")

    class Meta:
        ordering = ["source__name", "category"]
        constraints = [
            models.UniqueConstraint(fields=["source", "category"], name="one_rule_per_category")
        ]

    def __str__(self) -> str:
        return f"{self.category} → {self.section}"


class PageFetch(models.Model):
    """A teaser story's full page, fetched like a feed (conditional GET, cap, backoff).

    The story stays a draft until its page is fetched and parsed; then ``done`` is set.
    """

    story = models.OneToOneField(Story, on_delete=models.CASCADE, related_name="page_fetch")
    url = models.URLField(max_length=1000)
    publish = models.BooleanField(default=True, help_text="Publish the story once fetched.")
    done = models.BooleanField(default=False)
    etag = models.CharField(max_length=500, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    failures = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    interval = models.PositiveIntegerField(default=900)
    next_try = models.DateTimeField(default=timezone.now, db_index=True)

    def __str__(self) -> str:
        return self.url

    def backoff(self) -> timedelta:
        """The wait after ``failures`` failed fetches: the interval doubled each time."""
        seconds = self.interval * 2 ** min(self.failures, 20)
        return min(timedelta(seconds=seconds), MAX_BACKOFF)


class Fingerprint(models.Model):
    """A story body's MinHash signature (see ``ingestion.fingerprint``)."""

    story = models.OneToOneField(Story, on_delete=models.CASCADE, related_name="fingerprint")
    value = models.BinaryField(help_text="MinHash signature: little-endian uint64 hash values.")
    absorbed = models.JSONField(
        default=list,
        blank=True,
        help_text="Keys of the input versions the story took in: one sent again is a duplicate.",
    )

    def __str__(self) -> str:
        return f"fingerprint of {self.story_id}"


class FingerprintBand(models.Model):
    """One LSH band key of a fingerprint: equal keys make two stories candidates."""

    fingerprint = models.ForeignKey(Fingerprint, on_delete=models.CASCADE, related_name="bands")
    key = models.BigIntegerField(db_index=True)

    def __str__(self) -> str:
        return f"band {self.key} of {self.fingerprint_id}"
