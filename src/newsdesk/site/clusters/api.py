"""The API's clusters: ``GET /api/clusters`` and ``GET /api/clusters/{slug}`` (django-ninja)."""

from __future__ import annotations

from datetime import datetime

from django.core.paginator import EmptyPage, Paginator
from django.db.models import Count
from ninja import Query, Router, Schema, Status

from newsdesk.site.clusters import services
from newsdesk.site.clusters.models import Cluster
from newsdesk.site.stories.models import Story

router = Router(tags=["read"])


class Problem(Schema):
    detail: str


class ClusterStory(Schema):
    headline: str
    site: str
    source_url: str
    url: str
    published_at: datetime | None


class CitationOut(Schema):
    story: str  # the cited story's slug
    site: str
    source_url: str
    sentence: str


class FigureOut(Schema):
    story: str
    numbers: list[str]


class ClusterBulletOut(Schema):
    text: str
    only_one_source: bool
    locked: bool
    citations: list[CitationOut]
    figures: list[FigureOut]


class ClusterTeaser(Schema):
    slug: str
    title: str
    url: str
    size: int
    first_at: datetime | None
    last_at: datetime | None


class ClusterPage(Schema):
    count: int
    page: int
    pages: int
    results: list[ClusterTeaser]


class ClusterOut(ClusterTeaser):
    main_story: str | None
    stories: list[ClusterStory]
    bullets: list[ClusterBulletOut]


def _published():
    return Cluster.objects.filter(main_story__in=Story.objects.published())


def _teaser(request, cluster: Cluster, size: int) -> dict:
    return {
        "slug": cluster.slug,
        "title": cluster.title,
        "url": request.build_absolute_uri(cluster.get_absolute_url()),
        "size": size,
        "first_at": cluster.first_at,
        "last_at": cluster.last_at,
    }


@router.get("", response={200: ClusterPage, 404: Problem})
def list_clusters(
    request, page: int = Query(1, ge=1, le=10_000), page_size: int = Query(20, ge=1, le=100)
):
    """Clusters of same-event stories, newest coverage first, with how many stories each has."""
    clusters = _published().annotate(size=Count("memberships")).order_by("-last_at", "-id")
    paginator = Paginator(clusters, page_size, allow_empty_first_page=True)
    try:
        current = paginator.page(page)
    except EmptyPage:
        return Status(404, {"detail": f"No page {page}: there are {paginator.num_pages}."})
    return {
        "count": paginator.count,
        "page": page,
        "pages": paginator.num_pages,
        "results": [_teaser(request, c, c.size) for c in current.object_list],
    }


@router.get("/{slug}", response={200: ClusterOut, 404: Problem})
def get_cluster(request, slug: str):
    """One cluster: its stories (main story first) and Quick Looks citing them."""
    cluster = _published().filter(slug=slug[:140]).first()
    if cluster is None:
        return Status(404, {"detail": f"No cluster with the slug {slug!r}."})
    published = set(
        Story.objects.published()
        .values_list("pk", flat=True)
        .filter(cluster_membership__cluster=cluster)
    )
    stories = [s for s in services.members(cluster) if s.pk in published]
    by_id = {s.pk: s for s in stories}
    bullets = []
    for bullet in services.bullets(cluster):
        if not any(c.source in by_id for c in bullet.citations):
            continue  # stated by unpublished stories only
        bullets.append(
            {
                "text": bullet.text,
                "only_one_source": bullet.only_one_source,
                "locked": bullet.locked,
                "citations": [
                    {
                        "story": by_id[c.source].slug,
                        "site": by_id[c.source].site_name,
                        "source_url": by_id[c.source].source_url,
                        "sentence": c.text,
                    }
                    for c in bullet.citations
                    if c.source in by_id
                ],
                "figures": [
                    {"story": by_id[s].slug, "numbers": list(n)}
                    for s, n in bullet.figures
                    if s in by_id
                ],
            }
        )
    return {
        **_teaser(request, cluster, len(stories)),
        "main_story": cluster.main_story.slug if cluster.main_story_id else None,
        "stories": [
            {
                "headline": s.headline,
                "site": s.site_name,
                "source_url": s.source_url,
                "url": request.build_absolute_uri(s.get_absolute_url()),
                "published_at": s.published_at,
            }
            for s in stories
        ],
        "bullets": bullets,
    }
