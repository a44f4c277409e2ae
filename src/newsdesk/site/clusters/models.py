"""A cluster of stories on one event, and each story's membership (a story has at most one)."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from newsdesk.site.stories.models import Story


class Cluster(models.Model):
    """Stories on one event. The slug is fixed when the cluster starts, so its URL stays."""

    slug = models.SlugField(max_length=140, unique=True)
    title = models.CharField(max_length=300, help_text="The headline it started with.")
    main_story = models.ForeignKey(
        Story, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    pinned = models.BooleanField(
        default=False, help_text="An editor chose the main story: new stories never replace it."
    )
    # The cluster's Quick Looks: newsdesk.cluster.ClusterBullet.to_dict() each, in order;
    # a bullet with "locked": true is an editor's and stays word for word as the cluster grows.
    bullets = models.JSONField(default=list, blank=True)
    first_at = models.DateTimeField(null=True, blank=True)
    last_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-last_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("clusters:detail", args=[self.slug])


class Membership(models.Model):
    """A story's place in a cluster; one row per story at most."""

    story = models.OneToOneField(Story, on_delete=models.CASCADE, related_name="cluster_membership")
    cluster = models.ForeignKey(Cluster, on_delete=models.CASCADE, related_name="memberships")
    score = models.FloatField(
        null=True, blank=True, help_text="The match score it joined with; empty: it started one."
    )
    by_editor = models.BooleanField(default=False)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cluster", "story__published_at", "id"]

    def __str__(self) -> str:
        return f"{self.story} in {self.cluster}"
