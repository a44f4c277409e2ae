"""Sitemaps, the Google News sitemap, robots.txt, and the metadata in page heads
(canonical URL, OpenGraph, Twitter card, schema.org NewsArticle JSON-LD)."""

import json
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from types import SimpleNamespace

import defusedxml.ElementTree as ET
import pytest
from django.utils import timezone

from newsdesk.site.distribution.jsonld import news_article, script_json
from newsdesk.site.stories.models import Caption

pytestmark = pytest.mark.django_db

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ET.fromstring(response.content)


class Head(HTMLParser):
    """Collects <link>, <meta> and <script> tags with the text of each script."""

    def __init__(self):
        super().__init__()
        self.links, self.meta, self.scripts = [], {}, []
        self._script = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link":
            self.links.append(attrs)
        elif tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content")
        elif tag == "script":
            self._script = [attrs, ""]
            self.scripts.append(self._script)

    def handle_data(self, data):
        if self._script is not None:
            self._script[1] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def canonical(self):
        found = [link["href"] for link in self.links if link.get("rel") == "canonical"]
        assert len(found) == 1
        return found[0]

    def json_ld(self):
        found = [
            json.loads(text)
            for attrs, text in self.scripts
            if attrs.get("type") == "application/ld+json"
        ]
        assert len(found) == 1
        return found[0]


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    page = Head()
    page.feed(response.content.decode())
    return page


@pytest.fixture
def recent(make_story):
    """Stories published 1 h, 47 h and 49 h ago, a draft, and one scheduled for later."""
    now = timezone.now()
    fresh = make_story("Fresh story", sections=("World",), when=now - timedelta(hours=1))
    day_old = make_story("Two-day story", sections=("Business",), when=now - timedelta(hours=47))
    stale = make_story("Stale story", sections=("World",), when=now - timedelta(hours=49))
    draft = make_story("Draft story", sections=("World",), publish=False)
    later = make_story("Later story", sections=("World",), when=now + timedelta(hours=3))
    return fresh, day_old, stale, draft, later


def test_sitemap_index_lists_every_sitemap_and_each_one_works(client, recent):
    index = xml(client, "/sitemap.xml")
    assert index.tag == f"{SM}sitemapindex"
    locations = [s.findtext(f"{SM}loc") for s in index.findall(f"{SM}sitemap")]
    assert locations == [
        f"http://testserver/sitemap-{name}.xml"
        for name in ("stories", "sections", "editions", "news")
    ]
    for location in locations:
        xml(client, location.removeprefix("http://testserver"))
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_stories_sitemap_holds_only_published_stories(client, recent):
    fresh, day_old, stale, draft, later = recent
    urlset = xml(client, "/sitemap-stories.xml")
    locations = [u.findtext(f"{SM}loc") for u in urlset.findall(f"{SM}url")]
    assert locations == [
        "http://testserver" + s.get_absolute_url() for s in (fresh, day_old, stale)
    ]
    assert all(u.findtext(f"{SM}lastmod") for u in urlset.findall(f"{SM}url"))
    sections = [
        u.findtext(f"{SM}loc") for u in xml(client, "/sitemap-sections.xml").findall(f"{SM}url")
    ]
    assert set(sections) == {
        "http://testserver/section/world/",
        "http://testserver/section/business/",
    }
    editions = [
        u.findtext(f"{SM}loc") for u in xml(client, "/sitemap-editions.xml").findall(f"{SM}url")
    ]
    assert "http://testserver" + fresh.edition.get_absolute_url() in editions


def test_news_sitemap_lists_the_last_48_hours_with_publication_details(client, recent):
    fresh, day_old, *_ = recent
    urlset = xml(client, "/sitemap-news.xml")
    urls = urlset.findall(f"{SM}url")
    assert [u.findtext(f"{SM}loc") for u in urls] == [
        "http://testserver" + s.get_absolute_url() for s in (fresh, day_old)
    ]
    news = urls[0].find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "newsdesk"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    assert news.findtext(f"{NEWS}title") == "Fresh story"
    published = datetime.fromisoformat(news.findtext(f"{NEWS}publication_date"))
    assert published.tzinfo is not None and published == fresh.published_at


