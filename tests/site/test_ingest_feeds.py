"""Feed sources polled over real HTTP: conditional GET, 304, errors and backoff, the admin."""

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from newsdesk.site.ingestion import polling
from newsdesk.site.ingestion.models import FeedSource
from newsdesk.site.ingestion.polling import poll_due, poll_source
from newsdesk.site.stories.models import Section, Story

pytestmark = pytest.mark.django_db

BODY = (
    "The port authority voted on Monday to rebuild the old north harbour wall, ending a "
    "dispute that has run for more than a decade between fishermen and the city council. "
    "Engineers said the wall could fail in a strong winter storm, and that repairs would take "
    "three years. Story number {n} follows the {topic} from the first vote to the last."
)
TOPICS = ["harbour wall", "airport runway", "library hours"]


def body(n: int, topic: str) -> str:
    return BODY.format(n=n, topic=topic) if n == 0 else f"A short note on the {topic}."


# The full stories behind the short entries (teasers): the poller fetches these pages.
PAGES = {
    "airport runway": [
        "The regional council approved a second runway for the airport after a vote that split "
        "the governing coalition and drew protests from three nearby villages on Tuesday.",
        "Supporters said the runway would bring two thousand jobs to the region within five "
        "years; opponents said the noise would make the villages unlivable.",
        "Construction is due to start next spring and to last four years, the airport's owners "
        "said, with night flights limited to two an hour once it opens.",
    ],
    "library hours": [
        "The city library will open until ten at night from June, the council said, after a "
        "petition signed by eleven thousand students and workers asked for later hours.",
        "Three new librarians will be hired and the reading rooms on the second floor will be "
        "kept open on Sundays for the first time since the building opened in 1962.",
        "The extra hours will cost the city four hundred thousand euros a year, paid for by "
        "savings on the heating of the old town hall, the mayor told reporters.",
    ],
}


def page_html(n: int, topic: str) -> bytes:
    paragraphs = "".join(f"<p>{p}</p>" for p in PAGES[topic])
    return (
        f"<!doctype html><html><head><title>Wire story {n}: {topic}</title></head><body>"
        f"<nav><a href='/'>Home</a></nav><article><h1>Wire story {n}: {topic}</h1>"
        f"{paragraphs}</article><footer>Wire © 2025</footer></body></html>"
    ).encode()


def feed_bytes(base: str = "https://wire.example") -> bytes:
    items = "".join(
        f"<item><title>Wire story {n}: {topic}</title><link>{base}/story/{n}</link>"
        f"<guid>{base}/story/{n}</guid><pubDate>Mon, 05 May 2025 0{n}:00:00 GMT</pubDate>"
        f"<description>{body(n, topic)}"
        f"</description></item>"
        for n, topic in enumerate(TOPICS)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title>'
        f"<link>https://wire.example/</link><description>Wire</description>{items}</channel></rss>"
    ).encode()


