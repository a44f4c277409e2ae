"""Feeds: RSS, Atom, RDF and JSON Feed; encodings, gzip, relative links, bad dates, XML bombs."""

import csv
import gzip
import json
from datetime import UTC, datetime

import pytest

from newsdesk.errors import ParseError
from newsdesk.parse import parse, parse_all

from ._shared import shared

RSS = """<?xml version="1.0" encoding="{enc}"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Example Wire</title><link>https://news.example.com/</link>
<item><title>First story</title><link>/2024/first</link>
<pubDate>Tue, 05 Mar 2024 13:30:00 GMT</pubDate><category>World</category>
<description>Short summary.</description>
<content:encoded><![CDATA[<p>PARIS (AP) - Full text of the first story.</p><h2>Subhead</h2><ul><li>one</li><li>two</li></ul>]]></content:encoded>
</item>
<item><title>Second story {word}</title><link>https://news.example.com/2024/second</link>
<pubDate>not a date at all</pubDate><description>Only a summary here.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://blog.example.org/">
<title>Example Blog</title><updated>2024-03-05T10:00:00Z</updated>
<entry><title>Atom entry</title><link rel="alternate" href="posts/1"/><id>urn:1</id>
<updated>2024-03-05T10:00:00+02:00</updated><author><name>Jo Writer</name></author>
<content type="html">&lt;p&gt;Atom body text.&lt;/p&gt;</content></entry>
</feed>"""

RDF = """<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">
<channel rdf:about="https://x.example/"><title>RDF Site</title><link>https://x.example/</link>
<description>d</description></channel>
<item rdf:about="https://x.example/1"><title>RDF item</title><link>https://x.example/1</link>
<description>RDF item text.</description></item></rdf:RDF>"""

JSON_FEED = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "JSON Site",
        "home_page_url": "https://j.example/",
        "items": [
            {
                "id": "1",
                "url": "/posts/1",
                "title": "JSON item",
                "content_html": "<p>JSON body.</p>",
                "date_published": "2024-03-05T10:00:00Z",
                "authors": [{"name": "Kim"}],
                "tags": ["Tech"],
            },
            {
                "id": "2",
                "title": "Bad date",
                "content_text": "Plain text body.",
                "date_published": "yesterday",
            },
        ],
    }
)


def test_rss_entries_become_articles():
    first, second = parse_all(RSS.format(enc="utf-8", word="").encode(), format="feed")
    assert first.headline == "First story"
    assert first.site == "Example Wire"
    assert first.source_url == "https://news.example.com/2024/first"  # relative link resolved
    assert first.published == datetime(2024, 3, 5, 13, 30, tzinfo=UTC)
    assert first.sections == ("World",)
    assert first.dateline == "PARIS"
    assert [b.kind for b in first.deep_look.blocks] == ["paragraph", "heading", "list"]
    assert first.deep_look.blocks[0].text == "Full text of the first story."
    assert second.deep_look.blocks[0].text == "Only a summary here."


def test_bad_date_is_null_with_warning():
    second = parse_all(RSS.format(enc="utf-8", word="").encode())[1]
    assert second.published is None
    assert any("not a date at all" in w for w in second.warnings)


@pytest.mark.parametrize(
    ("declared", "codec", "word"),
    [
        ("windows-1251", "cp1251", "Новости"),
        ("iso-8859-1", "latin-1", "Notícias"),
        ("utf-8", "utf-8", "Nachrichten über"),
    ],
)
def test_declared_encodings(declared, codec, word):
    data = RSS.format(enc=declared, word=word).encode(codec)
    assert parse_all(data)[1].headline == f"Second story {word}"


def test_undeclared_windows_1251():
    text = RSS.format(enc="utf-8", word="").replace(' encoding="utf-8"', "")
    text = text.replace("Second story ", "Второй материал о выборах в городе и области ")
    data = text.encode("cp1251")
    assert parse_all(data)[1].headline == "Второй материал о выборах в городе и области"


def test_gzip_feed():
    data = gzip.compress(RSS.format(enc="utf-8", word="").encode())
    assert len(parse_all(data)) == 2


def test_atom_rdf_and_json_feed():
    atom = parse_all(ATOM)
    assert atom[0].source_url == "https://blog.example.org/posts/1"
    assert atom[0].author == "Jo Writer"
    assert atom[0].body_text == "Atom body text."
    rdf = parse_all(RDF)
    assert (rdf[0].headline, rdf[0].body_text) == ("RDF item", "RDF item text.")
    items = parse_all(JSON_FEED)
    assert items[0].source_url == "https://j.example/posts/1"
    assert items[0].published == datetime(2024, 3, 5, 10, tzinfo=UTC)
    assert (items[0].author, items[0].sections, items[0].body_text) == (
        "Kim",
        ("Tech",),
        "JSON body.",
    )
    assert items[1].published is None and items[1].warnings


def test_parse_of_a_feed_returns_first_entry_and_says_so():
    a = parse(RSS.format(enc="utf-8", word=""))
    assert a.headline == "First story"
    assert any("parse_all" in w for w in a.warnings)


BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><title>&lol3;</title><item><title>x</title></item></channel></rss>"""
XXE = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>&xxe;</title><item><title>x</title></item></channel></rss>"""


@pytest.mark.parametrize("doc", [BOMB, XXE], ids=["billion-laughs", "external-entity"])
def test_xml_bombs_and_external_entities_are_refused(doc):
    with pytest.raises(ParseError, match="refused"):
        parse_all(doc.encode(), format="feed")
    with pytest.raises(ParseError, match="refused"):
        parse_all(doc.encode())


def test_not_a_feed_is_a_parse_error():
    with pytest.raises(ParseError, match="not a feed"):
        parse_all(b"<html><body><p>hello</p></body></html>", format="feed")


def test_all_real_feeds_parse_without_surprises():
    folder = shared("data", "feeds")
    rows = list(csv.DictReader((folder / "manifest.tsv").open(encoding="utf-8"), delimiter="\t"))
    assert len(rows) == 93
    parsed = 0
    for row in rows:
        try:
            articles = parse_all(folder / row["path"])
        except ParseError:
            continue
        parsed += 1
        if row["format"] in ("rss", "atom", "rdf", "jsonfeed"):
            assert len(articles) == int(row["items"]), row["path"]
            if row["news_outlet"] and articles:
                assert articles[0].headline, row["path"]
    assert parsed >= 90