def test_robots_txt_points_to_the_sitemaps(client, db):
    response = client.get("/robots.txt")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines and "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines
    for url in ("/robots.txt", "/sitemap.xml", "/sitemap-news.xml", "/sitemap-stories.xml"):
        assert client.head(url).status_code == 200, url  # crawlers may ask HEAD first


def test_base_url_setting_wins_over_the_request_host(client, make_story, settings):
    settings.NEWSDESK_BASE_URL = "https://news.example.org"
    story = make_story("Harbour plan passes")
    assert (
        head(client, story.get_absolute_url()).canonical()
        == "https://news.example.org" + story.get_absolute_url()
    )
    assert (
        "Sitemap: https://news.example.org/sitemap.xml"
        in client.get("/robots.txt").content.decode()
    )
    index = xml(client, "/sitemap.xml")
    assert (
        index.find(f"{SM}sitemap").findtext(f"{SM}loc")
        == "https://news.example.org/sitemap-stories.xml"
    )
    urlset = xml(client, "/sitemap-stories.xml")
    assert (
        urlset.find(f"{SM}url").findtext(f"{SM}loc")
        == "https://news.example.org" + story.get_absolute_url()
    )
    assert b"<link>https://news.example.org/story/" in client.get("/feeds/rss.xml").content


def test_story_page_has_news_article_json_ld(client, make_story):
    story = make_story("Harbour plan passes", sections=("World", "US"))
    page = head(client, story.get_absolute_url())
    url = "http://testserver" + story.get_absolute_url()
    data = page.json_ld()
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == "Harbour plan passes"
    assert data["description"] == story.summary
    assert datetime.fromisoformat(data["datePublished"]) == story.published_at
    assert datetime.fromisoformat(data["dateModified"]) == story.updated_at
    assert data["author"] == [{"@type": "Person", "name": "J. Mansour"}]
    assert data["publisher"] == {"@type": "Organization", "name": "newsdesk"}
    assert data["articleSection"] == ["World", "US"]
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert "image" not in data  # the caption has no image
    assert "aggregateRating" not in data  # no votes yet
    assert page.canonical() == url


def test_json_ld_carries_the_stored_photo_and_og_twitter_use_it(
    client, make_story, settings, tmp_path
):
    from importlib import resources

    from newsdesk.site.stories.photos import store_photo

    settings.MEDIA_ROOT = tmp_path
    story = make_story("Harbour plan passes")
    demo = resources.files("newsdesk.site").joinpath("demo", "photos", "delphi-tholos.jpg")
    photo = store_photo(demo.read_bytes(), name="delphi-tholos.jpg", caption="The Tholos.")
    # The source's address is where the photo was fetched from: never shown or shared.
    source = "https://img.example.org/harbour.jpg"
    Caption.objects.filter(story=story).update(image_url=source, photo=photo)
    page = head(client, story.get_absolute_url())
    stored = f"http://testserver/media/{photo.renditions[-1]['jpeg']}"
    assert page.json_ld()["image"] == [stored]
    assert page.meta["og:image"] == stored
    assert page.meta["twitter:card"] == "summary_large_image"
    assert page.meta["twitter:image"] == stored
    assert source not in client.get(story.get_absolute_url()).content.decode()


def test_json_ld_has_aggregate_rating_once_readers_voted(client, make_story):
    from newsdesk.site.ratings.models import RatingSummary

    story = make_story("Harbour plan passes")
    RatingSummary.objects.create(story=story, count=3, total=13, stars_4=2, stars_5=1)
    rating = head(client, story.get_absolute_url()).json_ld()["aggregateRating"]
    assert rating == {
        "@type": "AggregateRating",
        "ratingValue": 4.33,
        "ratingCount": 3,
        "bestRating": 5,
        "worstRating": 1,
    }


