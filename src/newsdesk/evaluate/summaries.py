"""``newsdesk eval summaries DATA.jsonl``: ROUGE, length, speed and faithfulness in one run.

Every system sees the same articles and the same sentence splitter. ROUGE is F1 from
``rouge-score`` with Porter stemming; rougeLsum is computed over newline-split bullets.
"""

from __future__ import annotations

import hashlib
import json
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from newsdesk.article import Article, Block, DeepLook
from newsdesk.errors import InputError, NewsdeskError
from newsdesk.summarize import LooksOptions, is_grounded, split_sentences, summarize
from newsdesk.summarize.compress import words

# The shared evaluation data (beside the repository) and the hand-labelled compressions.
SUMMARIES = Path(__file__).resolve().parents[3] / ".." / "shared" / "data" / "summaries"
LABELS = Path(__file__).resolve().parents[3] / "tests" / "data" / "compression-labels.jsonl"

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
    """The row's story as a user's pasted text reaches the summarizer: ``parse(format="text")``.

    Raises ParseError when the text does not parse; the Article may have an empty body when
    the parser mistakes the story for something else (``run`` counts those rows).
    """
    from newsdesk.parse import parse

    return parse(row["article"], format="text", name=row.get("id") or "<row>")


def direct_article_of(row: dict) -> Article:
    """The row's paragraphs as an Article, without the parser (``--direct``: not a user's path)."""
    paragraphs = [p for p in row["article"].split("\n\n") if p.strip()]
    return Article(
        headline=row.get("title") or "",
        deep_look=DeepLook(blocks=tuple(Block("paragraph", p) for p in paragraphs)),
    )


def prepare(rows: list[dict], direct: bool = False) -> tuple[list[dict], list[str]]:
    """Attach each row's Article (``row["_article"]``); return the rows that parsed to a body
    and the ids of those that did not."""
    kept, failed = [], []
    for row in rows:
        try:
            article = direct_article_of(row) if direct else article_of(row)
        except NewsdeskError:
            article = None
        if article is None or not article.body_text.strip():
            failed.append(str(row.get("id")))
            continue
        kept.append(row | {"_article": article})
    return kept, failed


def newsdesk_system(options: LooksOptions | None = None, top: int | None = None):
    def run(row: dict) -> list[str]:
        looks = summarize(row["_article"], options=options)
        return [b.text for b in looks.bullets[:top]]

    return run


def selector_system(top: int = 3, backend: str = "default"):
    """A sentence scorer alone: its ``top`` best sentences, whole, in story order.

    ``backend`` names the scorer: the learned trees (``default``) or an optional backend's."""
    from newsdesk.summarize import looks

    options = LooksOptions(backend=backend)

    def run(row: dict) -> list[str]:
        sentences = split_sentences(row["_article"].body_text)
        scores = looks._scores(sentences, options)[0]
        best = sorted(range(len(sentences)), key=lambda i: -scores[i])[:top]
        return [sentences[i] for i in sorted(best)]

    return run


def bullet_figures(rows: list[dict], options: LooksOptions | None = None) -> dict:
    """Length, count and faithfulness of the bullets a user would see."""
    grounded = total = names_found = names_total = compressed = 0
    lengths: list[int] = []
    counts: list[int] = []
    for row in rows:
        looks = summarize(row["_article"], options=options)
        story = row["_article"].body_text
        # Word parts too: "Long-term …" opens a bullet made from "However, long-term …".
        story_words = set(words(story)) | set(re.findall(r"[^\W_]+", story.lower()))
        counts.append(len(looks.bullets))
        for bullet in looks.bullets:
            total += 1
            sources = [looks.sentences[i] for i in bullet.source_sentences]
            lengths.append(len(words(bullet.text)))
            compressed += bullet.text not in sources
            grounded += is_grounded(bullet.text, sources)
            for token in NAMES_AND_NUMBERS.findall(bullet.text):
                names_total += 1
                names_found += token.lower().strip(".") in story_words or token in story
    return {
        "bullets": total,
        "compressed": compressed,
        "median_words": statistics.median(lengths) if lengths else 0,
        "max_words": max(lengths, default=0),
        "min_count": min(counts, default=0),
        "max_count": max(counts, default=0),
        # The share of stories whose box has the 4-8 bullets an editor's has (fewer when
        # too few sentences stand alone within the length cap: no fragment is made up).
        "four_to_eight": sum(4 <= n <= 8 for n in counts) / (len(counts) or 1),
        "grounded": grounded / (total or 1),
        "names": names_found / (names_total or 1),
    }


