"""HTTP throughput of the site under its production server, against nginx serving the same bytes.

    python bench/pages.py [--seconds 10] [--connections 64] [--workers 2]

Starts `newsdesk serve` (granian) on a fresh demo database in a temporary directory, then
measures with wrk (Debian package `wrk`): a hot story page, the same story uncached (each
request a different URL, so every one is rendered by Django), the home page, a section
page, a search and a rating POST; and, in the same run, nginx (Debian package `nginx`)
serving the hot story page's bytes as a static file — the limit on this machine. Prints a
table, then one JSON object with every figure and its ratio to nginx as the last line.
Set DATABASE_URL to measure on PostgreSQL instead of SQLite.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own local server
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"bench: {url} did not answer within {timeout:.0f} s")


def wrk(url: str, seconds: int, connections: int, script: str | None = None) -> dict:
    cmd = ["wrk", f"-t{min(connections, 2)}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script:
        cmd += ["-s", script]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout

    def millis(label: str) -> float:
        m = re.search(rf"^\s*{label}\s+([\d.]+)(us|ms|s)\b", out, re.M)
        if not m:
            return float("nan")
        return float(m.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[m.group(2)]

    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return {
        "rps": rps,
        "p50_ms": millis("50%"),
        "p99_ms": millis("99%"),
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def peak_memory_mb(root_pid: int) -> float:
    """The largest peak resident size (VmHWM) among a process and its descendants, in MB."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            parents[int(stat.parent.name)] = int(fields[1])
        except (OSError, IndexError, ValueError):
            continue
    family, grew = {root_pid}, True
    while grew:
        kids = {pid for pid, ppid in parents.items() if ppid in family} - family
        family |= kids
        grew = bool(kids)
    peak = 0
    for pid in family:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        m = re.search(r"VmHWM:\s+(\d+) kB", status)
        if m:
            peak = max(peak, int(m.group(1)))
    return peak / 1024


