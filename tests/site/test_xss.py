"""An XSS payload corpus through every input path, checked on every output as a browser sees it.

Each input path stores a few stories whose every field carries payloads from ``PAYLOADS``
(and whose URL fields carry ``URLS``); then every reader, feed, sitemap, API, admin and
newsletter output of those stories is parsed (html5lib, as a browser parses; feedparser
with its own sanitizer off for feeds) and must hold no live script: no <script> but the
site's own (static files, JSON-LD/JSON data whose JSON parses), no on* attribute, no
javascript:/vbscript:/data:text/html URL, no <iframe>/<object>/<embed>/<base>/meta refresh.
"""

from __future__ import annotations

import html as htmllib
import json
import random
import re
from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import feedparser
import html5lib
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from newsdesk.errors import ParseError
from newsdesk.parse import parse_all
from newsdesk.site.ingestion.store import ingest
from newsdesk.site.stories.models import Caption, Edition, Section, Story

pytestmark = pytest.mark.django_db

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<ScRiPt>alert(3)</sCrIpT>",
    '"><script>alert(4)</script>',
    "'><script>alert(5)</script>",
    "</script><script>alert(6)</script>",
    "</title><script>alert(7)</script>",
    "<img src=x onerror=alert(8)>",
    '<IMG SRC="x" ONERROR="alert(9)">',
    "<svg onload=alert(10)>",
    "<svg><script>alert(11)</script></svg>",
    "<body onload=alert(12)>",
    '<a href="javascript:alert(13)">link</a>',
    '<a href="JaVaScRiPt:alert(14)">link</a>',
    '<a href="&#106;avascript:alert(15)">link</a>',
    '<a href="java&#x09;script:alert(16)">link</a>',
    '<iframe src="https://evil.example/"></iframe>',
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxOCk8L3NjcmlwdD4="></object>',
    '<embed src="data:text/html,<script>alert(19)</script>">',
    '<a href="data:text/html,<script>alert(20)</script>">x</a>',
    '<div style="width: expression(alert(21))">x</div>',
    '<style>body{background:url("javascript:alert(22)")}</style>',
    "&lt;script&gt;alert(23)&lt;/script&gt;",
    "&#60;img src=x onerror=alert(24)&#62;",
    "<input autofocus onfocus=alert(25)>",
    "<details open ontoggle=alert(26)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(27)>",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(28)">',
    '<base href="javascript:alert(29)//">',
    '<form action="javascript:alert(30)"><button>go</button></form>',
    '<!--<img src="--><img src=x onerror=alert(31)//">',
    "]]><script>alert(32)</script>",
    "\u2028</script>\u2029<script>alert(33)</script>",
    "{{ 7|add:7 }}{% debug %}<scr<script>ipt>alert(34)</script>",
]
URLS = [
    "javascript:alert('u1')",
    "JAVASCRIPT:alert('u2')",
    " javascript:alert('u3')",
    "java\tscript:alert('u4')",
    "data:text/html,<script>alert('u5')</script>",
    "vbscript:msgbox('u6')",
    "data:image/svg+xml,<svg onload=alert('u7')>",
    "//evil.example/u8.jpg",
]
STORIES = 4  # per path; every payload lands in some field of some story (see _slots)
WORDS = (
    "harbour council ferry budget vote pier dredging union port mayor grant school seagrass "
    "berth fishermen crane shift pay strike timetable river bridge tunnel rail freight court "
    "judge appeal minister treaty border tariff market bank loan bond yield drought harvest "
    "wheat barley storm flood levee dam reservoir clinic nurse vaccine hospital museum archive"
).split()


# --- what a browser would run -----------------------------------------------------------------
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text/html", "data:image/svg")
URL_ATTRS = {"href", "src", "action", "formaction", "data", "poster", "xlink:href", "background"}
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
OWN_SCRIPTS = ("/static/", "/admin/jsi18n/")
FORBIDDEN = {"iframe", "object", "embed", "base", "frame", "frameset", "applet"}


def _scheme_of(value: str) -> str:
    """The URL as a browser reads it: entities decoded, whitespace and controls dropped."""
    return re.sub(r"[\x00-\x20]", "", htmllib.unescape(value)).lower()


