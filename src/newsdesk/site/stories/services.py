"""The Article <-> Story mapping: ``create_story`` and ``update_story`` write an Article (and
its Looks) into the site's tables, ``story_article`` reads a Story back as an Article.

Deciding whether an input is new, an update or a duplicate, who may change what, the search
index and the audit trail are the callers' (``ingestion.store.ingest``): this module
imports no other app.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.utils import timezone
from django.utils.text import slugify

from newsdesk.article import Article, DeepLook, Looks
from newsdesk.errors import SummarizeError
from newsdesk.site.stories.body import Body
from newsdesk.site.stories.bylines import link_authors
from newsdesk.site.stories.models import (
    Caption,
    Edition,
    QuickLookBullet,
    Section,
    Story,
    StorySection,
    Tag,
)
from newsdesk.site.weburls import is_web_url
from newsdesk.summarize import summarize

EDITION_NAMES = {"morning edition": Edition.MORNING, "evening edition": Edition.EVENING}


SLUG_CHARS = 100  # the column holds 120: room for a "-2" suffix


def _slug_base(headline: str) -> str:
    """The headline's slug, cut at a word boundary (never ``…at-the-suprem``)."""
    slug = slugify(headline) or "story"
    if len(slug) <= SLUG_CHARS:
        return slug
    cut = slug[: SLUG_CHARS + 1].rfind("-")
    return slug[:cut] if cut > 0 else slug[:SLUG_CHARS]


def _unique_slug(headline: str) -> str:
    base = _slug_base(headline)
    slug, n = base, 2
    while Story.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


# Page roles a source's labels name: flags on the story, never sections or tags.
PAGE_ROLES = {"top story": "is_top_story", "breaking": "is_breaking", "featured": "is_featured"}
EARLIEST = datetime(1990, 1, 1, tzinfo=UTC)  # before the web's news sites: a placeholder
FUTURE_SLACK = timedelta(days=1)


def plausible_date(value: datetime | None, now: datetime | None = None) -> datetime | None:
    """``value`` when it can be a story's publication time, else None.

    Placeholders (``0001-01-01``, the epoch) and dates more than a day ahead are missing
    dates: a story goes out with the ingest time rather than as year 1.
    """
    if value is None:
        return None
    if value.tzinfo is None:
        value = timezone.make_aware(value, UTC)
    now = now or timezone.now()
    if value < EARLIEST or value > now + FUTURE_SLACK:
        return None
    return value


def _label_key(label: str) -> str:
    return " ".join(label.split()).strip().lower()


def sort_labels(labels) -> tuple[list[Section], list[str], set[str]]:
    """A source's labels as (existing sections they name, tag names, page-role flags).

    A label names a section when it equals the section's name or slug (ignoring case);
    ingest never creates a section. Role labels ("Top Story", "Breaking", "Featured")
    become flags; every other label is a tag.
    """
    sections: dict[int, Section] = {}
    tags: dict[str, str] = {}
    flags: set[str] = set()
    by_key = {}
    for section in Section.objects.all():
        by_key.setdefault(_label_key(section.name), section)
        by_key.setdefault(section.slug, section)
    for label in labels:
        key = _label_key(label)
        if not key:
            continue
        if key in PAGE_ROLES:
            flags.add(PAGE_ROLES[key])
            continue
        section = by_key.get(key) or by_key.get(slugify(label))
        if section is not None:
            sections.setdefault(section.pk, section)
        else:
            tags.setdefault(slugify(label)[:100] or key[:100], " ".join(label.split())[:100])
    return list(sections.values()), list(tags.values()), flags


def _tags(names: list[str]) -> list[Tag]:
    """The tags named, created as needed; names with the same slug are one tag."""
    out: dict[int, Tag] = {}
    for name in names:
        slug = slugify(name)[:100]
        if not slug:
            continue
        tag, _ = Tag.objects.get_or_create(slug=slug, defaults={"name": name[:100]})
        out.setdefault(tag.pk, tag)
    return list(out.values())


