"""Event clustering against gold story clusters: B-cubed P/R/F1 and stories per second.

    python bench/clusters.py [--data PATH] [--order shuffled|time] [--seed N]

Data: ``bench/data/uci-news-stories.csv.gz`` (see ``bench/data/NOTES.md``): 6,366 real
headlines from 2,000+ outlets, March 2014, in 88 gold story clusters (the clusters of the
news aggregator they were collected from). Headlines only: the set has no article text,
so the lead is empty here. ``--data`` reads another CSV with the columns ``title``,
``story`` (the gold cluster), ``timestamp`` (epoch ms) and optionally ``lead``.

The stories are split by gold cluster: clusters whose id hashes even are the
development half, on which each method's threshold (and newsdesk's name weight) is
chosen by B-cubed F1; the other half is the test half, reported. Both methods see the
stories one at a time in the same order (``--order shuffled``, a seeded shuffle, by
default: the collection lists each cluster's stories together, which flatters any
single-pass method; ``--order time`` streams them by timestamp as collected).

Methods:
- baseline: plain single-pass TF-IDF: lower-cased words less stopwords, incremental
  IDF, cosine with every cluster's centroid, join the best at or above a threshold.
- newsdesk: ``newsdesk.cluster.ClusterIndex`` (weighted title terms, names, 72 h window,
  inverted index of terms to clusters).
Last line: one JSON object.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import math
import random
import time
import zlib
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

from newsdesk.cluster import ClusterIndex, ClusterOptions, Doc, Source, cluster_looks
from newsdesk.evaluate.clusters import bcubed
from newsdesk.summarize.compress import words
from newsdesk.summarize.rank import STOPWORDS

ROOT = Path(__file__).resolve().parents[1]

DATA = ROOT / "bench" / "data" / "uci-news-stories.csv.gz"


def load(path: Path) -> list[dict]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    for column in ("title", "story", "timestamp"):
        if rows and column not in rows[0]:
            raise SystemExit(f"{path}: no column {column!r} (has {', '.join(rows[0])})")
    for row in rows:
        row["published"] = datetime.fromtimestamp(int(row["timestamp"]) / 1000, tz=UTC)
        row.setdefault("lead", "")
    return rows


class Baseline:
    """Single-pass TF-IDF: compare with every cluster's centroid, join above a threshold."""

    def __init__(self, threshold: float) -> None:
        self.threshold = threshold
        self.df: Counter[str] = Counter()
        self.n = 0
        self.centroids: list[dict[str, float]] = []

    def add(self, title: str, lead: str) -> int:
        counts = Counter(w for w in words(f"{title} {lead}") if w not in STOPWORDS)
        self.n += 1
        self.df.update(counts.keys())
        vec = {t: c * math.log((1 + self.n) / (1 + self.df[t])) + c for t, c in counts.items()}
        norm = math.sqrt(sum(v * v for v in vec.values())) or 1.0
        vec = {t: v / norm for t, v in vec.items()}
        best, best_score = -1, -1.0
        for i, centroid in enumerate(self.centroids):
            dot = sum(v * centroid.get(t, 0.0) for t, v in vec.items())
            size = math.sqrt(sum(v * v for v in centroid.values())) or 1.0
            if dot / size > best_score:
                best, best_score = i, dot / size
        if best_score < self.threshold:
            self.centroids.append(dict(vec))
            return len(self.centroids) - 1
        centroid = self.centroids[best]
        for t, v in vec.items():
            centroid[t] = centroid.get(t, 0.0) + v
        return best


def run_baseline(rows: list[dict], threshold: float) -> tuple[dict, float]:
    method = Baseline(threshold)
    start = time.perf_counter()
    predicted = {row["id"]: method.add(row["title"], row["lead"]) for row in rows}
    return predicted, time.perf_counter() - start


def run_newsdesk(rows: list[dict], options: ClusterOptions) -> tuple[dict, float, list[float]]:
    index = ClusterIndex(options)
    predicted, each = {}, []
    start = time.perf_counter()
    for row in rows:
        t0 = time.perf_counter()
        key, _ = index.add(Doc(row["id"], row["title"], row["lead"], row["published"]))
        each.append(time.perf_counter() - t0)
        predicted[row["id"]] = key
    return predicted, time.perf_counter() - start, each


