"""Searches per address, shared by the search page and ``/api/search``.

A search runs a full-text query that no page cache answers, so an address may run
NEWSDESK_SEARCH_RATE_LIMIT of them (django-ratelimit's "N/s|m|h|d"; empty turns the limit
off), counted in one budget whichever door it comes through, in the cache django-ratelimit
uses (RATELIMIT_USE_CACHE: Redis when configured, so shared by every app process).
"""

from __future__ import annotations

import re

from django.conf import settings
from django_ratelimit.core import is_ratelimited

GROUP = "search.results"


def wait_seconds(request) -> int | None:
    """Count this search; the seconds to wait when the address is over the limit, else None."""
    limit = settings.NEWSDESK_SEARCH_RATE_LIMIT
    # "ip" groups IPv6 addresses by network as django-ratelimit does; a request that came with
    # no address (a server on a Unix socket that gives none) shares one budget with the rest.
    key = "ip" if request.META.get("REMOTE_ADDR") else _no_address
    if not limit or not is_ratelimited(request, group=GROUP, key=key, rate=limit, increment=True):
        return None
    return period_seconds(limit)


def period_seconds(rate: str) -> int:
    """The window of a django-ratelimit rate ("30/m" → 60, "100/5m" → 300, "5/h" → 3600)."""
    match = re.fullmatch(r"\s*\d+\s*/\s*(\d*)\s*([smhd])\w*\s*", rate)
    if not match:
        return 60
    return int(match.group(1) or 1) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]


def _no_address(group: str, request) -> str:
    return "no-address"
