"""Shorten a sentence by deleting words only: attributions, asides, relative clauses.

Every rule removes a span of the sentence's own words; nothing is reworded, so a bullet
stays grounded in its source sentence (``is_grounded`` checks it).
"""

from __future__ import annotations

import re
from functools import lru_cache

WORD = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*", re.UNICODE)

# The auxiliaries and modals every verb test below starts from, and the irregular past tenses
# the tests for "is there a verb here at all" add (the tests that decide where a clause goes
# on keep shorter lists of their own: each word there moves cuts, so each was read).
_AUX = r"is|are|was|were|has|have|had|will|would|can|could|may|might|must|should|did|does|do"
_IRREGULAR_PAST = (
    r"saw|took|went|came|gave|knew|grew|rose|began|became|wrote|broke|chose|drove|flew|spoke"
    r"|stole|threw|woke|wore|drew|sang|rang|sank|swam|fell|got"
)

# A clause ends where the sentence goes on with its verb: an auxiliary, a reporting verb, or
# a lower-case word ending in -s or -ed ("Smith, who is 45, said"). Anything else (", and",
# ", its scales", ", table tennis") means the commas did not enclose an aside.
_GOES_ON = (
    r"(?=\s+(?:(?:also|then|later|now|still|recently|already|never)\s+)?"
    rf"(?:{_AUX}|said|says|told|added|won|lost|left|took|made|became|went|got|met"
    r"|(?!its\b|his\b|this\b|us\b|as\b|was\b)[a-z]{2,}(?:s|ed)\b"
    # Not a plural subject and its reporting verb: "a man, who fled, officials said".
    r"(?!\s+(?:said|say|says|told|reported|claimed|claim|believe|believed|added|warned"
    r"|think|thought|fear|feared|suspect|suspected)\b))\b)"
)
# A place written "City, State," or "Boise, Idaho," inside an aside is one unit, not its end.
_PLACE = r"(?:[^,;()]|,\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+)?(?=,))"

# An appositive names; it has no finite verb. "In the quarter, the economy is expected to
# grow 4%, economists forecast" is a clause, not an aside.
_NO_VERB = rf"(?![^,;]*\b(?:{_AUX}|shall|[a-z]{{3,}}ed)\b)"

# A participle phrase set off by commas after a clause is that clause's, not the sentence's
# verb going on.
_NOT_PARTICIPLE = r"(?!\s+[a-z]+ed\s+(?:for|by|in|at|on|as|with|to)\b[^,.;]*,)"

# The endings of a sentence adverb ("Initially", "Unfortunately", "Currently", "Notably"):
# not "-ily" or "-ly" alone, which names end in too ("Emily", "Kelly", "Italy").
ADVERB_ENDINGS = r"ally|ately|ently|antly|ously|ively|ably|ibly|arly"

# The name an aside follows: a capitalised word, not an initial.
# Not the sentence adverb that opens a sentence: "Initially, the Italian company, Fiat, will
# appoint" is no "Initially will appoint".
_NAME = (
    rf"(?<!\S)(?!(?<![\s\S])(?:[A-Z][a-z]+(?:{ADVERB_ENDINGS})|Meanwhile"
    r"|However|Today|Yesterday|Tomorrow|Now|Then|Later|Earlier|Instead|Still|Also|Here|There"
    r"|Again|Overall|Elsewhere|Nevertheless|Nonetheless|Therefore|Thus|Indeed|Besides"
    r"|Otherwise|Afterwards|Likewise|Lately|Clearly|Surely|Sadly|Happily|Luckily|Thankfully"
    r"|Hopefully|Interestingly|Unsurprisingly|Surprisingly|First|Second|Third|Firstly"
    r"|Secondly|Finally|Next|Last|Lastly|Yet|So|Soon|Once|Twice|Moreover|Furthermore)\b)"
    r"([A-Z][a-z][\w'’-]*)"
)

RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE if flags else 0), repl)
    for pattern, repl, flags in (
        # Wire and tabloid lead-ins: "(CNN) --", "LONDON, England (CNN) --", "Miami (CNN)The",
        # the tokenised "( cnn ) the", "By . Jane Doe ."
        (r"^.{0,60}?\(\s?(?:CNN|cnn|AP|Reuters|AFP)\s?\)\s*(?:(?:--|—|–|-)\s*)?", "", 0),
        (r"^By \. .{0,80}? \. (?:(?:PUBLISHED|UPDATED): .{0,60}? \. )*", "", 0),
        # "In a statement, the company said" keeps its speaker; the frame goes.
        (
            r"^In (?:a|an|his|her|their|its) (?:statement|speech|interview|letter|report"
            r"|blog post)(?: (?:to|with|on) [^,]{1,40})?,\s*(?=[A-Z])",
            "",
            0,
        ),
        # Attribution always stays ("..., officials said"): a claim must keep its source.
        # Parenthetical asides: "(left)", "(£600m)", "(founded in 1998 by two students)".
        # One level of nesting goes whole: "a 'more general reflection' ((it)) is needed".
        (r"\s*\((?:[^()]|\([^()]{0,40}\)){1,80}\)", "", 0),
        # A dashed aside the sentence reads on after: "The deal -- signed on Monday -- gives".
        # Not a tokenised age: "In 2008, 22 - year - old nicky reilly - who had …".
        (
            rf"(?<!\d)\s+(?:--|—|–|-)\s+(?!(?:year|old|month|week|day)s?\b)[^—–]{{1,80}}?"
            rf"(?<!\bex)(?<!\banti)(?<!\bnon)(?<!\bco)(?<!\bpre)(?<!\bpost)(?<!\bself)"
            rf"\s+(?:--|—|–|-){_GOES_ON}",
            "",
            0,
        ),
        # A reduced relative clause: "Firefox 1.0, released on 9 November, seems" →
        # "Firefox 1.0 seems".
        (
            rf"([\w.]),\s+(?:[a-z]+ed|run|made|held|known|born|built|written|given|taken|seen"
            rf"|shown)\s+(?:by|in|on|at|from|for|as|with|to|into)\b{_PLACE}{{1,60}}?,{_GOES_ON}",
            r"\1",
            0,
        ),
        # Non-restrictive relative clauses after a name: "Smith, who is 45, said" → "Smith said".
        # Not before a participle phrase closed by a comma: "Griffiths, who beat Michael
        # Gambon, nominated for Endgame, as well as …" (Gambon was the one nominated).
        (rf"{_NAME},\s+(?:who|whose)\s+{_PLACE}{{1,80}}?,{_GOES_ON}{_NOT_PARTICIPLE}", r"\1", 0),
        # An appositive after a name: "Gardner, a former England player, will" → "Gardner will";
        # and an age: "Jane Doe, 45, said" → "Jane Doe said".
        (
            # An age may come first: "Kaitlyn Granado, 24, a teacher at MacArthur High, was".
            rf"{_NAME},\s+(?:\d{{1,3}},\s+(?=(?:a|an|the)\s))?(?:a|an|the|\d{{1,3}})\b{_NO_VERB}"
            rf"{_PLACE}{{0,70}}?,{_GOES_ON}",
            r"\1",
            0,
        ),
        # The same after a common noun: "The firm, which is one of Google's biggest investors,
        # benefited" → "The firm benefited"; "His lawyer, a former judge, said" → "His lawyer
        # said". With commas on both sides these clauses are never restrictive.
        (
            rf"\b([a-z]{{3,}}),\s+(?:who|whose|which)\s+{_PLACE}{{1,80}}?,{_GOES_ON}{_NOT_PARTICIPLE}",
            r"\1",
            0,
        ),
        (rf"\b([a-z]{{3,}}),\s+(?:a|an|the)\s+{_NO_VERB}{_PLACE}{{0,70}}?,{_GOES_ON}", r"\1", 0),
        (rf"\b([a-z]{{3,}}),\s+\d{{1,3}},{_GOES_ON}", r"\1", 0),
        # A photo pointer: "Sevdet Besim, pictured, has been charged" → "Sevdet Besim has".
        (
            r",\s+(?:pictured|pictured (?:left|right|above|below|centre|center|top|inset)"
            r"|(?:left|right|above|below|centre|center)),(?=\s)",
            "",
            0,
        ),
        # A tabloid caption's label: "Celebrity status: their story got a lot of attention"
        # → "Their story got a lot of attention". Not a speaker ("Mr Smith said: …").
        (
            r"^(?!(?:[\w’'-]+\s+){0,3}(?:said|says|told|added|asked|wrote|explained|insisted"
            r"|warned|revealed)\b)[A-Z][\w’'-]*(?:\s+[\w’'-]+){0,2}:\s+(?=[A-Za-z])"
            # Not a title ("Inside Harley Street: Episode 2: …") or a team ("Millwall: Forde;").
            r"(?![^:;]*[:;])",
            "",
            0,
        ),
        # Who the speaker is, after the attribution that names them: '…," said Nikolay
        # Petrov, senior fellow at the New Eurasian Strategies Centre.' → '…," said Nikolay
        # Petrov.'
        (
            r"(\b(?:said|says)\s+(?:[A-Z][\w'’.-]+\s+){0,3}[A-Z][\w'’.-]+),\s+"
            r"(?!(?:that|who|which|and|but|as|while|when|because|if|although|though|after"
            r"|before|adding|saying|where|so|then)\b)"
            # A description, not the clause the attribution interrupts ("At that point, says
            # Dr Tuffy, games could become …").
            rf"{_NO_VERB}(?![^,;]*\b(?:could|become|became)\b)[^,;\"“”()]{{2,100}}?(?=[.!]?$)",
            r"\1",
            0,
        ),
        # A day or a recent time the story's date makes plain, at the end of a clause: "Police
        # arrested him on Monday." → "Police arrested him." Not after a preposition ("until
        # Monday"), not as a subject, not a year ("this year" scopes a figure).
        (
            r"(?<![,]\s)(\b(?!(?:until|since|by|before|after|from|to|through|of|for|than|as|that"
            r"|and|or|between|including|except|only|just|even)\b)[a-z]+)\s+(?:on\s+(?:Mon|Tues|Wednes|Thurs|Fri|Satur"
            r"|Sun)day(?:\s+(?:morning|afternoon|evening|night))?|yesterday|last\s+(?:week|night)"
            r"|earlier\s+this\s+week|this\s+week)(?=[.,;]|\s+that\b)",
            r"\1",
            0,
        ),
        # Sentence-initial connectives that point at what came before.
        (
            r"^(?:(?:But|And|However|Meanwhile|Also|Moreover|Furthermore)\b,?"
            r"|(?:Still|Now|So|Yet|Instead|In addition|Despite this|Despite that|As a result"
            r"|At the same time|Even so|In turn|By contrast|On the other hand|Separately"
            r"|Nonetheless|Nevertheless|Indeed|Similarly|Additionally|Likewise|Besides|Thus"
            r"|Therefore|Then|Elsewhere|In fact|Of course),)"
            r"\s+(?!(?:or|and|but|nor|said|says|added|argued|according)\b)",
            "",
            0,
        ),
        # A leading subordinate clause of time or concession: "After the vote on Monday, the
        # council" → "The council". Never "If" or "Unless": a condition carries the meaning.
        (
            r"^(?:After|Before|While|Although|Though|When|Since|Despite|Following|Amid|During)"
            r"\b(?:[^,;\"“”'‘’—–]|['’]s\b){3,70},\s+(?=(?:The|the|A|a|An|an)\s|[A-Z][a-z])"
            r"(?!(?:He|She|They|It|This|That|These|Those|His|Her|Their|Its|I|We|You)\b)"
            # Not when the clause goes on past another comma ("When Hewitt shook his hand,
            # a third in as many months, the Australian said"), nor when the rest has a
            # pronoun whose person may be named only in the clause ("When Mr Reckless
            # defected, the Prime Minister attacked his betrayal": whose?).
            r"(?![^,]{0,40},)(?!.*\b(?:he|she|they|him|her|his|hers|them|their|its|it)\b)",
            "",
            0,
        ),
        # A leading adjunct of relative time: "This week, Putin proposed" → "Putin proposed".
        # Only times that say when, never where or how much: "In Britain, 5 million smoke"
        # keeps its scope.
        (
            r"^(?:(?:This|Last|Next|Earlier|Later)(?:\s+this)?\s+(?:week|month|year|weekend"
            r"|morning|afternoon|evening|season|summer|spring|autumn|winter)"
            r"|(?:On|Late on|Early on|Earlier on)\s+(?:Monday|Tuesday|Wednesday|Thursday|Friday"
            r"|Saturday|Sunday)(?:\s+(?:morning|afternoon|evening|night))?"
            r"|Earlier|Later|Yesterday|Today|On Monday night|Over the weekend|At the time),\s+"
            r"(?=[A-Z])(?!(?:He|She|They|It|This|That|These|Those|His|Her|Their|Its|I|We|You)\b)",
            "",
            0,
        ),
    )
)

