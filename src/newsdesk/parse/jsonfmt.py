"""JSON input: Article JSON (one object or a list of them) and JSON Feed."""

from __future__ import annotations

import json

from newsdesk.article import Article
from newsdesk.errors import InputError, ParseError
from newsdesk.parse.feed import is_json_feed, json_feed_articles


def parse_json(text: str, name: str, *, url: str | None = None) -> list[Article]:
    try:
        data = json.loads(text)
    except RecursionError as exc:
        raise ParseError(f"{name}: JSON is nested too deeply") from exc
    except ValueError as exc:
        raise ParseError(f"{name}: not valid JSON: {exc}") from exc
    if is_json_feed(data):
        return json_feed_articles(data, name, url=url)
    items = data if isinstance(data, list) else [data]
    out = []
    for i, item in enumerate(items):
        where = f"{name}[{i}]" if isinstance(data, list) else name
        if not isinstance(item, dict) or not ({"headline", "deep_look"} & item.keys()):
            raise ParseError(
                f"{where}: not Article JSON (an object with 'headline' and 'deep_look')"
            )
        try:
            article = Article.from_dict(item)
        except InputError as exc:
            raise ParseError(f"{where}: {exc}") from exc
        if url and not article.source_url:
            import dataclasses

            article = dataclasses.replace(article, source_url=url)
        out.append(article)
    return out
