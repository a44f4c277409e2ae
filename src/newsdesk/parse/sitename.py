"""The site a page belongs to, and headlines without the site's or section's label.

Pages name their site in several places (JSON-LD ``publisher.name``, ``og:site_name``,
``application-name``, the Twitter handle, the Facebook page) and some are wrong for
the page: AP's hosted pages say ``og:site_name "Hosted"``, Reuters says ``"U.S."``, a
syndicated page names the wire as publisher. A name is taken when it agrees with the
page's own address (``bbc.com`` → "BBC News"); names that do not are a fallback, and
the address itself the last resort.

Headlines carry the same labels: ``… | TheHill``, ``… | Editorial``, ``BBC News - …``.
A label at either end is cut when it is the site's name, a section or the byline.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# Second-level labels under which a country's domains sit: news.bbc.co.uk → bbc.
_SECOND_LEVEL = {"co", "com", "org", "net", "ac", "gov", "ne", "or", "edu"}
_SEPARATORS = r"\|–—·:•»"
_LABEL = rf"(?P<label>(?:(?!\s-\s)[^{_SEPARATORS}]){{1,60}}?)"
_SUFFIX = re.compile(rf"\s*(?:[{_SEPARATORS}]|\s-)\s*{_LABEL}\s*$")
_PREFIX = re.compile(rf"^\s*{_LABEL}\s*(?:[{_SEPARATORS}]|\s-\s)\s*")


def compact(name: str | None) -> str:
    """``The Detroit News`` → ``detroitnews``: letters and digits, lower case, no leading
    "the"."""
    text = re.sub(r"[^0-9a-z]+", "", (name or "").casefold())
    return text[3:] if text.startswith("the") and len(text) > 6 else text


def brand_of(url: str | None) -> str:
    """The name part of a page's domain: ``https://hosted.ap.org/…`` → ``ap``."""
    try:
        host = (urlsplit(url or "").hostname or "").lower()
    except ValueError:
        return ""
    labels = [x for x in host.split(".") if x]
    if len(labels) < 2:
        return labels[0] if labels else ""
    if len(labels) >= 3 and labels[-2] in _SECOND_LEVEL and len(labels[-1]) == 2:
        return labels[-3]
    return labels[-2]


def _spells(words: list[str], brand: str) -> bool:
    """Whether ``brand`` is ``words`` run together, each whole or as its initial:
    ``["los", "angeles", "times"]`` spells ``latimes``, ``["new", "york", "times"]`` ``nytimes``."""
    if not brand:
        return True
    if not words:
        return False
    head, rest = words[0], words[1:]
    return (
        (brand.startswith(head) and _spells(rest, brand[len(head) :]))
        or (brand[0] == head[0] and _spells(rest, brand[1:]))
        or (head.isdigit() and _spells(rest, brand))  # "NBC 5 Dallas-Fort Worth": nbcdfw
    )


def _agrees(name: str, brand: str, also: tuple[str, ...] = ()) -> bool:
    """Whether site name ``name`` belongs to the domain named ``brand``."""
    key = compact(name)
    if not key or not brand:
        return False
    if brand in key or (len(key) >= 4 and key in brand):
        return True
    words = [w for w in re.findall(r"[0-9a-z]+", name.casefold()) if w != "the"]
    if words and _spells(words[:6], brand):
        return True
    return any(len(h) >= 3 and h in key for h in also)


def _from_handle(source: str, value: str) -> str:
    """A display name from a handle: ``@Reuters`` → ``Reuters``, ``@ap`` → ``AP``."""
    if source == "article:publisher" or value.startswith("http"):
        value = value.rstrip("/").rsplit("/", 1)[-1]
    name = value.lstrip("@").replace("_", " ").strip()
    return name.upper() if name.islower() and len(name) <= 4 else name


def _plain(value: str, brand: str) -> str:
    """``The Jerusalem Post | JPost.com`` → ``The Jerusalem Post``: a name with its domain
    (or tagline) after a separator keeps its first part that names the site."""
    parts = [p.strip() for p in re.split(r"\s+[|–—·]\s+|\s+-\s+", value.strip()) if p.strip()]
    if len(parts) > 1:
        return next((p for p in parts if _agrees(p, brand)), parts[0])
    return value.strip()


def _display_like(name: str) -> bool:
    """A name as the site prints it, not a handle (``detroitnews``) or a domain
    (``Spokesman.com``)."""
    if " " in name:
        return True
    return not re.search(r"\.[a-z]{2,4}$", name, re.I) and not name.islower()


def choose_site(candidates: list[tuple[str, str]], url: str | None) -> str | None:
    """The page's site name from ``(source, name)`` candidates, most trusted first.

    Names that agree with the page's domain win: one the page gives as a name over a
    handle (``@ap``), and a display name over a handle-like or domain-like one (``The
    Detroit News`` over ``detroitnews``); without any agreeing, the first name that is not
    a handle; then the domain itself.
    """
    handles = {"twitter:site", "article:publisher"}
    order = ("og:site_name", "json-ld", "application-name", "twitter:site", "article:publisher")
    candidates = sorted(candidates, key=lambda c: order.index(c[0]) if c[0] in order else 9)
    brand = brand_of(url)
    names = [
        (source, _from_handle(source, value) if source in handles else _plain(value, brand))
        for source, value in candidates
        if value and value.strip() and not (source not in handles and value.startswith("http"))
    ]
    handle_keys = tuple(
        compact(name) for source, name in names if source in handles and _agrees(name, brand)
    )
    agreeing = [
        (source in handles, not _display_like(name), i, name)
        for i, (source, name) in enumerate(names)
        if _agrees(name, brand, () if source in handles else handle_keys)
    ]
    if agreeing:
        best = min(agreeing)[3]
        for *_, name in agreeing:
            if compact(name) == compact(best) and name.count(" ") > best.count(" "):
                best = name
        return best
    plain = [name for source, name in names if source not in handles]
    if plain:
        return plain[0]
    return _domain(url)


def _domain(url: str | None) -> str | None:
    """``https://www.cbsnews.com/news/…`` → ``cbsnews.com``, the last resort for a name."""
    try:
        host = (urlsplit(url or "").hostname or "").lower()
    except ValueError:
        return None
    labels = [x for x in host.split(".") if x]
    brand = brand_of(url)
    if not brand or brand not in labels:
        return host or None
    return ".".join(labels[labels.index(brand) :])


def strip_labels(headline: str, labels: list[str | None]) -> str:
    """``headline`` without the site, section or byline labels at either end.

    ``The Guardian view on Hong Kong: a city on the brink | Editorial`` with the byline
    "Editorial" loses its ``| Editorial``; a colon in the headline itself ("Snooze cruise:
    Study …") stays unless the part before it is one of the labels.
    """
    keys = {compact(x) for x in labels if x and compact(x)}
    if not keys or not headline:
        return headline
    text = headline.strip()
    for _ in range(4):  # "H | Editorial | Opinion | The Guardian"
        m = _SUFFIX.search(text)
        if not m or m.start() == 0 or compact(m.group("label")) not in keys:
            break
        text = text[: m.start()].rstrip()
    for _ in range(2):
        m = _PREFIX.match(text)
        if not m or m.end() >= len(text) or compact(m.group("label")) not in keys:
            break
        text = text[m.end() :].lstrip()
    return text if len(text.split()) >= 2 else headline.strip()
