"""The learned sentence selector: small gradient-boosted trees over position and word features.

Trained by ``bench/train_selector.py`` on CNN/DailyMail train-split articles (20,000 of the
39,159), labels from a greedy ROUGE oracle, tuned on the validation split (never on the test
split the dev sets come from). The trees ship as JSON beside this module (``selector.json``) and are
walked in plain Python: no numpy at inference, so scoring a story costs about a millisecond.

The features read lower-cased words only, because the training text is lower-cased and
tokenised while real stories are not; ``features`` is what training and inference share.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from newsdesk.summarize.compress import words

MODEL = Path(__file__).with_name("selector.json")
# Only the opening sentences are scored: the oracle almost never picks past these in news.
WINDOW = 30

STOPWORDS = frozenset(
    """a an the and or but if of at by for with about against between into through during before
    after above below to from up down in out on off over under again further then once here there
    when where why how all any both each few more most other some such no nor not only own same so
    than too very s t can will just don should now is are was were be been being have has had having
    do does did doing i me my we our you your he him his she her it its they them their what which
    who whom this that these those am would could also said says say told mr mrs ms""".split()
)

FEATURES = (
    "index",
    "relative position",
    "sentences in story",
    "words",
    "content words",
    "content share",
    "centrality",
    "shared with rest",
    "overlap with first",
    "max overlap with earlier",
    "has quote",
    "starts with quote",
    "has number",
    "question",
    "attribution",
    "pronoun start",
    "words of first sentence",
)

_QUOTE = re.compile(r"[\"“”]|``|''")
_DIGIT = re.compile(r"\d")
_SAYS = re.compile(r"\b(?:said|says|told|according)\b", re.IGNORECASE)
_PRONOUN = re.compile(r"^\W*(?:he|she|they|it|this|that|these|those|his|her|their|its)\b", re.I)


def content(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS and len(w) > 1]


def features(sentences: list[str]) -> list[list[float]]:
    """One row of ``FEATURES`` for each of the first ``WINDOW`` sentences."""
    n = len(sentences)
    head = sentences[:WINDOW]
    bags = [set(content(s)) for s in head]
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag)
    first = bags[0] if bags else set()
    first_len = float(len(words(head[0]))) if head else 0.0
    rows = []
    for i, (sentence, bag) in enumerate(zip(head, bags, strict=True)):
        size = len(bag) or 1
        length = len(words(sentence)) or 1
        shared = sum(1 for w in bag if df[w] > 1)
        earlier = max(
            (len(bag & bags[j]) / (min(len(bag), len(bags[j])) or 1) for j in range(i)),
            default=0.0,
        )
        rows.append(
            [
                float(i),
                i / n,
                float(n),
                float(length),
                float(len(bag)),
                len(bag) / length,
                # fsum: exact, so a set's iteration order (the hash seed) cannot move it
                math.fsum(math.log(df[w]) for w in bag) / size,
                shared / size,
                len(bag & first) / (len(bag | first) or 1) if i else 1.0,
                earlier,
                float(bool(_QUOTE.search(sentence))),
                float(bool(_QUOTE.match(sentence.lstrip()))),
                float(bool(_DIGIT.search(sentence))),
                float(sentence.rstrip().endswith("?")),
                float(bool(_SAYS.search(sentence))),
                float(bool(_PRONOUN.match(sentence))),
                first_len,
            ]
        )
    return rows


@lru_cache(maxsize=1)
def model() -> dict:
    """The shipped trees: ``{"base": float, "rate": float, "trees": [[node, ...], ...]}``.

    A node is ``[feature, threshold, left, right]`` or ``[-1, value]`` for a leaf; a row goes
    left when its feature is <= the threshold.
    """
    return json.loads(MODEL.read_text("utf-8"))


def _walk(tree: list, row: list[float]) -> float:
    node = tree[0]
    while node[0] >= 0:
        node = tree[node[2] if row[node[0]] <= node[1] else node[3]]
    return node[1]


def score(sentences: list[str]) -> list[float]:
    """A log-odds score per sentence (sentences past ``WINDOW`` get minus infinity)."""
    m = model()
    trees, base = m["trees"], m["base"]
    out = [base + sum(_walk(t, row) for t in trees) for row in features(sentences)]
    return out + [-math.inf] * (len(sentences) - len(out))
