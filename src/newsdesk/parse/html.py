"""Article web pages: trafilatura finds the main text; newsdesk adds the structure.

trafilatura (``bare_extraction``) gives the body as a small XML tree (``p``,
``head``, ``list``/``item``, ``quote``, ``table``) and newsdesk turns it into
Deep Look blocks, then adds what trafilatura leaves out or gets wrong: photo
captions with credits, the dateline at the start of the body, JSON-LD
NewsArticle metadata, and boilerplate (share bars, "Read more", newsletter
prompts, rating widgets) removed from the body.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime

from lxml import etree

from newsdesk.article import Article, Block, Caption, DeepLook, QuickLooks
from newsdesk.errors import ParseError
from newsdesk.parse.boilerplate import is_boilerplate
from newsdesk.parse.captions import split_credit
from newsdesk.parse.datelines import split_dateline
from newsdesk.parse.dates import date_from_url, plausible
from newsdesk.parse.htmlmeta import parse_date, read_meta
from newsdesk.parse.images import image_for
from newsdesk.parse.sitename import choose_site, compact, strip_labels

# trafilatura logs every discarded page at WARNING; a parse failure is reported as ParseError.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
logging.getLogger("htmldate").setLevel(logging.CRITICAL)

_WS = re.compile(r"\s+")
_SKIP_ANCESTORS = {"nav", "aside", "footer"}
_CAPTION_CLASS = re.compile(r"caption|figcaption|image-credit|photo-credit|media-credit", re.I)
_CREDIT_CLASS = re.compile(r"credit|copyright|byline|attribution|photographer", re.I)
_CREDIT_LABEL = re.compile(
    r"^(?:(?:Photo|Image|Picture)\s+)?(?:Credit|Copyright|Photograph|Photo|Image|Picture)s?\s*:?\s+",
    re.I,
)
# "Image: …", "Image caption …", and BBC's "Image copyright Getty Images Image caption …"
_CAPTION_LABEL = re.compile(
    r"^(?:(?:Image|Photo|Picture)\s+copyright\s+(?P<credit>.+?)\s+)?"
    r"(?:Image|Photo|Picture)(?:\s+caption)?\s*:?\s+(?=\S)",
    re.I,
)
# classes that say an element holds (or lacks) a caption, not that it is one
_HOLDER_CLASS = re.compile(r"\b(?:has|no|with|without)[-_]caption\b", re.I)
# figcaption, and elements whose class or itemprop says caption but not credit
_CAPTION_XPATH = etree.XPath(
    "//figcaption | //*[contains(@class, 'caption') or contains(@class, 'Caption')"
    " or contains(@itemprop, 'caption')][not(self::figcaption)]"
)


def _norm(text: str | None) -> str:
    return _WS.sub(" ", text or "").strip()


def load_tree(text: str, name: str):
    from trafilatura.utils import load_html

    try:
        tree = load_html(text)
    except (ValueError, TypeError) as exc:
        raise ParseError(f"{name}: not readable HTML: {exc}") from exc
    if tree is None or len(tree) == 0:
        raise ParseError(f"{name}: not readable HTML (no document tree)")
    return tree


#: Below this many characters, the fast pass is taken to have missed the story and
#: trafilatura's full cascade (readability and jusText comparison) runs instead.
FAST_PASS_MIN_CHARS = 500
#: A page whose main text is shorter than this is not an article ("Object Moved", a login form).
MIN_BODY_CHARS = 80


def extract_body(tree):
    """trafilatura's body tree for ``tree`` (which it copies), or None.

    trafilatura's fast mode first: on the benchmark it is both more precise and
    ~45% quicker than the full cascade, whose external extractors mostly add
    boilerplate; the full cascade is the fallback when the fast pass finds little.
    """
    from trafilatura import bare_extraction

    options = {"include_comments": False, "include_tables": True, "with_metadata": False}
    doc = bare_extraction(tree, fast=True, **options)
    short = doc is None or len(doc.text or "") < FAST_PASS_MIN_CHARS
    if short or _looks_like_page_dump(doc):
        full = bare_extraction(tree, fast=False, **options)
        if full is not None and (
            not short or len(full.text or "") > len(doc.text or "") if doc else True
        ):
            doc = full
    return None if doc is None else doc.body


def _looks_like_page_dump(doc) -> bool:
    """One or two huge blocks: trafilatura's last-resort dump of the whole page, menus and all."""
    body = doc.body
    return body is not None and len(body) <= 2 and len(doc.text or "") > 2000


def _el_text(el) -> str:
    return _norm(" ".join(el.itertext()))


