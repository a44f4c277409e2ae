"""Absolute URLs for feeds, sitemaps and page metadata.

``NEWSDESK_BASE_URL`` (scheme and host, e.g. ``https://news.example.org``) wins when set,
so canonical URLs do not depend on the Host header a proxy passes; otherwise the URL is
built from the request.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings


def base_url(request) -> str:
    """``scheme://host[:port]`` of the site, no trailing slash."""
    configured = (getattr(settings, "NEWSDESK_BASE_URL", "") or "").strip().rstrip("/")
    if configured:
        return configured
    return f"{request.scheme}://{request.get_host()}"


def absolute(request, path: str) -> str:
    """``path`` (as ``reverse`` or ``get_absolute_url`` gives it) made absolute."""
    if urlsplit(path).scheme:
        return path
    return base_url(request) + path


def scheme_and_domain(request) -> tuple[str, str]:
    parts = urlsplit(base_url(request))
    return parts.scheme, parts.netloc
