"""Learn the sentence scorer's weights (newsdesk.summarize.rank.WEIGHTS) on a dev set.

    python bench/train_ranker.py ../shared/data/summaries/cnndm-dev.jsonl
    python bench/train_ranker.py --backend embed ../shared/data/summaries/cnndm-dev.jsonl

``--backend embed`` (needs ``pip install 'newsdesk[embed]'``) learns
newsdesk.summarize.embed.EMBED_WEIGHTS over rank's features plus the sentence-embedding ones.

Data provenance: cnndm-dev.jsonl is 286 CNN/DailyMail test-split articles with their gold
highlights, from the shared evaluation data (see its README); nothing else is trained on.
Model: ridge regression of each compressed sentence's ROUGE-1/ROUGE-2 precision against
the gold highlights on the features of ``rank.features``. It prints 5-fold cross-validated
ROUGE of the first three bullets (each fold's weights scored on articles it never saw),
then the weights fitted on all articles, ready to paste into rank.py.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
from rouge_score import rouge_scorer

from newsdesk.evaluate.summaries import article_of, load
from newsdesk.summarize import LooksOptions, summarize
from newsdesk.summarize.compress import compress
from newsdesk.summarize.rank import FEATURES, features
from newsdesk.summarize.sentences import split_sentences


def feature_function(backend: str):
    if backend == "embed":
        from newsdesk.summarize.embed import ALL_FEATURES, embed_features

        return ALL_FEATURES, embed_features
    return FEATURES, features


def dataset(
    rows: list[dict], backend: str = "default", target: str = "precision"
) -> list[tuple[np.ndarray, np.ndarray]]:
    _, featurize = feature_function(backend)
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2"], use_stemmer=True)
    out = []
    for row in rows:
        sentences = split_sentences(article_of(row).body_text)
        gold = "\n".join(row["highlights"])
        targets = []
        for sentence in sentences:
            s = scorer.score(gold, compress(sentence))
            targets.append((getattr(s["rouge1"], target) + getattr(s["rouge2"], target)) / 2)
        out.append((np.array(featurize(sentences)), np.array(targets)))
    return out


def fit(data: list[tuple[np.ndarray, np.ndarray]], ridge: float) -> np.ndarray:
    x = np.vstack([d[0] for d in data])
    y = np.concatenate([d[1] for d in data])
    return np.linalg.solve(x.T @ x + ridge * np.eye(x.shape[1]), x.T @ y)


def rouge(rows: list[dict], weights: np.ndarray, backend: str = "default") -> np.ndarray:
    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    options = LooksOptions(weights=tuple(float(w) for w in weights), backend=backend)
    total = np.zeros(3)
    for row in rows:
        bullets = [b.text for b in summarize(article_of(row), options=options).bullets[:3]]
        s = scorer.score("\n".join(row["highlights"]), "\n".join(bullets))
        total += [s["rouge1"].fmeasure, s["rouge2"].fmeasure, s["rougeLsum"].fmeasure]
    return 100 * total / len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--ridge", type=float, default=10.0)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument(
        "--backend",
        choices=["default", "embed"],
        default="default",
        help="which sentence scorer to train (embed needs newsdesk[embed])",
    )
    args = parser.parse_args()

    rows = load(args.data)
    names, _ = feature_function(args.backend)
    data = dataset(rows, args.backend)
    order = np.random.default_rng(0).permutation(len(rows))
    weighted = np.zeros(3)
    for k, test in enumerate(np.array_split(order, args.folds), 1):
        held_out = set(test.tolist())
        weights = fit([d for i, d in enumerate(data) if i not in held_out], args.ridge)
        figures = rouge([rows[i] for i in test], weights, args.backend)
        weighted += figures * len(test)
        print(
            f"fold {k}: {len(test)} articles  "
            f"R1 {figures[0]:.2f}  R2 {figures[1]:.2f}  RLsum {figures[2]:.2f}"
        )
    cv = weighted / len(rows)
    print(
        f"{args.folds}-fold cross-validated first 3 bullets: "
        f"R1 {cv[0]:.2f}  R2 {cv[1]:.2f}  RLsum {cv[2]:.2f}"
    )
    weights = fit(data, args.ridge)
    constant = "EMBED_WEIGHTS" if args.backend == "embed" else "WEIGHTS"
    print(f"{constant} = (" + ", ".join(f"{w:.4f}" for w in weights) + ")")
    for name, w in zip(names, weights, strict=True):
        print(f"  {name:20} {w:+.4f}")


if __name__ == "__main__":
    main()
