"""Plain text: the Quick Looks page layout (see ``seed/newslooks-article.txt``) and wire copy.

Quick Looks layout, top to bottom::

    Top StoryUS                                   section labels, glued
    Headline                                      headline
    Headline/ Site/ DATELINE/ Author/ Morning Edition/ Summary…
    FILE – caption … (AP Photo/ Name, File)       captions, anywhere
    Title: Quick Looks                            the box title, then "  • " bullets
    Deep Look: Title                              the body title
    DATELINEFirst paragraph…                      dateline, maybe glued to the text
    Subhead / paragraph / “quote” / • list …
    More on US News / Previous Article / Next Article
    How useful was this article? …                rating widget and menus: dropped

Wire copy: first line the headline, ``By NAME`` and ``Associated Press`` bylines,
``CITY (AP) — `` dateline, ``___`` end marks, ``contributed to this report`` lines.
"""

from __future__ import annotations

import re

from newsdesk.article import Article, Caption, DeepLook, QuickLooks, Related
from newsdesk.errors import ParseError
from newsdesk.parse.blocks import BULLET, lines_to_blocks
from newsdesk.parse.boilerplate import is_chrome_line
from newsdesk.parse.captions import is_caption_line, split_credit
from newsdesk.parse.datelines import AGENCIES, split_dateline

# Section labels a Newslooks page prints above the headline, longest first when matching.
KNOWN_SECTIONS = (
    "Top Story",
    "Top Stories",
    "Breaking News",
    "Featured",
    "Trending",
    "Editor's Pick",
    "US",
    "U.S.",
    "World",
    "Politics",
    "Business",
    "Economy",
    "Markets",
    "Finance",
    "Money",
    "Technology",
    "Tech",
    "Science",
    "Health",
    "Sports",
    "Entertainment",
    "Lifestyle",
    "Travel",
    "Opinion",
    "Culture",
    "Arts",
    "Education",
    "Environment",
    "Climate",
    "Weather",
    "Crime",
    "Local",
    "National",
    "International",
    "Europe",
    "Asia",
    "Africa",
    "Middle East",
    "Americas",
    "Latin America",
    "Canada",
    "UK",
    "Food",
    "Real Estate",
    "Autos",
    "Video",
)
_QUICK_TITLE = re.compile(r"^(?P<title>.*\S)\s*:\s*Quick Looks\s*$|^Quick Looks\s*$", re.I)
_DEEP_TITLE = re.compile(r"^Deep Look\s*:\s*(?P<title>\S.*)$", re.I)
_MORE_ON = re.compile(r"^More on (?P<section>.+?)(?: News)?$")
_EDITION = re.compile(
    r"\b(?:Morning|Evening|Afternoon|Weekend|Midday|Night|Late)\s+Edition\b", re.I
)
_BYLINE = re.compile(r"^By\s+(?P<name>[^\s].{1,120})$")
_AGENCY_LINE = re.compile(
    r"^(?:The\s+)?(?:Associated Press|AP|Reuters|AFP|Agence France-Presse|Bloomberg News|CNN)"
    r"(?:\s+[A-Z][\w-]*){0,4}$"
)
_END_MARK = re.compile(r"^\s*(?:_{3,}|-{3,}|\*{3,}|#{3,}|={3,})\s*$")
_CONTRIBUTED = re.compile(r"contributed (?:to )?(?:this |the )?report|contributed reporting", re.I)
_NOTE = re.compile(
    r"^(?:EDITOR[’']?S NOTE|Editor[’']?s note|CORRECTION|Correction|CLARIFICATION|UPDATE)\b"
)
_FOLLOW = re.compile(r"^(?:Follow|Read more|Find more|More (?:AP|on) )\b.{0,150}$")


def parse_text(text: str, name: str, *, url: str | None = None) -> Article:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    if not any(line.strip() for line in lines):
        raise ParseError(f"{name}: empty input")
    if _is_page_layout(lines):
        return _parse_page(lines, name, url)
    return _parse_wire(lines, name, url)