def parse_check(rows: list[dict], options: LooksOptions | None = None) -> dict:
    """The dependency parse's verdict on every compressed bullet (words cut from its source
    sentence) of ``options``' Looks: how many delete whole units only, and the rejected ones
    as (bullet, source sentence, reason). Needs the extra newsdesk[parse]."""
    from newsdesk.summarize.syntax import deletion_ok

    compressed = whole = 0
    rejected: list[tuple[str, str, str]] = []
    for row in rows:
        for bullet in summarize(row["_article"], options=options).bullets:
            if not bullet.original:
                continue
            compressed += 1
            ok, reason = deletion_ok(bullet.original, bullet.text)
            whole += ok
            if not ok:
                rejected.append((bullet.text, bullet.original, reason))
    return {"compressed": compressed, "whole": whole, "rejected": rejected}


def evaluate(rows: list[dict], systems: dict[str, Callable[[dict], list[str]]]) -> list[dict]:
    """ROUGE F1 and speed of each system; rows need ``_article`` (see ``prepare``)."""
    from rouge_score import rouge_scorer

    from newsdesk.summarize import looks

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    results = []
    for name, system in systems.items():
        looks.compress.cache_clear()  # every system starts cold: no speed from an earlier run
        looks.bullet_text.cache_clear()
        looks.parsed_bullet.cache_clear()
        if "newsdesk.summarize.syntax" in sys.modules:  # parses too (the model stays loaded)
            sys.modules["newsdesk.summarize.syntax"].parse.cache_clear()
        if "newsdesk.summarize.embed" in sys.modules:  # embeddings too (the model stays loaded)
            sys.modules["newsdesk.summarize.embed"].embed.cache_clear()
        if "newsdesk.summarize.finetuned" in sys.modules:  # and the fine-tuned model's scores
            sys.modules["newsdesk.summarize.finetuned"].scores.cache_clear()
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


def speed(rows: list[dict], rounds: int = 3, direct: bool = False) -> float:
    """Articles per second on one core (CPU time, best of ``rounds`` cold runs), parse included.

    ``rows`` should be those that parse to a body (see ``prepare``)."""
    make = direct_article_of if direct else article_of
    from newsdesk.summarize import looks, rank

    caches = (looks.compress, looks.bullet_text, looks.words, rank.usable)
    best = 0.0
    for _ in range(rounds):
        for cached in caches:  # cold: nothing remembered from the round before
            cached.cache_clear()
        started = time.process_time()
        for row in rows:
            summarize(make(row))
        best = max(best, len(rows) / ((time.process_time() - started) or 1e-9))
    return best


def meaning_check(path: Path = LABELS, data_dir: Path = SUMMARIES) -> dict:
    """The hand-labelled compressions whose sentence is in the shared data, re-run today.

    Each label names a sentence (by row id and SHA-1) and the bullet it was compressed to
    when a person read both. ``same`` counts sentences still compressed to that bullet,
    ``changed`` those of them labelled as changing the meaning; ``differs`` counts sentences
    compressed differently now (unlabelled: read them and add labels).
    """
    from newsdesk.summarize.looks import bullet_text

    if not path.exists():  # an installed copy without the repository's tests
        return {"labels": 0, "found": 0, "same": 0, "changed": 0, "differs": []}
    labels = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    wanted = {label["id"] for label in labels}
    sentences: dict[str, str] = {}
    for name in {label["set"] for label in labels}:
        data = data_dir / f"{name}.jsonl"
        if not data.exists():
            continue
        for row in load(data):
            if row["id"] in wanted:
                for s in split_sentences(direct_article_of(row).body_text):
                    sentences[_sha(s)] = s
    out = {"labels": len(labels), "found": 0, "same": 0, "changed": 0, "fixed": 0, "differs": []}
    for label in labels:
        sentence = sentences.get(label["sentence_sha1"])
        if sentence is None:
            continue
        out["found"] += 1
        if _sha(bullet_text(sentence, 25)) == label["bullet_sha1"]:
            out["same"] += 1
            out["changed"] += bool(label["meaning_changed"])
        elif label["meaning_changed"]:
            out["fixed"] += 1  # a defect a person found, no longer made
        else:
            out["differs"].append(label["id"])
    return out


