"""`newsdesk serve` as a user runs it: a real process on an empty data directory, twice."""

import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pytest


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_once(data_dir):
    port = free_port()
    env = {"PATH": "/usr/bin:/bin", "NEWSDESK_DATA_DIR": str(data_dir), "HOME": str(data_dir)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    return response.status, response.read().decode()
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(proc.stdout.read().decode()) from None
                time.sleep(0.3)
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.mark.skipif(
    "DATABASE_URL" in __import__("os").environ, reason="serve's embedded SQLite path"
)
def test_serve_creates_the_database_loads_the_demo_once_and_serves(tmp_path):
    status, body = serve_once(tmp_path)
    assert status == 200 and 'id="top-story"' in body
    count = (
        sqlite3.connect(tmp_path / "db.sqlite3")
        .execute("select count(*) from stories_story")
        .fetchone()[0]
    )
    assert count >= 12
    serve_once(tmp_path)
    again = (
        sqlite3.connect(tmp_path / "db.sqlite3")
        .execute("select count(*) from stories_story")
        .fetchone()[0]
    )
    assert again == count
