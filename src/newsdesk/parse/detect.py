"""Guess an input's format from its first few kilobytes of text."""

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
