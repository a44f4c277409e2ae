"""The reader's search page: ``/search/?q=…&page=N``."""

from __future__ import annotations

import re

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

from newsdesk.site.search.backends import clean_query
from newsdesk.site.search.index import search


def _too_many(request, query: str):
    """429 when this address searched more than NEWSDESK_SEARCH_RATE_LIMIT; else None.

    Only searches count (the empty search form is free). Counted per address in the cache
    django-ratelimit uses (RATELIMIT_USE_CACHE: Redis when configured, so shared by every
    app process).
    """
    limit = settings.NEWSDESK_SEARCH_RATE_LIMIT
    if not limit or not is_ratelimited(
        request, group="search.results", key="ip", rate=limit, increment=True
    ):
        return None
    wait = _period_seconds(limit)
    response = render(
        request,
        "search/too_many.html",
        {"query": query, "limit": limit, "wait": wait},
        status=429,
    )
    response["Retry-After"] = str(wait)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def _period_seconds(rate: str) -> int:
    """The window of a django-ratelimit rate ("30/m" → 60, "100/5m" → 300, "5/h" → 3600)."""
    match = re.fullmatch(r"\s*\d+\s*/\s*(\d*)\s*([smhd])\w*\s*", rate)
    if not match:
        return 60
    return int(match.group(1) or 1) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[match.group(2)]


def results(request):
    query = clean_query(request.GET.get("q", ""))
    if query:
        refused = _too_many(request, query)
        if refused is not None:
            return refused
    page = None
    if query:
        paginator = Paginator(
            search(query), settings.NEWSDESK_PAGE_SIZE, allow_empty_first_page=True
        )
        try:
            page = paginator.page(request.GET.get("page") or 1)
        except InvalidPage as exc:
            raise Http404(f"No page {request.GET.get('page')!r} of results for {query!r}") from exc
    response = render(request, "search/results.html", {"query": query, "page": page})
    if not query:
        return response
    response["X-Robots-Tag"] = "noindex"  # result pages are not content of their own
    return response