class FeedServer:
    """A real HTTP server in a thread: /feed.xml with an ETag, the stories' pages under
    /story/N (``pages``: path -> (status, body)), /broken answers 500."""

    def __init__(self):
        self.etag = '"v1"'
        self.requests: list[tuple[str, str | None]] = []
        self.pages: dict[str, tuple[int, bytes]] = {}
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                server.requests.append((self.path, self.headers.get("If-None-Match")))
                if self.path == "/broken":
                    self.send_error(500, "Database on fire")
                    return
                if self.path in server.pages:
                    status, page = server.pages[self.path]
                    if status != 200:
                        self.send_error(status)
                        return
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("ETag", f'"page-{len(page)}"')
                    self.send_header("Content-Length", str(len(page)))
                    self.end_headers()
                    self.wfile.write(page)
                    return
                if self.path != "/feed.xml":
                    self.send_error(404)
                    return
                if self.headers.get("If-None-Match") == server.etag:
                    self.send_response(304)
                    self.send_header("ETag", server.etag)
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/rss+xml")
                self.send_header("ETag", server.etag)
                self.send_header("Last-Modified", "Mon, 05 May 2025 09:00:00 GMT")
                self.send_header("Content-Length", str(len(server.body)))
                self.end_headers()
                self.wfile.write(server.body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.body = feed_bytes(self.url)
        for n, topic in enumerate(TOPICS):
            if topic in PAGES:
                self.pages[f"/story/{n}"] = (200, page_html(n, topic))
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    with FeedServer() as running:
        yield running


def test_first_poll_ingests_second_gets_304_and_ingests_nothing(server):
    wires = Section.objects.create(name="Wires", slug="wires")
    source = FeedSource.objects.create(url=f"{server.url}/feed.xml", name="Wire", section=wires)
    first = poll_source(source)
    assert first.ok and not first.not_modified
    assert [o.status for o in first.outcomes] == ["ingested"] * 3
    assert Story.objects.count() == 3
    story = Story.objects.get(source_url=f"{server.url}/story/0")
    assert story.sections.first().name == "Wires"
    # The two short entries were teasers: their pages were fetched and published.
    assert Story.objects.published().count() == 3
    source.refresh_from_db()
    assert source.etag == '"v1"' and source.last_modified == "Mon, 05 May 2025 09:00:00 GMT"
    assert source.last_error == "" and source.failures == 0
    assert source.next_poll == source.last_polled + timedelta(seconds=source.interval)

    second = poll_source(source)
    assert second.ok and second.not_modified and second.outcomes == []
    assert server.requests == [
        ("/feed.xml", None),
        ("/story/1", None),
        ("/story/2", None),
        ("/feed.xml", '"v1"'),
    ]
    assert Story.objects.count() == 3

    # A changed feed (new ETag) with the same items: all duplicates, nothing new.
    server.etag = '"v2"'
    third = poll_source(source)
    assert [o.status for o in third.outcomes] == ["duplicate"] * 3
    assert Story.objects.count() == 3


def test_failing_source_records_its_error_and_backs_off(server):
    source = FeedSource.objects.create(url=f"{server.url}/broken", interval=600)
    now = timezone.now()
    result = poll_source(source, now=now)
    assert not result.ok
    source.refresh_from_db()
    assert source.failures == 1
    assert "HTTP 500" in source.last_error and "/broken" in source.last_error
    assert source.next_poll == now + timedelta(seconds=1200)
    poll_source(source, now=now)
    source.refresh_from_db()
    assert source.failures == 2 and source.next_poll == now + timedelta(seconds=2400)
    # Fixed: one good poll resets the count and the error.
    source.url = f"{server.url}/feed.xml"
    poll_source(source, now=now)
    source.refresh_from_db()
    assert source.failures == 0 and source.last_error == ""
    assert source.next_poll == now + timedelta(seconds=600)


def test_unreachable_oversize_and_unparseable_feeds_are_errors(server, monkeypatch):
    closed = FeedSource.objects.create(url="http://127.0.0.1:9/feed.xml")
    assert not poll_source(closed).ok
    closed.refresh_from_db()
    assert "127.0.0.1:9" in closed.last_error and closed.failures == 1

    not_http = FeedSource.objects.create(url="file:///etc/passwd")
    assert "only http and https" in poll_source(not_http).error

    monkeypatch.setattr(polling, "MAX_BYTES", 100)
    big = FeedSource.objects.create(url=f"{server.url}/feed.xml")
    assert "larger than 100 bytes" in poll_source(big).error
    monkeypatch.undo()

    server.body = b"<html><body>Not a feed at all</body></html>"
    junk = FeedSource.objects.create(url=f"{server.url}/feed.xml?junk")
    result = poll_source(junk)
    assert not result.ok and Story.objects.count() == 0


def test_poll_due_polls_only_active_due_sources(server):
    now = timezone.now()
    due = FeedSource.objects.create(
        url=f"{server.url}/feed.xml", next_poll=now - timedelta(minutes=1)
    )
    FeedSource.objects.create(
        url=f"{server.url}/feed.xml?later", next_poll=now + timedelta(hours=1)
    )
    FeedSource.objects.create(url=f"{server.url}/feed.xml?off", active=False, next_poll=now)
    results = poll_due(now)
    assert [r.source.pk for r in results] == [due.pk]
    assert poll_due(now) == []  # claimed: not polled twice


def test_admin_lists_sources_with_their_last_error(server, admin_client):
    source = FeedSource.objects.create(url=f"{server.url}/broken", name="Broken wire")
    poll_source(source)
    page = admin_client.get("/admin/ingestion/feedsource/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Broken wire" in html and "HTTP 500 Database on fire" in html
    detail = admin_client.get(f"/admin/ingestion/feedsource/{source.pk}/change/")
    assert "HTTP 500 Database on fire" in detail.content.decode()
