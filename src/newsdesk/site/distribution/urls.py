"""URLs of the distribution app, namespaced ``distribution:``: feeds, sitemaps, robots.txt."""

from django.urls import path

from newsdesk.site.distribution import views
from newsdesk.site.distribution.feeds import (
    FORMATS,
    AuthorFeed,
    EditionFeed,
    SectionFeed,
    StoryFeed,
    TagFeed,
    feed_view,
)

app_name = "distribution"
urlpatterns = [
    path("sitemap.xml", views.sitemap_index, name="sitemap-index"),
    path("sitemap-news.xml", views.news_sitemap, name="news-sitemap"),
    path("sitemap-<slug:section>.xml", views.sitemap_section, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
]
for fmt in FORMATS.values():
    urlpatterns += [
        path(f"feeds/{fmt.filename}", feed_view(StoryFeed, fmt.name), name=f"site-{fmt.name}"),
        path(
            f"section/<slug:slug>/{fmt.filename}",
            feed_view(SectionFeed, fmt.name),
            name=f"section-{fmt.name}",
        ),
        path(
            f"tag/<slug:slug>/{fmt.filename}", feed_view(TagFeed, fmt.name), name=f"tag-{fmt.name}"
        ),
        path(
            f"authors/<slug:slug>/{fmt.filename}",
            feed_view(AuthorFeed, fmt.name),
            name=f"author-{fmt.name}",
        ),
        path(
            f"edition/<str:day>/<str:period>/{fmt.filename}",
            feed_view(EditionFeed, fmt.name),
            name=f"edition-{fmt.name}",
        ),
    ]
