"""Ingest 1,000 real stories end to end and print stories per second.

    python bench/ingest.py [--stories 1000]

Inputs from ../shared/data, read into memory first: the 24 article pages (HTML), the
news outlets' feeds (RSS/Atom, every entry a story), then CNN/DailyMail and BBC articles
as wire copy (headline, blank line, paragraphs) until the count is reached. Each input goes
through the whole pipeline, as `newsdesk ingest` runs it: parse (trafilatura for pages,
feedparser for feeds), summarize into Quick Looks, near-duplicate check, and store, one
transaction per story. The clock covers exactly that (not reading files or migrating).

Runs on a fresh SQLite database in a temporary NEWSDESK_DATA_DIR and, when DATABASE_URL is
set, also on a new temporary PostgreSQL database on that server (dropped afterwards). Each
database runs in its own process on one core. The last line is one JSON object:
{"stories_per_s", "stories", "database", "runs": [...]} with the slowest run's figure.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data"


def inputs(limit: int) -> list[tuple[str, bytes, str]]:
    """(name, bytes, format) for pages, then news feeds, then wire copy: enough for ``limit``."""
    items: list[tuple[str, bytes, str]] = []
    for page in sorted((DATA / "pages" / "html").glob("*.html")):
        items.append((page.name, page.read_bytes(), "html"))
    with (DATA / "feeds" / "manifest.tsv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            if row["news_outlet"] and int(row["items"] or 0) > 0:
                path = DATA / "feeds" / row["path"]
                items.append((row["path"], path.read_bytes(), "feed"))
    for name in ("cnndm-dev.jsonl", "bbc-dev.jsonl"):
        with (DATA / "summaries" / name).open(encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                text = row["article"].strip()
                if name.startswith("bbc"):  # the first line is the BBC's own headline
                    headline, _, body = text.partition("\n")
                else:
                    headline, body = row["highlights"][0], text
                sentences = re.split(r"(?<=[.!?'\"])\s+(?=[A-Z])", body.strip())
                paras = [" ".join(sentences[i : i + 3]) for i in range(0, len(sentences), 3)]
                wire = headline.strip() + "\n\n" + "\n\n".join(paras) + "\n"
                items.append((row["id"], wire.encode(), "text"))
                if len(items) >= limit:  # more than enough: feeds hold many stories each
                    return items
    return items


def run_here(limit: int) -> dict:
    """Inside the child process: migrate the fresh database, then time the ingest."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsdesk.site.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from newsdesk.site.ingestion.pipeline import REJECTED, ingest_source
    from newsdesk.site.stories.models import Story

    call_command("migrate", interactive=False, verbosity=0)
    data = inputs(limit)
    counts: dict[str, int] = {}
    done = 0
    start = time.perf_counter()
    for name, raw, fmt in data:
        for outcome in ingest_source(raw, name=name, format=fmt):
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
            if outcome.status != REJECTED:
                done += 1
        if done >= limit:
            break
    elapsed = time.perf_counter() - start
    return {
        "database": connection.vendor,
        "stories": done,
        "seconds": round(elapsed, 2),
        "stories_per_s": round(done / elapsed, 1),
        "outcomes": counts,
        "stored": Story.objects.count(),
    }


def run_child(limit: int, env: dict) -> dict:
    proc = subprocess.run(
        [sys.executable, __file__, "--stories", str(limit), "--child"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if proc.returncode:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"bench/ingest.py: the run failed ({proc.returncode})")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_here(args.stories)))
        return 0
    if not DATA.exists():
        raise SystemExit(
            f"bench/ingest.py: no evaluation data at {DATA} (clone ../shared next to the repo)"
        )
    base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    base["PYTHONPATH"] = str(ROOT / "src") + os.pathsep + base.get("PYTHONPATH", "")
    base["NEWSDESK_QUEUE_IMMEDIATE"] = "false"
    runs = []
    with tempfile.TemporaryDirectory(prefix="newsdesk-bench-") as tmp:
        runs.append(run_child(args.stories, {**base, "NEWSDESK_DATA_DIR": tmp}))
        url = os.environ.get("DATABASE_URL", "")
        if url:
            import psycopg

            parts = urlsplit(url)
            name = f"newsdesk_bench_ingest_{os.getpid()}"
            admin = urlunsplit(parts._replace(path="/postgres"))
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{name}"')
            try:
                env = {
                    **base,
                    "NEWSDESK_DATA_DIR": tmp,
                    "DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}")),
                }
                runs.append(run_child(args.stories, env))
            finally:
                with psycopg.connect(admin, autocommit=True) as conn:
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    for r in runs:
        print(
            f"{r['database']:<11} {r['stories']} stories in {r['seconds']} s: "
            f"{r['stories_per_s']} stories/s  ({r['outcomes']}, {r['stored']} stored)"
        )
    slowest = min(runs, key=lambda r: r["stories_per_s"])
    print(
        json.dumps(
            {
                "stories_per_s": slowest["stories_per_s"],
                "stories": slowest["stories"],
                "database": "+".join(r["database"] for r in runs),
                "runs": runs,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
