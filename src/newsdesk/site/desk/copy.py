"""Stories from pasted copy, and their Quick Looks bullets: sources and regeneration."""

from __future__ import annotations

from django.db import transaction

from newsdesk.article import Article, DeepLook
from newsdesk.errors import NewsdeskError, SummarizeError
from newsdesk.parse import parse
from newsdesk.site.desk.trail import record
from newsdesk.site.ingestion.limits import over_limit
from newsdesk.site.ingestion.photos import store_story_photos
from newsdesk.site.search import index as search_index
from newsdesk.site.stories.models import QuickLookBullet, Story
from newsdesk.site.stories.services import find_existing, ingest
from newsdesk.summarize import split_sentences, summarize


class CopyError(ValueError):
    """The pasted or uploaded copy cannot become a story; the message says why."""


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


def story_sentences(story: Story) -> list[str]:
    """The story's sentences numbered as ``summarize`` numbers them (bullets' source indices)."""
    return split_sentences(story_article(story).body_text)


def from_copy(
    *, text: str = "", data: bytes | None = None, name: str = "<copy>", user=None
) -> Story:
    """Parse pasted text or an uploaded file (text or HTML, detected) into a new draft.

    Raises CopyError when there is nothing to parse, the upload is too big, the parser
    refuses it, or the story is already stored.
    """
    if data is not None and (problem := over_limit(name, len(data))):
        raise CopyError(problem)
    source: str | bytes = data if data else text
    if not (source.strip() if isinstance(source, str) else source.strip()):
        raise CopyError("paste the story's text or upload a file: both are empty")
    try:
        article = parse(source, format="auto", name=name)
    except NewsdeskError as exc:
        raise CopyError(str(exc)) from exc
    if not article.body_text.strip():
        raise CopyError(f"{name}: no story text found in it")
    existing = find_existing(article)
    if existing is not None:
        raise CopyError(
            f"this story is already on the desk as “{existing.headline}” (id {existing.pk})"
        )
    # ingest keeps the revision and the audit entry ("ingested" via admin) and makes it theirs.
    story = ingest(article, publish=False, user=user, via="admin")
    story.photo_problems = store_story_photos(story)  # one a photo not stored; the draft stays
    return story


@transaction.atomic
@search_index.deferred()  # one search document write, at the end
def regenerate_bullets(story: Story, user=None, *, via: str = "admin") -> list[QuickLookBullet]:
    """Re-run the summarizer: unlocked bullets are replaced, locked ones kept in place first.

    New bullets drawing on a sentence a locked bullet already covers are left out.
    Raises CopyError when the story has no text to summarize.
    """
    try:
        looks = summarize(story_article(story))
    except SummarizeError as exc:
        raise CopyError(str(exc)) from exc
    locked = list(story.bullets.filter(locked=True))
    story.bullets.filter(locked=False).delete()
    covered = {i for b in locked for i in (b.source_sentences or [])}
    texts = {b.text for b in locked}
    fresh = [
        b
        for b in looks.bullets
        if b.text not in texts and not covered.intersection(b.source_sentences)
    ]
    for i, bullet in enumerate(locked):
        bullet.order = i
        bullet.save(update_fields=["order"])
    QuickLookBullet.objects.bulk_create(
        QuickLookBullet(
            story=story,
            order=len(locked) + i,
            text=b.text[:500],
            source_sentences=list(b.source_sentences),
        )
        for i, b in enumerate(fresh)
    )
    story.save(update_fields=["updated_at"])
    record(story, user=user, via=via, action="regenerated")
    return list(story.bullets.all())
