"""The cluster page, and the coverage block the story page shows."""

from __future__ import annotations

from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string

from newsdesk.site.clusters import services
from newsdesk.site.clusters.models import Cluster, Membership
from newsdesk.site.stories.models import Story


def context(cluster: Cluster) -> dict:
    """What the coverage block and the cluster page show: 2 queries."""
    # Readers see published members only; a bullet only unpublished stories state is left out.
    stories = [s for s in services.members(cluster) if s.pk in _published_ids(cluster)]
    by_id = {s.pk: s for s in stories}
    bullets = []
    for bullet in services.bullets(cluster):
        cited = [(by_id[c.source], c) for c in bullet.citations if c.source in by_id]
        figures = [(by_id[s], numbers) for s, numbers in bullet.figures if s in by_id]
        if cited:
            bullets.append({"bullet": bullet, "cited": cited, "figures": figures})
    timeline = sorted(stories, key=lambda s: (s.published_at or s.created_at, s.pk))
    return {"cluster": cluster, "stories": stories, "bullets": bullets, "timeline": timeline}


def _published_ids(cluster: Cluster) -> set[int]:
    return set(
        Story.objects.published()
        .filter(cluster_membership__cluster=cluster)
        .values_list("pk", flat=True)
    )


def coverage_html(story) -> str:
    """The story page's "Coverage from N sources" block, or "" for a story covered once."""
    membership = Membership.objects.select_related("cluster").filter(story_id=story.pk).first()
    if membership is None:
        return ""
    parts = context(membership.cluster)
    if len(parts["stories"]) < 2:
        return ""
    return render_to_string("clusters/_coverage.html", {**parts, "current": story})


def cluster_detail(request, slug: str):
    cluster = get_object_or_404(Cluster, slug=slug, main_story__in=Story.objects.published())
    return render(request, "clusters/cluster_detail.html", context(cluster))
