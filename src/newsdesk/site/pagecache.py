"""Full-page cache in front of Django, exact on publish, edit and vote.

Reader pages are rendered once and then served from memory by a small WSGI layer that
runs before Django. Exactness comes from version numbers, not from expiry: every cached
page is stored under the versions it was rendered at — the site's content version, and for
a story page that story's own version, which a vote bumps — and a request is served from
memory only when the current versions still match. Any change to stored content bumps the
site version once its transaction commits, so the next request renders afresh.

Versions live where every app process sees them: in Redis when ``REDIS_URL`` is set
(several machines), else in a small SQLite file in the data directory (several processes
on one machine). Rendered pages stay in each process's memory, gzip-compressed once (when a
client first asks for gzip). A request passed on to Django carries the versions read for it
and this cache's memo of rendered pieces on its environ (``Memo``, ``remembered``).

Most of a render Django does again for a URL not cached yet (a query string, a first visit)
does not depend on the request: the menu, the Latest News list, a story's own body, its More
on / Previous / Next / Similar stories. ``remembered`` keeps those pieces, already rendered,
under the same versions as the pages, so they are exactly as fresh as a cached page: a save
of stored content bumps the site version (every piece is dropped), and a vote bumps the
story's own version (pieces of that story that show its rating are keyed by it).
"""

from __future__ import annotations

import gzip
import hashlib
import sqlite3
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from email.utils import formatdate
from pathlib import Path
from typing import Any

SITE = "site"
CACHEABLE_TYPES = (
    "text/html",
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "application/feed+json",
    "text/xml",
    "text/plain",
)
BYPASS_PREFIXES = ("/admin/", "/desk/", "/api/", "/static/", "/media/")
BYPASS_COOKIES = ("sessionid=",)  # signed-in editors always see the live site
VERSIONS_ENVIRON_KEY = "newsdesk.versions"  # the versions a request was checked against
FRAGMENTS_ENVIRON_KEY = "newsdesk.fragments"  # this cache's Memo of rendered pieces


def story_key(slug: str) -> str:
    return f"story:{slug}"


def seen_versions(request) -> dict[str, int] | None:
    """The versions a request passed on to Django was checked against here, or None.

    None for a request that did not come through the page cache (a signed-in editor,
    ``NEWSDESK_PAGE_CACHE`` off, the test client): its pieces are rendered afresh and not kept,
    so it always sees the live site.
    """
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
    seen = seen_versions(request)
    memo = request.META.get(FRAGMENTS_ENVIRON_KEY)
    if seen is None or memo is None:
        return build()
    return memo.get(seen.get("site"), key, build)


def story_version(request, slug: str) -> int | None:
    """The story's own version (a vote bumps it) this request was checked against, or None."""
    seen = seen_versions(request)
    return seen.get(story_key(slug)) if seen else None


def _key_for_path(path: str) -> str | None:
    """The per-page version key a path depends on besides the site's, if any."""
    if path.startswith("/story/"):
        slug = path[len("/story/") :].strip("/")
        if slug and "/" not in slug:
            return story_key(slug)
    return None


