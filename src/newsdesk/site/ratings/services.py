"""Store votes and read the tallies: the one place that writes Vote and RatingSummary rows.

A vote is at most three statements in one transaction, the same SQL on SQLite and PostgreSQL:
insert the vote (or find the reader's earlier one, locked), update it when it is a revote, and
add the difference to the story's RatingSummary row with an upsert. Nothing is read and then
written back, so concurrent votes can neither be lost nor counted twice.
"""

from __future__ import annotations

import fcntl
import functools
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone

from newsdesk.site import pagecache
from newsdesk.site.ratings.models import STARS, RatingSummary, Vote

VOTE = Vote._meta.db_table
SUMMARY = RatingSummary._meta.db_table
_WRITE_LOCK = threading.Lock()


class Replay(Exception):
    """The same reader sent the same form twice (a double submit or a replayed request)."""


@dataclass(frozen=True, slots=True)
class Rating:
    """A story's figures: ``count``, ``average`` (0.0 without votes), ``distribution`` 1★..5★."""

    count: int = 0
    total: int = 0
    distribution: tuple[int, ...] = (0, 0, 0, 0, 0)

    @property
    def average(self) -> float:
        return self.total / self.count if self.count else 0.0

    @property
    def average_display(self) -> str:
        """``4.3``; ``0`` without votes, as the seed page prints it."""
        return f"{self.average:.1f}" if self.count else "0"

    @property
    def bars(self) -> list[tuple[int, int, int]]:
        """(stars, votes, percent of votes) from 5★ down to 1★, for bar charts."""
        return [
            (n, c, round(100 * c / self.count) if self.count else 0)
            for n, c in reversed(list(zip(STARS, self.distribution, strict=True)))
        ]

    def to_dict(self) -> dict:
        return {
            "count": self.count,
            "average": round(self.average, 2),
            "average_display": self.average_display,
            "distribution": {str(n): c for n, c in zip(STARS, self.distribution, strict=True)},
        }

    @classmethod
    def of(cls, story) -> Rating:
        """The rating of ``story``; no query when loaded with select_related("rating_summary")."""
        try:
            summary = story.rating_summary
        except RatingSummary.DoesNotExist:
            return cls()
        return cls.from_summary(summary)

    @classmethod
    def from_summary(cls, summary: RatingSummary | None) -> Rating:
        if summary is None:
            return cls()
        return cls(summary.count, summary.total, summary.distribution)


@dataclass(frozen=True, slots=True)
class Cast:
    created: bool  # False: the reader's earlier vote was replaced
    previous: int | None
    rating: Rating  # the story's figures right after this vote


SUMMARY_COLUMNS = ["count", "total"] + [f"stars_{n}" for n in STARS]


def _returned(row) -> Rating:
    return Rating(row[0], row[1], tuple(row[2:]))