@contextmanager
def running(cmd: list[str], env: dict, log: Path):
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def nginx_static(nginx: str, root: Path, port: int, body: bytes) -> list[str]:
    (root / "html").mkdir(parents=True)
    (root / "logs").mkdir()
    (root / "html" / "index.html").write_bytes(body)
    conf = root / "nginx.conf"
    conf.write_text(f"""
worker_processes auto;
daemon off;
pid {root}/nginx.pid;
error_log {root}/logs/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    default_type text/html;
    server {{
        listen 127.0.0.1:{port};
        root {root}/html;
        location / {{ try_files /index.html =404; }}
    }}
}}
""")
    return [nginx, "-c", str(conf), "-p", str(root)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--threads",
        type=int,
        default=None,
        help="threads per process (default: newsdesk serve's own)",
    )
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not Path("/usr/sbin/nginx").exists():
            raise SystemExit(f"bench: {tool} is not installed (apt-get install {tool})")
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"

    tmp = Path(tempfile.mkdtemp(prefix="newsdesk-http-"))
    tmp.chmod(0o755)  # nginx's workers may run as another user
    env = dict(
        os.environ,
        NEWSDESK_DATA_DIR=str(tmp / "data"),
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        NEWSDESK_RATING_RATE_LIMIT="",
        SECURE_SSL_REDIRECT="0",
    )  # plain HTTP here
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    serve = [
        sys.executable,
        "-m",
        "newsdesk",
        "serve",
        "--port",
        str(port),
        "--workers",
        str(args.workers),
    ]
    if args.threads:
        serve += ["--threads", str(args.threads)]
    results: dict[str, dict] = {}
    try:
        with running(serve, env, tmp / "serve.log") as server:
            wait_for(base + "/")
            home = urllib.request.urlopen(base + "/").read().decode()  # noqa: S310
            stories = sorted(set(re.findall(r'href="(/story/[^"/]+/)"', home)))
            sections = sorted(set(re.findall(r'href="(/section/[^"/]+/)"', home)))
            story = stories[0]
            body = urllib.request.urlopen(base + story).read()  # noqa: S310
            word = re.findall(r"[A-Za-z]{6,}", re.sub(r"<[^>]+>", " ", body.decode()))[40]

            # Every request of the "uncached" run asks for another URL: Django renders each.
            uncached = tmp / "uncached.lua"
            # Each wrk thread runs its own copy of the script: the thread id keeps URLs distinct.
            uncached.write_text(
                'counter = 1\nfunction setup(thread)\n  thread:set("id", counter)\n'
                "  counter = counter + 1\nend\n"
                "n = 0\npaths = {" + ",".join(f'"{p}"' for p in stories) + "}\n"
                "request = function()\n  n = n + 1\n"
                '  return wrk.format("GET", paths[n % #paths + 1] .. "?u=" .. id .. "-" .. n)\n'
                "end\n"
            )
            # Each vote comes from another anonymous reader (its own User-Agent), with the form
            # token a page load hands out; the rate limit is off for the run (see env above).
            slug = story.strip("/").split("/")[-1]
            token = json.loads(
                urllib.request.urlopen(  # noqa: S310
                    f"{base}/story/{slug}/rating.json"
                ).read()
            )["form"]
            vote = tmp / "vote.lua"
            # os.time() keeps the warm-up's readers apart from the measured run's.
            vote.write_text(
                'counter = 1\nfunction setup(thread)\n  thread:set("id", counter)\n'
                "  counter = counter + 1\nend\n"
                "function init(args)\n  run = os.time()\nend\n"
                "n = 0\nrequest = function()\n  n = n + 1\n"
                f'  local body = "stars=" .. (n % 5 + 1) .. "&form={urllib.parse.quote(token)}"\n'
                f'  return wrk.format("POST", "/story/{slug}/rate/", '
                '{["Content-Type"] = "application/x-www-form-urlencoded", '
                '["Accept"] = "application/json", '
                '["User-Agent"] = "bench-" .. run .. "-" .. id .. "-" .. n, '
                f'["Origin"] = "{base}", ["Referer"] = "{base}{story}"'
                "}, body)\nend\n"
            )
            runs = {
                "story_hot": (base + story, None),
                "story_uncached": (base, str(uncached)),
                "home": (base + "/", None),
                "section": (base + (sections[0] if sections else "/"), None),
                "search": (base + "/search/?" + urllib.parse.urlencode({"q": word}), None),
                "rating_post": (base, str(vote)),
            }
            # The server's first seconds under load are slower (thread pools and connections
            # grow, caches fill): warm the whole site up before anything is measured.
            wrk(base + story, 10, args.connections)
            for name, (url, script) in runs.items():
                wrk(url, 5, args.connections, script)  # warm up this page
                results[name] = wrk(url, args.seconds, args.connections, script)
            memory_mb = peak_memory_mb(server.pid)
        nport = free_port()
        with running(nginx_static(nginx, tmp / "nginx", nport, body), env, tmp / "nginx.log"):
            wait_for(f"http://127.0.0.1:{nport}/")
            wrk(f"http://127.0.0.1:{nport}/", 5, args.connections)
            results["nginx_static"] = wrk(
                f"http://127.0.0.1:{nport}/", args.seconds, args.connections
            )
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    limit = results["nginx_static"]["rps"]
    print(f"{'page':16} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'vs nginx':>9} {'non-2xx':>8}")
    for name, r in results.items():
        r["ratio_to_nginx"] = round(r["rps"] / limit, 3) if limit else None
        print(
            f"{name:16} {r['rps']:10.0f} {r['p50_ms']:8.2f} {r['p99_ms']:8.2f} "
            f"{r['ratio_to_nginx']:9.2f} {r['non_2xx']:8d}"
        )
    database = "postgresql" if os.environ.get("DATABASE_URL") else "sqlite"
    print(f"peak resident memory of the largest app process: {memory_mb:.0f} MB")
    print(
        json.dumps(
            {
                "database": database,
                "connections": args.connections,
                "workers": args.workers,
                "page_bytes": len(body),
                "peak_process_mb": round(memory_mb, 1),
                **results,
            }
        )
    )


if __name__ == "__main__":
    main()
