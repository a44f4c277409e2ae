"""The task queue: Huey on SQLite by default, on Redis when configured, and the worker's tasks."""

import inspect
import json
import os
import subprocess
import sys
import uuid

import pytest
from huey import RedisHuey

from newsdesk.site.ingestion.queue import SqliteHuey, make_huey
from newsdesk.site.stories.models import Story

WIRE = (
    "Harbour wall to be rebuilt\n\n"
    "The port authority voted on Monday to rebuild the old north harbour wall, ending a "
    "dispute that has run for more than a decade between fishermen and the city council.\n\n"
    "Engineers said the wall could fail in a strong winter storm.\n"
)
REDIS = "redis://127.0.0.1:6379/0"


def huey_settings(environ: dict, data_dir) -> dict:
    """The ``HUEY`` setting the site builds from ``environ``, read in a fresh process."""
    code = "import json; from django.conf import settings as s; print(json.dumps(s.HUEY))"
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "newsdesk.site.settings",
        "NEWSDESK_DATA_DIR": str(data_dir),
        **environ,
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=data_dir.parent,
        capture_output=True,
        text=True,
        timeout=60,
    )
    if result.returncode:
        raise ValueError(result.stderr.strip().splitlines()[-1])
    return json.loads(result.stdout)


def test_settings_choose_sqlite_by_default_and_redis_when_configured(tmp_path):
    default = huey_settings({}, tmp_path)
    assert default["huey_class"].endswith("SqliteHuey")
    assert default["connection"] == {"filename": str(tmp_path / "queue.sqlite3")}
    assert default["immediate"] is False and default["consumer"]["periodic"] is True

    redis = huey_settings({"REDIS_URL": "redis://cache:6379/2"}, tmp_path)
    assert redis["huey_class"] == "huey.RedisHuey"
    assert redis["connection"] == {"url": "redis://cache:6379/2"}
    assert huey_settings({"NEWSDESK_QUEUE": "redis"}, tmp_path)["connection"] == {"url": REDIS}
    forced = huey_settings({"REDIS_URL": REDIS, "NEWSDESK_QUEUE": "sqlite"}, tmp_path)
    assert forced["huey_class"].endswith("SqliteHuey")
    assert huey_settings({"NEWSDESK_QUEUE_IMMEDIATE": "true"}, tmp_path)["immediate"] is True
    with pytest.raises(ValueError, match='"NEWSDESK_QUEUE" invalid.*Must be one of: sqlite, redis'):
        huey_settings({"NEWSDESK_QUEUE": "rabbit"}, tmp_path)


def test_worker_finds_every_apps_tasks():
    from django.utils.module_loading import autodiscover_modules
    from huey.contrib.djhuey import HUEY

    autodiscover_modules("tasks")
    names = set(HUEY._registry._registry)
    assert "newsdesk.site.ingestion.tasks.poll_feeds" in names
    assert "newsdesk.site.ingestion.tasks.ingest_document" in names
    assert "newsdesk.site.desk.tasks.publish_scheduled_stories" in names
    periodic = {t.name for t in HUEY._registry.periodic_tasks}
    assert {"poll_feeds", "publish_scheduled_stories"} <= periodic


def _ingest_task(huey):
    from newsdesk.site.ingestion.tasks import ingest_document

    # The task body without djhuey's connection closing (the test holds one transaction).
    return huey.task(name="ingest_document")(inspect.unwrap(ingest_document.func))


@pytest.mark.django_db
def test_sqlite_queue_enqueues_and_runs_a_task(tmp_path):
    config = huey_settings({"NEWSDESK_QUEUE_NAME": "test"}, tmp_path / "data")
    huey = make_huey(config)
    assert isinstance(huey, SqliteHuey)
    assert not (tmp_path / "data").exists()  # nothing on disk until used
    task = _ingest_task(huey)
    result = task(WIRE.encode(), name="wire.txt")
    assert huey.pending_count() == 1 and Story.objects.count() == 0
    huey.execute(huey.dequeue())
    assert result.get() == [
        {"name": "wire.txt", "status": "ingested", "story": Story.objects.get().pk, "reason": ""}
    ]
    assert (tmp_path / "data" / "queue.sqlite3").exists()


@pytest.mark.django_db
def test_redis_queue_enqueues_through_redis_and_runs_the_task(tmp_path):
    import redis

    client = redis.Redis.from_url(REDIS)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.skip(f"no Redis at {REDIS}")
    name = f"newsdesk-test-{uuid.uuid4().hex[:8]}"
    huey = make_huey(huey_settings({"REDIS_URL": REDIS, "NEWSDESK_QUEUE_NAME": name}, tmp_path))
    assert isinstance(huey, RedisHuey)
    try:
        task = _ingest_task(huey)
        result = task(WIRE.encode(), name="wire.txt")
        assert huey.pending_count() == 1
        assert client.llen(huey.storage.queue_key) == 1  # really in Redis
        assert Story.objects.count() == 0
        huey.execute(huey.dequeue())
        outcome = result.get()
        assert [o["status"] for o in outcome] == ["ingested"]
        assert Story.objects.get().headline == "Harbour wall to be rebuilt"
        # A second copy of the same document through the queue is a duplicate.
        again = task(WIRE.encode(), name="wire.txt")
        huey.execute(huey.dequeue())
        assert [o["status"] for o in again.get()] == ["duplicate"]
    finally:
        huey.flush()


@pytest.mark.django_db
def test_immediate_mode_runs_tasks_in_process():
    from huey.contrib.djhuey import HUEY

    from newsdesk.site.ingestion.models import FeedSource
    from newsdesk.site.ingestion.tasks import poll_feeds

    source = FeedSource.objects.create(url="http://127.0.0.1:9/closed.xml")
    previous = HUEY.immediate
    HUEY.immediate = True
    try:
        poll_feeds()  # runs here and now: the due source is polled (and fails)
    finally:
        HUEY.immediate = previous
    source.refresh_from_db()
    assert source.failures == 1 and source.last_polled is not None
