"""Page metadata read straight from the markup: JSON-LD NewsArticle, Open Graph, meta tags.

Cheaper than a full metadata extractor and closer to what newsrooms publish.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

_ARTICLE_TYPES = {
    "newsarticle",
    "article",
    "reportagenewsarticle",
    "analysisnewsarticle",
    "blogposting",
    "opinionnewsarticle",
    "backgroundnewsarticle",
    "reviewnewsarticle",
    "liveblogposting",
    "scholarlyarticle",
    "techarticle",
    "report",
    "socialmediaposting",
    "posting",
}
_TITLE_SUFFIX = re.compile(r"\s+[|–—]\s+[^|–—]{2,60}$|\s+-\s+[^-]{2,40}$")


@dataclass(slots=True)
class PageMeta:
    headline: str | None = None
    h1: str | None = None
    title: str | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    sections: list[str] = field(default_factory=list)
    site: str | None = None
    description: str | None = None
    image: str | None = None
    article_body: str | None = None
    dateline: str | None = None
    url: str | None = None
    #: Every publication date the page states, in the order they are trusted:
    #: ``(source, value)`` with source ``json-ld``, ``meta`` or ``time``.
    dates: list[tuple[str, str]] = field(default_factory=list)
    #: Every name the page gives its site, most trusted first: ``(source, name)``.
    site_names: list[tuple[str, str]] = field(default_factory=list)


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        value = " ".join(value.split())
        return value or None
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("@value") or value.get("url"))
    if isinstance(value, list) and value:
        return _text(value[0])
    return None


def _names(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        name = _text(item.get("name") if isinstance(item, dict) else item)
        if name and not name.startswith("http") and name not in out:
            out.append(name)
    return out


def _walk(node: Any, depth: int = 0):
    """Every dict in a JSON-LD document (through @graph, lists, mainEntity)."""
    if depth > 6:
        return
    if isinstance(node, list):
        for item in node:
            yield from _walk(item, depth + 1)
    elif isinstance(node, dict):
        yield node
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "itemListElement"):
            if isinstance(node.get(key), (list, dict)):
                yield from _walk(node[key], depth + 1)


def _types(node: dict) -> set[str]:
    t = node.get("@type")
    types = t if isinstance(t, list) else [t]
    return {str(x).lower() for x in types if x}


def read_meta(tree) -> PageMeta:
    """Metadata of an lxml HTML tree. Never raises on odd markup."""
    meta = PageMeta()
    props: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or el.get("itemprop") or "").strip().lower()
        content = el.get("content")
        if key and content and key not in props:
            props[key] = " ".join(content.split())
    for script in tree.iter("script"):
        if (script.get("type") or "").strip().lower() != "application/ld+json" or not script.text:
            continue
        raw = script.text.strip()
        raw = re.sub(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$", "", raw)
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            continue
        for node in _walk(data):
            if not (_types(node) & _ARTICLE_TYPES):
                continue
            meta.headline = meta.headline or _text(node.get("headline") or node.get("name"))
            for key in ("datePublished", "dateCreated"):
                if value := _text(node.get(key)):
                    meta.dates.append(("json-ld", value))
            meta.authors = meta.authors or _names(node.get("author") or node.get("creator"))
            section = node.get("articleSection")
            if section and not meta.sections:
                meta.sections = [
                    s
                    for s in (
                        _text(x) for x in (section if isinstance(section, list) else [section])
                    )
                    if s
                ]
            meta.image = meta.image or _text(node.get("image") or node.get("thumbnailUrl"))
            meta.description = meta.description or _text(node.get("description"))
            publisher = _text(node.get("publisher"))
            if publisher and not publisher.startswith("http"):
                meta.site_names.append(("json-ld", publisher))
            meta.dateline = meta.dateline or _text(node.get("dateline"))
            body = node.get("articleBody")
            if isinstance(body, str) and len(body) > len(meta.article_body or ""):
                meta.article_body = body
            meta.url = meta.url or _text(node.get("url"))
    h1 = tree.find(".//h1")
    if h1 is not None:
        meta.h1 = " ".join(h1.text_content().split()) or None
    title = tree.find(".//title")
    if title is not None and title.text:
        meta.title = " ".join(title.text.split()) or None
    meta.headline = (
        meta.headline
        or props.get("og:title")
        or props.get("twitter:title")
        or meta.h1
        or (_TITLE_SUFFIX.sub("", meta.title) if meta.title else None)
    )
    meta.dates += [("meta", props[key]) for key in _DATE_KEYS if props.get(key)]
    meta.dates += [("time", value) for value in _time_dates(tree)]
    meta.published = meta.dates[0][1] if meta.dates else None
    if not meta.authors:
        for key in (
            "author",
            "article:author",
            "byl",
            "parsely-author",
            "sailthru.author",
            "dc.creator",
        ):
            value = props.get(key)
            if value and not value.startswith("http"):
                name = clean_byline(value)
                if name:
                    meta.authors = [name]
                    break
    if not meta.authors:
        byline = byline_from_markup(tree)
        if byline:
            meta.authors = [byline]
    meta.authors = [n for n in (clean_byline(a) for a in meta.authors) if n]
    if not meta.sections:
        for key in ("article:section", "section", "parsely-section"):
            if props.get(key):
                meta.sections = [props[key]]
                break
    meta.site_names += [(key, props[key]) for key in _SITE_KEYS if props.get(key)]
    meta.site = meta.site_names[0][1] if meta.site_names else None
    meta.description = meta.description or props.get("og:description") or props.get("description")
    meta.image = meta.image or props.get("og:image") or props.get("twitter:image")
    meta.url = meta.url or props.get("og:url")
    return meta


# Meta tags that give the publication date, most trusted first.
_DATE_KEYS = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "datepublished",
    "pubdate",
    "publishdate",
    "publish-date",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "dcterms.created",
    "dcterms.issued",
    "sailthru.date",
    "parsely-pub-date",
)
# Meta tags that name the site, in order; handles (``twitter:site``) are a last resort.
_SITE_KEYS = ("og:site_name", "application-name", "twitter:site", "article:publisher")
_TIME_XPATH = (
    "//*[@itemprop='datePublished'][@datetime or @content]",
    "//time[@pubdate][@datetime]",
    "//time[@datetime][contains(@class, 'publish') or contains(@class, 'Publish')"
    " or contains(../@class, 'publish') or contains(../@class, 'Publish')]",
    "//time[@datetime][not(ancestor::nav or ancestor::aside or ancestor::footer)]",
)


def _time_dates(tree) -> list[str]:
    """Dates from ``<time datetime>`` and ``itemprop="datePublished"`` markup, most specific
    first."""
    out: list[str] = []
    for xpath in _TIME_XPATH:
        for el in tree.xpath(xpath)[:3]:
            value = " ".join((el.get("datetime") or el.get("content") or "").split())
            if value and value not in out:
                out.append(value)
    return out


# Markup that names the writer, most specific first.
_BYLINE_XPATHS = (
    "//*[@itemprop='author']//*[@itemprop='name']",
    "//*[contains(@class, 'byline')]//*[contains(@class, 'author') or contains(@class, 'name')]",
    "//*[@rel='author']",
    "//*[contains(@class, 'byline') or contains(@class, 'Byline')]",
    "//*[@itemprop='author']",
    "//*[contains(@class, 'author-name') or contains(@class, 'authorName')"
    " or contains(@class, 'author_name')]",
)
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_BYLINE_TAIL = re.compile(
    rf"\s*(?:\b(?:Published|Updated|Posted|Last updated)\b.*|\d{{1,2}}:\d{{2}}.*"
    rf"|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}.*"
    r"|\d{1,2}\s+" + _MONTH + r"\s+\d{4}.*)$"
)
_AGENCY_TAIL = re.compile(
    r"[\s,|]+(?:The\s+)?(?:Associated Press|AP|Reuters|AFP)(?:\s+[A-Z][\w-]*){0,4}$"
    r"|\s*\d+\s*min(?:ute)?s?\s+read$",
    re.I,
)


def clean_byline(text: str | None) -> str | None:
    """``By LISA MASCARO and ERIC TUCKER Associated Press`` → ``LISA MASCARO and ERIC TUCKER``."""
    t = " ".join((text or "").split())
    t = re.sub(r"^(?:by|von|por|par|door)\b\s*:?\s*", "", t, flags=re.I)
    t = _BYLINE_TAIL.sub("", t)
    t = _AGENCY_TAIL.sub("", t).strip(" ,|-–—")
    if not t or len(t) > 120 or t.startswith("http") or "{" in t or len(t.split()) > 15:
        return None
    return t


def byline_from_markup(tree) -> str | None:
    """The writer's name from byline markup, when the metadata names none."""
    for xpath in _BYLINE_XPATHS:
        try:
            found = tree.xpath(xpath)
        except Exception:  # noqa: BLE001 - odd trees: no byline rather than a crash
            return None
        for el in found[:5]:
            if not hasattr(el, "text_content"):
                continue
            name = clean_byline(el.text_content())
            if name and any(c.isalpha() for c in name):
                return name
    return None


def parse_date(value: str | None) -> tuple[datetime | None, str | None]:
    """``(aware datetime, warning)`` for an ISO 8601-ish or RFC 822 date string."""
    if not value:
        return None, None
    text = value.strip()
    try:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        dt = None
        try:
            from email.utils import parsedate_to_datetime

            dt = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            dt = None
        if dt is None:
            m = re.match(r"^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)", text)
            if m:
                try:
                    dt = datetime.fromisoformat(f"{m.group(1)}T{m.group(2)}")
                except ValueError:
                    dt = None
    if dt is None:
        return None, f"published date {value[:60]!r} could not be read; left empty"
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC), None
    return dt, None