def _is_page_layout(lines: list[str]) -> bool:
    stripped = [line.strip() for line in lines if line.strip()]
    if any(_QUICK_TITLE.match(s) or _DEEP_TITLE.match(s) for s in stripped):
        return True
    return _find_slug(stripped) is not None


def _find_slug(lines: list[str]) -> int | None:
    """Index of the slug line ``Headline/ Site/ DATELINE/ …`` among the first lines."""
    for i, line in enumerate(lines[:6]):
        parts = line.split("/ ")
        if len(parts) >= 4 and i > 0 and parts[0].strip() == lines[i - 1].strip():
            return i
    return None


def split_sections(label_line: str) -> list[str]:
    """``"Top StoryUS"`` → ``["Top Story", "US"]``: known labels first, then camel glue."""
    out: list[str] = []
    rest = label_line.strip()
    known = sorted(KNOWN_SECTIONS, key=len, reverse=True)
    while rest:
        for label in known:
            if rest.startswith(label) and (
                len(rest) == len(label) or not rest[len(label)].islower()
            ):
                out.append(label)
                rest = rest[len(label) :].lstrip(" ,|·•/")
                break
        else:
            m = re.match(
                r"^(.+?)(?:(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])|\s*[|·•/,]\s*|$)", rest
            )
            piece = m.group(1).strip() if m else rest
            out.append(piece)
            rest = rest[len(m.group(0)) if m else len(rest) :].lstrip(" ,|·•/")
    return [s for s in out if s]


def _parse_slug(line: str) -> dict[str, str | None]:
    parts = [p.strip() for p in line.split("/ ")]
    out: dict[str, str | None] = {
        "headline": parts[0],
        "site": None,
        "dateline": None,
        "author": None,
        "edition": None,
        "summary": None,
    }
    fields = parts[1:]
    # site, DATELINE, author, edition — each optional but in that order; the summary is the rest.
    if fields and not fields[0].isupper() and len(fields[0].split()) <= 4:
        out["site"] = fields.pop(0)
    if fields and fields[0].isupper() and len(fields[0].split()) <= 5:
        out["dateline"] = fields.pop(0)
    if (
        fields
        and len(fields) > 1
        and len(fields[0].split()) <= 5
        and not _EDITION.search(fields[0])
    ):
        out["author"] = fields.pop(0)
    if fields and len(fields) > 1 and _EDITION.search(fields[0]):
        out["edition"] = fields.pop(0)
    summary = "/ ".join(fields).strip()
    out["summary"] = summary or None
    return out


