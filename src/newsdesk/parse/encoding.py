"""Bytes in, text out: size limits, gzip, BOMs, declared and undeclared encodings.

Every failure is a :class:`ParseError` that names the input and the problem.
"""

from __future__ import annotations

import codecs
import re
import zlib

from newsdesk.errors import ParseError

#: Largest input accepted, after decompression. A 30 MB "page" is refused.
MAX_BYTES = 20 * 1024 * 1024

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# <meta charset="x">, <meta http-equiv content="text/html; charset=x">, <?xml encoding="x"?>
_HTML_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]{2,40})""", re.I
)
_XML_ENCODING = re.compile(
    rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9_.:\-]{2,40})["']""", re.I
)
# C0 controls other than tab, newline, form feed and carriage return: not in text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def check_size(data: bytes | str, name: str) -> None:
    size = len(data)
    if size > MAX_BYTES:
        raise ParseError(
            f"{name}: input is {size / 1048576:.1f} MB, over the {MAX_BYTES // 1048576} MB limit"
        )


def gunzip(data: bytes, name: str) -> bytes:
    """Decompress gzip data (``1f 8b``), refusing anything that inflates past MAX_BYTES."""
    if not data.startswith(b"\x1f\x8b"):
        return data
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, MAX_BYTES + 1)
    except zlib.error as exc:
        raise ParseError(f"{name}: gzip data is corrupt: {exc}") from exc
    if not out and not inflater.eof:
        raise ParseError(f"{name}: gzip data is truncated")
    if len(out) > MAX_BYTES:
        raise ParseError(f"{name}: gzip data inflates past the {MAX_BYTES // 1048576} MB limit")
    return out


def declared_encoding(data: bytes) -> str | None:
    """The encoding an XML declaration or an HTML ``<meta>`` names, if it is one Python knows."""
    head = data[:4096]
    match = _XML_ENCODING.search(head) or _HTML_CHARSET.search(head)
    if not match:
        return None
    label = match.group(1).decode("ascii", "ignore").lower()
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def looks_binary(data: bytes) -> bool:
    """True for data no text format produces: NUL bytes or many control characters."""
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13)) + sample.count(127)
    return controls > max(2, len(sample) // 100)


def decode(data: bytes, name: str, *, declared: str | None = None) -> str:
    """Decode ``data`` to text: BOM, then the declared encoding, then UTF-8, then detection.

    Windows-1252 stands in for a declared ISO-8859-1 (as browsers do).
    """
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise ParseError(f"{name}: text is not valid {codec} despite its BOM") from exc
    if looks_binary(data):
        raise ParseError(f"{name}: binary data, not text")
    candidates = [declared or declared_encoding(data), "utf-8"]
    for codec in candidates:
        if not codec:
            continue
        if codec in ("latin-1", "iso8859-1", "ascii"):
            codec = "cp1252"
        try:
            return _clean(data.decode(codec))
        except (UnicodeDecodeError, LookupError):
            continue
    return _clean(_detect(data, name))


def _detect(data: bytes, name: str) -> str:
    """Undeclared, non-UTF-8 text: ask charset_normalizer; refuse what it cannot read."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    # coherence 0: no language the decoded text could be in (byte soup that happens to decode)
    if (
        best is None
        or best.encoding is None
        or (best.coherence == 0.0 and best.encoding not in ("ascii", "utf_8"))
    ):
        raise ParseError(f"{name}: cannot tell the text encoding (not UTF-8, none declared)")
    try:
        return data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError) as exc:
        raise ParseError(
            f"{name}: cannot tell the text encoding (not UTF-8, none declared)"
        ) from exc


def _clean(text: str) -> str:
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


def text_of(source: str | bytes, name: str) -> str:
    """Checked text for ``source``: size limit, gzip, decoding, binary and emptiness checks."""
    if isinstance(source, str):
        check_size(source, name)
        text = _clean(source)
    else:
        check_size(source, name)
        text = decode(gunzip(source, name), name)
    if not text.strip():
        raise ParseError(f"{name}: empty input")
    return text
