"""schema.org ``NewsArticle`` JSON-LD for a story page, serialized safely for HTML."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

# As django.utils.html.json_script: no "<", ">" or "&" survives, so no "</script>" or
# "<!--" can end or confuse the <script> element, whatever the story says.
_ESCAPES = {
    ord(">"): "\\u003E",
    ord("<"): "\\u003C",
    ord("&"): "\\u0026",
    ord("\u2028"): "\\u2028",
    ord("\u2029"): "\\u2029",
}


def script_json(data: dict) -> SafeString:
    """``data`` as JSON that is safe inside ``<script type="application/ld+json">``."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_ESCAPES)
    return mark_safe(text)  # noqa: S308 - every character that could end the element is escaped


def news_article(
    story,
    *,
    url: str,
    sections,
    images: list[str],
    publisher: str,
    rating=None,
    authors: list[tuple[str, str]] | None = None,
) -> dict:
    """The NewsArticle of ``story`` at ``url``; ``rating`` (.count, .average) is optional.

    ``authors``: the byline's names as (name, page URL or "" for a name with no author page);
    without it the byline is one name.
    """
    data: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": story.headline[:110],  # Google's headline limit
        "description": story.summary,
        "datePublished": story.published_at.isoformat() if story.published_at else None,
        "dateModified": (story.updated_at or story.published_at).isoformat()
        if story.published_at
        else None,
        "publisher": {"@type": "Organization", "name": publisher},
    }
    if authors:
        data["author"] = [
            {"@type": "Person", "name": name, **({"url": page} if page else {})}
            for name, page in authors
        ]
    elif story.author:
        data["author"] = [{"@type": "Person", "name": story.author}]
    else:
        data["author"] = [{"@type": "Organization", "name": story.site_name or publisher}]
    names = [s.name for s in sections]
    if names:
        data["articleSection"] = names[0] if len(names) == 1 else names
    if images:
        data["image"] = images
    if story.dateline:
        data["dateline"] = story.dateline
    count = getattr(rating, "count", 0) or 0
    if count > 0:
        data["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": round(float(rating.average), 2),
            "ratingCount": count,
            "bestRating": 5,
            "worstRating": 1,
        }
    return {k: v for k, v in data.items() if v not in (None, "")}
