"""Bylines and authors: which of the newsroom's authors a byline names, and the byline as
pieces a page can link.

A byline is the text the source or the desk wrote ("By Jane Doe and Associated Press").
Each name in it that equals an Author's name (ignoring case and spacing) links the story to
that author, in byline order; any other name (a wire service, a freelancer with no profile)
stays plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsdesk.site.stories.models import Author, Story, StoryAuthor

# "By " in front; names apart by commas, semicolons, "&" or "and".
_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)
_SEPARATOR = re.compile(r"(\s*(?:,|;|&|\band\b)\s*)", re.IGNORECASE)


def name_key(name: str) -> str:
    """How two spellings of one name compare: case and spacing ignored."""
    return " ".join(name.split()).casefold()


def names_in(byline: str) -> list[str]:
    """The names a byline lists, in order: ``"By Jane Doe and AP"`` → ``["Jane Doe", "AP"]``."""
    parts = _SEPARATOR.split(_BY.sub("", byline or ""))
    return [p.strip() for p in parts[::2] if p.strip()]


def authors_named(byline: str) -> list[Author]:
    """The stored authors a byline names, in byline order, each once (one query)."""
    names = names_in(byline)
    if not names:
        return []
    # Names are few and short: compare in Python so "jane  DOE" finds "Jane Doe" on any database.
    found: dict[str, Author] = {}
    for author in Author.objects.filter(name__iregex=_any_of(names)):
        found.setdefault(name_key(author.name), author)
    out: list[Author] = []
    for name in names:
        author = found.get(name_key(name))
        if author is not None and author not in out:
            out.append(author)
    return out


def _any_of(names: list[str]) -> str:
    words = (r"\s+".join(re.escape(w) for w in n.split()) for n in names)
    return r"^\s*(" + "|".join(words) + r")\s*$"


def link_authors(story: Story) -> list[Author]:
    """Set ``story``'s authors to those its byline names (none: the byline stays plain text).

    Returns the authors linked. Touches only the story↔author rows, so it never bumps the
    story's own edit time.
    """
    authors = authors_named(story.author)
    current = list(
        StoryAuthor.objects.filter(story=story)
        .order_by("order", "id")
        .values_list("author_id", flat=True)
    )
    if current == [a.pk for a in authors]:
        return authors
    StoryAuthor.objects.filter(story=story).delete()
    StoryAuthor.objects.bulk_create(
        StoryAuthor(story=story, author=a, order=i) for i, a in enumerate(authors)
    )
    return authors


@dataclass(frozen=True)
class Piece:
    """A run of a byline: text, and the author it names when it names one."""

    text: str
    author: Author | None = None
    is_name: bool = True  # False for a separator (", ", " and ")


def byline_pieces(story: Story) -> list[Piece]:
    """The story's byline as pieces, names of its linked authors carrying the author.

    Reads ``story.authors.all()`` (prefetch it for lists). A story with authors but no
    byline text gets their names joined by commas and "and".
    """
    authors = list(story.authors.all())
    by_key = {name_key(a.name): a for a in authors}
    byline = _BY.sub("", story.author or "").strip()
    if not byline and authors:
        names = [a.name for a in authors]
        byline = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
    pieces = []
    for i, part in enumerate(_SEPARATOR.split(byline)):
        if not part:
            continue
        if i % 2:
            pieces.append(Piece(part, is_name=False))
        else:
            pieces.append(Piece(part, by_key.get(name_key(part))))
    return pieces
