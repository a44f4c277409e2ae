"""Parse, summarize and store one input (a file, a page, a feed), one story at a time.

Each story is stored in its own transaction (``services.ingest`` is atomic), so a story
that fails is reported with its reason and every story stored before it stays stored.
Used by ``newsdesk ingest`` (``newsdesk.site.bulk``) and by the feed poller.
"""

from __future__ import annotations

import dataclasses
import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError

from newsdesk.article import Article
from newsdesk.errors import NewsdeskError

log = logging.getLogger(__name__)

INGESTED, UPDATED, DUPLICATE, REJECTED = "ingested", "updated", "duplicate", "rejected"
OUTCOMES = (INGESTED, DUPLICATE, REJECTED, UPDATED)  # the summary line's order


@dataclass(frozen=True)
class Outcome:
    """What became of one input item: its name, outcome, story and (if rejected) why."""

    name: str
    status: str
    story_id: int | None = None
    reason: str = ""

    def line(self) -> str:
        text = f"{self.status:<9} {self.name}"
        if not self.reason:
            return text
        # Parse errors already start with the input's name: say it once.
        reason = self.reason.removeprefix(f"{self.name}: ")
        return f"{text}: {reason}"


@dataclass
class Report:
    """Every item's outcome, in input order."""

    outcomes: list[Outcome] = field(default_factory=list)

    def add(self, outcome: Outcome) -> None:
        self.outcomes.append(outcome)

    def names(self, status: str) -> list[str]:
        return [o.name for o in self.outcomes if o.status == status]

    @property
    def ingested(self) -> list[str]:
        return self.names(INGESTED)

    @property
    def updated(self) -> list[str]:
        return self.names(UPDATED)

    @property
    def duplicates(self) -> list[str]:
        return self.names(DUPLICATE)

    @property
    def rejected(self) -> list[tuple[str, str]]:
        return [(o.name, o.reason) for o in self.outcomes if o.status == REJECTED]

    def counts(self) -> dict[str, int]:
        found = Counter(o.status for o in self.outcomes)
        return {status: found[status] for status in OUTCOMES}

    def summary(self) -> str:
        return ", ".join(f"{n} {status}" for status, n in self.counts().items())

    def lines(self) -> list[str]:
        return [o.line() for o in self.outcomes] + [self.summary()]


def _reason(exc: Exception) -> str:
    if isinstance(exc, NewsdeskError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}".strip()


def ingest_article(
    article: Article, name: str, *, publish: bool = True, user=None, via: str = "cli"
) -> Outcome:
    """Store one Article in its own transaction, as ``user`` by road ``via``, and say what
    became of it (rejected, with the reason, when ``user`` may not change what it matches)."""
    from newsdesk.site.stories.services import MayNotChange, ingest

    if not (article.headline.strip() or article.body_text.strip()):
        return Outcome(name, REJECTED, reason="no headline and no story text found in it")
    try:
        story = ingest(article, publish=publish, user=user, via=via)
    except (NewsdeskError, DatabaseError, ValueError, MayNotChange) as exc:
        log.warning("rejected %s: %s", name, exc)
        return Outcome(name, REJECTED, reason=_reason(exc))
    return Outcome(name, getattr(story, "ingest_outcome", INGESTED), story.pk)


def ingest_source(
    source: Path | bytes | str,
    *,
    name: str,
    format: str = "auto",
    url: str | None = None,
    publish: bool = True,
    section: str = "",
    user=None,
    via: str = "cli",
) -> list[Outcome]:
    """Parse ``source`` (a file, or the bytes of a page or feed) and store every story in it.

    ``section`` (a feed source's section) is put first among each story's sections.
    A source that does not parse is one rejected item named after it.
    """
    from newsdesk.parse import parse_all

    try:
        articles = parse_all(source, format=format, url=url, name=name)
    except (NewsdeskError, OSError, ValueError) as exc:
        return [Outcome(name, REJECTED, reason=_reason(exc))]
    if not articles:
        return [Outcome(name, REJECTED, reason=f"{name}: holds no stories")]
    outcomes = []
    for index, article in enumerate(articles):
        item = name if len(articles) == 1 else f"{name}#{index + 1}"
        if section:
            sections = tuple(dict.fromkeys((section, *article.sections)))
            article = dataclasses.replace(article, sections=sections)
        outcomes.append(ingest_article(article, item, publish=publish, user=user, via=via))
    return outcomes
