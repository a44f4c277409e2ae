"""``newsdesk backup PATH`` and ``newsdesk restore PATH``: the whole database in one file.

Formats, chosen by the database in use and recognised on restore by their first bytes:

- **SQLite**: a copy made with SQLite's online backup API, a consistent snapshot even
  while the site keeps serving and writing. The file is itself a SQLite database.
- **PostgreSQL**: ``pg_dump --format=custom`` when ``pg_dump`` is on PATH, restored with
  ``pg_restore``; otherwise (or with ``--format json``) Django's ``dumpdata`` JSON,
  restored with ``loaddata``. JSON also moves a site between SQLite and PostgreSQL.

Restore refuses to overwrite a database that already holds stories, sections, users or
any other site data unless ``force`` is given; it migrates the result to the current schema.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from newsdesk.errors import NewsdeskError

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
# Rebuilt by migrate on any database; natural keys point at them instead.
JSON_EXCLUDE = ["contenttypes", "auth.permission", "sessions"]


class BackupError(NewsdeskError):
    """A backup or restore could not be done; the message says why."""


def _connection():
    from django.db import connections

    return connections["default"]


def vendor() -> str:
    return _connection().vendor


def backup(path: str | Path, *, format: str = "native") -> str:
    """Write the database to ``path`` and return the format written (sqlite, pgdump, json)."""
    if format not in {"native", "json"}:
        raise BackupError(f"unknown backup format {format!r} (use native or json)")
    path = Path(path)
    if path.is_dir():
        raise BackupError(f"{path}: is a directory; give a file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    # Write next to the target, then rename: a crash never leaves half a backup under PATH.
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        if format == "json":
            kind = _dump_json(tmp)
        elif vendor() == "sqlite":
            kind = _backup_sqlite(tmp)
        elif vendor() == "postgresql" and shutil.which("pg_dump"):
            kind = _backup_pgdump(tmp)
        else:
            kind = _dump_json(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)
    return kind


def detect(path: Path) -> str:
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise BackupError(f"{path}: cannot read: {exc.strerror or exc}") from exc
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PGDUMP_MAGIC):
        return "pgdump"
    if head.lstrip()[:1] in (b"[", b"{"):
        return "json"
    raise BackupError(f"{path}: not a newsdesk backup (neither SQLite, pg_dump nor JSON)")


def has_data() -> bool:
    """True when the database holds site content or user accounts a restore would destroy.

    Rows that ``migrate`` itself creates (content types, permissions, default groups) and
    login bookkeeping do not count: a freshly created database is empty.
    """
    from django.apps import apps
    from django.db import DatabaseError

    tables = set(_connection().introspection.table_names())
    for model in apps.get_models():
        ours = model.__module__.startswith("newsdesk.")
        if not (ours or model._meta.label == "auth.User"):
            continue
        if model._meta.db_table not in tables or not model._meta.managed:
            continue
        try:
            if model._base_manager.exists():
                return True
        except DatabaseError:
            continue
    return False


def restore(path: str | Path, *, force: bool = False) -> str:
    """Replace the database's contents with the backup at ``path``; returns its format."""
    from django.core.management import call_command

    path = Path(path)
    kind = detect(path)
    call_command("migrate", interactive=False, verbosity=0)
    if not force and has_data():
        raise BackupError(
            "the database is not empty; restoring would overwrite it "
            "(use --force to replace its contents)"
        )
    db = vendor()
    if kind == "sqlite":
        if db != "sqlite":
            raise BackupError(
                f"{path}: a SQLite backup cannot be restored into {db}; "
                "make a JSON backup (newsdesk backup --format json)"
            )
        _restore_sqlite(path)
    elif kind == "pgdump":
        if db != "postgresql":
            raise BackupError(f"{path}: a pg_dump backup restores only into PostgreSQL, not {db}")
        _restore_pgdump(path)
    else:
        _load_json(path)
    call_command("migrate", interactive=False, verbosity=0)
    return kind


# --- SQLite -----------------------------------------------------------------------------


