"""The one seam between the library and the site: Article (+ Looks) in, Story out."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from newsdesk.article import Article, Looks
from newsdesk.errors import SummarizeError
from newsdesk.site.stories.models import Caption, Edition, QuickLookBullet, Section, Story, StorySection
from newsdesk.summarize import summarize

EDITION_NAMES = {"morning edition": Edition.MORNING, "evening edition": Edition.EVENING}


def _unique_slug(headline: str) -> str:
    base = slugify(headline)[:100] or "story"
    slug, n = base, 2
    while Story.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _section(name: str) -> Section:
    slug = slugify(name)[:100] or "news"
    section, _ = Section.objects.get_or_create(slug=slug, defaults={"name": name})
    return section


def _edition(article: Article, published: datetime) -> Edition:
    period = EDITION_NAMES.get((article.edition or "").strip().lower()) or Edition.period_of(published)
    edition, _ = Edition.objects.get_or_create(date=timezone.localdate(published), period=period)
    return edition


def find_existing(article: Article) -> Story | None:
    """The stored story this Article duplicates: same source URL, or same headline and time."""
    if article.source_url:
        found = Story.objects.filter(source_url=article.source_url).first()
        if found:
            return found
    if article.headline and article.published:
        return Story.objects.filter(headline=article.headline, published_at=article.published).first()
    return None


@transaction.atomic
def ingest(
    article: Article, *, looks: Looks | None = None, publish: bool = True, attribution: str = ""
) -> Story:
    """Store ``article`` as a Story with its Quick Looks and return it.

    A story already stored (see ``find_existing``) is returned unchanged, so ingesting
    the same input twice never duplicates it. Looks come from ``summarize`` unless given;
    a story too short to summarize is stored with no bullets.
    """
    existing = find_existing(article)
    if existing is not None:
        return existing
    if looks is None:
        try:
            looks = summarize(article)
        except SummarizeError:
            looks = None
    published = article.published or timezone.now()
    headline = article.headline or (looks.headline if looks else "") or "Untitled story"
    story = Story.objects.create(
        headline=headline[:300],
        slug=_unique_slug(headline),
        summary=article.summary or (looks.dek if looks else ""),
        site_name=article.site or "",
        dateline=article.dateline or "",
        author=article.author or "",
        edition=_edition(article, published),
        published_at=published,
        status=Story.PUBLISHED if publish else Story.DRAFT,
        quick_looks_title=article.quick_looks.title or (looks.title if looks and looks.title else ""),
        deep_look_title=article.deep_look.title or "",
        deep_look_dateline=article.deep_look.dateline or article.dateline or "",
        blocks=[b.to_dict() for b in article.deep_look.blocks],
        source_url=article.source_url or "",
        attribution=attribution,
    )
    StorySection.objects.bulk_create(
        StorySection(story=story, section=_section(name), order=i)
        for i, name in enumerate(dict.fromkeys(article.sections))
    )
    Caption.objects.bulk_create(
        Caption(story=story, order=i, text=c.text, credit=c.credit, image_url=c.image or "")
        for i, c in enumerate(article.captions)
    )
    # The input's own Quick Looks (written by its editors) win over the machine's.
    if article.quick_looks.bullets:
        bullets = [(text, []) for text in article.quick_looks.bullets]
    elif looks:
        bullets = [(b.text, list(b.source_sentences)) for b in looks.bullets]
    else:
        bullets = []
    QuickLookBullet.objects.bulk_create(
        QuickLookBullet(story=story, order=i, text=text[:500], source_sentences=src)
        for i, (text, src) in enumerate(bullets)
    )
    return story
