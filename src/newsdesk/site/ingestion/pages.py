"""Teaser stories' full pages: fetched like feeds, parsed as HTML, then published.

A feed entry that is only a teaser ("…Continue reading...") is stored as a draft
and its link queued here (``queue_page``). ``fetch_page`` GETs the link with the feed
poller's conditional GET, timeout and size cap (``polling.fetch``), extracts the
article through the HTML parse path and puts its full text into the story, which is
then published if its feed publishes. A failed fetch waits the interval doubled for
each failure in a row (capped at a day), as a failing feed does; the story stays a
draft meanwhile.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from newsdesk.errors import NewsdeskError
from newsdesk.site.ingestion.dedupe import store_fingerprint
from newsdesk.site.ingestion.fingerprint import Signature
from newsdesk.site.ingestion.models import PageFetch
from newsdesk.site.ingestion.polling import ERROR_CHARS, PollError, fetch
from newsdesk.site.search import index as search_index
from newsdesk.site.stories.models import Story
from newsdesk.site.stories.services import update_story

log = logging.getLogger(__name__)

PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"


def queue_page(story: Story, url: str, *, publish: bool = True) -> PageFetch:
    """Queue ``story``'s full page at ``url`` for fetching, due now."""
    page, _ = PageFetch.objects.update_or_create(
        story=story, defaults={"url": url, "publish": publish, "done": False}
    )
    return page


def fetch_page(page: PageFetch, *, now: datetime | None = None) -> bool:
    """Fetch, parse and store one queued page; True when the story now has its full text."""
    from newsdesk.parse import parse

    now = now or timezone.now()
    try:
        status, body, headers = fetch(
            page.url, etag=page.etag, last_modified=page.last_modified, accept=PAGE_ACCEPT
        )
        if status == 304 and page.done:
            return True  # unchanged since it was fetched
        if status == 304:
            page.etag = page.last_modified = ""  # nothing kept to compare with: ask in full
            raise PollError(f"{page.url}: 304 Not Modified, but no page was stored yet")
        try:
            article = parse(body, format="html", url=page.url, name=page.url)
        except NewsdeskError as exc:
            raise PollError(str(exc)) from exc
        if not article.body_text.strip():
            raise PollError(f"{page.url}: the page holds no story text")
        _store(page, article)
        page.etag = (headers.get("ETag") or headers.get("Etag") or "")[:500]
        page.last_modified = (headers.get("Last-Modified") or "")[:100]
    except PollError as exc:
        page.failures += 1
        page.last_error = f"{now:%Y-%m-%d %H:%M:%S} UTC: {exc}"[:ERROR_CHARS]
        page.next_try = now + page.backoff()
        page.save()
        log.warning("page %s failed (%d in a row): %s", page.url, page.failures, exc)
        return False
    page.done, page.failures, page.last_error = True, 0, ""
    page.next_try = now + timedelta(seconds=page.interval)
    page.save()
    return True


@transaction.atomic
def _store(page: PageFetch, article) -> None:
    """Put the page's text into the teaser's story and publish it if its feed publishes."""
    story = Story.objects.select_for_update().get(pk=page.story_id)
    # The feed's headline and the editors' section mapping stay; the page gives the text.
    article = dataclasses.replace(article, headline=story.headline, sections=())
    with search_index.deferred() as changed:
        update_story(story, article)
        store_fingerprint(story, Signature.of(article.body_text))
        if page.publish and story.status == Story.DRAFT:
            story.status = Story.PUBLISHED
            story.published_at = story.published_at or timezone.now()
            story.save(update_fields=["status", "published_at"])
        changed.add(story.pk)


def due(now: datetime | None = None):
    """Pages not fetched yet whose next try has come, oldest first."""
    now = now or timezone.now()
    return PageFetch.objects.filter(done=False, next_try__lte=now).order_by("next_try", "pk")


def fetch_due(now: datetime | None = None, *, limit: int = 50, story_ids=None) -> int:
    """Fetch the due pages (of ``story_ids`` only, when given); returns how many succeeded."""
    now = now or timezone.now()
    if story_ids is None:
        pages = due(now)
    else:  # just queued by this poll: due whatever the clock said when the poll began
        pages = PageFetch.objects.filter(done=False, story_id__in=story_ids).order_by("pk")
    fetched = 0
    for page in pages[:limit]:
        # Claim it, as feeds are claimed: two workers never fetch one page.
        claimed = PageFetch.objects.filter(pk=page.pk, next_try=page.next_try).update(
            next_try=now + timedelta(seconds=page.interval)
        )
        if claimed:
            page.next_try = now + timedelta(seconds=page.interval)
            fetched += fetch_page(page, now=now)
    return fetched