def _raw_sqlite():
    conn = _connection()
    conn.ensure_connection()
    if conn.in_atomic_block:
        raise BackupError("cannot back up or restore inside a transaction")
    return conn.connection


def _backup_sqlite(tmp: Path) -> str:
    dest = sqlite3.connect(tmp)
    try:
        # Pages are copied in steps; a writer that commits in between restarts the copy,
        # so the result is always one consistent snapshot.
        _raw_sqlite().backup(dest, pages=1024)
        dest.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        dest.close()
    return "sqlite"


def _restore_sqlite(path: Path) -> None:
    src = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        check = src.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise BackupError(f"{path}: the backup is damaged: {check}")
        src.backup(_raw_sqlite())
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{path}: cannot restore: {exc}") from exc
    finally:
        src.close()


# --- PostgreSQL ---------------------------------------------------------------------------


def _pg_env_args() -> tuple[dict, list[str]]:
    s = _connection().settings_dict
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    args = []
    if s.get("HOST"):
        args += ["--host", str(s["HOST"])]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", str(s["USER"])]
    args += ["--dbname", str(s["NAME"])]
    return env, args


def _run_pg(cmd: list[str]) -> None:
    env, args = _pg_env_args()
    result = subprocess.run([*cmd, *args], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{cmd[0]} failed: {result.stderr.strip()[-800:]}")


def _backup_pgdump(tmp: Path) -> str:
    _run_pg(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", f"--file={tmp}"])
    return "pgdump"


def _restore_pgdump(path: Path) -> None:
    if not shutil.which("pg_restore"):
        raise BackupError(f"{path}: is a pg_dump backup but pg_restore is not on PATH")
    from django.db import connections

    connections.close_all()
    _run_pg(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            str(path),
        ]
    )


# --- JSON (any database) --------------------------------------------------------------


# Django's JSON encoder cuts times to milliseconds; the backup keeps every microsecond.
# This module is itself the serializer (Serializer/Deserializer below) under this name.
EXACT_JSON = "newsdesk-json"


def _register_exact_json() -> None:
    from django.core import serializers

    if EXACT_JSON not in serializers.get_serializer_formats():
        serializers.register_serializer(EXACT_JSON, __name__)


def __getattr__(name: str):
    """``Serializer`` and ``Deserializer`` for Django, built on first use (Django not loaded
    before then, so ``newsdesk`` without the site stays Django-free)."""
    if name not in {"Serializer", "Deserializer"}:
        raise AttributeError(name)
    import datetime as dt

    from django.core.serializers import json as dj_json
    from django.core.serializers.json import DjangoJSONEncoder

    class ExactEncoder(DjangoJSONEncoder):
        def default(self, o):
            if isinstance(o, dt.datetime | dt.time):
                return o.isoformat()  # full precision; to_python reads it back
            return super().default(o)

    class Serializer(dj_json.Serializer):
        def _init_options(self):
            super()._init_options()
            self.json_kwargs["cls"] = ExactEncoder

    globals().update(Serializer=Serializer, Deserializer=dj_json.Deserializer)
    return globals()[name]


def _dump_json(tmp: Path) -> str:
    from django.core.management import call_command

    _register_exact_json()
    call_command(
        "dumpdata",
        format=EXACT_JSON,
        natural_foreign=True,
        natural_primary=True,
        exclude=JSON_EXCLUDE,
        output=str(tmp),
        verbosity=0,
    )
    return "json"


def _load_json(path: Path) -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError
    from django.db import DatabaseError, transaction

    with tempfile.TemporaryDirectory() as tmpdir:
        # loaddata knows the format by the file name's extension only
        _register_exact_json()
        fixture = Path(tmpdir) / f"backup.{EXACT_JSON}"
        shutil.copyfile(path, fixture)
        try:
            with transaction.atomic():
                call_command("flush", interactive=False, verbosity=0)
                call_command("loaddata", str(fixture), verbosity=0)
        except (CommandError, DatabaseError, ValueError) as exc:
            raise BackupError(f"{path}: cannot restore: {exc}") from exc
