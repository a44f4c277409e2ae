"""``newsdesk eval summaries DATA.jsonl``: ROUGE, length, speed and faithfulness in one run.

Every system sees the same articles and the same sentence splitter. ROUGE is F1 from
``rouge-score`` with Porter stemming; rougeLsum is computed over newline-split bullets.
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from newsdesk.article import Article
from newsdesk.errors import InputError
from newsdesk.parse import parse
from newsdesk.summarize import LooksOptions, is_grounded, summarize
from newsdesk.summarize.compress import words

NAMES_AND_NUMBERS = re.compile(r"\b(?:\d[\d,.]*|[A-Z][a-z]+)\b")


def load(path: Path, limit: int | None = None) -> list[dict]:
    """Rows with ``article`` and ``highlights``; raises InputError naming a bad line."""
    rows = []
    try:
        lines = path.read_text("utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror}") from exc
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            row["article"], row["highlights"]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InputError(
                f"{path}:{number}: not a row with article and highlights ({exc})"
            ) from exc
        rows.append(row)
        if limit and len(rows) >= limit:
            break
    return rows


def article_of(row: dict) -> Article:
    """The row's story as a user gets it: its text through ``parse(…, format="text")``."""
    return parse(row["article"], format="text", name=f"row {row.get('id') or '?'}")


def newsdesk_system(options: LooksOptions | None = None, top: int | None = None):
    def run(row: dict) -> list[str]:
        looks = summarize(article_of(row), options=options)
        return [b.text for b in looks.bullets[:top]]

    return run


def _faithfulness(
    rows: list[dict], options: LooksOptions | None = None
) -> tuple[float, float, int]:
    """Share of bullets fully grounded in their source sentences; share of names/numbers found."""
    grounded = total = names_found = names_total = 0
    for row in rows:
        looks = summarize(article_of(row), options=options)
        story_words = set(words(row["article"]))
        for bullet in looks.bullets:
            total += 1
            grounded += is_grounded(
                bullet.text, [looks.sentences[i] for i in bullet.source_sentences]
            )
            for token in NAMES_AND_NUMBERS.findall(bullet.text):
                names_total += 1
                names_found += token.lower().strip(".") in story_words or token in row["article"]
    return grounded / (total or 1), names_found / (names_total or 1), total


def evaluate(rows: list[dict], systems: dict[str, Callable[[dict], list[str]]]) -> list[dict]:
    from rouge_score import rouge_scorer

    from newsdesk.summarize import looks

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    results = []
    for name, system in systems.items():
        looks.compress.cache_clear()  # every system starts cold: no speed from an earlier run
        if "newsdesk.summarize.embed" in sys.modules:  # embeddings too (the model stays loaded)
            sys.modules["newsdesk.summarize.embed"].embed.cache_clear()
        started = time.perf_counter()
        outputs = [system(row) for row in rows]
        seconds = time.perf_counter() - started
        totals = {"rouge1": 0.0, "rouge2": 0.0, "rougeLsum": 0.0}
        for row, out in zip(rows, outputs, strict=True):
            score = scorer.score("\n".join(row["highlights"]), "\n".join(out))
            for key in totals:
                totals[key] += score[key].fmeasure
        n = len(rows) or 1
        results.append(
            {
                "system": name,
                "R1": 100 * totals["rouge1"] / n,
                "R2": 100 * totals["rouge2"] / n,
                "RLsum": 100 * totals["rougeLsum"] / n,
                "words": sum(len(words(" ".join(o))) for o in outputs) / n,
                "per_s": len(rows) / seconds if seconds else float("inf"),
            }
        )
    return results


def run(path: Path, *, limit: int | None = None, backend: str | None = None) -> str:
    """Evaluate newsdesk and the baselines on ``path``; return the printed table.

    ``backend="embed"`` adds the optional embedding backend's rows to the same table (its
    model is loaded before the clock starts, so the speed is the summarizer's own).
    """
    from newsdesk.evaluate import baselines

    rows = load(path, limit)
    systems = {
        "newsdesk (bullets as shown)": newsdesk_system(),
        "newsdesk (first 3 bullets)": newsdesk_system(top=3),
    }
    extra = LooksOptions(backend=backend) if backend else None
    if extra:
        from newsdesk.summarize import embed

        embed.model()
        systems[f"newsdesk {backend} (as shown)"] = newsdesk_system(extra)
        systems[f"newsdesk {backend} (first 3)"] = newsdesk_system(extra, top=3)
    systems |= {
        "Lead-3": lambda r: baselines.lead3(r["article"]),
        "LexRank (sumy, 3)": lambda r: baselines.lexrank(r["article"]),
        "TextRank (sumy, 3)": lambda r: baselines.textrank(r["article"]),
    }
    results = evaluate(rows, systems)
    grounded, names, bullets = _faithfulness(rows)
    lines = [
        f"{path.name}: {len(rows)} articles; ROUGE F1 "
        "(rouge-score, Porter stemmer, rougeLsum over bullets)",
        f"{'system':30} {'R1':>6} {'R2':>6} {'RLsum':>6} {'words':>6} {'art/s':>8}",
    ]
    for r in results:
        lines.append(
            f"{r['system']:30} {r['R1']:6.2f} {r['R2']:6.2f} {r['RLsum']:6.2f} "
            f"{r['words']:6.1f} {r['per_s']:8.1f}"
        )
    lines.append(
        f"faithfulness over {bullets} newsdesk bullets: grounded in their source sentences "
        f"{100 * grounded:.1f}%, names and numbers found in the story {100 * names:.1f}%"
    )
    if extra:
        grounded, names, bullets = _faithfulness(rows, extra)
        lines.append(
            f"faithfulness over {bullets} newsdesk {backend} bullets: grounded "
            f"{100 * grounded:.1f}%, names and numbers found in the story {100 * names:.1f}%"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    print(run(Path(args[0]), limit=int(args[1]) if len(args) > 1 else None))  # noqa: T201


if __name__ == "__main__":
    main()
