"""Background tasks run by ``newsdesk worker`` (Huey): poll feeds, ingest documents."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from newsdesk.site.ingestion.models import FeedSource
from newsdesk.site.ingestion.pipeline import ingest_source
from newsdesk.site.ingestion.polling import poll_due, poll_source


@db_periodic_task(crontab(minute="*"))
def poll_feeds() -> int:
    """Each minute: poll the feed sources that are due; returns how many were polled."""
    return len(poll_due())


@db_task()
def poll_feed(source_id: int) -> dict:
    """Poll one source now (the admin's "Poll now")."""
    source = FeedSource.objects.get(pk=source_id)
    result = poll_source(source)
    return {
        "source": source.pk,
        "not_modified": result.not_modified,
        "error": result.error,
        "outcomes": [o.status for o in result.outcomes],
    }


@db_task()
def ingest_document(
    data: bytes,
    name: str = "<document>",
    format: str = "auto",
    url: str | None = None,
    publish: bool = True,
) -> list[dict]:
    """Parse, summarize and store a document (a page, wire copy, a feed) in the background."""
    return [
        {"name": o.name, "status": o.status, "story": o.story_id, "reason": o.reason}
        for o in ingest_source(
            data, name=name, format=format, url=url, publish=publish, via="worker"
        )
    ]
