"""Time full-text search and related stories over 1,000 real stories.

    python bench/search.py [--stories 1000] [--queries 200]

Stores CNN/DailyMail and BBC articles from ../shared/data (headline, highlights as Quick
Looks bullets, paragraphs as the body; no summarizing, so only storing and indexing are
timed) in a fresh SQLite database in a temporary NEWSDESK_DATA_DIR, or, when DATABASE_URL
is set, in a new temporary PostgreSQL database on that server (dropped afterwards). Then it
runs search queries (words and two-word queries drawn from the headlines, first page of 20
with the count and snippets) and related() for stories, and prints latencies. The last line
is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "summaries"


def load(limit: int) -> list[dict]:
    items = []
    for name in ("cnndm-dev.jsonl", "bbc-dev.jsonl"):
        path = DATA / name
        if not path.exists():
            sys.exit(f"shared data not found: {path}")
        with path.open(encoding="utf-8") as f:
            items += [json.loads(line) for line in f]
    return items[:limit]


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    os.environ["NEWSDESK_DATA_DIR"] = tempfile.mkdtemp(prefix="newsdesk-bench-search-")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.site.settings")
    pg_admin = None
    if os.environ.get("DATABASE_URL"):
        import psycopg

        parts = urlsplit(os.environ["DATABASE_URL"])
        name = f"newsdesk_bench_search_{os.getpid()}"
        pg_admin = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(pg_admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    try:
        run(args)
    finally:
        if pg_admin:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(pg_admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run(args) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from newsdesk.article import Article, Block, DeepLook, Looks, QuickLooks
    from newsdesk.site.ingestion.store import ingest
    from newsdesk.site.search.index import related, search
    from newsdesk.site.stories.models import Story

    call_command("migrate", interactive=False, verbosity=0)
    items = load(args.stories)
    none = Looks(dek="", bullets=(), headline="")
    start = time.perf_counter()
    for item in items:
        paragraphs = [p for p in re.split(r"(?<=[.!?])\s+(?=[A-Z])", item["article"]) if p]
        ingest(
            Article(
                headline=item["highlights"][0][:200],
                sections=("News",),
                quick_looks=QuickLooks(bullets=tuple(item["highlights"][1:])),
                deep_look=DeepLook(blocks=tuple(Block("paragraph", p) for p in paragraphs)),
            ),
            looks=none,
        )
    store_s = time.perf_counter() - start

    rng = random.Random(7)
    words = [
        w
        for s in Story.objects.values_list("headline", flat=True)
        for w in re.findall(r"[A-Za-z]{5,}", s)
    ]
    queries = [
        rng.choice(words) if i % 2 else f"{rng.choice(words)} {rng.choice(words)}"
        for i in range(args.queries)
    ]
    search_ms, hits = [], 0
    for q in queries:
        t = time.perf_counter()
        results = search(q)
        total = results.count()
        page = results[0:20]
        search_ms.append((time.perf_counter() - t) * 1000)
        hits += bool(total and page)
    stories = list(Story.objects.prefetch_related("bullets").order_by("?")[: args.queries])
    related_ms = []
    for story in stories:
        t = time.perf_counter()
        related(story, n=5)
        related_ms.append((time.perf_counter() - t) * 1000)
    result = {
        "database": connection.vendor,
        "stories": len(items),
        "store_and_index_per_s": round(len(items) / store_s, 1),
        "search_ms_median": round(statistics.median(search_ms), 2),
        "search_ms_p95": round(percentile(search_ms, 0.95), 2),
        "queries_with_results": hits,
        "queries": len(queries),
        "related_ms_median": round(statistics.median(related_ms), 2),
        "related_ms_p95": round(percentile(related_ms, 0.95), 2),
    }
    print(
        f"{result['database']}: {len(items)} stories stored and indexed at "
        f"{result['store_and_index_per_s']}/s; search median {result['search_ms_median']} ms, "
        f"p95 {result['search_ms_p95']} ms; related median {result['related_ms_median']} ms"
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
