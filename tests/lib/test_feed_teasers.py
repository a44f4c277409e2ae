"""Feed furniture is not story text; teasers say so; binary files are told by their bytes."""

from pathlib import Path

import pytest

import newsdesk
from lib._shared import shared
from newsdesk.article import Block
from newsdesk.errors import ParseError
from newsdesk.parse import parse_all
from newsdesk.parse.detect import binary_kind, detect, table_kind
from newsdesk.parse.feed import is_teaser, strip_read_more

LONG = " ".join(["The harbour wall will be rebuilt over three years, the port said."] * 8)


def rss(description: str) -> bytes:
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
        "<link>https://wire.example/</link><description>Wire</description><item>"
        "<title>Harbour wall</title><link>https://wire.example/harbour</link>"
        f"<description><![CDATA[{description}]]></description></item></channel></rss>"
    ).encode()


@pytest.mark.parametrize(
    "tail",
    [
        "<a href='https://wire.example/harbour'>Continue reading...</a>",
        "<p>Continue reading…</p>",
        "<p><a href='/harbour'>Read more</a></p>",
        "<p>Read more »</p>",
        "<p>Related: <a href='/x'>Fact check: the harbour vote</a></p>",
    ],
)
def test_read_more_lines_are_dropped_and_make_a_teaser(tail):
    article = newsdesk.parse(rss(f"<p>{LONG}</p> {tail}"), format="feed")
    texts = [b.text for b in article.deep_look.blocks]
    assert texts == [LONG]
    assert is_teaser(article)


def test_read_more_at_the_end_of_a_paragraph_is_cut():
    blocks, cut = strip_read_more([Block("paragraph", "The wall is old. Continue reading...")])
    assert cut and [b.text for b in blocks] == ["The wall is old."]


def test_full_entry_is_not_a_teaser_but_a_short_one_is():
    assert not is_teaser(newsdesk.parse(rss(f"<p>{LONG}</p>"), format="feed"))
    assert is_teaser(newsdesk.parse(rss("<p>The harbour wall will be rebuilt.</p>"), format="feed"))


def test_guardian_entries_lose_continue_reading_and_related_lines():
    articles = parse_all(shared("data", "feeds", "rss-parser", "test", "input", "guardian.rss"))
    assert len(articles) == 55 and all(is_teaser(a) for a in articles)
    for article in articles:
        text = article.body_text
        assert "Continue reading" not in text and "\nRelated:" not in f"\n{text}"


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "a PNG image"),
        (b"%PDF-1.7\n...", "a PDF document"),
        (b"PK\x03\x04" + bytes(32), "a ZIP archive (or an Office document)"),
        (bytes(range(256)), "binary data"),
        ("ZÜRICH — The wall".encode("utf-16"), None),
        ("SÃO PAULO (AP) — The wall".encode(), None),
        (b"\x1f\x8b\x08\x00", None),  # gzip: the parser inflates it
    ],
)
def test_binary_kind_by_content(data, kind):
    assert binary_kind(data) == kind


def test_a_wire_file_with_no_extension_parses_by_content(tmp_path):
    wire = tmp_path / "AP-WIRE-0001"
    wire.write_text("Harbour wall to be rebuilt\n\nWASHINGTON (AP) — " + LONG)
    assert detect(wire.read_text()) == "text"
    assert newsdesk.parse(wire).headline == "Harbour wall to be rebuilt"


def test_binary_file_is_a_clear_parse_error(tmp_path):
    junk = tmp_path / "junk.bin"
    junk.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    with pytest.raises(ParseError, match=r"junk\.bin: is a PNG image, not a story"):
        newsdesk.parse(Path(junk))


def test_the_feeds_manifest_is_a_table_and_wire_copy_is_not():
    manifest = shared("data", "feeds", "manifest.tsv").read_text()
    assert table_kind(manifest) == "tab-separated data"
    assert table_kind("Harbour wall\n\nWASHINGTON (AP) — " + LONG) is None
    assert table_kind("a,b,c\n1,2,3\n4,5,6\n") == "comma-separated data"
