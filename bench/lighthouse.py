"""Lighthouse scores of the reader pages, served as in production, with photos.

    python bench/lighthouse.py [--preset mobile|desktop] [--runs 1] [--keep DIR]

Installs the npm package `lighthouse` (pinned below) into bench/.lighthouse/ on first use,
creates a fresh demo database in a temporary directory (the demo's stories and its photos,
stored by the site with their renditions, as `newsdesk serve` loads them), starts
`newsdesk serve` (granian, the page cache on, the photos served by granian) and runs
Lighthouse headless against Debian's Chromium on the home page, a story with a photo and
its section page. Prints every run's four category scores (0-100), the load average before
each run (the machine may be shared, and a busy CPU lowers the performance score) and, as the
last line, one JSON object with every figure. `--keep DIR` keeps each run's Lighthouse JSON
report there, to read what the main thread spent its time on.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOOLS = ROOT / "bench" / ".lighthouse"
LIGHTHOUSE = TOOLS / "node_modules" / ".bin" / "lighthouse"
VERSION = "12.8.2"  # the last line that runs on Node 20 (13.x needs Node 22)
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def install() -> None:
    if LIGHTHOUSE.exists():
        return
    TOOLS.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "npm",
            "install",
            "--no-audit",
            "--no-fund",
            "--prefix",
            str(TOOLS),
            f"lighthouse@{VERSION}",
        ],
        check=True,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


STORY = "First A380 enters commercial service"  # a demo story with its photo


def prepare_site(data_dir: Path) -> dict[str, str]:
    """Migrate and load the demo with its photos, in a child process (its own Django)."""
    code = f"""
import json
from newsdesk.site import runner
runner.setup()
runner.prepare()
from newsdesk.site.stories.models import Story
story = Story.objects.get(headline={STORY!r})
assert story.captions.filter(photo__isnull=False).exists(), "the demo story has no photo"
print(json.dumps({{"story": story.get_absolute_url(),
                   "section": story.sections.first().get_absolute_url()}}))
"""
    env = {**os.environ, "NEWSDESK_DATA_DIR": str(data_dir)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, check=True, capture_output=True, text=True
    )
    return {"home": "/", **json.loads(out.stdout.strip().splitlines()[-1])}


def serve(data_dir: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "NEWSDESK_DATA_DIR": str(data_dir)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "newsdesk", "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
            return proc
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("newsdesk serve did not start") from None
            time.sleep(0.3)


def lighthouse(url: str, preset: str, report: Path) -> dict[str, float]:
    flags = "--headless=new --no-sandbox --disable-gpu"
    command = [
        str(LIGHTHOUSE),
        url,
        "--quiet",
        "--output=json",
        f"--output-path={report}",
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={flags}",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    for attempt in range(3):
        # Lighthouse now and then loses the trace on a busy machine (NO_NAVSTART): run again
        done = subprocess.run(command, check=False, env={**os.environ, "CHROME_PATH": CHROMIUM})
        if done.returncode == 0:
            break
        print(f"lighthouse failed on {url} (attempt {attempt + 1} of 3)", file=sys.stderr)
    done.check_returncode()
    data = json.loads(report.read_text())
    failed = [
        a["id"]
        for a in data["audits"].values()
        if a.get("score") is not None and a["score"] < 1 and a.get("scoreDisplayMode") == "binary"
    ]
    scores = {c: round(data["categories"][c]["score"] * 100) for c in CATEGORIES}
    metrics = {
        m: round(data["audits"][m]["numericValue"])
        for m in ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time")
    }
    metrics["cumulative-layout-shift"] = round(
        data["audits"]["cumulative-layout-shift"]["numericValue"], 3
    )
    return {**scores, **metrics, "failed_audits": failed}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", choices=("mobile", "desktop"), default="mobile")
    parser.add_argument("--runs", type=int, default=1, help="runs per page; each is printed")
    parser.add_argument("--keep", type=Path, help="keep each run's Lighthouse JSON report here")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} is missing (Debian package chromium)")
    install()
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="newsdesk-lighthouse-"))
    proc = None
    try:
        pages = prepare_site(work / "data")
        port = free_port()
        proc = serve(work / "data", port)
        results = {}
        for name, path in pages.items():
            url = f"http://127.0.0.1:{port}{path}"
            urllib.request.urlopen(url).read()  # warm the page cache, as a reader after the first
            runs = []
            for run in range(args.runs):
                report = (args.keep or work) / f"{args.preset}-{name}-{run + 1}.json"
                load = round(os.getloadavg()[0], 2)
                runs.append({**lighthouse(url, args.preset, report), "load": load})
            results[name] = {"path": path, "runs": runs}
        print(f"Lighthouse {VERSION}, {args.preset}, Chromium {CHROMIUM}")
        columns = ("run", "load", *CATEGORIES, "FCP ms", "LCP ms", "TBT ms", "CLS")
        print(f"{'page':10} " + " ".join(f"{c:>14}" for c in columns))
        for name, result in results.items():
            for number, r in enumerate(result["runs"], 1):
                cells = (
                    number,
                    r["load"],
                    *(r[c] for c in CATEGORIES),
                    r["first-contentful-paint"],
                    r["largest-contentful-paint"],
                    r["total-blocking-time"],
                    r["cumulative-layout-shift"],
                )
                print(f"{name:10} " + " ".join(f"{c:>14}" for c in cells))
                if r["failed_audits"]:
                    print(f"{'':10} failed: {', '.join(r['failed_audits'])}")
        print(json.dumps({"preset": args.preset, "lighthouse": VERSION, "pages": results}))
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=20)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
