"""B-cubed precision, recall and F1 of a clustering against gold clusters (Bagga & Baldwin 1998).

For each item: precision is the share of its predicted cluster that shares its gold
cluster, recall the share of its gold cluster found in its predicted cluster; both are
averaged over items, and F1 is their harmonic mean.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class BCubed:
    precision: float
    recall: float
    f1: float


def bcubed(predicted: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]) -> BCubed:
    """Score ``predicted`` (item → cluster) against ``gold`` (item → cluster), same items."""
    if set(predicted) != set(gold):
        missing = len(set(gold) ^ set(predicted))
        raise ValueError(f"predicted and gold clusterings cover different items ({missing} differ)")
    if not gold:
        raise ValueError("no items to score")
    pairs = Counter((predicted[i], gold[i]) for i in gold)
    pred_size = Counter(predicted.values())
    gold_size = Counter(gold.values())
    precision = recall = 0.0
    for (p, g), n in pairs.items():
        precision += n * n / pred_size[p]
        recall += n * n / gold_size[g]
    precision /= len(gold)
    recall /= len(gold)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BCubed(precision, recall, f1)
