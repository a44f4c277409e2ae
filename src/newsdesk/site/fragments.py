"""Rendered pieces of reader pages, remembered per process for one site version.

The full-page cache (``pagecache``) keys whole pages by URL; a page asked for under another
URL (a query string, a first visit) is rendered by Django again. Most of such a render does
not depend on the request at all: the menu, the Latest News list, a story's own body, its
More on / Previous / Next / Similar stories. This module keeps those pieces, already rendered,
under the same version numbers the page cache uses, so they are exactly as fresh as a cached
page: any save of stored content bumps the site version (every piece is dropped), and a vote
bumps the story's own version (pieces of that story that show its rating are keyed by it).

The versions are read once per request, by ``PageCache`` before Django runs, and handed down
on the WSGI environ with the cache's own ``Memo`` (one per page cache, so per process). A
request that did not come through the page cache (a signed-in editor, ``NEWSDESK_PAGE_CACHE``
off, the test client) carries no versions: its pieces are rendered afresh and not kept, so it
always sees the live site.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from newsdesk.site.pagecache import FRAGMENTS_ENVIRON_KEY, VERSIONS_ENVIRON_KEY, story_key


def versions(request) -> dict[str, int] | None:
    """The versions this request was checked against by the page cache, or None."""
    return request.META.get(VERSIONS_ENVIRON_KEY)


class Memo:
    """Values built for one site version, dropped as soon as a newer one is seen.

    ``max_age`` is the same safety net as the page cache's, for content that changes with the
    clock alone (a story whose publish time arrives); ``max_entries`` bounds the memory.
    """

    def __init__(self, max_entries: int = 3000, max_age: float = 300.0) -> None:
        self.max_entries = max_entries
        self.max_age = max_age
        self.site: int | None = None
        self.entries: OrderedDict[tuple, tuple[float, Any]] = OrderedDict()
        self.lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, site: int | None, key: tuple, build: Callable[[], Any]) -> Any:
        """``build()``'s value for ``key`` at site version ``site``, built at most once per version.

        ``site`` None (no version known) builds every time and keeps nothing.
        """
        if site is None:
            return build()
        now = time.monotonic()
        with self.lock:
            if self.site is None or site > self.site:
                self.site = site
                self.entries.clear()
            if site == self.site:
                found = self.entries.get(key)
                if found is not None and now - found[0] < self.max_age:
                    self.entries.move_to_end(key)
                    self.hits += 1
                    return found[1]
        self.misses += 1
        value = build()
        with self.lock:
            if site == self.site:  # not when a newer version came meanwhile, nor for an older one
                self.entries[key] = (now, value)
                while len(self.entries) > self.max_entries:
                    self.entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self.lock:
            self.site = None
            self.entries.clear()


def remembered(request, key: tuple, build: Callable[[], Any]) -> Any:
    """``build()``'s value for ``key``, from this process's memo when the request carries the
    site version (and every version key ``key`` itself names is part of ``key``)."""
    seen = versions(request)
    memo = request.META.get(FRAGMENTS_ENVIRON_KEY)
    if seen is None or memo is None:
        return build()
    return memo.get(seen.get("site"), key, build)


def menu_html(request):
    """The menu's list items, rendered once per site version; None without versions."""
    if versions(request) is None:
        return None

    def build():
        from django.template.loader import render_to_string

        from newsdesk.site.stories.models import Section

        sections = Section.objects.filter(in_menu=True)
        return render_to_string("stories/_menu.html", {"menu_sections": sections})

    return remembered(request, ("menu",), build)


def story_version(request, slug: str) -> int | None:
    """The story's own version (a vote bumps it) this request was checked against, or None."""
    seen = versions(request)
    return seen.get(story_key(slug)) if seen else None
