"""Bad input of every kind ends in one ParseError that names the input and the problem."""

import gzip

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.errors import ParseError
from newsdesk.parse import encoding, parse, parse_all

FORMATS = ["auto", "text", "html", "feed", "json"]


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty input"),
        (b"   \n\t\n", "empty input"),
        (b"\x00\x01\x02\x03\xff\xfe\x00binary", "binary"),
        (bytes(range(256)) * 4, "binary"),
        (gzip.compress(b""), "empty input"),
        (b"\x1f\x8b\x08\x00garbage", "gzip"),
        (b"<rss", "<input>"),
    ],
)
def test_bad_bytes(data, problem):
    with pytest.raises(ParseError, match=problem):
        parse(data)


def test_messages_name_the_input(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    with pytest.raises(ParseError, match="empty.html: empty input"):
        parse(empty)
    with pytest.raises(ParseError, match="^<input>: empty input"):
        parse(b"")
    with pytest.raises(ParseError, match="^<stdin>: empty input"):
        parse(b"", name="<stdin>")
    with pytest.raises(ParseError, match="nope.txt: cannot read"):
        parse(tmp_path / "nope.txt")
    with pytest.raises(ParseError, match="is a directory"):
        parse(tmp_path)


def test_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(encoding, "MAX_BYTES", 1000)
    big = tmp_path / "big.html"
    big.write_bytes(b"<p>" + b"x" * 2000)
    with pytest.raises(ParseError, match="big.html: input is .* over the"):
        parse(big)
    with pytest.raises(ParseError, match="over the"):
        parse(b"y" * 2000)
    with pytest.raises(ParseError, match="inflates past"):
        parse(gzip.compress(b"z" * 5000))


def test_thirty_megabyte_page_is_refused(tmp_path):
    page = tmp_path / "huge.html"
    with page.open("wb") as f:
        f.write(b"<html><body>")
        f.seek(30 * 1024 * 1024)
        f.write(b"</body></html>")
    with pytest.raises(ParseError, match="huge.html: input is 30.0 MB, over the 20 MB limit"):
        parse(page)


def test_unknown_format():
    with pytest.raises(ParseError, match="unknown format 'pdf'"):
        parse("text", format="pdf")


def test_undetectable_encoding():
    # not UTF-8, nothing declared, and no single-byte code page makes sense of it
    junk = bytes([0x81, 0x8D, 0x8F, 0x90, 0x9D]) * 50
    with pytest.raises(ParseError):
        parse(junk)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400), st.sampled_from(FORMATS))
def test_arbitrary_text_raises_only_parse_error(text, fmt):
    try:
        result = parse_all(text, format=fmt)
    except ParseError:
        return
    assert isinstance(result, list)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400), st.sampled_from(FORMATS))
def test_arbitrary_bytes_raise_only_parse_error(data, fmt):
    try:
        parse_all(data, format=fmt)
    except ParseError:
        pass


MARKUPISH = st.lists(
    st.sampled_from(
        [
            "<p>",
            "</p>",
            "<rss version='2.0'>",
            "<channel>",
            "<item>",
            "<title>",
            "</title>",
            "<feed xmlns='http://www.w3.org/2005/Atom'>",
            "<entry>",
            "{",
            "}",
            "[",
            "]",
            '"headline":',
            '"deep_look":',
            "<!DOCTYPE x [",
            "<!ENTITY a 'b'>",
            "&a;",
            "WASHINGTON (AP) — ",
            "Deep Look: ",
            ": Quick Looks",
            "  • ",
            "\n",
            "\n\n",
            "text words here",
            "<html>",
            "<body>",
            "<figure>",
            "<figcaption>",
            "\x00",
            "é",
        ]
    ),
    max_size=40,
).map("".join)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(MARKUPISH, st.sampled_from(FORMATS))
def test_markup_soup_raises_only_parse_error(text, fmt):
    for source in (text, text.encode("utf-8")):
        try:
            parse_all(source, format=fmt)
        except ParseError:
            pass
