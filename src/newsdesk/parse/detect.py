"""Guess an input's format from its content: its first bytes, then its first kilobytes of text.

A file's name says little (wire files come as ``AP-WIRE-0001``, pages as ``index``):
``binary_kind`` tells data that is no story at all (images, archives, executables) from
text, and ``detect`` tells text, HTML, feeds and JSON apart.
"""

from __future__ import annotations

import re

FORMATS = ("auto", "text", "html", "feed", "json")

_FEED_ROOT = re.compile(r"<(?:[\w-]+:)?(rss|feed|RDF|channel)\b", re.I)
# A feed's root element, even when some tool wrapped the feed in an XHTML page.
_FEED_ELEMENT = re.compile(
    r"<rss\b[^>]*\bversion\s*=|<feed\b[^>]*xmlns\s*=\s*[\"']http://www\.w3\.org/2005/Atom|<rdf:RDF\b",
    re.I,
)
_HTML_TAG = re.compile(
    r"<(!doctype\s+html|html|head|body|div|p|article|section|main|meta|title|span|table|h[1-6]|br|a\s)\b",
    re.I,
)
_MARKUP_PROLOG = re.compile(r"\A(?:\s|<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.S | re.I)


# File signatures of what newsrooms' folders hold besides stories.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"RIFF", "a RIFF file (WebP image, WAV or AVI)"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or an Office document)"),
    (b"\x7fELF", "an executable"),
    (b"MZ", "a Windows executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"ID3", "an MP3 file"),
    (b"\x00\x00\x00", "binary data"),
)
_TEXT_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_CONTROL = bytes(set(range(32)) - {9, 10, 12, 13, 27})


def binary_kind(data: bytes) -> str | None:
    """What ``data`` is when it is not text (``"a PNG image"``, ``"binary data"``), else None.

    Gzip data (``1f 8b``) counts as text: the parser inflates it. NUL bytes outside
    UTF-16 text, or more than 10 % control bytes, make binary data.
    """
    head = bytes(data[:8192])
    if not head or head.startswith(b"\x1f\x8b") or head.startswith(_TEXT_BOMS):
        return None
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if b"\x00" in head:
        return "binary data"
    controls = sum(head.count(bytes([c])) for c in _CONTROL)
    return "binary data" if controls * 10 > len(head) else None


def table_kind(text: str) -> str | None:
    """``"tab-separated data"`` or ``"comma-separated data"`` for a table's text, else None.

    A table: at least three lines, all with the same number (two or more) of separators.
    Wire copy and pages never look like that; a folder's ``manifest.tsv`` does.
    """
    lines = [line for line in text[:8192].splitlines() if line.strip()][:20]
    if len(text) > 8192 and len(lines) > 1:
        lines = lines[:-1]  # the last line may be cut
    if len(lines) < 3:
        return None
    for sep, kind in (("\t", "tab-separated data"), (",", "comma-separated data")):
        counts = {line.count(sep) for line in lines}
        if len(counts) == 1 and counts.pop() >= 2:
            return kind
    return None


def detect(text: str) -> str:
    """One of ``json``, ``feed``, ``html`` or ``text``."""
    head = text[:4096].lstrip("\ufeff \t\r\n")
    if head[:1] in "{[":
        return "json"
    if head.startswith("<"):
        if _FEED_ELEMENT.search(head):
            return "feed"
        rest = head[_MARKUP_PROLOG.match(head).end() :]
        first = re.match(r"<([\w:.-]+)", rest)
        if first:
            tag = first.group(1).lower().split(":")[-1]
            if tag in ("rss", "feed", "rdf", "channel"):
                return "feed"
            if tag == "html" or _HTML_TAG.match(rest):
                return "html"
        if _FEED_ROOT.search(head) and not re.search(r"<html\b", head, re.I):
            return "feed"
        return "html"
    if _HTML_TAG.search(head[:1024]) and head.count("<") > 5:
        return "html"
    return "text"


# Phrases of software and content licences: two of them, or a licence's own title at the
# top, make a licence file (LICENSE, COPYING, NOTICE), not a story.
_LICENCE_PHRASES = re.compile(
    r"permission is hereby granted, free of charge|redistribution and use in source and binary"
    r"|provided [\"“]?as is[\"”]?,? without warranty|the above copyright notice"
    r"|licensed under the apache license|terms and conditions for use, reproduction"
    r"|gnu (?:lesser |affero )?general public license|mozilla public license"
    r"|this is free and unencumbered software|creative commons (?:attribution|legal code)"
    r"|in no event shall the (?:authors|copyright holders?)|all rights reserved"
    r"|warranties of merchantability|without restriction, including without limitation",
    re.I,
)
_LICENCE_TITLE = re.compile(
    r"^\s*(?:the\s+)?(?:mit|bsd|isc|apache|gnu|mozilla|eclipse|creative commons|unlicense)\b"
    r"[\w .,()-]{0,60}\blicen[cs]e\b|^\s*copyright\s+(?:\(c\)|©|\d{4})",
    re.I | re.M,
)
# Headings of a project's README: a story has none of them, a README several.
_README_HEADING = re.compile(
    r"^(?:#{1,3}\s+|\s*)(?:installation|install|usage|getting started|requirements"
    r"|contributing|license|licence|build(?:ing)?|running (?:the )?tests|development"
    r"|quick ?start|documentation|examples?|changelog|authors|credits|features|setup)"
    r"\s*:?\s*(?:\n(?:=+|-+))?$",
    re.I | re.M,
)
# A project's README in Markdown: a title, sections, and code or commands to run.
_README_CODE = re.compile(
    r"^```|^\s*\$ \S|\b(?:pip|npm|gem|cargo|go) (?:install|get|add)\b|\bgit clone\b"
    r"|\bdocker (?:run|compose)\b|\bmake install\b",
    re.I | re.M,
)
_LEGAL_TITLE = re.compile(
    r"\A\s*(?:terms of (?:service|use)|terms and conditions|privacy (?:policy|notice)"
    r"|end[- ]user licen[cs]e agreement|cookie policy|disclaimer)\s*$",
    re.I | re.M,
)
_LEGAL_WORDS = re.compile(r"\b(?:hereby|shall|herein|thereof|you agree|liabilit(?:y|ies))\b", re.I)


def legal_kind(text: str) -> str | None:
    """``"a licence"``, ``"a README"`` or ``"legal terms"`` for such a plain-text file, else
    None. Told by content, never by the file's name: wire files have odd names too."""
    head = text[:8192]
    phrases = {m.group(0).lower() for m in _LICENCE_PHRASES.finditer(head)}
    top = "\n".join(line for line in head.splitlines() if line.strip())[:400]
    if len(phrases) >= 2 or (phrases and _LICENCE_TITLE.search(top)):
        return "a licence"
    if len({m.group(0).strip("#: \n=-").lower() for m in _README_HEADING.finditer(head)}) >= 2:
        return "a README"
    sections = len(re.findall(r"^##\s+\S", head, re.M))
    if top.startswith("# ") and sections >= 2 and _README_CODE.search(head):
        return "a README"
    if _LEGAL_TITLE.search(top) and len(_LEGAL_WORDS.findall(head)) >= 3:
        return "legal terms"
    return None
