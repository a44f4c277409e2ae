"""The task queue's Huey classes: Huey on one SQLite file by default, Redis at scale.

Django's ``HUEY`` setting (read by ``huey.contrib.djhuey``) is built in ``settings.py`` from
``NEWSDESK_QUEUE``, ``REDIS_URL``, ``NEWSDESK_QUEUE_NAME``, ``NEWSDESK_QUEUE_IMMEDIATE`` and
``NEWSDESK_WORKER_THREADS`` (see .env.example); it names ``SqliteHuey`` below by its path.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from huey import Huey
from huey.storage import SqliteStorage


class LazySqliteStorage(SqliteStorage):
    """Huey's SQLite storage, creating its folder and tables on first use, not at import.

    The settings module builds the queue; this keeps that from touching the disk until a
    task is really enqueued or a worker starts.
    """

    def __init__(self, *args, **kwargs):
        kwargs["create_tables"] = False
        super().__init__(*args, **kwargs)

    @property
    def conn(self) -> sqlite3.Connection:
        if self._conn is None:
            Path(self.filename).parent.mkdir(parents=True, exist_ok=True)
            conn = self._create_connection()
            for sql in self.ddl:
                conn.execute(sql)
            conn.commit()
            self._conn = conn
        return self._conn


class SqliteHuey(Huey):
    """Huey on one SQLite file (the embedded default)."""

    storage_class = LazySqliteStorage


def make_huey(config: dict) -> Huey:
    """A Huey instance from a ``HUEY`` setting, built as ``huey.contrib.djhuey`` builds it."""
    from importlib import import_module

    module, _, cls = config["huey_class"].rpartition(".")
    huey_class = getattr(import_module(module), cls)
    options = {
        k: v for k, v in config.items() if k not in {"huey_class", "name", "connection", "consumer"}
    }
    return huey_class(config["name"], **options, **config.get("connection", {}))