def assert_no_live_script(markup: str, where: str) -> None:
    """Parse ``markup`` as a browser does and fail on anything that could run script."""
    tree = html5lib.parse(markup, namespaceHTMLElements=False)
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue  # comments
        tag = el.tag.split("}")[-1].lower()
        assert tag not in FORBIDDEN, f"{where}: <{tag}> element"
        for name, value in el.attrib.items():
            name = name.split("}")[-1].lower()
            assert not name.startswith("on"), f"{where}: <{tag} {name}={value!r}>"
            if name in URL_ATTRS or name == "srcset":
                assert not _scheme_of(value).startswith(BAD_SCHEMES), f"{where}: {name}={value!r}"
            if name == "style":
                assert "expression(" not in value.lower() and "javascript:" not in _scheme_of(
                    value
                ), f"{where}: style={value!r}"
        if tag == "meta":
            assert el.get("http-equiv", "").lower() != "refresh", f"{where}: meta refresh"
            if el.get("property", el.get("name", "")) in {"og:image", "twitter:image", "og:url"}:
                assert el.get("content", "").startswith(("http://", "https://")), (
                    f"{where}: {el.get('property') or el.get('name')}={el.get('content')!r}"
                )
        if tag == "script":
            kind = (el.get("type") or "").lower()
            src = el.get("src")
            if src:
                # the site's own files, and the admin's translation catalogue (Django's own)
                assert src.startswith(OWN_SCRIPTS), f"{where}: script src={src!r}"
                assert not (el.text or "").strip(), f"{where}: script with src and a body"
            else:
                assert kind in {"application/ld+json", "application/json"}, (
                    f"{where}: inline script {(el.text or '')[:80]!r}"
                )
                assert "</script" not in (el.text or "").lower()
                json.loads(el.text or "")  # data, not code; raises when a payload broke out
        if tag == "style":
            assert "expression(" not in (el.text or "").lower(), f"{where}: <style> expression"
            assert "javascript:" not in _scheme_of(el.text or ""), f"{where}: <style> javascript:"


def assert_http_or_empty(url, where: str) -> None:
    assert url in (None, "") or str(url).startswith(("http://", "https://")), f"{where}: {url!r}"


def assert_feed_safe(body: bytes, where: str) -> None:
    """A feed, read by feedparser with its HTML sanitizer off (as a naive reader would)."""
    d = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    assert not d.bozo, f"{where}: not well-formed: {d.bozo_exception}"
    assert d.entries, f"{where}: no entries"
    for e in d.entries:
        assert_http_or_empty(e.get("link"), f"{where} link")
        for part in [e.get("summary_detail")] + list(e.get("content", [])):
            if part and "html" in part.get("type", ""):
                assert_no_live_script(part["value"], f"{where} item {e.get('title', '')[:40]!r}")
        for enc in e.get("enclosures", []):
            assert_http_or_empty(enc.get("href"), f"{where} enclosure")


def assert_json_safe(data, where: str) -> None:
    """JSON out: every URL-ish field http(s), every *_html field free of live script."""
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, str):
                if key.endswith("_html"):
                    assert_no_live_script(value, f"{where}.{key}")
                elif key in {
                    "url",
                    "image",
                    "image_url",
                    "source_url",
                    "home_page_url",
                    "feed_url",
                    "external_url",
                    "banner_image",
                }:
                    assert_http_or_empty(value, f"{where}.{key}")
            else:
                assert_json_safe(value, f"{where}.{key}")
    elif isinstance(data, list):
        for i, value in enumerate(data):
            assert_json_safe(value, f"{where}[{i}]")


# --- hostile inputs ---------------------------------------------------------------------------
FIELDS = [
    "headline",
    "summary",
    "caption",
    "credit",
    "ql_title",
    "bullet",
    "dl_title",
    "heading",
    "paragraph",
    "quote",
    "item",
    "author",
    "section",
]


def _slots(k: int) -> dict[str, str]:
    """Story ``k``'s payload per field: over STORIES stories every payload is used."""
    return {f: PAYLOADS[(k * len(FIELDS) + j) % len(PAYLOADS)] for j, f in enumerate(FIELDS)}


def _words(k: int, salt: int, n: int = 14) -> str:
    rng = random.Random(k * 1000 + salt)
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def _body(k: int) -> list[str]:
    """Distinct sentences per story, so no story is a near-duplicate of another."""
    return [f"{_words(k, i)} in story {k}. {_words(k, i + 50)}." for i in range(4)]