@functools.cache
def _statements(vendor: str) -> dict[str, str]:
    """A vote's SQL for ``vendor``, in its driver's own placeholder style.

    Run on the driver's cursor, not Django's: Django's cursor wrapper (placeholder rewriting,
    debug hooks, error wrapping per statement) cost as much as the statements themselves.
    """
    q = connection.ops.quote_name
    cols = ", ".join(q(c) for c in SUMMARY_COLUMNS)
    adds = ", ".join(f"{q(c)} = {q(SUMMARY)}.{q(c)} + EXCLUDED.{q(c)}" for c in SUMMARY_COLUMNS)
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    sql = {
        "insert": (
            f"INSERT INTO {q(VOTE)} (story_id, voter, stars, feedback, address, nonce, "  # noqa: S608
            f"created, updated) VALUES (%s, %s, %s, %s, %s, %s, %s, %s) "
            f"ON CONFLICT (story_id, voter) DO NOTHING RETURNING id"
        ),
        # The reader voted before: lock that row (PostgreSQL; SQLite's writer already holds
        # the database) so two revotes of one reader apply one after the other.
        "previous": f"SELECT stars, nonce FROM {q(VOTE)} WHERE story_id = %s AND voter = %s{lock}",  # noqa: S608
        "revote": (
            f"UPDATE {q(VOTE)} SET stars = %s, feedback = %s, address = %s, nonce = %s, "  # noqa: S608
            f"updated = %s WHERE story_id = %s AND voter = %s"
        ),
        # A first vote: add it to the story's summary row, made when missing.
        "add": (
            f"INSERT INTO {q(SUMMARY)} ({q('story_id')}, {cols}) "  # noqa: S608
            f"VALUES (%s, {', '.join(['%s'] * len(SUMMARY_COLUMNS))}) "
            f"ON CONFLICT ({q('story_id')}) DO UPDATE SET {adds} RETURNING {cols}"
        ),
        "read": f"SELECT {cols} FROM {q(SUMMARY)} WHERE {q('story_id')} = %s",  # noqa: S608
    }
    for old in STARS:  # a revote moves one vote from ``old`` to ``new`` stars
        for new in STARS:
            sql[f"move {old} {new}"] = (
                f"UPDATE {q(SUMMARY)} SET {q('total')} = {q('total')} + %s, "  # noqa: S608
                f"{q(f'stars_{old}')} = {q(f'stars_{old}')} - 1, "
                f"{q(f'stars_{new}')} = {q(f'stars_{new}')} + 1 WHERE {q('story_id')} = %s "
                f"RETURNING {cols}"
            )
    if vendor == "sqlite":
        sql = {k: v.replace("%s", "?") for k, v in sql.items()}
    return sql


def cast(
    story, voter: str, stars: int, *, feedback: str = "", nonce: str = "", address: str = ""
) -> Cast:
    """Store ``voter``'s vote on ``story`` (replacing an earlier one) and update the tally.

    ``story`` needs only ``pk`` and ``slug``. Takes validated values (stars 1..5, sanitised
    feedback). Raises Replay when this voter's current vote was cast with the same non-empty
    ``nonce``; then nothing changes.
    """
    if stars not in STARS:
        raise ValueError(f"stars must be 1 to 5, not {stars!r}")
    db = connections[DEFAULT_DB_ALIAS]  # looked up once: each `connection.x` is a lookup
    # SQLite has one writer at a time; threads of one process queue on this lock, and the
    # processes on a lock file beside the database, rather than on SQLite's busy handler,
    # which sleeps in steps of up to 100 ms (bench/ratings.py).
    if db.vendor != "sqlite":
        return _cast(db, story, voter, stars, feedback, nonce, address)
    with _WRITE_LOCK, _writer_file_lock(db):
        return _cast(db, story, voter, stars, feedback, nonce, address)


_lock_files: dict[tuple[int, str], int] = {}


