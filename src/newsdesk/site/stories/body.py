"""A story's body: the library's ``Block`` list, stored as JSON in ``Story.blocks``.

Every reader of the body (the story page, the API, the search index, revisions, the desk's
copy tools) reads it through ``Body.from_json`` (or ``Story.body_blocks()``), and every writer
stores ``Body(...).to_json()``, so the JSON shape is decided here once.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from newsdesk.article import BLOCK_KINDS, Block


@dataclass(frozen=True, slots=True)
class Body:
    """The Deep Look body blocks of one story, in order."""

    blocks: tuple[Block, ...] = ()

    @classmethod
    def of(cls, blocks: Iterable[Block]) -> Body:
        return cls(tuple(blocks))

    @classmethod
    def from_json(cls, value: Any) -> Body:
        """The body a ``Story.blocks`` value holds.

        The column can hold what an editor typed into the admin's JSON box, so reading is
        lenient: entries that are not objects are skipped, a missing or unknown kind reads
        as a paragraph (the story page has always shown it as one), and list items and
        text are read as strings.
        """
        blocks = []
        for entry in value if isinstance(value, list) else ():
            if not isinstance(entry, dict):
                continue
            kind = entry.get("kind")
            kind = kind if kind in BLOCK_KINDS else "paragraph"
            items = entry.get("items")
            items = tuple(str(i) for i in items) if isinstance(items, list) else ()
            text = entry.get("text")
            text = "" if text is None else str(text)
            if kind == "list":
                blocks.append(Block("list", items=items))
            else:
                blocks.append(Block(kind, text))
        return cls(tuple(blocks))

    def to_json(self) -> list[dict[str, Any]]:
        """The JSON ``Story.blocks`` stores (the library's ``Block.to_dict`` shape)."""
        return [b.to_dict() for b in self.blocks]

    def text(self) -> str:
        """The body as plain text: one block a paragraph, a list's items one per line."""
        return "\n\n".join(t for b in self.blocks if (t := b.plain_text()))

    def __iter__(self) -> Iterator[Block]:
        return iter(self.blocks)

    def __len__(self) -> int:
        return len(self.blocks)

    def __bool__(self) -> bool:
        return bool(self.blocks)
