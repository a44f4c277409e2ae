"""Photo captions and their credits: ``… (AP Photo/ Name, File)``, ``Photograph: Name/Agency``."""

from __future__ import annotations

import re

_CREDIT_WORDS = (
    r"(?:Photo|Photograph|AP\b|Reuters|Getty|AFP|EPA|via\b|Pool|Images|Credit|Shutterstock"
    r"|Alamy|Bloomberg|Courtesy|Handout|File\)?$)"
)
_PAREN_CREDIT = re.compile(rf"\s*\((?P<credit>[^()]*{_CREDIT_WORDS}[^()]*)\)\s*$")
_LABELLED_CREDIT = re.compile(
    r"(?:^|\s+|(?<=[.!?]))(?:Photograph|Photo|Picture|Image|Credit|Photo credit|Illustration)s?"
    r"\s*(?::|by)\s*(?P<credit>[^:]{2,100}?)\s*$",
    re.I,
)
_FILE_PREFIX = re.compile(r"^FILE\s*[–—-]\s*")


def split_credit(text: str) -> tuple[str, str]:
    """``(caption, credit)``; credit is ``""`` when the caption names none."""
    text = " ".join(text.split())
    m = _PAREN_CREDIT.search(text)
    if m and m.start() > 0:
        return text[: m.start()].rstrip(), m.group("credit").strip()
    m = _LABELLED_CREDIT.search(text)
    if m and m.start() > 0:
        return text[: m.start()].rstrip(), m.group("credit").strip()
    return text, ""


def is_caption_line(line: str) -> bool:
    """A standalone line of page text that is a photo caption."""
    line = line.strip()
    if not line or len(line) > 600:
        return False
    if _FILE_PREFIX.match(line) and _PAREN_CREDIT.search(line):
        return True
    m = _PAREN_CREDIT.search(line)
    return bool(m) and bool(
        re.search(r"Photo|via AP|Getty|Reuters|AFP|EPA|Pool", m.group("credit"))
    )