@contextmanager
def _writer_file_lock(db):
    """Hold an exclusive lock on ``<database>.writer-lock`` (SQLite in a file only).

    Taken under _WRITE_LOCK, so one thread per process waits here; the kernel wakes the next
    process as soon as the lock is free, where SQLite's busy handler would poll and sleep.
    """
    name = str(db.settings_dict["NAME"])
    if name.startswith("file:") or name == ":memory:" or "mode=memory" in name:
        yield
        return
    key = (os.getpid(), name)  # a forked worker opens its own file (flock is per open file)
    fd = _lock_files.get(key)
    if fd is None:
        fd = _lock_files[key] = os.open(name + ".writer-lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


def _cast(db, story, voter, stars, feedback, nonce, address) -> Cast:
    now = db.ops.adapt_datetimefield_value(timezone.now())
    values = (story.pk, voter, stars, feedback, address, nonce, now)
    if db.in_atomic_block:  # inside the caller's transaction: a savepoint, as Django does it
        with transaction.atomic(using=db.alias), db.wrap_database_errors:
            cur = db.connection.cursor()
            try:
                created, previous, row = _write(cur, _statements(db.vendor), *values)
            finally:
                cur.close()
    else:
        # In autocommit (every request): BEGIN … COMMIT on the driver's connection. Django's
        # atomic() around the same statements cost as much as them (bench/ratings.py).
        db.ensure_connection()
        with db.wrap_database_errors:
            cur = db.connection.cursor()
            try:
                cur.execute("BEGIN IMMEDIATE" if db.vendor == "sqlite" else "BEGIN")
                try:
                    created, previous, row = _write(cur, _statements(db.vendor), *values)
                except BaseException:
                    cur.execute("ROLLBACK")
                    raise
                cur.execute("COMMIT")
            finally:
                cur.close()
    if created or previous != stars:
        # The page shows the numbers: from the commit on (at once when committed above, at
        # the caller's commit inside its transaction), a page rendered shows this vote.
        pagecache.bump(pagecache.story_key(story.slug))
    rating = _returned(row) if row else rebuild(story.pk)  # a summary row went missing
    return Cast(created, previous, rating)


def _write(cur, sql, story_id, voter, stars, feedback, address, nonce, now):
    """The vote's statements in an open transaction: (created, previous stars, the summary
    row after it, or None when that row is missing)."""
    cur.execute(sql["insert"], (story_id, voter, stars, feedback, address, nonce, now, now))
    if cur.fetchone() is not None:
        cur.execute(sql["add"], (story_id, 1, stars, *(int(n == stars) for n in STARS)))
        return True, None, cur.fetchone()
    cur.execute(sql["previous"], (story_id, voter))
    previous, old_nonce = cur.fetchone()
    if nonce and old_nonce == nonce:
        raise Replay("this form was already sent")
    cur.execute(sql["revote"], (stars, feedback, address, nonce, now, story_id, voter))
    if previous != stars:
        cur.execute(sql[f"move {previous} {stars}"], (stars - previous, story_id))
    else:
        cur.execute(sql["read"], (story_id,))
    return False, previous, cur.fetchone()


def fetch_one(sql: str, params: tuple) -> tuple | None:
    """The first row of ``sql`` (in the driver's own placeholder style), run on the driver's
    cursor without Django's cursor wrapper (its cost: see views.published)."""
    db = connections[DEFAULT_DB_ALIAS]
    db.ensure_connection()
    with db.wrap_database_errors:
        cur = db.connection.cursor()
        try:
            cur.execute(sql, params)
            return cur.fetchone()
        finally:
            cur.close()


def summary_of(story_id: int) -> Rating:
    """A story's figures from its summary row: one query."""
    row = fetch_one(_statements(connection.vendor)["read"], (story_id,))
    return _returned(row) if row else Rating()


def tally(story_id: int) -> Rating:
    """Count a story's votes from the Vote rows themselves (one aggregate query)."""
    agg = Vote.objects.filter(story_id=story_id).aggregate(
        count=Count("id"),
        total=Sum("stars"),
        **{f"s{n}": Count("id", filter=Q(stars=n)) for n in STARS},
    )
    return Rating(agg["count"], agg["total"] or 0, tuple(agg[f"s{n}"] for n in STARS))


def rebuild(story_id: int, *, create: bool = True) -> Rating:
    """Recount a story's summary row from its votes (after an editor deletes votes, a restore…)."""
    rating = tally(story_id)
    values = {
        "count": rating.count,
        "total": rating.total,
        **{f"stars_{n}": c for n, c in zip(STARS, rating.distribution, strict=True)},
    }
    with transaction.atomic():
        updated = RatingSummary.objects.filter(story_id=story_id).update(**values)
        if not updated and create:
            RatingSummary.objects.create(story_id=story_id, **values)
    return rating


def page_context(story) -> dict:
    """What the story page's rating block needs; no query when the story was loaded with
    select_related("rating_summary"). ``rating`` has ``.count`` and ``.average`` (JSON-LD)."""
    from django.conf import settings

    from newsdesk.site.ratings.readers import form_token

    return {
        "rating": Rating.of(story),
        "rating_form": form_token(story.pk),
        "rating_feedback_max": settings.NEWSDESK_RATING_FEEDBACK_MAX,
    }