def _parse_page(lines: list[str], name: str, url: str | None) -> Article:
    # 1. drop chrome; cut at the related links, reading them as we go
    body: list[str] = []
    related = {"section": None, "previous": None, "next": None}
    i = 0
    cut = False
    while i < len(lines):
        s = lines[i].strip()
        m = _MORE_ON.match(s)
        if m and len(s) < 80:
            related["section"] = m.group("section").strip()
            cut = True
        elif s in ("Previous Article", "Next Article", "Previous article", "Next article"):
            j = i + 1
            while j < len(lines) and not lines[j].strip():
                j += 1
            if j < len(lines) and not is_chrome_line(lines[j]):
                related["previous" if s.startswith("Previous") else "next"] = lines[j].strip()
                i = j
            cut = True
        elif not cut and not is_chrome_line(s):
            body.append(lines[i])
        i += 1

    nonblank = [line.strip() for line in body if line.strip()]
    if not nonblank:
        raise ParseError(f"{name}: page text has no story in it")

    # 2. labels, headline, slug
    sections: list[str] = []
    slug_at = _find_slug(nonblank)
    slug: dict[str, str | None] = {}
    if slug_at is not None:
        headline = nonblank[slug_at - 1]
        for label_line in nonblank[: slug_at - 1]:
            sections.extend(split_sections(label_line))
        slug = _parse_slug(nonblank[slug_at])
        rest = nonblank[slug_at + 1 :]
    else:
        first_title = next(
            (k for k, s in enumerate(nonblank) if _QUICK_TITLE.match(s) or _DEEP_TITLE.match(s)), 0
        )
        head = nonblank[:first_title] or nonblank[:1]
        if len(head) >= 2 and len(head[0]) < 60 and len(head[1]) >= len(head[0]) // 2:
            sections = split_sections(head[0])
            headline = head[1]
            rest = nonblank[2:]
        else:
            headline = head[0]
            rest = nonblank[1:]

    # 3. captions, Quick Looks box, Deep Look
    captions: list[Caption] = []
    ql_title: str | None = None
    bullets: list[str] = []
    dl_title: str | None = None
    deep: list[str] = []
    state = "lead"  # lead → quick → deep
    lead: list[str] = []
    for line in rest:
        if is_caption_line(line):
            text, credit = split_credit(line)
            captions.append(Caption(text=text, credit=credit))
            continue
        if _QUICK_TITLE.match(line) and state != "deep":
            ql_title, state = line, "quick"
            continue
        if _DEEP_TITLE.match(line) and dl_title is None:
            dl_title, state = line, "deep"
            continue
        if state == "quick":
            m = BULLET.match(line)
            if m:
                bullets.append(" ".join(m.group("item").split()))
                continue
            state = "deep"
        (deep if state == "deep" else lead).append(line)
    summary = slug.get("summary")
    if lead and not deep and dl_title is None:
        deep, lead = lead, []
    if lead and not summary:
        summary, lead = lead[0], lead[1:]
    deep = lead + deep

    dl_dateline = None
    if deep:
        d = split_dateline(deep[0], glued=True)
        if d:
            dl_dateline, deep[0] = d.printed, d.rest
    blocks = lines_to_blocks(deep)

    return Article(
        headline=slug.get("headline") or headline,
        sections=tuple(sections),
        site=slug.get("site"),
        dateline=slug.get("dateline") or (dl_dateline.split(" (")[0] if dl_dateline else None),
        author=slug.get("author"),
        edition=slug.get("edition"),
        summary=summary,
        captions=tuple(captions),
        quick_looks=QuickLooks(title=ql_title, bullets=tuple(bullets)),
        deep_look=DeepLook(title=dl_title, dateline=dl_dateline, blocks=tuple(blocks)),
        related=Related(**related),
        source_url=url,
    )


def _paragraphs(lines: list[str]) -> list[str]:
    """Logical lines: blank-line separated paragraphs with wrapped lines joined;
    bullets and short lines standing alone stay separate."""
    has_blank = any(not line.strip() for line in lines)
    out: list[str] = []
    cur: list[str] = []
    for line in lines:
        if not line.strip():
            if cur:
                out.append(" ".join(cur))
                cur = []
            continue
        if not has_blank or BULLET.match(line) or _END_MARK.match(line) or _standalone(line):
            if cur:
                out.append(" ".join(cur))
                cur = []
            out.append(line.strip() if not BULLET.match(line) else line)
            continue
        cur.append(line.strip())
    if cur:
        out.append(" ".join(cur))
    return out


def _standalone(line: str) -> bool:
    """Byline and agency lines stand alone even without blank lines around them."""
    s = line.strip()
    return bool(_BYLINE.match(s) and len(s.split()) <= 14 or _AGENCY_LINE.match(s))


# A headline line is short and is not a sentence: wire headlines run to about 15 words
# (AP style: 12 or fewer), and the longest in ../shared/data/pages has 22.
_HEADLINE_MAX_WORDS = 22
_SENTENCE_END = re.compile(r"[.:;,]['\"’”)]*$")
# The first sentence of a text, for a suggested headline.
_FIRST_SENTENCE = re.compile(r"^(.+?[.!?])['\"’”)]*(?:\s+(?=['\"‘“(]?[A-Z0-9])|$)", re.S)
_SUGGESTED_MAX_WORDS = 14
_DANGLING = frozenset(
    "a an the of to for with and or but in on at by from as that which who whose than "
    "its his her their our my your this these those is are was were be been has have had "
    "will would can could should may might".split()
)