def article_dict(k: int, path: str, *, urls: bool = True) -> dict:
    s = _slots(k)
    body = _body(k)
    return {
        "headline": f"Harbour {path} {k} {s['headline']}"[:300],
        "sections": [f"World {s['section']}"[:90], "News"],
        "site": "Newslooks",
        "author": s["author"][:200],
        "published": (datetime(2025, 5, 1, 8, tzinfo=UTC) + timedelta(hours=k)).isoformat(),
        "summary": f"Summary {k}: {s['summary']}",
        "captions": [
            {
                "text": f"Caption {k} {s['caption']}",
                "credit": s["credit"][:300],
                "image": URLS[(2 * k) % len(URLS)] if urls else "https://img.example/a.jpg",
            },
            {
                "text": f"Second caption {k}",
                "credit": "",
                "image": URLS[(2 * k + 1) % len(URLS)] if urls else None,
            },
        ],
        "quick_looks": {
            "title": s["ql_title"][:300],
            "bullets": [f"Bullet {k} {s['bullet']}", f"Plain bullet {k}"],
        },
        "deep_look": {
            "title": s["dl_title"][:300],
            "dateline": "TALLINN",
            "blocks": [
                {"kind": "paragraph", "text": f"{body[0]} {s['paragraph']} {body[1]}"},
                {"kind": "heading", "text": s["heading"]},
                {"kind": "quote", "text": s["quote"]},
                {"kind": "list", "items": [s["item"], "Dredging"]},
                {"kind": "paragraph", "text": f"{body[2]} {body[3]}"},
            ],
        },
        "source_url": URLS[k % len(URLS)] if urls else f"https://example.org/{path}/{k}",
    }


def wire_text(k: int) -> str:
    s, body = _slots(k), _body(k)
    return (
        f"Harbour text {k} {s['headline']}\n\n"
        f"TALLINN, ESTONIA (AP) — {body[0]} {s['paragraph']} {body[1]}\n\n"
        f"{s['quote']} {body[2]}\n\n{body[3]} {s['item']}\n"
    )


def html_page(k: int) -> str:
    """Payloads raw in the markup: head, headline, captions, body, JSON-LD."""
    s, body, url = _slots(k), _body(k), URLS[k % len(URLS)]
    ld = json.dumps(
        {
            "@type": "NewsArticle",
            "headline": f"LD {s['summary']}",
            "image": URLS[(k + 1) % len(URLS)],
            "url": url,
            "author": {"name": s["author"]},
        }
    )
    return f"""<!DOCTYPE html><html><head><title>Harbour html {k} {s["headline"]}</title>
<meta property="og:image" content="{URLS[(k + 2) % len(URLS)]}">
<meta property="og:url" content="{url}"><link rel="canonical" href="{url}">
<meta name="description" content="Summary {k} {htmllib.escape(s["summary"])}">
<script type="application/ld+json">{ld}</script></head><body>
<article><h1>Harbour html {k} {s["headline"]}</h1>
<figure><img src="{URLS[(2 * k) % len(URLS)]}" onerror="alert('img')">
<figcaption>Caption {k} {s["caption"]} (AP Photo/ {s["credit"]})</figcaption></figure>
<p>TALLINN, ESTONIA — {body[0]} {s["paragraph"]} {body[1]}</p>
<h2>{s["heading"]}</h2><blockquote><p>{s["quote"]} {body[2]}</p></blockquote>
<ul><li>{s["item"]}</li><li>Dredging the old harbour</li></ul><p>{body[3]}</p>
<p><a href="javascript:alert('a')" onclick="alert('c')">More</a></p>
</article></body></html>"""


def rss_feed(path: str = "feed") -> str:
    items = []
    for k in range(STORIES):
        s, body = _slots(k), _body(k)
        title = htmllib.escape(f"Harbour {path} {k} {s['headline']}")
        image = URLS[(2 * k) % len(URLS)]
        items.append(f"""<item><title>{title}</title>
<link>{htmllib.escape(URLS[k % len(URLS)])}</link>
<description>{htmllib.escape(f"Summary {k} {s['summary']}")}</description>
<pubDate>Thu, 0{k + 1} May 2025 08:00:00 GMT</pubDate>
<category>{htmllib.escape(s["section"])}</category>
<content:encoded><![CDATA[<p>{body[0]} {s["paragraph"]} {body[1]}</p>
<figure><img src="{image}"><figcaption>Caption {k} {s["caption"]}</figcaption></figure>
<h2>{s["heading"]}</h2><blockquote>{s["quote"]}</blockquote>
<p>{body[2]} {body[3]}</p>]]></content:encoded>
</item>""")
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>Wire</title>'
        "<link>https://wire.example/</link><description>w</description>"
        + "".join(items)
        + "</channel></rss>"
    )


