"""Full-text search over published stories: keep the index in step, query it, find related.

- ``reindex(story)`` writes (or removes) one story's ``StoryDocument``; the signals in
  ``apps.py`` and ``ingestion.store.ingest`` call it on every publish, edit, unpublish and
  delete. ``rebuild()`` redoes them all (``newsdesk reindex``).
- ``search(text)`` returns a lazily counted, sliceable ``SearchResults`` (fit for Django's
  Paginator): published stories, best first (bm25 on SQLite FTS5, ts_rank on PostgreSQL,
  headline weighted highest), each with ``headline_html`` and ``snippet_html``: the text
  HTML-escaped with the matched words in ``<mark>``.
- ``related(story, n)``: the stories most like it, by its key terms, in one query.
- ``deferred()``: inside it, saves and deletes only note which stories changed; each is
  reindexed once on the way out (a story stored with its bullets is one document write, not
  one per row).
"""

from __future__ import annotations

import contextlib
import contextvars
import html
import re
from collections import Counter
from collections.abc import Iterable, Iterator

from django.db import connection
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from newsdesk.site.search import backends
from newsdesk.site.search.backends import START, STOP, clean_query, fts5_query
from newsdesk.site.search.models import StoryDocument
from newsdesk.site.stories.models import QuickLookBullet, Story

SNIPPET_WORDS = 24
MAX_BODY_CHARS = 200_000  # a tsvector holds at most 1 MB; a story body is far shorter
RELATED_TERMS = 12
_MARKERS = re.compile(f"[{START}{STOP}]")


def _plain(text) -> str:
    return _MARKERS.sub(" ", str(text or "")).strip()


def _document_fields(story: Story, bullets: Iterable[str]) -> dict[str, str]:
    return {
        "headline": _plain(story.headline),
        "summary": _plain(story.summary),
        "bullets": _plain("\n".join(bullets)),
        "body": _plain(story.body_text())[:MAX_BODY_CHARS],
    }


_deferred: contextvars.ContextVar[set[int] | None] = contextvars.ContextVar(
    "newsdesk_search_deferred", default=None
)


@contextlib.contextmanager
def deferred() -> Iterator[set[int]]:
    """Reindex each story changed inside this block once, when it ends without an error.

    Yields the set of story ids noted so far; code that reindexes a story itself (knowing
    its bullets already) may take its id out. Nested blocks note into the outermost one.
    """
    if _deferred.get() is not None:
        yield _deferred.get()
        return
    changed: set[int] = set()
    token = _deferred.set(changed)
    try:
        yield changed
    finally:
        _deferred.reset(token)
    for story_id in sorted(changed):
        reindex(story_id)


def note(story_id: int) -> bool:
    """Inside ``deferred()``: remember that ``story_id`` changed and return True."""
    changed = _deferred.get()
    if changed is None:
        return False
    changed.add(story_id)
    return True


def reindex(
    story: Story | int, *, bullets: Iterable[str] | None = None, created: bool = False
) -> bool:
    """Bring one story's search document in step with it; True when it is searchable.

    A story that is gone or not published has no document (so it is never found). Given a
    Story, its fields are used as they are; ``bullets`` (their texts, in order) saves
    looking them up, and ``created`` says the story was just inserted (so it has neither
    bullets nor a document yet).
    """
    if isinstance(story, Story):
        fresh = story
    else:
        fresh = (
            Story.objects.filter(pk=story).only("status", "headline", "summary", "blocks").first()
        )
    story_id = fresh.pk if fresh is not None else int(story)
    if fresh is None or fresh.status != Story.PUBLISHED:
        if not created:
            StoryDocument.objects.filter(story_id=story_id).delete()
        return False
    if bullets is None:
        bullets = (
            ()
            if created
            else (
                QuickLookBullet.objects.filter(story_id=story_id)
                .order_by("order", "id")
                .values_list("text", flat=True)
            )
        )
    fields = _document_fields(fresh, bullets)
    if created or not StoryDocument.objects.filter(story_id=story_id).update(**fields):
        StoryDocument.objects.create(story_id=story_id, **fields)
    return True


