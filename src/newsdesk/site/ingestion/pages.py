"""Teaser stories' full pages: fetched like feeds, parsed as HTML, then published.

A feed entry that is only a teaser ("…Continue reading...") is stored as a draft
and its link queued here (``queue_page``). ``fetch_page`` GETs the link with the feed
poller's conditional GET, timeout and size cap (``polling.fetch``), extracts the
article through the HTML parse path and puts its full text into the story, which is
then published if its feed publishes. A failed fetch waits the interval doubled for
each failure in a row (capped at a day), as a failing feed does; the story stays a
draft meanwhile. A page that holds only the teaser so far is asked for again on later
polls with its ``ETag``/``Last-Modified`` (a ``304`` is the same short page), until the
full text arrives or ``MAX_TRIES`` tries have failed.
"""

from __future__ import annotations

import dataclasses
import logging
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from newsdesk.errors import NewsdeskError
from newsdesk.parse.feed import TEASER_WORDS
from newsdesk.site.ingestion.dedupe import store_fingerprint
from newsdesk.site.ingestion.fingerprint import Signature
from newsdesk.site.ingestion.models import PageFetch
from newsdesk.site.ingestion.photos import store_story_photos
from newsdesk.site.ingestion.polling import ERROR_CHARS, PollError, fetch
from newsdesk.site.search import index as search_index
from newsdesk.site.stories.models import Edition, Story
from newsdesk.site.stories.services import plausible_date, update_story

log = logging.getLogger(__name__)

PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
#: A page with fewer words of story than a feed teaser may have is not the full text yet.
FULL_TEXT_WORDS = TEASER_WORDS
#: Date sources of a page that outrank the feed entry's date (the address's date has no time).
PAGE_DATE_SOURCES = ("json-ld", "meta", "time")
#: Tries in a row (errors, teaser-only pages, 304s of those) after which a page is left to
#: the desk: with the doubling backoff, about three days.
MAX_TRIES = 8


def queue_page(story: Story, url: str, *, publish: bool = True) -> PageFetch:
    """Queue ``story``'s full page at ``url`` for fetching, due now."""
    page, _ = PageFetch.objects.update_or_create(
        story=story, defaults={"url": url, "publish": publish, "done": False}
    )
    return page


def fetch_page(page: PageFetch, *, now: datetime | None = None) -> bool:
    """Fetch, parse and store one queued page; True when the story now has its full text.

    A page that answers with no more than a teaser (a paywall, a story still being written)
    is not stored: its ``ETag``/``Last-Modified`` are kept and it is asked for again on a
    later poll, conditionally, with the failure backoff. A ``304 Not Modified`` then means
    the same short page, and counts as a try. After ``MAX_TRIES`` tries in a row it is left
    to the desk (``due`` no longer offers it); the story stays a draft.
    """
    from newsdesk.parse import parse

    now = now or timezone.now()
    try:
        status, body, headers = fetch(
            page.url, etag=page.etag, last_modified=page.last_modified, accept=PAGE_ACCEPT
        )
        if status == 304 and page.done:
            return True  # unchanged since it was fetched
        if status == 304 and (page.etag or page.last_modified) and page.failures:
            raise PollError(f"{page.url}: unchanged since the last try (304), still a teaser")
        if status == 304:
            page.etag = page.last_modified = ""  # nothing kept to compare with: ask in full
            raise PollError(f"{page.url}: 304 Not Modified, but no page was stored yet")
        page.etag = (headers.get("ETag") or headers.get("Etag") or "")[:500]
        page.last_modified = (headers.get("Last-Modified") or "")[:100]
        try:
            article = parse(body, format="html", url=page.url, name=page.url)
        except NewsdeskError as exc:
            raise PollError(str(exc)) from exc
        words = len(article.body_text.split())
        if words < FULL_TEXT_WORDS:
            raise PollError(
                f"{page.url}: the page holds {words} words of story so far, not the full text"
            )
        _store(page, article)
        store_story_photos(page.story)  # the page's own photos, once its story holds them
    except PollError as exc:
        page.failures += 1
        error = str(exc)
        if page.failures >= MAX_TRIES:
            error += f"; given up after {page.failures} tries: left to the desk"
        page.last_error = f"{now:%Y-%m-%d %H:%M:%S} UTC: {error}"[:ERROR_CHARS]
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
        store_fingerprint(story, Signature.of(article.body_text), article=article)
        if story.status == Story.DRAFT and _page_date(article):
            # The page's own date outranks its feed entry's; the story is not out yet.
            story.published_at = article.published
            story.edition, _ = Edition.objects.get_or_create(
                date=timezone.localdate(article.published),
                period=Edition.period_of(article.published),
            )
            story.save(update_fields=["published_at", "edition"])
        if page.publish and story.status == Story.DRAFT:
            story.status = Story.PUBLISHED
            story.published_at = story.published_at or timezone.now()
            story.save(update_fields=["status", "published_at"])
        changed.add(story.pk)


def _page_date(article) -> bool:
    """Whether the page states a real publication time of its own (JSON-LD, meta, time)."""
    return (
        getattr(article, "published_source", None) in PAGE_DATE_SOURCES
        and plausible_date(article.published) is not None
    )


def due(now: datetime | None = None):
    """Pages not fetched yet whose next try has come and that are not given up, oldest
    first."""
    now = now or timezone.now()
    return PageFetch.objects.filter(done=False, next_try__lte=now, failures__lt=MAX_TRIES).order_by(
        "next_try", "pk"
    )


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
