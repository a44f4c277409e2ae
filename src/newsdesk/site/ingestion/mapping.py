"""Which section a feed's story goes into: the editors' mapping, never the feed's words.

A feed's categories are tags. The section comes from the editors: the first of the
story's categories that a rule of its source names, else one that a rule for every
feed names, else the source's default section, else none (the desk's Unsorted queue).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q

from newsdesk.site.ingestion.models import CategoryRule, FeedSource
from newsdesk.site.stories.models import Section


def _key(label: str) -> str:
    return " ".join(label.split()).lower()


def section_for(source: FeedSource, categories: Iterable[str]) -> Section | None:
    """The section ``source``'s rules give a story with ``categories``; one query."""
    wanted = [_key(c) for c in categories if c.strip()]
    if wanted:
        rules = CategoryRule.objects.filter(Q(source=source) | Q(source=None))
        by_key: dict[tuple[bool, str], Section] = {}
        for rule in rules.select_related("section"):
            by_key.setdefault((rule.source_id is None, _key(rule.category)), rule.section)
        for general in (False, True):
            for key in wanted:
                if (general, key) in by_key:
                    return by_key[(general, key)]
    return source.section if source.section_id else None
