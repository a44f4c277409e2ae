"""Shorten a sentence by deleting words only: attributions, asides, relative clauses.

Every rule removes a span of the sentence's own words; nothing is reworded, so a bullet
stays grounded in its source sentence (``is_grounded`` checks it).
"""

from __future__ import annotations

import re
from functools import lru_cache

WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)

# A clause ends where the sentence goes on with its verb: an auxiliary, a reporting verb, or
# a lower-case word ending in -s or -ed ("Smith, who is 45, said"). Anything else (", and",
# ", its scales", ", table tennis") means the commas did not enclose an aside.
_GOES_ON = (
    r"(?=\s+(?:is|was|are|were|has|have|had|will|would|can|could|may|might|must|should|did"
    r"|does|do|said|says|told|added|won|lost|left|took|made|became|went|got|met"
    r"|(?!its\b|his\b|this\b|us\b|as\b|was\b)[a-z]{2,}(?:s|ed))\b)"
)
# A place written "City, State," or "Boise, Idaho," inside an aside is one unit, not its end.
_PLACE = r"(?:[^,;()]|,\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+)?(?=,))"

# The name an aside follows: a capitalised word, not an initial.
_NAME = r"(?<!\S)([A-Z][a-z][\w'’-]*)"

RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE if flags else 0), repl)
    for pattern, repl, flags in (
        # Wire and tabloid lead-ins: "(CNN) --", "LONDON, England (CNN) --", "Miami (CNN)The",
        # the tokenised "( cnn ) the", "By . Jane Doe ."
        (r"^.{0,60}?\(\s?(?:CNN|cnn|AP|Reuters|AFP)\s?\)\s*(?:(?:--|—|–|-)\s*)?", "", 0),
        (r"^By \. .{0,80}? \. (?:(?:PUBLISHED|UPDATED): .{0,60}? \. )*", "", 0),
        # "In a statement, the company said" keeps its speaker; the frame goes.
        (r"^In a statement(?: to [^,]{1,40})?,\s*(?=[A-Z])", "", 0),
        # Attribution always stays ("..., officials said"): a claim must keep its source.
        # Parenthetical asides: "(left)", "(£600m)", "(founded in 1998 by two students)".
        (r"\s*\([^()]{1,80}\)", "", 0),
        # A dashed aside the sentence reads on after: "The deal -- signed on Monday -- gives".
        (rf"\s+(?:--|—|–)\s+[^—–-]{{1,80}}?\s+(?:--|—|–){_GOES_ON}", "", 0),
        # Non-restrictive relative clauses after a name: "Smith, who is 45, said" → "Smith said".
        (rf"{_NAME},\s+(?:who|whose)\s+{_PLACE}{{1,80}}?,{_GOES_ON}", r"\1", 0),
        # An appositive after a name: "Gardner, a former England player, will" → "Gardner will";
        # and an age: "Jane Doe, 45, said" → "Jane Doe said".
        (
            rf"{_NAME},\s+(?:a|an|the|\d{{1,3}})\b{_PLACE}{{0,70}}?,{_GOES_ON}",
            r"\1",
            0,
        ),
        # Sentence-initial connectives that point at what came before.
        (
            r"^(?:(?:But|And|However|Meanwhile|Also|Moreover|Furthermore)\b,?"
            r"|(?:Still|Now|So|Yet|Instead|In addition|Despite this|Despite that|As a result"
            r"|At the same time|Even so|In turn|By contrast|On the other hand|Separately),)"
            r"\s+(?!(?:or|and|but|nor)\b)",
            "",
            0,
        ),
        # A leading subordinate clause of time or concession: "After the vote on Monday, the
        # council" → "The council". Never "If" or "Unless": a condition carries the meaning.
        (
            r"^(?:After|Before|While|Although|Though|When|Since|Despite|Following|Amid|During)"
            r"\b[^,;\"“”'‘’—–]{3,70},\s+(?=(?:The|the|A|a|An|an)\s|[A-Z][a-z])"
            r"(?!(?:He|She|They|It|This|That|These|Those|His|Her|Their|Its|I|We|You)\b)",
            "",
            0,
        ),
    )
)


