"""How well ingest's near-duplicate check finds edited copies, and how often it merges strangers.

    python bench/dedupe.py

On the 1,418 CNN/DailyMail and BBC articles of ../shared/data/summaries, for each article it
makes six edited copies (last or first sentence cut, one sentence replaced, one added, a
typo pair, a fifth of the sentences rewritten) and checks whether newsdesk's MinHash + LSH
check (src/newsdesk/site/ingestion/fingerprint.py) finds the original; then it checks
every pair of different articles for false matches (the BBC set holds a few real
duplicates: those are reported with their true shingle overlap). For comparison, the
same figures for a 64-bit SimHash over the same shingles with Hamming distance <= 3.
Last line: one JSON object.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from newsdesk.site.ingestion.fingerprint import THRESHOLD, Signature, shingles  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "summaries"


def simhash(features: set[bytes]) -> int:
    hashes = [
        int.from_bytes(hashlib.blake2b(f, digest_size=8).digest(), "little") for f in features
    ]
    return sum(
        1 << bit for bit in range(64) if sum((h >> bit) & 1 for h in hashes) * 2 > len(hashes)
    )


def variants(text: str, rng: random.Random) -> dict[str, str]:
    sents = re.split(r"(?<=[.!?])\s+", text)
    replaced = list(sents)
    replaced[rng.randrange(len(sents))] = "Officials said the figure was revised on Tuesday."
    rewritten = list(sents)
    for i in rng.sample(range(len(sents)), max(1, len(sents) // 5)):
        rewritten[i] = f"A different sentence number {i} was written here by another desk."
    return {
        "cut_last_sentence": " ".join(sents[:-1]),
        "cut_first_sentence": " ".join(sents[1:]),
        "replace_one_sentence": " ".join(replaced),
        "add_one_sentence": text + " This story has been updated with more details.",
        "typo_fixes": text.replace(" the ", " teh ", 2),
        "rewrite_a_fifth": " ".join(rewritten),
    }


def main() -> int:
    if not DATA.exists():
        raise SystemExit(f"bench/dedupe.py: no evaluation data at {DATA}")
    texts = [
        json.loads(line)["article"]
        for name in ("cnndm-dev.jsonl", "bbc-dev.jsonl")
        for line in (DATA / name).read_text(encoding="utf-8").splitlines()
    ]
    start = time.perf_counter()
    sigs = [Signature.of(t) for t in texts]
    ms = (time.perf_counter() - start) / len(texts) * 1000
    sims = [simhash(shingles(t)) if s else 0 for t, s in zip(texts, sigs, strict=True)]
    rng = random.Random(1)
    found = defaultdict(lambda: [0, 0, 0])  # minhash hits, simhash hits, copies
    for text, sig, sim in zip(texts, sigs, sims, strict=True):
        if sig is None:
            continue
        for kind, copy in variants(text, rng).items():
            other = Signature.of(copy)
            hit = (
                other is not None
                and bool(set(other.band_keys()) & set(sig.band_keys()))
                and other.similarity(sig) >= THRESHOLD
            )
            found[kind][0] += hit
            found[kind][1] += other is not None and (simhash(shingles(copy)) ^ sim).bit_count() <= 3
            found[kind][2] += 1
    # Every pair of different articles: LSH candidates, then the similarity check.
    buckets = defaultdict(list)
    for i, sig in enumerate(sigs):
        for key in sig.band_keys() if sig else ():
            buckets[key].append(i)
    pairs = {(a, b) for ids in buckets.values() for x, a in enumerate(ids) for b in ids[x + 1 :]}
    matched = sorted((a, b) for a, b in pairs if sigs[a].similarity(sigs[b]) >= THRESHOLD)
    overlaps = []
    for a, b in matched:
        sa, sb = shingles(texts[a]), shingles(texts[b])
        overlaps.append(len(sa & sb) / len(sa | sb))
    n = sum(1 for s in sigs if s)
    print(f"{'edit':<22} {'minhash+lsh':>12} {'simhash<=3':>11}")
    for kind, (m, s, total) in found.items():
        print(f"{kind:<22} {m / total:>12.3f} {s / total:>11.3f}")
    print(
        f"{n * (n - 1) // 2:,} pairs of different articles: {len(pairs)} LSH candidates, "
        f"{len(matched)} matched, lowest true shingle overlap of a match "
        f"{min(overlaps, default=1):.2f} (the data's own duplicates)"
    )
    print(
        json.dumps(
            {
                "articles": n,
                "signature_ms": round(ms, 2),
                "recall": {k: round(m / t, 3) for k, (m, _, t) in found.items()},
                "simhash_recall": {k: round(s / t, 3) for k, (_, s, t) in found.items()},
                "pairs": n * (n - 1) // 2,
                "matched_pairs": len(matched),
                "min_true_overlap_of_matches": round(min(overlaps, default=1), 3),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
