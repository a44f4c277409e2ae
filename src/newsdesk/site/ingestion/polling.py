"""Poll feed sources: conditional GET, parse, ingest, and back off when a source fails.

``poll_due()`` (run each minute by the worker, see ``tasks.py``) claims the active
sources whose ``next_poll`` has come and polls each:

- the request carries ``If-None-Match`` / ``If-Modified-Since`` from the last answer, so
  an unchanged feed costs a ``304 Not Modified`` and ingests nothing;
- the answer is read with a timeout and a size cap (``MAX_BYTES``);
- every entry is stored through ``store.ingest`` in its own transaction, so the same
  story arriving again is a duplicate, or an update when it changed; its section comes
  from the editors' mapping (``mapping``), its categories become tags;
- a teaser entry is stored as a draft and its page fetched the same way (``pages``);
- a failure (network, HTTP error, oversize, unparseable feed) is kept in ``last_error``
  and the next try waits the interval doubled for each failure in a row (capped at a
  day); a success resets that.
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone

from newsdesk import __version__ as VERSION  # noqa: N812
from newsdesk.site.ingestion.models import FeedSource
from newsdesk.site.ingestion.pipeline import REJECTED, Outcome, ingest_source

log = logging.getLogger(__name__)

TIMEOUT = 20  # seconds, for connecting and for each read
MAX_BYTES = 10 * 1024 * 1024
USER_AGENT = f"newsdesk/{VERSION} (feed poller)"
ERROR_CHARS = 2000


class PollError(Exception):
    """A poll that did not yield a feed: the message says why."""


@dataclass
class PollResult:
    """One poll: whether the feed changed, each entry's outcome, or the error."""

    source: FeedSource
    not_modified: bool = False
    outcomes: list[Outcome] = field(default_factory=list)
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error


FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5"
)


def fetch(
    url: str, *, etag: str = "", last_modified: str = "", accept: str = FEED_ACCEPT
) -> tuple[int, bytes, dict]:
    """GET ``url`` conditionally: (status, body, headers); status 304 has an empty body.

    Used for feeds and for teasers' pages (``pages``): one timeout, one size cap.
    """
    if not url.lower().startswith(("http://", "https://")):
        raise PollError(f"{url}: only http and https addresses can be fetched")
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": accept,
        "Accept-Encoding": "identity",
    }
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 - scheme checked above
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:  # noqa: S310
            body = response.read(MAX_BYTES + 1)
            if len(body) > MAX_BYTES:
                raise PollError(f"{url}: the answer is larger than {MAX_BYTES:,} bytes")
            return response.status, body, dict(response.headers.items())
    except urllib.error.HTTPError as exc:
        if exc.code == 304:
            return 304, b"", dict(exc.headers.items())
        raise PollError(f"{url}: HTTP {exc.code} {exc.reason}") from exc
    except urllib.error.URLError as exc:
        raise PollError(f"{url}: {exc.reason}") from exc
    except (TimeoutError, OSError) as exc:
        raise PollError(f"{url}: {exc or type(exc).__name__}") from exc


def poll_source(source: FeedSource, *, now: datetime | None = None) -> PollResult:
    """Poll one source now, ingest what is new, and record the outcome on the source."""
    now = now or timezone.now()
    result = PollResult(source)
    try:
        status, body, headers = fetch(
            source.url, etag=source.etag, last_modified=source.last_modified
        )
        if status == 304:
            result.not_modified = True
        else:
            result.outcomes = ingest_source(
                body,
                name=source.url,
                format="feed",
                url=source.url,
                feed_source=source,
                via="feed",
            )
            if len(result.outcomes) == 1 and result.outcomes[0].status == REJECTED:
                raise PollError(result.outcomes[0].reason)
            _fetch_teasers(result.outcomes, now)
        source.etag = (headers.get("ETag") or headers.get("Etag") or source.etag)[:500]
        source.last_modified = (headers.get("Last-Modified") or source.last_modified)[:100]
    except PollError as exc:
        result.error = str(exc)
    source.last_polled = now
    if result.ok:
        source.failures = 0
        source.last_error = ""
        source.next_poll = now + timedelta(seconds=source.interval)
    else:
        source.failures += 1
        source.last_error = f"{now:%Y-%m-%d %H:%M:%S} UTC: {result.error}"[:ERROR_CHARS]
        source.next_poll = now + source.backoff()
        log.warning("feed %s failed (%d in a row): %s", source.url, source.failures, result.error)
    source.save(
        update_fields=[
            "etag",
            "last_modified",
            "last_polled",
            "failures",
            "last_error",
            "next_poll",
        ]
    )
    return result


def _fetch_teasers(outcomes: list[Outcome], now: datetime) -> None:
    """Fetch the pages of the teasers this poll stored (drafts until then)."""
    from newsdesk.site.ingestion.pages import fetch_due

    ids = [o.story_id for o in outcomes if o.note and o.story_id]
    if ids:
        fetch_due(now, story_ids=ids, limit=len(ids))


def due(now: datetime | None = None):
    """The active sources whose next poll has come, oldest first."""
    now = now or timezone.now()
    return FeedSource.objects.filter(active=True, next_poll__lte=now).order_by("next_poll", "pk")


def poll_due(now: datetime | None = None, *, limit: int = 50) -> list[PollResult]:
    """Poll the sources that are due; each is claimed first, so two workers never share one.

    Then retry the teasers' pages that are due (``pages.fetch_due``).
    """
    from newsdesk.site.ingestion.pages import fetch_due

    now = now or timezone.now()
    results = []
    for source in due(now)[:limit]:
        # Claim: move next_poll on, only if nobody else did since we read it.
        claimed = FeedSource.objects.filter(pk=source.pk, next_poll=source.next_poll).update(
            next_poll=now + timedelta(seconds=source.interval)
        )
        if claimed:
            results.append(poll_source(source, now=now))
    fetch_due(now, limit=limit)
    return results
