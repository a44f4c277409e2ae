"""Score a story's sentences for the Quick Looks: a linear model over position, length,
centrality and surface features, with weights learned on the dev set (see ``WEIGHTS``).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

from newsdesk.summarize.compress import ADVERB_ENDINGS, might_have_verb, words

STOPWORDS = frozenset(
    """a an the and or but if of at by for with about against between into through during before
    after above below to from up down in out on off over under again further then once here there
    when where why how all any both each few more most other some such no nor not only own same so
    than too very s t can will just don should now is are was were be been being have has had having
    do does did doing i me my we our you your he him his she her it its they them their what which
    who whom this that these those am would could also said says say told mr mrs ms one two
    new""".split()
)

# Page junk that must never become a bullet (tabloid furniture, credits, calls to action).
JUNK = re.compile(
    r"SCROLL DOWN|CLICK HERE|Click here|READ MORE|Read more|PUBLISHED:|UPDATED:|\bPhoto:|"
    r"\(AP Photo|Getty Images|Follow @|E-mail to a friend|Sign up|Subscribe|All rights reserved|"
    r"^Pictured:|\bVIDEO\b|contributed to this report"
    # A caption run into the sentence after it: "A look at all of the charges The sentencing
    # phase begins Tuesday".
    r"|\b[a-z]{3,} The [a-z]{3,}"
    # A photo's pointer opening a caption: "Above, Nick, 16 and Ashley join them on television."
    r"|^(?:Above|Below|Pictured|Left|Right|Top|Bottom|Inset|Centre|Center)"
    r"(?:\s+(?:left|right|centre|center))?,\s",
)
PRONOUN_START = re.compile(
    # A connective or a sentence adverb may come first: "Unfortunately they arrived too late",
    # "Yet these percentages still point …"; "Such activity is …" and "Due to that, …" point
    # back the same way.
    r"^[\"'‘“]?(?:(?:But|And|So|Yet|Or|However|Meanwhile|Still|Due to|Because of|Now|Then"
    r"|Later|Today|Also|Instead|Indeed|Again|Soon|Even|There|Here"
    # A sentence adverb, by its ending; here also "Secondly", "Luckily", "Sadly", "Mostly" (a
    # name such as "Emily" is no subject before a pronoun).
    rf"|[A-Z][a-z]+(?:{ADVERB_ENDINGS}|ndly|ily|dly|tly)),?\s+)?"
    r"(?:He|She|They|It|This|That|These|Those|His|Her|Their|Its|Him|Them|Such|he|she|they|it"
    r"|this|that|these|those|such)\b"
    # "This week, Putin proposed …" names its time, not an earlier sentence's subject.
    r"(?!\s+(?:week|year|month|morning|afternoon|evening|weekend|season|summer|spring|autumn"
    r"|winter|time)\b)"
    # "One of them was …", "Both were pulled from the home": a number of people named before.
    r"|^[\"'‘“]?(?:One|Two|Three|Four|Five|Some|Many|Most|All|None|Neither|Either|Each|Both"
    r"|Several|Few|Half|Others?)\s+of\s+(?:them|us|whom|(?:these|those)(?=\s+(?:were|are|was"
    r"|is|have|had|will|would|can|could)\b))\b"
    r"|^[\"'‘“]?(?:(?:Several|Many|Some|A few|Two|Three|Four|Five)\s+others"
    r"|Not\s+all\s+(?:were|are|was|is|have|had|will|would))\b"
    r"|^[\"'‘“]?(?:Both|Neither|Each|All|Others)\s+(?:were|are|was|is|have|has|had|will|would|can"
    r"|could|may|might|must|should|did|do|does)\b"
)


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS and len(w) > 1]


def balanced_quotes(text: str) -> bool:
    """False for a sentence that opens a quote it does not close (or the reverse)."""
    straight = text.count('"') % 2 == 0
    curly = text.count("“") == text.count("”")
    return straight and curly and _single_marks(text, False) == (False, False)


# Quotation marks, told apart by what stands beside them. A straight double quote opens
# when nothing or a space or bracket is before it, and closes when a word or punctuation
# is; a paragraph that goes on with the same speaker opens with a quote mark again (news
# style), so "opens" while open changes nothing. A single quote opens at a sentence's start,
# as a ‘, or after a space before a word; it closes after the words and before a break
# ("'Clever marketing': Dr …", "a 'frizz nightmare'."); inside a word it is an apostrophe
# ("It’s", "DON’T").
_DOUBLE = re.compile(r'["“”]')
_SINGLE = re.compile(
    r"(?P<open>^['‘]|‘|(?<=[\s(\[])'(?=\w))"  # a sentence's start, a ‘, or ' before a word
    r"|(?P<close>(?<=[\w.,!?\s])['’](?=[:;,.!?)\]]|\s|$))"  # after the words, before a break
)
# A quotation left open longer than this is a stray or unpaired mark, not somebody's words.
QUOTE_SPAN = 5


def _double_open_after(sentence: str, open_: bool) -> bool:
    """Whether a double quotation is open after ``sentence``, given whether it was before."""
    for match in _DOUBLE.finditer(sentence):
        mark, at = match.group(), match.start()
        if mark != '"':
            open_ = mark == "“"
            continue
        before = sentence[at - 1] if at else " "
        after = sentence[at + 1 : at + 2] or " "
        opening = before.isspace() or before in "([—–:"
        if opening and not after.isspace():
            open_ = True
        elif not opening:
            open_ = False
        else:  # space on both sides: no telling, so it pairs with the last one
            open_ = not open_
    return open_


def _single_marks(sentence: str, open_: bool) -> tuple[bool, bool]:
    """Whether a single quotation is open after ``sentence`` (given whether it was before),
    and whether the sentence closed one it did not open. An apostrophe is neither mark."""
    stray = False
    for match in _SINGLE.finditer(sentence):
        if match.group("open"):
            open_ = True
        elif open_:
            open_ = False
        elif match.start() == len(sentence.rstrip()) - 1 or sentence[match.start() - 1] in ".,!?":
            stray = True  # "…effective.’": the end of somebody's words begun earlier
    return open_, stray


def quoted(sentences: list[str], paragraph_starts: frozenset[int] = frozenset()) -> list[bool]:
    """For each sentence, whether it starts inside a quotation opened by an earlier one.

    Such a sentence is the middle of somebody's words and cannot stand alone as a bullet.
    A quotation never runs on into a new paragraph (one that goes on opens again), and one
    still open after ``QUOTE_SPAN`` sentences is taken as a stray mark and closed.
    """
    out, open_double, open_single, since = [], False, False, 0
    for i, s in enumerate(sentences):
        if since >= QUOTE_SPAN or i in paragraph_starts:
            open_double = open_single = False
        out.append(open_double or open_single)
        open_double = _double_open_after(s, open_double)
        open_single = _single_marks(s, open_single)[0]
        since = since + 1 if open_double or open_single else 0
    return out


# A statement ends in a period or "!" (perhaps inside a closing quote or bracket); a
# subhead, a list item or a question does not.
_STATEMENT_END = re.compile(r"[.!][\"'’”)\]]*\s*$")
# A sentence trailing off ("...", "…") is not a statement; a tabloid's stray period after a
# full stop ("'They love the uniforms,' Brooks said. .") does not make one of those.
_TRAILS_OFF = re.compile(r"(?:\.\s*){2,}$|…$")
_STRAY_PERIOD = re.compile(r"(?<=[^.\s][.!?])(['’\"”]?)\s+\.$")


# An object pronoun near the start points back at something the bullet does not name:
# "Zelenskyy dismissed it as 'manipulation'" (what is "it"?). A pronoun after "said" or
# "that" starts a reported clause and refers to the subject ("The firm said it would").
DANGLING_OBJECT = re.compile(
    r"^\W*(?:[\w’'-]+\s+){1,4}?(?<!said )(?<!says )(?<!that )(?<!if )(?:it|them)"
    r"\s+(?:as|to|in|on|for|with|from|into|over|off|up|down|out|away|back|at|by|a|an|the)\b"
)


# The first person outside quotation marks is somebody's words that lost their marks (a
# quotation split over sentences, or a caption in the speaker's voice): "I'm playing like
# I'm on hard court" names nobody. Quoted spans are removed before looking.
_QUOTED_SPAN = re.compile(r'"[^"]*"|“[^”]*”?|(?<!\w)[\'‘][^\'’]*[\'’](?!\w)')
FIRST_PERSON = re.compile(
    # "i" too: the lower-cased text of a tokenised story ("i remember the coroner telling me").
    r"\b(?:[Ii]|[Ii]['’](?:m|ve|d|ll)|[Mm]y|[Ww]e|[Ww]e['’](?:re|ve|d|ll)|[Oo]ur|us)\b(?!\.)"
)


def first_person(sentence: str) -> bool:
    """Whether ``sentence`` speaks in the first person outside quotation marks."""
    # Removing the quoted spans only removes matches: look at them only when there is one.
    return bool(FIRST_PERSON.search(sentence)) and bool(
        FIRST_PERSON.search(_QUOTED_SPAN.sub(" ", sentence))
    )


# A quoted label and a colon open a photo caption ("'Clever marketing': Dr Van Tulleken
# with a range of packets …"): a picture described, not a statement of the story.
CAPTION_LABEL = re.compile(r"^['‘\"“][^'’\"”]{1,60}['’\"”]:\s")


# A pronoun subject after an opening adjunct points back as much as one at the start: "In
# 1995, at age seventeen, she was told …", "One year later he was fired …".
# Not when the opening clause names its own subject ("If Holmes does take her place, she
# has …"), nor a source closing the sentence ("…, he said."), which stays as before.
FRONTED_PRONOUN = re.compile(
    r"^(?:[^,;:\"“”]{2,60},\s+(?:[^,;:\"“”]{2,40},\s+)?"
    r"|(?:[\w’'-]+\s+){1,3}(?:later|earlier|ago|afterwards)\s+)"
    r"(?:he|she|they)\s(?!(?:[a-z]+\s+){0,1}(?:said|says|added|argued|insisted|insist"
    r"|predicted|claimed|claim|warned|told|believes|believe|thinks|think)\W*$)"
)
_OWN_SUBJECT = re.compile(
    r"\b[A-Z][a-z]+\s+(?:[a-z]+s|[a-z]+ed|does|did|is|was|has|had|can|could|will|would)\b"
)


def _fronted_pronoun(sentence: str) -> bool:
    match = FRONTED_PRONOUN.match(sentence)
    # The opening clause may name the subject itself: "If Holmes does take her place, she …".
    return bool(match) and not _OWN_SUBJECT.search(sentence, 0, match.end())


# A list of names is no statement: a team sheet ("Cech, Paulo Ferreira, Gallas, Terry, …"),
# a fixture list ("Republic of Ireland v Cyprus; France v Israel; …"), a match's facts ("Att:
# 47,111 Ref: S Bennett."). Such a line has two separators or more (a fixture needs none),
# mostly capitalised words, and no verb at all: no auxiliary, past tense
# or lower-case word ending in -s ("Bono, The Edge and Adam Clayton played …" is a sentence).
def _name_list(sentence: str) -> bool:
    sentence = _SUBS_LABEL.sub(" ", sentence)  # "Subs not used: Weaver, Onuoha, Flood."
    fixture = " v " in sentence and bool(_FIXTURE.search(sentence))
    needed = 0 if fixture else 2
    # The cheap tests first: most sentences have a verb, or too few separators.
    if sum(map(sentence.count, ",;:")) < needed:
        return False
    if might_have_verb(sentence):
        return False
    if len(_SEPARATOR.findall(sentence)) < needed:
        return False
    alpha = [w for w in re.findall(r"[^\W\d_][\w’'-]*", sentence)[1:] if w not in _LINKS]
    capitalised = sum(w[0].isupper() for w in alpha)
    return bool(alpha) and capitalised >= 0.6 * len(alpha)


_SUBS_LABEL = re.compile(r"\b(?:subs|substitutes)\s+not\s+used\b", re.IGNORECASE)
_FIXTURE = re.compile(r"\b[A-Z][\w’'-]*\s+v\s+[A-Z]")
# Commas, semicolons and colons between the items; not the comma of "47,111".
_SEPARATOR = re.compile(r"(?<!\d)[,;:]|[,;:](?!\d)")
_LINKS = frozenset("v vs of and the de da van von der le la du".split())


@lru_cache(maxsize=16384)  # the choice asks of a sentence and of its bullet more than once
def usable(sentence: str) -> bool:
    """Whether a sentence may become a bullet at all."""
    n = len(words(sentence))
    return (
        6 <= n <= 60
        and not JUNK.search(sentence)
        and balanced_quotes(sentence)
        and not PRONOUN_START.match(sentence)
        and not _fronted_pronoun(sentence)
        and not DANGLING_OBJECT.match(sentence)
        and not first_person(sentence)
        and not CAPTION_LABEL.match(sentence)
        and bool(_STATEMENT_END.search(sentence))
        # A stray period's removal can only end a trail-off, never start one.
        and not (
            _TRAILS_OFF.search(sentence) and _TRAILS_OFF.search(_STRAY_PERIOD.sub(r"\1", sentence))
        )
        and not sentence[:1].islower()  # a fragment split from its subject ("also won, …")
        and not _name_list(sentence)
    )


FEATURES = (
    "bias",
    "position",
    "first",
    "second",
    "third",
    "relative position",
    "length",
    "short",
    "long",
    "centrality",
    "has quote",
    "has number",
    "capitalised share",
    "ends with period",
    "content share",
)
# Ridge regression weights learned on cnndm-dev by bench/train_ranker.py (which prints
# them and their 5-fold cross-validated ROUGE); the target is each compressed sentence's
# ROUGE-1/2 precision against the gold highlights. Position dominates, as in all news.
WEIGHTS = (
    0.0435,
    0.3699,
    -0.1475,
    -0.0262,
    -0.0065,
    0.0166,
    -0.0326,
    -0.0607,
    -0.0119,
    0.1396,
    -0.0479,
    0.0111,
    -0.0128,
    -0.0055,
    -0.0253,
)
_CAPITALISED = re.compile(r"\b[A-Z][a-z]+")
_DIGIT = re.compile(r"\d")


def features(sentences: list[str]) -> list[tuple[float, ...]]:
    """One feature vector per sentence, in the order of ``FEATURES``."""
    bags = [Counter(content_words(s)) for s in sentences]
    doc: Counter[str] = Counter()
    for bag in bags:
        doc.update(bag.keys())
    n = len(sentences)
    rows = []
    for i, (sentence, bag) in enumerate(zip(sentences, bags, strict=True)):
        size = sum(bag.values()) or 1
        # Centrality: how many other sentences share this one's words (document frequency).
        central = sum(math.log1p(doc[w] - 1) for w in bag) / size if n > 1 else 0.0
        length = len(words(sentence)) or 1
        rows.append(
            (
                1.0,
                1.0 / math.sqrt(1 + i),
                float(i == 0),
                float(i == 1),
                float(i == 2),
                i / n,
                min(length, 60) / 30,
                float(length < 10),
                float(length > 35),
                central,
                float('"' in sentence or "“" in sentence),
                float(bool(_DIGIT.search(sentence))),
                len(_CAPITALISED.findall(sentence)) / length,
                float(sentence.rstrip().endswith(".")),
                len(bag) / length,
            )
        )
    return rows


def score(sentences: list[str], weights: tuple[float, ...] = WEIGHTS) -> list[float]:
    """One score per sentence; higher is more summary-worthy."""
    return [sum(w * f for w, f in zip(weights, row, strict=True)) for row in features(sentences)]


def similarity(a: str, b: str) -> float:
    """Share of the shorter text's content words found in the other (redundancy check)."""
    wa, wb = set(content_words(a)), set(content_words(b))
    if not wa or not wb:
        return 0.0
    return len(wa & wb) / min(len(wa), len(wb))