def atom_feed() -> str:
    entries = []
    for k in range(STORIES):
        s, body = _slots(k + 1), _body(k + 100)
        title = htmllib.escape(f"Harbour atom {k} {s['headline']}")
        content = htmllib.escape(
            f"<p>{body[0]} {s['paragraph']} {body[1]}</p><p>{body[2]} {s['quote']}</p>"
        )
        entries.append(f"""<entry><title type="html">{title}</title>
<id>urn:x:{k}</id><updated>2025-05-0{k + 1}T08:00:00Z</updated>
<link rel="alternate" href="{htmllib.escape(URLS[(k + 3) % len(URLS)])}"/>
<summary type="html">{htmllib.escape(f"Summary {k} {s['summary']}")}</summary>
<content type="html">{content}</content>
</entry>""")
    return (
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Atom wire</title><id>urn:x</id><updated>2025-05-01T08:00:00Z</updated>"
        + "".join(entries)
        + "</feed>"
    )


# --- every output -----------------------------------------------------------------------------
def _get(client, url: str, status: int = 200):
    response = client.get(url)
    assert response.status_code == status, f"{url}: {response.status_code}"
    return response


def _html(client, url: str) -> str:
    response = _get(client, url)
    assert response["Content-Type"].startswith("text/html"), url
    text = response.content.decode()
    assert_no_live_script(text, url)
    return text


def check_every_output(client, admin_client, stories: list[Story]) -> None:
    """Render every page, feed, sitemap, API answer, admin page and newsletter of ``stories``."""
    assert stories, "the path stored no story"
    for story in stories:
        assert_http_or_empty(story.source_url, f"stored source_url of {story.pk}")
        for c in Caption.objects.filter(story=story):
            assert_http_or_empty(c.image_url, f"stored image_url of {story.pk}")
    Story.objects.filter(pk__in=[s.pk for s in stories]).update(status=Story.PUBLISHED)
    stories = list(Story.objects.filter(pk__in=[s.pk for s in stories]))
    sections = list(Section.objects.filter(stories__in=stories).distinct())
    editions = list(Edition.objects.filter(stories__in=stories).distinct())
    # reader pages (the markers prove the stories' own text reached them)
    for story in stories:
        page = _html(client, story.get_absolute_url())
        assert "Harbour" in page and story.slug in page
    home = _html(client, reverse("stories:home"))
    assert any(htmllib.escape(s.headline, quote=False)[:40] in home for s in stories)
    for section in sections:
        _html(client, section.get_absolute_url())
    for edition in editions:
        _html(client, edition.get_absolute_url())
    _html(client, reverse("search:results") + "?q=harbour")
    # feeds: the site's, each section's and each edition's, in every format
    feed_urls = ["/feeds/rss.xml", "/feeds/atom.xml", "/feeds/feed.json"]
    for section in sections:
        feed_urls += [f"/section/{section.slug}/{f}" for f in ("rss.xml", "atom.xml", "feed.json")]
    for e in editions:
        feed_urls += [
            f"/edition/{e.date.isoformat()}/{e.period}/{f}" for f in ("rss.xml", "feed.json")
        ]
    for url in feed_urls:
        response = _get(client, url)
        if url.endswith(".json"):
            assert "json" in response["Content-Type"]
            assert_json_safe(json.loads(response.content), url)
        else:
            assert_feed_safe(response.content, url)
    # sitemaps: well-formed XML, every <loc> ours and http(s)
    index = ElementTree.fromstring(_get(client, "/sitemap.xml").content)
    maps = [loc.text for loc in index.iter(f"{SITEMAP_NS}loc")]
    assert maps, "the sitemap index lists no sitemap"
    for url in ["/sitemap-news.xml"] + maps:
        root = ElementTree.fromstring(_get(client, url).content)
        for loc in root.iter(f"{SITEMAP_NS}loc"):
            assert loc.text.startswith("http://testserver/"), f"{url}: {loc.text!r}"
    # the JSON API
    for url in ["/api/stories", "/api/search?q=harbour", "/api/editions"] + [
        f"/api/stories/{s.slug}" for s in stories
    ]:
        response = _get(client, url)
        assert response["Content-Type"].startswith("application/json"), url
        assert_json_safe(response.json(), url)
    # the admin: change list and each change form; the newsletters
    _html(admin_client, reverse("admin:stories_story_changelist"))
    _html(admin_client, reverse("admin:stories_story_changelist") + "?q=harbour")
    for story in stories:
        _html(admin_client, reverse("admin:stories_story_change", args=[story.pk]))
    for edition in editions:
        _html(admin_client, reverse("admin:stories_edition_newsletter", args=[edition.pk, "html"]))
        text = _get(
            admin_client, reverse("admin:stories_edition_newsletter", args=[edition.pk, "txt"])
        )
        assert text["Content-Type"].startswith("text/plain")
        body = text.content.decode()
        # plain text is never escaped: each headline reads exactly as stored
        shown = [s for s in stories if s.edition_id == edition.pk]
        assert all(s.headline in body for s in shown), body[:500]


