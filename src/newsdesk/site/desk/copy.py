"""A story's Quick Looks bullets on the desk: the sentences they come from, and regeneration.

(A new story from pasted copy is ``ingestion.copy.from_copy``; its errors are ``CopyError``.)
"""

from __future__ import annotations

import difflib
import re

from django.db import transaction
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from newsdesk.errors import SummarizeError
from newsdesk.site.desk.trail import record
from newsdesk.site.search import index as search_index
from newsdesk.site.stories.models import QuickLookBullet, Story
from newsdesk.site.stories.services import story_article
from newsdesk.summarize import split_sentences, summarize


class CopyError(ValueError):
    """The pasted or uploaded copy cannot become a story; the message says why."""


def story_sentences(story: Story) -> list[str]:
    """The story's sentences numbered as ``summarize`` numbers them (bullets' source indices)."""
    return split_sentences(story_article(story).body_text)


def struck(original: str, text: str) -> SafeString:
    """``original`` as HTML with the words ``text`` does not keep inside ``<del>``.

    Words are compared without their punctuation, so "celebrations," kept as
    "celebrations." is not shown as cut.
    """
    before, after = original.split(), text.split()

    def bare(tokens: list[str]) -> list[str]:
        return [re.sub(r"\W", "", t).lower() for t in tokens]

    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, bare(before), bare(after), autojunk=False)
    for op, i1, i2, _, _ in matcher.get_opcodes():
        chunk = escape(" ".join(before[i1:i2]))
        if not chunk:
            continue
        out.append(chunk if op == "equal" else f"<del>{chunk}</del>")
    return mark_safe(" ".join(out))  # noqa: S308 - every piece is escaped above


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
            original=b.original,
        )
        for i, b in enumerate(fresh)
    )
    story.save(update_fields=["updated_at"])
    record(story, user=user, via=via, action="regenerated")
    return list(story.bullets.all())