def score(rows: list[dict], predicted: dict):
    return bcubed(predicted, {row["id"]: row["story"] for row in rows})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--order", choices=("shuffled", "time"), default="shuffled")
    parser.add_argument("--seed", type=int, default=21)
    args = parser.parse_args()
    if not args.data.exists():
        raise SystemExit(f"{args.data}: no such file (see bench/data/NOTES.md)")
    rows = load(args.data)
    if args.order == "time":
        rows.sort(key=lambda r: r["published"])
    else:
        random.Random(args.seed).shuffle(rows)
    halves = {True: [], False: []}
    for row in rows:
        halves[zlib.crc32(row["story"].encode()) % 2 == 0].append(row)
    dev, test = halves[True], halves[False]
    print(
        f"data: {args.data.name}: {len(rows)} stories, dev {len(dev)} "
        f"({len({r['story'] for r in dev})} clusters), test {len(test)} "
        f"({len({r['story'] for r in test})} clusters); order: {args.order}"
    )

    thresholds = [0.02, 0.03, 0.04] + [round(0.05 * i, 2) for i in range(1, 9)]
    base_dev = {t: score(dev, run_baseline(dev, t)[0]).f1 for t in thresholds}
    base_t = max(base_dev, key=base_dev.__getitem__)
    grid = [(t, w) for t in thresholds for w in (0.0, 0.2, 0.4)]
    nd_dev = {
        (t, w): score(dev, run_newsdesk(dev, ClusterOptions(threshold=t, name_weight=w))[0]).f1
        for t, w in grid
    }
    nd_t, nd_w = max(nd_dev, key=nd_dev.__getitem__)
    print(
        f"tuned on dev: baseline threshold {base_t} (F1 {base_dev[base_t]:.3f}); "
        f"newsdesk threshold {nd_t}, name weight {nd_w} (F1 {nd_dev[nd_t, nd_w]:.3f})"
    )

    results = {}
    pred, seconds = run_baseline(test, base_t)
    results["baseline"] = (score(test, pred), seconds, len(set(pred.values())), None)
    pred, seconds, each = run_newsdesk(test, ClusterOptions(threshold=nd_t, name_weight=nd_w))
    results["newsdesk"] = (score(test, pred), seconds, len(set(pred.values())), each)
    print(f"\ntest half ({len(test)} stories, {len({r['story'] for r in test})} gold clusters)")
    print(f"{'method':<10} {'B3 P':>6} {'B3 R':>6} {'B3 F1':>6} {'clusters':>8} {'stories/s':>10}")
    out = {"data": args.data.name, "order": args.order, "test_stories": len(test)}
    for name, (b3, seconds, n_clusters, _) in results.items():
        rate = len(test) / seconds
        print(
            f"{name:<10} {b3.precision:6.3f} {b3.recall:6.3f} {b3.f1:6.3f} "
            f"{n_clusters:>8} {rate:10.0f}"
        )
        out[name] = {
            "p": round(b3.precision, 4),
            "r": round(b3.recall, 4),
            "f1": round(b3.f1, 4),
            "clusters": n_clusters,
            "stories_per_s": round(rate),
        }
    each = sorted(results["newsdesk"][3])
    p50, p99 = each[len(each) // 2] * 1000, each[int(len(each) * 0.99)] * 1000
    print(f"newsdesk per story: median {p50:.2f} ms, p99 {p99:.2f} ms")
    out["newsdesk"].update(ms_median=round(p50, 3), ms_p99=round(p99, 3))
    out["looks"] = looks_figures(rows)
    print(json.dumps(out))


def looks_figures(rows: list[dict]) -> dict:
    """Cluster Quick Looks of every gold cluster, each headline a source's one sentence."""
    by_story: dict[str, list[dict]] = {}
    for row in sorted(rows, key=lambda r: r["published"]):
        by_story.setdefault(row["story"], []).append(row)
    bullets = []
    start = time.perf_counter()
    for members in by_story.values():
        sources = [
            Source(
                r["id"],
                r.get("publisher", ""),
                r.get("url", ""),
                r["title"],
                f"{r['title']}. {r['lead']}" if r["lead"] else r["title"],
            )
            for r in members
        ]
        bullets += cluster_looks(sources).bullets
    seconds = time.perf_counter() - start
    cited = sum(1 for b in bullets if b.citations)
    grounded = sum(1 for b in bullets if b.grounded())
    corroborated = sum(1 for b in bullets if not b.only_one_source)
    figures = sum(1 for b in bullets if b.figures)
    print(
        f"\ncluster Quick Looks of the {len(by_story)} gold clusters (headlines as sentences): "
        f"{len(bullets)} bullets, cite >= 1 source {cited / len(bullets):.1%}, grounded "
        f"{grounded / len(bullets):.1%}, backed by 2+ sources {corroborated / len(bullets):.1%}, "
        f"numbers differing between sources shown per source on {figures}; "
        f"{len(by_story) / seconds:.0f} clusters/s"
    )
    return {
        "bullets": len(bullets),
        "cited": round(cited / len(bullets), 4),
        "grounded": round(grounded / len(bullets), 4),
        "corroborated": round(corroborated / len(bullets), 4),
        "figures": figures,
    }


if __name__ == "__main__":
    main()
