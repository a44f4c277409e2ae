"""Checkpoint SQLite's write-ahead log beside the requests, not inside them.

SQLite copies its WAL back into the database file (a checkpoint) when the log passes 1,000
pages, inside whichever commit crosses the mark, and syncs the file to disk there. Under a
stream of votes that commit waits about 100 ms while holding the write lock, and every
other writer queues behind it: commits cost 93 µs on average with automatic checkpoints and
50 µs without (a vote is five statements; bench/ratings.py).

In a serving process a daemon thread checkpoints instead, every half second on its own
connection, PASSIVE (it never blocks a reader or a writer, and yields to another process's
thread doing the same). The request connections still checkpoint by themselves past a much
higher mark, should the thread fall behind.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path

INTERVAL = 0.5  # seconds between checkpoints
FALLBACK_PAGES = 20_000  # the request connections' own mark (80 MB of 4 KB pages)

_started: dict[int, threading.Thread] = {}  # per process id: a forked child starts its own
_lock = threading.Lock()


def start(database: str | Path, *, interval: float = INTERVAL) -> threading.Thread:
    """Run the checkpointing thread for ``database`` in this process (once per process), and
    raise the mark of Django's SQLite connections opened from now on."""
    from django.db.backends.signals import connection_created

    with _lock:
        thread = _started.get(os.getpid())
        if thread is None:
            connection_created.connect(_raise_mark, dispatch_uid="newsdesk.walcheckpoint")
            thread = threading.Thread(
                target=_run, args=(Path(database), interval), daemon=True, name="wal-checkpoint"
            )
            thread.start()
            _started[os.getpid()] = thread
        return thread


def _raise_mark(sender, connection, **kwargs) -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cur:
            cur.execute(f"PRAGMA wal_autocheckpoint={FALLBACK_PAGES}")


def _run(database: Path, interval: float) -> None:
    db = None
    while True:
        time.sleep(interval)
        try:
            if db is None:
                # timeout 0: when another process is checkpointing, skip this turn
                db = sqlite3.connect(database, timeout=0, isolation_level=None)
            db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
        except sqlite3.Error:
            pass  # busy (another checkpoint) or the file is not there yet: the next turn
