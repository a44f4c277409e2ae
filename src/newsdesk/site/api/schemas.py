"""The API's JSON shapes (pydantic, through django-ninja): what the OpenAPI schema shows."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

BlockKind = Literal["heading", "paragraph", "quote", "list"]


# --- Read -------------------------------------------------------------------------------------


class SectionOut(Schema):
    name: str
    slug: str
    url: str


class EditionRef(Schema):
    date: date
    period: Literal["morning", "evening"]
    name: str
    url: str


class StoryTeaser(Schema):
    headline: str
    slug: str
    url: str
    summary: str
    published_at: datetime | None


class BulletOut(Schema):
    text: str
    source_sentences: list[int]


class QuickLooksOut(Schema):
    title: str
    bullets: list[BulletOut]


class CaptionOut(Schema):
    text: str
    credit: str
    image_url: str  # where the source had the image (it is fetched from there, once)
    alt_text: str
    photo: str | None = None  # the stored photo's address on this site, if it was stored


class BlockOut(Schema):
    kind: str
    text: str = ""
    items: list[str] = []


class DeepLookOut(Schema):
    title: str
    dateline: str
    blocks: list[BlockOut]


class StoryOut(StoryTeaser):
    site: str
    dateline: str
    author: str
    status: str
    is_top_story: bool
    edition: EditionRef | None
    sections: list[SectionOut]
    captions: list[CaptionOut]
    quick_looks: QuickLooksOut
    deep_look: DeepLookOut
    source_url: str
    attribution: str


class StoryPage(Schema):
    count: int
    page: int
    pages: int
    results: list[StoryTeaser]


class EditionPage(Schema):
    count: int
    page: int
    pages: int
    results: list[EditionRef]


class EditionOut(EditionRef):
    stories: list[StoryTeaser]


class SearchHit(StoryTeaser):
    headline_html: str = Field(description="The headline, HTML-escaped, matches in <mark>.")
    snippet_html: str = Field(
        description="A passage of the story, HTML-escaped, matches in <mark>."
    )
    score: float


class SearchPage(Schema):
    query: str
    count: int
    page: int
    pages: int
    results: list[SearchHit]


class Problem(Schema):
    detail: str


# --- Write: the Article JSON contract (newsdesk.article, DESIGN.md) ---------------------------


class CaptionIn(Schema):
    text: str = Field(max_length=10_000)
    credit: str = Field("", max_length=300)
    image: str | None = Field(None, max_length=1000)


class QuickLooksIn(Schema):
    title: str | None = Field(None, max_length=300)
    bullets: list[str] = Field([], max_length=50)


class BlockIn(Schema):
    kind: BlockKind
    text: str = Field("", max_length=100_000)
    items: list[str] = Field([], max_length=500)


class DeepLookIn(Schema):
    title: str | None = Field(None, max_length=300)
    dateline: str | None = Field(None, max_length=100)
    blocks: list[BlockIn] = Field([], max_length=2000)


class RelatedIn(Schema):
    section: str | None = None
    previous: str | None = None
    next: str | None = None


class ArticleIn(Schema):
    """An Article as JSON; a story needs a headline or a Deep Look body."""

    headline: str = Field("", max_length=300)
    sections: list[str] = Field([], max_length=20)
    site: str | None = Field(None, max_length=100)
    dateline: str | None = Field(None, max_length=100)
    author: str | None = Field(None, max_length=200)
    edition: str | None = Field(None, max_length=100)
    published: datetime | None = None
    summary: str | None = Field(None, max_length=10_000)
    captions: list[CaptionIn] = Field([], max_length=50)
    quick_looks: QuickLooksIn = QuickLooksIn()
    deep_look: DeepLookIn = DeepLookIn()
    related: RelatedIn = RelatedIn()
    source_url: str | None = Field(None, max_length=1000)


class StoredOut(Schema):
    outcome: Literal["ingested", "updated", "duplicate"]
    story: StoryOut


class IngestedOut(Schema):
    count: int
    stories: list[StoredOut]