@pytest.fixture
def erin_client(client, personas):
    client.force_login(personas["erin"])
    return client


@pytest.fixture
def admin_client_(db):
    from django.test import Client

    boss = User.objects.create_superuser("boss", "boss@example.org", None)
    c = Client()
    c.force_login(boss)
    return c


def _readers_client():
    from django.test import Client

    return Client()


# --- the input paths --------------------------------------------------------------------------
def _library(kind: str) -> list[Story]:
    if kind == "json":
        docs = [(json.dumps([article_dict(k, "json") for k in range(STORIES)]), "json")]
    elif kind == "text":
        docs = [(wire_text(k), "text") for k in range(STORIES)]
    elif kind == "html":
        docs = [(html_page(k), "html") for k in range(STORIES)]
    else:
        docs = [(rss_feed(), "feed"), (atom_feed(), "feed")]
    stored, refused = [], []
    for doc, fmt in docs:
        try:
            articles = parse_all(doc, format=fmt)
        except ParseError as exc:
            # An unclosed <style> (payload 27) swallows the rest of a page, for a browser too:
            # refusing it with a clear error is right.
            refused.append(str(exc))
            continue
        stored.extend(ingest(article)[0] for article in articles)
    assert len(refused) <= 1 and "no article text" in "".join(refused) or not refused, refused
    return stored


@pytest.mark.parametrize("kind", ["text", "html", "feed", "json"])
def test_parse_and_ingest_path(kind, admin_client_):
    check_every_output(_readers_client(), admin_client_, _library(kind))


def test_cli_ingest_of_files_path(tmp_path, admin_client_, capsys):
    from newsdesk.cli import main

    for k in range(STORIES):
        (tmp_path / f"wire{k}.txt").write_text(wire_text(k + 10), encoding="utf-8")
        (tmp_path / f"page{k}.html").write_text(html_page(k + 20), encoding="utf-8")
    (tmp_path / "wire.rss").write_text(rss_feed("cli"), encoding="utf-8")
    (tmp_path / "stories.json").write_text(
        json.dumps([article_dict(k, "cli") for k in range(STORIES)]), encoding="utf-8"
    )
    assert main(["ingest", str(tmp_path)]) == 0, capsys.readouterr()
    stories = list(Story.objects.all())
    assert len(stories) >= 3 * STORIES
    check_every_output(_readers_client(), admin_client_, stories)


