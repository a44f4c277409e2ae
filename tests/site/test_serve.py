"""`newsdesk serve` as a user runs it: a real process on an empty data directory, twice."""

import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serve_once(data_dir, then=None):
    """Serve until the home page answers; ``then(base_url, home_html)`` runs while serving."""
    port = free_port()
    env = {"PATH": "/usr/bin:/bin", "NEWSDESK_DATA_DIR": str(data_dir), "HOME": str(data_dir)}
    env["PYTHONPATH"] = os.environ.get("PYTHONPATH", "")  # the code under test, if not installed
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
                    status, body = response.status, response.read().decode()
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(proc.stdout.read().decode()) from None
                time.sleep(0.3)
                continue
            if then is not None:
                then(f"http://127.0.0.1:{port}", body)
            return status, body
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.mark.skipif("DATABASE_URL" in os.environ, reason="serve's embedded SQLite path")
def test_serve_creates_the_database_loads_the_demo_once_and_serves(tmp_path):
    served = []

    def photos(base, home):
        # the demo's photos, stored in the data directory and served by `newsdesk serve`
        for url in re.findall(r'srcset="(/media/photos/renditions/[^ "]+\.webp) ', home)[:3]:
            with urllib.request.urlopen(base + url, timeout=5) as response:
                data = response.read()
                assert response.headers["Content-Type"] == "image/webp", url
                assert data[:4] == b"RIFF" and data[8:12] == b"WEBP", url
                served.append(url)

    status, body = serve_once(tmp_path, then=photos)
    assert status == 200 and 'id="top-story"' in body
    assert len(served) >= 2 and (tmp_path / "media" / served[0][len("/media/") :]).is_file()
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


# --- a port in use, Ctrl-C, make run -----------------------------------------------------
ROOT = Path(__file__).resolve().parents[2]


def start(args, data_dir, port, **popen):
    """Start ``args`` in its own process group (as a shell starts a job) and wait until
    http://127.0.0.1:PORT/ answers; return the process."""
    env = {"PATH": "/usr/bin:/bin", "NEWSDESK_DATA_DIR": str(data_dir), "HOME": str(data_dir)}
    proc = subprocess.Popen(
        args,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        **popen,
    )
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                assert response.status == 200
                return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                raise AssertionError(proc.stdout.read().decode()) from None
            time.sleep(0.3)


def interrupt_and_wait(proc, limit=30):
    """Ctrl-C as a terminal sends it: SIGINT to the whole process group. Return once every
    process of the group is gone; fail (and kill them) if that takes over ``limit`` s."""
    os.killpg(proc.pid, signal.SIGINT)
    deadline = time.monotonic() + limit
    try:
        proc.wait(timeout=limit)
        while time.monotonic() < deadline:
            try:
                os.killpg(proc.pid, 0)  # any process of the group left?
            except ProcessLookupError:
                return proc.returncode
            time.sleep(0.1)
        raise AssertionError("a serving process outlived Ctrl-C")
    except subprocess.TimeoutExpired:
        raise AssertionError(f"still running {limit} s after Ctrl-C") from None
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.mark.skipif("DATABASE_URL" in os.environ, reason="serve's embedded SQLite path")
def test_ctrl_c_stops_serve_with_two_workers(tmp_path):
    port = free_port()
    serve = [sys.executable, "-m", "newsdesk", "serve", "--port", str(port), "--workers", "2"]
    for _ in range(3):  # it used to hang in granian's worker shutdown 3 times out of 3
        proc = start(serve, tmp_path, port)
        assert interrupt_and_wait(proc) == 0, proc.stdout.read().decode()


@pytest.mark.skipif("DATABASE_URL" in os.environ, reason="serve's embedded SQLite path")
def test_a_second_serve_on_a_port_in_use_is_refused_and_the_first_keeps_serving(tmp_path):
    port = free_port()
    first = start([sys.executable, "-m", "newsdesk", "serve", "--port", str(port)], tmp_path, port)
    try:
        second = subprocess.run(
            [sys.executable, "-m", "newsdesk", "serve", "--port", str(port)],
            env={"PATH": "/usr/bin:/bin", "NEWSDESK_DATA_DIR": str(tmp_path / "other")},
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert second.returncode == 2
        assert f"newsdesk serve: port {port} on 127.0.0.1 is already in use" in second.stderr
        assert not (tmp_path / "other" / "db.sqlite3").exists()  # refused before migrating
        for _ in range(20):  # every request still reaches the first server
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                assert response.status == 200
        assert first.poll() is None
    finally:
        interrupt_and_wait(first)


@pytest.mark.skipif("DATABASE_URL" in os.environ, reason="serve's embedded SQLite path")
@pytest.mark.skipif(not shutil.which("make"), reason="make is not installed")
def test_make_run_takes_a_port_and_ctrl_c_stops_it(tmp_path):
    port = free_port()
    venv = Path(sys.executable).parent.parent
    stamp = venv / ".installed"
    if not stamp.exists() or stamp.stat().st_mtime < (ROOT / "pyproject.toml").stat().st_mtime:
        pytest.skip(f"{venv} is not the up-to-date venv `make` would reuse (it would reinstall)")
    proc = start(["make", "-C", str(ROOT), "run", f"PORT={port}", f"VENV={venv}"], tmp_path, port)
    interrupt_and_wait(proc)
    assert f"http://127.0.0.1:{port}/" in proc.stdout.read().decode()
