"""``kill -9`` of ``newsdesk worker`` while it consumes queued ``ingest_document`` tasks.

What Huey guarantees, and what this test holds it to: a task is taken off the queue before
it runs and there is no acknowledgement, so delivery is *at most once*. A SIGKILL loses the
tasks the worker's threads were running (at most one per thread) and nothing else: every
task still queued survives in the queue (the SQLite file in NEWSDESK_DATA_DIR, or Redis)
and a restarted worker runs it. newsdesk makes up the difference: each story is stored in
one transaction (so a killed task leaves no half-written story) and ``ingest`` recognises a
story it already holds (so re-enqueueing a lost task, which this test does as an operator
would, never stores it twice). Runs on SQLite, and on PostgreSQL with ``DATABASE_URL``.
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from test_crash import PG_URL, SHARED, Target, _check_whole

DOCUMENTS = 200
WORKERS = 2  # worker threads: at most this many tasks are in flight at the kill
KILL_AT = 12  # stories stored when the worker is killed
DEADLINE = 600  # seconds a worker may take to drain the queue before the test gives up

QUEUE = r"""
import json, sys
import django
django.setup()
from huey.contrib.djhuey import HUEY
from newsdesk.site.ingestion.tasks import ingest_document

if sys.argv[1] == "enqueue":
    ids = [ingest_document(open(path, "rb").read(), name=path, format="text").id
           for path in json.load(sys.stdin)]
    print(json.dumps(ids))
else:
    wanted = json.load(sys.stdin)
    results = {}
    for task_id in wanted:
        value = HUEY.get(task_id, peek=True)
        if value is not None:
            results[task_id] = value
    print(json.dumps({"pending": [t.id for t in HUEY.pending()], "results": results}))
"""


@pytest.fixture(params=["sqlite", "postgres"])
def target(request, tmp_path):
    if request.param == "postgres" and not PG_URL.startswith("postgres"):
        pytest.skip("PostgreSQL run: set DATABASE_URL=postgres://...")
    t = Target(request.param, tmp_path, "worker")
    # The embedded queue (one SQLite file in the data directory), whatever REDIS_URL says.
    t.env = {k: v for k, v in t.env.items() if k != "REDIS_URL"}
    t.env.update(
        NEWSDESK_QUEUE="sqlite", NEWSDESK_QUEUE_IMMEDIATE="false", NEWSDESK_QUEUE_NAME="crash-test"
    )
    yield t
    t.drop()


def _documents(folder: Path) -> list[str]:
    """DOCUMENTS cnndm articles as wire copy files (distinct stories, none a near-duplicate)."""
    data = SHARED / "summaries" / "cnndm-dev.jsonl"
    if not data.exists():
        pytest.skip(f"shared evaluation data not found at {data} (clone ../shared beside the repo)")
    folder.mkdir()
    paths = []
    with data.open(encoding="utf-8") as f:
        for n, line in enumerate(f):
            if n == DOCUMENTS:
                break
            item = json.loads(line)
            path = folder / f"{item['id']}.txt"
            path.write_text(f"{item['highlights'][0]}\n\n{item['article']}\n", encoding="utf-8")
            paths.append(str(path))
    return paths


def _queue(target: Target, command: str, payload) -> dict | list:
    run = subprocess.run(
        [sys.executable, "-c", QUEUE, command],
        input=json.dumps(payload),
        env=target.env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout)


def _worker(target: Target, log: Path) -> subprocess.Popen:
    code = "import sys; from newsdesk.cli import main; sys.exit(main(sys.argv[1:]))"
    with log.open("ab") as out:  # a file, not a pipe: a full pipe would stall the worker
        return subprocess.Popen(
            [sys.executable, "-c", code, "worker", "--workers", str(WORKERS)],
            env=target.env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _wait(proc: subprocess.Popen, log: Path, done, what: str, pause: float = 0.02) -> None:
    end = time.monotonic() + DEADLINE
    while not done():
        assert proc.poll() is None, f"the worker exited: {log.read_text()[-3000:]}"
        assert time.monotonic() < end, f"{what} within {DEADLINE} s: {log.read_text()[-3000:]}"
        time.sleep(pause)


def _stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGINT)  # Huey's graceful stop: finish running tasks, then exit
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def test_kill_9_of_the_worker_loses_only_tasks_in_flight(target, tmp_path):
    paths = _documents(tmp_path / "in")
    migrate = subprocess.run(
        [sys.executable, "-m", "django", "migrate", "-v0"],
        env=target.env,
        capture_output=True,
        text=True,
    )
    assert migrate.returncode == 0, migrate.stderr
    ids = _queue(target, "enqueue", paths)
    task_of = dict(zip(ids, paths, strict=True))
    assert len(set(ids)) == DOCUMENTS
    log = tmp_path / "worker.log"

    # 1. A worker runs part of the queue and is killed with SIGKILL mid-run.
    worker = _worker(target, log)
    try:
        _wait(worker, log, lambda: target.story_count() >= KILL_AT, "no stories stored")
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.wait()
    assert worker.returncode == -signal.SIGKILL

    # The database and the queue file are whole; no story is half-written.
    stored_at_kill = _check_whole(target)
    assert KILL_AT <= stored_at_kill < DOCUMENTS
    queue_file = tmp_path / "data" / "queue.sqlite3"
    conn = sqlite3.connect(queue_file)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    finally:
        conn.close()
    state = _queue(target, "status", ids)
    # (the queue also holds the periodic tasks the worker's scheduler enqueued)
    done, pending = set(state["results"]), set(state["pending"]) & set(ids)
    lost = set(ids) - done - pending
    # Every task is finished, still queued, or was one of the (at most WORKERS) in flight.
    assert pending and len(lost) <= WORKERS, (len(done), len(pending), lost)

    # 2. A restarted worker runs every task still queued.
    worker = _worker(target, log)
    try:
        _wait(
            worker,
            log,
            lambda: pending <= set(_queue(target, "status", ids)["results"]),
            "the queued tasks were not all run",
            pause=0.5,
        )
        # 3. The operator re-enqueues the tasks lost in flight; they land exactly once.
        again = _queue(target, "enqueue", [task_of[i] for i in sorted(lost)])
        _wait(
            worker,
            log,
            lambda: set(again) <= set(_queue(target, "status", again)["results"]),
            "the re-enqueued tasks were not run",
            pause=0.5,
        )
    finally:
        _stop(worker)

    results = _queue(target, "status", ids + again)["results"]
    assert set(results) == (set(ids) - lost) | set(again)
    outcomes = [o for value in results.values() for o in value]
    assert all(o["status"] in {"ingested", "duplicate", "updated"} for o in outcomes), outcomes
    # One story per document: the lost tasks whose story had committed came back duplicates.
    final = _check_whole(target)
    assert {o["story"] for o in outcomes} == {
        row[0] for row in target.query("SELECT id FROM stories_story")
    }
    assert final == len({o["story"] for o in outcomes}) >= DOCUMENTS * 0.9
    assert os.path.getsize(queue_file) > 0
