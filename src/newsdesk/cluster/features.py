"""What a story is compared on: weighted terms of its title and lead, and its names.

Terms are the lower-cased content words (the summarizer's stopword list, a light plural
fold); title words count twice, as a headline names the event more surely than a lead.
Names are capitalised spans met mid-sentence ("Charles Plosser", "ECB"), which need no
model: in a Title Case headline every word is capitalised, so there only acronyms and
words the lead also writes capitalised count as names.
"""

from __future__ import annotations

import re
from collections import Counter

from newsdesk.summarize.compress import words
from newsdesk.summarize.rank import STOPWORDS

TITLE_WEIGHT = 2

# A capitalised word (or acronym), possibly joined to the next by a space: "New York".
_CAPITALISED = re.compile(r"\b(?:[A-Z][\w'’.-]*[\w])(?:\s+[A-Z][\w'’.-]*[\w])*")
_SENTENCE_START = re.compile(r"(?:^|[.!?:]\s+|[\"“‘(]\s*)$")
_ACRONYM = re.compile(r"^[A-Z]{2,6}$")


def fold(word: str) -> str:
    """A light plural fold: "banks" and "bank" are one term, "press" stays."""
    word = word.replace("’", "'").removesuffix("'s")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def terms(title: str, lead: str = "") -> Counter[str]:
    """Term counts of a story, title words weighted ``TITLE_WEIGHT`` times."""
    out: Counter[str] = Counter()
    for text, weight in ((title, TITLE_WEIGHT), (lead, 1)):
        for w in words(text):
            if len(w) > 1 and w not in STOPWORDS and not w.isdigit():
                out[fold(w)] += weight
    return out


def _title_case(text: str) -> bool:
    long = [w for w in text.split() if len(w) > 3 and w[0].isalpha()]
    return bool(long) and sum(w[0].isupper() for w in long) / len(long) > 0.6


def names(title: str, lead: str = "") -> frozenset[str]:
    """Folded words of the capitalised spans of title and lead that are not sentence starts."""
    found: set[str] = set()
    lead_capitalised: set[str] = set()
    for match in _CAPITALISED.finditer(lead):
        span = match.group()
        if _SENTENCE_START.search(lead[: match.start()]):
            span = span.partition(" ")[2]  # the first word may be capitalised as a start
        for w in words(span):
            if w not in STOPWORDS:
                lead_capitalised.add(fold(w))
    found |= lead_capitalised
    title_case = _title_case(title)
    for match in _CAPITALISED.finditer(title):
        for raw in match.group().split():
            w = fold(raw.lower().strip(".'’"))
            if not w or w in STOPWORDS or len(w) < 2:
                continue
            if not title_case or _ACRONYM.match(raw.strip(".'’:")) or w in lead_capitalised:
                found.add(w)
    return frozenset(found)
