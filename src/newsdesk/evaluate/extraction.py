"""Extraction quality: newsdesk's HTML parser against plain trafilatura, same run, same pages.

``run(DIR)`` scores article bodies on the scrapinghub article-extraction-benchmark
layout (``DIR/html/<id>.html.gz`` + ``DIR/ground-truth.json``); ``run_pages(DIR)``
checks headlines, bylines, datelines and captions on ``DIR/manifest.jsonl``.
Both return the printed table as a string; ``main`` prints it.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# --- The benchmark's config (scrapinghub/article-extraction-benchmark, evaluate.py) ---
# Bodies are compared as bags of word 4-grams ("shingles"); tokens are \w+ runs,
# case kept. Per page: precision = tp/(tp+fp), recall = tp/(tp+fn), both 1.0 when
# the page's truth and prediction are both empty, 0.0 when nothing matched.
# Precision and recall are averaged over pages, and F1 is taken of the averages.
NGRAM_N = 4
TOKEN_RE = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)
# The baseline is trafilatura.extract with comments left out: the body only, as the
# benchmark's ground truth is. (trafilatura's default also appends reader
# comments; that row is printed too.)
BASELINE_OPTIONS = {"include_comments": False}


def shingles(text: str, n: int = NGRAM_N) -> Counter:
    tokens = TOKEN_RE.findall(text or "")
    return Counter(
        tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]
    )


def precision_recall(true: str, pred: str) -> tuple[float, float]:
    t, p = shingles(true), shingles(pred)
    tp = sum((t & p).values())
    fp = sum((p - t).values())
    fn = sum((t - p).values())
    if fp == fn == 0:
        return 1.0, 1.0
    precision = 0.0 if tp == fp == 0 else tp / (tp + fp)
    recall = 0.0 if tp == fn == 0 else tp / (tp + fn)
    return precision, recall


@dataclass(frozen=True, slots=True)
class Score:
    system: str
    precision: float
    recall: float
    pages: int
    seconds: float
    failures: int

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 0.0 if p + r == 0 else 2 * p * r / (p + r)

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds else 0.0


def newsdesk_body(html: bytes) -> str:
    """The Deep Look as the page shows it: its dateline, then its blocks."""
    from newsdesk.errors import ParseError
    from newsdesk.parse import parse

    try:
        article = parse(html, format="html")
    except ParseError:
        return ""
    return deep_look_text(article)


def deep_look_text(article) -> str:
    """The Deep Look body as the page prints it: the dateline opens the first paragraph."""
    parts, dateline = [], article.deep_look.dateline
    for block in article.deep_look.blocks:
        text = block.plain_text()
        if dateline and block.kind == "paragraph":
            text, dateline = f"{dateline} — {text}", None
        parts.append(text)
    if dateline:
        parts.insert(0, dateline)
    return "\n\n".join(p for p in parts if p)


def trafilatura_body(html: bytes, **options) -> str:
    import trafilatura

    return trafilatura.extract(html, **options) or ""


def load(directory: Path) -> list[tuple[str, bytes, str]]:
    truth = json.loads((directory / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key in sorted(truth):
        path = directory / "html" / f"{key}.html.gz"
        if path.exists():
            pages.append(
                (key, gzip.decompress(path.read_bytes()), truth[key].get("articleBody") or "")
            )
    return pages


def score(
    system: str, extract: Callable[[bytes], str], pages
) -> tuple[Score, dict[str, tuple[float, float]]]:
    per_page: dict[str, tuple[float, float]] = {}
    failures = 0
    predictions = []
    start = time.perf_counter()
    for _key, html, _truth in pages:
        try:
            predictions.append(extract(html))
        except Exception:  # noqa: BLE001 - a crash scores as an empty prediction
            failures += 1
            predictions.append("")
    seconds = time.perf_counter() - start
    for (key, _html, truth), pred in zip(pages, predictions, strict=True):
        per_page[key] = precision_recall(truth, pred)
    n = len(per_page) or 1
    p = sum(v[0] for v in per_page.values()) / n
    r = sum(v[1] for v in per_page.values()) / n
    return Score(system, p, r, len(pages), seconds, failures), per_page


def systems() -> list[tuple[str, Callable[[bytes], str]]]:
    return [
        ("newsdesk", newsdesk_body),
        ("trafilatura (no comments)", lambda h: trafilatura_body(h, **BASELINE_OPTIONS)),
        ("trafilatura (default)", trafilatura_body),
    ]


def table(scores: list[Score]) -> str:
    base = next((s for s in scores if s.system.startswith("trafilatura")), None)
    lines = [f"{'system':<28} {'F1':>6} {'P':>6} {'R':>6} {'pages/s':>8} {'speed':>6} {'fail':>5}"]
    for s in scores:
        speed = s.pages_per_second / base.pages_per_second if base and base.pages_per_second else 0
        lines.append(
            f"{s.system:<28} {s.f1:6.3f} {s.precision:6.3f} {s.recall:6.3f} "
            f"{s.pages_per_second:8.1f} {speed:5.2f}x {s.failures:5d}"
        )
    lines.append(
        f"pages: {scores[0].pages if scores else 0}; metric: {NGRAM_N}-gram shingle P/R "
        "averaged over pages, F1 of the averages"
    )
    return "\n".join(lines)


def run(directory: Path) -> str:
    """Score newsdesk and trafilatura on ``directory``; returns the table."""
    directory = Path(directory)
    if (directory / "manifest.jsonl").exists() and not (directory / "ground-truth.json").exists():
        return run_pages(directory)
    pages = load(directory)
    # warm up imports and caches outside the timed loops
    for _name, extract in systems():
        extract(pages[0][1]) if pages else None
    scores = [score(name, extract, pages)[0] for name, extract in systems()]
    return table(scores)


# --- pages report -------------------------------------------------------------


def _norm(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def run_pages(directory: Path) -> str:
    """Headline exact match, byline and dateline recall, captions found, body F1."""
    from newsdesk.errors import ParseError
    from newsdesk.parse import parse

    directory = Path(directory)
    rows = [
        json.loads(line)
        for line in (directory / "manifest.jsonl").read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    headline = byline_n = byline_hit = dateline_n = dateline_hit = 0
    cap_expected = cap_found = failures = 0
    ps, rs = [], []
    lines = [f"{'page':<44} {'head':>4} {'byl':>4} {'dl':>4} {'caps':>9} {'F1':>6}"]
    for row in rows:
        html = (directory / row["html"]).read_bytes()
        expected = (directory / row["expected_text"]).read_text(encoding="utf-8")
        try:
            a = parse(html, format="html", url=row.get("url"))
        except ParseError:
            failures += 1
            ps.append(0.0)
            rs.append(0.0)
            continue
        body = deep_look_text(a)
        p, r = precision_recall(expected, body)
        ps.append(p)
        rs.append(r)
        h_ok = _norm(a.headline) in {_norm(row.get("headline")), _norm(row.get("h1"))}
        headline += h_ok
        b_ok = d_ok = None
        if row.get("byline"):
            byline_n += 1
            b_ok = bool(a.author) and all(
                _norm(part) in _norm(row["byline"])
                for part in re.split(r",\s*|\s+and\s+", a.author)
                if part.strip()
            )
            byline_hit += b_ok
        if row.get("dateline"):
            dateline_n += 1
            d_ok = bool(a.dateline) and _norm(a.dateline) in _norm(row["dateline"])
            dateline_hit += d_ok
        n_exp = int(row.get("n_captions") or 0)
        cap_expected += n_exp
        cap_found += len(a.captions)
        f1 = 2 * p * r / (p + r) if p + r else 0.0
        mark = {True: "ok", False: "--", None: ""}
        lines.append(
            f"{row['name'][:44]:<44} {mark[h_ok]:>4} {mark[b_ok]:>4} {mark[d_ok]:>4} "
            f"{len(a.captions):>4}/{n_exp:<4} {f1:6.3f}"
        )
    n = len(rows) or 1
    P, R = sum(ps) / n, sum(rs) / n
    lines.append("")
    lines.append(
        f"pages {len(rows)}  failures {failures}  "
        f"body F1 {2 * P * R / (P + R) if P + R else 0:.3f} "
        f"(P {P:.3f} R {R:.3f})"
    )
    lines.append(
        f"headline exact match {headline}/{len(rows)}  byline recall {byline_hit}/{byline_n}  "
        f"dateline recall {dateline_hit}/{dateline_n}  captions found {cap_found} "
        f"(markup hints {cap_expected})"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m newsdesk.evaluate.extraction DIR [DIR …]", file=sys.stderr)
        return 2
    for arg in args:
        print(run(Path(arg)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
