"""The reader pages' stylesheet, inlined in every page's <head>, and its CSP hash.

A linked stylesheet blocks the first paint for a round trip and its download; on a phone that
was most of what stood between the HTML and the first paint (Lighthouse's mobile run). The
three files (site, search, newsletters: about 27 kB, 6 kB gzipped with the page) are read once,
stripped of comments and indentation, and put in a ``<style>`` element; the
Content-Security-Policy allows exactly that text by its SHA-256 hash, so no other inline
style runs. The files stay served as they are for the 500 page and collectstatic.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "static" / "newsdesk"
FILES = ("site.css", "search.css", "newsletters.css")
_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)  # none of the files has "/*" in a string
_INDENT = re.compile(r"\n\s+")
# [rel="next"] as [rel=next]: the same selector, and the page's HTML then holds rel="next"
# only where a link has it (what a reader's tools, and the tests, look for); a value that is
# no CSS identifier ("1") keeps its quotes
_QUOTED_VALUE = re.compile(r'(\[[a-z-]+[~^$*|]?=)"([A-Za-z_][A-Za-z0-9_-]*)"\]')


def stylesheet(static_url: str) -> str:
    """The files' CSS as one text, font URLs made absolute under ``static_url``."""
    text = "\n".join((FOLDER / name).read_text(encoding="utf-8") for name in FILES)
    text = _INDENT.sub("\n", _COMMENT.sub("", text)).strip()
    text = _QUOTED_VALUE.sub(r"\1\2]", text)
    # url("fonts/…") is relative to the stylesheet's own URL, which an inline style has not
    return text.replace('url("fonts/', f'url("{static_url}newsdesk/fonts/')


def csp_source(text: str) -> str:
    """The CSP source expression ('sha256-…') that allows a <style> holding exactly ``text``."""
    digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
    return f"'sha256-{digest}'"
