"""RSS 2.0, Atom and JSON Feed for the site, each section and each edition.

RSS and Atom are parsed back with feedparser; JSON Feed (which feedparser 6.0 cannot read)
is checked against the JSON Feed 1.1 rules with jsonschema.
"""

from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import feedparser
import jsonschema
import pytest
from django.utils import timezone

from newsdesk.site.stories.models import EditionEntry, QuickLookBullet

pytestmark = pytest.mark.django_db

XML_FORMATS = {"rss": "rss.xml", "atom": "atom.xml"}

# JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/): what a reader needs to rely on.
JSON_FEED_SCHEMA = {
    "type": "object",
    "required": ["version", "title", "items"],
    "properties": {
        "version": {"const": "https://jsonfeed.org/version/1.1"},
        "title": {"type": "string"},
        "home_page_url": {"type": "string", "pattern": "^https?://"},
        "feed_url": {"type": "string", "pattern": "^https?://"},
        "language": {"type": "string"},
        "items": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["id"],
                "anyOf": [{"required": ["content_html"]}, {"required": ["content_text"]}],
                "properties": {
                    "id": {"type": "string"},
                    "url": {"type": "string", "pattern": "^https?://"},
                    "title": {"type": "string"},
                    "content_html": {"type": "string"},
                    "summary": {"type": "string"},
                    "image": {"type": "string"},
                    "date_published": {"type": "string"},
                    "date_modified": {"type": "string"},
                    "authors": {"type": "array", "items": {"type": "object", "required": ["name"]}},
                    "tags": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return response, feed


def json_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/feed+json")
    data = response.json()
    jsonschema.validate(data, JSON_FEED_SCHEMA)
    return data


def bullets_of(html: str) -> list[str]:
    class Items(HTMLParser):
        def __init__(self):
            super().__init__()
            self.items, self.inside = [], False

        def handle_starttag(self, tag, attrs):
            if tag == "li":
                self.inside = True
                self.items.append("")

        def handle_endtag(self, tag):
            self.inside = self.inside and tag != "li"

        def handle_data(self, data):
            if self.inside:
                self.items[-1] += data

    parser = Items()
    parser.feed(html)
    return parser.items


@pytest.fixture
def newsroom(make_story):
    """Three published stories (oldest first), a draft and one scheduled for tomorrow."""
    old = make_story(
        "Harbour plan passes", sections=("World",), when=datetime(2025, 5, 1, 7, tzinfo=UTC)
    )
    mid = make_story(
        "Markets steady", sections=("Business", "World"), when=datetime(2025, 5, 1, 9, tzinfo=UTC)
    )
    new = make_story("Rain returns", sections=("World",), when=datetime(2025, 5, 1, 10, tzinfo=UTC))
    make_story("Unfinished draft", sections=("World",), publish=False)
    make_story("Tomorrow's story", sections=("World",), when=timezone.now() + timedelta(days=1))
    return old, mid, new


@pytest.mark.parametrize("fmt", XML_FORMATS)
def test_site_feed_lists_published_stories_newest_first_with_their_quick_looks(
    client, newsroom, fmt
):
    old, mid, new = newsroom
    response, feed = parse(client, f"/feeds/{XML_FORMATS[fmt]}")
    assert feed.version == ("rss20" if fmt == "rss" else "atom10")
    assert feed.feed.title == "newsdesk"
    assert feed.feed.link == "http://testserver/"
    assert [e.title for e in feed.entries] == [
        "Rain returns",
        "Markets steady",
        "Harbour plan passes",
    ]
    first = feed.entries[0]
    assert first.link == "http://testserver" + new.get_absolute_url()
    assert datetime(*first.published_parsed[:6], tzinfo=UTC) == new.published_at
    assert first.summary == new.summary
    assert first.author == "J. Mansour"
    assert [t.term for t in feed.entries[1].tags] == ["Business", "World"]
    content = first.content[0].value
    assert new.summary in content and new.quick_looks_title in content
    assert bullets_of(content) == ["First point", "Second point"]


def test_json_feed_has_the_same_items_content_and_dates(client, newsroom):
    old, mid, new = newsroom
    data = json_feed(client, "/feeds/feed.json")
    assert data["feed_url"] == "http://testserver/feeds/feed.json"
    assert [i["title"] for i in data["items"]] == [
        "Rain returns",
        "Markets steady",
        "Harbour plan passes",
    ]
    item = data["items"][0]
    assert item["url"] == item["id"] == "http://testserver" + new.get_absolute_url()
    assert datetime.fromisoformat(item["date_published"]) == new.published_at
    assert item["summary"] == new.summary
    assert bullets_of(item["content_html"]) == ["First point", "Second point"]
    assert item["authors"] == [{"name": "J. Mansour"}]
    assert data["items"][1]["tags"] == ["Business", "World"]


def test_section_feeds_hold_only_that_sections_stories(client, newsroom):
    _, feed = parse(client, "/section/business/rss.xml")
    assert feed.feed.title == "Business · newsdesk"
    assert feed.feed.link == "http://testserver/section/business/"
    assert [e.title for e in feed.entries] == ["Markets steady"]
    _, atom = parse(client, "/section/world/atom.xml")
    assert [e.title for e in atom.entries] == [
        "Rain returns",
        "Markets steady",
        "Harbour plan passes",
    ]
    data = json_feed(client, "/section/business/feed.json")
    assert [i["title"] for i in data["items"]] == ["Markets steady"]


def test_edition_feeds_follow_the_editors_running_order(client, newsroom):
    old, mid, new = newsroom
    edition = old.edition
    assert mid.edition == edition  # both before noon: the Morning Edition
    EditionEntry.objects.bulk_create(
        [
            EditionEntry(edition=edition, story=mid, order=1),
            EditionEntry(edition=edition, story=old, order=2),
        ]
    )
    base = edition.get_absolute_url()
    _, feed = parse(client, base + "rss.xml")
    assert feed.feed.title.startswith("Morning Edition, May 1, 2025")
    assert [e.title for e in feed.entries] == ["Markets steady", "Harbour plan passes"]
    _, atom = parse(client, base + "atom.xml")
    assert [e.title for e in atom.entries] == ["Markets steady", "Harbour plan passes"]
    assert [i["title"] for i in json_feed(client, base + "feed.json")["items"]] == [
        "Markets steady",
        "Harbour plan passes",
    ]


def test_bullets_and_headlines_are_escaped_not_injected(client, make_story):
    story = make_story("Cats & <dogs>", sections=("World",))
    QuickLookBullet.objects.filter(story=story, order=0).update(
        text="Use <script>alert(1)</script> & more"
    )
    for fmt in XML_FORMATS.values():
        _, feed = parse(client, f"/feeds/{fmt}")
        assert feed.entries[0].title == "Cats & <dogs>"
        assert (
            bullets_of(feed.entries[0].content[0].value)[0]
            == "Use <script>alert(1)</script> & more"
        )
    item = json_feed(client, "/feeds/feed.json")["items"][0]
    assert "<script>" not in item["content_html"]
    assert bullets_of(item["content_html"])[0] == "Use <script>alert(1)</script> & more"


def test_unknown_section_or_edition_feed_is_404(client, newsroom):
    assert client.get("/section/nowhere/rss.xml").status_code == 404
    assert client.get("/edition/2025-13-01/morning/atom.xml").status_code == 404
    assert client.get("/edition/2025-05-01/noon/feed.json").status_code == 404
    assert client.get("/edition/1999-01-01/morning/rss.xml").status_code == 404


def test_pages_advertise_their_feeds_and_every_advertised_feed_works(client, newsroom):
    old, *_ = newsroom

    class Alternates(HTMLParser):
        def __init__(self):
            super().__init__()
            self.links = []

        def handle_starttag(self, tag, attrs):
            attrs = dict(attrs)
            if tag == "link" and attrs.get("rel") == "alternate":
                self.links.append((attrs["type"], attrs["href"]))

    def alternates(url):
        page = Alternates()
        page.feed(client.get(url).content.decode())
        return page.links

    site = [
        ("application/rss+xml", "http://testserver/feeds/rss.xml"),
        ("application/atom+xml", "http://testserver/feeds/atom.xml"),
        ("application/feed+json", "http://testserver/feeds/feed.json"),
    ]
    assert alternates("/") == site
    section = alternates("/section/world/")
    assert section[:3] == [(t, h.replace("/feeds/", "/section/world/")) for t, h in site]
    assert section[3:] == site
    edition = alternates(old.edition.get_absolute_url())
    assert edition[0] == (
        "application/rss+xml",
        f"http://testserver{old.edition.get_absolute_url()}rss.xml",
    )
    story = alternates(old.get_absolute_url())
    assert ("application/atom+xml", "http://testserver/section/world/atom.xml") in story
    for kind, href in set(section + edition + story):
        response = client.get(href.removeprefix("http://testserver"))
        assert response.status_code == 200 and response["Content-Type"].startswith(kind), href


def test_feed_size_is_bounded(client, make_story, settings):
    settings.NEWSDESK_FEED_SIZE = 3
    for n in range(5):
        make_story(f"Story {n}")
    _, feed = parse(client, "/feeds/rss.xml")
    assert [e.title for e in feed.entries] == ["Story 4", "Story 3", "Story 2"]


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/rss.xml",
        "/feeds/atom.xml",
        "/feeds/feed.json",
        "/section/world/rss.xml",
        "/edition/{edition}/feed.json",
    ],
)
def test_feed_queries_do_not_grow_with_stories(
    client, make_story, url, django_assert_max_num_queries
):
    first = make_story(sections=("World",), when=datetime(2025, 5, 1, 6, tzinfo=UTC))
    url = url.format(edition=f"{first.edition.date.isoformat()}/{first.edition.period}")
    # the feed's object, its stories, the edition's running order and one prefetch each for
    # bullets, sections, captions and authors
    with django_assert_max_num_queries(8) as few:
        assert client.get(url).status_code == 200
    for n in range(20):
        make_story(sections=("World", f"Desk {n % 4}"), when=datetime(2025, 5, 1, 6, n, tzinfo=UTC))
    with django_assert_max_num_queries(8) as many:
        response = client.get(url)
    assert response.status_code == 200 and response.content.count(b"First point") >= 21
    assert len(many.captured_queries) <= len(few.captured_queries)