# Words that make a span an attribution: a deletion that takes one with it is refused, so a
# claim never loses its source ("…, citing the report, officials said" stays whole).
_ATTRIBUTION = re.compile(
    r"\b(?:said|says|say|told|tells|tell|according|reported|reports|claimed|claims|announced"
    r"|confirmed|stated|explained|insisted|warned|wrote|writes|revealed|believes?|thinks?"
    r"|argued|argues|noted|notes|stressed|added|adds|alleged|alleges|heard|hears|learned"
    r"|learnt|estimated?|estimates|predicted|predicts|found|finds|concluded|admitted|admits"
    r"|denied|denies|acknowledged|conceded|disclosed|indicated|suggested|suggests|showed"
    r"|shows)\b",
    re.IGNORECASE,
)

# Trailing adjuncts an editor cuts from the end of a clause, as whole units:
# - a participial clause: ", arguing any truce must start immediately";
# - an appositive on the clause: ", a move many view as symbolic rather than substantive";
# - a non-restrictive relative clause on the last noun: ", which Moscow rejects".
# Never one holding a quotation, an attribution, or a list ("a house and a boat").
_TRAILING = re.compile(
    r",(?P<close>[”\"]?)\s+(?:(?:saying|adding|arguing|claiming|insisting|leaving|making|bringing|citing|noting"
    r"|prompting|sparking|forcing|causing|including|describing|calling|urging|warning"
    r"|suggesting|raising|ending|allowing|hoping|following|using|wearing|sending|marking"
    r"|triggering|putting|giving|taking|meaning)\b"
    # A trailing reduced relative only with its agent or place ("…, run by the Search
    # project"): ", entered in eighth place" is a verb of the sentence, not an adjunct.
    r"|(?:[a-z]+ed|run|made|held|known|built|written|given|taken|seen|shown)\s+by\s+"
    r"|(?:based|located|born)\s+in\s+"
    r"|(?:a|an|the)\s+(?!few\b|lot\b|number\b|same\b)"
    r"|which\s+)(?P<unit>[^,;:\"“”‘’'`()—–]{2,120}?)(?P<end>[.!]?)$"
)