def body_blocks(body) -> list[Block]:
    """Deep Look blocks from trafilatura's XML body."""
    blocks: list[Block] = []
    if body is None:
        return blocks
    if body.text and body.text.strip():
        blocks.append(Block(kind="paragraph", text=_norm(body.text)))
    for el in body:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "head":
            text = _el_text(el)
            if text:
                blocks.append(Block(kind="heading", text=text))
        elif tag == "list":
            items = tuple(t for t in (_el_text(item) for item in el if item.tag == "item") if t)
            if items:
                blocks.append(Block(kind="list", items=items))
        elif tag == "quote":
            text = _el_text(el)
            if text:
                blocks.append(Block(kind="quote", text=text))
        elif tag == "table":
            rows = [
                " | ".join(t for t in (_el_text(c) for c in row) if t) for row in el.iter("row")
            ]
            text = "\n".join(r for r in rows if r)
            if text:
                blocks.append(Block(kind="paragraph", text=text))
        elif tag in ("graphic", "lb"):
            pass
        elif tag:
            text = _el_text(el)
            if text:
                blocks.append(Block(kind="paragraph", text=text))
        if el.tail and el.tail.strip():
            blocks.append(Block(kind="paragraph", text=_norm(el.tail)))
    return blocks


_WORD = re.compile(r"\w+")


def same_words(a: str, b: str) -> bool:
    """The same words, near enough: punctuation, case and a word or two aside."""
    wa, wb = _WORD.findall(a.casefold()), _WORD.findall(b.casefold())
    if not wa or not wb or abs(len(wa) - len(wb)) > 3:
        return False
    sa, sb = set(wa), set(wb)
    return len(sa & sb) / len(sa | sb) >= 0.8


_TAGS_LABEL = re.compile(r"^(?:tags|topics|keywords|filed under|related topics)\s*:?$", re.I)


def clean_blocks(blocks: list[Block], headline: str | None, dek: str | None = None) -> list[Block]:
    """Drop boilerplate blocks, a repeat of the headline or the dek at the top, and
    a tag list after its ``Tags`` label."""
    out: list[Block] = []
    after_tags = False
    for i, block in enumerate(blocks):
        if block.kind == "list":
            items = tuple(item for item in block.items if not is_boilerplate(item))
            if items and not after_tags:
                out.append(Block(kind="list", items=items))
            after_tags = False
            continue
        text = block.text
        if after_tags and len(text) < 400 and text.count(",") >= 2 and not text.endswith("."):
            after_tags = False
            continue
        after_tags = bool(_TAGS_LABEL.match(text))
        if after_tags or is_boilerplate(text):
            continue
        if i < 2 and headline and same_words(text, headline):
            continue
        # a standfirst set as a heading; a first *paragraph* equal to the description is story
        if i < 2 and dek and block.kind == "heading" and same_words(text, dek):
            continue
        out.append(block)
    return out


def _classes(el) -> str:
    return f"{el.get('class') or ''} {el.get('itemprop') or ''}"


def captions_of(tree, url: str | None) -> list[Caption]:
    """Photo captions with credits: ``figure``/``figcaption`` and common caption markup.

    A credit comes from a credit-classed element inside the caption or beside it in
    the same figure (``<figcaption class="credit">``), else from the caption's own
    text (``(AP Photo/ …)``, ``Photograph: …``).
    """
    seen: set[str] = set()
    out: list[Caption] = []
    chosen: set = set()
    for el in _CAPTION_XPATH(tree):
        if el.tag in ("img", "script", "style", "input", "label", "svg") or not isinstance(
            el.tag, str
        ):
            continue
        classes = _classes(el)
        if el.tag in ("figure", "picture") or _HOLDER_CLASS.search(classes):
            continue  # a figure "has-caption": its figcaption is the caption
        if _CREDIT_CLASS.search(classes) and "caption" not in classes.lower():
            continue  # a credit on its own: picked up beside its caption below
        if "caption" not in classes.lower() and el.tag != "figcaption":
            continue
        ancestors = [a for a in el.iterancestors() if isinstance(a.tag, str)]
        if any(a.tag in _SKIP_ANCESTORS for a in ancestors) or any(a in chosen for a in ancestors):
            continue
        chosen.add(el)
        credit = ""
        credit_el = None
        for sub in el.iter():
            if (
                sub is not el
                and isinstance(sub.tag, str)
                and _CREDIT_CLASS.search(sub.get("class") or "")
            ):
                credit_el = sub
                break
        figure = next((a for a in ancestors if a.tag == "figure"), None)
        container = figure if figure is not None else el.getparent()
        if credit_el is None and container is not None:
            for sib in container.iter():
                if (
                    sib is not el
                    and isinstance(sib.tag, str)
                    and sib not in ancestors
                    and _CREDIT_CLASS.search(sib.get("class") or "")
                    and not any(a is el for a in sib.iterancestors())
                ):
                    credit_el = sib
                    break
        full = _norm(el.text_content())
        if len(full) > 2000:
            continue  # a whole section that happens to carry a caption class
        if credit_el is not None:
            credit = _norm(credit_el.text_content())
            if credit and full.endswith(credit):
                full = full[: -len(credit)].rstrip(" |/")
        label = _CAPTION_LABEL.match(full)
        if label and (
            label.group("credit") or ":" in label.group(0) or "caption" in label.group(0).lower()
        ):
            credit = (
                credit
                if credit and not credit.lower().startswith(("image copyright", "photo copyright"))
                else (label.group("credit") or credit)
            )
            full = full[label.end() :]
        text, found = split_credit(full)
        credit = credit or found
        text = _norm(text)
        if len(text) < 8 or len(text) > 800 or text in seen:
            continue
        seen.add(text)
        image, alt = image_for(el, url)
        out.append(Caption(text=text, credit=_CREDIT_LABEL.sub("", credit), image=image, alt=alt))
    return out


