"""Store one Article: new, an update of a stored story, or a duplicate; with its trail.

Every road in (``newsdesk ingest``, feeds, the API, pasted copy, the demo) stores through
``ingest``: it asks ``dedupe`` whether the story is stored already, checks the acting user
may change what it matches (``MayNotChange``), writes through ``stories.services``, keeps
the search document and the body fingerprint, and leaves a revision and an audit entry.
"""

from __future__ import annotations

import dataclasses

from django.db import transaction

from newsdesk.article import Article, Looks
from newsdesk.site.desk.services import can_edit
from newsdesk.site.desk.trail import may_see, record
from newsdesk.site.ingestion.dedupe import absorbed, find_existing, store_fingerprint
from newsdesk.site.ingestion.fingerprint import Signature
from newsdesk.site.ingestion.outcomes import DUPLICATE, INGESTED, UPDATED
from newsdesk.site.search import index as search_index
from newsdesk.site.stories.models import Section, Story
from newsdesk.site.stories.services import (
    create_story,
    differs,
    is_newer,
    plausible_date,
    update_story,
)


class MayNotChange(PermissionError):
    """The acting user may not change the stored story an input matches; the message says why."""


def _check(user, story: Story, changes: bool) -> None:
    """Raise MayNotChange unless ``user`` (None: the system) may change, or see, ``story``."""
    if user is None:
        return
    who = user.get_username()
    if changes and not can_edit(user, story):
        raise MayNotChange(
            f"{who!r} may not change the story this input matches (story {story.pk}, "
            f"{story.get_status_display().lower()}"
            f"{'' if story.created_by_id == user.pk else ', not theirs'}): "
            "only its writer while it is a draft, or an editor, may; ask an editor"
        )
    if not may_see(user, story):
        raise MayNotChange(
            f"{who!r} sent a story already stored as someone else's unpublished story "
            f"(story {story.pk}); ask an editor"
        )


@transaction.atomic
def ingest(
    article: Article,
    *,
    looks: Looks | None = None,
    publish: bool = True,
    attribution: str = "",
    section: Section | None = None,
    user=None,
    via: str = "cli",
) -> tuple[Story, str]:
    """Store ``article`` as a Story with its Quick Looks: (the story, what became of it).

    A story already stored (see ``find_existing``) is not stored twice: a newer version
    that differs updates it (``update_story``), anything else returns it unchanged. The
    outcome says which: ``INGESTED``, ``UPDATED`` or ``DUPLICATE``. Looks come from
    ``summarize`` unless given; a story too short to summarize is stored with no bullets.

    ``section`` (a feed's mapped section) places the story; without it the story goes
    into the existing sections its labels name, or none (the desk's Unsorted queue).
    Other labels become tags, page-role labels flags. A publication date before 1990 or
    more than a day ahead is taken as missing: the story gets the ingest time.

    ``user`` is who acts (None: the system, such as a feed or the operator's CLI) and
    ``via`` the road (api, cli, feed, worker, admin): a new story is ``user``'s, and every
    change leaves a revision and an audit entry naming both. Raises MayNotChange when
    ``user`` may not change (or see) the stored story the article matches.
    """
    if article.published and plausible_date(article.published) is None:
        article = dataclasses.replace(article, published=None)
    signature = Signature.of(article.body_text)
    existing = find_existing(article, signature)
    if existing is not None:
        # a version the story already took in, arriving again, is a duplicate (a resume)
        changes = (
            is_newer(existing, article)
            and differs(existing, article)
            and not absorbed(existing, article)
        )
        _check(user, existing, changes)
        if changes:
            with search_index.deferred() as changed:
                update_story(existing, article, looks, section=section)
                store_fingerprint(existing, signature, article=article)
                changed.add(existing.pk)  # bullets were bulk-created: no signal saw them
            record(existing, user=user, via=via, action="updated", note=_note(article))
            return existing, UPDATED
        return existing, DUPLICATE
    with search_index.deferred() as changed:
        story, bullets = create_story(
            article,
            looks=looks,
            attribution=attribution,
            publish=publish,
            section=section,
            user=user,
        )
        store_fingerprint(story, signature, replace=False, article=article)
        changed.discard(story.pk)  # its one document is written here, with the bullets known
        search_index.reindex(story, bullets=bullets, created=True)
    record(story, user=user, via=via, action="ingested", note=_note(article))
    return story, INGESTED


def _note(article: Article) -> str:
    return f"from {article.source_url}" if article.source_url else ""
