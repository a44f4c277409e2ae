"""Reader ratings under load: 10,000 votes from 200 concurrent clients, then an exact audit.

    python bench/ratings.py [--votes 10000] [--clients 200] [--workers 2] [--revote 0.2]

Starts `newsdesk serve` (granian, several worker processes, DEBUG off) on a fresh database —
SQLite in a temporary NEWSDESK_DATA_DIR, or a new temporary PostgreSQL database on the server
named by DATABASE_URL — with the demo stories. Then 200 clients (each one keep-alive
connection on plain asyncio streams, a lean client) vote as distinct
readers, the way ratings.js does: on page load GET the story's rating.json (reader cookie +
form token); then POST a vote, and for a share of readers vote again with the token the
answer carried. The figure is votes per second over the voting phase (the page loads come
first and are timed apart: rating.json per second is printed too). Afterwards it reads the
database and checks that every reader's vote and every story's count, total,
average and distribution equal exactly what the server accepted. The per-address rate limit
is switched off (every client shares 127.0.0.1). Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import defaultdict
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

COOKIE = "newsdesk_reader"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, proc: subprocess.Popen, log: Path, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"bench: the server exited:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own local server
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"bench: {url} did not answer within {timeout:.0f} s")


def temporary_postgres(url: str) -> tuple[str, str, str]:
    """Create an empty database beside the one DATABASE_URL names: (its URL, name, admin URL)."""
    import psycopg

    parts = urlsplit(url)
    name = f"newsdesk_bench_{secrets.token_hex(4)}"
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), name, admin


def drop_postgres(admin: str, name: str) -> None:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def tree_cpu(pid: int) -> float | None:
    """CPU seconds used so far by a process and its descendants (Linux /proc; else None)."""
    tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total, todo = 0.0, [pid]
    try:
        while todo:
            p = todo.pop()
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick  # utime + stime
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo += [int(c) for c in f.read().split()]
    except OSError:
        return None
    return total


def machine_cpu() -> float | None:
    """CPU seconds the whole machine has been busy (Linux /proc/stat; else None)."""
    try:
        with open("/proc/stat") as f:
            fields = [int(x) for x in f.readline().split()[1:]]
    except OSError:
        return None
    busy = sum(fields[:3]) + sum(fields[5:8])  # user nice system, irq softirq steal
    return busy / os.sysconf("SC_CLK_TCK")


class Tally:
    """What the server accepted: each reader's last vote per story."""

    def __init__(self) -> None:
        self.final: dict[tuple[int, str], int] = {}
        self.accepted = 0
        self.errors: dict[str, int] = defaultdict(int)
        self.client_cpu = 0.0
        self.server_cpu: float | None = None
        self.others_cpu: float | None = None  # what the rest of the machine used meanwhile


class Connection:
    """One keep-alive HTTP/1.1 connection on raw asyncio streams: a load client that costs
    the server's two cores little (aiohttp spent about a third of a core on 1,000 votes/s)."""

    def __init__(self, base: str) -> None:
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.netloc = parts.netloc
        self.reader = self.writer = None

    async def request(self, method: str, path: str, headers: dict, body: bytes = b""):
        """(status, headers with lower-case names, Set-Cookie values, body)."""
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.netloc}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if body or method == "POST":
            lines.append(f"Content-Length: {len(body)}")
        return await self.send(("\r\n".join(lines) + "\r\n\r\n").encode() + body)

    async def send(self, raw: bytes):
        """request() with the request already written out as bytes."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        status_line, *fields = head.decode("latin-1").split("\r\n")
        status = int(status_line.split(" ", 2)[1])
        got, cookies = {}, []
        for field in fields:
            if field:
                name, _, value = field.partition(":")
                name, value = name.strip().lower(), value.strip()
                if name == "set-cookie":
                    cookies.append(value)
                got[name] = value
        if "content-length" in got:
            data = await self.reader.readexactly(int(got["content-length"]))
        elif got.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
                chunks.append(await self.reader.readexactly(size))
                await self.reader.readexactly(2)
            await self.reader.readuntil(b"\r\n")
            data = b"".join(chunks)
        else:
            data = await self.reader.read()
        if got.get("connection", "").lower() == "close":
            await self.close()
        return status, got, cookies, data

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None


async def open_page(conn: Connection, base, story, tally: Tally) -> dict | None:
    """What ratings.js does on page load: the reader cookie and a form token."""
    status, _, cookies, data = await conn.request(
        "GET", f"/story/{story['slug']}/rating.json", {"Accept": "application/json"}
    )
    if status != 200:
        tally.errors[f"GET {status}"] += 1
        return None
    cookie = next(
        c.split(";", 1)[0].split("=", 1)[1].strip('"')
        for c in cookies
        if c.startswith(COOKIE + "=")
    )
    return {
        "form": json.loads(data)["form"],
        "cookie": cookie,
        "voter": cookie.rsplit(":", 2)[0],
    }  # signed value "r:<key>:<timestamp>:<sig>"


async def cast_votes(conn: Connection, base, story, page, stars_seq, tally: Tally) -> None:
    """A reader's vote and revotes, each with the form token the previous answer carried."""
    headers = {
        "Cookie": f"{COOKIE}={page['cookie']}",
        "Origin": base,
        "Accept": "application/json",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    head = (
        f"POST /story/{story['slug']}/rate/ HTTP/1.1\r\nHost: {conn.netloc}\r\n"
        + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    ).encode()  # written out once per reader: the client's own CPU is off the server's cores
    form = page["form"]
    for stars in stars_seq:
        body = urlencode({"stars": str(stars), "form": form}).encode()
        status, _, _, data = await conn.send(
            head + b"Content-Length: %d\r\n\r\n" % len(body) + body
        )
        if status != 200:
            tally.errors[f"POST {status}"] += 1
            return
        form = json.loads(data)["form"]
        tally.final[(story["id"], page["voter"])] = stars
        tally.accepted += 1


async def client(base, jobs: list, tally: Tally, phase: str, pages: dict) -> None:
    conn = Connection(base)  # one connection per client, kept alive
    try:
        for i, (story, seq) in enumerate(jobs):
            try:
                if phase == "open":
                    pages[id(jobs), i] = await asyncio.wait_for(
                        open_page(conn, base, story, tally), 120
                    )
                elif pages.get((id(jobs), i)):
                    await asyncio.wait_for(
                        cast_votes(conn, base, story, pages[id(jobs), i], seq, tally), 120
                    )
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError) as exc:
                tally.errors[type(exc).__name__] += 1
                await conn.close()
    finally:
        await conn.close()


