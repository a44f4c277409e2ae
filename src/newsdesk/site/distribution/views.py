"""Sitemap index, the sitemaps, the Google News sitemap and robots.txt."""

from __future__ import annotations

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from newsdesk.site.distribution.links import absolute
from newsdesk.site.distribution.sitemaps import SITEMAPS, news_stories


@require_safe
@sitemap_views.x_robots_tag
def sitemap_index(request):
    """The index: one entry per sitemap page, then the Google News sitemap."""
    entries = []
    for name, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class(request)
        location = absolute(request, reverse("distribution:sitemap", kwargs={"section": name}))
        lastmod = sitemap.get_latest_lastmod()
        entries.append(sitemap_views.SitemapIndexItem(location, lastmod))
        for page in range(2, sitemap.paginator.num_pages + 1):
            entries.append(sitemap_views.SitemapIndexItem(f"{location}?p={page}", lastmod))
    entries.append(
        sitemap_views.SitemapIndexItem(absolute(request, reverse("distribution:news-sitemap")))
    )
    return render(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


@require_safe
def sitemap_section(request, section: str):
    if section not in SITEMAPS:
        raise Http404(f"No sitemap named {section!r}; there are {', '.join(SITEMAPS)}")
    return sitemap_views.sitemap(request, {section: SITEMAPS[section](request)}, section=section)


def news_language() -> str:
    """ISO 639 code for news:language: ``en`` from ``en-us``; Chinese keeps its script."""
    code = settings.LANGUAGE_CODE.lower()
    return code if code in ("zh-cn", "zh-tw") else code.split("-")[0]


@require_safe
@sitemap_views.x_robots_tag
def news_sitemap(request):
    stories = news_stories()
    response = render(
        request,
        "distribution/news_sitemap.xml",
        {
            "urls": [(absolute(request, s.get_absolute_url()), s) for s in stories],
            "publication": settings.NEWSDESK_SITE_NAME,
            "language": news_language(),
        },
        content_type="application/xml",
    )
    if stories:
        response.headers["Last-Modified"] = http_date(stories[0].published_at.timestamp())
    return response


@require_safe
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /desk/",
        "",
        f"Sitemap: {absolute(request, reverse('distribution:sitemap-index'))}",
        f"Sitemap: {absolute(request, reverse('distribution:news-sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
