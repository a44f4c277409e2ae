"""``newsdesk manage cluster_stories``: place the stories stored before the clusters app."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from newsdesk.site.clusters import services
from newsdesk.site.clusters.models import Cluster
from newsdesk.site.stories.models import Story


class Command(BaseCommand):
    help = (
        "Place every stored story that is in no cluster yet (stories stored before the "
        "clusters app was installed), oldest first, as ingest places new ones. Running it "
        "again places nothing."
    )

    def handle(self, *args, **options) -> None:
        waiting = Story.objects.filter(cluster_membership__isnull=True)
        # Oldest first: each story meets the ones published before it, as at ingest.
        pks = list(
            waiting.order_by("published_at", "created_at", "pk").values_list("pk", flat=True)
        )
        before = Cluster.objects.count()
        placed = 0
        for pk in pks:
            story = Story.objects.filter(pk=pk).first()
            if story is not None:  # deleted meanwhile: nothing to place
                services.assign(story)
                placed += 1
        started = Cluster.objects.count() - before
        already = Story.objects.count() - placed
        self.stdout.write(
            f"{placed} placed ({started} new clusters, {placed - started} joined one), "
            f"{already} already in a cluster"
        )
