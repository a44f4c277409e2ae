"""Shared fixtures: stories built through the one seam the site uses (ingestion.store.ingest)."""

import os
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

# Playwright's sync API runs an event loop; Django's ORM refuses to run beside one unless told.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
# The live server's request threads would otherwise keep PostgreSQL connections open past
# the end of the run, and the test database could not be dropped.
os.environ.setdefault("NEWSDESK_CONN_MAX_AGE", "0")


@pytest.fixture
def make_story(db):
    from django.utils.text import slugify

    from newsdesk.article import Article, Block, Caption, DeepLook, QuickLooks
    from newsdesk.site.ingestion.store import ingest
    from newsdesk.site.stories.models import Section
    from newsdesk.site.stories.services import PAGE_ROLES

    counter = iter(range(1, 10_000))

    def make(headline=None, *, sections=("World",), tags=(), when=None, publish=True, **fields):
        n = next(counter)
        # The editors' desks exist before stories arrive: ingest never creates a section.
        for name in sections:
            if name.lower() not in PAGE_ROLES:
                Section.objects.get_or_create(slug=slugify(name), defaults={"name": name})
        article = Article(
            headline=headline or f"Story number {n} about the harbour",
            sections=(*sections, *tags),  # labels naming no section become tags
            site="Newslooks",
            dateline="WASHINGTON",
            author="J. Mansour",
            published=when or datetime(2025, 5, 1, 8, tzinfo=UTC) + timedelta(hours=n),
            summary=f"Summary of story {n}.",
            captions=(Caption(text=f"Harbour at dawn {n}.", credit="AP Photo/ Jane Doe"),),
            quick_looks=QuickLooks(
                title=f"Story {n}: Quick Looks", bullets=("First point", "Second point")
            ),
            deep_look=DeepLook(
                title=f"Deep story {n}",
                dateline="TALLINN, ESTONIA",
                blocks=(
                    Block(
                        "paragraph", "The city council met on Monday to vote on the harbour plan."
                    ),
                    Block("heading", "What comes next"),
                    Block("quote", "We will rebuild the harbour."),
                    Block("list", items=("Dredging", "New piers")),
                ),
            ),
            **fields,
        )
        story, _ = ingest(article, publish=publish)
        return story

    return make


@pytest.fixture
def personas(db):
    """The desk's people: erin (Editor), walt (Writer), rita (a reader, not staff).

    No passwords (hashing is slow on purpose): tests use ``client.force_login``; a browser
    test that logs in through the form sets one.
    """
    from django.contrib.auth.models import Group, User

    from newsdesk.site.desk.roles import EDITOR, WRITER, ensure_roles

    ensure_roles()  # a transactional test may have flushed the migration's groups

    def person(name, group=None, *, staff=True):
        user = User.objects.create_user(name, f"{name}@example.org", None, is_staff=staff)
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return {
        "erin": person("erin", EDITOR),
        "walt": person("walt", WRITER),
        "rita": person("rita", staff=False),
    }


def pytest_terminal_summary(terminalreporter):
    """The role matrix's size and escapes, when it ran (tests/site/test_role_matrix.py)."""
    import sys

    matrix = next((m for n, m in sys.modules.items() if n.endswith("test_role_matrix")), None)
    results = getattr(matrix, "RESULTS", None)
    if not results:
        return
    escapes = [(case, problems) for case, verdict, problems in results if verdict == "escape"]
    failed = sum(verdict == "fail" for _, verdict, _ in results)
    terminalreporter.write_line(
        f"role matrix: {len(results)} cases, {len(escapes)} escapes, {failed} other failures"
    )
    for case, problems in escapes:
        terminalreporter.write_line(f"  escape: {case}: {'; '.join(problems)[:300]}")


# --- A real local web server, for anything newsdesk fetches (feeds, teasers' pages) ----------


@dataclass
class Page:
    """What ``LocalSite`` answers at one path. With an ``etag`` or ``last_modified``, a
    request that sends them back (``If-None-Match`` / ``If-Modified-Since``) gets a 304."""

    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    status: int = 200
    etag: str | None = None
    last_modified: str | None = None
    reason: str | None = None  # the error message of a non-200 answer


@dataclass(frozen=True)
class Seen:
    """One request the server received, with its conditional-GET headers."""

    path: str
    if_none_match: str | None
    if_modified_since: str | None


class LocalSite:
    """A real HTTP server on 127.0.0.1 in a thread, serving the ``Page`` set at each path
    (``serve``); every other path is a 404. ``requests`` lists what it was asked, in order."""

    def __init__(self):
        self.pages: dict[str, Page] = {}
        self.requests: list[Seen] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                etag, since = (
                    self.headers.get("If-None-Match"),
                    self.headers.get("If-Modified-Since"),
                )
                site.requests.append(Seen(self.path, etag, since))
                page = site.pages.get(self.path)
                if page is None:
                    self.send_error(404)
                    return
                if page.status != 200:
                    self.send_error(page.status, page.reason)
                    return
                validators = {"ETag": page.etag, "Last-Modified": page.last_modified}
                if (page.etag and etag == page.etag) or (
                    not etag and page.last_modified and since == page.last_modified
                ):
                    self.send_response(304)
                    for name, value in validators.items():
                        if value:
                            self.send_header(name, value)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", page.content_type)
                for name, value in validators.items():
                    if value:
                        self.send_header(name, value)
                self.send_header("Content-Length", str(len(page.body)))
                self.end_headers()
                self.wfile.write(page.body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def serve(
        self, path: str, body: bytes = b"", content_type: str = "text/html; charset=utf-8", **fields
    ) -> Page:
        """Answer ``path`` with ``body`` from now on (``fields``: status, etag, …)."""
        self.pages[path] = Page(body, content_type, **fields)
        return self.pages[path]

    def paths(self) -> list[str]:
        """The paths asked for, in order."""
        return [seen.path for seen in self.requests]

    def start(self) -> "LocalSite":
        self.thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def local_site():
    """A started ``LocalSite``: a real local web server for feeds and pages."""
    site = LocalSite().start()
    try:
        yield site
    finally:
        site.stop()
