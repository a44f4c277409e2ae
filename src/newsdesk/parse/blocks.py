"""Telling subheads, quotes, list items and paragraphs apart in plain lines of text."""

from __future__ import annotations

import re

from newsdesk.article import Block

BULLET = re.compile(r"^\s*(?:[•·▪◦●■►‣⁃*]|[-–—](?=\s))\s*(?P<item>\S.*)$")
_SMALL = {
    "a",
    "an",
    "and",
    "as",
    "at",
    "but",
    "by",
    "for",
    "from",
    "in",
    "into",
    "is",
    "it",
    "nor",
    "of",
    "on",
    "or",
    "per",
    "the",
    "to",
    "vs",
    "vs.",
    "via",
    "with",
    "over",
    "after",
    "if",
    "amid",
    "up",
    "out",
    "off",
    "than",
    "be",
    "are",
    "was",
    "its",
    "not",
    "yet",
    "so",
}
_OPEN_QUOTES = '“"‘«„'
_CLOSE_QUOTES = '”"’»“'


def is_heading(line: str) -> bool:
    """A subhead: short, unpunctuated at the end (or a question), in title case or capitals."""
    text = line.strip()
    words = text.split()
    if not 1 <= len(words) <= 14 or len(text) > 110:
        return False
    if text[0] in _OPEN_QUOTES or text[-1] in '.,;:!”"’)' or BULLET.match(text):
        return False
    if text.isupper() and len(words) >= 1 and sum(c.isalpha() for c in text) >= 4:
        return True
    significant = [w for w in words if w.lower().strip("()[]'’") not in _SMALL]
    if not significant:
        return False
    capital = sum(1 for w in significant if w[0].isupper() or w[0].isdigit() or w[0] in "$“\"'‘(")
    first = words[0].lstrip("(['‘")[:1]
    return capital / len(significant) >= 0.75 and (first.isupper() or first.isdigit())


def is_wholly_quoted(line: str) -> bool:
    """``“…”`` with nothing after the closing quote (no ``, he said`` attribution)."""
    text = line.strip()
    if len(text) < 3 or text[0] not in _OPEN_QUOTES or text[-1] not in _CLOSE_QUOTES + ".":
        return False
    inner = text[1:].rstrip(".")[:-1]
    # an inner closing quote followed by words means an attribution or a second quote
    return not re.search(r"[”\"]\s*,?\s+\w", inner)


def lines_to_blocks(lines: list[str]) -> list[Block]:
    """Blocks from logical lines: consecutive bullets make a list; the rest are
    subheads, quotes (a wholly quoted line, standing alone or after a line
    ending in a colon) or paragraphs (everything else, including quoted speech
    with its attribution)."""
    blocks: list[Block] = []
    items: list[str] = []

    def flush() -> None:
        if items:
            blocks.append(Block(kind="list", items=tuple(items)))
            items.clear()

    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            continue
        m = BULLET.match(raw)
        if m:
            items.append(" ".join(m.group("item").split()))
            continue
        flush()
        after_colon = (
            bool(blocks) and blocks[-1].kind == "paragraph" and blocks[-1].text.endswith(":")
        )
        if is_wholly_quoted(line) and (after_colon or len(line) < 400):
            blocks.append(Block(kind="quote", text=line))
        elif is_heading(line):
            blocks.append(Block(kind="heading", text=line))
        else:
            blocks.append(Block(kind="paragraph", text=line))
    flush()
    return blocks