def _is_headline_line(line: str) -> bool:
    """Whether the first line of plain text is a headline: short, no final period, and not
    the story's opening (no dateline, byline or agency line). A lone line like that is a
    headline with no story under it, which the caller refuses as having no story text."""
    s = line.strip()
    if not s:
        return False
    if len(s.split()) > _HEADLINE_MAX_WORDS or _SENTENCE_END.search(s):
        return False
    if split_dateline(s) or _BYLINE.match(s) or _AGENCY_LINE.match(s) or BULLET.match(s):
        return False
    return True


def suggest_headline(text: str) -> str:
    """A headline for a story that came without one: its first sentence, cut to its first
    clause when long, else to its first words at a word boundary (marked with an ellipsis)."""
    text = " ".join(text.split())
    m = _FIRST_SENTENCE.match(text)
    sentence = (m.group(1) if m else text).rstrip(".")
    words = sentence.split()
    if len(words) <= _SUGGESTED_MAX_WORDS:
        return sentence
    clause = re.split(r",\s|;\s|\s[—–]\s", sentence, maxsplit=1)[0]
    if 5 <= len(clause.split()) <= _SUGGESTED_MAX_WORDS:
        return clause
    cut = words[:_SUGGESTED_MAX_WORDS]
    while len(cut) > 5 and cut[-1].lower().strip(",;:") in _DANGLING:
        cut.pop()  # "…has condemned the" reads as broken: end on a content word
    return " ".join(cut).rstrip(",;:") + "…"


def _parse_wire(lines: list[str], name: str, url: str | None) -> Article:
    nonblank_start = next(k for k, line in enumerate(lines) if line.strip())
    if _is_headline_line(lines[nonblank_start]):
        headline = lines[nonblank_start].strip()
        paras = _paragraphs(lines[nonblank_start + 1 :])
    else:  # no headline line: the whole text is the story, and a headline is suggested
        headline = None
        paras = _paragraphs(lines[nonblank_start:])
    author = site = dateline = printed = None
    body: list[str] = []
    story_started = False  # a paragraph of the story proper (not a note) has been seen
    ended = False
    for p in paras:
        s = p.strip()
        if ended:
            continue  # notes after the ___ end mark: contributors, links, bios
        if _END_MARK.match(s):
            ended = bool(body)
            continue
        if not story_started and author is None and _BYLINE.match(s) and len(s.split()) <= 14:
            author = _BYLINE.match(s).group("name").strip()
            author = re.sub(r"\s*(?:,|\s)\s*(?:Associated Press|AP)\b.*$", "", author) or author
            continue
        if not story_started and _AGENCY_LINE.match(s):
            site = site or s
            continue
        if _CONTRIBUTED.search(s) and len(s) < 300:
            continue
        if _NOTE.match(s):
            body.append(s)
            continue
        if not story_started and dateline is None:
            d = split_dateline(s)
            if d:
                dateline, printed = d.place, d.printed
                site = site or (AGENCIES.get(d.agency or "") or d.agency)
                s = d.rest
        story_started = True
        body.append(s if not BULLET.match(p) else p)
    if site and site.startswith("The "):
        site = site[4:]
    blocks = lines_to_blocks(body)
    suggested = headline is None
    if suggested:
        headline = suggest_headline(blocks[0].plain_text()) if blocks else ""
    return Article(
        headline=headline,
        headline_suggested=suggested,
        site=site,
        dateline=dateline,
        author=author,
        deep_look=DeepLook(title=None, dateline=printed, blocks=tuple(blocks)),
        source_url=url,
    )
