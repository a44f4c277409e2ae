"""Crashes and contention: ``kill -9`` mid-ingest, and many writers on one SQLite file.

Both drive real processes against a real database file (or PostgreSQL when the suite runs
with ``DATABASE_URL``): nothing committed is lost, no story is stored half-written, and
``database is locked`` never escapes to the caller.
"""

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from lib._shared import SHARED as _SHARED_ROOT

SHARED = _SHARED_ROOT / "data"

PG_URL = os.environ.get("DATABASE_URL", "")


def _write_articles(folder: Path) -> int:
    """cnndm articles as wire copy: headline, blank line, paragraphs of three sentences."""
    data = SHARED / "summaries" / "cnndm-dev.jsonl"
    if not data.exists():
        pytest.skip(f"shared evaluation data not found at {data} (clone ../shared beside the repo)")
    folder.mkdir()
    n = 0
    with data.open(encoding="utf-8") as f:
        for line in f:
            item = json.loads(line)
            sentences = re.split(r"(?<=[.!?'])\s+(?=[A-Z])", item["article"])
            paras = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
            (folder / f"{item['id']}.txt").write_text(
                # a wire headline has no final period (else it reads as the story's opening)
                item["highlights"][0].rstrip(" .") + "\n\n" + "\n\n".join(paras) + "\n",
                encoding="utf-8",
            )
            n += 1
    return n


class Target:
    """A scratch database for the subprocesses: a SQLite file, or a PostgreSQL database."""

    def __init__(self, kind: str, tmp: Path, tag: str = "crash"):
        self.kind, self.tmp = kind, tmp
        self.env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        self.env.update(
            NEWSDESK_DATA_DIR=str(tmp / "data"), DJANGO_SETTINGS_MODULE="newsdesk.site.settings"
        )
        (tmp / "data").mkdir(parents=True, exist_ok=True)
        if kind == "postgres":
            import psycopg

            parts = urlsplit(PG_URL)
            self.dbname = f"{parts.path.lstrip('/') or 'newsdesk'}_{tag}_{os.getpid()}"
            self.admin_url = urlunsplit(parts._replace(path="/postgres"))
            self.url = urlunsplit(parts._replace(path=f"/{self.dbname}"))
            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.dbname}"')
                conn.execute(f'CREATE DATABASE "{self.dbname}"')
            self.env["DATABASE_URL"] = self.url

    def drop(self):
        if self.kind == "postgres":
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.dbname}" WITH (FORCE)')

    def query(self, sql: str) -> list[tuple]:
        if self.kind == "postgres":
            import psycopg

            with psycopg.connect(self.url) as conn:
                return conn.execute(sql).fetchall()
        conn = sqlite3.connect(self.tmp / "data" / "db.sqlite3", timeout=20)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()

    def story_count(self) -> int:
        try:
            return self.query("SELECT count(*) FROM stories_story")[0][0]
        except Exception:  # noqa: BLE001 - not migrated yet
            return 0


@pytest.fixture(params=["sqlite", "postgres"])
def target(request, tmp_path):
    if request.param == "postgres" and not PG_URL.startswith("postgres"):
        pytest.skip("PostgreSQL run: set DATABASE_URL=postgres://...")
    t = Target(request.param, tmp_path)
    yield t
    t.drop()


