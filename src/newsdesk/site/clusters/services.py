"""Place each new story in a cluster, keep the clusters' Quick Looks, and the desk's actions.

The clustering itself is the library's (``newsdesk.cluster``): this process keeps one
``ClusterIndex`` of the stored memberships, built once and then updated in place as
stories are placed (milliseconds each, nothing re-clustered). Another process's writes
show in a changed state token (memberships' count and newest id, clusters' newest
change), which makes this one rebuild its index before the next placement.
"""

from __future__ import annotations

import logging
import threading

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max
from django.utils.text import slugify

from newsdesk.cluster import (
    ClusterBullet,
    ClusterIndex,
    ClusterOptions,
    Doc,
    Source,
    cluster_looks,
)
from newsdesk.site import pagecache
from newsdesk.site.clusters.models import Cluster, Membership
from newsdesk.site.stories.models import Story

log = logging.getLogger(__name__)

LEAD_CHARS = 600  # how much of a story's opening the clusterer compares, after its headline

_lock = threading.Lock()
_state: dict = {"token": None, "index": None}


def options() -> ClusterOptions:
    """The clustering options, from settings NEWSDESK_CLUSTER_THRESHOLD and _WINDOW_HOURS."""
    defaults = ClusterOptions()
    return ClusterOptions(
        threshold=float(getattr(settings, "NEWSDESK_CLUSTER_THRESHOLD", defaults.threshold)),
        window_hours=float(
            getattr(settings, "NEWSDESK_CLUSTER_WINDOW_HOURS", defaults.window_hours)
        ),
    )


def _lead(story: Story) -> str:
    text = story.summary or ""
    for block in story.blocks or ():
        if len(text) >= LEAD_CHARS:
            break
        text += " " + (block.get("text") or " ".join(block.get("items") or ()))
    return text[:LEAD_CHARS]


def _text(story: Story) -> str:
    parts = [story.summary] if story.summary else []
    for block in story.blocks or ():
        if block.get("kind") in ("paragraph", "quote") and block.get("text"):
            parts.append(block["text"])
    return "\n".join(parts)


def _doc(story: Story) -> Doc:
    return Doc(story.pk, story.headline, _lead(story), story.published_at or story.created_at)


def _token() -> tuple:
    members = Membership.objects.aggregate(n=Count("id"), last=Max("id"))
    changed = Cluster.objects.aggregate(last=Max("updated_at"))["last"]
    return (members["n"], members["last"], changed)


def _index() -> ClusterIndex:
    """This process's index, rebuilt from the database when another process changed it."""
    token = _token()
    if _state["index"] is None or _state["token"] != token:
        index = ClusterIndex(options())
        rows = Membership.objects.select_related("story").order_by("id")
        for m in rows.only(
            "cluster_id",
            "story__headline",
            "story__summary",
            "story__blocks",
            "story__published_at",
            "story__created_at",
        ):
            index.place(_doc(m.story), m.cluster_id)
        _state.update(index=index, token=token)
    return _state["index"]


def _settle() -> None:
    """Record the state this process's index now matches (after its own writes)."""
    _state["token"] = _token()


def reset() -> None:
    """Forget this process's index (tests, or after changing the options)."""
    with _lock:
        _state.update(index=None, token=None)


def _unique_slug(story: Story) -> str:
    base = (slugify(story.slug or story.headline) or "cluster")[:120]
    slug, n = base, 2
    while Cluster.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def assign(story: Story) -> Cluster:
    """Place ``story`` in the cluster it fits best, or start one; return its cluster."""
    with _lock:
        existing = Membership.objects.filter(story=story).select_related("cluster").first()
        if existing:
            return existing.cluster
        index = _index()
        doc = _doc(story)
        match = index.best(doc)
        with transaction.atomic():
            cluster = Cluster.objects.filter(pk=match.cluster).first() if match else None
            score = match.score if cluster is not None else None
            if cluster is None:
                cluster = Cluster.objects.create(
                    slug=_unique_slug(story), title=story.headline, main_story=story
                )
            Membership.objects.create(story=story, cluster=cluster, score=score)
            refresh(cluster)
        index.place(doc, cluster.pk)
        _settle()
    log.info("story %s placed in cluster %s (%s)", story.pk, cluster.slug, match)
    return cluster


