"""Feed generators: RSS 2.0 and Atom with full item content, and JSON Feed 1.1.

Django's RSS and Atom generators carry a ``description`` (the summary) per item; these
subclasses add the item's HTML content (``content:encoded`` in RSS, ``<content>`` in Atom).
JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) is written from the same items.
"""

from __future__ import annotations

import html
import json

from django.utils import feedgenerator


class RssWithContent(feedgenerator.Rss201rev2Feed):
    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])


class AtomWithContent(feedgenerator.Atom1Feed):
    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})


class JsonFeed(feedgenerator.SyndicationFeed):
    """JSON Feed version 1.1."""

    content_type = "application/feed+json; charset=utf-8"
    VERSION = "https://jsonfeed.org/version/1.1"

    def to_dict(self) -> dict:
        feed = self.feed
        data = {
            "version": self.VERSION,
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
            "language": feed["language"],
            "items": [self._item(item) for item in self.items],
        }
        return {k: v for k, v in data.items() if v not in (None, "")}

    @staticmethod
    def _item(item: dict) -> dict:
        data = {
            "id": item["unique_id"] or item["link"],
            "url": item["link"],
            "title": item["title"],
            "content_html": item.get("content_html"),
            "summary": html.unescape(item["description"]),  # plain text in JSON Feed
            "image": item.get("image"),
            "date_published": item["pubdate"].isoformat() if item["pubdate"] else None,
            "date_modified": item["updateddate"].isoformat() if item["updateddate"] else None,
            "authors": [{"name": item["author_name"]}] if item["author_name"] else None,
            "tags": list(item["categories"]) or None,
        }
        return {k: v for k, v in data.items() if v not in (None, "")}

    def write(self, outfile, encoding):
        json.dump(self.to_dict(), outfile, ensure_ascii=False, indent=1)
