"""Quick Looks for a cluster: bullets from every source, each citing every source stating it.

Every sentence of every source (split with the summarizer's splitter, shortened with its
deletion-only ``compress``) is a candidate. Candidates from different sources that say
the same thing (most of their content words shared, as the summarizer's redundancy check
measures) become one point; a point is backed by each source that has a sentence in it.
Points backed by more sources come first, then those their sources put earlier. A
bullet's text is one source sentence, compressed: it is grounded in that sentence, and it
cites every backing source with the sentence that source wrote. A point only one source
makes says so (``only_one_source``). When the backing sentences give different numbers
("30 dead", "32 dead"), the bullet carries each source's numbers (``figures``) rather
than any one of them or an average.

Locked bullets (an editor's) come first, word for word; new sources that state them are
added to their citations, and no new bullet repeats them.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from typing import Any

from newsdesk.summarize.compress import compress, is_grounded, shorten, words
from newsdesk.summarize.rank import (
    JUNK,
    PRONOUN_START,
    balanced_quotes,
    content_words,
    similarity,
)
from newsdesk.summarize.sentences import split_sentences

SAME_POINT = 0.5  # share of the shorter sentence's content words that makes two the same point
SAME_FIGURE = 0.7  # how alike two sentences must be for their numbers to be compared
MIN_SHARED = 3  # and at least this many content words in common
BULLET_WORDS = 30

_NUMBER = re.compile(
    r"(?:[$£€]\s?)?\d[\d,]*(?:\.\d+)?(?:\s?(?:%|percent|per cent|million|billion|trillion|bn)\b)?",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Source:
    """One story of the cluster: its id, site name, link, headline and text."""

    id: Hashable
    site: str
    url: str
    headline: str
    text: str


@dataclass(frozen=True, slots=True)
class Citation:
    """A source that states a bullet's point, and the sentence (by index) where it does."""

    source: Hashable
    sentence: int
    text: str


@dataclass(frozen=True, slots=True)
class ClusterBullet:
    text: str
    citations: tuple[Citation, ...]
    only_one_source: bool
    # Each backing source's numbers, when they differ between sources; else empty.
    figures: tuple[tuple[Hashable, tuple[str, ...]], ...] = ()
    locked: bool = False

    @property
    def sources(self) -> tuple[Hashable, ...]:
        return tuple(dict.fromkeys(c.source for c in self.citations))

    def grounded(self) -> bool:
        """Whether every word of the bullet is in one of the sentences it cites."""
        return any(is_grounded(self.text, [c.text]) for c in self.citations)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "citations": [
                {"source": c.source, "sentence": c.sentence, "text": c.text} for c in self.citations
            ],
            "only_one_source": self.only_one_source,
            "figures": [{"source": s, "numbers": list(n)} for s, n in self.figures],
            "locked": self.locked,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ClusterBullet:
        return cls(
            text=data["text"],
            citations=tuple(
                Citation(c["source"], int(c["sentence"]), c["text"]) for c in data["citations"]
            ),
            only_one_source=bool(data.get("only_one_source")),
            figures=tuple((f["source"], tuple(f["numbers"])) for f in data.get("figures", ())),
            locked=bool(data.get("locked")),
        )


@dataclass(frozen=True, slots=True)
class ClusterLooks:
    bullets: tuple[ClusterBullet, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"bullets": [b.to_dict() for b in self.bullets]}


@dataclass(slots=True)
class _Point:
    text: str  # the bullet
    sentence: str  # the sentence it came from
    words: frozenset[str]
    order: tuple[int, int]  # (sentence position, source order) of its first sentence
    citations: dict[Hashable, Citation] = field(default_factory=dict)
    locked: bool = False


def _candidate(sentence: str) -> bool:
    n = len(words(sentence))
    return (
        5 <= n <= 60
        and not JUNK.search(sentence)
        and balanced_quotes(sentence)
        and not PRONOUN_START.match(sentence)
        and not sentence[:1].islower()
    )


def numbers(text: str) -> tuple[str, ...]:
    """The numbers a sentence states, as written ("$4 billion", "6.2%", "32")."""
    return tuple(" ".join(m.group().split()) for m in _NUMBER.finditer(text))


def _value(number: str) -> str:
    """A number's digits, to compare "$4 billion" with a cut-off "$4" as the same figure."""
    return re.sub(r"[^\d.]", "", number).rstrip(".")


def _same(a: _Point, sentence: str, sentence_words: frozenset[str]) -> bool:
    shared = len(a.words & sentence_words)
    return (
        shared >= MIN_SHARED
        and shared / max(len(a.words), len(sentence_words)) >= SAME_POINT / 1.5
        and similarity(a.sentence, sentence) >= SAME_POINT
    )


def cluster_looks(
    sources: Sequence[Source],
    *,
    max_bullets: int = 8,
    locked: Sequence[ClusterBullet] = (),
) -> ClusterLooks:
    """Write a cluster's bullets from ``sources`` (main story first); see the module doc."""
    points: list[_Point] = [
        _Point(
            b.text,
            b.citations[0].text if b.citations else b.text,
            frozenset(content_words(b.text)),
            (-1, i),
            {c.source: c for c in b.citations},
            locked=True,
        )
        for i, b in enumerate(locked)
    ]
    for order, source in enumerate(sources):
        for position, sentence in enumerate(split_sentences(source.text)):
            if not _candidate(sentence):
                continue
            sentence_words = frozenset(content_words(sentence))
            if len(sentence_words) < MIN_SHARED:
                continue
            citation = Citation(source.id, position, sentence)
            home = next(
                (p for p in points if _same(p, sentence, sentence_words)),
                None,
            )
            if home is None:
                text = shorten(compress(sentence), BULLET_WORDS)
                if len(words(text)) > BULLET_WORDS:
                    continue
                points.append(
                    _Point(text, sentence, sentence_words, (position, order), {source.id: citation})
                )
            elif source.id not in home.citations:
                home.citations[source.id] = citation
    points.sort(key=lambda p: (not p.locked, -len(p.citations), p.order))
    bullets = []
    for p in points:
        if len(bullets) >= max_bullets and not p.locked:
            break
        citations = tuple(p.citations.values())
        found = {c.source: numbers(c.text) for c in citations}
        # Figures are compared only between sentences that say nearly the same thing: two
        # numbers in loosely alike sentences are often two different facts.
        close = {c.source for c in citations if similarity(p.sentence, c.text) >= SAME_FIGURE}
        stated = [n for s, n in found.items() if n and s in close]
        values = [frozenset(map(_value, n)) for n in stated]
        # A source that gives fewer figures does not contradict one that gives more.
        differ = any(not (a <= b or b <= a) for a in values for b in values)
        figures = tuple((s, n) for s, n in found.items() if n and s in close)
        bullets.append(
            ClusterBullet(
                text=p.text,
                citations=citations,
                only_one_source=len(found) == 1,
                figures=figures if differ else (),
                locked=p.locked,
            )
        )
    return ClusterLooks(tuple(bullets))
