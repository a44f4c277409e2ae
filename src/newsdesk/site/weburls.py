"""Which URLs from outside the site may become a link or an image source: http(s) only."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]")


def is_web_url(value: str | None) -> bool:
    """Whether ``value`` is an absolute http:// or https:// URL with a host.

    Refuses ``javascript:``, ``vbscript:``, ``data:`` and every other scheme, scheme-relative
    ``//host/…`` and relative paths, and any URL with whitespace or control characters
    (browsers drop those, so ``java\\tscript:`` would run).
    """
    if not value or _CONTROL_OR_SPACE.search(value):
        return False
    try:
        parts = urlsplit(value)
    except ValueError:  # a bad IPv6 literal, for one
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.hostname)
