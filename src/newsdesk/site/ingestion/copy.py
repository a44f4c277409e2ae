"""A new story from copy an editor pasted or uploaded in the desk's admin: a draft of theirs."""

from __future__ import annotations

from newsdesk.errors import NewsdeskError
from newsdesk.parse import parse
from newsdesk.site.desk.copy import CopyError
from newsdesk.site.ingestion.dedupe import find_existing
from newsdesk.site.ingestion.limits import over_limit
from newsdesk.site.ingestion.photos import store_story_photos
from newsdesk.site.ingestion.store import ingest
from newsdesk.site.stories.models import Story


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
    story, _ = ingest(article, publish=False, user=user, via="admin")
    story.photo_problems = store_story_photos(story)  # one a photo not stored; the draft stays
    return story