def plan(votes: int, clients: int, revote: float, stories: list, rnd: random.Random) -> list:
    """Per client, its readers: (story, [stars of the first vote, then of each revote])."""
    readers = []
    left = votes
    while left > 0:
        n = 1 + (rnd.random() < revote) + (rnd.random() < revote / 4)
        n = min(n, left)
        readers.append((rnd.choice(stories), [rnd.randint(1, 5) for _ in range(n)]))
        left -= n
    return [readers[i::clients] for i in range(clients)]


async def fire(base, jobs, tally, server_pid) -> tuple[float, float]:
    """Every reader opens the page (rating.json), then every reader votes: (open s, vote s)."""
    pages: dict = {}
    start = time.perf_counter()
    await asyncio.gather(*(client(base, j, tally, "open", pages) for j in jobs))
    opened, cpu, server = time.perf_counter(), time.process_time(), tree_cpu(server_pid)
    machine = machine_cpu()
    await asyncio.gather(*(client(base, j, tally, "vote", pages) for j in jobs))
    tally.client_cpu = time.process_time() - cpu  # what this load client itself spent
    after, machine_after = tree_cpu(server_pid), machine_cpu()
    tally.server_cpu = after - server if server is not None and after is not None else None
    if tally.server_cpu is not None and machine is not None and machine_after is not None:
        tally.others_cpu = max(0.0, machine_after - machine - tally.server_cpu - tally.client_cpu)
    return opened - start, time.perf_counter() - opened