def remove(story_id: int) -> None:
    StoryDocument.objects.filter(story_id=story_id).delete()


def rebuild(*, batch: int = 500) -> int:
    """Rewrite every search document from the stories; returns how many are searchable."""
    from django.db import transaction

    with transaction.atomic():
        StoryDocument.objects.all().delete()
        ids = list(
            Story.objects.filter(status=Story.PUBLISHED).order_by("pk").values_list("pk", flat=True)
        )
        for start in range(0, len(ids), batch):
            _write(ids[start : start + batch])
    return len(ids)


def _write(ids: list[int]) -> int:
    if not ids:
        return 0
    bullets: dict[int, list[str]] = {}
    for story_id, text in (
        QuickLookBullet.objects.filter(story_id__in=ids)
        .order_by("story_id", "order", "id")
        .values_list("story_id", "text")
    ):
        bullets.setdefault(story_id, []).append(text)
    stories = Story.objects.filter(pk__in=ids).only("headline", "summary", "blocks")
    StoryDocument.objects.bulk_create(
        StoryDocument(story_id=s.pk, **_document_fields(s, bullets.get(s.pk, []))) for s in stories
    )
    return len(ids)


# --- Queries ----------------------------------------------------------------------------------


def marked(text: str | None) -> SafeString:
    """The database's highlighted text as safe HTML: escaped, with only our <mark> tags."""
    escaped = html.escape(text or "", quote=False)
    return mark_safe(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


_STORY = Story._meta.db_table
_DOCS = backends.DOCUMENTS
_FTS = backends.FTS


def _filters(exclude: int | None) -> tuple[str, list]:
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    return "s.status = %s AND s.published_at <= %s AND s.id <> %s", [
        Story.PUBLISHED,
        now,
        exclude or 0,
    ]


def _snippet(column: int) -> str:
    return f"snippet({_FTS}, {column}, char(2), char(3), '…', {SNIPPET_WORDS})"


# The snippet comes from the body, else the summary, else the bullets: whichever has a
# match first (the headline is shown highlighted anyway), else the body's opening words.
_SQLITE_SNIPPET = (
    f"CASE WHEN instr({_snippet(3)}, char(2)) THEN {_snippet(3)} "
    f"WHEN instr({_snippet(1)}, char(2)) THEN {_snippet(1)} "
    f"WHEN instr({_snippet(2)}, char(2)) THEN {_snippet(2)} "
    f"ELSE coalesce(nullif({_snippet(3)}, ''), {_snippet(1)}) END"
)


def _sqlite_sql(
    match: str, exclude: int | None, limit: int, offset: int, snippets: bool = True
) -> tuple[str, list]:
    """The page of hits first (FTS5 drives the join), then highlights for those rows only."""
    where, params = _filters(exclude)
    weights = ", ".join(str(w) for w in backends.SQLITE_WEIGHTS)
    hits = (
        f"SELECT {_FTS}.rowid AS id, bm25({_FTS}, {weights}) AS hit_rank "  # noqa: S608 - bound text
        f"FROM {_FTS} CROSS JOIN {_STORY} s ON s.id = {_FTS}.rowid "
        f"WHERE {_FTS} MATCH %s AND {where} "
        f"ORDER BY hit_rank, s.published_at DESC, s.id DESC LIMIT %s OFFSET %s"
    )
    columns = "s.id, s.headline, s.slug, s.summary, s.published_at, -hits.hit_rank AS score"
    order = "ORDER BY hits.hit_rank, s.published_at DESC, s.id DESC"
    if not snippets:
        sql = (
            f"SELECT {columns}, '' AS headline_marked, '' AS snippet_marked "  # noqa: S608 - ditto
            f"FROM ({hits}) hits CROSS JOIN {_STORY} s ON s.id = hits.id {order}"
        )
        return sql, [match, *params, limit, offset]
    sql = (
        f"SELECT {columns}, highlight({_FTS}, 0, char(2), char(3)) AS headline_marked, "  # noqa: S608
        f"{_SQLITE_SNIPPET} AS snippet_marked "
        f"FROM ({hits}) hits CROSS JOIN {_FTS} ON {_FTS}.rowid = hits.id "
        f"CROSS JOIN {_STORY} s ON s.id = hits.id WHERE {_FTS} MATCH %s {order}"
    )
    return sql, [match, *params, limit, offset, match]


def _sqlite_count(match: str, exclude: int | None) -> tuple[str, list]:
    where, params = _filters(exclude)
    sql = (
        f"SELECT COUNT(*) FROM {_FTS} CROSS JOIN {_STORY} s ON s.id = {_FTS}.rowid "  # noqa: S608 - ditto
        f"WHERE {_FTS} MATCH %s AND {where}"
    )
    return sql, [match, *params]


_PG_OPTIONS = (
    f'StartSel="{START}", StopSel="{STOP}", MaxWords={SNIPPET_WORDS}, MinWords=8, '
    'MaxFragments=2, FragmentDelimiter=" … "'
)
_PG_HEADLINE_OPTIONS = f'StartSel="{START}", StopSel="{STOP}", HighlightAll=true'


def _pg_snippet(cfg: str) -> str:
    """Like SQLite's: from the body, summary or bullets, whichever matches first."""

    def headline(column: str) -> str:
        return f"ts_headline('{cfg}', left(d.{column}, 20000), q.query, %s)"

    def matches(column: str) -> str:
        return f"to_tsvector('{cfg}', left(d.{column}, 20000)) @@ q.query"

    return (
        f"CASE WHEN {matches('body')} THEN {headline('body')} "
        f"WHEN {matches('summary')} THEN {headline('summary')} "
        f"WHEN {matches('bullets')} THEN {headline('bullets')} "
        f"ELSE {headline('body')} END"
    )  # four %s: the options


def _pg_sql(
    text: str, exclude: int | None, limit: int, offset: int, snippets: bool = True
) -> tuple[str, list]:
    where, params = _filters(exclude)
    cfg = backends.PG_CONFIG
    sql = (
        f"WITH q AS (SELECT websearch_to_tsquery('{cfg}', %s) AS query), "  # noqa: S608 - the user's text is a bound parameter
        f"hits AS (SELECT d.story_id, ts_rank(d.document, q.query) AS score, s.published_at "
        f"FROM {_DOCS} d JOIN {_STORY} s ON s.id = d.story_id, q "
        f"WHERE d.document @@ q.query AND {where} "
        f"ORDER BY score DESC, s.published_at DESC, s.id DESC LIMIT %s OFFSET %s) "
        f"SELECT s.id, s.headline, s.slug, s.summary, s.published_at, hits.score, "
        + (
            f"ts_headline('{cfg}', d.headline, q.query, %s) AS headline_marked, "
            f"{_pg_snippet(cfg)} AS snippet_marked "
            if snippets
            else "'' AS headline_marked, '' AS snippet_marked "
        )
        + f"FROM hits JOIN {_STORY} s ON s.id = hits.story_id "
        f"JOIN {_DOCS} d ON d.story_id = hits.story_id, q "
        f"ORDER BY hits.score DESC, s.published_at DESC, s.id DESC"
    )
    options = [_PG_HEADLINE_OPTIONS, *[_PG_OPTIONS] * 4] if snippets else []
    return sql, [text, *params, limit, offset, *options]


def _pg_count(text: str, exclude: int | None) -> tuple[str, list]:
    where, params = _filters(exclude)
    sql = (
        f"SELECT COUNT(*) FROM {_DOCS} d JOIN {_STORY} s ON s.id = d.story_id "  # noqa: S608 - ditto
        f"WHERE d.document @@ websearch_to_tsquery('{backends.PG_CONFIG}', %s) AND {where}"
    )
    return sql, [text, *params]


class SearchResults:
    """The published stories matching a query, best first; count() and slices query lazily."""

    def __init__(self, text: str, *, exclude: int | None = None) -> None:
        self.text = clean_query(text)
        self.exclude = exclude
        self.vendor = connection.vendor
        self._match = fts5_query(self.text) if self.vendor == "sqlite" else self.text
        self._count: int | None = None

    @property
    def searchable(self) -> bool:
        """Whether the query holds anything to search for (else it matches nothing)."""
        return bool(self._match.strip()) and self.vendor in ("sqlite", "postgresql")

    def count(self) -> int:
        if self._count is None:
            if not self.searchable:
                self._count = 0
            else:
                build = _sqlite_count if self.vendor == "sqlite" else _pg_count
                sql, params = build(self._match, self.exclude)
                with connection.cursor() as cursor:
                    cursor.execute(sql, params)
                    self._count = cursor.fetchone()[0]
        return self._count

    def __len__(self) -> int:
        return self.count()

    def fetch(self, limit: int, offset: int = 0, *, snippets: bool = True) -> list[Story]:
        if not self.searchable or limit <= 0:
            return []
        build = _sqlite_sql if self.vendor == "sqlite" else _pg_sql
        sql, params = build(self._match, self.exclude, limit, offset, snippets)
        stories = list(Story.objects.raw(sql, params))
        for story in stories:
            story.headline_html = marked(story.headline_marked or _plain(story.headline))
            story.snippet_html = marked(story.snippet_marked)
        return stories

    def __getitem__(self, key):
        if isinstance(key, slice):
            start = key.start or 0
            stop = key.stop if key.stop is not None else start + 1000
            return self.fetch(stop - start, start)
        found = self.fetch(1, key)
        if not found:
            raise IndexError(key)
        return found[0]

    def __iter__(self):
        return iter(self[0:1000])


def search(text: str, *, exclude: int | None = None) -> SearchResults:
    return SearchResults(text, exclude=exclude)


# --- Related stories ------------------------------------------------------------------------

STOPWORDS = frozenset(
    """
a about above after again against all also am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from
further had has have having he her here hers herself him himself his how i if in into is it
its itself just me more most my myself new no nor not now of off on once only or other our
ours out over own same says said she should so some such than that the their theirs them
then there these they this those through to too under until up very was we were what when
where which while who whom why will with would you your yours year years after told amid
""".split()
)


def key_terms(
    story: Story, bullets: Iterable[str] = (), *, limit: int = RELATED_TERMS
) -> list[str]:
    """The words that say what a story is about: frequent in its headline, bullets, summary."""
    counts: Counter[str] = Counter()
    for text, weight in ((story.headline, 3), ("\n".join(bullets), 2), (story.summary, 1)):
        for word in re.findall(r"\w+", (text or "").lower()):
            if len(word) > 2 and not word.isdigit() and word not in STOPWORDS:
                counts[word] += weight
    return [word for word, _ in counts.most_common(limit)]


def related(story: Story, n: int = 5) -> list[Story]:
    """Up to ``n`` published stories most similar to ``story`` (never itself): one query.

    The story's key terms, any of them, ranked by the search engine (bm25 / ts_rank), so
    stories sharing its rarer and headline words come first.
    """
    bullets = (
        [b.text for b in story.bullets.all()]
        if hasattr(story, "_prefetched_objects_cache")
        and "bullets" in story._prefetched_objects_cache
        else []
    )
    terms = key_terms(story, bullets)
    if not terms:
        return []
    return search(" or ".join(terms), exclude=story.pk).fetch(n, snippets=False)