# A sentence opening with a subordinate clause or a phrase ("As she rolled over, the echidna
# moved away"): what follows its comma is the main clause, so nothing after a comma may be
# cut as an adjunct ("As she rolled over." is a fragment).
_FRONTED = re.compile(
    r"^\W*(?:As|If|When|Whenever|While|After|Before|Although|Though|Because|Since|Unless"
    r"|Until|Once|Whether|Where|Just as|Even as|Even if|Even though|According to|Despite"
    r"|Following|Amid|During|In|On|At|With|Without|For|By|From|To|Under|Over|Having|Being"
    r"|Asked|Speaking|Unlike|Like|Beyond|Besides|Apart|Except|Instead|Rather|Along|Together"
    r"|Compared|Thanks|Due)\b"
    # A participle opening the sentence: "Dressed in pink gowns, the women …"
    r"|^\W*[A-Z][a-z]{2,}(?:ing|ed)\s+(?:in|on|at|by|with|a|an|the|her|his|their|its|up|out)\b"
)


# A finite verb, as far as words can tell without a parse: an auxiliary or a modal, a past
# tense in -ed, a common irregular past, or a reporting verb. Used to refuse cuts, so a false
# "verb" costs a compression, never a fragment.
_FINITE = re.compile(
    rf"\b(?:{_AUX}|am|be|been|shall|[a-z]{{2,}}ed|\w+n['’]t|said|says|ate|{_IRREGULAR_PAST})\b",
    re.IGNORECASE,
)
# A clause the cut would leave open: a subject pronoun at the end ("… when she."), a
# subordinate clause with no verb yet ("… say that after similar attacks.", "… said that,
# given such high prices."), or a reported clause with none ("GM said higher healthcare costs
# in North America."). Not an attribution closing a quotation ("…," said Jol).
_SUBORDINATOR = re.compile(
    r"\b(?:that|when|whenever|if|because|while|although|though|whether|unless)\b", re.IGNORECASE
)
_REPORTS = re.compile(
    r"(?<!\bwas )(?<!\bwere )(?<!\bis )(?<!\bbeen )\b(?:said|says|say|told\s+\w+|argues"
    r"|argued|claims|believes|believed|thinks|insists|warns|warned|admits|admitted|denies)\s+"
    r"(?=[a-z])"
)
# Loosely, a present-tense verb: any lower-case word in -s (plural nouns too; it only keeps a
# head from being judged verbless).
_ANY_S = re.compile(r"\b[a-z]{2,}s\b")
_INFINITIVE = re.compile(r"\bto\s+(?!(?:the|a|an|his|her|their|its|this|that)\b)[a-z]+")
_ENDS_ON_SUBJECT = re.compile(r"\b(?:he|she|they|we|I|it|you)\W*$", re.IGNORECASE)


def might_have_verb(text: str) -> bool:
    """Whether ``text`` has a word that may be a verb: an auxiliary, a past tense (regular or
    a common irregular one) or a lower-case word ending in -s. Generous on purpose: used to
    refuse, a false "verb" costs a cut or a rejection, never a fragment."""
    return bool(_ANY_S.search(text) or _FINITE.search(text) or _CLAUSE_VERB.search(text))


