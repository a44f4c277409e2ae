"""Assemble Looks: pick distinct, usable sentences by score, compress them into bullets."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from newsdesk.article import Article, Bullet, Looks
from newsdesk.errors import InputError, SummarizeError
from newsdesk.summarize.compress import compress as _compress_uncached
from newsdesk.summarize.compress import shorten, words
from newsdesk.summarize.rank import FEATURES, JUNK, WEIGHTS, quoted, score, similarity, usable
from newsdesk.summarize.sentences import split_sentences

# Each sentence is compressed once however often the choice looks at it.
compress = lru_cache(maxsize=4096)(_compress_uncached)

# A bullet sharing more than this share of content words with a chosen one repeats it
# (tuned on cnndm-dev: 0.5 dropped near-paraphrases without dropping distinct points).
REDUNDANCY = 0.5

# Sentence scorers: "default" needs no model; "embed" adds sentence embeddings from the
# optional extra newsdesk[embed] (see summarize/embed.py), loaded on first use only.
BACKENDS = ("default", "embed")


@dataclass(frozen=True, slots=True, kw_only=True)
class LooksOptions:
    """How many bullets to write, how long the dek may be, and how sentences are scored."""

    max_bullets: int = 6
    min_bullets: int = 4
    dek_words: int = 45
    bullet_words: int = 25  # longer bullets are cut after their first clause
    backend: str = "default"  # or "embed" (needs the extra newsdesk[embed])
    # The sentence scorer's weights: rank.FEATURES for the default backend, embed.ALL_FEATURES
    # for "embed"; None takes the backend's learned weights.
    weights: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        if self.backend not in BACKENDS:
            raise InputError(
                f"unknown summarizer backend {self.backend!r}: choose one of {', '.join(BACKENDS)}"
            )
        wrong = self.weights is not None and len(self.weights) != len(FEATURES)
        if self.backend == "default" and wrong:
            raise InputError(
                f"the default backend takes {len(FEATURES)} weights, not {len(self.weights)}"
            )


def _scores(sentences: list[str], options: LooksOptions) -> tuple[list[float], object]:
    """Sentence scores, and the embedding similarity matrix (None for the default backend)."""
    if options.backend == "embed":
        from newsdesk.summarize import embed

        weights = options.weights or embed.EMBED_WEIGHTS
        if len(weights) != len(embed.ALL_FEATURES):
            raise InputError(
                f"the embed backend takes {len(embed.ALL_FEATURES)} weights, not {len(weights)}"
            )
        return embed.score(sentences, weights), embed.similarities(sentences)
    return score(sentences, options.weights or WEIGHTS), None


def _choose(
    sentences: list[str], scores: list[float], options: LooksOptions, sims=None
) -> list[int]:
    if sims is not None:
        from newsdesk.summarize.embed import EMBED_REDUNDANCY
    order = sorted(range(len(sentences)), key=lambda i: (-scores[i], i))
    inside = quoted(sentences)
    chosen: list[int] = []
    texts: list[str] = []
    for i in order:
        if len(chosen) >= options.max_bullets:
            break
        if inside[i] or not usable(sentences[i]):
            continue
        text = shorten(compress(sentences[i]), options.bullet_words)
        if not usable(text) or len(words(text)) > options.bullet_words * 2:
            continue
        if any(similarity(text, t) > REDUNDANCY for t in texts):
            continue
        if sims is not None and any(sims[i, j] > EMBED_REDUNDANCY for j in chosen):
            continue
        chosen.append(i)
        texts.append(text)
    return chosen


def _dek(sentences: list[str], chosen: list[int], limit: int) -> str:
    """One or two of the story's opening sentences, within ``limit`` words."""
    candidates = [s for s in sentences[:6] if not JUNK.search(s)] or sentences
    first = compress(candidates[0])
    if len(words(first)) > limit:
        shorter = [compress(sentences[i]) for i in chosen]
        first = min(shorter or [first], key=lambda s: len(words(s)))
    dek = first
    for nxt in candidates[1:2]:
        nxt = compress(nxt)
        if len(words(dek)) + len(words(nxt)) <= limit and usable(nxt):
            dek = f"{dek} {nxt}"
    return dek


def summarize(article: Article, *, options: LooksOptions | None = None) -> Looks:
    """Write the Looks of ``article``: a dek, grounded bullets, a headline and a box title.

    Bullets keep the story's sentence order; each carries the index of its source sentence
    in ``Looks.sentences``. Raises SummarizeError when the story has no text.
    """
    options = options or LooksOptions()
    sentences = split_sentences(article.body_text)
    if not sentences:
        raise SummarizeError(f"story {article.headline or '(untitled)'!r} has no text to summarize")
    scores, sims = _scores(sentences, options)
    chosen = sorted(_choose(sentences, scores, options, sims))
    if not chosen:  # a very short or odd story: its best sentence, whatever it looks like
        chosen = [max(range(len(sentences)), key=lambda i: scores[i])]
    bullets = tuple(
        Bullet(text=shorten(compress(sentences[i]), options.bullet_words), source_sentences=(i,))
        for i in chosen
    )
    headline = article.headline or bullets[0].text.rstrip(".")
    return Looks(
        dek=_dek(sentences, chosen, options.dek_words),
        bullets=bullets,
        headline=headline,
        title=f"{headline}: Quick Looks",
        sentences=tuple(sentences),
    )
