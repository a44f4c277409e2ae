"""Sending an edition to 10,000 subscribers through a real local SMTP server, then an audit.

    python bench/newsletter.py [--subscribers 10000] [--senders 1] [--batch 100]

Builds a fresh database (SQLite in a temporary NEWSDESK_DATA_DIR, or a new temporary
PostgreSQL database on the server named by DATABASE_URL) with one edition of five stories
and N confirmed subscribers, starts aiosmtpd's SMTP server on a free local port, and runs
`newsdesk edition DATE PERIOD --send` (``--senders`` of them at once, sharing the rows). The
figure is messages per second, from the first sender's start to the last one's end; memory
is the peak RSS of one sender process. Then it counts what the server received per address:
nothing lost, nothing doubled. Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from datetime import timedelta
from urllib.parse import urlsplit, urlunsplit

from aiosmtpd.controller import Controller


class Counting:
    """Counts envelope recipients; keeps one message whole to check its headers."""

    def __init__(self) -> None:
        self.per_address: Counter = Counter()
        self.sample: bytes = b""
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.per_address.update(envelope.rcpt_tos)
            if not self.sample:
                self.sample = envelope.content
        return "250 OK"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup(subscribers: int) -> tuple[str, str]:
    """Migrate, store five stories in today's edition and the subscribers; (date, period)."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from newsdesk.article import Article, Block, DeepLook, QuickLooks
    from newsdesk.site.ingestion.store import ingest
    from newsdesk.site.newsletters.models import Subscriber

    call_command("migrate", interactive=False, verbosity=0)
    now = timezone.now()
    for n in range(5):
        story, _ = ingest(
            Article(
                headline=f"Harbour story number {n} of the bench edition",
                sections=("World",),
                published=now - timedelta(minutes=n + 1),
                summary="The council met on Monday to vote on the harbour plan. " * 2,
                quick_looks=QuickLooks(
                    title="Quick Looks", bullets=tuple(f"Point {i} of the story" for i in range(6))
                ),
                deep_look=DeepLook(blocks=(Block("paragraph", "The council met on Monday."),)),
            ),
            publish=True,
        )
    Subscriber.objects.bulk_create(
        (
            Subscriber(
                email=f"reader{i:05}@example.org",
                morning=True,
                evening=True,
                requested_at=now,
                confirmed_at=now,
                source="/",
            )
            for i in range(subscribers)
        ),
        batch_size=1000,
    )
    from django.db import connections

    connections.close_all()
    return story.edition.date.isoformat(), story.edition.period


def run(args) -> dict:
    day, period = setup(args.subscribers)
    handler = Counting()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    env = {
        **os.environ,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(port),
        "NEWSDESK_BASE_URL": "https://news.example.org",
        "NEWSDESK_NEWSLETTER_BATCH": str(args.batch),
    }
    code = os.environ.get("BENCH_SENDER_CODE") or (
        "import sys; from newsdesk.cli import main; sys.exit(main(sys.argv[1:]))"
    )
    command = [sys.executable, "-c", code, "edition", day, period, "--send"]
    try:
        start = time.perf_counter()
        senders = [subprocess.Popen(command, env=env) for _ in range(args.senders)]
        codes = [p.wait() for p in senders]
        seconds = time.perf_counter() - start
    finally:
        controller.stop()
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    from newsdesk.site.newsletters.models import Delivery

    counts = Counter(Delivery.objects.values_list("status", flat=True))
    wanted = {f"reader{i:05}@example.org" for i in range(args.subscribers)}
    got = handler.per_address
    lost = len(wanted - set(got))
    doubled = sum(1 for n in got.values() if n > 1)
    stray = len(set(got) - wanted)
    sample = handler.sample.decode("utf-8", "replace")
    headers_ok = (
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in sample
        and "text/plain" in sample
        and "text/html" in sample
    )
    total = sum(got.values())
    result = {
        "subscribers": args.subscribers,
        "senders": args.senders,
        "batch": args.batch,
        "database": "postgresql" if os.environ.get("DATABASE_URL") else "sqlite",
        "messages": total,
        "seconds": round(seconds, 2),
        "messages_per_s": round(total / seconds, 1),
        "peak_rss_mb_per_sender": round(peak_mb, 1),
        "sent_rows": counts.get("sent", 0),
        "failed_rows": counts.get("failed", 0),
        "lost": lost,
        "doubled": doubled,
        "stray": stray,
        "headers_ok": headers_ok,
        "exit_codes": codes,
    }
    print(
        f"{'subscribers':>12} {'senders':>8} {'messages':>9} {'seconds':>8} {'msg/s':>8} "
        f"{'peak MB':>8} {'lost':>5} {'doubled':>8}"
    )
    print(
        f"{args.subscribers:>12} {args.senders:>8} {total:>9} {seconds:>8.2f} "
        f"{result['messages_per_s']:>8.1f} {peak_mb:>8.1f} {lost:>5} {doubled:>8}"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--subscribers", type=int, default=10_000)
    parser.add_argument("--senders", type=int, default=1, help="sending processes at once")
    parser.add_argument("--batch", type=int, default=100, help="rows claimed at a time")
    args = parser.parse_args()
    os.environ["NEWSDESK_DATA_DIR"] = tempfile.mkdtemp(prefix="newsdesk-bench-newsletter-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.site.settings")
    pg_admin = None
    if os.environ.get("DATABASE_URL"):
        import psycopg

        parts = urlsplit(os.environ["DATABASE_URL"])
        name = f"newsdesk_bench_newsletter_{os.getpid()}"
        pg_admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(pg_admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    try:
        result = run(args)
    finally:
        if pg_admin:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(pg_admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(json.dumps(result))
    if result["lost"] or result["doubled"] or result["stray"] or not result["headers_ok"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