def _unfinished(head: str) -> bool:
    """Whether ``head`` stops inside a clause that has not reached its verb, or has none at
    all ("Bono, The Edge, Adam Clayton and Larry Mullen Jr.")."""
    if _ENDS_ON_SUBJECT.search(head):
        return True
    if not might_have_verb(head):
        return True
    for opener in (_SUBORDINATOR, _REPORTS):
        found = list(opener.finditer(head))
        if not found:
            continue
        rest = head[found[-1].end() :]
        if opener is _REPORTS and _INFINITIVE.search(rest):
            continue  # "He told film-makers not to ignore …": complete with its infinitive
        if not _FINITE.search(rest):
            return True
    return False


# An appositive has no verb of its own: ", the militants have fled back" is a clause.
_CLAUSE_VERB = re.compile(
    rf"\b(?:{_AUX}|shall|[a-z]{{2,}}ed|{_IRREGULAR_PAST}|made|found|left|held|kept|told|won"
    r"|lost|led|brought|bought|felt|met|paid|sent|spent|stood|thought|sold|built|beat|hit|put"
    r"|set|shot|fought|caught|ran|withdrew|struck|swore|sought|taught|rode|shook|hid|forgot"
    r"|understood|overcame|meant|slept|dealt|fled|quit)\b",
    re.IGNORECASE,
)


# A head whose verb waits for what the cut would take: an auxiliary or "not" at its end, perhaps
# before an aside ("were not, however", "was, in the end").
_VERB_AWAITS = re.compile(
    r"\b(?:is|are|was|were|be|been|being|has|have|had|not|\w+n['’]t)(?:,\s+[a-z][a-z ]{0,20})?$",
    re.IGNORECASE,
)


def _drop_trailing(text: str) -> str:
    if _FRONTED.match(text):
        return text
    match = _TRAILING.search(text)
    if not match or _ATTRIBUTION.search(match.group(0)):
        return text
    if re.search(r"\b(?:and|or|nor)\b", match.group("unit")):
        return text  # perhaps the last items of a list, not an adjunct
    appositive = re.match(r",\S*\s+(?:a|an|the)\s", match.group(0))
    if appositive and _CLAUSE_VERB.search(match.group("unit")):
        return text  # ", the militants have fled back": a clause, not an appositive
    if re.match(r",\S*\s+(?:a|an|the)\s", match.group(0)) and len(words(match.group(0))) <= 4:
        return text  # ", the MPs heard": a short "the X verb" is a source, not an appositive
    head = text[: match.start()] + match.group("close")
    if len(words(head)) < 6 or not balanced(head) or _unfinished(head):
        return text
    if _VERB_AWAITS.search(head):
        return text  # "The new results were not, however, accepted by both sides": its verb
    return head + (match.group("end") or ".")


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
    text = re.sub(r"(\w['’\"”]?[.!?]['’\"”]?)\s*\.$", r"\1", text.strip(" ,;:-–—"))
    if text and text[0].islower():
        text = text[0].upper() + text[1:]
    return text


# The rules that can only match a sentence with a comma (most of them): a sentence without
# one skips them, which keeps the summarizer over 200 stories a second.
def _needs_comma(pattern: str) -> bool:
    """Whether every match of ``pattern`` holds a comma: one outside a character class and a
    ``{m,n}`` count, and no optional one (``,?``) that would mean some branch has none."""
    bare = re.sub(r"\[(?:\\.|[^\]])*\]", "", pattern)
    if ",?" in bare:
        return False
    return bool(re.search(r"(?<![\d{]),|,(?!\d*\})", bare))


_NEEDS_COMMA = tuple(_needs_comma(pattern.pattern) for pattern, _ in RULES)

# For each rule in RULES' order, strings one of which a sentence must hold for the rule to
# match (empty: no cheap test). Scanning for a substring costs far less than the regex.
_HINTS: tuple[tuple[str, ...], ...] = (
    ("(",),  # wire lead-in
    ("By .",),
    ("In ",),
    ("(",),
    ("-", "—", "–"),
    (",",),
    (", who",),
    (",",),
    (", who", ", which"),
    (", a ", ", an ", ", the "),
    (",",),
    ("pictured", "left", "right", "above", "below", "centre", "center"),
    (":",),
    ("said ", "says "),
    ("day", "yesterday", "last ", "this week"),
    (),  # connectives
    (",",),
    (",",),
)
assert len(_HINTS) == len(RULES), "a rule without its hint"