def test_news_article_treats_the_rating_as_optional():
    story = SimpleNamespace(
        headline="H",
        summary="S",
        author="",
        site_name="Wire",
        dateline="",
        published_at=datetime(2025, 5, 1, tzinfo=UTC),
        updated_at=None,
    )
    bare = news_article(story, url="https://x.org/story/h/", sections=[], images=[], publisher="P")
    assert "aggregateRating" not in bare and "articleSection" not in bare
    assert bare["author"] == [{"@type": "Organization", "name": "Wire"}]
    assert bare["dateModified"] == bare["datePublished"]
    voted = news_article(
        story,
        url="https://x.org/story/h/",
        sections=[],
        images=[],
        publisher="P",
        rating=SimpleNamespace(count=2, average=4.5),
    )
    assert (
        voted["aggregateRating"]["ratingValue"] == 4.5
        and voted["aggregateRating"]["ratingCount"] == 2
    )
    none = news_article(
        story,
        url="https://x.org/story/h/",
        sections=[],
        images=[],
        publisher="P",
        rating=SimpleNamespace(count=0, average=0.0),
    )
    assert "aggregateRating" not in none


def test_json_ld_cannot_break_out_of_its_script(client, make_story):
    evil = "</script><script>alert(1)</script><!--"
    story = make_story(evil, sections=("World",))
    story.summary = "A & B <b>bold</b> \u2028 line"
    story.save()
    body = client.get(story.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in body
    page = Head()
    page.feed(body)
    data = page.json_ld()
    assert data["headline"] == evil
    assert data["description"] == "A & B <b>bold</b> \u2028 line"
    assert "<" not in script_json({"x": evil}) and "&" not in script_json({"x": "a&b"})


def test_story_page_scripts_are_data_or_files_only(client, make_story):
    """Under the CSP (no 'unsafe-inline'), the only inline <script> is the JSON-LD data block."""
    story = make_story("Harbour plan passes")
    page = head(client, story.get_absolute_url())
    for attrs, text in page.scripts:
        assert attrs.get("type") == "application/ld+json" or (attrs.get("src") and not text.strip())


def test_story_page_has_open_graph_and_twitter_tags(client, make_story):
    story = make_story("Harbour plan passes", sections=("World",))
    meta = head(client, story.get_absolute_url()).meta
    url = "http://testserver" + story.get_absolute_url()
    assert meta["og:type"] == "article"
    assert meta["og:title"] == meta["twitter:title"] == "Harbour plan passes"
    assert meta["og:description"] == meta["twitter:description"] == story.summary
    assert meta["og:url"] == url and meta["og:site_name"] == "newsdesk"
    assert meta["twitter:card"] == "summary"
    assert meta["article:section"] == "World"
    assert datetime.fromisoformat(meta["article:published_time"]) == story.published_at


def test_home_section_and_edition_pages_have_canonical_and_open_graph(client, make_story, settings):
    settings.NEWSDESK_PAGE_SIZE = 1
    story = make_story(sections=("World",))
    make_story(sections=("World",))
    for path, title in [
        ("/", "newsdesk"),
        ("/section/world/", "World · newsdesk"),
        (story.edition.get_absolute_url(), f"{story.edition} · newsdesk"),
    ]:
        page = head(client, path + "?utm_source=x")
        assert page.canonical() == "http://testserver" + path  # tracking parameters dropped
        assert page.meta["og:url"] == page.canonical()
        assert page.meta["og:type"] == "website" and page.meta["og:title"] == title
        assert page.meta["twitter:card"] == "summary"
    assert (
        head(client, "/section/world/?page=2").canonical()
        == "http://testserver/section/world/?page=2"
    )
