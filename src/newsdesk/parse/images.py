"""The photo a caption belongs to, and the best real address of that photo.

News pages load photos lazily: the ``src`` is a grey placeholder or absent, the real
address is in ``data-src`` / ``data-srcset``, in a ``<picture><source srcset>``, on a
``<div class="js-delayed-image-load" data-src=…>`` (BBC) or in a ``<noscript><img>``
fallback. A caption is paired with the image nearest to it in its own figure (or the
smallest container around it that holds an image), never with the first image of the
page.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin

from lxml import html as lxml_html

# Attributes lazy loaders keep the real address in, most common first.
_LAZY_SRC = ("data-src", "data-original", "data-lazy-src", "data-url", "data-hi-res-src")
_LAZY_SRCSET = ("data-srcset", "data-lazy-srcset")
_PLACEHOLDER = re.compile(
    r"^data:|blank|spacer|placeholder|transparent|pixel|1x1|grey-?placeholder|lazy[-_.]",
    re.I,
)
_IMAGE_XPATH = (
    "descendant-or-self::img | descendant-or-self::picture | descendant-or-self::noscript"
    " | descendant-or-self::*[@data-src or @data-srcset or @data-original or @data-lazy-src]"
    "[not(self::iframe or self::video or self::audio or self::script or self::embed"
    " or self::object)]"
)
#: How far up from a caption to look for the figure that holds its image.
MAX_LEVELS = 4


def parse_srcset(value: str | None) -> list[tuple[float, str]]:
    """``"a.jpg 320w, b.jpg 1024w"`` → ``[(320, "a.jpg"), (1024, "b.jpg")]``; a
    candidate with no descriptor counts as ``1x``."""
    out = []
    for part in re.split(r",\s+(?=\S)", (value or "").strip()):
        bits = part.split()
        if not bits:
            continue
        size = 1.0
        if len(bits) > 1:
            m = re.fullmatch(r"(\d+(?:\.\d+)?)([wx])", bits[1])
            if m:
                size = float(m.group(1)) * (1 if m.group(2) == "w" else 1000)
        out.append((size, bits[0].rstrip(",")))
    return out


def _real(url: str | None) -> str | None:
    url = (url or "").strip()
    if not url or _PLACEHOLDER.search(url):
        return None
    return url


def _noscript_images(el) -> list:
    """The ``img`` elements of a ``<noscript>``, parsed as elements or kept as text."""
    found = list(el.iter("img"))
    if found or not (el.text or "").strip():
        return found
    try:
        fragment = lxml_html.fragment_fromstring(el.text, create_parent="div")
    except Exception:  # noqa: BLE001 - bad markup: no fallback
        return []
    return list(fragment.iter("img"))


def best_url(el) -> tuple[str | None, str | None]:
    """``(address, alt)`` of the photo element ``el``: its largest ``srcset`` candidate,
    else a lazy loader's ``data-src``, else a ``src`` that is not a placeholder, else its
    ``<noscript>`` fallback."""
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag == "noscript":
        for img in _noscript_images(el):
            url, alt = best_url(img)
            if url:
                return url, alt
        return None, None
    parts = [el] if tag != "picture" else [*el.iter("source"), *el.iter("img")]
    alt = next(
        (
            " ".join(p.get(a).split())
            for p in parts
            for a in ("alt", "data-alt")
            if p.get(a) and p.get(a).strip()
        ),
        None,
    )
    candidates: list[tuple[float, str]] = []
    for part in parts:
        for attr in ("srcset", *_LAZY_SRCSET):
            candidates += [(w, u) for w, u in parse_srcset(part.get(attr)) if _real(u)]
    if candidates:
        return max(candidates, key=lambda c: c[0])[1], alt
    for part in parts:
        for attr in (*_LAZY_SRC, "src"):
            if url := _real(part.get(attr)):
                return url, alt
    for part in parts:
        for sib in (part.getnext(), part.getprevious()):
            if sib is not None and sib.tag == "noscript":
                url, _ = best_url(sib)
                if url:
                    return url, alt
    return None, alt


def _images_in(container) -> list:
    """The photo elements of ``container``, outermost only (an ``img`` in a ``picture`` is
    the picture's)."""
    found = container.xpath(_IMAGE_XPATH)
    chosen = set(found)
    return [
        el
        for el in found
        if isinstance(el.tag, str) and not any(a in chosen for a in el.iterancestors())
    ]


def image_for(caption_el, url: str | None) -> tuple[str | None, str | None]:
    """``(address, alt)`` of the photo ``caption_el`` captions: the image nearest to it
    (before it first, then after) in its figure, or in the smallest container within
    ``MAX_LEVELS`` that holds one. Addresses are resolved against ``url``."""
    container = None
    figure = next((a for a in caption_el.iterancestors() if a.tag == "figure"), None)
    if figure is not None and _images_in(figure):
        container = figure
    else:
        node = caption_el
        for _ in range(MAX_LEVELS):
            node = node.getparent()
            if node is None or node.tag in ("body", "article", "main"):
                break
            if _images_in(node):
                container = node
                break
    if container is None:
        return None, None
    order = {el: i for i, el in enumerate(container.iter())}
    at = order.get(caption_el, 0)
    images = _images_in(container)
    before = [el for el in images if order.get(el, 0) < at]
    after = [el for el in images if order.get(el, 0) > at]
    for el in [*reversed(before), *after]:
        found, alt = best_url(el)
        if found:
            return (urljoin(url, found) if url else found), alt
    return None, None
