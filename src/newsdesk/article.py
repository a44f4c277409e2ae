"""Plain, frozen dataclasses that carry a story across the library/site line.

Their JSON form (``to_dict`` / ``from_dict``) is a contract fixed in DESIGN.md:
field names may be added, never renamed.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from newsdesk.errors import InputError

BlockKind = Literal["heading", "paragraph", "quote", "list"]
BLOCK_KINDS: tuple[str, ...] = ("heading", "paragraph", "quote", "list")
#: The values of ``Article.published_source``: which part of the input gave the date.
PUBLISHED_SOURCES: tuple[str, ...] = ("json-ld", "meta", "url", "text", "feed")


@dataclass(frozen=True, slots=True)
class Caption:
    """A photo caption and its credit (``AP Photo/ …``)."""

    text: str
    credit: str = ""
    image: str | None = None  # the captioned photo's address, resolved against the page
    alt: str | None = None  # the photo's alt text, where the page gives one


@dataclass(frozen=True, slots=True)
class Block:
    """One block of the Deep Look body.

    ``heading``, ``paragraph`` and ``quote`` carry ``text``; ``list`` carries ``items``.
    """

    kind: BlockKind
    text: str = ""
    items: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in BLOCK_KINDS:
            raise InputError(f"block kind {self.kind!r} is not one of {', '.join(BLOCK_KINDS)}")

    def plain_text(self) -> str:
        """The block as plain text: its text, or its items one per line."""
        return "\n".join(self.items) if self.kind == "list" else self.text

    def to_dict(self) -> dict[str, Any]:
        if self.kind == "list":
            return {"kind": self.kind, "items": list(self.items)}
        return {"kind": self.kind, "text": self.text}


@dataclass(frozen=True, slots=True)
class QuickLooks:
    """The titled box of short key-point bullets, as found in the input."""

    title: str | None = None
    bullets: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DeepLook:
    """The full story: an optional title, its dateline and its body blocks."""

    title: str | None = None
    dateline: str | None = None
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True, slots=True)
class Related:
    """The related links of a page: ``More on <section> News``, previous, next."""

    section: str | None = None
    previous: str | None = None
    next: str | None = None


@dataclass(frozen=True, slots=True)
class Article:
    """A parsed story, whatever format it arrived in."""

    headline: str = ""
    sections: tuple[str, ...] = ()
    site: str | None = None
    dateline: str | None = None
    author: str | None = None
    edition: str | None = None
    published: datetime | None = None
    summary: str | None = None
    captions: tuple[Caption, ...] = ()
    quick_looks: QuickLooks = field(default_factory=QuickLooks)
    deep_look: DeepLook = field(default_factory=DeepLook)
    related: Related = field(default_factory=Related)
    source_url: str | None = None
    warnings: tuple[str, ...] = ()
    #: The input had no headline line: ``headline`` was suggested from the story's lead.
    headline_suggested: bool = False
    #: Where ``published`` came from: ``json-ld``, ``meta``, ``url``, ``text``, ``feed`` or None.
    published_source: str | None = None

    @property
    def body_text(self) -> str:
        """The Deep Look body as plain text, one block per paragraph."""
        return "\n\n".join(b.plain_text() for b in self.deep_look.blocks if b.plain_text())

    def to_dict(self) -> dict[str, Any]:
        """The Article JSON (DESIGN.md) as plain Python data."""
        return {
            "headline": self.headline,
            "sections": list(self.sections),
            "site": self.site,
            "dateline": self.dateline,
            "author": self.author,
            "edition": self.edition,
            "published": self.published.isoformat() if self.published else None,
            "summary": self.summary,
            "captions": [dataclasses.asdict(c) for c in self.captions],
            "quick_looks": {
                "title": self.quick_looks.title,
                "bullets": list(self.quick_looks.bullets),
            },
            "deep_look": {
                "title": self.deep_look.title,
                "dateline": self.deep_look.dateline,
                "blocks": [b.to_dict() for b in self.deep_look.blocks],
            },
            "related": dataclasses.asdict(self.related),
            "source_url": self.source_url,
            "warnings": list(self.warnings),
            "headline_suggested": self.headline_suggested,
            "published_source": self.published_source,
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """Build an Article from its JSON form; raises InputError naming a bad field."""
        if not isinstance(data, dict):
            raise InputError(f"Article JSON must be an object, not {type(data).__name__}")
        try:
            published = data.get("published")
            ql = data.get("quick_looks") or {}
            dl = data.get("deep_look") or {}
            rel = data.get("related") or {}
            return cls(
                headline=str(data.get("headline") or ""),
                sections=tuple(str(s) for s in data.get("sections") or ()),
                site=data.get("site"),
                dateline=data.get("dateline"),
                author=data.get("author"),
                edition=data.get("edition"),
                published=datetime.fromisoformat(published) if published else None,
                summary=data.get("summary"),
                captions=tuple(
                    Caption(
                        text=c["text"],
                        credit=c.get("credit") or "",
                        image=c.get("image"),
                        alt=c.get("alt"),
                    )
                    for c in data.get("captions") or ()
                ),
                quick_looks=QuickLooks(
                    title=ql.get("title"), bullets=tuple(str(b) for b in ql.get("bullets") or ())
                ),
                deep_look=DeepLook(
                    title=dl.get("title"),
                    dateline=dl.get("dateline"),
                    blocks=tuple(
                        Block(
                            kind=b["kind"],
                            text=b.get("text") or "",
                            items=tuple(b.get("items") or ()),
                        )
                        for b in dl.get("blocks") or ()
                    ),
                ),
                related=Related(
                    section=rel.get("section"), previous=rel.get("previous"), next=rel.get("next")
                ),
                source_url=data.get("source_url"),
                warnings=tuple(data.get("warnings") or ()),
                headline_suggested=bool(data.get("headline_suggested")),
                published_source=data.get("published_source"),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InputError(f"Article JSON is malformed: {exc!r}") from exc

    @classmethod
    def from_json(cls, text: str) -> Article:
        try:
            return cls.from_dict(json.loads(text))
        except json.JSONDecodeError as exc:
            raise InputError(f"Article JSON is not valid JSON: {exc}") from exc


@dataclass(frozen=True, slots=True)
class Bullet:
    """One Quick Looks bullet and the indices of the story sentences it came from.

    ``original`` is the source sentence when the summarizer cut words from it to write the
    bullet (so an editor can see what was cut), and empty when the bullet is the sentence
    as the story has it.
    """

    text: str
    source_sentences: tuple[int, ...] = ()
    original: str = ""

    @property
    def compressed(self) -> bool:
        return bool(self.original)


@dataclass(frozen=True, slots=True)
class Looks:
    """What the summarizer writes: the dek, the bullets, a headline and a box title."""

    dek: str
    bullets: tuple[Bullet, ...]
    headline: str
    title: str | None = None
    sentences: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "dek": self.dek,
            "bullets": [
                {
                    "text": b.text,
                    "source_sentences": list(b.source_sentences),
                    "compressed": b.compressed,
                    "original": b.original or None,
                }
                for b in self.bullets
            ],
            "headline": self.headline,
            "title": self.title,
            "sentences": list(self.sentences),
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Looks:
        try:
            return cls(
                dek=str(data["dek"]),
                bullets=tuple(
                    Bullet(
                        text=str(b["text"]),
                        source_sentences=tuple(int(i) for i in b.get("source_sentences") or ()),
                        original=str(b.get("original") or ""),
                    )
                    for b in data.get("bullets") or ()
                ),
                headline=str(data.get("headline") or ""),
                title=data.get("title"),
                sentences=tuple(data.get("sentences") or ()),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InputError(f"Looks JSON is malformed: {exc!r}") from exc
