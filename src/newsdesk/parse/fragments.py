"""HTML fragments (feed entry content, summaries) to Deep Look blocks, without extraction.

A feed entry's content *is* the story, so no boilerplate detection runs: the
markup's own structure is kept (headings, paragraphs, lists, block quotes,
figures with captions).
"""

from __future__ import annotations

import re

from lxml import etree
from lxml import html as lxml_html

from newsdesk.article import Block, Caption
from newsdesk.parse.blocks import lines_to_blocks
from newsdesk.parse.captions import split_credit

_WS = re.compile(r"\s+")
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS = _HEADINGS | {
    "p",
    "ul",
    "ol",
    "blockquote",
    "figure",
    "pre",
    "table",
    "div",
    "section",
    "article",
    "dl",
    "hr",
    "br",
    "li",
    "header",
    "footer",
    "aside",
    "main",
    "center",
}
_DROP = {
    "script",
    "style",
    "noscript",
    "iframe",
    "object",
    "embed",
    "form",
    "button",
    "svg",
    "template",
}
_TAGLIKE = re.compile(r"<\s*/?\s*[a-zA-Z][^>]*>|&[#a-zA-Z0-9]+;")


def _norm(text: str | None) -> str:
    return _WS.sub(" ", text or "").strip()


def looks_like_html(text: str) -> bool:
    return bool(_TAGLIKE.search(text or ""))


def plain_text(fragment: str) -> str:
    """The text of an HTML fragment (or the text itself), whitespace collapsed."""
    if not fragment:
        return ""
    if not looks_like_html(fragment):
        return _norm(fragment)
    blocks, _ = fragment_blocks(fragment)
    return " ".join(b.plain_text().replace("\n", " ") for b in blocks)


def fragment_blocks(fragment: str) -> tuple[list[Block], list[Caption]]:
    """Blocks and captions of an HTML fragment; plain text becomes paragraphs."""
    if not fragment or not fragment.strip():
        return [], []
    if not looks_like_html(fragment):
        paras = [p for p in re.split(r"\n\s*\n", fragment) if p.strip()]
        return lines_to_blocks([_norm(p) for p in paras]), []
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError, TypeError):
        return [Block(kind="paragraph", text=_norm(re.sub(r"<[^>]+>", " ", fragment)))], []
    blocks: list[Block] = []
    captions: list[Caption] = []
    inline: list[str] = []

    def flush() -> None:
        text = _norm(" ".join(inline))
        inline.clear()
        if text:
            blocks.append(Block(kind="paragraph", text=text))

    def walk(el) -> None:
        if el.text:
            inline.append(el.text)
        for child in el:
            tag = child.tag.lower() if isinstance(child.tag, str) else ""
            if not tag or tag in _DROP:
                pass
            elif tag in _HEADINGS:
                flush()
                text = _norm(child.text_content())
                if text:
                    blocks.append(Block(kind="heading", text=text))
            elif tag in ("ul", "ol"):
                flush()
                items = tuple(
                    t
                    for t in (
                        _norm(li.text_content())
                        for li in child
                        if isinstance(li.tag, str) and li.tag.lower() == "li"
                    )
                    if t
                )
                if items:
                    blocks.append(Block(kind="list", items=items))
            elif tag == "blockquote":
                flush()
                text = _norm(child.text_content())
                if text:
                    blocks.append(Block(kind="quote", text=text))
            elif tag == "figure":
                flush()
                cap = child.find(".//figcaption")
                if cap is not None and _norm(cap.text_content()):
                    text, credit = split_credit(_norm(cap.text_content()))
                    img = child.find(".//img")
                    captions.append(
                        Caption(
                            text=text,
                            credit=credit,
                            image=img.get("src") if img is not None else None,
                        )
                    )
            elif tag == "table":
                flush()
                rows = [
                    " | ".join(_norm(c.text_content()) for c in tr if isinstance(c.tag, str))
                    for tr in child.iter("tr")
                ]
                text = "\n".join(r for r in rows if r.strip(" |"))
                if text:
                    blocks.append(Block(kind="paragraph", text=text))
            elif tag == "br":
                if (
                    len(child.getparent())
                    and inline
                    and child.getnext() is not None
                    and child.getnext().tag == "br"
                ):
                    flush()
            elif tag in _BLOCKS:
                flush()
                walk(child)
                flush()
            else:
                walk(child)
            if child.tail:
                inline.append(child.tail)

    walk(root)
    flush()
    return blocks, captions
