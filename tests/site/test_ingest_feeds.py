"""Feed sources polled over real HTTP: conditional GET, 304, errors and backoff, the admin."""

from datetime import timedelta

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


@pytest.fixture
def server(local_site):
    """The wire's site on a real local server: /feed.xml with an ETag and Last-Modified, the
    stories' pages under /story/N, and /broken, which answers 500."""
    local_site.serve(
        "/feed.xml",
        feed_bytes(local_site.url),
        "application/rss+xml",
        etag='"v1"',
        last_modified="Mon, 05 May 2025 09:00:00 GMT",
    )
    for n, topic in enumerate(TOPICS):
        if topic in PAGES:
            page = page_html(n, topic)
            local_site.serve(f"/story/{n}", page, etag=f'"page-{len(page)}"')
    local_site.serve("/broken", status=500, reason="Database on fire")
    return local_site


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
    assert [(seen.path, seen.if_none_match) for seen in server.requests] == [
        ("/feed.xml", None),
        ("/story/1", None),
        ("/story/2", None),
        ("/feed.xml", '"v1"'),
    ]
    assert Story.objects.count() == 3

    # A changed feed (new ETag) with the same items: all duplicates, nothing new.
    server.pages["/feed.xml"].etag = '"v2"'
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

    server.serve("/feed.xml?junk", b"<html><body>Not a feed at all</body></html>")
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
