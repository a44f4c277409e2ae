"""The task queue's configuration: Huey on SQLite by default, on Redis at scale.

``huey_settings(environ, data_dir)`` builds Django's ``HUEY`` setting (read by
``huey.contrib.djhuey``) from the environment:

- ``NEWSDESK_QUEUE``: ``sqlite`` (the default without Redis) or ``redis`` (the default
  when ``REDIS_URL`` is set);
- ``REDIS_URL``: the Redis server, e.g. ``redis://127.0.0.1:6379/0``;
- ``NEWSDESK_QUEUE_NAME``: the queue's name (default ``newsdesk``);
- ``NEWSDESK_QUEUE_IMMEDIATE``: run tasks at once in the calling process, no worker
  (for development and tests; default off);
- ``NEWSDESK_WORKER_THREADS``: worker threads of ``newsdesk worker`` (default 2).

No Django imports here: the settings module imports this one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from pathlib import Path

from huey import Huey
from huey.storage import SqliteStorage

BACKENDS = {"sqlite", "redis"}
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/0"


class QueueConfigError(ValueError):
    """The environment names a queue backend newsdesk does not know."""


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in {"1", "true", "yes", "on"}


def huey_settings(environ: Mapping[str, str], data_dir: Path) -> dict:
    """The ``HUEY`` setting for ``environ``, with the SQLite queue kept in ``data_dir``."""
    redis_url = (environ.get("REDIS_URL") or "").strip()
    backend = (environ.get("NEWSDESK_QUEUE") or "").strip().lower() or (
        "redis" if redis_url else "sqlite"
    )
    if backend not in BACKENDS:
        raise QueueConfigError(
            f"NEWSDESK_QUEUE={backend!r} is not a queue backend: use one of {sorted(BACKENDS)}"
        )
    if backend == "redis":
        huey_class, connection = "huey.RedisHuey", {"url": redis_url or DEFAULT_REDIS_URL}
    else:
        huey_class = "newsdesk.site.ingestion.queue.SqliteHuey"
        connection = {"filename": str(Path(data_dir) / "queue.sqlite3")}
    return {
        "huey_class": huey_class,
        "name": (environ.get("NEWSDESK_QUEUE_NAME") or "newsdesk").strip(),
        "immediate": _flag(environ.get("NEWSDESK_QUEUE_IMMEDIATE")),
        "utc": True,
        "connection": connection,
        "consumer": {
            "workers": int(environ.get("NEWSDESK_WORKER_THREADS") or 2),
            "worker_type": "thread",
            "periodic": True,
        },
    }


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
