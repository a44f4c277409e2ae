"""Shorten a sentence by deleting words only: attributions, asides, relative clauses.

Every rule removes a span of the sentence's own words; nothing is reworded, so a bullet
stays grounded in its source sentence (``is_grounded`` checks it).
"""

from __future__ import annotations

import re

WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)

_SAY = (
    r"(?:said|says|told\s+[\w\s.'’-]{1,40}?|added|reported|announced|explained|stated"
    r"|according\s+to\s+[^,.]{1,60})"
)
_SPEAKER = r"(?:[\w.'’-]+\s+){0,6}?"

RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE if flags else 0), repl)
    for pattern, repl, flags in (
        # Wire and tabloid lead-ins: "(CNN) --", "LONDON, England (CNN) --", "Miami (CNN)The",
        # the tokenised "( cnn ) the", "By . Jane Doe ."
        (r"^.{0,60}?\(\s?(?:CNN|cnn|AP|Reuters|AFP)\s?\)\s*(?:(?:--|—|–|-)\s*)?", "", 0),
        (r"^By \. .{0,80}? \. (?:(?:PUBLISHED|UPDATED): .{0,60}? \. )*", "", 0),
        # A leading "According to X," or "In a statement," clause.
        (r"^(?:According to|In a statement(?: to [^,]{1,40})?,?)[^,]{0,60},\s*", "", 1),
        # A trailing attribution: ", police said." / ", he told CNN." / ", according to X."
        (rf",\s*{_SPEAKER}{_SAY}[^,.!?]{{0,40}}([.!?])$", r"\1", 1),
        # Parenthetical asides and dashed asides.
        (r"\s*\([^()]{1,80}\)", "", 0),
        (r"\s+(?:--|—|–)\s+[^—–]{1,80}?\s+(?:--|—|–)\s+", " ", 0),
        # Non-restrictive relative clauses: "Smith, who is 45, said" → "Smith said".
        (r",\s+(?:who|which|whose)\s+[^,;]{1,80},", "", 1),
        # Sentence-initial connectives.
        (r"^(?:But|And|However|Meanwhile|Still|Now|So|Also),?\s+", "", 0),
    )
)


def words(text: str) -> list[str]:
    """The lower-cased words of ``text``, as the grounding check compares them."""
    return [w.lower().strip(".") for w in WORD.findall(text)]


def is_grounded(bullet: str, sources: list[str]) -> bool:
    """True when every word of ``bullet`` appears in ``sources``."""
    pool = {w for s in sources for w in words(s)}
    return all(w in pool for w in words(bullet))


def _tidy(text: str) -> str:
    # Close the gap a deletion left before punctuation, but not before ".post" or ".5".
    text = re.sub(r"\s+([,.;:!?]+)(?=[\s\"'’”)]|$)", r"\1", " ".join(text.split()))
    text = text.strip(" ,;:-–—")
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    return text


def compress(sentence: str) -> str:
    """Return ``sentence`` with removable spans deleted, or unchanged if that breaks it."""
    pool = set(words(sentence))
    tidy = _tidy(sentence)
    out = tidy if len(words(tidy)) >= 5 and pool.issuperset(words(tidy)) else sentence
    for pattern, repl in RULES:
        shorter, n = pattern.subn(repl, out)
        if not n:
            continue
        shorter = _tidy(shorter)
        # Keep a deletion only when enough of the sentence survives to stand alone.
        kept = words(shorter)
        if len(kept) >= 5 and pool.issuperset(kept):
            out = shorter
    return out


# Where a long sentence may be cut, keeping its first clause: before a coordinated or
# subordinate clause, a semicolon or a dash.
_CLAUSE = re.compile(
    r",\s+(?:and|but|while|as|after|before|which|who|where|when|because|although|though|with)\s+"
    r"|;\s+|\s+(?:--|—|–)\s+"
)


def shorten(text: str, limit: int, min_words: int = 10) -> str:
    """Cut ``text`` longer than ``limit`` words after its first clause of ``min_words`` or more.

    Deletion only: the kept clause is the text's own opening words, closed with a period.
    """
    if len(words(text)) <= limit:
        return text
    for match in _CLAUSE.finditer(text):
        head = _tidy(text[: match.start()])
        if len(words(head)) >= min_words and balanced(head):
            return head.rstrip(".!?") + "."
    return text


def balanced(text: str) -> bool:
    """Whether every quotation and bracket ``text`` opens is closed."""
    return (
        text.count('"') % 2 == 0
        and text.count("“") == text.count("”")
        and text.count("(") == text.count(")")
    )