class SqliteVersions:
    """Version counters in a SQLite file shared by every process on this machine."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        with self._connect() as db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS versions (key TEXT PRIMARY KEY, n INTEGER NOT NULL)"
            )

    def _connect(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(
                self.path, timeout=20, isolation_level=None, check_same_thread=False
            )
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            self._local.db = db
        return db

    def get(self, keys: tuple[str, ...]) -> tuple[int, ...]:
        marks = ",".join("?" * len(keys))
        # Safe: the only interpolation is one "?" placeholder per key, built here from a
        # constant; the keys themselves are bound parameters, never part of the SQL text.
        sql = f"SELECT key, n FROM versions WHERE key IN ({marks})"  # noqa: S608
        found = dict(self._connect().execute(sql, keys))
        return tuple(found.get(k, 0) for k in keys)

    def bump(self, key: str) -> None:
        self._connect().execute(
            "INSERT INTO versions (key, n) VALUES (?, 1) ON CONFLICT(key) DO UPDATE SET n = n + 1",
            (key,),
        )


class RedisVersions:
    """Version counters in Redis, shared by app processes on any number of machines."""

    def __init__(self, url: str, prefix: str = "newsdesk:v:") -> None:
        import redis

        self.client = redis.Redis.from_url(url)
        self.prefix = prefix

    def get(self, keys: tuple[str, ...]) -> tuple[int, ...]:
        values = self.client.mget([self.prefix + k for k in keys])
        return tuple(int(v) if v else 0 for v in values)

    def bump(self, key: str) -> None:
        self.client.incr(self.prefix + key)


_versions = None
_versions_lock = threading.Lock()


def versions():
    """The configured version store (created on first use)."""
    global _versions
    if _versions is None:
        with _versions_lock:
            if _versions is None:
                from django.conf import settings

                url = getattr(settings, "REDIS_URL", "")
                _versions = (
                    RedisVersions(url)
                    if url
                    else SqliteVersions(settings.DATA_DIR / "pagecache.sqlite3")
                )
    return _versions


def bump(key: str = SITE) -> None:
    """Make every cached page depending on ``key`` stale, once the current transaction commits
    (at once outside a transaction). The one way the site bumps a page version."""
    from django.db import transaction

    transaction.on_commit(lambda: versions().bump(key))


class Page:
    __slots__ = ("status", "headers", "body", "_gzipped", "etag", "stored", "modified")

    def __init__(self, status: str, headers: list[tuple[str, str]], body: bytes) -> None:
        self.status = status
        self.body = body
        self._gzipped = b"" if len(body) > 512 else None  # b"": compressed when first asked for
        self.etag = '"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"'
        self.stored = time.monotonic()
        self.modified = formatdate(time.time(), usegmt=True)
        # Every answer from this page carries these; only X-Cache and the encoding vary.
        kept = [(k, v) for k, v in headers if k.lower() not in {"content-length", "etag", "vary"}]
        kept += [("ETag", self.etag), ("Last-Modified", self.modified), ("Vary", "Accept-Encoding")]
        if not any(k.lower() == "cache-control" for k, _ in kept):
            # Shared caches (CDN, proxy) must ask again each time; the ETag makes that cheap.
            kept.append(("Cache-Control", "public, max-age=0, must-revalidate"))
        self.headers = kept

    @property
    def gzipped(self) -> bytes | None:
        """The body gzip-compressed once, on the first request that accepts it (None: too small)."""
        if self._gzipped == b"":
            self._gzipped = gzip.compress(self.body, 6, mtime=0)  # a race compresses twice, alike
        return self._gzipped


class PageCache:
    """WSGI middleware: serve cached reader pages, render and store the rest."""

    def __init__(
        self,
        app: Callable,
        *,
        store: Callable | None = None,
        max_pages: int = 2000,
        max_age: float = 300.0,
    ) -> None:
        self.app = app
        self._store = store or versions
        self.max_pages = max_pages
        self.max_age = max_age  # a safety net for pages whose content changes with the clock
        self.pages: OrderedDict[tuple, Page] = OrderedDict()
        self.lock = threading.Lock()
        self.hits = self.misses = 0
        self.fragments = Memo(max_age=max_age)  # pieces of pages, kept under the same versions

    def _cacheable_request(self, environ: dict) -> bool:
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return False
        path = environ.get("PATH_INFO", "")
        if path.startswith(BYPASS_PREFIXES) or path.endswith(".json"):
            return False
        cookies = environ.get("HTTP_COOKIE", "")
        return not any(c in cookies for c in BYPASS_COOKIES) and "HTTP_AUTHORIZATION" not in environ

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if not self._cacheable_request(environ):
            return self.app(environ, start_response)
        path = environ.get("PATH_INFO", "")
        page_key = _key_for_path(path)
        keys = (SITE, page_key) if page_key else (SITE,)
        current = self._store().get(keys)
        environ[VERSIONS_ENVIRON_KEY] = dict(zip(keys, current, strict=True))  # for seen_versions()
        environ[FRAGMENTS_ENVIRON_KEY] = self.fragments
        scheme = environ.get("HTTP_X_FORWARDED_PROTO") or environ.get("wsgi.url_scheme", "http")
        key = (scheme, environ.get("HTTP_HOST", ""), path, environ.get("QUERY_STRING", ""), current)
        with self.lock:
            page = self.pages.get(key)
            if page is not None:
                self.pages.move_to_end(key)
        if page is not None and time.monotonic() - page.stored < self.max_age:
            self.hits += 1
            return self._serve(page, environ, start_response, "hit")
        self.misses += 1
        page = self._render(environ)
        if isinstance(page, list):  # an answer not to share: pass it through as it is
            status, headers, body = page
            start_response(status, headers)
            return body
        with self.lock:
            self.pages[key] = page
            while len(self.pages) > self.max_pages:
                self.pages.popitem(last=False)
        return self._serve(page, environ, start_response, "miss")

    def _render(self, environ: dict):
        """Run Django; a Page when the answer may be shared, else the answer as a list."""
        captured: dict = {}

        def capture(status, headers, exc_info=None):
            captured["status"], captured["headers"] = status, headers
            return lambda data: captured.setdefault("written", []).append(data)

        inner = dict(environ)
        inner.pop("HTTP_ACCEPT_ENCODING", None)  # compress once here, not per request in Django
        inner.pop("HTTP_IF_NONE_MATCH", None)
        inner.pop("HTTP_IF_MODIFIED_SINCE", None)
        result = self.app(inner, capture)
        try:
            body = b"".join(captured.get("written", [])) + b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        status, headers = captured["status"], captured["headers"]
        names = {k.lower(): v for k, v in headers}
        shareable = (
            status.startswith("200")
            and "set-cookie" not in names
            and "cookie" not in names.get("vary", "").lower()
            and names.get("content-type", "").split(";")[0].strip() in CACHEABLE_TYPES
            and not any(
                d in names.get("cache-control", "") for d in ("private", "no-store", "no-cache")
            )
        )
        if not shareable:
            if environ.get("REQUEST_METHOD") == "HEAD":
                body = b""
            return [status, headers, [body]]
        return Page(status, headers, body)

    def _serve(
        self, page: Page, environ: dict, start_response: Callable, state: str
    ) -> list[bytes]:
        headers = [*page.headers, ("X-Cache", state)]
        match = environ.get("HTTP_IF_NONE_MATCH")
        if (
            (page.etag in match)
            if match
            else environ.get("HTTP_IF_MODIFIED_SINCE") == page.modified
        ):
            start_response(
                "304 Not Modified", [(k, v) for k, v in headers if k.lower() != "content-type"]
            )
            return []
        body = page.body
        if "gzip" in environ.get("HTTP_ACCEPT_ENCODING", "") and page.gzipped is not None:
            body = page.gzipped
            headers.append(("Content-Encoding", "gzip"))
        headers.append(("Content-Length", str(len(body))))
        start_response(page.status, headers)
        return [] if environ.get("REQUEST_METHOD") == "HEAD" else [body]


CONTENT_APPS = ("stories", "desk")


def connect() -> None:
    """Bump the site version whenever a content model is saved or deleted."""
    from django.apps import apps
    from django.db.models.signals import m2m_changed, post_delete, post_save

    def changed(sender, **kwargs) -> None:
        if not kwargs.get("raw"):
            bump(SITE)

    m2m_changed.connect(changed, dispatch_uid="newsdesk-pagecache-m2m", weak=False)
    for label in CONTENT_APPS:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in config.get_models():
            uid = f"newsdesk-pagecache-{model._meta.label}"
            post_save.connect(changed, sender=model, dispatch_uid=uid + "-save", weak=False)
            post_delete.connect(changed, sender=model, dispatch_uid=uid + "-delete", weak=False)
