"""The reader's search page: ``/search/?q=…&page=N``."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.db.models import Prefetch, prefetch_related_objects
from django.http import Http404
from django.shortcuts import render

from newsdesk.site.search import limit
from newsdesk.site.search.backends import clean_query
from newsdesk.site.search.index import search
from newsdesk.site.stories.models import Section
from newsdesk.site.stories.photos import with_photos


def _too_many(request, query: str):
    """429 when this address searched more than NEWSDESK_SEARCH_RATE_LIMIT; else None.
    Only searches count (the empty search form is free)."""
    wait = limit.wait_seconds(request)
    if wait is None:
        return None
    response = render(
        request,
        "search/too_many.html",
        {"query": query, "limit": settings.NEWSDESK_SEARCH_RATE_LIMIT, "wait": wait},
        status=429,
    )
    response["Retry-After"] = str(wait)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


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
        # each result's sections, in their order: one query for the page
        prefetch_related_objects(
            page.object_list,
            Prefetch("sections", queryset=Section.objects.order_by("storysection__order")),
        )
        with_photos(page.object_list)  # each result's photo, as a thumbnail: one query
    response = render(request, "search/results.html", {"query": query, "page": page})
    if not query:
        return response
    response["X-Robots-Tag"] = "noindex"  # result pages are not content of their own
    return response
