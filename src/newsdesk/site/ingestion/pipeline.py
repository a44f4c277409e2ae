"""Parse, summarize and store one input (a file, a page, a feed), one story at a time.

Each story is stored in its own transaction (``store.ingest`` is atomic), so a story
that fails is reported with its reason and every story stored before it stays stored.
Used by ``newsdesk ingest`` (``newsdesk.site.bulk``) and by the feed poller.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError

from newsdesk.article import Article
from newsdesk.errors import NewsdeskError
from newsdesk.site.ingestion import mapping
from newsdesk.site.ingestion.dedupe import find_existing
from newsdesk.site.ingestion.outcomes import (
    DUPLICATE,
    INGESTED,
    OUTCOMES,
    REJECTED,
    SKIPPED,
    UPDATED,
)
from newsdesk.site.ingestion.photos import store_story_photos
from newsdesk.site.ingestion.store import MayNotChange, ingest

log = logging.getLogger(__name__)

INGEST_TIME = "ingest time"  # the date source of a story whose input gave no usable date


@dataclass(frozen=True)
class Outcome:
    """What became of one input item: its name, outcome, story, and why (rejected, skipped).

    ``url`` is the story's address on the site, ``date_source`` which source gave its
    publication date (``feed``, ``json-ld``, ``meta``, ``url``, …, or ``ingest time``),
    ``note`` anything else the editor should know (a teaser kept as a draft).
    """

    name: str
    status: str
    story_id: int | None = None
    reason: str = ""
    url: str = ""
    date_source: str = ""
    note: str = ""

    def line(self) -> str:
        text = f"{self.status:<9} {self.name}"
        if self.url:
            text += f" -> {self.url}"
        details = [f"date: {self.date_source}"] if self.date_source else []
        details += [self.note] if self.note else []
        if details:
            text += f" ({'; '.join(details)})"
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
    def skipped(self) -> list[tuple[str, str]]:
        return [(o.name, o.reason) for o in self.outcomes if o.status == SKIPPED]

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


def _date_source(article: Article, story) -> str:
    """Which source gave the story's date: the parser's word for it, else the ingest time."""
    if article.published is None or story.published_at != article.published:
        return INGEST_TIME
    # Article.published_source names the page's source (json-ld, meta, url, feed, …).
    return getattr(article, "published_source", None) or "input"


def ingest_article(
    article: Article,
    name: str,
    *,
    publish: bool = True,
    source=None,
    user=None,
    via: str = "cli",
) -> Outcome:
    """Store one Article in its own transaction and say what became of it.

    ``source`` (a ``FeedSource``) maps the story to a section (``mapping``). A feed
    entry that is only a teaser is stored as a draft and its page queued for fetching
    (``pages``); a teaser of a story already stored changes nothing. ``user`` acts by road
    ``via``; rejected, with the reason, when ``user`` may not change what it matches.
    """
    from newsdesk.parse.feed import is_teaser

    if not (article.headline.strip() or article.body_text.strip()):
        return Outcome(name, REJECTED, reason="no headline and no story text found in it")
    teaser = is_teaser(article)
    section = mapping.section_for(source, article.sections) if source is not None else None
    try:
        if teaser and (existing := find_existing(article)) is not None:
            # The teaser must never overwrite the full text fetched from its page.
            return _outcome(name, DUPLICATE, existing, article)
        story, status = ingest(
            article, publish=publish and not teaser, section=section, user=user, via=via
        )
        note = ""
        if teaser and status == INGESTED:
            from newsdesk.site.ingestion.pages import queue_page

            queue_page(story, article.source_url, publish=publish)
            note = "teaser: kept as a draft until its page is fetched"
    except (NewsdeskError, DatabaseError, ValueError, MayNotChange) as exc:
        log.warning("rejected %s: %s", name, exc)
        return Outcome(name, REJECTED, reason=_reason(exc))
    if status != DUPLICATE:  # after the story's transaction: a failed photo loses no story
        note = "; ".join(filter(None, [note, *store_story_photos(story)]))
    return _outcome(name, status, story, article, note)


def _outcome(name: str, status: str, story, article: Article, note: str = "") -> Outcome:
    return Outcome(
        name,
        status,
        story.pk,
        url=story.get_absolute_url(),
        date_source=_date_source(article, story) if status == INGESTED else "",
        note=note,
    )


def ingest_source(
    source: Path | bytes | str,
    *,
    name: str,
    format: str = "auto",
    url: str | None = None,
    publish: bool = True,
    feed_source=None,
    user=None,
    via: str = "cli",
) -> list[Outcome]:
    """Parse ``source`` (a file, or the bytes of a page or feed) and store every story in it.

    ``feed_source`` (the ``FeedSource`` polled) maps each story to its section. A source
    that does not parse (or an empty file) is one rejected item named after it; a file
    that is no story at all (an image, an archive, a table, a licence or README) is one
    skipped item saying what it is.
    """
    from newsdesk.parse import parse_all
    from newsdesk.parse.detect import binary_kind, detect, legal_kind, table_kind

    if isinstance(source, Path):
        try:
            with source.open("rb") as handle:
                head = handle.read(8192)
        except OSError as exc:
            return [Outcome(name, REJECTED, reason=f"cannot read: {exc.strerror or exc}")]
        if not head.strip():
            return [Outcome(name, REJECTED, reason="empty file: no story in it")]
        text = head.decode("utf-8", "replace")
        kind = binary_kind(head) or table_kind(text)
        if not kind and format == "auto" and detect(text) == "text":
            kind = legal_kind(text)  # a LICENSE or README beside the stories
        if kind:
            return [Outcome(name, SKIPPED, reason=f"{kind}, not a story")]
    try:
        articles = parse_all(source, format=format, url=url, name=name)
    except (NewsdeskError, OSError, ValueError) as exc:
        return [Outcome(name, REJECTED, reason=_reason(exc))]
    if not articles:
        return [Outcome(name, REJECTED, reason=f"{name}: holds no stories")]
    outcomes = []
    for index, article in enumerate(articles):
        item = name if len(articles) == 1 else f"{name}#{index + 1}"
        outcomes.append(
            ingest_article(article, item, publish=publish, source=feed_source, user=user, via=via)
        )
    return outcomes