def compress(sentence: str) -> str:
    """Return ``sentence`` with removable spans deleted, or unchanged if that breaks it."""
    pool = set(words(sentence))
    tidy = _tidy(sentence)
    out = tidy if len(words(tidy)) >= 5 and pool.issuperset(words(tidy)) else sentence
    for (pattern, repl), needs_comma, hints in zip(RULES, _NEEDS_COMMA, _HINTS, strict=True):
        if needs_comma and "," not in out or hints and not any(h in out for h in hints):
            continue
        shorter, n = pattern.subn(repl, out)
        if not n:
            continue
        shorter = _tidy(shorter)
        # Keep a deletion only when enough of the sentence survives to stand alone.
        kept = words(shorter)
        if len(kept) >= 5 and pool.issuperset(kept) and balanced(shorter):
            out = shorter
    if "," in out:
        shorter = _tidy(_drop_trailing(out))
        if shorter != out and pool.issuperset(words(shorter)):
            out = shorter
    return out


# Where a long sentence may be cut, keeping its first clause: before a coordinated or
# subordinate clause, a semicolon or a dash.
_CLAUSE = re.compile(
    r",\s+(?:and|but|while|as(?!\s+well\s+as)|after|before|which|who|where|when|because|although"
    r"|though|with)\s+"
    r"|;\s+|\s+(?:--|—|–)\s+"
)


_DANGLING = re.compile(
    r"\b(?:and|or|but|nor|not|than|of|to|the|a|an|which|who|whom|whose|that|where|when|if"
    r"|because|as|with|for|in|on|at|by|from|however)\W*$",
    re.IGNORECASE,
)
_SHARED_VERB = re.compile(
    r"(?:[^,.;]{1,60},\s+){1,3}(?:have|has|are|were|was|is|will|would|[a-z]{3,}ed|[a-z]{3,}s)\b"
)
# A relative clause straight after the sentence's subject: the main verb comes after it.
_SUBJECT_RELATIVE = re.compile(r"^[^,]{1,60},\s+(?:who|whose|which)\b")
_PAIRED = re.compile(r"\bnot (?:just|only|merely|simply)\b", re.IGNORECASE)
# A relative clause running to the sentence's end: a reporting verb in it is the relative's
# own ("…, Leakey, who showed immense bravery …"), not the source of the head's claim, which
# "…, who fled, police said" and "…, which …, according to …" would be. Not past a dash
# ("The pair -- daughters of Linda, who died in 1998 -- were …").
_OWN_VERB_ONLY = re.compile(
    r",\s+(?:who|which)\s+(?![^,;]*\baccording\b)(?:[^,;\"“”—–-]|(?<=\w)-(?=\w))+$"
)
# A head that cites somebody says nothing without what they said: "The agency cited X, who
# said the militants crossed from Pakistan".
_CITES = re.compile(r"\b(?:cited|citing|quoted|quoting)\b", re.IGNORECASE)


# The cuts that only drop an adjunct or a further clause, never a qualifier of the first:
# "…, but he has not been charged" and "…, although the vote is disputed" stay, and so does
# a dash (it may open an aside the sentence reads on after).
_SOFT_CLAUSE = re.compile(
    r",\s+(?:and|while|as(?!\s+well\s+as)|after|before|which|who|when|because)\s+|;\s+"
)


_DASH = re.compile(r"\s(?:--|—|–)\s")
_ADJUNCT_START = re.compile(
    r"(?:before|after|while|when|in|on|at|following|as|with|amid|despite|during|until|since"
    r"|because|for)\b"
)
_CONTRAST = re.compile(r"[,;]\s+(?:but|though|although|yet)\s+")
# A clause going on with the same subject's verb: "…, but woke up one day with …".
_SAME_SUBJECT = re.compile(
    r"(?:(?:also|then|later|now|still|never|only|soon|eventually|quickly)\s+)?"
    rf"(?:{_AUX}|said|says|told|woke|went|came|took|made|got|gave|left|lost|won|kept|found"
    r"|held|saw|became|began|fell|ran|led|met|felt|thought|[a-z]{2,}ed)\b"
)
_EITHER = re.compile(r"\b(?:either|neither|both|whether|between)\b", re.IGNORECASE)
# A count or share "of" a whole, which a following relative clause narrows down.
_SHARE_OF = re.compile(
    r"\d[\d,.]*\s*(?:%|per\s*cent|million|billion|thousand|m|bn)?,?\s+of\s+(?:the\s+)?"
    r"[\w'’-]+(?:\s+[\w'’-]+)?$"
)
_CLEFT = re.compile(r"\b(?:it is|it was|it's|it’s)\b", re.IGNORECASE)


