"""One entry per cluster in lists: a cluster's other stories step aside for its main story."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet


def one_per_cluster(stories: QuerySet) -> QuerySet:
    """``stories`` less those that are not their cluster's main story (one join)."""
    return stories.filter(
        Q(cluster_membership__isnull=True)
        | Q(cluster_membership__cluster__main_story_id=F("pk"))
        | Q(cluster_membership__cluster__main_story__isnull=True)
    )