@lru_cache(maxsize=16384)
def words(text: str) -> tuple[str, ...]:
    """The lower-cased words of ``text``, as the grounding check compares them (cached: the
    summarizer asks for the same sentence's words many times)."""
    return tuple(w.strip(".") for w in WORD.findall(text.lower()))


def is_grounded(bullet: str, sources: list[str]) -> bool:
    """True when every word of ``bullet`` appears in ``sources``."""
    pool = {w for s in sources for w in words(s)}
    return all(w in pool for w in words(bullet))


def _tidy(text: str) -> str:
    # Close the gap a deletion left before punctuation, but not before ".post" or ".5".
    text = re.sub(r"\s+([,.;:!?]+)(?=[\s\"'’”)]|$)", r"\1", " ".join(text.split()))
    # "… 2014. ." → "… 2014." (a tabloid's stray period), but an ellipsis stays one.
    text = re.sub(r"(\w[.!?]['’\"”]?)\s*\.$", r"\1", text.strip(" ,;:-–—"))
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
        if len(kept) >= 5 and pool.issuperset(kept) and balanced(shorter):
            out = shorter
    return out


# Where a long sentence may be cut, keeping its first clause: before a coordinated or
# subordinate clause, a semicolon or a dash.
_CLAUSE = re.compile(
    r",\s+(?:and|but|while|as|after|before|which|who|where|when|because|although|though|with)\s+"
    r"|;\s+|\s+(?:--|—|–)\s+"
)


_DANGLING = re.compile(r"\b(?:and|or|but|nor|not|than|of|to|the|a|an)\W*$", re.IGNORECASE)
_SHARED_VERB = re.compile(r"[^,.;]{1,60},\s+(?:have|has|are|were|was|is|will|would)\b")
_PAIRED = re.compile(r"\bnot (?:just|only|merely|simply)\b", re.IGNORECASE)


def shorten(text: str, limit: int, min_words: int = 10) -> str:
    """Cut ``text`` longer than ``limit`` words after its first clause of ``min_words`` or more.

    Deletion only: the kept clause is the text's own opening words, closed with a period.
    """
    if len(words(text)) <= limit:
        return text
    for match in _CLAUSE.finditer(text):
        head = _tidy(text[: match.start()])
        if _PAIRED.search(head) and "but" in match.group():
            continue  # "not just X, but also Y": the first half alone says the opposite
        if "and" in match.group() and "," in head and len(words(head.rsplit(",", 1)[1])) <= 4:
            continue  # "A, B, and C": the last item of a list, not a clause
        rest = text[match.end() :]
        if re.match(r",\s+(?:which|who)\b", match.group()) and re.search(
            r",\s+(?:and|but)\s", rest
        ):
            continue  # "by Rahman, who …, and with Varttina": the main clause comes back
        if "and" in match.group() and re.search(r",\s+(?:who|which)\b", head):
            continue  # the same: the "and" may close the aside, not start a new clause
        if _DANGLING.search(head):
            continue  # "… on April 11 and not, as anticipated, in …": the head is unfinished
        if "and" in match.group() and _SHARED_VERB.match(text[match.end() :]):
            continue  # "Cantona and Solskjaer, and Sir Alex Ferguson, have …": one subject
        if len(words(head)) >= min_words and balanced(head):
            return head.rstrip(".!?") + "."
    return text


def balanced(text: str) -> bool:
    """Whether every quotation and bracket ``text`` opens is closed."""
    opens_single = len(re.findall(r"(?:^|[\s:(])['‘`](?=\w)", text))
    closes_single = len(re.findall(r"(?<=[\w.,!?])['’](?=[\s.,;:!?)]|$)", text))
    return (
        text.count('"') % 2 == 0
        and text.count("“") == text.count("”")
        and text.count("(") == text.count(")")
        and opens_single <= closes_single
        and len(re.findall(r"\s(?:--|—|–)\s", text)) % 2 == 0
    )