def _edition(article: Article, published: datetime) -> Edition:
    period = EDITION_NAMES.get((article.edition or "").strip().lower()) or Edition.period_of(
        published
    )
    edition, _ = Edition.objects.get_or_create(date=timezone.localdate(published), period=period)
    return edition


def _clip(value: str | None, field: str, model=Story) -> str:
    """``value`` cut to the width of ``model``'s column ``field``."""
    return (value or "")[: model._meta.get_field(field).max_length]


def _article_fields(article: Article, looks: Looks | None) -> dict:
    """The Story columns an Article (and its Looks) fill, each cut to its column's width."""
    return {
        "summary": article.summary or (looks.dek if looks else ""),
        "site_name": _clip(article.site, "site_name"),
        "dateline": _clip(article.dateline, "dateline"),
        "author": _clip(article.author, "author"),
        "quick_looks_title": _clip(
            article.quick_looks.title or (looks.title if looks and looks.title else ""),
            "quick_looks_title",
        ),
        "deep_look_title": _clip(article.deep_look.title, "deep_look_title"),
        "deep_look_dateline": _clip(
            article.deep_look.dateline or article.dateline, "deep_look_dateline"
        ),
        "blocks": Body.of(article.deep_look.blocks).to_json(),
    }


# What a newer version without them leaves as the story had them.
KEPT_WHEN_MISSING = ("summary", "site_name", "dateline", "author", "quick_looks_title")


def _url(value: str | None) -> str:
    """An http(s) URL that fits its column, or nothing.

    A cut URL would point elsewhere; any other scheme (``javascript:``, ``data:``, a
    scheme-relative ``//host``) would become a live link or image source on the site.
    """
    value = (value or "").strip()
    if not value or len(value) > 1000 or not is_web_url(value):
        return ""
    return value


def _bullets(article: Article, looks: Looks | None) -> list[tuple[str, list[int], str]]:
    """(text, source sentence indices, the sentence compressed into it or "") per bullet."""
    # The input's own Quick Looks (written by its editors) win over the machine's.
    if article.quick_looks.bullets:
        return [(text, [], "") for text in article.quick_looks.bullets]
    if looks:
        return [(b.text, list(b.source_sentences), b.original) for b in looks.bullets]
    return []


def _bullet(text: str) -> str:
    return _clip(text, "text", QuickLookBullet)


def _looks(article: Article, looks: Looks | None) -> Looks | None:
    if looks is not None:
        return looks
    try:
        return summarize(article)
    except SummarizeError:
        return None


def _captions(story: Story, article: Article) -> None:
    Caption.objects.bulk_create(
        Caption(
            story=story,
            order=i,
            text=c.text,
            credit=_clip(c.credit, "credit", Caption),
            image_url=_url(c.image),
        )
        for i, c in enumerate(article.captions)
    )


def differs(story: Story, article: Article) -> bool:
    """Whether ``article`` says something ``story`` does not: headline, summary or body."""
    return (
        (article.headline and _clip(article.headline, "headline") != story.headline)
        or (article.summary and article.summary != story.summary)
        or Body.of(article.deep_look.blocks).to_json() != story.blocks
    )


def is_newer(story: Story, article: Article) -> bool:
    """An undated version counts as newer: it is the one arriving now."""
    return (
        article.published is None
        or story.published_at is None
        or (article.published >= story.published_at)
    )


