"""Serving processes write SQLite's WAL back to the database file in a thread of their own."""

import os
import sqlite3
import time

import pytest

from newsdesk.site import walcheckpoint


def test_the_thread_writes_the_log_back_while_the_writer_never_checkpoints(tmp_path):
    path = tmp_path / "site.sqlite3"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=WAL")
    writer.execute("PRAGMA wal_autocheckpoint=0")  # this connection never checkpoints
    writer.execute("CREATE TABLE t (x BLOB)")
    for _ in range(300):
        writer.execute("INSERT INTO t VALUES (randomblob(2000))")
    before = os.path.getsize(path)
    assert before < 100_000  # the rows are only in the log so far

    # a thread of its own (this test process already runs one for the whole suite, maybe)
    walcheckpoint._started.pop(os.getpid(), None)
    walcheckpoint.start(path, interval=0.05)
    deadline = time.monotonic() + 10
    while os.path.getsize(path) < 500_000 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert os.path.getsize(path) >= 500_000  # written back into the database file
    assert writer.execute("SELECT count(*) FROM t").fetchone() == (300,)
    writer.close()


@pytest.mark.django_db
def test_django_connections_opened_after_the_start_checkpoint_rarely(tmp_path):
    from django.db import connection
    from django.db.backends.signals import connection_created

    if connection.vendor != "sqlite":
        pytest.skip("SQLite's write-ahead log")
    walcheckpoint.start(tmp_path / "other.sqlite3", interval=60)
    try:
        walcheckpoint._raise_mark(None, connection)  # as connection_created does
        with connection.cursor() as cur:
            cur.execute("PRAGMA wal_autocheckpoint")
            assert cur.fetchone()[0] == walcheckpoint.FALLBACK_PAGES
        assert connection_created.has_listeners()
    finally:
        connection_created.disconnect(dispatch_uid="newsdesk.walcheckpoint")
