"""Head tags for reader pages: canonical URL, OpenGraph, Twitter card, feed autodiscovery,
and on story pages the NewsArticle JSON-LD. They read only what the view already loaded."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import reverse

from newsdesk.site.distribution.feeds import feed_links
from newsdesk.site.distribution.jsonld import news_article, script_json
from newsdesk.site.distribution.links import absolute

register = template.Library()


@register.inclusion_tag("distribution/head.html", takes_context=True)
def story_meta(context):
    """For ``stories/story_detail.html``: uses ``story``, ``sections`` and optional ``rating``."""
    request = context["request"]
    story = context["story"]
    sections = context.get("sections") or []
    url = absolute(request, story.get_absolute_url())
    # the stored photos (prefetched by the view with their captions), never the source's
    images = [absolute(request, c.photo.share_url) for c in story.captions.all() if c.photo_id]
    site = settings.NEWSDESK_SITE_NAME
    return {
        "canonical": url,
        "og": {
            "type": "article",
            "title": story.headline,
            "description": story.summary,
            "url": url,
            "site_name": site,
            "image": images[0] if images else "",
        },
        "article": {
            "published_time": story.published_at.isoformat() if story.published_at else "",
            "modified_time": story.updated_at.isoformat() if story.updated_at else "",
            "section": sections[0].name if sections else "",
            "author": story.author,
        },
        "twitter_card": "summary_large_image" if images else "summary",
        "feeds": feed_links(request, section=sections[0] if sections else None),
        "jsonld": script_json(
            news_article(
                story,
                url=url,
                sections=sections,
                images=images,
                publisher=site,
                rating=context.get("rating"),
            )
        ),
    }


@register.inclusion_tag("distribution/head.html", takes_context=True)
def page_meta(context, section=None, edition=None, page=None, tag=None):
    """For the home, section, tag and edition pages."""
    request = context["request"]
    site = settings.NEWSDESK_SITE_NAME
    if tag is not None:
        path, title = tag.get_absolute_url(), f"{tag.name} · {site}"
        description = f"Latest stories tagged {tag.name} from {site}"
    elif section is not None:
        path, title = section.get_absolute_url(), f"{section.name} · {site}"
        description = f"Latest {section.name} stories from {site}"
    elif edition is not None:
        path, title = edition.get_absolute_url(), f"{edition} · {site}"
        description = f"{site}: the {edition}, in running order"
    else:
        path, title, description = reverse("stories:home"), site, f"Latest stories from {site}"
    if page is not None and page.number > 1:
        path = f"{path}?page={page.number}"
    url = absolute(request, path)
    return {
        "canonical": url,
        "og": {
            "type": "website",
            "title": title,
            "description": description,
            "url": url,
            "site_name": site,
        },
        "twitter_card": "summary",
        "feeds": feed_links(request, section=section, edition=edition, tag=tag),
    }