def audit(tally: Tally) -> dict:
    """Compare the database with what the server accepted."""
    import django

    django.setup()
    from newsdesk.site.ratings.models import RatingSummary, Vote
    from newsdesk.site.ratings.services import tally as count_rows

    stored = {
        (s, v): stars for s, v, stars in Vote.objects.values_list("story_id", "voter", "stars")
    }
    lost = sum(1 for k in tally.final if k not in stored)
    wrong = sum(1 for k, stars in tally.final.items() if k in stored and stored[k] != stars)
    extra_rows = sum(1 for k in stored if k not in tally.final)
    expected: dict[int, list[int]] = defaultdict(list)
    for (story, _), stars in tally.final.items():
        expected[story].append(stars)
    summaries = {s.story_id: s for s in RatingSummary.objects.all()}
    rows = []
    double = extra_rows
    for story in sorted(set(expected) | set(summaries)):
        want = expected.get(story, [])
        s = summaries.get(story)
        got = (s.count, s.total, s.distribution) if s else (0, 0, (0,) * 5)
        dist = tuple(want.count(n) for n in range(1, 6))
        recount = count_rows(story)
        lost += max(0, len(want) - got[0])
        double += max(0, got[0] - len(want))
        ok = got == (len(want), sum(want), dist) and (recount.count, recount.total) == got[:2]
        rows.append(
            (
                story,
                len(want),
                sum(want) / len(want) if want else 0,
                got[0],
                got[1] / got[0] if got[0] else 0,
                ok,
            )
        )
    return {"lost": lost, "wrong_stars": wrong, "double_counted": double, "rows": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--votes", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument(
        "--threads", type=int, default=None, help="threads per process (default: newsdesk serve's)"
    )
    parser.add_argument("--revote", type=float, default=0.2, help="share of readers who vote again")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="newsdesk-ratings-"))
    env = dict(
        os.environ,
        NEWSDESK_DATA_DIR=str(tmp / "data"),
        DEBUG="0",
        SECURE_SSL_REDIRECT="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        NEWSDESK_RATING_RATE_LIMIT="",
        DJANGO_SETTINGS_MODULE="newsdesk.site.settings",
    )
    pg = None
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"], name, admin = temporary_postgres(os.environ["DATABASE_URL"])
        pg = (admin, name)
    os.environ.update(env)  # the audit reads the same database
    if not args.threads:
        from newsdesk.site.runner import default_threads

        args.threads = default_threads()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = tmp / "serve.log"
    cmd = [
        sys.executable,
        "-m",
        "newsdesk",
        "serve",
        "--port",
        str(port),
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
    ]
    tally = Tally()
    try:
        with open(log, "wb") as out:
            server = subprocess.Popen(cmd, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_for(base + "/", server, log)
            import django

            django.setup()
            from django.db import connection

            from newsdesk.site.stories.models import Story

            stories = list(Story.objects.published().values("id", "slug"))
            connection.close()
            jobs = plan(args.votes, args.clients, args.revote, stories, random.Random(args.seed))
            open_s, seconds = asyncio.run(fire(base, jobs, tally, server.pid))
        finally:
            server.terminate()
            try:
                server.wait(15)
            except subprocess.TimeoutExpired:
                server.kill()
        result = audit(tally)
        from django.db import connection

        database = connection.vendor
        connection.close()
    finally:
        if pg:
            drop_postgres(*pg)
        shutil.rmtree(tmp, ignore_errors=True)

    readers = sum(len(j) for j in jobs)
    print(
        f"{args.votes} votes planned from {readers} readers on {len(stories)} stories, "
        f"{args.clients} clients, {args.workers} granian workers x {args.threads} threads, "
        f"{database}"
    )
    print(f"{readers} page loads (rating.json) in {open_s:.2f} s: {readers / open_s:.0f}/s")
    print(
        f"accepted {tally.accepted} votes in {seconds:.2f} s: "
        f"{tally.accepted / seconds:.0f} votes/s; "
        f"errors: {dict(tally.errors) or 'none'}; the client used {tally.client_cpu:.2f} s of CPU "
        f"({100 * tally.client_cpu / seconds:.0f}% of a core)"
    )
    if tally.server_cpu is not None and tally.accepted:
        print(
            f"the server used {tally.server_cpu:.2f} s of CPU for them: "
            f"{1000 * tally.server_cpu / tally.accepted:.3f} ms a vote "
            f"(the client {1000 * tally.client_cpu / tally.accepted:.3f} ms)"
        )
    print(f"machine load during the run: {os.getloadavg()[0]:.2f} (1 min), {os.cpu_count()} cores")
    if tally.others_cpu is not None:
        print(
            f"other processes used {tally.others_cpu:.2f} s of CPU while the votes ran: "
            "PostgreSQL's own, on PostgreSQL; on SQLite, anything much above zero means the "
            "run shared the machine"
        )
    exact = sum(1 for r in result["rows"] if r[5])
    print(
        f"{exact} of {len(result['rows'])} stories exact (count, total, average, distribution); "
        "the first five and any that are not:"
    )
    print(f"{'story':>6} {'sent':>6} {'sent avg':>9} {'db':>6} {'db avg':>9}  exact")
    for i, (story, sent, sent_avg, got, got_avg, ok) in enumerate(result["rows"]):
        if i < 5 or not ok:
            print(
                f"{story:>6} {sent:>6} {sent_avg:>9.4f} {got:>6} {got_avg:>9.4f}  "
                f"{'yes' if ok else 'NO'}"
            )
    print(
        f"lost {result['lost']}, double counted {result['double_counted']}, "
        f"wrong stars {result['wrong_stars']}"
    )
    print(
        json.dumps(
            {
                "votes_per_s": round(tally.accepted / seconds, 1),
                "lost": result["lost"],
                "double_counted": result["double_counted"],
                "database": database,
                "votes": tally.accepted,
                "errors": sum(tally.errors.values()),
                "page_loads_per_s": round(readers / open_s, 1),
                "every_story_exact": all(r[5] for r in result["rows"]),
                "workers": args.workers,
                "clients": args.clients,
                "threads": args.threads,
                "client_cpu_s": round(tally.client_cpu, 2),
                "server_cpu_ms_per_vote": (
                    round(1000 * tally.server_cpu / tally.accepted, 3)
                    if tally.server_cpu is not None and tally.accepted
                    else None
                ),
                "load_1min": round(os.getloadavg()[0], 2),
                "others_cpu_s": (
                    round(tally.others_cpu, 2) if tally.others_cpu is not None else None
                ),
            }
        )
    )


if __name__ == "__main__":
    main()
