"""The reader's search page: ``/search/?q=…&page=N``."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import render

from newsdesk.site.search.backends import clean_query
from newsdesk.site.search.index import search


def results(request):
    query = clean_query(request.GET.get("q", ""))
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
