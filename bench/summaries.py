"""Quick Looks quality and speed on the shared evaluation sets, in one run per set.

    python bench/summaries.py [--backend embed] [DATA.jsonl ...]

Defaults to ../shared/data/summaries/cnndm-dev.jsonl and bbc-dev.jsonl. For each set it
prints the table of `newsdesk eval summaries` (newsdesk, Lead-3, LexRank, TextRank on the
same articles and sentence splitter), then one JSON object with the newsdesk figures and the
summarizer's speed on one core (articles per second, parse(format="text") included, over
the rows that parse to a story body).
``--backend embed`` adds the optional embedding backend (newsdesk[embed]) to each table.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from newsdesk.evaluate.summaries import load, prepare, run, speed

DEFAULT = [
    Path(__file__).resolve().parents[1] / ".." / "shared" / "data" / "summaries" / name
    for name in ("cnndm-dev.jsonl", "bbc-dev.jsonl")
]


def main() -> None:
    args = sys.argv[1:]
    backend = None
    if args[:1] == ["--backend"]:
        backend, args = args[1], args[2:]
    paths = [Path(p) for p in args] or DEFAULT
    figures = {}
    for path in paths:
        print(run(path, backend=backend, with_speed=False))
        rows, _ = prepare(load(path))
        figures[path.stem] = round(speed(rows), 1)
        print(
            f"newsdesk speed on one core, parse included (CPU time, best of 3): "
            f"{figures[path.stem]} articles/s\n"
        )
    print(json.dumps({"articles_per_s": figures}))


if __name__ == "__main__":
    main()