def _sha(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def run(
    path: Path,
    *,
    limit: int | None = None,
    backend: str | None = None,
    direct: bool = False,
    with_speed: bool = True,
    parse: bool = False,
) -> str:
    """Evaluate newsdesk and the baselines on ``path``; return the printed table.

    Every article goes through ``parse(text, format="text")`` as a pasted story would
    (``direct=True`` skips the parser, for comparison only). ``backend="embed"`` or
    ``"finetuned"`` adds that optional backend's rows (its model is loaded before the clock
    starts; its articles/s are in the table). ``parse=True`` adds the Looks with the
    dependency-parse check (``LooksOptions(parse=True)``, extra newsdesk[parse]) and counts
    the default Looks' compressions the parse judges whole-unit.
    """
    from newsdesk.evaluate import baselines

    all_rows = load(path, limit)
    rows, failed = prepare(all_rows, direct)
    systems = {
        "selector top 3 (sentences)": selector_system(3),
        "Looks first 3 bullets": newsdesk_system(top=3),
        "Looks first 3, dek allowed": newsdesk_system(LooksOptions(dek_bullets=True), top=3),
        "Looks all bullets": newsdesk_system(),
    }
    extra = LooksOptions(backend=backend) if backend else None
    if extra:
        import importlib

        importlib.import_module(f"newsdesk.summarize.{backend}").model()  # before the clock
        systems[f"{backend} top 3 (sentences)"] = selector_system(3, backend)
        systems[f"{backend} first 3 bullets"] = newsdesk_system(extra, top=3)
        systems[f"{backend} first 3, dek allowed"] = newsdesk_system(
            LooksOptions(backend=backend, dek_bullets=True), top=3
        )
    checked = LooksOptions(parse=True) if parse else None
    if checked:
        from newsdesk.summarize import syntax

        syntax.model()  # loaded before the clock
        systems["Looks first 3, parse check"] = newsdesk_system(checked, top=3)
    systems |= {
        "Lead-3": lambda r: baselines.lead3(r["_article"].body_text),
        "LexRank (sumy, 3)": lambda r: baselines.lexrank(r["_article"].body_text),
        "TextRank (sumy, 3)": lambda r: baselines.textrank(r["_article"].body_text),
    }
    results = evaluate(rows, systems)
    road = (
        "Article built from the rows (NOT the user's path)"
        if direct
        else ('parse(text, format="text") then summarize')
    )
    lines = [
        f"{path.name}: {len(all_rows)} articles through {road}",
        f"  {len(failed)} did not parse to a story body and are left out"
        + (f" (e.g. {', '.join(failed[:3])})" if failed else ""),
        "ROUGE F1 (rouge-score, Porter stemmer, rougeLsum over newline-split bullets)",
        f"{'system':30} {'R1':>6} {'R2':>6} {'RLsum':>6} {'words':>6} {'art/s':>8}",
    ]
    for r in results:
        lines.append(
            f"{r['system']:30} {r['R1']:6.2f} {r['R2']:6.2f} {r['RLsum']:6.2f}"
            f" {r['words']:6.1f} {r['per_s']:8.1f}"
        )
    figures = [("default", None)] + ([(backend, extra)] if extra else [])
    for label, options in figures + ([("parse-checked", checked)] if checked else []):
        f = bullet_figures(rows, options)
        lines.append(
            f"{label} bullets: {f['bullets']} ({f['compressed']} compressed), "
            f"{f['min_count']}-{f['max_count']} per story "
            f"({100 * f['four_to_eight']:.0f}% of stories 4-8), words median {f['median_words']:g} "
            f"max {f['max_words']}; grounded in their source sentences {100 * f['grounded']:.1f}%, "
            f"names and numbers found in the story {100 * f['names']:.1f}%"
        )
    if checked:
        verdict = parse_check(rows)
        lines.append(
            f"compressions judged whole-unit by the parse: {verdict['whole']} of "
            f"{verdict['compressed']} (default Looks, bullets with words cut)"
            + ("; rejected, e.g.:" if verdict["rejected"] else "")
        )
        for text, _, reason in verdict["rejected"][:3]:
            lines.append(f"  {text!r}: {reason}")
    beside = path.parent if (path.parent / "cnndm-dev.jsonl").exists() else SUMMARIES
    check = meaning_check(data_dir=beside)
    lines.append(
        f"hand-labelled compressions: {check['found']} of {check['labels']} sentences found, "
        f"{check['same']} compress as labelled, {check['changed']} of those change the meaning; "
        f"{check['fixed']} labelled defects no longer made; "
        f"{len(check['differs'])} compress differently now (unlabelled)"
    )
    if with_speed:
        lines.append(
            f"speed, default method{'' if direct else ', parse included'}: "
            f"{speed(rows, direct=direct):.1f} articles/s "
            "(one core, CPU time, best of 3)"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    args = argv if argv is not None else sys.argv[1:]
    print(run(Path(args[0]), limit=int(args[1]) if len(args) > 1 else None))


if __name__ == "__main__":
    main()