def split_looks(blocks: list[Block]) -> tuple[QuickLooks, str | None, list[Block]]:
    """A Quick Looks box (``…: Quick Looks`` and its bullets) and a ``Deep Look: …`` title
    in the body of a page newsdesk itself (or a site like it) published."""
    from newsdesk.parse.text import _DEEP_TITLE, _QUICK_TITLE

    quick, deep_title, out = QuickLooks(), None, []
    i = 0
    while i < len(blocks):
        b = blocks[i]
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        if (
            b.kind in ("heading", "paragraph")
            and _QUICK_TITLE.match(b.text)
            and quick.title is None
            and nxt is not None
            and nxt.kind == "list"
        ):
            quick = QuickLooks(title=b.text, bullets=nxt.items)
            i += 2
            continue
        if (
            b.kind in ("heading", "paragraph")
            and deep_title is None
            and _DEEP_TITLE.match(b.text)
            and len(b.text) < 200
        ):
            deep_title = b.text
            i += 1
            continue
        out.append(b)
        i += 1
    return quick, deep_title, out


def parse_html(text: str, name: str, *, url: str | None = None) -> Article:
    tree = load_tree(text, name)
    meta = read_meta(tree)
    body = extract_body(tree)
    blocks = body_blocks(body)
    warnings: list[str] = []
    page_url = url or meta.url
    site = choose_site(meta.site_names, page_url)
    labels = [site, *(name for _, name in meta.site_names), *meta.sections, *meta.authors]
    headline = strip_labels(meta.headline or meta.h1 or "", labels)
    blocks = clean_blocks(blocks, headline, meta.description)
    if not blocks and meta.article_body and len(meta.article_body) > 200:
        blocks = [
            Block(kind="paragraph", text=_norm(p))
            for p in re.split(r"\n\s*\n|\n", meta.article_body)
            if p.strip()
        ]
        warnings.append("body read from the page's JSON-LD articleBody")
    if sum(len(b.plain_text()) for b in blocks) < MIN_BODY_CHARS:
        raise ParseError(f"{name}: no article text found (not an article page, or truncated)")
    quick_looks, deep_title, blocks = split_looks(blocks)
    dateline = printed = None
    for i, block in enumerate(blocks[:3]):
        if block.kind == "heading" and i == 0:
            continue
        if block.kind != "paragraph":
            break
        d = split_dateline(block.text)
        if d:
            # short lines before the dateline are a byline left in the body ("By X", "CNN")
            lead = [b.text for b in blocks[:i] if b.kind == "paragraph"]
            if byline_lead := next((t for t in lead if t.lower().startswith("by ")), None):
                meta.authors = meta.authors or [byline_lead[3:].strip()]
            dateline, printed = d.place, d.printed
            head = [b for b in blocks[:i] if b.kind == "heading"]
            blocks = [*head, Block(kind="paragraph", text=d.rest), *blocks[i + 1 :]]
            break
        if len(block.text.split()) > 6:
            break
    if not dateline and meta.dateline:
        dateline = meta.dateline
    published, published_source = choose_date(meta.dates, page_url, warnings)
    # a byline that only names the site ("BBC News") is no writer: the slug line has the site
    authors = [a for a in meta.authors if not site or compact(a) != compact(site)]
    author = ", ".join(authors) if authors else None
    return Article(
        headline=headline,
        sections=tuple(meta.sections),
        site=site,
        dateline=dateline,
        author=author,
        published=published,
        summary=meta.description,
        captions=tuple(captions_of(tree, page_url)),
        quick_looks=quick_looks,
        deep_look=DeepLook(title=deep_title, dateline=printed, blocks=tuple(blocks)),
        source_url=url or meta.url,
        warnings=tuple(warnings),
        published_source=published_source,
    )


def choose_date(
    dates: list[tuple[str, str]], url: str | None, warnings: list[str]
) -> tuple[datetime | None, str | None]:
    """The first real publication date of ``dates`` (``(source, value)``, most trusted
    first), else the date in ``url``: ``(date, source)``; ``(None, None)`` when none is.

    A placeholder or impossible date (``0001-01-01``, before 1990, more than a day ahead)
    is passed over with a warning naming it and its source.
    """
    passed: list[str] = []
    for source, value in dates:
        found, warning = parse_date(value)
        if found is None:
            if warning:
                passed.append(f"{warning.removesuffix('; left empty')} ({source})")
            continue
        if plausible(found) is None:
            passed.append(
                f"published date {value[:60]!r} ({source}) is a placeholder or impossible"
            )
            continue
        warnings.extend(passed)
        return found, source
    found = date_from_url(url)
    if found is not None:
        warnings.extend(f"{p}; the date in the address was used" for p in passed)
        return found, "url"
    warnings.extend(f"{p}; left empty" for p in passed)
    return None, None
