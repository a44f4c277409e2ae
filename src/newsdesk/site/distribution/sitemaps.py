"""Sitemaps of stories, sections and editions (``django.contrib.sitemaps``).

A sitemap object is made per request so its URLs use ``NEWSDESK_BASE_URL`` or the
request's own scheme and host. Each page of a sitemap is one query.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.utils import timezone

from newsdesk.site.distribution.links import scheme_and_domain
from newsdesk.site.stories.models import Author, Edition, Section, Story

NEWS_WINDOW = timedelta(hours=48)  # Google News sitemaps list the last two days only
NEWS_LIMIT = 1000  # and at most 1,000 stories


def _published_q(prefix: str = "") -> Q:
    return Q(**{f"{prefix}status": Story.PUBLISHED, f"{prefix}published_at__lte": timezone.now()})


class RequestSitemap(Sitemap):
    def __init__(self, request):
        self.request = request

    def get_urls(self, page=1, site=None, protocol=None):
        scheme, domain = scheme_and_domain(self.request)
        return self._urls(page, scheme, domain)


class StorySitemap(RequestSitemap):
    changefreq = "daily"

    def items(self):
        return (
            Story.objects.published()
            .only("slug", "updated_at", "published_at")
            .order_by("-published_at", "-id")
        )

    def lastmod(self, story: Story):
        return story.updated_at

    def get_latest_lastmod(self):
        return Story.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class SectionSitemap(RequestSitemap):
    changefreq = "hourly"

    def items(self):
        return Section.objects.annotate(
            latest=Max("stories__published_at", filter=_published_q("stories__"))
        ).order_by("order", "name")

    def lastmod(self, section: Section):
        return section.latest

    def get_latest_lastmod(self):
        return Story.objects.published().aggregate(latest=Max("published_at"))["latest"]


class EditionSitemap(RequestSitemap):
    changefreq = "hourly"

    def items(self):
        return Edition.objects.annotate(
            latest=Max("stories__updated_at", filter=_published_q("stories__"))
        ).order_by("-date", "-period")

    def lastmod(self, edition: Edition):
        return edition.latest

    def get_latest_lastmod(self):
        return None


class AuthorSitemap(RequestSitemap):
    """Author pages with at least one published story, their newest first."""

    changefreq = "daily"

    def items(self):
        return (
            Author.objects.annotate(
                latest=Max("stories__published_at", filter=_published_q("stories__"))
            )
            .filter(latest__isnull=False)
            .order_by("-latest", "name")
        )

    def lastmod(self, author: Author):
        return author.latest

    def get_latest_lastmod(self):
        return None


SITEMAPS = {
    "stories": StorySitemap,
    "sections": SectionSitemap,
    "editions": EditionSitemap,
    "authors": AuthorSitemap,
}


def news_stories():
    """Stories for the Google News sitemap: published in the last 48 hours, newest first."""
    now = timezone.now()
    return list(
        Story.objects.published()
        .filter(published_at__gte=now - NEWS_WINDOW)
        .only("slug", "headline", "published_at")
        .order_by("-published_at", "-id")[:NEWS_LIMIT]
    )