def _ingest(target: Target, folder: Path, log: Path | None = None) -> subprocess.Popen:
    """``newsdesk ingest folder`` in a subprocess; its output piped, or written to ``log``."""
    code = "import sys; from newsdesk.cli import main; sys.exit(main(sys.argv[1:]))"
    if log is not None:
        with log.open("w") as out:
            return subprocess.Popen(
                [sys.executable, "-c", code, "ingest", str(folder)],
                env=target.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
    return subprocess.Popen(
        [sys.executable, "-c", code, "ingest", str(folder)],
        env=target.env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _check_whole(target: Target) -> int:
    """Every stored story is complete: body blocks, Quick Looks bullets, a section link."""
    if target.kind == "sqlite":
        assert target.query("PRAGMA integrity_check") == [("ok",)]
        blocks_empty = "blocks = '[]' OR blocks IS NULL"
    else:
        blocks_empty = "jsonb_array_length(blocks::jsonb) = 0 OR blocks IS NULL"
    half = target.query(f"""
        SELECT s.id, s.headline FROM stories_story s
        WHERE {blocks_empty}
           OR NOT EXISTS (SELECT 1 FROM stories_quicklookbullet b WHERE b.story_id = s.id)""")
    assert half == [], f"half-written stories: {half[:5]}"
    dupes = target.query(
        "SELECT headline, count(*) FROM stories_story GROUP BY headline HAVING count(*) > 1"
    )
    assert dupes == [], f"duplicates: {dupes[:5]}"
    return target.story_count()


def test_kill_9_mid_ingest_loses_nothing_and_leaves_no_half_story(target, tmp_path):
    folder = tmp_path / "in"
    total = _write_articles(folder)
    # The same set in one uninterrupted run, into a database of its own: it runs beside the
    # crashes (on the second core) rather than after them.
    # Its output goes to a file: a pipe nobody reads until the end would fill and stall it.
    reference = Target(target.kind, tmp_path / "reference", "ref")
    log = tmp_path / "reference.log"
    try:
        clean = _ingest(reference, folder, log)
        try:
            _crash_and_finish(target, folder, total)
            clean.wait(timeout=600)
        finally:
            if clean.poll() is None:
                clean.kill()
                clean.wait()
        assert clean.returncode == 0, log.read_text()[-2000:]
        # the same set as one uninterrupted run: nothing lost, nothing twice
        assert _contents(target) == _contents(reference)
        assert _check_whole(target) == _check_whole(reference) > total * 0.9
    finally:
        reference.drop()


def _crash_and_finish(target: Target, folder: Path, total: int) -> None:
    """Three ``kill -9`` of ``newsdesk ingest`` at different points, then a clean run."""
    seen = 0
    kills = 0
    for stop_at in (20, 80, 160):  # three crashes at different points, then a clean run
        proc = _ingest(target, folder)
        while target.story_count() < stop_at and proc.poll() is None:
            time.sleep(0.01)
        assert proc.poll() is None, f"ingest ended before the kill: {proc.communicate()}"
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills += 1
        assert proc.returncode == -signal.SIGKILL
        count = _check_whole(target)
        assert seen <= count < total  # nothing committed was lost
        seen = count
    proc = _ingest(target, folder)
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err[-2000:]
    assert "0 rejected" in out.splitlines()[-1]
    assert kills == 3


def _contents(target: Target) -> list[tuple]:
    """Each story's headline, body and Quick Looks bullets, in a stable order."""
    stories = target.query("SELECT id, headline, blocks FROM stories_story")
    bullets: dict[int, list[str]] = {}
    for story_id, text in target.query(
        'SELECT story_id, text FROM stories_quicklookbullet ORDER BY story_id, "order"'
    ):
        bullets.setdefault(story_id, []).append(text)
    return sorted((h, str(b), tuple(bullets.get(i, []))) for i, h, b in stories)


WRITER = r"""
import sys
from datetime import UTC, datetime, timedelta
import django
django.setup()
from newsdesk.article import Article, Block, DeepLook
from newsdesk.site.ingestion.store import ingest

import json
writer, count, data = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
with open(data, encoding="utf-8") as f:
    texts = [json.loads(line)["article"] for line in f][writer * count:(writer + 1) * count]
for n, text in enumerate(texts):
    ingest(Article(
        headline=f"Writer {writer} story {n}",
        sections=("World", f"Desk {writer % 2}"),
        published=datetime(2025, 1, 1, tzinfo=UTC) + timedelta(minutes=writer * 1000 + n),
        deep_look=DeepLook(title=None, dateline=None, blocks=(Block("paragraph", text),)),
    ))
print("done", writer)
"""


def test_concurrent_writers_all_land(target):
    migrate = subprocess.run(
        [sys.executable, "-m", "django", "migrate", "-v0"],
        env=target.env,
        capture_output=True,
        text=True,
    )
    assert migrate.returncode == 0, migrate.stderr
    data = SHARED / "summaries" / "cnndm-dev.jsonl"
    if not data.exists():
        pytest.skip(f"shared evaluation data not found at {data}")
    writers, each = 4, 40  # distinct cnndm articles, so none is a near-duplicate of another
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(w), str(each), str(data)],
            env=target.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(writers)
    ]
    results = [(p.wait(timeout=600), *p.communicate()) for p in procs]
    for code, out, err in results:
        assert "database is locked" not in err
        assert code == 0 and out.startswith("done"), err[-2000:]
    assert _check_whole(target) == writers * each
    # the shared labels (tags: ingest never creates sections) were created once each,
    # not once per writer
    names = [r[0] for r in target.query("SELECT name FROM stories_tag ORDER BY name")]
    assert names == ["Desk 0", "Desk 1", "World"]
    assert target.query("SELECT count(*) FROM stories_section") == [(0,)]