def shorten(text: str, limit: int, min_words: int = 10, *, soft: bool = False) -> str:
    """Cut ``text`` longer than ``limit`` words after its first clause of ``min_words`` or more.

    Deletion only: the kept clause is the text's own opening words, closed with a period.
    ``soft`` cuts only where the rest is an adjunct or a further clause (see ``_SOFT_CLAUSE``).
    """
    if len(words(text)) <= limit or text.rstrip(" \"'’”)").endswith("?"):
        return text  # a question cut short reads as a statement: "So is UKIP's job to …."
    fronted = bool(_FRONTED.match(text))
    for match in (_SOFT_CLAUSE if soft else _CLAUSE).finditer(text):
        head = _tidy(text[: match.start()])
        rest = text[match.end() :]
        relative = bool(re.match(r",\s+(?:who|which)\b", match.group()))
        if relative and re.match(
            rf"[^,;]{{1,100}},(?:{_GOES_ON}|\s+(?:he|she|they|it|we|I)\s)", rest
        ):
            continue  # "Sideways, which got five nominations, entered": the clause reads on
        if _EITHER.search(head) and re.search(r"\b(?:or|nor|and)\b", text[match.start() :]):
            continue  # "either issue a notice, which …, or decide": half a choice
        if relative and _CLEFT.search(head):
            continue  # "it is they, not the Tories, who are the threat": one cleft clause
        if relative and _SHARE_OF.search(head):
            continue  # "27 million, or 50%, of the UK, who are not online": which 27 million
        if fronted and (soft or "," not in head):
            continue  # the head would be the fronted clause alone, or end inside it
        closing = _DASH.search(rest) if _DASH.fullmatch(match.group()) else None
        if closing and not _ADJUNCT_START.match(rest[closing.end() :]):
            # A dash that another closes opens an aside the sentence reads on after: "showed
            # the value of mortgage approvals -- loans agreed but not yet made -- stood 32%
            # lower". Past an aside the rest may still be an adjunct: "… from 1998 to 2000 –
            # while the report was being compiled – before serving five years …".
            continue
        if (
            _ATTRIBUTION.search(rest)
            and not _ATTRIBUTION.search(head)
            and not (_OWN_VERB_ONLY.match(text, match.start()) and not _CITES.search(head))
        ):
            continue  # the cut would take the claim's source with it ("…, the IFPI reported")
        if any(
            not _SAME_SUBJECT.match(text[contrast.end() :])
            for contrast in _CONTRAST.finditer(text, match.start())
        ):
            # A contrast with a subject of its own may take back what came before ("…
            # planned to host the discussion, …, but authorities shut it down"); "…, but woke
            # up with an itchy eye" only goes on about the same subject.
            continue
        if _PAIRED.search(head) and "but" in match.group():
            continue  # "not just X, but also Y": the first half alone says the opposite
        if (
            "and" in match.group()
            and "," in head
            and (soft or len(words(head.rsplit(",", 1)[1])) <= 4)
        ):
            continue  # "A, B, and C": the last item of a list, not a clause
        if relative and re.search(r",\s+(?:and|but)\s", rest):
            continue  # "by Rahman, who …, and with Varttina": the main clause comes back
        if "and" in match.group() and re.search(r",\s+(?:who|which)\b", head):
            continue  # the same: the "and" may close the aside, not start a new clause
        if _DANGLING.search(head) or _unfinished(head):
            continue  # "… on April 11 and not, as anticipated, in …": the head is unfinished
        if _SUBJECT_RELATIVE.match(head):
            continue  # "Jones, who comes from the same state, as Scott, shared": no main verb yet
        if "and" in match.group() and _SHARED_VERB.match(rest):
            continue  # "Cantona and Solskjaer, and Sir Alex Ferguson, have …": one subject
        if "and" in match.group() and not _FINITE.search(rest):
            continue  # "with her husband, …, and two-year-old son jordan": a list, not a clause
        if len(words(head)) >= min_words and balanced(head):
            return head.rstrip(".!?") + "."
    return _drop_adjunct(text, limit, min_words) or text