def test_desk_paste_path(erin_client, admin_client_):
    for k in range(STORIES):
        response = erin_client.post(
            reverse("admin:stories_story_from_copy"), {"copy": wire_text(k + 30)}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    upload = SimpleUploadedFile("page.html", html_page(40).encode(), content_type="text/html")
    response = erin_client.post(reverse("admin:stories_story_from_copy"), {"upload": upload})
    assert response.status_code == 302
    stories = list(Story.objects.all())
    assert len(stories) == STORIES + 1
    # erin's own views of her drafts, before they are published
    for story in stories:
        _html(erin_client, reverse("admin:stories_story_change", args=[story.pk]))
    _html(erin_client, reverse("admin:stories_story_changelist"))
    check_every_output(_readers_client(), admin_client_, stories)


@pytest.fixture
def token(db):
    from django.contrib.auth.models import Permission

    from newsdesk.site.api.models import Token

    user = User.objects.create_user("wire", "w@example.org", None)
    user.user_permissions.add(
        *Permission.objects.filter(
            content_type__app_label="stories", codename__in=["add_story", "publish_story"]
        )
    )
    return Token.issue(user, "wire feed")[1]


def test_api_writes_path(client, token, admin_client_):
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    for k in range(STORIES):
        data = article_dict(k, "api", urls=False)
        response = client.post(
            "/api/stories", json.dumps(data), content_type="application/json", **auth
        )
        assert response.status_code == 201, response.content
        assert_json_safe(response.json(), "POST /api/stories")
    for k in range(STORIES):
        response = client.post(
            "/api/documents?format=html", html_page(k + 50), content_type="text/html", **auth
        )
        assert response.status_code == 201, response.content
        assert_json_safe(response.json(), "POST /api/documents")
    check_every_output(_readers_client(), admin_client_, list(Story.objects.all()))


@pytest.mark.parametrize("field", ["source_url", "caption image"])
@pytest.mark.parametrize("url", URLS)
def test_api_refuses_urls_that_are_not_http(client, token, field, url):
    data = article_dict(0, "api", urls=False)
    if field == "source_url":
        data["source_url"] = url
    else:
        data["captions"][0]["image"] = url
    response = client.post(
        "/api/stories",
        json.dumps(data),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    assert response.status_code == 400, response.content
    assert "http" in response.json()["detail"] and field.split()[-1] in response.json()["detail"]
    assert not Story.objects.exists()


def test_rating_feedback_path(make_story, admin_client_, settings):
    from newsdesk.site.ratings.models import RatingSummary, Vote

    settings.NEWSDESK_RATING_RATE_LIMIT = ""
    story = make_story("Harbour story rated by readers")
    chunks = [PAYLOADS[i : i + 9] for i in range(0, len(PAYLOADS), 9)]
    for chunk in chunks:
        reader = _readers_client()  # a new reader each time: one vote per reader
        page = reader.get(story.get_absolute_url()).content.decode()
        form = re.search(r'name="form" value="([^"]+)"', page).group(1)
        response = reader.post(
            f"/story/{story.slug}/rate/",
            {"stars": "1", "form": form, "feedback": " ".join(chunk)},
            HTTP_ORIGIN="http://testserver",
        )
        assert response.status_code == 303, response.content
    assert Vote.objects.exclude(feedback="").count() == len(chunks)
    _html(_readers_client(), story.get_absolute_url())
    summary = RatingSummary.objects.get(story=story)
    page = _html(admin_client_, reverse("admin:ratings_ratingsummary_change", args=[summary.pk]))
    assert "alert(23)" in page  # the feedback is shown, as text
    _html(admin_client_, reverse("admin:ratings_vote_changelist"))
    for vote in Vote.objects.all():
        _html(admin_client_, reverse("admin:ratings_vote_change", args=[vote.pk]))
    _html(admin_client_, reverse("admin:ratings_ratingsummary_changelist"))


def test_search_query_path(client, make_story, settings):
    settings.NEWSDESK_SEARCH_RATE_LIMIT = ""
    make_story("Harbour vote <script>alert(0)</script> tonight")
    for payload in PAYLOADS + URLS:
        _html(client, reverse("search:results") + "?" + _query(payload))
        _html(client, reverse("search:results") + "?" + _query(f"harbour {payload}"))
        response = client.get("/api/search?" + _query(payload))
        assert response.status_code in (200, 404), response.status_code
        assert response["Content-Type"].startswith("application/json")
        assert_json_safe(response.json(), f"/api/search {payload!r}")


def _query(q: str) -> str:
    from urllib.parse import urlencode

    return urlencode({"q": q})


def test_the_checker_catches_each_kind_of_live_script():
    """The checks above would fail on real injections (so a pass means something)."""
    live = [
        "<p><script>alert(1)</script></p>",
        "<p><img src=x onerror=alert(1)></p>",
        '<a href=" java&#x09;script:alert(1)">x</a>',
        '<a href="data:text/html,x">x</a>',
        "<iframe src=https://e.example/></iframe>",
        '<script type="application/ld+json">{"a": "</script><script>alert(1)</script>"}</script>',
        '<script src="https://evil.example/x.js"></script>',
        '<div style="width:expression(alert(1))">x</div>',
        '<meta http-equiv="refresh" content="0;url=https://e.example/">',
    ]
    for markup in live:
        with pytest.raises((AssertionError, ValueError)):
            assert_no_live_script(markup, "probe")
    assert_no_live_script(
        "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"
        '<script src="/static/newsdesk/ratings.js"></script>'
        '<script type="application/ld+json">{"a": "\\u003C/script"}</script>',
        "probe",
    )
    rss = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
        b"<item><title>x</title>"
        b"<link>https://e.example/</link><description>&lt;img src=x onerror=alert(1)&gt;"
        b"</description></item></channel></rss>"
    )
    with pytest.raises(AssertionError):
        assert_feed_safe(rss, "probe feed")
    with pytest.raises(AssertionError):
        assert_json_safe({"items": [{"url": "javascript:alert(1)"}]}, "probe json")
