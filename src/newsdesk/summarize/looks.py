"""Assemble Looks from ranked, compressed sentences."""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdesk.article import Article, Bullet, Looks
from newsdesk.errors import SummarizeError


@dataclass(frozen=True, slots=True, kw_only=True)
class LooksOptions:
    """How many bullets to write and how long the dek may be."""

    max_bullets: int = 8
    min_bullets: int = 4
    dek_words: int = 45


def summarize(article: Article, *, options: LooksOptions | None = None) -> Looks:
    """Return the Looks of ``article``; raises SummarizeError when it has no text."""
    options = options or LooksOptions()
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", article.body_text) if s.strip()]
    if not sentences:
        raise SummarizeError(f"story {article.headline!r} has no text to summarize")
    bullets = tuple(Bullet(text=s, source_sentences=(i,)) for i, s in enumerate(sentences[: options.max_bullets]))
    return Looks(dek=sentences[0], bullets=bullets, headline=article.headline or sentences[0], sentences=tuple(sentences))
