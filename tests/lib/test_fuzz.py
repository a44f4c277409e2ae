"""Property-based fuzzing: ``parse`` and ``summarize`` raise nothing but newsdesk's own errors.

Inputs are arbitrary text and bytes, and real articles, pages and feeds from the shared
evaluation data, mutated (cut, spliced, duplicated, with hostile tokens inserted).
Example counts are set per test below; ``HYPOTHESIS_PROFILE=long`` runs ten times more.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.article import Article, Block, DeepLook, QuickLooks
from newsdesk.errors import NewsdeskError
from newsdesk.parse import parse_all
from newsdesk.summarize import summarize

from ._shared import SHARED

SCALE = 10 if os.environ.get("HYPOTHESIS_PROFILE") == "long" else 1
FAST = dict(deadline=None, suppress_health_check=list(HealthCheck), derandomize=False)

# Tokens that have broken parsers and text code elsewhere: markup edges, entity tricks,
# encodings and byte-order marks, control and bidi characters, lone surrogates, huge words.
TEXT_TOKENS = [
    "\x00",
    "\x1b",
    "\r",
    "\r\n",
    "\n\n",
    "\t",
    "\u200b",
    "\u202e",
    "\ufeff",
    "\ud800",
    "\udfff",
    "\u0301\u0301\u0301",
    "🇺🇸",
    "👩🏽‍💻",
    "…",
    "“",
    "”",
    "‘",
    "—",
    "Mr.",
    "U.S.",
    "No.",
    "e.g.",
    "(",
    ")",
    "[",
    "]",
    '"',
    "'",
    "?!",
    "...",
    "!!!",
    ". . .",
    "1.",
    "•",
    "* ",
    "- ",
    "x" * 3000,
    "WASHINGTON (AP) — ",
    "Deep Look: ",
    "Quick Looks",
    "AP Photo/ ",
    "FILE – ",
    "<p>",
    "</p>",
    "<script>alert(1)</script>",
    "&amp;",
    "&#0;",
    "&#x110000;",
    " " * 500,
    "\u3002",
    "。",
    "؟",
]
BYTE_TOKENS = [t.encode("utf-8", "surrogatepass") for t in TEXT_TOKENS] + [
    b"\xff\xfe",
    b"\xfe\xff",
    b"\xef\xbb\xbf",
    b"\x80",
    b"\xc3",
    b"\xed\xa0\x80",
    b"\x1f\x8b\x08",
    b"<!DOCTYPE x [<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;'>]>",
    b"&a;&b;",
    b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    b"&e;",
    b"<![CDATA[",
    b"]]>",
    b"<?xml version='1.0' encoding='bogus-9'?>",
    b"<?xml version='1.0' encoding='utf-16'?>",
    b"<meta charset='utf-32'>",
    b"<html>",
    b"</body>",
    b"<rss version='2.0'><channel><item><title>",
    b"</item>",
    b"<feed xmlns='http://www.w3.org/2005/Atom'>",
    b"<entry>",
    b"<content type='html'>&lt;p&gt;",
    b"<figure><img src='javascript:x'><figcaption>",
    b"<table><tr><td>",
    b"<svg onload=alert(1)>",
    b'{"headline": ',
    b'"deep_look": {"blocks": [',
    b"<pubDate>Mon, 99 Foo 99999 99:99:99 +9999</pubDate>",
    b"<published>0000-00-00T25:61:61Z",
    b"<link>javascript:alert(1)</link>",
    b"<base href='http://[::1'>",
    b"<a href='http://[oops'>x</a>",
]


@cache
def _cnndm() -> list[str]:
    path = SHARED / "data" / "summaries" / "cnndm-dev.jsonl"
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as f:
        return [json.loads(line)["article"] for line in f][:120]


@cache
def _files(kind: str) -> list[Path]:
    root = SHARED / "data" / kind
    if kind == "pages":
        files = sorted((root / "html").glob("*.html"))
    else:  # feeds small enough to fuzz quickly
        files = sorted(
            p
            for p in root.rglob("*")
            if p.is_file() and p.suffix != ".tsv" and p.stat().st_size < 60_000
        )
    return files


def _need(items, what):
    if not items:
        pytest.skip(f"shared evaluation data ({what}) not found under {SHARED / 'data'}")
    return items


@st.composite
def mutated(draw, original, tokens):
    """``original`` after 1–6 random edits: cut, delete, duplicate, insert, overwrite."""
    data = original
    for _ in range(draw(st.integers(1, 6))):
        n = len(data)
        at = draw(st.integers(0, n))
        op = draw(st.sampled_from(["cut", "delete", "duplicate", "insert", "insert", "overwrite"]))
        if op == "cut":
            data = data[:at]
        elif op == "delete":
            data = data[:at] + data[at + draw(st.integers(1, 2000)) :]
        elif op == "duplicate":
            piece = data[at : at + draw(st.integers(1, 4000))] * draw(st.integers(2, 5))
            data = data[:at] + piece + data[at:]
        elif op == "insert":
            anything = st.binary(max_size=40) if isinstance(data, bytes) else st.text(max_size=40)
            token = draw(st.sampled_from(tokens) | anything)
            data = data[:at] + token + data[at:]
        else:
            filler = draw(
                st.binary(min_size=1, max_size=8)
                if isinstance(data, bytes)
                else st.text(min_size=1, max_size=8)
            )
            data = data[:at] + filler + data[at + len(filler) :]
    return data


def _article_from_text(text: str, headline: str = "", kinds=("paragraph",)) -> Article:
    paras = [p for p in text.split("\n\n")]
    blocks = []
    for i, p in enumerate(paras):
        kind = kinds[i % len(kinds)]
        blocks.append(Block(kind, items=tuple(p.split("\n"))) if kind == "list" else Block(kind, p))
    return Article(
        headline=headline or None,
        deep_look=DeepLook(title=None, dateline=None, blocks=tuple(blocks)),
    )


def _summarize_ok(article: Article) -> None:
    try:
        looks = summarize(article)
    except NewsdeskError:
        return
    # what it returns is usable: bullets point at real sentences and are not empty
    assert looks.bullets
    for bullet in looks.bullets:
        assert all(0 <= i < len(looks.sentences) for i in bullet.source_sentences)
    looks.to_json()


KINDS = st.lists(st.sampled_from(["paragraph", "heading", "quote", "list"]), min_size=1, max_size=4)


@settings(max_examples=300 * SCALE, **FAST)
@given(st.text(max_size=3000), st.text(max_size=200), KINDS)
def test_summarize_arbitrary_text(text, headline, kinds):
    _summarize_ok(_article_from_text(text, headline, tuple(kinds)))


@settings(max_examples=150 * SCALE, **FAST)
@given(
    st.lists(st.sampled_from(TEXT_TOKENS) | st.text(max_size=10), max_size=60).map("".join), KINDS
)
def test_summarize_token_soup(text, kinds):
    _summarize_ok(_article_from_text(text, "", tuple(kinds)))


@settings(max_examples=200 * SCALE, **FAST)
@given(st.data())
def test_summarize_mutated_real_articles(data):
    article = data.draw(st.sampled_from(_need(_cnndm(), "summaries/cnndm-dev.jsonl")))
    text = data.draw(mutated(article, TEXT_TOKENS))
    _summarize_ok(_article_from_text(text.replace(". ", ".\n\n", 3)))
    # the input's own Quick Looks and captions ride along untouched
    art = _article_from_text(text)
    box = QuickLooks(title=text[:20], bullets=(text[:50],))
    _summarize_ok(Article(headline=text[:80], quick_looks=box, deep_look=art.deep_look))


def _parse_and_summarize(source, fmt="auto") -> None:
    try:
        articles = parse_all(source, format=fmt)
    except NewsdeskError:
        return
    assert isinstance(articles, list)
    for article in articles[:5]:
        article.to_json()
        _summarize_ok(article)


FORMATS = st.sampled_from(["auto", "auto", "html", "text", "feed", "json"])


@settings(max_examples=60 * SCALE, **FAST)
@given(st.data(), FORMATS)
def test_parse_mutated_real_pages(data, fmt):
    page = data.draw(st.sampled_from(_need(_files("pages"), "pages/html")))
    raw = data.draw(mutated(page.read_bytes(), BYTE_TOKENS))
    _parse_and_summarize(raw, fmt)


@settings(max_examples=150 * SCALE, **FAST)
@given(st.data(), FORMATS)
def test_parse_mutated_real_feeds(data, fmt):
    feed = data.draw(st.sampled_from(_need(_files("feeds"), "feeds")))
    raw = data.draw(mutated(feed.read_bytes(), BYTE_TOKENS))
    _parse_and_summarize(raw, fmt)
    if data.draw(st.booleans()):  # the same damage seen as text, not bytes
        _parse_and_summarize(raw.decode("utf-8", "replace"), fmt)


@settings(max_examples=150 * SCALE, **FAST)
@given(st.binary(max_size=2000), FORMATS)
def test_parse_arbitrary_bytes_then_summarize(raw, fmt):
    _parse_and_summarize(raw, fmt)


@settings(max_examples=150 * SCALE, **FAST)
@given(
    st.lists(st.sampled_from(BYTE_TOKENS) | st.binary(max_size=10), max_size=40).map(b"".join),
    FORMATS,
)
def test_parse_token_soup_then_summarize(raw, fmt):
    _parse_and_summarize(raw, fmt)


# --- Pathological sizes: each took minutes before the sentence splitter was fixed ----------


@pytest.mark.parametrize(
    "text",
    [
        "Mr. U.S. e.g. " * 20_000,  # one 280,000-character "sentence" of abbreviations
        "." * 100_000,  # a punctuation run with no space after
        "!" * 50_000 + "'" * 50_000,  # punctuation, then closing quotes, no space
    ],
    ids=["abbreviations", "dots", "bangs-and-quotes"],
)
def test_summarize_is_not_quadratic_on_pathological_text(text):
    _summarize_ok(_article_from_text(text))


# --- XML attacks: bombs, external entities, external DTDs, XInclude, in every format --------

PASSWD = Path("/etc/passwd")
XML_ATTACKS = {
    "billion-laughs": '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    + ']><rss version="2.0"><channel><title>&i;</title><item><title>&i;</title>'
    "<description>&i;</description></item></channel></rss>",
    "quadratic-blowup": '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "' + "x" * 50_000 + '">]>'
    '<rss version="2.0"><channel><item><title>t</title><description>'
    + "&a;" * 2000
    + "</description></item></channel></rss>",
    "xxe-file": '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    '<rss version="2.0"><channel><item><title>&x;</title></item></channel></rss>',
    "xxe-parameter": '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "file:///etc/passwd">'
    '%p;]><rss version="2.0"><channel><item><title>t</title></item>'
    "</channel></rss>",
    "xxe-atom": '<?xml version="1.0"?><!DOCTYPE feed [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    '<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&x;</title>'
    "<content>&x;</content></entry></feed>",
    "external-dtd": '<?xml version="1.0"?><!DOCTYPE rss SYSTEM "file:///etc/passwd">'
    '<rss version="2.0"><channel><item><title>t &amp; u</title>'
    "<description>body</description></item></channel></rss>",
    "xinclude": '<?xml version="1.0"?><rss version="2.0" xmlns:xi="http://www.w3.org/2001/XInclude">'
    '<channel><item><title>t</title><description><xi:include href="file:///etc/passwd" '
    'parse="text"/></description></item></channel></rss>',
    "html-xxe": '<!DOCTYPE html [<!ENTITY x SYSTEM "file:///etc/passwd">]><html><body><article>'
    "<h1>Harbour</h1><p>&x; The council met on Monday to vote on the harbour plan. "
    "It passed.</p></article></body></html>",
}


@pytest.mark.parametrize("fmt", ["auto", "feed", "html", "text"])
@pytest.mark.parametrize("name", list(XML_ATTACKS))
def test_xml_attacks_are_refused_or_inert(name, fmt):
    doc = XML_ATTACKS[name]
    for source in (doc.encode("utf-8"), doc.encode("utf-16"), doc):
        try:
            articles = parse_all(source, format=fmt)
        except NewsdeskError as exc:
            if "ENTITY" in doc and fmt == "feed":  # read as a feed: refused, and says why
                assert "refused" in str(exc)
            continue
        out = json.dumps([a.to_dict() for a in articles])
        assert len(out) < 200_000, "an entity was expanded"
        assert "aaaaaaaaaaaaaaaaaaaa" not in out
        if PASSWD.exists():
            assert "root:" not in out, "a local file was read into the story"
