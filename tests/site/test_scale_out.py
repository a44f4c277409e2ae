"""Two app processes on one database (and, on PostgreSQL, one Redis) work as one site.

Each process keeps its own page cache; an edit made by a third process must show through
both on the very next request.
"""

import os
import re
import socket
import subprocess
import sys
import urllib.request
import uuid

import pytest


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


EDIT = """
import sys
from newsdesk.site.runner import setup
setup()
from django.db import transaction
from newsdesk.site.stories.models import Story
with transaction.atomic():
    story = Story.objects.get(slug=sys.argv[1])
    story.headline = sys.argv[2]
    story.save()
"""


@pytest.fixture
def shared_env(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "NEWSDESK_DATA_DIR": str(tmp_path / "data"),
    }
    url = os.environ.get("DATABASE_URL")
    if not url:
        yield env
        return
    import psycopg
    import redis

    name = f"newsdesk_scale_{uuid.uuid4().hex[:10]}"
    admin = re.sub(r"/[^/]*$", "/postgres", url)
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f"CREATE DATABASE {name}")
    redis.Redis.from_url("redis://127.0.0.1:6379/14").flushdb()
    env.update(
        DATABASE_URL=re.sub(r"/[^/]*$", f"/{name}", url), REDIS_URL="redis://127.0.0.1:6379/14"
    )
    try:
        yield env
    finally:
        with psycopg.connect(admin, autocommit=True) as db:
            db.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def start(env):
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/", timeout=5).read()
            return proc, base
        except OSError:
            if proc.poll() is not None:
                raise AssertionError(proc.stdout.read().decode()) from None
            __import__("time").sleep(0.3)
    proc.kill()
    raise AssertionError("server did not start")


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers.get("X-Cache"), response.read().decode()


def test_an_edit_through_one_process_is_seen_through_both(shared_env):
    one, base_one = start(shared_env)
    two, base_two = start(shared_env)
    try:
        slug = re.search(r'href="/story/([^"/]+)/"', fetch(base_one + "/")[1]).group(1)
        path = f"/story/{slug}/"
        for base in (base_one, base_two):
            fetch(base + path)
            assert fetch(base + path)[0] == "hit"
        subprocess.run(
            [sys.executable, "-c", EDIT, slug, "Edited headline seen everywhere"],
            env=shared_env,
            check=True,
            capture_output=True,
        )
        for base in (base_one, base_two):
            state, body = fetch(base + path)
            assert state == "miss" and "Edited headline seen everywhere" in body
            assert "Edited headline seen everywhere" in fetch(base + "/")[1]
    finally:
        for proc in (one, two):
            proc.terminate()
            proc.wait(timeout=20)
