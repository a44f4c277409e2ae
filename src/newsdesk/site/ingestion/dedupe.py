"""Is an input already stored? The same URL, headline and time, body, or a near-duplicate body.

Every road in (CLI, feeds, API, pasted copy, teaser pages) asks ``find_existing`` before it
stores, and keeps each story's body fingerprint (``store_fingerprint``) for the next input.
"""

from __future__ import annotations

import hashlib

from newsdesk.article import Article
from newsdesk.site.ingestion.fingerprint import THRESHOLD, Signature
from newsdesk.site.ingestion.models import Fingerprint, FingerprintBand
from newsdesk.site.stories.body import Body
from newsdesk.site.stories.models import Story


def _headline(article: Article) -> str:
    return article.headline[: Story._meta.get_field("headline").max_length]


def find_existing(article: Article, signature: Signature | None = None) -> Story | None:
    """The stored story this Article duplicates or updates, else None.

    The same source URL, the same headline and time, the same undated headline and body,
    or a near-duplicate body (the same wire story from another feed, with another
    headline or a corrected paragraph: see ``ingestion.fingerprint``).
    """
    if article.source_url:
        found = Story.objects.filter(source_url=article.source_url).first()
        if found:
            return found
    if article.headline and article.published:
        found = Story.objects.filter(
            headline=_headline(article), published_at=article.published
        ).first()
        if found:
            return found
    if article.headline and article.deep_look.blocks:
        # Undated copy (plain text files): the same headline over the same body is the same
        # story, so re-running an interrupted ingest never stores it twice.
        body = Body.of(article.deep_look.blocks).to_json()
        for story in Story.objects.filter(headline=_headline(article), source_url="").only(
            "blocks"
        ):
            if story.blocks == body:
                return story
    return find_near_duplicate(article, signature)


def find_near_duplicate(article: Article, signature: Signature | None = None) -> Story | None:
    """The stored story whose body is most like ``article``'s, above the threshold."""
    signature = signature or Signature.of(article.body_text)
    if signature is None:
        return None
    candidates = Fingerprint.objects.filter(bands__key__in=signature.band_keys()).distinct()
    best, best_score = None, THRESHOLD
    # In story order, so that of two equally close stories the same one is chosen on every
    # run and database (a resumed ingest must end where an uninterrupted one does).
    for fingerprint in candidates.only("story_id", "value").order_by("story_id"):
        score = signature.similarity(Signature.from_bytes(fingerprint.value))
        if score >= best_score:
            best, best_score = fingerprint.story_id, score
    return Story.objects.filter(pk=best).first() if best else None


#: How many input versions a story remembers having absorbed.
MAX_ABSORBED = 50


def input_key(article: Article) -> str:
    """A short key of one input version: its headline and body text."""
    text = f"{article.headline}\n{article.body_text}".encode()
    return hashlib.sha256(text).hexdigest()[:24]


def absorbed(story: Story, article: Article) -> bool:
    """Whether ``article`` is a version ``story`` has already taken in.

    Re-running an ingest (a resume after a crash, a folder sent twice) must not roll a
    story back: of two undated near-duplicates, the later one updated the story, and the
    earlier one arriving again would count as newer and update it back.
    """
    keys = Fingerprint.objects.filter(story=story).values_list("absorbed", flat=True).first()
    return bool(keys) and input_key(article) in keys


def store_fingerprint(
    story: Story,
    signature: Signature | None,
    *,
    replace: bool = True,
    article: Article | None = None,
) -> None:
    """Keep (or replace) the body fingerprint ``find_near_duplicate`` looks stories up by,
    and remember ``article`` (the version just stored) among the versions it absorbed."""
    keys: list[str] = []
    if replace:
        old = Fingerprint.objects.filter(story=story)
        keys = list(old.values_list("absorbed", flat=True).first() or [])
        old.delete()
    if signature is None:
        return
    if article is not None and (key := input_key(article)) not in keys:
        keys = [*keys, key][-MAX_ABSORBED:]
    fingerprint = Fingerprint.objects.create(story=story, value=signature.to_bytes(), absorbed=keys)
    FingerprintBand.objects.bulk_create(
        FingerprintBand(fingerprint=fingerprint, key=key) for key in signature.band_keys()
    )
