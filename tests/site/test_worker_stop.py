"""Ctrl-C stops `newsdesk worker` promptly, even while a feed poll hangs on a slow server.

As a terminal does it: SIGINT to the worker's whole process group. A feed server that
accepts the connection and never answers keeps a poll busy for the fetch timeout (20 s a
read); the worker must not wait for it.
"""

import os
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

from newsdesk.site.ingestion.polling import TIMEOUT


class StalledServer:
    """Accepts connections and reads the request, then says nothing until closed."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.port = self.sock.getsockname()[1]
        self.asked = threading.Event()
        self.conns = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            conn.recv(4096)
            self.conns.append(conn)
            self.asked.set()

    def close(self):
        for conn in self.conns:
            conn.close()
        self.sock.close()


def run(args, env, **kwargs):
    return subprocess.run(
        [sys.executable, "-m", "newsdesk", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        **kwargs,
    )


@pytest.mark.skipif("DATABASE_URL" in os.environ, reason="the worker's embedded SQLite path")
def test_ctrl_c_stops_the_worker_while_a_feed_poll_hangs(tmp_path):
    server = StalledServer()
    env = {
        "PATH": "/usr/bin:/bin",
        "NEWSDESK_DATA_DIR": str(tmp_path),
        "HOME": str(tmp_path),
        "NEWSDESK_QUEUE": "sqlite",
        "PYTHONPATH": os.environ.get("PYTHONPATH", ""),
    }
    run(["manage", "migrate", "--verbosity", "0"], env)
    feed = f"http://127.0.0.1:{server.port}/feed.xml"
    run(
        [
            "manage",
            "shell",
            "-c",
            "from newsdesk.site.ingestion.models import FeedSource; "
            f"FeedSource.objects.create(url={feed!r}, name='Slow wire')",
        ],
        env,
    )
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "worker"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        # On start the worker runs its periodic poll: the feed is due, and its fetch hangs.
        assert server.asked.wait(60), "the worker never polled the feed"
        time.sleep(0.5)
        assert proc.poll() is None
        start = time.monotonic()
        os.killpg(proc.pid, signal.SIGINT)
        proc.wait(timeout=TIMEOUT * 3)
        took = time.monotonic() - start
        output = proc.stdout.read().decode()
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        server.close()
    assert proc.returncode == 0, output
    # It did not wait out the stalled fetch (a read times out after TIMEOUT s).
    assert took < TIMEOUT, output
    assert "Shutdown timeout of 3.0s elapsed" in output
    print(f"worker stopped {took:.2f} s after Ctrl-C")