def story_saved(sender, instance: Story, created: bool, raw: bool = False, **kwargs) -> None:
    """Place a newly stored story once its transaction commits (ingest, the API, the desk);
    refresh the cluster of a changed one (an ingest "updated", an edit saved in the desk)."""
    if raw:
        return
    pk = instance.pk

    def place() -> None:
        story = Story.objects.filter(pk=pk).first()
        if story is not None:
            assign(story)

    def changed() -> None:
        membership = (
            Membership.objects.filter(story_id=pk).select_related("cluster", "story").first()
        )
        # A cluster saved after the story already reflects it (a story created and saved
        # again in one transaction was just placed, its cluster refreshed then).
        if membership is not None and membership.cluster.updated_at < membership.story.updated_at:
            with _lock, transaction.atomic():
                refresh(membership.cluster)

    # robust: a failure here is logged and never undoes or fails the ingest or the save
    transaction.on_commit(place if created else changed, robust=True)


def members(cluster: Cluster) -> list[Story]:
    """The cluster's stories, main story first, then by publication time (one query)."""
    stories = list(
        Story.objects.filter(cluster_membership__cluster=cluster).order_by("published_at", "id")
    )
    stories.sort(key=lambda s: s.pk != cluster.main_story_id)
    return stories


def bullets(cluster: Cluster) -> list[ClusterBullet]:
    return [ClusterBullet.from_dict(b) for b in cluster.bullets]


def refresh(cluster: Cluster) -> None:
    """Recompute what follows from the members: times, main story, Quick Looks."""
    stories = members(cluster)
    if not stories:
        cluster.delete()
        return
    times = [s.published_at or s.created_at for s in stories]
    cluster.first_at, cluster.last_at = min(times), max(times)
    ids = {s.pk for s in stories}
    if cluster.main_story_id not in ids:
        cluster.main_story, cluster.pinned = stories[0], False
        stories = members(cluster)
    if len(stories) >= 2:
        locked = [b for b in bullets(cluster) if b.locked]
        sources = [
            Source(s.pk, s.site_name or _host(s.source_url), s.source_url, s.headline, _text(s))
            for s in stories
        ]
        looks = cluster_looks(sources, locked=locked)
        cluster.bullets = [b.to_dict() for b in looks.bullets]
    else:
        cluster.bullets = [b.to_dict() for b in bullets(cluster) if b.locked]
    cluster.save()
    pagecache.bump()  # every page showing the cluster (story pages, home) renders afresh


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or ""


@transaction.atomic
def pin(story: Story) -> Cluster:
    """Make ``story`` its cluster's main story, kept as the cluster grows."""
    membership = Membership.objects.select_related("cluster").get(story=story)
    cluster = membership.cluster
    cluster.main_story, cluster.pinned = story, True
    cluster.save()
    pagecache.bump()
    return cluster


def split(story: Story) -> Cluster:
    """Take ``story`` out of its cluster into a cluster of its own (an editor's call)."""
    with _lock, transaction.atomic():
        membership = Membership.objects.select_related("cluster").get(story=story)
        old = membership.cluster
        new = Cluster.objects.create(
            slug=_unique_slug(story), title=story.headline, main_story=story
        )
        membership.cluster, membership.by_editor, membership.score = new, True, None
        membership.save()
        refresh(old)
        refresh(new)
        index = _state["index"]
        if index is not None and story.pk in index:
            index.place(_doc(story), new.pk)
            _settle()
    return new


def merge(into: Cluster, other: Cluster) -> Cluster:
    """Move every story of ``other`` into ``into`` (which keeps its slug and main story)."""
    if into.pk == other.pk:
        return into
    with _lock, transaction.atomic():
        Membership.objects.filter(cluster=other).update(cluster=into, by_editor=True)
        # The other cluster's locked bullets are an editor's too: they come along.
        into.bullets = into.bullets + [b for b in other.bullets if b.get("locked")]
        other.delete()
        refresh(into)
        index = _state["index"]
        if index is not None:
            index.merge(into.pk, other.pk)
            _settle()
    return into


def lock_bullets(cluster: Cluster) -> None:
    """Lock the cluster's current bullets: they stay, word for word, as it grows."""
    cluster.bullets = [{**b, "locked": True} for b in cluster.bullets]
    cluster.save()
    pagecache.bump()