def update_story(
    story: Story, article: Article, looks: Looks | None = None, *, section: Section | None = None
) -> Story:
    """Bring ``story`` up to a newer version of it, keeping its URL and locked bullets.

    The headline, summary, body, captions and unlocked Quick Looks follow the new
    version; the slug, status, edition, publication time and owner stay; a changed byline,
    or one on a story with no authors yet, links the authors it names (authors the desk set
    by hand stay while the byline does); new sections
    (``section``, else the sections its labels name) are added after the story's own,
    other labels are added as tags.
    """
    looks = _looks(article, looks)
    byline = story.author
    if article.headline:
        story.headline = _clip(article.headline, "headline")
    for name, value in _article_fields(article, looks).items():
        if value or name not in KEPT_WHEN_MISSING:
            setattr(story, name, value)
    story.source_url = story.source_url or _url(article.source_url)
    sections, tag_names, flags = sort_labels(article.sections)
    if section is not None:
        sections = [section]
    for flag in flags:
        setattr(story, flag, True)
    story.save()
    story.tags.add(*_tags(tag_names))
    if story.author != byline or not story.storyauthor_set.exists():
        link_authors(story)
    have = set(story.storysection_set.values_list("section_id", flat=True))
    start = len(have)
    new = {s.pk: s for s in sections if s.pk not in have}
    StorySection.objects.bulk_create(
        StorySection(story=story, section=section, order=start + i)
        for i, section in enumerate(new.values())
    )
    if article.captions:
        story.captions.all().delete()
        _captions(story, article)
    locked = list(story.bullets.filter(locked=True).order_by("order", "id"))
    story.bullets.filter(locked=False).delete()
    kept = {b.text for b in locked}
    fresh = [b for b in _bullets(article, looks) if _bullet(b[0]) not in kept]
    for order, bullet in enumerate(locked):
        if bullet.order != order:
            bullet.order = order
            bullet.save(update_fields=["order"])
    QuickLookBullet.objects.bulk_create(
        QuickLookBullet(
            story=story,
            order=len(locked) + i,
            text=_bullet(text),
            source_sentences=src,
            original=original,
        )
        for i, (text, src, original) in enumerate(fresh)
    )
    return story


def create_story(
    article: Article,
    *,
    looks: Looks | None = None,
    attribution: str = "",
    publish: bool = True,
    section: Section | None = None,
    user=None,
    undated: bool = False,
) -> tuple[Story, list[str]]:
    """Insert ``article`` as a new story with its sections, tags, captions and bullets:
    (the story, its bullets' texts).

    Looks come from ``summarize`` unless given; a story too short to summarize gets no
    bullets. ``section`` (a feed's mapped section) places the story; without it the story
    goes into the existing sections its labels name, or none (the desk's Unsorted queue).
    Other labels become tags, page-role labels flags. A publication date before 1990 or
    more than a day ahead is taken as missing: the story gets the current time. ``undated``
    (a draft the desk makes from copy) has no publish time or edition: publishing gives it
    both. The byline links the authors it names (``bylines.link_authors``).
    """
    looks = _looks(article, looks)
    published = plausible_date(article.published) or timezone.now()
    sections, tag_names, flags = sort_labels(article.sections)
    if section is not None:
        sections = [section]
    headline = article.headline or (looks.headline if looks else "") or "Untitled story"
    story = Story.objects.create(
        headline=_clip(headline, "headline"),
        slug=_unique_slug(headline),
        **_article_fields(article, looks),
        edition=None if undated else _edition(article, published),
        published_at=None if undated else published,
        status=Story.PUBLISHED if publish else Story.DRAFT,
        source_url=_url(article.source_url),
        attribution=attribution,
        **dict.fromkeys(flags, True),
        created_by=user,
    )
    StorySection.objects.bulk_create(
        StorySection(story=story, section=s, order=i) for i, s in enumerate(sections)
    )
    story.tags.add(*_tags(tag_names))
    link_authors(story)
    _captions(story, article)
    bullets = QuickLookBullet.objects.bulk_create(
        QuickLookBullet(
            story=story, order=i, text=_bullet(text), source_sentences=src, original=original
        )
        for i, (text, src, original) in enumerate(_bullets(article, looks))
    )
    return story, [b.text for b in bullets]


def story_article(story: Story) -> Article:
    """The Story as a library Article (what the summarizer reads)."""
    return Article(
        headline=story.headline,
        summary=story.summary or None,
        dateline=story.dateline or None,
        deep_look=DeepLook(
            title=story.deep_look_title or None,
            dateline=story.deep_look_dateline or None,
            blocks=story.body_blocks().blocks,
        ),
    )
