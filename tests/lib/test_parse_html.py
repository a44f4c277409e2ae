"""HTML article pages: trafilatura's main text with newsdesk's structure on top."""

import gzip
import json

import pytest

from newsdesk.errors import ParseError
from newsdesk.parse import parse

from ._shared import shared

PARAS = "".join(
    f"<p>Paragraph {n} of the story says something long enough to count as real article text, "
    f"with names, places and numbers like {n * 17} to keep it distinct.</p>"
    for n in range(1, 7)
)

PAGE = f"""<!doctype html>
<html><head><title>Storm hits coast | Example News</title>
<meta property="og:site_name" content="Example News">
<script type="application/ld+json">
{{"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Storm hits coast",
  "datePublished": "2024-03-05T08:30:00-05:00", "author": [{{"@type": "Person", "name": "Ana Brigida"}}],
  "articleSection": "World", "image": {{"@type": "ImageObject", "url": "https://example.com/a.jpg"}}}}
</script></head>
<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article>
<h1>Storm hits coast</h1>
<figure><img src="/img/storm.jpg"><figcaption>A flooded street in Lisbon on Monday.
 <span class="credit">AP Photo/Ana Brigida</span></figcaption></figure>
<p>LISBON, Portugal (AP) — A violent storm hit the coast of Portugal on Monday, flooding streets and
cutting power to thousands of homes across the region.</p>
{PARAS}
<h2>Damage assessment begins</h2>
<p>Crews listed their priorities for the week, starting with the hardest-hit neighbourhoods near the river.</p>
<ul><li>Restore power lines to the hospital</li><li>Clear the coastal roads</li></ul>
<blockquote><p>We have never seen anything like it in this town, not in fifty years.</p></blockquote>
<p>Read more</p>
<p>SCROLL DOWN FOR VIDEO</p>
<p>Sign up for our daily newsletter</p>
</article>
<footer>Copyright Example News</footer>
</body></html>"""


@pytest.fixture(scope="module")
def article():
    return parse(PAGE, url="https://example.com/world/storm")


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("headline", "Storm hits coast"),
        ("author", "Ana Brigida"),
        ("sections", ("World",)),
        ("site", "Example News"),
        ("dateline", "LISBON, Portugal"),
        ("source_url", "https://example.com/world/storm"),
    ],
)
def test_metadata(article, field, expected):
    assert getattr(article, field) == expected


def test_published_is_aware(article):
    assert article.published.isoformat() == "2024-03-05T08:30:00-05:00"


def test_caption_with_credit_and_image(article):
    cap = article.captions[0]
    assert cap.text == "A flooded street in Lisbon on Monday."
    assert cap.credit == "AP Photo/Ana Brigida"
    assert cap.image == "https://example.com/img/storm.jpg"


def test_body_structure(article):
    blocks = article.deep_look.blocks
    assert article.deep_look.dateline == "LISBON, Portugal (AP)"
    assert blocks[0].text.startswith("A violent storm hit the coast")
    kinds = {b.kind for b in blocks}
    assert {"paragraph", "heading", "list", "quote"} <= kinds
    assert ("heading", "Damage assessment begins") in [(b.kind, b.text) for b in blocks]
    assert any(b.kind == "list" and "Clear the coastal roads" in b.items for b in blocks)


@pytest.mark.parametrize(
    "chrome", ["Read more", "SCROLL DOWN FOR VIDEO", "newsletter", "Home", "Copyright"]
)
def test_boilerplate_is_dropped(article, chrome):
    assert chrome not in article.body_text


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        (
            "<html><head><title>Object Moved</title></head><body><h1>Object Moved</h1>"
            "This document may be found <a href='/x'>here</a></body></html>",
            "no article text",
        ),
        (
            "<html><body><form><input name=q><button>Search</button></form></body></html>",
            "no article text",
        ),
        ("<html><body><div><p>Too short.</p></div></body></html>", "no article text"),
    ],
)
def test_non_article_pages_are_parse_errors(html, problem):
    with pytest.raises(ParseError, match=problem):
        parse(html, format="html")


def test_truncated_html_still_parses():
    truncated = PAGE[: PAGE.index("<h2>")]
    a = parse(truncated)
    assert a.headline == "Storm hits coast"
    assert "Paragraph 6" in a.body_text


def test_declared_latin1_page_bytes():
    page = (
        PAGE.replace("<head>", '<head><meta charset="iso-8859-1">')
        .replace("Lisbon", "Lisboa café")
        .replace("—", "-")
    )
    a = parse(page.encode("latin-1"))
    assert "Lisboa café" in a.captions[0].text


def test_real_pages_have_headline_and_body():
    pages = shared("data", "pages")
    rows = [
        json.loads(line)
        for line in (pages / "manifest.jsonl").read_text().splitlines()
        if line.strip()
    ]
    for row in rows[:6]:
        a = parse(pages / row["html"], url=row["url"])
        assert a.headline, row["name"]
        assert len(a.body_text) > 500, row["name"]


def test_benchmark_page_gzip_bytes():
    html_dir = shared("data", "extraction", "html")
    first = sorted(html_dir.glob("*.html.gz"))[0]
    a = parse(first.read_bytes())  # gzip is recognised and inflated
    assert a.body_text
    assert parse(gzip.decompress(first.read_bytes())).body_text == a.body_text


def test_undeclared_latin1_page_bytes():
    page = PAGE.replace("Lisbon", "Lisboa café").replace("—", "-")
    a = parse(page.encode("latin-1"))
    assert "Lisboa café" in a.captions[0].text


def test_quick_looks_page_in_html():
    bullets = "".join(f"<li>Key point number {n} about the talks</li>" for n in range(1, 5))
    page = f"""<html><head><title>Talks</title></head><body><article><h1>Talks Offer Gains</h1>
    <h3>Talks Favor Russia: Quick Looks</h3><ul>{bullets}</ul>
    <h2>Deep Look: Peace Effort Seen to Benefit Russia</h2>
    <p>TALLINN, Estonia (AP) — As President Donald Trump leads efforts to broker an end to the war,
    the contours of the evolving negotiation suggest a strategic advantage for Russia.</p>{PARAS}
    <p>How useful was this article?</p><p>Average rating 0 / 5. Vote count: 0</p></article></body></html>"""
    a = parse(page)
    assert a.quick_looks.title == "Talks Favor Russia: Quick Looks"
    assert len(a.quick_looks.bullets) == 4
    assert a.deep_look.title == "Deep Look: Peace Effort Seen to Benefit Russia"
    assert a.deep_look.dateline == "TALLINN, Estonia (AP)"
    assert "How useful" not in a.body_text and "Average rating" not in a.body_text


@pytest.mark.parametrize(
    ("printed", "place"),
    [
        ("MONTRÉAL, Quebec (AP)", "MONTRÉAL, Quebec"),
        ("SÃO PAULO (AP)", "SÃO PAULO"),
        ("ZÜRICH", "ZÜRICH"),
    ],
)
def test_datelines_with_non_ascii_capitals_in_a_page(printed, place):
    a = parse(PAGE.replace("LISBON, Portugal (AP)", printed))
    assert (a.dateline, a.deep_look.dateline) == (place, printed)
    assert a.deep_look.blocks[0].text.startswith("A violent storm")
