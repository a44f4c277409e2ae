"""Near-duplicate detection: MinHash over word shingles of a story's body, banded for LSH.

Two copies of one wire story (from two feeds, re-sent with a new headline, a corrected
or an added paragraph) share most of their three-word shingles; different stories share
almost none. A MinHash signature (datasketch) estimates that overlap (Jaccard
similarity); its locality-sensitive bands, kept in an indexed table
(``ingestion.FingerprintBand``), find the candidates in one query, and the signatures'
estimated similarity (at least ``THRESHOLD``) confirms them. See bench/dedupe.py for
the figures on real articles.

No Django here: pure functions over text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache

import numpy as np

# datasketch (which loads scipy) is imported where it is used, to keep start-up fast.

SHINGLE = 3  # words per shingle
MIN_WORDS = 40  # bodies shorter than this are too small to compare reliably
THRESHOLD = 0.5  # estimated Jaccard similarity from which two bodies are one story
NUM_PERM = 128
SEED = 7
SCHEME = "affine32"  # datasketch's permutation scheme; stored signatures depend on it
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def words(text: str) -> list[str]:
    """Lower-cased words, punctuation and spacing ignored."""
    return [w.replace("’", "'") for w in _WORD.findall(text.casefold())]


def shingles(text: str) -> set[bytes]:
    """The ``SHINGLE``-word runs of ``text``; empty when it is too short to compare."""
    ws = words(text)
    if len(ws) < MIN_WORDS:
        return set()
    return {" ".join(ws[i : i + SHINGLE]).encode() for i in range(len(ws) - SHINGLE + 1)}


@cache
def _template():
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME)


@cache
def _bands() -> tuple[int, int]:
    """Bands and rows per band that datasketch's LSH picks for ``THRESHOLD`` (25 x 5)."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    return lsh.b, lsh.r


@dataclass(frozen=True)
class Signature:
    """A body's MinHash signature and its LSH band keys."""

    hashvalues: np.ndarray

    @classmethod
    def of(cls, text: str) -> Signature | None:
        """The signature of ``text``, or None when it is too short to fingerprint."""
        features = shingles(text)
        if not features:
            return None
        from datasketch import MinHash

        template = _template()
        m = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=template.permutations, scheme=SCHEME)
        m.update_batch(list(features))
        return cls(m.hashvalues.astype(np.uint64))

    @classmethod
    def from_bytes(cls, data: bytes) -> Signature:
        return cls(np.frombuffer(bytes(data), dtype="<u8").astype(np.uint64))

    def to_bytes(self) -> bytes:
        return self.hashvalues.astype("<u8").tobytes()

    def similarity(self, other: Signature) -> float:
        """Estimated Jaccard similarity of the two bodies' shingles."""
        from datasketch import LeanMinHash

        a = LeanMinHash(seed=SEED, hashvalues=self.hashvalues, scheme=SCHEME)
        b = LeanMinHash(seed=SEED, hashvalues=other.hashvalues, scheme=SCHEME)
        return float(a.jaccard(b))

    def band_keys(self) -> list[int]:
        """One signed 64-bit key per LSH band (band number mixed in), for an indexed column."""
        b, r = _bands()
        keys = []
        for i in range(b):
            digest = hashlib.blake2b(
                self.hashvalues[i * r : (i + 1) * r].astype("<u8").tobytes(),
                digest_size=8,
                person=b"band%04d" % i,
            ).digest()
            keys.append(int.from_bytes(digest, "little", signed=True))
        return keys