# A trailing prepositional adjunct of time, cause or circumstance, as a last resort for a
# sentence still too long: "Shares in Bombardier have fallen to a 10-year low following the
# departure of its chief executive" → "Shares in Bombardier have fallen to a 10-year low."
# Not "the following day", and only where the words after it hold no verb, clause or list of
# their own, so the main clause stays whole in what is kept.
_ADJUNCT = re.compile(
    r"\s+(?=(?:following|amid|despite|during|after|ahead\s+of)\s+"
    r"(?!(?:day|week|month|year|morning|night|evening|season|weekend|game|match|party"
    r"|parties)\b))"
)
# What the adjunct may be the point of: a negation or a condition it scopes ("could not
# train after dark", "fined if their child is found on the streets during school hours"), a
# hope or a plan it is the object of ("hoped the apology would be made during Questions"),
# a permission it conditions ("are accessible after users sign up"), a concession it
# answers ("could still be elected despite dying").
_SCOPED = re.compile(
    r"\b(?:not|no|never|nothing|none|nobody|neither|nor|without|cannot|\w+n['’]t|if|unless"
    r"|when|whenever|until|once|only|hoped|hoping|expected|wanted|planned|prefer|prefers)\b"
    r"|(?-i:\b(?:accessible|available|allowed|possible|legal|illegal|open|closed|valid"
    r"|eligible|permitted)\b)",
    re.IGNORECASE,
)
_CONCEDES = re.compile(r"\b(?:still|even|yet)\b", re.IGNORECASE)
# Examples closing a sentence: "access to Ukraine's critical minerals, including lithium,
# essential for defence manufacturing" ends at "minerals". The list may hold commas.
_EXAMPLES = re.compile(r",\s+(?=including\s)")
# Words before "after" that make it part of a measure or a name, not an adjunct: "38 seconds
# after coming on", "named after", "soon after".
_MEASURE = re.compile(
    r"(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?|decades?|moments?|seasons?"
    r"|time|shortly|soon|just|long|straight|right|immediately|named|looks?|looked|looking"
    r"|took|taking|go|goes|went|came|comes|come|chasing|chased|one|ever|after|\w+ed|\w+ly)\W*",
    re.IGNORECASE,
)
# A rank is measured against what follows "after": "the second biggest after the NYSE".
# "Sixty were killed after the attack": with a death or an injury, the cause is the news.
_RANK = re.compile(
    r"\b(?:second|third|fourth|fifth|next|only|biggest|largest|best|worst|highest|lowest"
    r"|most|least|greatest|closest|richest|oldest|youngest|fastest|killed|died|dead|injured"
    r"|wounded|hurt)\b",
    re.IGNORECASE,
)
# A figure is scoped by its period: "a 45% rise during the first 10 months of 2004" keeps it.
_PERIOD = re.compile(r"\d|\b(?:years?|months?|weeks?|quarters?|decades?|season)\b", re.IGNORECASE)
_VERB_OR_CLAUSE = re.compile(
    rf"\b(?:{_AUX}|be|been|shall|who|whom|whose|which|that|what|where|when|while|if|because)\b"
    r"|\b[a-z]{3,}ed\b|[,;:()\"“”]|\s(?:-|--|—|–)\s",
    re.IGNORECASE,
)


def _drop_adjunct(text: str, limit: int, min_words: int) -> str | None:
    """``text`` less its trailing adjunct (see ``_ADJUNCT``) when that brings it to
    ``limit`` words, cutting as little as it can; None when no such cut is safe."""
    if _FRONTED.match(text):
        return None
    cuts = sorted([*_ADJUNCT.finditer(text), *_EXAMPLES.finditer(text)], key=lambda m: m.start())
    for match in reversed(cuts):
        head, tail = text[: match.start()], text[match.end() :]
        if len(words(head)) > limit:
            continue  # still too long: try the adjunct before this one
        before = head.rsplit(None, 1)[-1]
        if match.re is _EXAMPLES:
            tail = tail.replace(",", " ")
        if _MEASURE.fullmatch(before) or _VERB_OR_CLAUSE.search(tail):
            continue
        if _RANK.search(head) or re.search(r"\d", head) and _PERIOD.search(tail):
            continue
        if re.search(r"\b(?:who|whom|whose|which|that|what)\b|[:(]", head, re.IGNORECASE):
            continue  # the head may be a clause that only the tail completes
        if _ATTRIBUTION.search(tail) or _SCOPED.search(head):
            continue
        if match.re is _ADJUNCT and tail.startswith("despite") and _CONCEDES.search(head):
            continue
        listed = head.rstrip(" ,")
        if "," in listed and re.search(r"\band\b", tail):
            if not _FINITE.search(listed.rsplit(",", 1)[1]):
                continue  # a list the cut would end halfway ("…, Rougerie return after injury
                # on the wing and Jauzion in at centre")
        if re.search(r"(?:^|\s)['‘“\"`]$", head.rstrip()):
            continue  # "… the decision was made ‘ after …": the quotation it opens
        head = _tidy(head)
        if len(words(head)) < min_words or not balanced(head) or _DANGLING.search(head):
            continue
        if not _unfinished(head):
            return head.rstrip(".!?") + "."
    return None


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
